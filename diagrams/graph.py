"""An architecture graph built from offline previews: the flows between a stack's resources.

Nodes are the resources that carry data (trail, buckets, topics, queues, log groups, metric
filters, alarms, EventBridge rules and buses) plus the endpoints they name outside the stack
(Lambda functions, e-mail, member accounts, Glacier). Edges come from real references only:
`property_dependencies` URNs and the names and ARNs the inputs spell. Plumbing resources
(policies, Block Public Access, versioning, ownership, aliases, permissions, roles, KMS keys)
become notes on the node they configure. Each edge carries a label and a reaction time.
"""

from __future__ import annotations

import json
import re
from collections import Counter
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field, replace
from typing import Any

from engine_model.model import UNKNOWN, CapturedResource, PreviewResult

S3_DELIVERY = "~5 min"
SECONDS = "seconds"
MINUTES = "minutes"

# Resource types drawn as nodes, by kind.
KINDS = {
    "aws:cloudtrail/trail:Trail": "trail",
    "aws:s3/bucket:Bucket": "bucket",
    "aws:s3/bucketV2:BucketV2": "bucket",
    "aws:sns/topic:Topic": "topic",
    "aws:sqs/queue:Queue": "queue",
    "aws:lambda/function:Function": "function",
    "aws:cloudwatch/logGroup:LogGroup": "log-group",
    "aws:cloudwatch/logMetricFilter:LogMetricFilter": "metric-filter",
    "aws:cloudwatch/metricAlarm:MetricAlarm": "alarm",
    "aws:cloudwatch/eventRule:EventRule": "event-rule",
    "aws:cloudwatch/eventBus:EventBus": "event-bus",
    "aws:cloudformation/stackSet:StackSet": "stack-set",
    "aws:organizations/policy:Policy": "scp",
}
# Resources that are edges, not nodes: they connect the nodes their inputs name.
CONNECTORS = {
    "aws:s3/bucketNotification:BucketNotification",
    "aws:sns/topicSubscription:TopicSubscription",
    "aws:cloudwatch/eventTarget:EventTarget",
}
# Plumbing: folded into the node named by one of these inputs (first that resolves).
OWNER_KEYS = ("bucket", "arn", "queueUrl", "topicArn", "eventBusName", "functionName",
              "logGroupName", "targetKeyId", "keyId")
PLUMBING_WORDS = ("Policy", "Permission", "Alias", "Attachment", "PublicAccessBlock",
                  "Versioning", "OwnershipControls", "ServerSideEncryption", "Lifecycle",
                  "Role", "Key", "Acl", "Logging", "SubscriptionFilter")
COLLAPSIBLE = ("metric-filter", "alarm", "event-rule")
MAX_LISTED = 8
IGNORED_PREFIXES = ("pulumi:providers:", "pulumi:pulumi:")
# Who a bucket policy's Allow statements let write, in the diagram's words.
WRITERS = {"cloudtrail.amazonaws.com": "CloudTrail", "logging.s3.amazonaws.com": "S3 log delivery"}
STORAGE_CLASSES = {
    "GLACIER": "Glacier Flexible Retrieval", "DEEP_ARCHIVE": "Glacier Deep Archive",
    "GLACIER_IR": "Glacier Instant Retrieval", "STANDARD_IA": "Standard-IA",
    "ONEZONE_IA": "One Zone-IA", "INTELLIGENT_TIERING": "Intelligent-Tiering",
}
ACCOUNT = re.compile(r"^\d{12}$")


@dataclass(frozen=True)
class Node:
    """One box: a resource (or an endpoint outside the stack) with notes from its plumbing."""

    id: str
    kind: str
    label: str
    stack: str = ""  # the view's stack label; "" for endpoints outside every stack
    account: str = ""
    region: str = ""
    notes: tuple[str, ...] = ()
    urns: tuple[str, ...] = ()
    external: bool = False
    count: int = 1  # resources of the same role drawn as one box


@dataclass(frozen=True)
class Edge:
    """A flow from `src` to `dst`; `latency` is how soon the destination reacts. A `trust`
    edge is no flow: who may use, read, decrypt or assume the destination (offline/trust.py)."""

    src: str
    dst: str
    label: str
    latency: str = ""
    kind: str = "flow"


