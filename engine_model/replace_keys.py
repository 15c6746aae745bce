"""Which inputs of each aws resource type force a replacement: a reviewed table.

The real provider takes this from the Terraform schema (`ForceNew`), which neither the installed
pulumi_aws SDK nor its package metadata carries (its docstrings do not say it; the provider's
schema ships inside the plugin binary). So the table holds, for every type this program creates,
the inputs that name the physical resource and cannot be changed in place, each as the
terraform-provider-aws documentation marks them "(Forces new resource)" (website/docs/r/<type>
.html.markdown, e.g. s3_bucket `bucket`, kms_alias `name`, sns_topic `name`, `fifo_topic`) or as
the AWS API has no call to change them (a trail, queue, role or log group is never renamed;
Lambda AddPermission has no update); plus pulumi-aws v7's per-resource `region`, which moves a
resource to another Region. The e2e stand-in provider replaces on the same keys
(e2e/aws_model.py), so the e2e holds the offline steps to the engine's for this table, not the
table to pulumi-aws: that is this review's, and a type missing here fails loudly.
"""

from __future__ import annotations

from typing import Final

REGION = "region"

_BUCKET_PART = frozenset({"bucket", "expectedBucketOwner"})
BUCKET_PARTS: Final = (
    "bucketPolicy", "bucketPublicAccessBlock", "bucketOwnershipControls", "bucketNotification",
    "bucketReplicationConfig", "bucketVersioning", "bucketLifecycleConfiguration",
    "bucketServerSideEncryptionConfiguration", "bucketLogging", "bucketObjectLockConfiguration",
)  # fmt: skip

REPLACE_ON: Final[dict[str, frozenset[str]]] = {
    type_: keys | {REGION}
    for type_, keys in {
        "aws:s3/bucket:Bucket": frozenset({"bucket", "bucketPrefix", "objectLockEnabled"}),
        # Every S3 bucket sub-resource (policy, versioning, encryption, ...) is its bucket's.
        **{f"aws:s3/{m}:{m[0].upper()}{m[1:]}": _BUCKET_PART for m in BUCKET_PARTS},
        "aws:kms/key:Key": frozenset(
            {"customerMasterKeySpec", "keySpec", "keyUsage", "multiRegion"}),
        "aws:kms/alias:Alias": frozenset({"name", "namePrefix"}),
        "aws:sns/topic:Topic": frozenset({"name", "namePrefix", "fifoTopic"}),
        "aws:sns/topicPolicy:TopicPolicy": frozenset({"arn"}),
        "aws:sns/topicSubscription:TopicSubscription": frozenset(
            {"topic", "protocol", "endpoint"}),
        "aws:sqs/queue:Queue": frozenset({"name", "namePrefix", "fifoQueue"}),
        "aws:sqs/queuePolicy:QueuePolicy": frozenset({"queueUrl"}),
        "aws:iam/role:Role": frozenset({"name", "namePrefix", "path"}),
        "aws:iam/rolePolicy:RolePolicy": frozenset({"name", "namePrefix", "role"}),
        "aws:cloudtrail/trail:Trail": frozenset({"name"}),
        "aws:cloudwatch/eventBus:EventBus": frozenset({"name", "eventSourceName"}),
        "aws:cloudwatch/eventBusPolicy:EventBusPolicy": frozenset({"eventBusName"}),
        "aws:cloudwatch/eventRule:EventRule": frozenset({"name", "namePrefix", "eventBusName"}),
        "aws:cloudwatch/eventTarget:EventTarget": frozenset(
            {"rule", "targetId", "eventBusName"}),
        "aws:cloudwatch/logGroup:LogGroup": frozenset({"name", "namePrefix"}),
        "aws:cloudwatch/logMetricFilter:LogMetricFilter": frozenset({"name", "logGroupName"}),
        "aws:cloudwatch/metricAlarm:MetricAlarm": frozenset({"name"}),
        "aws:lambda/permission:Permission": frozenset(
            {"action", "function", "principal", "sourceArn", "sourceAccount", "statementId",
             "qualifier", "eventSourceToken", "principalOrgId"}),
        "aws:organizations/policy:Policy": frozenset({"type"}),
        "aws:organizations/policyAttachment:PolicyAttachment": frozenset(
            {"policyId", "targetId"}),
        "aws:cloudformation/stackSet:StackSet": frozenset({"name", "permissionModel"}),
        "aws:cloudformation/stackSetInstance:StackSetInstance": frozenset(
            {"stackSetName", "accountId", "deploymentTargets", "stackSetInstanceRegion",
             "callAs", "parameterOverrides"}),
    }.items()
}  # fmt: skip


def replace_keys(type_: str) -> frozenset[str]:
    """The inputs of `type_` whose change replaces the resource; a type not in the table is an
    error (never a guess), so a new resource type fails until it is reviewed here."""
    try:
        return REPLACE_ON[type_]
    except KeyError:
        raise LookupError(
            f"{type_}: which inputs force its replacement is not known "
            "(add it to engine_model/replace_keys.py)"
        ) from None
