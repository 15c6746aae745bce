"""ctl-s3-024: a CloudTrail log bucket's replication (required only when configured so) makes a
complete, independent copy in another Region.

The configuration is an aws.s3.BucketReplicationConfig whose `bucket` is the log bucket, or the
legacy inline `replicationConfiguration` of a Bucket. Checks, with where each is stated:

* At least one rule has status Enabled: a configuration of disabled rules replicates nothing
  (S3 API Reference, "ReplicationRule", Status).
* No enabled rule replicates delete markers (`deleteMarkerReplication.status`, inline
  `deleteMarkerReplicationStatus`): a deletion in the archive would then hide the copy's logs
  too (S3 User Guide, "Replicating delete markers between buckets",
  https://docs.aws.amazon.com/AmazonS3/latest/userguide/delete-marker-replication.html).
* When the log bucket's default encryption is SSE-KMS, each enabled rule selects SSE-KMS
  objects (`sourceSelectionCriteria.sseKmsEncryptedObjects.status` Enabled, inline `.enabled`
  true) and names a replica key (`destination.encryptionConfiguration.replicaKmsKeyId`, inline
  `destination.replicaKmsKeyId`): by default S3 does not replicate objects encrypted with
  SSE-KMS (S3 User Guide, "Replicating encrypted objects",
  https://docs.aws.amazon.com/AmazonS3/latest/userguide/replication-config-for-kms-objects.html).
* The copy is in another Region (Security Hub S3.7, "S3 general purpose buckets should use
  cross-Region replication", https://docs.aws.amazon.com/securityhub/latest/userguide/
  s3-controls.html#s3-7). Told only when the destination (`destination.bucket`, an ARN
  arn:<partition>:s3:::<name>) is a bucket of this stack and both buckets set a known `region`
  (pulumi-aws v7 per-resource Region); otherwise the Region is not this stack's to see.
"""

from __future__ import annotations

from typing import Any

from pulumi_policy import Severity

from guardrails.buckets import is_sse_kms
from guardrails.declare import Compliance, required_option, stack_policy
from guardrails.stack import StackView, bucket_from_arn, log_buckets, report_required
from guardrails.support import (
    MISSING,
    REPLICATION_TYPE,
    Res,
    first_unknown,
    is_set,
    is_unknown,
    lookup,
    undecided,
    undecided_because,
)


def configurations(view: StackView, bucket: Res) -> list[tuple[Res, Any, bool]]:
    """(owner, rules value, legacy inline form?) per replication configuration of the bucket."""
    found = [
        (r, lookup(r.props, "rules"), False) for r in view.companions(bucket, REPLICATION_TYPE)
    ]
    inline = lookup(bucket.props, "replicationConfiguration")
    if inline is not MISSING and inline != {}:
        found.append((bucket, lookup(inline, "rules"), True))
    return found


def _judge_kms(owner: Res, label: str, rule: Any, legacy: bool, report: Any) -> None:
    # "Replicating encrypted objects": SSE-KMS objects replicate only when selected and given a
    # replica key.
    if legacy:
        selected = lookup(rule, "sourceSelectionCriteria", "sseKmsEncryptedObjects", "enabled")
        ok_selected = selected is True
        key = lookup(rule, "destination", "replicaKmsKeyId")
        field = "sourceSelectionCriteria.sseKmsEncryptedObjects.enabled"
        key_field = "destination.replicaKmsKeyId"
    else:
        selected = lookup(rule, "sourceSelectionCriteria", "sseKmsEncryptedObjects", "status")
        ok_selected = selected == "Enabled"
        key = lookup(rule, "destination", "encryptionConfiguration", "replicaKmsKeyId")
        field = "sourceSelectionCriteria.sseKmsEncryptedObjects.status"
        key_field = "destination.encryptionConfiguration.replicaKmsKeyId"
    if is_unknown(selected):
        report(undecided(owner.label, f"{label}.{field}"), owner.urn)
    elif not ok_selected:
        report(
            f"{owner.label}: replication {label} does not select SSE-KMS encrypted objects "
            f"({field}), so the SSE-KMS log files are not replicated.",
            owner.urn,
        )
    if not is_set(key):  # a key id unknown at preview is present: it resolves to a real key
        report(
            f"{owner.label}: replication {label} names no replica KMS key ({key_field}); S3 "
            "needs one to replicate SSE-KMS log files.",
            owner.urn,
        )


