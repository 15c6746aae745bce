"""A stack-wide index: which companion resources and trails point at which bucket.

Every lookup is a dictionary access on indexes built once per view, so a stack policy stays
linear in the number of resources (scripts/benchmark_pack.py measures it).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from typing import Any

from guardrails import iam
from guardrails.support import (
    BUCKET_POLICY_TYPE,
    BUCKET_TYPES,
    IAM_ROLE_TYPE,
    LOGGING_TYPES,
    MISSING,
    REPLICATION_TYPE,
    TRAIL_TYPE,
    Res,
    first_unknown,
    is_unknown,
    lookup,
    maybe_log_bucket,
    undecided_because,
)

LOG_BUCKET = "log bucket"
ACCESS_LOG_BUCKET = "access-log bucket"
REPLICA_BUCKET = "replica bucket"


class StackView:
    """Links resources to the buckets they configure.

    A companion resource (SSE config, versioning, bucket policy, ...) targets a bucket when its
    `bucket` input equals the bucket's `bucket` name. When that input is unknown at preview, the
    engine's property dependencies still say which resource it came from: a companion whose
    `bucket` depends on exactly the bucket resources in this stack is linked to those.
    """

    def __init__(self, resources: Iterable[Res]) -> None:
        self.resources = list(resources)
        self._by_type: dict[str, list[Res]] = defaultdict(list)
        for res in self.resources:
            self._by_type[res.type].append(res)
        self.buckets = [r for r in self.resources if r.type in BUCKET_TYPES]
        self._by_name: dict[str, list[Res]] = defaultdict(list)
        self._by_urn: dict[str, Res] = {}
        self._unnamed: set[str] = set()  # urns of buckets whose name is unknown
        for bucket in self.buckets:
            self._by_urn[bucket.urn] = bucket
            name = self.bucket_name(bucket)
            if is_unknown(name):
                self._unnamed.add(bucket.urn)
            elif isinstance(name, str):
                self._by_name[name].append(bucket)
        self._targets: dict[tuple[str, str], list[Res] | None] = {}
        self._companions: dict[tuple[frozenset[str], str], dict[str, list[Res]]] = {}
        self._unresolved: dict[tuple[frozenset[str], str], list[Res]] = {}
        self._cloudtrail: tuple[list[Res], list[Res]] | None = None
        self._all_by_urn = {r.urn: r for r in self.resources}

    def resource(self, urn: str) -> Res | None:
        """The resource of this stack with that URN."""
        return self._all_by_urn.get(urn)

    def of_type(self, types: str | Iterable[str]) -> list[Res]:
        wanted = [types] if isinstance(types, str) else sorted(set(types))
        if len(wanted) == 1:
            return list(self._by_type.get(wanted[0], ()))
        return [r for r in self.resources if r.type in wanted]

    @staticmethod
    def bucket_name(bucket: Res) -> Any:
        """The bucket's name: a string, an unknown sentinel, or MISSING."""
        return lookup(bucket.props, "bucket")

    def targets(self, res: Res, prop: str = "bucket") -> list[Res] | None:
        """Buckets of this stack that `res` points at through `prop`.

        [] when it names no bucket of this stack; None when `prop` is unknown and no property
        dependency resolves it.
        """
        key = (res.urn, prop)
        if key not in self._targets:
            self._targets[key] = self._resolve(res, prop)
        return self._targets[key]

    def _resolve(self, res: Res, prop: str) -> list[Res] | None:
        value = lookup(res.props, prop)
        if value is MISSING:
            return []
        deps = res.property_dependencies.get(prop, ())
        linked = [self._by_urn[u] for u in deps if u in self._by_urn]
        if is_unknown(value):
            return linked or None
        named = list(self._by_name.get(value, ())) if isinstance(value, str) else []
        return named + [b for b in linked if b.urn in self._unnamed and b not in named]

    def _index(self, types: str | Iterable[str], prop: str) -> dict[str, list[Res]]:
        key = (frozenset([types] if isinstance(types, str) else types), prop)
        if key not in self._companions:
            index: dict[str, list[Res]] = defaultdict(list)
            pending: list[Res] = []
            for res in self.of_type(key[0]):
                found = self.targets(res, prop)
                if found is None:
                    pending.append(res)
                for bucket in found or ():
                    index[bucket.urn].append(res)
            self._companions[key] = index
            self._unresolved[key] = pending
        return self._companions[key]

    def companions(
        self, bucket: Res, types: str | Iterable[str], prop: str = "bucket"
    ) -> list[Res]:
        """Resources of `types` that target `bucket` through `prop`."""
        return list(self._index(types, prop).get(bucket.urn, ()))

    def unresolved(self, types: str | Iterable[str], prop: str = "bucket") -> list[Res]:
        """Resources of `types` whose target bucket cannot be told at preview."""
        self._index(types, prop)
        key = (frozenset([types] if isinstance(types, str) else types), prop)
        return list(self._unresolved[key])

    def policy_documents(self, bucket: Res) -> list[tuple[Res, Any]]:
        """(owner, policy value) for the bucket's BucketPolicy resources and inline policy.

        The legacy inline `policy` of a Bucket counts as the same setting as a BucketPolicy.
        """
        docs = [(r, lookup(r.props, "policy")) for r in self.companions(bucket, BUCKET_POLICY_TYPE)]
        inline = lookup(bucket.props, "policy")
        if inline is not MISSING and inline != "":
            docs.append((bucket, inline))
        return docs

    def trails_for(self, bucket: Res) -> list[Res]:
        return self.companions(bucket, TRAIL_TYPE, "s3BucketName")

    def is_cloudtrail_bucket(self, bucket: Res) -> bool | None:
        """True when a trail writes to it or its policy grants CloudTrail; None if undecidable.

        Undecidable means: no trail names it, but a trail's bucket or one of its policies is
        unknown at preview.
        """
        if self.trails_for(bucket):
            return True
        undecided = bool(self.unresolved(TRAIL_TYPE, "s3BucketName"))
        for _owner, doc in self.policy_documents(bucket):
            if first_unknown(doc) is not None:
                undecided = True
                continue
            try:
                statements = iam.parse_policy(doc)
            except iam.PolicyDocumentError:
                continue
            if any(iam.grants_service(s) for s in statements):
                return True
        return None if undecided else False

    def cloudtrail_buckets(self) -> tuple[list[Res], list[Res]]:
        """(CloudTrail log buckets, buckets that may be ones but cannot be told at preview)."""
        if self._cloudtrail is None:
            sure, maybe = [], []
            for bucket in self.buckets:
                verdict = self.is_cloudtrail_bucket(bucket)
                if verdict:
                    sure.append(bucket)
                elif verdict is None:
                    maybe.append(bucket)
            self._cloudtrail = (sure, maybe)
        return list(self._cloudtrail[0]), list(self._cloudtrail[1])

    def bucket_statements(
        self, bucket: Res, report: Any
    ) -> tuple[list[tuple[Res, iam.Statement]], bool]:
        """((owner, statement) for every statement of the bucket's policies, complete?).

        An unknown or invalid document is reported with `report(message, urn)` (at the owner)
        and makes the result incomplete.
        """
        found: list[tuple[Res, iam.Statement]] = []
        complete = True
        for owner, doc in self.policy_documents(bucket):
            if doc is MISSING:
                continue
            parsed = iam.read_policy(owner, lambda msg, o=owner: report(msg, o.urn))
            if parsed is None:
                complete = False
                continue
            found.extend((owner, s) for s in parsed)
        return found, complete


