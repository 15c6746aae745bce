"""What a bucket of the stack is set up with, read the same way by every rule that needs it:
its default encryption and its Object Lock.

A bucket's setting may be a split companion resource (found through `stack.StackView`) or the
legacy inline block of an aws.s3.Bucket; both are read here, so no rule reads them on its own.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from guardrails.stack import StackView
from guardrails.support import (
    BUCKET_TYPES,
    MISSING,
    OBJECT_LOCK_TYPES,
    SSE_TYPES,
    Res,
    is_unknown,
    lookup,
)

# --- default encryption -------------------------------------------------------------------------

KMS_ALGORITHMS = ("aws:kms", "aws:kms:dsse")

# Keys on the path to `sseAlgorithm` in the pulumi-aws shapes (Bucket, BucketV2, split resource).
_CONTAINERS = frozenset(
    {
        "serverSideEncryptionConfiguration",
        "serverSideEncryptionConfigurations",
        "rule",
        "rules",
        "applyServerSideEncryptionByDefault",
        "applyServerSideEncryptionByDefaults",
    }
)


def _algorithms(value: Any) -> list[Any]:
    """Every `sseAlgorithm` in an SSE configuration tree (any pulumi-aws shape).

    An unknown container that could hold one yields the unknown itself.
    """
    if is_unknown(value):
        return [value]
    found: list[Any] = []
    if isinstance(value, dict):
        for key, item in value.items():
            if key == "sseAlgorithm" and item is not None:
                found.append(item)
            elif key in _CONTAINERS:
                found.extend(_algorithms(item))
    elif isinstance(value, list):
        for item in value:
            found.extend(_algorithms(item))
    return found


def bucket_algorithms(view: StackView, bucket: Res) -> list[Any]:
    """Every `sseAlgorithm` of the bucket's default encryption (inline and split resources)."""
    algos = []
    algos.extend(_algorithms(bucket.props))
    for sse in view.companions(bucket, SSE_TYPES):
        algos.extend(_algorithms(sse.props))
    return algos


def is_sse_kms(view: StackView, bucket: Res) -> bool | None:
    """Whether the bucket's default encryption is SSE-KMS; None when unknown."""
    algos = bucket_algorithms(view, bucket)
    if any(a in KMS_ALGORITHMS for a in algos):
        return True
    return None if any(is_unknown(a) for a in algos) else False


# --- Object Lock --------------------------------------------------------------------------------


@dataclass(frozen=True)
class Lock:
    """One Object Lock configuration of a bucket, as the rules read it."""

    owner: Res  # the configuration resource, or the bucket for the legacy inline form
    enabled: Any  # "Enabled", another value, MISSING, or an unknown
    retention: Any  # the defaultRetention mapping, MISSING, or an unknown

    @property
    def where(self) -> str:
        return "objectLockConfiguration" if self.owner.type in BUCKET_TYPES else ""


def locks(view: StackView, bucket: Res) -> list[Lock]:
    """The bucket's Object Lock configurations: split resources and the legacy inline block."""
    found = []
    for res in view.companions(bucket, OBJECT_LOCK_TYPES):
        enabled = lookup(res.props, "objectLockEnabled")
        # The provider's default for objectLockEnabled is "Enabled" (its only valid value).
        found.append(
            Lock(
                res,
                "Enabled" if enabled is MISSING else enabled,
                lookup(res.props, "rule", "defaultRetention"),
            )
        )
    inline = lookup(bucket.props, "objectLockConfiguration")
    if inline is not MISSING and inline != {}:
        enabled = lookup(inline, "objectLockEnabled")
        if enabled is MISSING:  # the deprecated nested flag gave way to the bucket's own one
            top = lookup(bucket.props, "objectLockEnabled")
            enabled = top if is_unknown(top) else ("Enabled" if top is True else MISSING)
        found.append(Lock(bucket, enabled, lookup(inline, "rule", "defaultRetention")))
    return found


def is_locked(view: StackView, bucket: Res) -> bool | None:
    """Whether the bucket has Object Lock on (a configuration or objectLockEnabled true).

    None when it cannot be told at preview.
    """
    verdict: bool | None = False
    flag = lookup(bucket.props, "objectLockEnabled")
    if flag is True:
        return True
    if is_unknown(flag):
        verdict = None
    for lock in locks(view, bucket):
        if lock.enabled == "Enabled":
            return True
        if is_unknown(lock.enabled):
            verdict = None
    if view.unresolved(OBJECT_LOCK_TYPES):
        verdict = None if verdict is False else verdict
    return verdict
