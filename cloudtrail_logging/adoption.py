"""Adopting existing resources: the first `pulumi up` imports them instead of creating new ones.

An existing log bucket, log key, trail and CloudWatch Logs group are named in config
(`adoptLogBucket`, `adoptLogKey`, `adoptTrail`, `adoptLogGroup`); the program then registers
each with Pulumi's `import` resource option and the identifier pulumi-aws 7 documents for
`pulumi import` (the `## Import` section of each resource's module): a bucket, its policy, its
default encryption and its versioning by the bucket's name, a key by its id, a trail by its ARN,
a log group by its name.

What the engine does with it (pulumi/pulumi v3.276.0, pkg/resource/deploy/step_generator.go,
`generateSteps`: `isImport`; step.go, `ImportStep.Apply`): an import step reads the resource
(the provider's Read with the id; "resource '<id>' does not exist" fails the run), then the
program's inputs are diffed against what was read as for any update: a difference is an
in-place update, shown by `pulumi preview --diff`; a difference that needs a replacement is
refused ("previously-imported resources that still specify an ID may not be replaced"). Only
names and the Region force a replacement of these resources, so every check here keeps those
equal to what the program would give them.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass

from cloudtrail_logging.aws import names, patterns
from cloudtrail_logging.aws.arns import trail_arn

# (key, expected form, what the user wrote) for each problem, in config order.
Problem = tuple[str, str, str]
ADOPT_KEYS = ("adoptLogBucket", "adoptLogKey", "adoptTrail", "adoptLogGroup")


@dataclass(frozen=True)
class Adoption:
    """The existing resources a stack imports; None: created by the stack as usual."""

    log_bucket: str | None = None
    """The bucket's name: the import id of the bucket, its policy, encryption and versioning."""
    log_key_arn: str | None = None
    trail_arn: str | None = None
    log_group: str | None = None

    @property
    def log_key_id(self) -> str | None:
        """The key's import id: its key id, the last part of its ARN."""
        return self.log_key_arn.rsplit("/", 1)[1] if self.log_key_arn else None


@dataclass(frozen=True)
class Context:
    """What the adopted resources must agree with: the stack's own settings."""

    account_id: str
    region: str
    partition: str
    trail_name: str
    log_bucket_name: str | None
    """`logBucketName` as configured; None when derived."""
    encryption: str | None
    """The log bucket's encryption; None on a member stack, which has no log bucket."""
    has_log_group: bool
    """The stack has a CloudWatch Logs group (cisControls or apiAlerts are not empty)."""


def _trail(value: str, c: Context) -> tuple[str | None, str | None]:
    """(trail ARN, problem) for an ARN or a name."""
    form = f"a trail ARN arn:{c.partition}:cloudtrail:{c.region}:{c.account_id}:trail/<name>"
    match = re.fullmatch(patterns.TRAIL_ARN, value)
    if match is not None:
        if (match["account"], match["region"]) != (c.account_id, c.region):
            return None, f"{form} (this stack's account and home Region), or a trail name"
        name = match["name"]
    elif value.startswith("arn:"):
        return None, f"{form}, or a trail name"
    else:
        name = value
    if name != c.trail_name:
        return None, (
            f"the trail named {c.trail_name} (trailName): a trail cannot be renamed, so set "
            "trailName to the existing trail's name in every stack"
        )
    return trail_arn(c.partition, c.region, c.account_id, name), None


def read_adoption(values: Mapping[str, str | None], c: Context) -> tuple[Adoption, list[Problem]]:
    """The adoption `values` (adopt key -> value or None) ask for, and every problem with them."""
    problems: list[Problem] = []
    bucket = values.get("adoptLogBucket")
    if bucket is not None:
        problem = names.check_bucket_name(bucket)
        if problem is not None:
            problems.append(("adoptLogBucket", f"an S3 bucket name: {problem}", bucket))
            bucket = None
        elif c.log_bucket_name not in (None, bucket):
            problems.append((
                "adoptLogBucket",
                f"the bucket named by logBucketName ({c.log_bucket_name}), or logBucketName "
                "unset: a bucket cannot be renamed",
                bucket,
            ))  # fmt: skip
            bucket = None
    key = values.get("adoptLogKey")
    if key is not None:
        match = re.fullmatch(patterns.KMS_KEY_ARN, key)
        if c.encryption != "sse-kms":
            problems.append(("adoptLogKey", "no value unless encryption is sse-kms", key))
            key = None
        elif match is None or key.split(":")[3:5] != [c.region, c.account_id]:
            problems.append((
                "adoptLogKey",
                f"a KMS key ARN arn:{c.partition}:kms:{c.region}:{c.account_id}:key/<key id> of "
                "this stack's account and Region",
                key,
            ))  # fmt: skip
            key = None
    trail = values.get("adoptTrail")
    arn = None
    if trail is not None:
        arn, problem = _trail(trail, c)
        if problem is not None:
            problems.append(("adoptTrail", problem, trail))
    group = values.get("adoptLogGroup")
    if group is not None:
        problem = names.check_log_group_name(group)
        if not c.has_log_group:
            problems.append((
                "adoptLogGroup",
                "no value while the stack has no log group (cisControls and apiAlerts empty)",
                group,
            ))  # fmt: skip
            group = None
        elif problem is not None:
            problems.append(("adoptLogGroup", f"a CloudWatch Logs group name: {problem}", group))
            group = None
    adoption = Adoption(log_bucket=bucket, log_key_arn=key, trail_arn=arn, log_group=group)
    return adoption, problems
