"""Adopting existing resources: the log bucket, log key, trail and log group named in config are
registered with Pulumi's `import` option (the id pulumi-aws documents for `pulumi import`),
everything else as before; a wrong adoption stops the run before anything is registered, one
line per mistake naming the key."""

from __future__ import annotations

from typing import Any

import pytest

from cloudtrail_logging.settings import ConfigError
from offline.render import preview_document, preview_text
from tests.conftest import MEMBER, SECURITY, archive_config, member_config, parse_config

BUCKET = "acme-cloudtrail-logs"
KEY_ID = "1234abcd-12ab-34cd-56ef-1234567890ab"
KEY_ARN = f"arn:aws:kms:us-east-1:{SECURITY}:key/{KEY_ID}"
TRAIL = "cloudtrail-logging"
TRAIL_ARN = f"arn:aws:cloudtrail:us-east-1:{SECURITY}:trail/{TRAIL}"
GROUP = "CloudTrail/DefaultLogGroup"


def adopting(**overrides: Any) -> dict[str, Any]:
    return archive_config(
        adoptLogBucket=BUCKET, adoptLogKey=KEY_ARN, adoptTrail=TRAIL_ARN, adoptLogGroup=GROUP,
        **overrides,
    )  # fmt: skip


def imports(stack: Any) -> dict[str, str]:
    """Resource name -> import id of every resource the engine would import."""
    return {r.name: r.import_id for r in stack.resources if r.import_id}


def test_the_archive_imports_what_it_adopts_and_creates_the_rest(run_stack) -> None:
    stack = run_stack(adopting())
    assert imports(stack) == {
        "log-archive-bucket": BUCKET,
        "log-archive-policy": BUCKET,
        "log-archive-encryption": BUCKET,
        "log-archive-versioning": BUCKET,
        "log-key-key": KEY_ID,
        "account-trail": TRAIL_ARN,
        "cloudwatch-log-group": GROUP,
    }
    # The adopted resources keep the names the program gives them: nothing to replace.
    assert stack.named("log-archive-bucket").inputs["bucket"] == BUCKET
    assert stack.named("account-trail").inputs["name"] == TRAIL
    assert stack.named("cloudwatch-log-group").inputs["name"] == GROUP
    assert stack.named("account-trail").inputs["s3BucketName"] == BUCKET
    # Every setting the archive guards with stays protected, the imported ones too.
    for name in ("log-archive-bucket", "log-archive-policy", "log-key-key", "account-trail"):
        assert stack.named(name).protect, name
    # The rest is new: the lifecycle, Block Public Access, the key's alias.
    for name in ("log-archive-lifecycle", "log-archive-public-access-block", "log-key-alias"):
        assert stack.named(name).import_id == ""


def test_the_adopted_names_run_through_the_documents(run_stack) -> None:
    stack = run_stack(adopting())
    policy = stack.policy("aws:s3/bucketPolicy:BucketPolicy")
    resources = {r for s in policy["Statement"] for r in [s.get("Resource")] if isinstance(r, str)}
    assert f"arn:aws:s3:::{BUCKET}" in resources
    role_policy = stack.named("cloudwatch-delivery-policy").inputs["policy"]
    assert f"log-group:{GROUP}" in role_policy
    # The log group's key keeps the project's alias, which the guardrail policy protects.
    assert stack.named("cloudwatch-logs-key-alias").inputs["name"] == (
        "alias/cloudtrail-logging-cloudtrail-logs"
    )
    assert stack.result.outputs["logBucketName"] == BUCKET


def test_a_member_adopts_its_trail_and_log_group(run_stack) -> None:
    from tests.conftest import archive_outputs

    arn = f"arn:aws:cloudtrail:eu-west-1:{MEMBER}:trail/{TRAIL}"
    stack = run_stack(member_config(adoptTrail=TRAIL, adoptLogGroup=GROUP), archive_outputs())
    assert imports(stack) == {"account-trail": arn, "cloudwatch-log-group": GROUP}


