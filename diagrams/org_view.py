"""The organization view: the log archive, the management account's stack (organization trail,
StackSets, guardrail service control policies) and a member account as the StackSets reach it,
drawn from real organization-mode stacks (examples/organization/).

The member account has no stack of its own: what it holds is what the management stack's
StackSets deploy, read from their templates (the forwarder role and the API-call rules, in each
instance Region) and drawn as the resources pulumi-aws would register for them, so that the same
graph rules and trust boundaries apply.
"""

from __future__ import annotations

import json
import shutil
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from diagrams.graph import (
    Edge,
    Graph,
    StackView,
    build_graph,
    collapse,
    infer_context,
)
from engine_model.model import CapturedResource, PreviewResult

MEMBER = "member-account"
# The organization view is about accounts, what crosses between them and who may do what: each
# account's alerting internals (topics, queues, alarms, filters, subscribers) are in its stack's
# own view.
LEFT_OUT = frozenset({"topic", "queue", "alarm", "metric-filter", "email", "function",
                      "storage-class"})
ORGANIZATION_TRAIL_EVENTS = "API events (the organization trail's copy in the account)"


def example_project(example: Path, where: Path, project_dir: Path) -> Path:
    """A project directory as a user has it: the project file, the program, the example's stack
    files beside them."""
    for name in ("Pulumi.yaml", "__main__.py"):
        (where / name).symlink_to(project_dir / name)
    for stack_file in example.glob("Pulumi.*.yaml"):
        shutil.copy(stack_file, where / stack_file.name)
    return where


def _resolve(value: Any, partition: str, account: str) -> Any:
    """CloudFormation's `Ref`/`Fn::Sub` of pseudo parameters, as each account sees them."""
    if isinstance(value, dict):
        if set(value) == {"Ref"} and value["Ref"] == "AWS::AccountId":
            return account
        if set(value) == {"Fn::Sub"} and isinstance(value["Fn::Sub"], str):
            return (value["Fn::Sub"].replace("${AWS::Partition}", partition)
                    .replace("${AWS::AccountId}", account))
        return {k: _resolve(v, partition, account) for k, v in value.items()}
    if isinstance(value, list):
        return [_resolve(v, partition, account) for v in value]
    return value


def _urn(type_: str, name: str) -> str:
    return f"urn:pulumi:{MEMBER}::stacksets::{type_}::{name}"


def _captured(type_: str, name: str, inputs: Mapping[str, Any],
              dependencies: Mapping[str, str] | None = None) -> CapturedResource:
    return CapturedResource(
        urn=_urn(type_, name), type=type_, name=name, custom=True, inputs=dict(inputs),
        property_dependencies={k: (_urn(*v.split("::")),) for k, v in (dependencies or {}).items()},
    )


def stackset_resources(
    management: PreviewResult, partition: str, account: str = "<member>"
) -> tuple[CapturedResource, ...]:
    """What the management stack's StackSets put in a member account, in each instance Region:
    IAM roles (with their inline policies) and EventBridge rules (with their targets)."""
    regions: dict[str, list[str]] = {}
    for instance in management.resources:
        if instance.type == "aws:cloudformation/stackSetInstance:StackSetInstance":
            name = str(instance.inputs.get("stackSetName", ""))
            regions.setdefault(name, []).append(str(instance.inputs.get("stackSetInstanceRegion")))
    found: list[CapturedResource] = []
    for stack_set in management.resources:
        if stack_set.type != "aws:cloudformation/stackSet:StackSet":
            continue
        template = json.loads(str(stack_set.inputs.get("templateBody") or "{}"))
        resources = _resolve(template.get("Resources", {}), partition, account)
        for region in sorted(regions.get(str(stack_set.inputs.get("name")), [])):
            for logical, resource in resources.items():
                found += _from_template(logical, resource, region)
    return tuple(found)


