"""Trust boundaries in the architecture graph: the keys and roles a stack creates, and who may
use them, read from the documents the stack registers.

Each AWS account is a boundary (a stack's cluster). Added to the graph:

- a node per KMS key, and `trust` edges from each principal its key policy allows, labelled
  with what it may do (administer, encrypt, decrypt); an edge from the key to what it encrypts;
- a node per IAM role, with `assume` edges from the principals its trust policy admits, and edges
  to what its inline policy lets it write or read;
- on each bucket, edges from the principals its policy allows (read, write), and from those a
  Deny exempts by `aws:PrincipalArn` ("only they": the named administrators and readers);
- a service control policy's edges to every principal of the accounts it is attached over.

Principals are drawn inside their account's boundary when the view has it, AWS services in a
boundary of their own. Only Allow statements grant; a Deny narrows, and its exemptions are drawn
as the only principals left.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import replace
from typing import Any

from diagrams.graph import Edge, Graph, Node, StackView, parse_arn, safe_id

SERVICES_CLUSTER = "aws-services"
SERVICES_TITLE = "AWS services (outside every account)"
SERVICE_NAMES = {
    "cloudtrail.amazonaws.com": "CloudTrail", "events.amazonaws.com": "EventBridge",
    "sns.amazonaws.com": "SNS", "s3.amazonaws.com": "S3", "logging.s3.amazonaws.com":
    "S3 log delivery", "cloudwatch.amazonaws.com": "CloudWatch", "sqs.amazonaws.com": "SQS",
}
_ROLE = re.compile(r"arn:[\w-]+:iam::(\d{12}):role/(?:.*/)?([^/]+)")
_ROOT = re.compile(r"arn:[\w-]+:iam::(\d{12}):root")
# What a principal may do with a key, by the actions its statement allows.
KMS_VERBS = (
    ("administer", ("kms:put", "kms:enable", "kms:disable", "kms:schedulekeydeletion",
                    "kms:createalias", "kms:update", "kms:delete")),
    ("encrypt", ("kms:encrypt", "kms:generatedatakey", "kms:reencrypt")),
    ("decrypt", ("kms:decrypt",)),
)
S3_VERBS = (
    ("read", ("s3:getobject",)),
    ("write", ("s3:putobject",)),
    ("replicate", ("s3:replicate",)),
    ("administer", ("s3:putbucket", "s3:putlifecycle", "s3:putencryption",
                    "s3:putreplication", "s3:deletebucketpolicy")),
)
ROLE_VERBS = (
    ("writes", ("logs:putlogevents", "s3:replicate", "events:putevents")),
    ("reads", ("s3:getobject", "s3:getreplication", "s3:listbucket")),
    ("decrypts with", ("kms:decrypt",)),
    ("encrypts with", ("kms:encrypt", "kms:generatedatakey")),
)
# Inputs that name the key a resource is encrypted with.
KEY_INPUTS = ("kmsMasterKeyId", "kmsKeyId")
# What a key encrypts is an edge for these, a note on the key for the rest (topics, queues).
ENCRYPTED_DRAWN = frozenset({"bucket", "log-group", "trail"})


def _listed(value: Any) -> list[Any]:
    return value if isinstance(value, list) else [value] if value is not None else []


def _json(text: Any) -> Any:
    try:
        return json.loads(text) if isinstance(text, str) else text
    except ValueError:
        return None


def verbs(actions: Iterable[str], table: Sequence[tuple[str, tuple[str, ...]]]) -> list[str]:
    """The verbs of `table` whose action prefixes any of `actions` matches (`*` covers all)."""
    lowered = [a.lower() for a in actions]
    found = []
    for verb, prefixes in table:
        if any(a.rstrip("*") == p[: len(a.rstrip("*"))] if a.endswith("*") else a.startswith(p)
               for a in lowered for p in prefixes):
            found.append(verb)
    return found


def _principals(statement: dict[str, Any]) -> Iterator[tuple[str, str]]:
    """(kind, id) of each principal an Allow statement names; `*` is left out."""
    principal = statement.get("Principal")
    if not isinstance(principal, dict):
        return
    for kind, values in principal.items():
        for value in _listed(values):
            if isinstance(value, str) and value != "*":
                yield kind, value


def _exempted(statement: dict[str, Any]) -> list[str]:
    """The principals a Deny leaves out by `aws:PrincipalArn` (ArnNotEquals / ArnNotLike)."""
    found: list[str] = []
    for op, pairs in (statement.get("Condition") or {}).items():
        if op in ("ArnNotEquals", "ArnNotLike", "StringNotEquals", "StringNotLike"):
            found += [v for key, values in pairs.items() if key.lower() == "aws:principalarn"
                      for v in _listed(values)]
    return found


def _when(statement: dict[str, Any]) -> str:
    """The condition keys a statement depends on, in a few words: the first, and how many
    more."""
    keys = sorted({k for pairs in (statement.get("Condition") or {}).values() for k in pairs})
    if not keys:
        return ""
    return f" · if {keys[0]}" + (f" +{len(keys) - 1}" if len(keys) > 1 else "")


class _Trust:
    def __init__(self, graph: Graph, views: Sequence[StackView]) -> None:
        self.graph = graph
        self.views = views
        # A view without an account id (every member account) is its own boundary.
        self.by_account = {v.account or v.label: v.label for v in views}
        self.node_of: dict[str, str] = {}  # view|urn -> node id, folded resources included
        for node in graph.nodes.values():
            for urn in node.urns:
                self.node_of.setdefault(f"{node.stack}|{urn}", node.id)

    # -- nodes -----------------------------------------------------------------------------

    def _add(self, node: Node) -> str:
        if node.id not in self.graph.nodes:
            self.graph.nodes[node.id] = node
        return node.id

    def principal(self, kind: str, value: str) -> str:
        """The node of a principal: a role of an account drawn, an account's IAM principals,
        an AWS service, or anyone else, outside."""
        if kind == "Service":
            self.graph.clusters.setdefault(SERVICES_CLUSTER, SERVICES_TITLE)
            name = SERVICE_NAMES.get(value, value.split(".")[0])
            return self._add(Node(safe_id(f"service_{value}"), "service", name,
                                  stack=SERVICES_CLUSTER, notes=(value,)))
        if kind == "AWS":
            role, root = _ROLE.fullmatch(value), _ROOT.fullmatch(value)
            matched = role or root
            account = matched[1] if matched else ""
            stack = self.by_account.get(account, "")
            if role:
                own = [n for n in self.graph.of_kind("role")
                       if n.label == role[2] and n.account == account]
                if own:
                    return own[0].id
                return self._add(Node(safe_id(f"principal_{value}"), "principal", role[2],
                                      stack=stack, account=account, external=not stack,
                                      notes=(f"role of {account}",)))
            if root:
                return self.account_principals(account)
        return self._add(Node(safe_id(f"principal_{kind}_{value}"), "principal", value,
                              external=True, notes=(kind,)))

    def account_principals(self, account: str, note: str = "its IAM policies decide") -> str:
        stack = self.by_account.get(account, "")
        who = account if re.fullmatch(r"\d{12}", account) else "each such account"
        return self._add(Node(safe_id(f"account_principals_{account}"), "principal",
                              f"IAM principals of {who}", stack=stack, account=account,
                              external=not stack, notes=(note,)))

    def edge(self, src: str, dst: str, label: str) -> None:
        self.graph.add_edge(Edge(src, dst, label, kind="trust"))

    # -- documents -------------------------------------------------------------------------

    def keys(self, view: StackView) -> None:
        resources = view.result.resources
        aliases: dict[str, list[str]] = {}
        for alias in (r for r in resources if r.type == "aws:kms/alias:Alias"):
            for urn in alias.property_dependencies.get("targetKeyId", ()):
                aliases.setdefault(urn, []).append(str(alias.inputs.get("name", "")))
        for key in (r for r in resources if r.type == "aws:kms/key:Key"):
            names = aliases.get(key.urn, [])
            node = self._add(Node(
                safe_id(f"{view.label}_{key.name}"), "key",
                names[0].removeprefix("alias/") if names else key.name, stack=view.label,
                account=view.account, region=str(key.inputs.get("region") or view.region),
                notes=tuple(n for n in ("rotation on" if key.inputs.get("enableKeyRotation")
                                        else "", "protected" if key.protect else "") if n),
                urns=(key.urn,),
            ))  # fmt: skip
            self.node_of[f"{view.label}|{key.urn}"] = node
            for statement in (_json(key.inputs.get("policy")) or {}).get("Statement", []):
                if statement.get("Effect") != "Allow":
                    continue
                found = verbs(_listed(statement.get("Action")), KMS_VERBS)
                for kind, value in _principals(statement):
                    if found:
                        self.edge(self.principal(kind, value), node,
                                  ", ".join(found) + _when(statement))

    def encryption(self, view: StackView) -> None:
        """key -> what it encrypts, by the dependency of a key input on the key."""
        counted: dict[str, set[str]] = {}
        for resource in view.result.resources:
            keys = [u for k in KEY_INPUTS for u in resource.property_dependencies.get(k, ())]
            if resource.type.endswith("BucketServerSideEncryptionConfiguration"):
                keys += list(resource.property_dependencies.get("rules", ()))
            target = self.node_of.get(f"{view.label}|{resource.urn}")
            for urn in keys:
                key = self.node_of.get(f"{view.label}|{urn}")
                if not (key and target and self.graph.nodes[key].kind == "key"):
                    continue
                kind = self.graph.nodes[target].kind
                if kind in ENCRYPTED_DRAWN:  # unlabelled: the legend names its line
                    self.graph.add_edge(Edge(key, target, "", kind="encrypts"))
                else:  # topics and queues: many, each noted "KMS" already
                    counted.setdefault(key, set()).add(target)
        for key, targets in counted.items():
            kinds = sorted({self.graph.nodes[t].kind for t in targets})
            self.graph.note(key, f"encrypts {len(targets)} {' and '.join(k + 's' for k in kinds)}")

    def roles(self, view: StackView) -> None:
        resources = view.result.resources
        by_urn = {r.urn: r for r in resources}
        for role in (r for r in resources if r.type == "aws:iam/role:Role"):
            name = str(role.inputs.get("name", role.name))
            node = self._add(Node(safe_id(f"{view.label}_{role.name}"), "role", name,
                                  stack=view.label, account=view.account, urns=(role.urn,),
                                  notes=("protected",) if role.protect else ()))
            self.node_of[f"{view.label}|{role.urn}"] = node
            trust = _json(role.inputs.get("assumeRolePolicy")) or {}
            for statement in trust.get("Statement", []):
                if statement.get("Effect") == "Allow":
                    for kind, value in _principals(statement):
                        self.edge(self.principal(kind, value), node, "assume" + _when(statement))
        for policy in (r for r in resources if r.type == "aws:iam/rolePolicy:RolePolicy"):
            owners = [self.node_of.get(f"{view.label}|{u}")
                      for u in policy.property_dependencies.get("role", ()) if u in by_urn]
            for owner in (o for o in owners if o):
                self._uses(view, owner, _json(policy.inputs.get("policy")) or {})

    def _uses(self, view: StackView, role: str, document: dict[str, Any]) -> None:
        for statement in document.get("Statement", []):
            if statement.get("Effect") != "Allow":
                continue
            found = verbs(_listed(statement.get("Action")), ROLE_VERBS)
            for resource in _listed(statement.get("Resource")):
                for target in self._nodes_named(view, str(resource)):
                    for verb in found:
                        self.graph.add_edge(Edge(role, target, verb, kind="trust"))

    def _nodes_named(self, view: StackView, arn: str) -> list[str]:
        parsed = parse_arn(arn.split("/*")[0] if arn.startswith("arn:aws:s3") else arn)
        if parsed is None:
            return []
        kinds = {"s3": "bucket", "logs": "log-group", "events-event-bus": "event-bus"}
        kind = kinds.get(parsed.service)
        return [n.id for n in self.graph.nodes.values() if kind and n.kind == kind
                and n.label == parsed.name.split(":")[0]]

    def buckets(self, view: StackView) -> None:
        for policy in (r for r in view.result.resources
                       if r.type == "aws:s3/bucketPolicy:BucketPolicy"):
            bucket = self.node_of.get(f"{view.label}|{policy.urn}")
            if bucket is None:
                continue
            for statement in (_json(policy.inputs.get("policy")) or {}).get("Statement", []):
                found = verbs(_listed(statement.get("Action")), S3_VERBS)
                if not found:
                    continue
                if statement.get("Effect") == "Allow":
                    for kind, value in _principals(statement):
                        self.edge(self.principal(kind, value), bucket,
                                  ", ".join(found) + _when(statement))
                else:
                    for arn in _exempted(statement):
                        self.edge(self.principal("AWS", arn), bucket,
                                  f"only they: {', '.join(found)}")

    def guardrails(self, view: StackView) -> None:
        """A service control policy binds every principal of the accounts below its targets,
        but the management account: drawn to each other account of the view."""
        policies = [r for r in view.result.resources
                    if r.type == "aws:organizations/policy:Policy"]
        if not policies:
            return
        for policy in policies:
            node = self.node_of.get(f"{view.label}|{policy.urn}")
            if node is None:
                continue
            content = _json(policy.inputs.get("content")) or {}
            sids = [s.get("Sid", "") for s in content.get("Statement", []) if s.get("Sid")]
            self.graph.nodes[node] = replace(self.graph.nodes[node], notes=tuple(sids))
            for other in self.views:
                if other.account != view.account:
                    self.graph.add_edge(Edge(node, self.account_principals(
                        other.account or other.label, "the root user included"),
                        "denies (SCP)", kind="trust"))


def add_trust(graph: Graph, views: Sequence[StackView]) -> None:
    """Add the trust boundary of every view to `graph`."""
    trust = _Trust(graph, views)
    for view in views:
        trust.roles(view)
    for view in views:
        trust.keys(view)
        trust.encryption(view)
        trust.buckets(view)
        trust.guardrails(view)

