"""Architecture graphs drawn from offline previews: nodes and edges, not pixels."""

from __future__ import annotations

import json
import shutil
from pathlib import Path
from typing import Any

import pytest

from diagrams import diagram
from diagrams.graph import KINDS, Graph, stack_graph
from diagrams.org_view import MEMBER as MEMBER_CLUSTER
from diagrams.org_view import example_project, organization_graph
from engine_model.model import UNKNOWN, CapturedResource, PreviewResult
from engine_model.program import preview_stack
from tests.conftest import MEMBER, ROOT, SECURITY, archive_config

BUCKET = f"cloudtrail-logging-{SECURITY}-us-east-1"
MEMBER_ACCOUNT = MEMBER


def edges(graph: Graph, src_kind: str, dst_kind: str) -> list[tuple[str, str, str, str]]:
    """(src label, dst label, edge label, latency) of the edges between two kinds."""
    return sorted(
        (graph.nodes[e.src].label, graph.nodes[e.dst].label, e.label, e.latency)
        for e in graph.edges_between(src_kind, dst_kind)
    )


@pytest.fixture(scope="module")
def previews() -> dict[str, PreviewResult]:
    return {stack: preview_stack(stack) for stack in ("security", "dev")}


@pytest.fixture
def cached(previews: dict[str, PreviewResult], monkeypatch: pytest.MonkeyPatch) -> None:
    """The command reuses the module's previews (the program runs dominate the test time)."""
    monkeypatch.setattr(diagram, "preview_stack", lambda stack, _dir=None: previews[stack])


@pytest.fixture(scope="module")
def shipped(previews: dict[str, PreviewResult]) -> dict[str, Graph]:
    return {
        "security": stack_graph(previews["security"], SECURITY, "us-east-1"),
        "dev": stack_graph(previews["dev"], MEMBER, "eu-west-1"),
    }


def log_bucket(graph: Graph) -> Any:
    """The central log bucket's node (the access-log bucket is a bucket node too)."""
    (bucket,) = [b for b in graph.of_kind("bucket") if b.label == BUCKET]
    return bucket


def test_security_stack_flows(shipped: dict[str, Graph]) -> None:
    graph = shipped["security"]
    bucket = log_bucket(graph)
    assert bucket.label == BUCKET and bucket.stack == "security"
    for note in ("versioned", "SSE-KMS", "Bucket Key", "Block Public Access", "ACLs disabled",
                 "lifecycle → Glacier after 90 d", "protected"):
        assert note in bucket.notes
    assert edges(graph, "trail", "bucket") == [
        ("cloudtrail-logging", BUCKET, "log files", "~5 min")
    ]
    assert (BUCKET, "S3 Glacier Deep Archive", "lifecycle after 90 d", "days") in edges(
        graph, "bucket", "storage-class"
    )
    assert edges(graph, "bucket", "topic") == [
        (BUCKET, "cloudtrail-logging-log-objects", "s3:ObjectCreated:* AWSLogs/", "seconds")
    ]
    assert edges(graph, "bucket", "queue") == []  # several targets go through the one topic
    assert ("cloudtrail-logging-log-objects", "cloudtrail-logging-log-objects-queue", "sqs",
            "seconds") in edges(graph, "topic", "queue")
    assert ("cloudtrail-logging", "cloudtrail-logging-log-delivery", "log file delivered",
            "~5 min") in edges(graph, "trail", "topic")
    assert edges(graph, "account", "bucket") == [
        (MEMBER, BUCKET, f"bucket policy: AWSLogs/{MEMBER}/", "~5 min")
    ]


def test_shipped_alerting_flows(shipped: dict[str, Graph]) -> None:
    for graph in shipped.values():
        assert [e[2:] for e in edges(graph, "trail", "log-group")] == [("events", "minutes")]
        assert edges(graph, "log-group", "metric-filter")
        (filters,) = graph.of_kind("metric-filter")  # parallel filters drawn as one box
        assert filters.count > 1 and len(filters.urns) == filters.count
        assert [e[2] for e in edges(graph, "metric-filter", "alarm")] == ["metric"]
        assert [e[2:] for e in edges(graph, "alarm", "topic")] == [("ALARM", "seconds")]
        assert edges(graph, "trail", "event-rule")
    assert ("forward cross-account cross-region", "seconds") in [
        e[2:] for e in edges(shipped["dev"], "event-rule", "event-bus")
    ]
    security = shipped["security"]
    assert [e[2] for e in edges(security, "account", "event-bus")] == [
        "forwarded API events (bus policy)"
    ]
    assert edges(security, "event-bus", "event-rule")
    assert [e[1] for e in edges(security, "topic", "email")]