@dataclass(frozen=True)
class StackView:
    """One stack run placed in a view: `label` names its cluster, `account` its AWS account."""

    label: str
    result: PreviewResult
    account: str = ""
    region: str = ""
    title: str = ""
    infer: bool = True  # fill a missing account/region from the ARNs the stack spells


@dataclass
class Graph:
    """Nodes, edges and the clusters (stack label -> title) they are drawn in."""

    title: str
    nodes: dict[str, Node] = field(default_factory=dict)
    edges: list[Edge] = field(default_factory=list)
    clusters: dict[str, str] = field(default_factory=dict)

    def of_kind(self, kind: str) -> list[Node]:
        return [n for n in self.nodes.values() if n.kind == kind]

    def edges_between(self, src_kind: str, dst_kind: str) -> list[Edge]:
        return [
            e for e in self.edges
            if self.nodes[e.src].kind == src_kind and self.nodes[e.dst].kind == dst_kind
        ]

    def add_edge(self, edge: Edge) -> None:
        if edge.src != edge.dst and edge not in self.edges:
            self.edges.append(edge)

    def note(self, node_id: str, *notes: str) -> None:
        node = self.nodes[node_id]
        fresh = tuple(n for n in notes if n and n not in node.notes)
        if fresh:
            self.nodes[node_id] = replace(node, notes=node.notes + fresh)


def safe_id(text: str) -> str:
    return re.sub(r"[^A-Za-z0-9_]", "_", text)


def _strings(value: Any) -> Iterator[str]:
    if isinstance(value, str):
        if value != UNKNOWN:
            yield value
    elif isinstance(value, dict):
        for item in value.values():
            yield from _strings(item)
    elif isinstance(value, list):
        for item in value:
            yield from _strings(item)


@dataclass(frozen=True)
class Arn:
    service: str
    region: str
    account: str
    name: str  # the resource's own name: bucket, topic, queue, log group, bus, rule, function


def parse_arn(text: str) -> Arn | None:
    """The parts of an ARN that name a resource this graph can draw; None for anything else."""
    parts = text.split(":", 5)
    if len(parts) < 6 or parts[0] != "arn":
        return None
    _, _, service, region, account, rest = parts
    name = rest
    if service == "s3":
        name = rest.split("/", 1)[0]
    elif service == "logs" and rest.startswith("log-group:"):
        name = rest[len("log-group:"):].split(":", 1)[0]
    elif service == "events" and "/" in rest:
        kind, name = rest.split("/", 1)
        service = f"events-{kind}"  # events-event-bus / events-rule
        name = name.split("/")[-1]
    elif service == "lambda" and rest.startswith("function:"):
        name = rest.split(":")[1]
    elif service == "cloudtrail" and rest.startswith("trail/"):
        name = rest[len("trail/"):]
    return Arn(service, region, account, name)


ARN_SERVICE_KIND = {
    "s3": "bucket", "sns": "topic", "sqs": "queue", "lambda": "function", "logs": "log-group",
    "events-event-bus": "event-bus", "events-rule": "event-rule", "cloudtrail": "trail",
}


def _resource_name(resource: CapturedResource, kind: str) -> str:
    key = "bucket" if kind == "bucket" else "name"
    value = resource.inputs.get(key)
    return value if isinstance(value, str) and value != UNKNOWN else ""


def _minutes(seconds: Any) -> str:
    try:
        total = float(seconds)
    except (TypeError, ValueError):
        return MINUTES
    return f"{total / 60:g} min" if total >= 60 else f"{total:g} s"


