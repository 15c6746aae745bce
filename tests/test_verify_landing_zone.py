"""`verify` on top of an existing landing zone, against moto: the organization trail a stack
relies on and the archive bucket it must not modify are checked, read only."""

from __future__ import annotations

from typing import Any

import pytest

from tests import test_verify
from tests.test_verify import ACCOUNT, aws_client, build_archive, failures, run
from verify.checks import Result

aws = test_verify.aws  # the moto fixture, for every test here
pytestmark = pytest.mark.usefixtures("aws")

CT_BUCKET = f"aws-controltower-logs-{ACCOUNT}-us-east-1"
CT_TRAIL = "aws-controltower-BaselineCloudTrail"


def control_tower(*, versioned: bool = True, organization: bool = True) -> str:
    """Control Tower's log archive bucket and organization trail, as moto holds them; the
    trail's ARN."""
    s3 = aws_client("s3")
    s3.create_bucket(Bucket=CT_BUCKET)
    if versioned:
        s3.put_bucket_versioning(Bucket=CT_BUCKET, VersioningConfiguration={"Status": "Enabled"})
    s3.put_public_access_block(Bucket=CT_BUCKET, PublicAccessBlockConfiguration=dict.fromkeys(
        ("BlockPublicAcls", "IgnorePublicAcls", "BlockPublicPolicy", "RestrictPublicBuckets"),
        True))  # fmt: skip
    cloudtrail = aws_client("cloudtrail")
    arn = cloudtrail.create_trail(
        Name=CT_TRAIL, S3BucketName=CT_BUCKET, IsMultiRegionTrail=True,
        EnableLogFileValidation=True, IsOrganizationTrail=organization,
    )["TrailARN"]  # fmt: skip
    cloudtrail.start_logging(Name=CT_TRAIL)
    return str(arn)


def existing(results: list[Result]) -> dict[str, str]:
    return {r.check: r.status for r in results if r.check.startswith("existing")}


def test_a_member_on_an_organization_trail_checks_that_trail() -> None:
    outputs = build_archive()
    trail = control_tower()
    for name in ("memberAccounts", "encryption", "organizationId"):
        del outputs[name]
    outputs.update(role="member", trailArn="", existingTrailArn=trail, logGroupName="")
    results = run(outputs)
    assert failures(results) == []
    assert not [r for r in results if r.check.startswith("trail")]  # it has no trail of its own
    assert existing(results) == {
        "existing trail logging": "PASS", "existing trail delivery errors": "PASS",
        "existing trail last delivery": "PASS", "existing trail settings": "PASS",
    }  # fmt: skip


def test_a_log_archive_on_an_existing_bucket_checks_it_and_only_its_own_delivery() -> None:
    outputs: dict[str, Any] = build_archive()
    outputs |= {"existingTrailArn": control_tower(), "existingArchiveBucketName": CT_BUCKET,
                "memberAccounts": ["999999999999"]}  # fmt: skip
    results = run(outputs)
    assert failures(results) == []  # the member's logs are in the existing bucket, not here
    assert {"existing bucket versioning", "existing bucket public access block",
            "existing trail settings", "trail settings"} <= {r.check for r in results}


def test_drift_of_the_existing_trail_and_bucket_fails() -> None:
    outputs: dict[str, Any] = build_archive()
    outputs |= {"existingTrailArn": control_tower(versioned=False, organization=False),
                "existingArchiveBucketName": "another-bucket"}  # fmt: skip
    aws_client("s3").create_bucket(Bucket="another-bucket")
    results = {r.check: r for r in run(outputs)}
    settings = results["existing trail settings"]
    assert settings.status == "FAIL" and "not an organization trail" in settings.detail
    assert f"bucket {CT_BUCKET!r}" in settings.detail
    assert results["existing bucket versioning"].status == "FAIL"