# The config property of the rules that apply to log buckets, or, when chosen, to every bucket.
CLOUDTRAIL_BUCKETS, ALL_BUCKETS = "cloudTrailBuckets", "allBuckets"
LOG_BUCKET_SCOPE = {
    "type": "string",
    "enum": [CLOUDTRAIL_BUCKETS, ALL_BUCKETS],
    "default": CLOUDTRAIL_BUCKETS,
    "description": "Which buckets the rule applies to.",
}


def in_scope(view: StackView, scope: str) -> tuple[list[Res], list[Res]]:
    """(buckets the rule applies to, buckets it may apply to but cannot tell at preview)."""
    if scope == ALL_BUCKETS:
        return list(view.buckets), []
    return view.cloudtrail_buckets()


def log_buckets(view: StackView, scope: str = CLOUDTRAIL_BUCKETS) -> list[tuple[Res, bool]]:
    """(bucket, maybe) for each bucket a log-bucket rule judges: the buckets in `scope`, then the
    buckets that may be log buckets but cannot be told at preview (`maybe` true)."""
    sure, maybe = in_scope(view, scope)
    return [(b, False) for b in sure] + [(b, True) for b in maybe]


def bucket_from_arn(value: Any) -> Any:
    """The bucket name of an S3 bucket ARN (arn:<partition>:s3:::<name>), an unknown, or None."""
    if is_unknown(value):
        return value
    if not isinstance(value, str):
        return None
    parts = value.split(":", 5)
    if len(parts) != 6 or parts[0] != "arn" or parts[2] != "s3" or not parts[5]:
        return None
    return parts[5].split("/", 1)[0]