class _Builder:
    """Builds one Graph from several stack runs; references resolve across them."""

    def __init__(self, title: str) -> None:
        self.graph = Graph(title)
        self.by_urn: dict[str, str] = {}
        self.names: dict[tuple[str, str], list[str]] = {}  # (kind, name) -> node ids
        self.views: dict[str, StackView] = {}
        self.node_view: dict[str, str] = {}
        self.admitted: dict[str, tuple[str, ...]] = {}  # bucket node -> admitted accounts
        self.provider_regions: dict[str, dict[str, str]] = {}

    # -- nodes -----------------------------------------------------------------------------

    def add_nodes(self, view: StackView) -> None:
        self.views[view.label] = view
        self.graph.clusters[view.label] = view.title or view.label
        for resource in view.result.resources:
            kind = KINDS.get(resource.type)
            if kind is None or resource.read:
                continue
            node_id = safe_id(f"{view.label}_{resource.name}")
            name = _resource_name(resource, kind)
            region = self.region_of(view.label, resource)
            self.graph.nodes[node_id] = Node(
                id=node_id, kind=kind, label=name or resource.name, stack=view.label,
                account=view.account, region=region, urns=(resource.urn,),
            )
            self.node_view[node_id] = view.label
            self.by_urn[f"{view.label}|{resource.urn}"] = node_id
            if name:
                self.names.setdefault((kind, name), []).append(node_id)

    def external(
        self, kind: str, name: str, note: str = "", account: str = "", region: str = ""
    ) -> str:
        node_id = safe_id("_".join(p for p in ("ext", kind, account, region, name) if p))
        if node_id not in self.graph.nodes:
            self.graph.nodes[node_id] = Node(
                id=node_id, kind=kind, label=name, account=account, region=region,
                external=True, notes=(note,) if note else (),
            )
        return node_id

    # -- references ------------------------------------------------------------------------

    def _prefer_own(self, view: str, candidates: list[str]) -> list[str]:
        own = [c for c in candidates if self.node_view.get(c) == view]
        return own or candidates

    def lookup(self, view: str, text: str, kinds: Sequence[str], region: str = "") -> list[str]:
        """Nodes an ARN or a name denotes; the referrer's own stack and region first."""
        arn = parse_arn(text)
        if arn is not None:
            kind = ARN_SERVICE_KIND.get(arn.service)
            if kind is None or kind not in kinds:
                return []
            found = [
                n for n in self.names.get((kind, arn.name), [])
                if _matches(arn.region, self.graph.nodes[n].region)
                and _matches(arn.account, self.graph.nodes[n].account)
            ]
            return self._prefer_own(view, found)
        found = [n for kind in kinds for n in self.names.get((kind, text), [])]
        found = self._prefer_own(view, found)
        local = [n for n in found if self.graph.nodes[n].region in ("", region)]
        return local if region and local else found

    def resolve(
        self, view: str, resource: CapturedResource, key: str, kinds: Sequence[str],
        *, external_kind: str = "", create: bool = True,
    ) -> list[str]:
        """Nodes of `kinds` that input `key` refers to: by dependency URN, else ARN or name."""
        found: list[str] = []
        for urn in resource.property_dependencies.get(key, ()):
            node = self.by_urn.get(f"{view}|{urn}")
            if node and self.graph.nodes[node].kind in kinds:
                found.append(node)
        if found:
            return list(dict.fromkeys(found))
        region = self.region_of(view, resource)
        for text in _strings(resource.inputs.get(key)):
            hits = self.lookup(view, text, kinds, region)
            if not hits and create:
                arn = parse_arn(text)
                kind = ARN_SERVICE_KIND.get(arn.service, "") if arn else external_kind
                if kind and (kind in kinds or not arn):
                    hits = [self.external(kind, arn.name if arn else text,
                                          account=arn.account if arn else "",
                                          region=arn.region if arn else "")]
            found.extend(hits)
        return list(dict.fromkeys(found))

    def region_of(self, view: str, resource: CapturedResource) -> str:
        """A resource's own `region` input (pulumi-aws 7), else its provider's, else the stack's."""
        own = resource.inputs.get("region")
        if isinstance(own, str) and own and own != UNKNOWN:
            return own
        regions = self.provider_regions.setdefault(view, _provider_regions(
            self.views[view].result))
        return regions.get(resource.provider.rsplit("::", 1)[0]) or self.views[view].region

    # -- edges -----------------------------------------------------------------------------

    def _link(self, sources: Sequence[str], targets: Sequence[str], label: str, delay: str) -> None:
        """An edge from each source to each target."""
        for source in sources:
            for target in targets:
                self.graph.add_edge(Edge(source, target, label, delay))

    def add_edges(self, view: StackView) -> None:
        for resource in view.result.resources:
            if resource.read or resource.type.startswith(IGNORED_PREFIXES):
                continue
            node = self.by_urn.get(f"{view.label}|{resource.urn}")
            handler = getattr(self, f"_on_{safe_id(resource.type.split(':')[-1])}", None)
            if handler is not None:
                handler(view.label, resource, node)
            elif node is None and resource.custom:
                self._plumbing(view.label, resource)

    def _plumbing(self, view: str, resource: CapturedResource) -> None:
        """Fold a policy, permission, alias… into the node it configures, if any is drawn."""
        every = tuple(set(KINDS.values()))
        for key in OWNER_KEYS:
            owners = self.resolve(view, resource, key, every, create=False)
            if owners:
                for owner in owners:
                    self.graph.note(owner, *self._plumbing_notes(resource))
                    self.graph.nodes[owner] = replace(
                        self.graph.nodes[owner],
                        urns=(*self.graph.nodes[owner].urns, resource.urn),
                    )
                return

    def _plumbing_notes(self, resource: CapturedResource) -> list[str]:
        inputs = resource.inputs
        short = resource.type.split(":")[-1]
        if short == "BucketVersioning":
            status = inputs.get("versioningConfiguration", {}).get("status")
            return ["versioned"] if status == "Enabled" else []
        if short == "BucketPublicAccessBlock":
            flags = ("blockPublicAcls", "blockPublicPolicy", "ignorePublicAcls",
                     "restrictPublicBuckets")
            return ["Block Public Access"] if all(inputs.get(f) for f in flags) else []
        if short == "BucketOwnershipControls":
            return ["ACLs disabled"] if inputs.get("rule", {}).get(
                "objectOwnership") == "BucketOwnerEnforced" else []
        if short == "BucketServerSideEncryptionConfiguration":
            notes = []
            for rule in inputs.get("rules", []):
                algorithm = rule.get("applyServerSideEncryptionByDefault", {}).get(
                    "sseAlgorithm", "")
                notes.append("SSE-KMS" if algorithm.startswith("aws:kms") else "SSE-S3")
                if rule.get("bucketKeyEnabled"):
                    notes.append("Bucket Key")
            return notes
        if short == "BucketLifecycleConfiguration":
            return []  # drawn as an edge, see _on_BucketLifecycleConfiguration
        return []

    def _admit(self, view: str, resource: CapturedResource) -> None:
        """Bucket policy: which accounts' trails may deliver, drawn as account -> bucket."""
        owners = self.resolve(view, resource, "bucket", ("bucket",), create=False)
        try:
            document = json.loads(resource.inputs.get("policy", ""))
        except (TypeError, ValueError):
            return
        accounts: list[str] = []
        writers = set()  # the services the policy lets write
        for statement in document.get("Statement", []):
            principal = statement.get("Principal", {})
            writer = isinstance(principal, dict) and WRITERS.get(str(principal.get("Service")))
            if statement.get("Effect") == "Allow" and writer:
                writers.add(writer)
            if not isinstance(principal, dict) or "cloudtrail.amazonaws.com" not in str(
                principal.get("Service", "")
            ):
                continue
            for text in _strings(statement.get("Condition", {})):
                if ACCOUNT.match(text):
                    accounts.append(text)
                else:
                    arn = parse_arn(text)
                    if arn and ACCOUNT.match(arn.account):
                        accounts.append(arn.account)
            for text in _strings(statement.get("Resource", [])):
                match = re.search(r"/AWSLogs/(\d{12})/", text)
                if match:
                    accounts.append(match.group(1))
        accounts = list(dict.fromkeys(accounts))
        own = self.views[view].account
        for owner in owners:
            self.admitted[owner] = tuple(accounts)
            who = " and ".join(sorted(writers))
            self.graph.note(owner, f"bucket policy: {who} only, TLS only" if who
                            else "bucket policy: TLS only")
            for account in accounts:
                if account == own:
                    continue
                source = self.external("account", account, "member account", account=account)
                self.graph.add_edge(Edge(source, owner, f"bucket policy: AWSLogs/{account}/",
                                         S3_DELIVERY))

    def _on_BucketPolicy(self, view: str, resource: CapturedResource, _node: str | None) -> None:
        self._plumbing(view, resource)
        self._admit(view, resource)

    def _enabled_rules(
        self, view: str, resource: CapturedResource
    ) -> Iterator[tuple[str, dict[str, Any]]]:
        """Each bucket a bucket configuration names, with each of its Enabled rules."""
        self._plumbing(view, resource)
        for bucket in self.resolve(view, resource, "bucket", ("bucket",), create=False):
            for rule in resource.inputs.get("rules", []):
                if rule.get("status") == "Enabled":
                    yield bucket, rule

    def _on_BucketLifecycleConfiguration(
        self, view: str, resource: CapturedResource, _node: str | None
    ) -> None:
        for bucket, rule in self._enabled_rules(view, resource):
            for transition in rule.get("transitions", []):
                raw = str(transition.get("storageClass", ""))
                storage = STORAGE_CLASSES.get(raw, raw.replace("_", " ").title())
                days = float(transition.get("days") or 0)
                target = self.external("storage-class", f"S3 {storage}",
                                       "lifecycle transition")
                self.graph.add_edge(Edge(bucket, target, f"lifecycle after {days:g} d",
                                         "days"))
                self.graph.note(bucket, f"lifecycle → {storage.split()[0]} after {days:g} d")
            expiration = rule.get("expiration", {}).get("days")
            if expiration:
                self.graph.note(bucket, f"expires after {expiration:g} d")

    def _on_BucketLogging(self, view: str, resource: CapturedResource, _node: str | None) -> None:
        self._plumbing(view, resource)
        for source in self.resolve(view, resource, "bucket", ("bucket",), create=False):
            for target in self.resolve(view, resource, "targetBucket", ("bucket",),
                                       external_kind="bucket"):
                # S3 delivers access records best effort, "within a few hours" (S3 User Guide,
                # "Logging requests with server access logging").
                self.graph.add_edge(Edge(source, target, "server access logs", "hours"))

    def _on_BucketReplicationConfig(
        self, view: str, resource: CapturedResource, _node: str | None
    ) -> None:
        for source, rule in self._enabled_rules(view, resource):
            arn = parse_arn(str(rule.get("destination", {}).get("bucket", "")))
            if arn is None:
                continue
            fake = replace(resource, inputs={"destination": arn.name},
                           property_dependencies={})
            for target in self.resolve(view, fake, "destination", ("bucket",),
                                       external_kind="bucket"):
                self.graph.add_edge(Edge(source, target, "replication, no deletes",
                                         MINUTES))

    def _on_BucketObjectLockConfiguration(
        self, view: str, resource: CapturedResource, _node: str | None
    ) -> None:
        self._plumbing(view, resource)
        retention = resource.inputs.get("rule", {}).get("defaultRetention", {})
        for bucket in self.resolve(view, resource, "bucket", ("bucket",), create=False):
            if retention.get("mode"):
                self.graph.note(bucket, f"Object Lock {retention['mode']} "
                                        f"{retention.get('days', 0):g} d")

    def _on_Bucket(self, view: str, resource: CapturedResource, node: str | None) -> None:
        if node and resource.protect:
            self.graph.note(node, "protected")

    def _on_Topic(self, view: str, resource: CapturedResource, node: str | None) -> None:
        if node and resource.inputs.get("kmsMasterKeyId"):
            self.graph.note(node, "KMS")

    _on_Queue = _on_Topic

    def _on_Trail(self, view: str, resource: CapturedResource, node: str | None) -> None:
        if node is None:
            return
        inputs = resource.inputs
        flags = [("isMultiRegionTrail", "multi-region"), ("isOrganizationTrail", "organization"),
                 ("enableLogFileValidation", "log file validation")]
        self.graph.note(node, *(text for key, text in flags if inputs.get(key) is True))
        if inputs.get("kmsKeyId"):
            self.graph.note(node, "SSE-KMS")
        for bucket in self.resolve(view, resource, "s3BucketName", ("bucket",),
                                   external_kind="bucket"):
            self.graph.add_edge(Edge(node, bucket, "log files", S3_DELIVERY))
        for topic in self.resolve(view, resource, "snsTopicName", ("topic",),
                                  external_kind="topic"):
            self.graph.add_edge(Edge(node, topic, "log file delivered", S3_DELIVERY))
        for group in self.resolve(view, resource, "cloudWatchLogsGroupArn", ("log-group",)):
            self.graph.add_edge(Edge(node, group, "events", MINUTES))

    def _on_BucketNotification(
        self, view: str, resource: CapturedResource, _node: str | None
    ) -> None:
        buckets = self.resolve(view, resource, "bucket", ("bucket",), external_kind="bucket")
        for key, item_key, kinds in (("topics", "topicArn", ("topic",)),
                                     ("queues", "queueArn", ("queue",)),
                                     ("lambdaFunctions", "lambdaFunctionArn", ("function",))):
            for item in resource.inputs.get(key, []):
                events = ", ".join(item.get("events", []))
                prefix = item.get("filterPrefix", "")
                label = f"{events} {prefix}".strip()
                fake = replace(resource, inputs={key: item.get(item_key, "")},
                               property_dependencies={})
                targets = self.resolve(view, fake, key, kinds)
                if not targets:  # ARN unknown at preview: fall back on the dependency URN
                    targets = self.resolve(view, resource, key, kinds, create=False)
                self._link(buckets, targets, label, SECONDS)

    def _on_TopicSubscription(
        self, view: str, resource: CapturedResource, _node: str | None
    ) -> None:
        protocol = str(resource.inputs.get("protocol", ""))
        topics = self.resolve(view, resource, "topic", ("topic",), external_kind="topic")
        kinds = {"sqs": ("queue",), "lambda": ("function",)}.get(protocol, ())
        if kinds:
            endpoints = self.resolve(view, resource, "endpoint", kinds)
        else:
            endpoints = [self.external(protocol or "endpoint", text)
                         for text in _strings(resource.inputs.get("endpoint"))]
        self._link(topics, endpoints, protocol, SECONDS)

    def _on_EventBusPolicy(
        self, view: str, resource: CapturedResource, _node: str | None
    ) -> None:
        """Which accounts may put events on a bus: a note on the bus."""
        for bus in self.resolve(view, resource, "eventBusName", ("event-bus",), create=False):
            accounts = sorted({
                text for text in _strings(_json(resource.inputs.get("policy")))
                if ACCOUNT.match(text) and text != self.views[view].account
            } | {
                arn.account for arn in map(parse_arn, _strings(_json(
                    resource.inputs.get("policy")))) if arn and ACCOUNT.match(arn.account)
                and arn.account != self.views[view].account
            })
            if accounts:
                self.graph.note(bus, f"accepts events from {', '.join(accounts)}")
            for account in accounts:
                source = self.external("account", account, "member account", account=account)
                self.graph.add_edge(Edge(source, bus, "forwarded API events (bus policy)",
                                         SECONDS))

    def _on_LogGroup(self, view: str, resource: CapturedResource, node: str | None) -> None:
        if node is None:
            return
        days = resource.inputs.get("retentionInDays")
        self.graph.note(node, f"retention {days:g} d" if days else "never expires")
        if resource.inputs.get("kmsKeyId"):
            self.graph.note(node, "KMS")

    def _on_LogMetricFilter(self, view: str, resource: CapturedResource, node: str | None) -> None:
        if node is None:
            return
        for group in self.resolve(view, resource, "logGroupName", ("log-group",),
                                  external_kind="log-group"):
            self.graph.add_edge(Edge(group, node, "pattern match", SECONDS))

    def _on_MetricAlarm(self, view: str, resource: CapturedResource, node: str | None) -> None:
        if node is None:
            return
        inputs = resource.inputs
        metric = (inputs.get("namespace"), inputs.get("metricName"))
        period: Any = inputs.get("period")
        try:
            window: float | None = float(period) * float(inputs.get("evaluationPeriods", 1))
        except (TypeError, ValueError):
            window = None
        for other in self.views[view].result.resources:
            if other.type != "aws:cloudwatch/logMetricFilter:LogMetricFilter":
                continue
            transformation = other.inputs.get("metricTransformation", {})
            if (transformation.get("namespace"), transformation.get("name")) == metric:
                source = self.by_urn.get(f"{view}|{other.urn}")
                if source:
                    self.graph.add_edge(Edge(source, node, "metric",
                                             _minutes(window) if window else MINUTES))
        for key, label in (("alarmActions", "ALARM"), ("okActions", "OK"),
                           ("insufficientDataActions", "INSUFFICIENT_DATA")):
            for target in self.resolve(view, resource, key, ("topic", "function")):
                self.graph.add_edge(Edge(node, target, label, SECONDS))

    def _on_EventRule(self, view: str, resource: CapturedResource, node: str | None) -> None:
        if node is None:
            return
        inputs = resource.inputs
        bus = inputs.get("eventBusName")
        buses = self.resolve(view, resource, "eventBusName", ("event-bus",), create=False)
        if buses:
            for source in buses:
                self.graph.add_edge(Edge(source, node, "matching events", SECONDS))
        elif bus in (None, "", "default") and "CloudTrail" in str(inputs.get("eventPattern")):
            trails = [n for n in self.graph.of_kind("trail") if self.node_view.get(n.id) == view]
            region = self.graph.nodes[node].region
            for trail in trails:
                self.graph.add_edge(Edge(trail.id, node, f"API events, {region} default bus",
                                         SECONDS))
        state = inputs.get("state")
        if state and state != "ENABLED":
            self.graph.note(node, state.lower().replace("_", " "))

    def _on_EventTarget(self, view: str, resource: CapturedResource, _node: str | None) -> None:
        rules = self.resolve(view, resource, "rule", ("event-rule",), create=False)
        targets = self.resolve(view, resource, "arn",
                               ("event-bus", "topic", "queue", "function", "log-group"))
        for rule in rules:
            for target in targets:
                kind = self.graph.nodes[target].kind
                label = "target"
                if kind == "event-bus":
                    src, dst = self.graph.nodes[rule], self.graph.nodes[target]
                    label = " ".join(["forward", *(
                        f"cross-{what}" for what, a, b in (
                            ("account", src.account, dst.account),
                            ("region", src.region, dst.region),
                        ) if a and b and a != b
                    )])
                self.graph.add_edge(Edge(rule, target, label, SECONDS))

    def annotate(self) -> None:
        """Notes that need every view: member trails delivering under the bucket policy."""
        for edge in list(self.graph.edges):
            src, dst = self.graph.nodes[edge.src], self.graph.nodes[edge.dst]
            if src.kind != "trail" or dst.kind != "bucket" or src.stack == dst.stack:
                continue
            if dst.external:
                continue
            admitted = self.admitted.get(dst.id)
            if src.account and admitted is not None:
                verdict = "bucket policy admits" if src.account in admitted else \
                    "NOT admitted by bucket policy"
                label = f"log files to AWSLogs/{src.account}/, {verdict}"
            else:
                label = "log files; the bucket policy must admit this account"
            self.graph.edges[self.graph.edges.index(edge)] = replace(edge, label=label)
        # member-account endpoints drawn as real member stacks are redundant
        drawn = {n.account for n in self.graph.nodes.values() if n.kind == "trail"}
        for node in list(self.graph.nodes.values()):
            if node.kind == "account" and node.account in drawn:
                del self.graph.nodes[node.id]
        self.graph.edges = [
            e for e in self.graph.edges if e.src in self.graph.nodes and e.dst in self.graph.nodes
        ]
        for node in list(self.graph.nodes.values()):  # leftover endpoints of dropped flows
            if node.external and not any(node.id in (e.src, e.dst) for e in self.graph.edges):
                del self.graph.nodes[node.id]