def test_integrity_flows_of_the_security_stack(shipped: dict[str, Graph]) -> None:
    graph = shipped["security"]
    flows = {(e[0], e[1], e[2]) for e in edges(graph, "bucket", "bucket")}
    assert flows == {
        (BUCKET, f"cloudtrail-logging-access-logs-{SECURITY}-us-east-1", "server access logs"),
        (BUCKET, f"cloudtrail-logging-replica-{SECURITY}-us-west-2", "replication, no deletes"),
    }
    assert "Object Lock GOVERNANCE 2557 d" in log_bucket(graph).notes


def test_plumbing_is_folded_into_its_owner(shipped: dict[str, Graph]) -> None:
    graph = shipped["security"]
    trust = {"key": "aws:kms/key:Key", "role": "aws:iam/role:Role"}
    for node in graph.nodes.values():
        if node.kind in ("principal", "service") or node.external:
            continue  # who may use what (offline/trust.py), named by policies
        own = node.urns[0].split("::")[-2].split("$")[-1]
        assert own in KINDS or trust.get(node.kind) == own, node
    bucket = log_bucket(graph)
    folded = {urn.rsplit("::", 1)[1] for urn in bucket.urns}
    assert {"log-archive-policy", "log-archive-versioning", "log-archive-public-access-block",
            "log-archive-ownership", "log-archive-encryption",
            "log-archive-lifecycle"} <= folded


def test_member_stack_delivers_to_the_central_bucket(shipped: dict[str, Graph]) -> None:
    graph = shipped["dev"]
    (trail,) = graph.of_kind("trail")
    assert trail.stack == "dev" and trail.account == MEMBER
    bucket = log_bucket(graph)
    assert bucket.external and bucket.label == BUCKET
    assert f"log archive in account {SECURITY}" in bucket.notes
    assert edges(graph, "trail", "bucket") == [("cloudtrail-logging", BUCKET, "log files",
                                                "~5 min")]
    assert ("cloudtrail-logging-log-delivery", "cloudtrail-logging-log-delivery-queue", "sqs",
            "seconds") in edges(graph, "topic", "queue")


@pytest.mark.parametrize(
    ("targets", "to_queue", "to_topic"),
    [([], 0, 0), (["sqs"], 1, 0), (["sns", "sqs"], 0, 1)],
)
def test_bucket_notifications_follow_config(run_stack, targets, to_queue, to_topic) -> None:
    stack = run_stack(archive_config(bucketNotificationTargets=targets))
    graph = stack_graph(stack.result)
    assert len(graph.edges_between("bucket", "queue")) == to_queue
    assert len(graph.edges_between("bucket", "topic")) == to_topic
    if not targets:
        # Without notifications, the log bucket only ages and is access-logged.
        assert sorted(graph.nodes[e.dst].kind for e in graph.edges if graph.nodes[e.src].kind ==
                      "bucket") == ["bucket", "storage-class"]


def test_lifecycle_days_come_from_config(run_stack) -> None:
    stack = run_stack(archive_config(glacierTransitionDays=30))
    graph = stack_graph(stack.result)
    assert [e[2] for e in edges(graph, "bucket", "storage-class")] == ["lifecycle after 30 d"]


@pytest.fixture(scope="module")
def organization(tmp_path_factory: pytest.TempPathFactory) -> Graph:
    """The organization view of examples/organization, as scripts/diagrams.sh draws it."""
    project = example_project(ROOT / "examples" / "organization",
                              tmp_path_factory.mktemp("organization"), ROOT)
    return organization_graph(preview_stack("org-archive", project),
                              preview_stack("org-management", project))


def labelled(graph: Graph, src: str, dst: str) -> set[str]:
    """Labels of the edges from nodes labelled `src` to nodes labelled `dst`."""
    return {e.label for e in graph.edges
            if graph.nodes[e.src].label == src and graph.nodes[e.dst].label == dst}


