"""The CIS AWS Foundations Benchmark monitoring set, as AWS Security Hub CloudWatch.1-14 judge it.

Security Hub runs "the exact audit steps prescribed" by CIS for these controls and fails a control
whose metric filter adds or drops terms, so each pattern below is the one the Security Hub user
guide prescribes, character for character (spacing included), from
https://docs.aws.amazon.com/securityhub/latest/userguide/cloudwatch-controls.html (archived as
`doc_source/cloudwatch-controls.md` in github.com/awsdocs/aws-security-hub-user-guide at commit
bda5bf7ddbdf498557b2ac6a538577528004e6d5). The spacing differs between controls (CloudWatch.3
is spaced, the others are compact) because the guide's text does.

Security Hub also wants, per control: a multi-Region trail with read and write management
events delivering to the log group, an alarm on the filter's metric, and an SNS topic with a
subscriber as the alarm action.

`CIS.Organizations` (CIS v1.4.0+ control 4.15, "Ensure a log metric filter and alarm exists for
AWS Organizations changes") is not a Security Hub CloudWatch control; its pattern is the CIS
benchmark's remediation text (single-spaced, as the benchmark PDF prints it).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from types import MappingProxyType

SECURITY_HUB_URL = (
    "https://docs.aws.amazon.com/securityhub/latest/userguide/cloudwatch-controls.html"
)
CIS_BENCHMARK_URL = "https://www.cisecurity.org/benchmark/amazon_web_services"


@dataclass(frozen=True)
class CisControl:
    """One monitoring control: a CloudTrail metric filter whose metric an alarm watches."""

    control_id: str
    title: str
    filter_pattern: str
    metric_name: str
    cis_requirements: tuple[str, ...]
    security_hub: bool
    source_url: str

    @property
    def slug(self) -> str:
        """A lower-case name fragment for resource names, e.g. `cloudwatch-1`."""
        return self.control_id.lower().replace(".", "-")


def _hub(number: int, title: str, pattern: str, metric: str, *requirements: str) -> CisControl:
    return CisControl(
        control_id=f"CloudWatch.{number}",
        title=title,
        filter_pattern=pattern,
        metric_name=metric,
        cis_requirements=requirements,
        security_hub=True,
        source_url=f"{SECURITY_HUB_URL}#cloudwatch-{number}",
    )


CIS_CONTROLS: tuple[CisControl, ...] = (
    _hub(
        1,
        'A log metric filter and alarm should exist for usage of the "root" user',
        '{$.userIdentity.type="Root" && $.userIdentity.invokedBy NOT EXISTS'
        ' && $.eventType !="AwsServiceEvent"}',
        "RootAccountUsage",
        "CIS v1.2.0 1.1",
        "CIS v1.2.0 3.3",
        "CIS v1.4.0 1.7",
        "CIS v1.4.0 4.3",
    ),
    _hub(
        2,
        "Ensure a log metric filter and alarm exist for unauthorized API calls",
        '{($.errorCode="*UnauthorizedOperation") || ($.errorCode="AccessDenied*")}',
        "UnauthorizedAPICalls",
        "CIS v1.2.0 3.1",
    ),
    _hub(
        3,
        "Ensure a log metric filter and alarm exist for Management Console sign-in without MFA",
        '{ ($.eventName = "ConsoleLogin") && ($.additionalEventData.MFAUsed != "Yes")'
        ' && ($.userIdentity.type = "IAMUser")'
        ' && ($.responseElements.ConsoleLogin = "Success") }',
        "ConsoleSignInWithoutMFA",
        "CIS v1.2.0 3.2",
    ),
    _hub(
        4,
        "Ensure a log metric filter and alarm exist for IAM policy changes",
        "{($.eventName=DeleteGroupPolicy) || ($.eventName=DeleteRolePolicy)"
        " || ($.eventName=DeleteUserPolicy) || ($.eventName=PutGroupPolicy)"
        " || ($.eventName=PutRolePolicy) || ($.eventName=PutUserPolicy)"
        " || ($.eventName=CreatePolicy) || ($.eventName=DeletePolicy)"
        " || ($.eventName=CreatePolicyVersion) || ($.eventName=DeletePolicyVersion)"
        " || ($.eventName=AttachRolePolicy) || ($.eventName=DetachRolePolicy)"
        " || ($.eventName=AttachUserPolicy) || ($.eventName=DetachUserPolicy)"
        " || ($.eventName=AttachGroupPolicy) || ($.eventName=DetachGroupPolicy)}",
        "IAMPolicyChanges",
        "CIS v1.2.0 3.4",
        "CIS v1.4.0 4.4",
    ),
    _hub(
        5,
        "Ensure a log metric filter and alarm exist for CloudTrail AWS Configuration changes",
        "{($.eventName=CreateTrail) || ($.eventName=UpdateTrail) || ($.eventName=DeleteTrail)"
        " || ($.eventName=StartLogging) || ($.eventName=StopLogging)}",
        "CloudTrailConfigChanges",
        "CIS v1.2.0 3.5",
        "CIS v1.4.0 4.5",
    ),
    _hub(
        6,
        "Ensure a log metric filter and alarm exist for AWS Management Console authentication"
        " failures",
        '{($.eventName=ConsoleLogin) && ($.errorMessage="Failed authentication")}',
        "ConsoleAuthenticationFailures",
        "CIS v1.2.0 3.6",
        "CIS v1.4.0 4.6",
    ),
    _hub(
        7,
        "Ensure a log metric filter and alarm exist for disabling or scheduled deletion of"
        " customer managed keys",
        "{($.eventSource=kms.amazonaws.com) && (($.eventName=DisableKey)"
        " || ($.eventName=ScheduleKeyDeletion))}",
        "DisableOrDeleteCMK",
        "CIS v1.2.0 3.7",
        "CIS v1.4.0 4.7",
    ),
    _hub(
        8,
        "Ensure a log metric filter and alarm exist for S3 bucket policy changes",
        "{($.eventSource=s3.amazonaws.com) && (($.eventName=PutBucketAcl)"
        " || ($.eventName=PutBucketPolicy) || ($.eventName=PutBucketCors)"
        " || ($.eventName=PutBucketLifecycle) || ($.eventName=PutBucketReplication)"
        " || ($.eventName=DeleteBucketPolicy) || ($.eventName=DeleteBucketCors)"
        " || ($.eventName=DeleteBucketLifecycle) || ($.eventName=DeleteBucketReplication))}",
        "S3BucketPolicyChanges",
        "CIS v1.2.0 3.8",
        "CIS v1.4.0 4.8",
    ),
    _hub(
        9,
        "Ensure a log metric filter and alarm exist for AWS Config configuration changes",
        "{($.eventSource=config.amazonaws.com) && (($.eventName=StopConfigurationRecorder)"
        " || ($.eventName=DeleteDeliveryChannel) || ($.eventName=PutDeliveryChannel)"
        " || ($.eventName=PutConfigurationRecorder))}",
        "AWSConfigChanges",
        "CIS v1.2.0 3.9",
        "CIS v1.4.0 4.9",
    ),
    _hub(
        10,
        "Ensure a log metric filter and alarm exist for security group changes",
        "{($.eventName=AuthorizeSecurityGroupIngress) || ($.eventName=AuthorizeSecurityGroupEgress)"
        " || ($.eventName=RevokeSecurityGroupIngress) || ($.eventName=RevokeSecurityGroupEgress)"
        " || ($.eventName=CreateSecurityGroup) || ($.eventName=DeleteSecurityGroup)}",
        "SecurityGroupChanges",
        "CIS v1.2.0 3.10",
        "CIS v1.4.0 4.10",
    ),
    _hub(
        11,
        "Ensure a log metric filter and alarm exist for changes to Network Access Control Lists"
        " (NACL)",
        "{($.eventName=CreateNetworkAcl) || ($.eventName=CreateNetworkAclEntry)"
        " || ($.eventName=DeleteNetworkAcl) || ($.eventName=DeleteNetworkAclEntry)"
        " || ($.eventName=ReplaceNetworkAclEntry) || ($.eventName=ReplaceNetworkAclAssociation)}",
        "NACLChanges",
        "CIS v1.2.0 3.11",
        "CIS v1.4.0 4.11",
    ),
    _hub(
        12,
        "Ensure a log metric filter and alarm exist for changes to network gateways",
        "{($.eventName=CreateCustomerGateway) || ($.eventName=DeleteCustomerGateway)"
        " || ($.eventName=AttachInternetGateway) || ($.eventName=CreateInternetGateway)"
        " || ($.eventName=DeleteInternetGateway) || ($.eventName=DetachInternetGateway)}",
        "NetworkGatewayChanges",
        "CIS v1.2.0 3.12",
        "CIS v1.4.0 4.12",
    ),
    _hub(
        13,
        "Ensure a log metric filter and alarm exist for route table changes",
        "{($.eventName=CreateRoute) || ($.eventName=CreateRouteTable)"
        " || ($.eventName=ReplaceRoute) || ($.eventName=ReplaceRouteTableAssociation)"
        " || ($.eventName=DeleteRouteTable) || ($.eventName=DeleteRoute)"
        " || ($.eventName=DisassociateRouteTable)}",
        "RouteTableChanges",
        "CIS v1.2.0 3.13",
        "CIS v1.4.0 4.13",
    ),
    _hub(
        14,
        "Ensure a log metric filter and alarm exist for VPC changes",
        "{($.eventName=CreateVpc) || ($.eventName=DeleteVpc)"
        " || ($.eventName=ModifyVpcAttribute) || ($.eventName=AcceptVpcPeeringConnection)"
        " || ($.eventName=CreateVpcPeeringConnection) || ($.eventName=DeleteVpcPeeringConnection)"
        " || ($.eventName=RejectVpcPeeringConnection) || ($.eventName=AttachClassicLinkVpc)"
        " || ($.eventName=DetachClassicLinkVpc) || ($.eventName=DisableVpcClassicLink)"
        " || ($.eventName=EnableVpcClassicLink)}",
        "VPCChanges",
        "CIS v1.2.0 3.14",
        "CIS v1.4.0 4.14",
    ),
    CisControl(
        control_id="CIS.Organizations",
        title="Ensure a log metric filter and alarm exists for AWS Organizations changes",
        filter_pattern=(
            "{ ($.eventSource = organizations.amazonaws.com)"
            ' && (($.eventName = "AcceptHandshake") || ($.eventName = "AttachPolicy")'
            ' || ($.eventName = "CreateAccount") || ($.eventName = "CreateOrganizationalUnit")'
            ' || ($.eventName = "CreatePolicy") || ($.eventName = "DeclineHandshake")'
            ' || ($.eventName = "DeleteOrganization")'
            ' || ($.eventName = "DeleteOrganizationalUnit") || ($.eventName = "DeletePolicy")'
            ' || ($.eventName = "DetachPolicy") || ($.eventName = "DisablePolicyType")'
            ' || ($.eventName = "EnablePolicyType")'
            ' || ($.eventName = "InviteAccountToOrganization")'
            ' || ($.eventName = "LeaveOrganization") || ($.eventName = "MoveAccount")'
            ' || ($.eventName = "RemoveAccountFromOrganization")'
            ' || ($.eventName = "UpdatePolicy") || ($.eventName = "UpdateOrganizationalUnit")) }'
        ),
        metric_name="OrganizationsChanges",
        cis_requirements=("CIS v1.4.0 4.15", "CIS v3.0.0 4.15"),
        security_hub=False,
        source_url=CIS_BENCHMARK_URL,
    ),
)

CIS_CONTROLS_BY_ID: Mapping[str, CisControl] = MappingProxyType(
    {control.control_id: control for control in CIS_CONTROLS}
)
CIS_CONTROL_IDS: tuple[str, ...] = tuple(CIS_CONTROLS_BY_ID)


def cis_control(control_id: str) -> CisControl:
    """The control with this id; KeyError naming the valid ids otherwise."""
    try:
        return CIS_CONTROLS_BY_ID[control_id]
    except KeyError:
        raise KeyError(
            f"{control_id!r} is not a CIS control id; valid ids: " + ", ".join(CIS_CONTROL_IDS)
        ) from None