def _json(text: Any) -> Any:
    try:
        return json.loads(text) if isinstance(text, str) else text
    except ValueError:
        return None


def _matches(pattern: str, value: str) -> bool:
    """An ARN's region or account against a node's; empty or `*` matches anything."""
    return pattern in ("", "*") or value in ("", pattern)


def _provider_regions(result: PreviewResult) -> dict[str, str]:
    return {
        r.urn: str(r.inputs.get("region", ""))
        for r in result.resources if r.type.startswith("pulumi:providers:aws")
    }


def infer_context(result: PreviewResult) -> tuple[str, str]:
    """(account, region) of a stack, by majority of the ARNs its own resources' inputs spell."""
    accounts: Counter[str] = Counter()
    regions: Counter[str] = Counter()
    for resource in result.resources:
        if resource.type.startswith("pulumi:providers:aws"):
            continue
        for text in _strings(resource.inputs):
            for match in re.finditer(r"arn:aws[a-z-]*:(sns|sqs|logs|events|lambda):"
                                     r"([a-z0-9-]+):(\d{12}):", text):
                regions[match.group(2)] += 1
                accounts[match.group(3)] += 1
    account = accounts.most_common(1)[0][0] if accounts else ""
    region = regions.most_common(1)[0][0] if regions else ""
    return account, region