def test_the_organization_is_drawn_from_its_stacks(organization: Graph) -> None:
    graph = organization
    assert set(graph.clusters) >= {"archive", "management", MEMBER_CLUSTER}
    assert graph.clusters["management"].startswith("management account 333333333333")
    assert "every account of r-" in graph.clusters[MEMBER_CLUSTER]
    assert "but 222222222222" in graph.clusters[MEMBER_CLUSTER]  # the archive keeps its own rules
    (org_trail,) = [n for n in graph.of_kind("trail") if n.stack == "management"]
    assert "organization" in org_trail.notes
    # The organization trail writes every account's logs into the archive's bucket.
    (into,) = [e for e in graph.edges if e.src == org_trail.id
               and graph.nodes[e.dst].kind == "bucket"]
    assert graph.nodes[into.dst].stack == "archive" and into.label.startswith("log files")
    stack_sets = {n.label for n in graph.of_kind("stack-set")}
    assert stack_sets == {"cloudtrail-logging-api-alerts",
                          "cloudtrail-logging-api-alerts-forwarder-role"}
    assert {n.label for n in graph.of_kind("scp")} == {
        "cloudtrail-logging-guardrails", "cloudtrail-logging-archive-guardrails"}
    assert all(n.stack == "management" for n in graph.of_kind("scp"))


def test_the_member_holds_what_the_stacksets_deploy(organization: Graph) -> None:
    graph = organization
    member = {n.label: n for n in graph.nodes.values() if n.stack == MEMBER_CLUSTER}
    role, rule = member["cloudtrail-logging-event-forwarder"], member[
        "cloudtrail-logging-api-iam-access-keys"]
    assert (role.kind, rule.kind) == ("role", "event-rule")
    assert labelled(graph, "cloudtrail-logging-api-alerts-forwarder-role", role.label) == {
        "deploys to each account"}
    assert labelled(graph, "cloudtrail-logging-api-alerts", rule.label) == {
        "deploys to each account"}
    (org_trail,) = [n for n in graph.of_kind("trail") if n.stack == "management"]
    assert {e.label for e in graph.edges if (e.src, e.dst) == (org_trail.id, rule.id)} == {
        "API events (the organization trail's copy in the account)"}
    # Its rules forward to the archive's central bus, through the role EventBridge assumes.
    (bus,) = graph.of_kind("event-bus")
    assert bus.stack == "archive"
    # (Every member account is drawn as one, whose id is not known: "forward", not
    # "cross-account", which needs both accounts' ids.)
    assert {e.label for e in graph.edges if (e.src, e.dst) == (rule.id, bus.id)} == {"forward"}
    assert {e.label for e in graph.edges if (e.src, e.dst) == (role.id, bus.id)} == {"writes"}
    assert labelled(graph, "EventBridge", role.label) == {
        "assume · if aws:SourceAccount +1"}


def test_trust_boundaries_name_who_may_use_the_keys_roles_and_buckets(
    organization: Graph,
) -> None:
    graph = organization
    deployer, readers = "cloudtrail-logging-deployer", "security-log-readers"
    log_key = "cloudtrail-logging-logs"
    assert labelled(graph, deployer, log_key) == {"administer"}
    assert {label.split(" ·")[0] for label in labelled(graph, readers, log_key)} == {"decrypt"}
    assert {label.split(" ·")[0] for label in labelled(graph, "CloudTrail", log_key)} == {
        "encrypt", "decrypt"}
    bucket = "cloudtrail-logging-222222222222-us-east-1"
    assert labelled(graph, readers, bucket) >= {"read", "only they: read"}
    assert any(label.startswith("only they:") and "administer" in label
               for label in labelled(graph, deployer, bucket))
    assert [n.stack for n in graph.nodes.values() if n.label == deployer] == ["archive"]
    assert graph.nodes[next(e.dst for e in graph.edges if e.kind == "encrypts"
                            and graph.nodes[e.src].label == log_key)].kind in ("bucket", "trail")
    # The guardrail policies bind every principal of the archive and of each member account.
    for policy in ("cloudtrail-logging-guardrails", "cloudtrail-logging-archive-guardrails"):
        assert labelled(graph, policy, "IAM principals of 222222222222") == {"denies (SCP)"}
        assert labelled(graph, policy, "IAM principals of each such account") == {
            "denies (SCP)"}
    # Every trust edge ends at a key, a role, a bucket, or (SCP) a principal.
    for edge in graph.edges:
        if edge.kind == "trust":
            assert graph.nodes[edge.dst].kind in {"key", "role", "bucket", "principal",
                                                  "event-bus", "log-group"}, edge


