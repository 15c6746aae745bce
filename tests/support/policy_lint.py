"""Lint a policy document's grammar with `parliament`, minus its known false positives.

`parliament` (1.6.x) checks actions, resources, condition keys and operator types against a
bundled copy of the service authorization reference. Two of its findings are wrong for the
resource policies this project writes and are dropped here:

* UNKNOWN_CONDITION_FOR_ACTION for condition keys newer than its bundled list: global keys such
  as `aws:SourceOrgID` / `aws:SourceOrgPaths` (launched in 2023; the IAM user guide lists them
  among the AWS global condition context keys), and `kms:ResourceAliases` (2021; the AWS KMS
  developer guide's condition keys list it for the key operations). Any other unknown key is
  still reported.
* INVALID_SID when linting a resource policy: the alphanumeric-only Sid rule is the one IAM
  enforces for identity policies; KMS key policies and S3 bucket policies accept other
  characters (CloudTrail's own documented key policy uses Sids such as "Allow CloudTrail to
  encrypt logs").

* UNKNOWN_CONDITION_FOR_ACTION for a condition key of a resource type the action is authorized
  on, such as kms:ResourceAliases on kms:PutKeyPolicy: parliament looks only at the keys listed
  for the action, while the Service Authorization Reference lists these under the resource type
  ("Resource types defined by ...": the keys that apply to every action on that type).

Its bundled reference types some condition keys `ArrayOfARN` (events:TargetArn), a type its own
checker predates and stops on; they are checked as the ARN keys they are.
"""

from __future__ import annotations

import json
import re
from collections.abc import Mapping
from functools import cache
from typing import Any

from parliament import analyze_policy_string, iam_definition
from parliament import config as _parliament_config
from parliament import statement as _parliament_statement

__all__ = ["NEWER_GLOBAL_KEYS", "lint"]

# Keys AWS documents that parliament's bundled list predates (lower-cased).
NEWER_GLOBAL_KEYS = frozenset(
    {
        "kms:resourcealiases",
        "aws:sourceorgid",
        "aws:sourceorgpaths",
        "aws:viaawsservice",
        "aws:ec2instancesourcevpc",
        "aws:ec2instancesourceprivateipv4",
    }
)


_translate = _parliament_statement.translate_documentation_types


def _translate_arrays_of_arns(kind: str) -> str:
    return "Arn" if kind == "ArrayOfARN" else _translate(kind)


_parliament_statement.translate_documentation_types = _translate_arrays_of_arns


@cache
def _resource_type_keys(action: str) -> frozenset[str]:
    """The condition keys of the resource types `action` is authorized on (lower-cased)."""
    prefix, _, name = action.lower().partition(":")
    keys: set[str] = set()
    for service in iam_definition:
        if service["prefix"] != prefix:
            continue
        types = {r["resource_type"].rstrip("*") for p in service["privileges"]
                 if p["privilege"].lower() == name for r in p["resource_types"]}
        keys.update(k.lower() for r in service["resources"] if r["resource"] in types
                    for k in r["condition_keys"])
    return frozenset(keys)


def _false_positive(issue: str, detail: Any, resource_policy: bool, key_policy: bool) -> bool:
    # In a key policy, "Resource": "*" means the key itself; parliament reads it as every resource.
    if issue == "RESOURCE_STAR":
        return key_policy
    if issue == "INVALID_SID":
        return resource_policy
    if issue == "UNKNOWN_CONDITION_FOR_ACTION":
        words = str(detail).lower().split()
        found = re.fullmatch(r"unknown condition (\S+) for action (\S+)", str(detail).lower())
        if found and found[1] in _resource_type_keys(found[2]):
            return True
        return any(word in NEWER_GLOBAL_KEYS for word in words)
    return False


def lint(
    policy: Mapping[str, Any], *, resource_policy: bool = True, key_policy: bool = False
) -> list[str]:
    """Real findings for `policy`, each as "SEVERITY ISSUE: detail", sorted."""
    analyzed = analyze_policy_string(
        json.dumps(policy), ignore_private_auditors=True, include_community_auditors=False
    )
    out = []
    for f in analyzed.findings:
        if _false_positive(f.issue, f.detail, resource_policy, key_policy):
            continue
        severity = _parliament_config.get(f.issue, {}).get("severity", "UNKNOWN")
        where = (f.location or {}).get("string", "") if isinstance(f.location, dict) else ""
        out.append(f"{severity} {f.issue}: {f.detail if f.detail is not None else where}")
    return sorted(out)