def _natural(text: str) -> list[object]:
    return [int(p) if p.isdigit() else p for p in re.split(r"(\d+)", text)]


def _common_prefix(names: Sequence[str]) -> str:
    """The leading `-`-separated words all names share, with the trailing `-`."""
    words = [name.split("-") for name in names]
    common: list[str] = []
    for column in zip(*words, strict=False):
        if len(set(column)) != 1:
            break
        common.append(column[0])
    prefix = "-".join(common)
    return f"{prefix}-" if common and all(len(w) > len(common) for w in words) else ""


def collapse(graph: Graph) -> Graph:
    """Draw parallel resources of one role (filters, alarms, rules of a region) as one box.

    Coarsest partition of the collapsible nodes, by kind, stack and region, such that members
    of a class have edges with the same labels to the same classes (partition refinement).
    """
    nodes = list(graph.nodes.values())
    classes: dict[str, int] = {}
    keys: dict[object, int] = {}
    for node in nodes:
        key = (node.kind, node.stack, node.region) if node.kind in COLLAPSIBLE else node.id
        classes[node.id] = keys.setdefault(key, len(keys))
    while True:
        signatures: dict[object, int] = {}
        refined = {}
        for node in nodes:
            outs = frozenset((e.label, classes[e.dst]) for e in graph.edges if e.src == node.id)
            ins = frozenset((e.label, classes[e.src]) for e in graph.edges if e.dst == node.id)
            signature = (classes[node.id], outs, ins)
            refined[node.id] = signatures.setdefault(signature, len(signatures))
        if len(signatures) == len(set(classes.values())):
            break
        classes = refined
    members: dict[int, list[Node]] = {}
    for node in nodes:
        members.setdefault(classes[node.id], []).append(node)
    merged = Graph(graph.title, clusters=dict(graph.clusters))
    target: dict[str, str] = {}
    for group in members.values():
        first = group[0]
        for node in group:
            target[node.id] = first.id
        if len(group) == 1:
            merged.nodes[first.id] = first
            continue
        names = sorted((n.label for n in group), key=_natural)
        prefix = _common_prefix(names)
        shown = [name[len(prefix):] for name in names]
        if len(shown) > MAX_LISTED:
            shown = [*shown[: MAX_LISTED - 1], f"+{len(shown) - MAX_LISTED + 1} more"]
        merged.nodes[first.id] = replace(
            first, label=f"{prefix}*" if prefix else f"{len(group)} resources",
            notes=(*first.notes, *shown) if prefix else tuple(shown),
            urns=tuple(u for n in group for u in n.urns), count=len(group),
        )
    latencies: dict[tuple[str, str, str, str], list[str]] = {}
    for edge in graph.edges:
        joined = (target[edge.src], target[edge.dst], edge.label, edge.kind)
        latencies.setdefault(joined, [])
        if edge.latency and edge.latency not in latencies[joined]:
            latencies[joined].append(edge.latency)
    merged.edges = [Edge(src, dst, label, " / ".join(found), kind)
                    for (src, dst, label, kind), found in latencies.items() if src != dst]
    return merged


