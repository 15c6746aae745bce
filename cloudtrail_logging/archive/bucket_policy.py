"""The central log bucket's policy, as plain data.

Shape, and why (see README "Bucket policy at scale"):

- The account list appears once, in an explicit Deny, so the policy stays under S3's 20 KB
  limit at 1,000 accounts and no later Allow can widen the set of writers.
- Only deliveries from a trail with the agreed name are allowed (aws:SourceArn), and every
  other PutObject is denied, so nobody else can write at all.
- By default CloudTrail writes only under `[prefix/]AWSLogs/${aws:SourceAccount}/`: the policy
  variable ties every object key to the account the delivery is for, so no account writes into
  another's prefix, without listing each account's prefix. What it relies on, each documented:

  * IAM user guide, "IAM policy elements: Variables and tags"
    (https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_variables.html):
    global condition context keys can be used as variables; any single-valued key can be a
    variable; in `Resource` only after the ARN's fifth colon (here: in the object key);
    variables need `"Version": "2012-10-17"`; a variable with no value makes that resource
    match nothing.
  * IAM user guide, "AWS global condition context keys"
    (https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_condition-keys.html):
    aws:SourceAccount is single-valued and present when a service principal acts on behalf
    of a resource owner, as CloudTrail does when it delivers.
  * CloudTrail user guide, "Amazon S3 bucket policy for CloudTrail"
    (https://docs.aws.amazon.com/awscloudtrail/latest/userguide/create-s3-bucket-policy-for-cloudtrail.html):
    the write statement's documented form is `[prefix/]AWSLogs/<account id>/*`, and
    aws:SourceAccount is a documented condition on CloudTrail's requests.

  If S3 did not resolve the variable, the write statement would match no object: CreateTrail
  checks the bucket policy and fails loudly with InsufficientS3BucketPolicyException before
  anything is delivered, and because the trail depends on the policy nothing is half-deployed
  (the bucket and policy exist, no trail). The documented alternative is
  `per_account_prefixes=True`: one Resource ARN per account prefix `AWSLogs/<account>/*` in one
  statement, as the CloudTrail guide's "Setting bucket policy for multiple accounts" example
  shows. It lists each account twice (prefix and Deny), so it fits fewer accounts
  (`max_writer_accounts`), and it binds a delivery to *a* listed prefix rather than its own:
  like AWS's example it relies on CloudTrail composing the key `AWSLogs/<its account>/` itself
  (CloudTrail refuses an S3KeyPrefix containing `AWSLogs/`, same page).

Each statement's comment names the AWS page it follows; `cloudtrail_logging.sources` holds the
page's URL and a note under the statement's Sid.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from cloudtrail_logging.archive.guard import archive_guard
from cloudtrail_logging.aws import CLOUDTRAIL_SERVICE, Policy
from cloudtrail_logging.aws.arns import bucket_arn, logs_prefix
from cloudtrail_logging.aws.policy_json import policy_size

# "Bucket policies are limited to 20 KB in size" (Amazon S3 user guide, "Bucket policies for
# Amazon S3"), counted over the document as sent; `policy_json` sends it compact.
S3_POLICY_LIMIT_BYTES = 20 * 1024


def trail_arn_pattern(partition: str, trail_name: str, account: str = "*") -> str:
    """ArnLike pattern matching the trail `trail_name` in any region of `account`."""
    return f"arn:{partition}:cloudtrail:*:{account}:trail/{trail_name}"


def deny_insecure_transport(partition: str, bucket: str) -> dict[str, Any]:
    arn = bucket_arn(partition, bucket)
    # "Security best practices for Amazon S3", enforce encryption of data in transit
    # (https://docs.aws.amazon.com/AmazonS3/latest/userguide/security-best-practices.html).
    return {
        "Sid": "DenyInsecureTransport",
        "Effect": "Deny",
        "Principal": "*",
        "Action": "s3:*",
        "Resource": [arn, f"{arn}/*"],
        "Condition": {"Bool": {"aws:SecureTransport": "false"}},
    }


def allow_log_readers(partition: str, bucket: str, reader_arns: Sequence[str]) -> dict[str, Any]:
    """Read access for named roles ("Sharing CloudTrail log files between AWS accounts"), and
    s3:GetObjectVersion for a request that names a version (GetObject API reference)."""
    arn = bucket_arn(partition, bucket)
    return {
        "Sid": "AllowLogReaders",
        "Effect": "Allow",
        "Principal": {"AWS": sorted(set(reader_arns))},
        "Action": [
            "s3:GetObject",
            "s3:GetObjectVersion",
            "s3:ListBucket",
            "s3:ListBucketVersions",
            "s3:GetBucketLocation",
        ],
        "Resource": [arn, f"{arn}/*"],
    }


def _delivery_condition(trails: str) -> dict[str, Any]:
    # "Amazon S3 bucket policy for CloudTrail": s3:x-amz-acl bucket-owner-full-control and
    # aws:SourceArn the trail. ArnLike with a name pattern (any region, any account) instead of
    # StringEquals on each trail ARN: the accounts are pinned once, by the explicit Deny.
    return {
        "StringEquals": {"s3:x-amz-acl": "bucket-owner-full-control"},
        "ArnLike": {"aws:SourceArn": trails},
    }


def _write_statement(
    arn: str, trails: str, key_prefix: str | None, accounts: Sequence[str], per_account: bool
) -> dict[str, Any]:
    root = f"{arn}/{logs_prefix(key_prefix)}"
    if per_account:
        # "Setting bucket policy for multiple accounts" (CloudTrail user guide,
        # https://docs.aws.amazon.com/awscloudtrail/latest/userguide/cloudtrail-set-bucket-policy-for-multiple-accounts.html):
        # one Resource ARN per account prefix in a single statement.
        return {
            "Sid": "AWSCloudTrailWriteEachAccount",
            "Effect": "Allow",
            "Principal": {"Service": CLOUDTRAIL_SERVICE},
            "Action": "s3:PutObject",
            "Resource": [f"{root}{account}/*" for account in accounts],
            "Condition": _delivery_condition(trails),
        }
    # "Amazon S3 bucket policy for CloudTrail" (AWSCloudTrailWrite20150319), with the account id
    # as the policy variable ${aws:SourceAccount}; see the module docstring for each page relied on.
    return {
        "Sid": "AWSCloudTrailWrite",
        "Effect": "Allow",
        "Principal": {"Service": CLOUDTRAIL_SERVICE},
        "Action": "s3:PutObject",
        "Resource": f"{root}${{aws:SourceAccount}}/*",
        "Condition": _delivery_condition(trails),
    }


def _organization_write(
    partition: str,
    arn: str,
    trail_name: str,
    key_prefix: str | None,
    organization_id: str | None,
    management_account_id: str | None,
) -> list[dict[str, Any]]:
    if organization_id is None or management_account_id is None:
        return []
    # "Amazon S3 bucket policy for CloudTrail", organization trail bucket
    # (AWSCloudTrailOrganizationWrite20150319): aws:SourceArn a trail of the management account.
    return [
        {
            "Sid": "AWSCloudTrailOrganizationWrite",
            "Effect": "Allow",
            "Principal": {"Service": CLOUDTRAIL_SERVICE},
            "Action": "s3:PutObject",
            "Resource": f"{arn}/{logs_prefix(key_prefix)}{organization_id}/*",
            "Condition": _delivery_condition(
                trail_arn_pattern(partition, trail_name, management_account_id)
            ),
        }
    ]


def log_bucket_policy(
    *,
    partition: str,
    bucket: str,
    writer_accounts: Sequence[str],
    trail_name: str,
    administrator_arns: Sequence[str],
    key_prefix: str | None = None,
    reader_arns: Sequence[str] = (),
    replication_role_arn: str | None = None,
    organization_id: str | None = None,
    management_account_id: str | None = None,
    per_account_prefixes: bool = False,
) -> Policy:
    """The bucket policy that lets exactly `writer_accounts`' trails deliver logs.

    `administrator_arns` alone change the bucket's configuration, nobody deletes a log (module
    `guard`), and `reader_arns` (with `replication_role_arn`, which copies the logs) are the only
    principals that read log objects; without readers nobody reads. With an
    organization, the management account's organization trail of the agreed name may also
    write under `AWSLogs/<organization id>/` (CloudTrail sets aws:SourceAccount to the
    management account for every account's logs there, so that account must be a writer).
    `per_account_prefixes` selects the documented one-prefix-per-account form instead of the
    `${aws:SourceAccount}` variable (module docstring).
    """
    if not writer_accounts:
        raise ValueError("writer_accounts must name at least one account")
    accounts = sorted(set(writer_accounts))
    arn = bucket_arn(partition, bucket)
    objects = f"{arn}/*"
    trails = trail_arn_pattern(partition, trail_name)
    statements: list[dict[str, Any]] = [
        deny_insecure_transport(partition, bucket),
        # "Amazon S3 bucket policy for CloudTrail" (AWSCloudTrailAclCheck20150319).
        {
            "Sid": "AWSCloudTrailAclCheck",
            "Effect": "Allow",
            "Principal": {"Service": CLOUDTRAIL_SERVICE},
            "Action": "s3:GetBucketAcl",
            "Resource": arn,
            "Condition": {"ArnLike": {"aws:SourceArn": trails}},
        },
        _write_statement(arn, trails, key_prefix, accounts, per_account_prefixes),
        *_organization_write(
            partition, arn, trail_name, key_prefix, organization_id, management_account_id
        ),
        # Deviation from the documented per-trail aws:SourceArn lists, for size: the accounts
        # are listed once, in aws:SourceAccount ("AWS global condition context keys"; CloudTrail's
        # S3 page documents it as a condition on its requests). An explicit Deny overrides every
        # Allow ("Policy evaluation logic"), so no later statement can admit another account.
        {
            "Sid": "DenyCloudTrailFromUnlistedAccounts",
            "Effect": "Deny",
            "Principal": {"Service": CLOUDTRAIL_SERVICE},
            "Action": ["s3:GetBucketAcl", "s3:PutObject"],
            "Resource": [arn, objects],
            "Condition": {"StringNotEquals": {"aws:SourceAccount": accounts}},
        },
        # "IAM JSON policy elements: Condition operators": a negated operator matches when the
        # key is absent, so every PutObject that is not a trail delivery is denied.
        {
            "Sid": "DenyWritesNotFromTrails",
            "Effect": "Deny",
            "Principal": "*",
            "Action": "s3:PutObject",
            "Resource": objects,
            "Condition": {"ArnNotLike": {"aws:SourceArn": trails}},
        },
        # "Required permissions for Amazon S3 API operations": DeleteBucket is s3:DeleteBucket on
        # the bucket ARN; the explicit Deny wins over identity policies ("Policy evaluation logic").
        {
            "Sid": "DenyBucketDeletion",
            "Effect": "Deny",
            "Principal": "*",
            "Action": "s3:DeleteBucket",
            "Resource": arn,
        },
    ]
    readers = sorted(set(reader_arns))
    if readers:
        statements.append(allow_log_readers(partition, bucket, readers))
    copier = [replication_role_arn] if replication_role_arn else []
    statements += archive_guard(
        partition, bucket, administrator_arns=administrator_arns, reader_arns=readers + copier
    )
    return {"Version": "2012-10-17", "Statement": statements}


def _sample_accounts(count: int) -> list[str]:
    # Account ids are always 12 digits ("AWS account identifiers"), so any ids size alike.
    return [f"{n:012d}" for n in range(1, count + 1)]


def max_writer_accounts(*, limit_bytes: int = S3_POLICY_LIMIT_BYTES, **policy_args: Any) -> int:
    """The most writer accounts whose bucket policy fits `limit_bytes`: `log_bucket_policy` with
    `policy_args`, its every argument but `writer_accounts`.

    Every account adds the same number of bytes (a 12-digit id in the Deny list, plus one
    prefix ARN in the per-account form), so the size is linear in the count. 0 when not even
    one account fits.
    """

    def size(count: int) -> int:
        return policy_size(
            log_bucket_policy(writer_accounts=_sample_accounts(count), **policy_args)
        )

    one = size(1)
    if one > limit_bytes:
        return 0
    step = size(2) - one
    return 1 + (limit_bytes - one) // step