def test_each_stack_view_has_its_keys_and_roles(shipped: dict[str, Graph]) -> None:
    security = shipped["security"]
    keys = {n.label for n in security.of_kind("key")}
    assert keys == {"cloudtrail-logging-logs", "cloudtrail-logging-messaging",
                    "cloudtrail-logging-cloudtrail-logs", "cloudtrail-logging-replica"}
    roles = {n.label for n in security.of_kind("role")}
    assert "cloudtrail-logging-cloudtrail-to-logs" in roles
    assert labelled(security, "CloudTrail", "cloudtrail-logging-cloudtrail-to-logs") == {
        "assume"}
    dev = shipped["dev"]
    assert {n.label for n in dev.of_kind("key")} == {"cloudtrail-logging-messaging",
                                                      "cloudtrail-logging-cloudtrail-logs"}
    # A member's keys are the account's to use: its IAM policies decide.
    assert any(graph_node.label == f"IAM principals of {MEMBER_ACCOUNT}"
               for graph_node in dev.nodes.values())


def _resource(type_: str, name: str, inputs: dict, provider: str = "", **deps) -> CapturedResource:
    return CapturedResource(
        urn=f"urn:pulumi:t::p::{type_}::{name}", type=type_, name=name, custom=True,
        inputs=inputs, provider=provider,
        property_dependencies={k: tuple(f"urn:pulumi:t::p::{v}" for v in vs)
                               for k, vs in deps.items()},
    )


def test_alerting_flows_from_references() -> None:
    """Trail -> log group -> metric filter -> alarm -> topic -> e-mail; regional rules -> bus."""
    arn = "arn:aws:{}:{}:" + SECURITY + ":{}"
    topic_type = "aws:sns/topic:Topic"
    west = "urn:pulumi:t::p::pulumi:providers:aws::eu-west-1"
    resources = (
        _resource("pulumi:providers:aws", "eu-west-1", {"region": "eu-west-1"}),
        _resource("aws:cloudwatch/logGroup:LogGroup", "trail-logs",
                  {"name": "trail-logs", "retentionInDays": 365, "kmsKeyId": UNKNOWN}),
        _resource("aws:cloudtrail/trail:Trail", "trail",
                  {"name": "t", "s3BucketName": "b",
                   "cloudWatchLogsGroupArn": arn.format("logs", "us-east-1",
                                                        "log-group:trail-logs:*")}),
        _resource("aws:cloudwatch/logMetricFilter:LogMetricFilter", "root-use",
                  {"name": "root-use", "logGroupName": "trail-logs",
                   "metricTransformation": {"name": "RootUse", "namespace": "CIS"}}),
        _resource("aws:cloudwatch/metricAlarm:MetricAlarm", "root-use-alarm",
                  {"name": "root-use-alarm", "metricName": "RootUse", "namespace": "CIS",
                   "period": 300, "evaluationPeriods": 1, "alarmActions": [UNKNOWN]},
                  alarmActions=[f"{topic_type}::alerts"]),
        _resource(topic_type, "alerts", {"name": "alerts"}),
        _resource("aws:sns/topicSubscription:TopicSubscription", "alerts-email",
                  {"topic": UNKNOWN, "protocol": "email", "endpoint": "soc@example.com"},
                  topic=[f"{topic_type}::alerts"]),
        _resource("aws:cloudwatch/eventBus:EventBus", "central", {"name": "central"}),
        _resource("aws:cloudwatch/eventRule:EventRule", "root-use-eu-west-1",
                  {"name": "root-use", "eventPattern": '{"detail-type": ["AWS API Call via '
                   'CloudTrail"]}'}, provider=f"{west}::{UNKNOWN}"),
        _resource("aws:cloudwatch/eventTarget:EventTarget", "root-use-eu-west-1-forward",
                  {"rule": "root-use",
                   "arn": arn.format("events", "us-east-1", "event-bus/central")},
                  provider=f"{west}::{UNKNOWN}",
                  rule=["aws:cloudwatch/eventRule:EventRule::root-use-eu-west-1"]),
        _resource("aws:cloudwatch/eventRule:EventRule", "central-root-use",
                  {"name": "central-root-use", "eventBusName": "central"}),
        _resource("aws:cloudwatch/eventTarget:EventTarget", "central-root-use-alerts",
                  {"rule": "central-root-use", "eventBusName": "central",
                   "arn": arn.format("sns", "us-east-1", "alerts")}),
    )
    result = PreviewResult("p", "alerting", resources, {})
    graph = stack_graph(result, SECURITY, "us-east-1")
    assert edges(graph, "trail", "log-group") == [("t", "trail-logs", "events", "minutes")]
    (group,) = graph.of_kind("log-group")
    assert "retention 365 d" in group.notes and "KMS" in group.notes
    assert edges(graph, "log-group", "metric-filter") == [
        ("trail-logs", "root-use", "pattern match", "seconds")
    ]
    assert edges(graph, "metric-filter", "alarm") == [
        ("root-use", "root-use-alarm", "metric", "5 min")
    ]
    assert edges(graph, "alarm", "topic") == [("root-use-alarm", "alerts", "ALARM", "seconds")]
    assert edges(graph, "topic", "email") == [("alerts", "soc@example.com", "email", "seconds")]
    assert edges(graph, "trail", "event-rule") == [
        ("t", "root-use", "API events, eu-west-1 default bus", "seconds")
    ]
    assert edges(graph, "event-rule", "event-bus") == [
        ("root-use", "central", "forward cross-region", "seconds")
    ]
    assert edges(graph, "event-bus", "event-rule") == [
        ("central", "central-root-use", "matching events", "seconds")
    ]
    assert edges(graph, "event-rule", "topic") == [
        ("central-root-use", "alerts", "target", "seconds")
    ]