def build_graph(
    views: Sequence[StackView], title: str = "", *, collapsed: bool = True, trust: bool = True
) -> Graph:
    """The architecture graph of one or more stack runs; references resolve across them.

    `collapsed` draws parallel filters, alarms and rules as one box each (see `collapse`);
    `trust` adds the keys, roles and who may use them (offline/trust.py)."""
    builder = _Builder(title or " + ".join(v.label for v in views))
    filled = []
    for view in views:
        if view.infer and (not view.account or not view.region):
            account, region = infer_context(view.result)
            view = replace(view, account=view.account or account,
                           region=view.region or region)
        if not view.title:
            view = replace(view, title=_cluster_title(view))
        filled.append(view)
        builder.add_nodes(view)
    for view in filled:
        builder.add_edges(view)
    for view in filled:  # the member stack's view of a bucket it does not own
        owner = view.result.outputs.get("logArchiveAccountId")
        for node in builder.graph.nodes.values():
            if node.external and node.kind == "bucket" and owner and owner != view.account:
                builder.graph.note(node.id, f"log archive in account {owner}")
    builder.annotate()
    if trust:
        from diagrams.trust import add_trust

        add_trust(builder.graph, filled)
    return collapse(builder.graph) if collapsed else builder.graph


def _cluster_title(view: StackView) -> str:
    parts = [f"{view.label} stack"]
    if view.result.stack != view.label:
        parts[0] = f"{view.label} ({view.result.stack} stack)"
    if view.account:
        parts.append(f"account {view.account}")
    if view.region:
        parts.append(view.region)
    return " · ".join(parts)


def stack_graph(
    result: PreviewResult, account: str = "", region: str = "", *, collapsed: bool = True
) -> Graph:
    """One stack's architecture."""
    return build_graph([StackView(result.stack, result, account, region)],
                       title=f"{result.stack} stack", collapsed=collapsed)
