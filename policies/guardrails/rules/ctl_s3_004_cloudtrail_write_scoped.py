"""ctl-s3-004: CloudTrail's PutObject grant is limited to AWSLogs/ and guarded against
confused deputies."""

from __future__ import annotations

from pulumi_policy import Severity

from guardrails import cloudtrail_grants as grants
from guardrails import iam


def _put_object_only(stmt: iam.Statement) -> list[str]:
    extra = [a for a in stmt.actions if a.lower() != "s3:putobject"]
    return [f"{stmt.label} grants more than s3:PutObject"] if stmt.not_action or extra else []


check, POLICY = grants.grant_rule(
    "s3:PutObject",
    objects=True,
    grant="the write grant",
    own_problems=_put_object_only,
    name="ctl-s3-004-cloudtrail-write-scoped",
    description=(
        "A bucket policy's s3:PutObject grant to cloudtrail.amazonaws.com is limited to "
        "<bucket>/[prefix/]AWSLogs/..., to s3:PutObject only, and carries aws:SourceArn and/or "
        "aws:SourceAccount conditions."
    ),
    severity=Severity.HIGH,
    remediation=(
        "Resource arn:aws:s3:::<bucket>/AWSLogs/<account-id>/*, Condition StringEquals "
        "aws:SourceArn arn:aws:cloudtrail:<region>:<account-id>:trail/<name>."
    ),
)