def _from_template(logical: str, resource: dict[str, Any], region: str) -> list[CapturedResource]:
    props = resource.get("Properties", {})
    if resource.get("Type") == "AWS::IAM::Role":  # IAM is global: one role, whatever Region
        role_type = "aws:iam/role:Role"
        out = [_captured(role_type, logical, {
            "name": props.get("RoleName", logical),
            "assumeRolePolicy": json.dumps(props.get("AssumeRolePolicyDocument", {})),
        })]
        for policy in props.get("Policies", []):
            out.append(_captured("aws:iam/rolePolicy:RolePolicy",
                                 f"{logical}-{policy.get('PolicyName')}", {
                                     "role": props.get("RoleName", logical),
                                     "name": policy.get("PolicyName"),
                                     "policy": json.dumps(policy.get("PolicyDocument", {})),
                                 }, {"role": f"{role_type}::{logical}"}))
        return out
    if resource.get("Type") == "AWS::Events::Rule":
        rule_type, name = "aws:cloudwatch/eventRule:EventRule", f"{logical}-{region}"
        out = [_captured(rule_type, name, {
            "name": props.get("Name", logical), "region": region,
            "eventPattern": json.dumps(props.get("EventPattern", {})),
            "state": props.get("State", "ENABLED"), "description": props.get("Description", ""),
        })]
        for target in props.get("Targets", []):
            out.append(_captured("aws:cloudwatch/eventTarget:EventTarget",
                                 f"{name}-{target.get('Id')}", {
                                     "rule": props.get("Name", logical), "region": region,
                                     "arn": target.get("Arn"), "roleArn": target.get("RoleArn"),
                                     "targetId": target.get("Id"),
                                 }, {"rule": f"{rule_type}::{name}"}))
        return out
    return []


def _targets(management: PreviewResult) -> str:
    """Whom the StackSets reach, in words: the target OUs or root, but the excluded accounts."""
    for instance in management.resources:
        if instance.type == "aws:cloudformation/stackSetInstance:StackSetInstance":
            targets = instance.inputs.get("deploymentTargets") or {}
            units = ", ".join(targets.get("organizationalUnitIds") or []) or "the organization"
            left_out = ", ".join(targets.get("accounts") or [])
            return f"every account of {units}" + (f" but {left_out}" if left_out else "")
    return "no account (no StackSets)"


def organization_graph(
    archive: PreviewResult, management: PreviewResult, *, collapsed: bool = True
) -> Graph:
    """The log archive, the management account's stack and a member account as its StackSets
    reach it, with the trust boundaries of all three."""
    archive_account, archive_region = infer_context(archive)
    archive_account = str(archive.outputs.get("accountId") or archive_account)
    management_account = str(management.outputs.get("accountId") or "")
    partition = str(management.outputs.get("partition") or "aws")
    reached = _targets(management)
    member = PreviewResult(project=management.project, stack=MEMBER,
                           resources=stackset_resources(management, partition), outputs={})
    views = [
        StackView("archive", archive, archive_account, str(archive.outputs.get("region") or
                  archive_region), title=f"log archive · account {archive_account}"),
        StackView("management", management, management_account,
                  str(management.outputs.get("region") or ""),
                  title=f"management account {management_account} · organization trail, "
                        "StackSets, guardrail SCPs"),
        StackView(MEMBER, member, "", str(management.outputs.get("region") or ""),
                  title=f"member account · {reached} · reached by the StackSets", infer=False),
    ]
    graph = build_graph(views, title="organization: log archive, management account, member "
                        "account", collapsed=False)
    _reach(graph, management)
    graph.nodes = {i: n for i, n in graph.nodes.items() if n.kind not in LEFT_OUT}
    graph.edges = [e for e in graph.edges if e.src in graph.nodes and e.dst in graph.nodes]
    return collapse(graph) if collapsed else graph


def _reach(graph: Graph, management: PreviewResult) -> None:
    """StackSets -> what they deploy; the organization trail -> the member's rules."""
    deployed = [n for n in graph.nodes.values() if n.stack == MEMBER
                and n.kind in ("event-rule", "role")]
    for stack_set in graph.of_kind("stack-set"):
        for node in deployed:
            what = "role" if node.kind == "role" else "event-rule"
            if (what == "role") == ("role" in stack_set.label):
                graph.add_edge(Edge(stack_set.id, node.id, "deploys to each account", "minutes"))
    trails = [n for n in graph.of_kind("trail") if n.stack == "management"]
    for trail in trails:
        for rule in (n for n in deployed if n.kind == "event-rule"):
            graph.add_edge(Edge(trail.id, rule.id, ORGANIZATION_TRAIL_EVENTS, "seconds"))


__all__ = ["example_project", "organization_graph", "stackset_resources"]
