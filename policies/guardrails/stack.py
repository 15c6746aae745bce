"""A stack-wide index: which companion resources and trails point at which bucket."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from guardrails import iam
from guardrails.support import (
    BUCKET_POLICY_TYPE,
    BUCKET_TYPES,
    MISSING,
    TRAIL_TYPE,
    Res,
    first_unknown,
    is_unknown,
    lookup,
)


class StackView:
    """Links resources to the buckets they configure.

    A companion resource (SSE config, versioning, bucket policy, ...) targets a bucket when its
    `bucket` input equals the bucket's `bucket` name. When that input is unknown at preview, the
    engine's property dependencies still say which resource it came from: a companion whose
    `bucket` depends on exactly the bucket resources in this stack is linked to those.
    """

    def __init__(self, resources: Iterable[Res]) -> None:
        self.resources = list(resources)
        self.buckets = [r for r in self.resources if r.type in BUCKET_TYPES]

    def of_type(self, types: str | Iterable[str]) -> list[Res]:
        wanted = {types} if isinstance(types, str) else set(types)
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
        value = lookup(res.props, prop)
        deps = set(res.property_dependencies.get(prop, ()))
        if value is MISSING:
            return []
        if is_unknown(value):
            linked = [b for b in self.buckets if b.urn in deps]
            return linked or None
        return [
            b
            for b in self.buckets
            if self.bucket_name(b) == value or (is_unknown(self.bucket_name(b)) and b.urn in deps)
        ]

    def companions(self, bucket: Res, types: str | Iterable[str]) -> list[Res]:
        """Resources of `types` that target `bucket`."""
        return [r for r in self.of_type(types) if bucket in (self.targets(r) or [])]

    def unresolved(self, types: str | Iterable[str], prop: str = "bucket") -> list[Res]:
        """Resources of `types` whose target bucket cannot be told at preview."""
        return [r for r in self.of_type(types) if self.targets(r, prop) is None]

    def policy_documents(self, bucket: Res) -> list[tuple[Res, Any]]:
        """(owner, policy value) for the bucket's BucketPolicy resources and inline policy."""
        docs = [(r, lookup(r.props, "policy")) for r in self.companions(bucket, BUCKET_POLICY_TYPE)]
        inline = lookup(bucket.props, "policy")
        if inline is not MISSING and inline != "":
            docs.append((bucket, inline))
        return docs

    def trails_for(self, bucket: Res) -> list[Res]:
        trails = self.of_type(TRAIL_TYPE)
        return [t for t in trails if bucket in (self.targets(t, "s3BucketName") or [])]

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
        sure, maybe = [], []
        for bucket in self.buckets:
            verdict = self.is_cloudtrail_bucket(bucket)
            if verdict:
                sure.append(bucket)
            elif verdict is None:
                maybe.append(bucket)
        return sure, maybe


def require_companion(
    view: StackView,
    bucket: Res,
    types: str | Iterable[str],
    what: str,
    report: Any,
) -> list[Res]:
    """The bucket's companions of `types`; reports a missing (or undecidable) one."""
    found = view.companions(bucket, types)
    if found:
        return found
    pending = view.unresolved(types)
    if pending:
        names = ", ".join(r.label for r in pending)
        report(
            f"cannot be judged at preview: {bucket.label} has no {what} that is known to target "
            f"it; the 'bucket' input of {names} is unknown.",
            bucket.urn,
        )
    else:
        report(f"{bucket.label} has no {what}.", bucket.urn)
    return []