def test_the_preview_shows_import_steps(run_stack) -> None:
    stack = run_stack(adopting())
    text = preview_text(stack.result)
    assert "log-archive-bucket" in text
    lines = [line for line in text.splitlines() if line.startswith("  =  ")]
    assert len(lines) == 7
    assert "    = 7 to import" in text
    created = len([r for r in stack.resources if not r.read]) - 7 + 1
    assert f"    + {created} to create" in text
    document = preview_document(stack.result)
    assert {r["name"]: r["importId"] for r in document["resources"] if r["importId"]} == imports(
        stack
    )


def test_without_adoption_nothing_is_imported(run_stack) -> None:
    stack = run_stack(archive_config())
    assert imports(stack) == {}
    assert "to import" not in preview_text(stack.result)


@pytest.mark.parametrize(
    ("values", "line"),
    [
        (
            archive_config(adoptLogBucket="Bad_Bucket"),
            "cloudtrail-logging:adoptLogBucket: expected an S3 bucket name: ",
        ),
        (
            archive_config(adoptLogBucket=BUCKET, logBucketName="another-bucket"),
            "cloudtrail-logging:adoptLogBucket: expected the bucket named by logBucketName "
            '(another-bucket), or logBucketName unset: a bucket cannot be renamed (got "'
            f'{BUCKET}")',
        ),
        (
            archive_config(adoptLogKey=KEY_ARN.replace("us-east-1", "eu-west-1")),
            "cloudtrail-logging:adoptLogKey: expected a KMS key ARN arn:aws:kms:us-east-1:"
            f"{SECURITY}:key/<key id> of this stack's account and Region",
        ),
        (
            archive_config(adoptLogKey="alias/mine"),
            "cloudtrail-logging:adoptLogKey: expected a KMS key ARN (got \"alias/mine\")",
        ),
        (
            archive_config(adoptLogKey=KEY_ARN, encryption="sse-s3"),
            "cloudtrail-logging:adoptLogKey: expected no value unless encryption is sse-kms",
        ),
        (
            archive_config(adoptTrail="org-trail"),
            "cloudtrail-logging:adoptTrail: expected the trail named cloudtrail-logging "
            "(trailName): a trail cannot be renamed, so set trailName to the existing trail's "
            'name in every stack (got "org-trail")',
        ),
        (
            archive_config(adoptTrail=TRAIL_ARN.replace(SECURITY, MEMBER)),
            "cloudtrail-logging:adoptTrail: expected a trail ARN arn:aws:cloudtrail:us-east-1:"
            f"{SECURITY}:trail/<name> (this stack's account and home Region), or a trail name",
        ),
        (
            archive_config(adoptTrail="arn:aws:s3:::not-a-trail"),
            "cloudtrail-logging:adoptTrail: expected a trail ARN arn:aws:cloudtrail:us-east-1:"
            f"{SECURITY}:trail/<name>, or a trail name",
        ),
        (
            archive_config(adoptLogGroup="aws/reserved"),
            "cloudtrail-logging:adoptLogGroup: expected a CloudWatch Logs group name: ",
        ),
        (
            archive_config(adoptLogGroup=GROUP, cisControls=[]),
            "cloudtrail-logging:adoptLogGroup: expected no value while the stack has no log "
            "group (cisControls and apiAlerts empty)",
        ),
        (
            member_config(adoptLogBucket=BUCKET),
            "cloudtrail-logging:adoptLogBucket: expected no value on a member stack: it is a "
            "log-archive setting",
        ),
    ],
)
def test_a_wrong_adoption_is_one_line_naming_the_key(values: dict[str, Any], line: str) -> None:
    with pytest.raises(ConfigError) as raised:
        parse_config(values)
    assert len(raised.value.problems) == 1, raised.value.problems
    assert raised.value.problems[0].startswith(line), raised.value.problems[0]


def test_a_wrong_adoption_registers_nothing(run_stack) -> None:
    from engine_model.program import ProgramError

    with pytest.raises(ProgramError) as raised:
        run_stack(archive_config(adoptTrail="org-trail"))
    assert raised.value.registered == ()


def test_the_adopted_bucket_is_the_log_bucket(run_stack) -> None:
    settings = parse_config(archive_config(adoptLogBucket=BUCKET))
    assert settings.log_bucket_name == BUCKET
    same = parse_config(archive_config(adoptLogBucket=BUCKET, logBucketName=BUCKET))
    assert same.adopt.log_bucket == BUCKET
