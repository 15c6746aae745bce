"""The one home of every identifier pattern the project checks (regular expressions, full match).

Config validation, stack-output validation and the policy documents all import from here, so an
account id or an ARN means the same thing everywhere. Resource *names* are checked against
AWS's naming rules in `aws_names`.
"""

from __future__ import annotations

PARTITION = r"aws(-cn|-us-gov)?"
REGION = r"[a-z]{2}(-gov)?-[a-z]+-[0-9]"
ACCOUNT_ID = r"[0-9]{12}"
ORGANIZATION_ID = r"o-[a-z0-9]{10,32}"
# Organizations: a root is r-<4-32>, an OU is ou-<root part>-<8-32> (Organizations API reference,
# "OrganizationalUnit" and "Root" Id patterns).
ORGANIZATIONAL_UNIT_ID = r"(r-[0-9a-z]{4,32}|ou-[0-9a-z]{4,32}-[a-z0-9]{8,32})"
NAME_PREFIX = r"[a-z][a-z0-9-]{1,28}[a-z0-9]"
LAMBDA_ARN = (
    rf"arn:{PARTITION}:lambda:{REGION}:{ACCOUNT_ID}:function:[A-Za-z0-9_-]{{1,64}}"
    r"(:(\$LATEST|[A-Za-z0-9_-]{1,128}))?"
)
KMS_KEY_ARN = rf"arn:{PARTITION}:kms:{REGION}:{ACCOUNT_ID}:key/[0-9a-f-]{{36}}"
EVENT_BUS_ARN = rf"arn:{PARTITION}:events:{REGION}:{ACCOUNT_ID}:event-bus/[A-Za-z0-9._/-]{{1,256}}"
ROLE_ARN = rf"arn:{PARTITION}:iam::{ACCOUNT_ID}:role/[A-Za-z0-9+=,.@_/-]{{1,512}}"
# A principal that may administer the archive: an IAM role, never an IAM user (long-term
# credentials an account administrator could mint for itself) nor the root user.
ADMINISTRATOR_ARN = ROLE_ARN
# A role ARN pattern for an ArnLike exemption: `*` for any account, `*` in the name.
ROLE_ARN_PATTERN = rf"arn:{PARTITION}:iam::({ACCOUNT_ID}|\*):role/[A-Za-z0-9+=,.@_/*-]{{1,512}}"
# A trail's ARN names its home Region (CloudTrail API Reference, "Trail": TrailARN); the name
# part follows the trail-name rule's characters, its full rule is `aws_names` "cloudtrail-trail".
TRAIL_ARN = (
    rf"arn:(?P<partition>{PARTITION}):cloudtrail:(?P<region>{REGION}):(?P<account>{ACCOUNT_ID}):"
    r"trail/(?P<name>[A-Za-z0-9._-]{3,128})"
)
LOG_GROUP_ARN = (
    rf"arn:(?P<partition>{PARTITION}):logs:(?P<region>{REGION}):(?P<account>{ACCOUNT_ID}):"
    r"log-group:(?P<name>[A-Za-z0-9_/.#-]{1,512})(?::\*)?"
)
# S3 object key prefix in front of AWSLogs/: segments of S3's "safe" characters, no leading or
# trailing slash, and not AWSLogs itself (S3 user guide, "Naming Amazon S3 objects").
KEY_PREFIX = r"(?!AWSLogs(/|$))[A-Za-z0-9!_.*'()-]+(/[A-Za-z0-9!_.*'()-]+)*"
# <organization>/<project>/<stack> (Pulumi Cloud or DIY `organization`), or a bare stack name.
STACK_REFERENCE = r"([A-Za-z0-9_.-]+/[A-Za-z0-9_.-]+/)?[A-Za-z0-9_.-]+"
EMAIL = r"[^@\s\"]+@[^@\s\"]+\.[A-Za-z]{2,}"
