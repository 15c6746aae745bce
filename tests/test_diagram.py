"""Architecture graphs drawn from offline previews: nodes and edges, not pixels."""

from __future__ import annotations

import json
import shutil
from pathlib import Path
from typing import Any

import pytest

from diagrams import diagram
from diagrams.graph import KINDS, Graph, organization_graph, stack_graph
from engine_model.model import UNKNOWN, CapturedResource, PreviewResult
from engine_model.program import preview_stack
from tests.conftest import MEMBER, SECURITY, archive_config, archive_outputs, member_config

BUCKET = f"cloudtrail-logging-{SECURITY}-us-east-1"


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
    for node in graph.nodes.values():
        assert node.external or node.urns[0].split("::")[-2].split("$")[-1] in KINDS
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


def test_organization_view_with_three_members(run_stack) -> None:
    archive = run_stack(archive_config())
    member = run_stack(member_config(), archive_outputs())
    graph = organization_graph(archive.result, member.result, 3, archive_account=SECURITY,
                               archive_region="us-east-1")
    bucket = log_bucket(graph)
    assert bucket.stack == "test" and not bucket.external
    trails = {n.stack: n for n in graph.of_kind("trail")}
    assert set(trails) == {"test", "member-1", "member-2", "member-3"}
    into_bucket = {graph.nodes[e.src].stack: e for e in graph.edges if e.dst == bucket.id}
    for label in ("member-1", "member-2", "member-3"):
        assert into_bucket[label].src == trails[label].id
        assert into_bucket[label].latency == "~5 min"
    assert trails["member-1"].account == MEMBER
    assert "bucket policy admits" in into_bucket["member-1"].label
    assert trails["member-2"].account == ""
    # the admitted member account is drawn as its stack, not as a bare account box
    assert MEMBER not in {n.account for n in graph.of_kind("account")}
    assert len(graph.clusters) == 4


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
        assert f"{edge.src} " in mermaid and f"| {edge.dst}" in mermaid
    dot = diagram.to_dot(graph)
    assert dot.startswith("digraph architecture {") and dot.count(" -> ") == len(graph.edges)


@pytest.mark.usefixtures("cached")
def test_command_writes_mermaid_and_says_when_graphviz_is_missing(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setattr(diagram.shutil, "which", lambda _name: None)
    snippet = tmp_path / "README-diagrams.md"
    code = diagram.main(["security", "dev", "--org", "2", "--out", str(tmp_path),
                         "--markdown", str(snippet)])
    assert code == 0
    names = sorted(p.name for p in tmp_path.iterdir())
    assert names == ["README-diagrams.md", "dev.dot", "dev.mmd", "organization.dot",
                     "organization.mmd", "security.dot", "security.mmd"]
    assert "graphviz is not installed" in capsys.readouterr().err
    assert snippet.read_text().count("```mermaid") == 3


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