def _judge_region(
    view: StackView, bucket: Res, owner: Res, label: str, rule: Any, report: Any
) -> None:
    # Security Hub S3.7: the copy is in another Region. Only judged for an in-stack destination
    # whose Region and the source's are both set.
    name = bucket_from_arn(lookup(rule, "destination", "bucket"))
    if is_unknown(name):
        # The engine's property dependencies of `rules` name the buckets it was built from.
        prop = "replicationConfiguration" if owner is bucket else "rules"
        deps = set(owner.property_dependencies.get(prop, ()))
        candidates = [b for b in view.buckets if b.urn in deps and b is not bucket]
        if not candidates:
            if any(is_set(lookup(b.props, "region")) for b in view.buckets if b is not bucket):
                report(
                    undecided(
                        owner.label,
                        f"{label}.destination.bucket",
                        "whether the copy is in another Region depends on it",
                    ),
                    owner.urn,
                )
            return
    elif isinstance(name, str):
        candidates = [b for b in view.buckets if view.bucket_name(b) == name]
    else:
        return
    source_region = lookup(bucket.props, "region")
    for dest in candidates:
        dest_region = lookup(dest.props, "region")
        if source_region is MISSING or dest_region is MISSING:
            continue
        if is_unknown(source_region) or is_unknown(dest_region):
            report(
                undecided_because(
                    f"the 'region' of {bucket.label} or of its replica {dest.label} is unknown, "
                    "so whether the copy is in another Region cannot be told."
                ),
                owner.urn,
            )
        elif source_region == dest_region:
            report(
                f"{owner.label}: {bucket.label} is replicated to {dest.label} in the same Region "
                f"({source_region}); the copy must be in another Region (Security Hub S3.7).",
                owner.urn,
            )


def _judge(view: StackView, bucket: Res, owner: Res, rules: Any, legacy: bool, report: Any) -> None:
    where = "replicationConfiguration.rules" if legacy else "rules"
    if is_unknown(rules):
        report(undecided(owner.label, where), owner.urn)
        return
    enabled: list[tuple[str, Any]] = []
    unknown_status = False
    for index, rule in enumerate(rules if isinstance(rules, list) else []):
        label = f"{where}[{index}]"
        status = lookup(rule, "status")
        if is_unknown(status):
            report(undecided(owner.label, f"{label}.status"), owner.urn)
            unknown_status = True
        elif status == "Enabled":
            enabled.append((label, rule))
    # S3 API Reference, "ReplicationRule": only rules with Status Enabled replicate.
    if not enabled:
        if not unknown_status:
            report(
                f"{owner.label}: the replication configuration of {bucket.label} has no rule "
                "with status Enabled, so nothing is replicated.",
                owner.urn,
            )
        return
    kms = is_sse_kms(view, bucket)
    for label, rule in enabled:
        # "Replicating delete markers between buckets": deletions in the archive must not reach
        # the evidence copy.
        if legacy:
            marker = lookup(rule, "deleteMarkerReplicationStatus")
            marker_field = "deleteMarkerReplicationStatus"
        else:
            marker = lookup(rule, "deleteMarkerReplication", "status")
            marker_field = "deleteMarkerReplication.status"
        if is_unknown(marker):
            report(undecided(owner.label, f"{label}.{marker_field}"), owner.urn)
        elif marker == "Enabled":
            report(
                f"{owner.label}: replication {label} replicates delete markers "
                f"({marker_field} Enabled): a deletion in {bucket.label} would hide the logs in "
                "the copy too. Set it to Disabled.",
                owner.urn,
            )
        if kms is None:
            unknown = first_unknown(lookup(rule, "sourceSelectionCriteria")) is not None
            selected = not unknown and lookup(
                rule, "sourceSelectionCriteria", "sseKmsEncryptedObjects"
            ) not in (MISSING, {})
            if not selected:
                report(
                    undecided_because(
                        f"the default encryption of {bucket.label} is unknown, so whether "
                        f"replication {label} must select SSE-KMS objects cannot be told."
                    ),
                    owner.urn,
                )
        elif kms:
            _judge_kms(owner, label, rule, legacy, report)
        _judge_region(view, bucket, owner, label, rule, report)


def check(resources: list[Res], cfg: dict[str, Any], report: Any) -> None:
    view = StackView(resources)
    for bucket, maybe in log_buckets(view):
        found = configurations(view, bucket)
        for owner, rules, legacy in found:
            _judge(view, bucket, owner, rules, legacy, report)
        # Security Hub S3.7 (with `required`): the bucket is replicated at all.
        if not found and cfg["required"]:
            need = "be replicated to another Region (add an aws.s3.BucketReplicationConfig)"
            what = "replication configuration"
            report_required(view, bucket, REPLICATION_TYPE, what, need, report, maybe=maybe)


POLICY = stack_policy(
    name="ctl-s3-024-log-bucket-replication",
    description=(
        "A CloudTrail log bucket's replication (required only when configured so) has an enabled "
        "rule, replicates no delete markers, replicates SSE-KMS log files, and goes to another "
        "Region."
    ),
    check=check,
    severity=Severity.MEDIUM,
    config={
        "required": required_option(
            "Require a replication configuration on every CloudTrail log bucket."
        ),
    },
    remediation=(
        "Add aws.s3.BucketReplicationConfig for the log bucket: a rule with status Enabled, "
        "delete_marker_replication Disabled, source_selection_criteria.sse_kms_encrypted_objects "
        "Enabled and destination.encryption_configuration.replica_kms_key_id (SSE-KMS), to a "
        "bucket in another Region."
    ),
    compliance=Compliance(security_hub=("S3.7",)),
)
