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
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from typing import Any

from parliament import analyze_policy_string
from parliament import config as _parliament_config

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


def _false_positive(issue: str, detail: Any, resource_policy: bool, key_policy: bool) -> bool:
    # In a key policy, "Resource": "*" means the key itself; parliament reads it as every resource.
    if issue == "RESOURCE_STAR":
        return key_policy
    if issue == "INVALID_SID":
        return resource_policy
    if issue == "UNKNOWN_CONDITION_FOR_ACTION":
        words = str(detail).lower().split()
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