def archive_buckets(view: StackView) -> tuple[dict[str, tuple[Res, str]], list[Res]]:
    """The buckets that hold logs or evidence about them, by URN, with their part (LOG_BUCKET,
    ACCESS_LOG_BUCKET, REPLICA_BUCKET); and the buckets that may be log buckets but cannot be
    told at preview.

    The access-log bucket is the `targetBucket` of a log bucket's BucketLogging, the replica a
    `destination.bucket` of its BucketReplicationConfig (by name, or by the engine's property
    dependencies when the name is unknown), each when it is a bucket of this stack.
    """
    sure, maybe = view.cloudtrail_buckets()
    found: dict[str, tuple[Res, str]] = {b.urn: (b, LOG_BUCKET) for b in sure}
    for log in sure:
        for logging in view.companions(log, LOGGING_TYPES):
            for target in view.targets(logging, "targetBucket") or ():
                found.setdefault(target.urn, (target, ACCESS_LOG_BUCKET))
        for config in view.companions(log, REPLICATION_TYPE):
            names = {
                bucket_from_arn(lookup(rule, "destination", "bucket"))
                for rule in (lookup(config.props, "rules") or [])
                if isinstance(rule, dict)
            }
            linked = [view.resource(u) for u in config.property_dependencies.get("rules", ())]
            for bucket in view.buckets:
                named = view.bucket_name(bucket) in names
                if named or (bucket in linked and is_unknown(view.bucket_name(bucket))):
                    found.setdefault(bucket.urn, (bucket, REPLICA_BUCKET))
    return found, maybe


def replication_role_names(view: StackView, bucket: Res) -> tuple[set[str], set[str]]:
    """(role ARNs, role names) that replicate `bucket`: a known `role` ARN, or the name of a Role
    of this stack that the `role` input comes from."""
    arns: set[str] = set()
    names: set[str] = set()
    for config in view.companions(bucket, REPLICATION_TYPE):
        role = lookup(config.props, "role")
        if isinstance(role, str) and not is_unknown(role):
            arns.add(role)
        for urn in config.property_dependencies.get("role", ()):
            found = view.resource(urn)
            name = lookup(found.props, "name") if found and found.type == IAM_ROLE_TYPE else None
            if isinstance(name, str) and not is_unknown(name):
                names.add(name)
    return arns, names


def report_missing(
    view: StackView,
    bucket: Res,
    types: str | Iterable[str],
    what: str,
    absent: str,
    report: Any,
    *,
    maybe: bool = False,
) -> None:
    """Report, at the bucket, that no `what` (a resource of `types`) targets it: the `absent`
    message; or undecided when the bucket may be a log bucket but cannot be told to be one at
    preview (`maybe`), or when a resource of `types` has a 'bucket' unknown at preview."""
    pending = view.unresolved(types)
    if maybe:
        report(maybe_log_bucket(bucket.label, f"it has no {what}"), bucket.urn)
    elif pending:
        names = ", ".join(r.label for r in pending)
        report(
            undecided_because(
                f"no {what} is known to target {bucket.label}; the 'bucket' input of {names} "
                "is unknown."
            ),
            bucket.urn,
        )
    else:
        report(absent, bucket.urn)


def report_required(
    view: StackView,
    bucket: Res,
    types: str | Iterable[str],
    what: str,
    need: str,
    report: Any,
    *,
    maybe: bool,
) -> None:
    """Report that a log bucket, which a rule's config requires to have a `what` (a resource of
    `types`), has none: it "receives CloudTrail logs and must <need>" (`report_missing`)."""
    absent = f"{bucket.label} receives CloudTrail logs and must {need}."
    report_missing(view, bucket, types, what, absent, report, maybe=maybe)


def require_companion(
    view: StackView,
    bucket: Res,
    types: str | Iterable[str],
    what: str,
    report: Any,
) -> list[Res]:
    """The bucket's companions of `types`; reports a missing (or undecidable) one."""
    found = view.companions(bucket, types)
    if not found:
        report_missing(view, bucket, types, what, f"{bucket.label} has no {what}.", report)
    return found