def test_renderers(shipped: dict[str, Graph]) -> None:
    graph = shipped["security"]
    mermaid = diagram.to_mermaid(graph)
    assert mermaid.startswith("flowchart LR\n")
    assert 'subgraph security_stack["security stack · account 222222222222 · us-east-1"]' in mermaid
    for edge in graph.edges:
        end = f"| {edge.dst}" if edge.label else f"==> {edge.dst}"  # unlabelled: "encrypts"
        assert f"{edge.src} " in mermaid and end in mermaid
    dot = diagram.to_dot(graph)
    legend = len(diagram.LEGEND_EDGES)
    assert dot.startswith("digraph architecture {")
    assert dot.count(" -> ") == len(graph.edges) + legend


@pytest.mark.usefixtures("cached")
def test_command_writes_mermaid_and_says_when_graphviz_is_missing(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str],
    organization: Graph,
) -> None:
    monkeypatch.setattr(diagram.shutil, "which", lambda _name: None)
    monkeypatch.setattr(diagram, "_organization_view", lambda _org, _dir: organization)
    snippet = tmp_path / "README-diagrams.md"
    code = diagram.main(["security", "dev", "--org", "examples/organization", "--out",
                         str(tmp_path), "--markdown", str(snippet)])
    assert code == 0
    names = sorted(p.name for p in tmp_path.iterdir())
    assert names == ["README-diagrams.md", "dev.dot", "dev.mmd", "organization.dot",
                     "organization.mmd", "security.dot", "security.mmd"]
    assert "graphviz is not installed" in capsys.readouterr().err
    assert snippet.read_text().count("```mermaid") == 3


def test_every_view_has_a_legend(shipped: dict[str, Graph], organization: Graph) -> None:
    for graph in (*shipped.values(), organization):
        mermaid, dot = diagram.to_mermaid(graph), diagram.to_dot(graph)
        for text, _style, _color in diagram.LEGEND_EDGES:
            assert text in mermaid and text in dot
        assert "a trust boundary" in mermaid and "subgraph cluster_legend" in dot


@pytest.mark.skipif(shutil.which("dot") is None, reason="graphviz is not installed")
def test_no_label_lies_over_another(shipped: dict[str, Graph], organization: Graph) -> None:
    """In dot's own layout (offline/label_overlap.py): the views as generated, and the ones
    committed under docs/diagrams/."""
    from diagrams.label_overlap import Box, layout, overlapping

    for graph in (*shipped.values(), organization):
        _text, overlaps = diagram.dot_without_overlaps(graph)
        assert overlaps == 0, graph.title
    for committed in sorted((ROOT / "docs" / "diagrams").glob("*.dot")):
        assert overlapping(layout(committed.read_text())) == [], committed.name
    # The check sees an overlap: two labels drawn at one place.
    one = Box("edge 1", "read", 0, 0, 40, 10)
    assert one.overlaps(Box("edge 2", "write", 20, 5, 60, 15))
    assert not one.overlaps(Box("edge 2", "write", 41, 0, 60, 10))


@pytest.mark.usefixtures("cached")
def test_json_model(capsys: pytest.CaptureFixture[str]) -> None:
    assert diagram.main(["dev", "--json"]) == 0
    document = json.loads(capsys.readouterr().out)
    kinds = {n["kind"] for n in document["dev"]["nodes"]}
    assert {"trail", "bucket", "topic", "queue"} <= kinds


@pytest.mark.skipif(shutil.which("dot") is None, reason="graphviz is not installed")
def test_graphviz_renders_svg(tmp_path: Path, shipped: dict[str, Graph]) -> None:
    target = tmp_path / "security.svg"
    diagram.render_graphviz(diagram.to_dot(shipped["security"]), target, "svg")
    assert target.read_text().lstrip().startswith(("<?xml", "<svg"))
