"""The CIS monitoring set matches, character for character, what Security Hub prescribes.

The reference patterns below are typed out here, independently of
`cloudtrail_logging.alerting.cis`, from the AWS Security Hub user guide, "Security Hub controls
for CloudWatch":
https://docs.aws.amazon.com/securityhub/latest/userguide/cloudwatch-controls.html
(archived: github.com/awsdocs/aws-security-hub-user-guide, doc_source/cloudwatch-controls.md at
commit bda5bf7ddbdf498557b2ac6a538577528004e6d5), and for `CIS.Organizations` from the CIS AWS
Foundations Benchmark v1.4.0 control 4.15 remediation (https://www.cisecurity.org/benchmark/amazon_web_services).
Security Hub fails a control whose filter adds or drops terms, so any drift here is a finding.
"""

from __future__ import annotations

import re

import pytest

from cloudtrail_logging.alerting.cis import (
    CIS_CONTROL_IDS,
    CIS_CONTROLS,
    CIS_CONTROLS_BY_ID,
    cis_control,
)

SECURITY_HUB_PATTERNS = {
    "CloudWatch.1": (
        '{$.userIdentity.type="Root" && $.userIdentity.invokedBy NOT EXISTS && '
        '$.eventType !="AwsServiceEvent"}'
    ),
    "CloudWatch.2": '{($.errorCode="*UnauthorizedOperation") || ($.errorCode="AccessDenied*")}',
    "CloudWatch.3": (
        '{ ($.eventName = "ConsoleLogin") && ($.additionalEventData.MFAUsed != "Yes") && '
        '($.userIdentity.type = "IAMUser") && ($.responseElements.ConsoleLogin = "Success") }'
    ),
    "CloudWatch.4": (
        "{($.eventName=DeleteGroupPolicy) || ($.eventName=DeleteRolePolicy) || "
        "($.eventName=DeleteUserPolicy) || ($.eventName=PutGroupPolicy) || "
        "($.eventName=PutRolePolicy) || ($.eventName=PutUserPolicy) || "
        "($.eventName=CreatePolicy) || ($.eventName=DeletePolicy) || "
        "($.eventName=CreatePolicyVersion) || ($.eventName=DeletePolicyVersion) || "
        "($.eventName=AttachRolePolicy) || ($.eventName=DetachRolePolicy) || "
        "($.eventName=AttachUserPolicy) || ($.eventName=DetachUserPolicy) || "
        "($.eventName=AttachGroupPolicy) || ($.eventName=DetachGroupPolicy)}"
    ),
    "CloudWatch.5": (
        "{($.eventName=CreateTrail) || ($.eventName=UpdateTrail) || "
        "($.eventName=DeleteTrail) || ($.eventName=StartLogging) || "
        "($.eventName=StopLogging)}"
    ),
    "CloudWatch.6": '{($.eventName=ConsoleLogin) && ($.errorMessage="Failed authentication")}',
    "CloudWatch.7": (
        "{($.eventSource=kms.amazonaws.com) && (($.eventName=DisableKey) || "
        "($.eventName=ScheduleKeyDeletion))}"
    ),
    "CloudWatch.8": (
        "{($.eventSource=s3.amazonaws.com) && (($.eventName=PutBucketAcl) || "
        "($.eventName=PutBucketPolicy) || ($.eventName=PutBucketCors) || "
        "($.eventName=PutBucketLifecycle) || ($.eventName=PutBucketReplication) || "
        "($.eventName=DeleteBucketPolicy) || ($.eventName=DeleteBucketCors) || "
        "($.eventName=DeleteBucketLifecycle) || ($.eventName=DeleteBucketReplication))}"
    ),
    "CloudWatch.9": (
        "{($.eventSource=config.amazonaws.com) && "
        "(($.eventName=StopConfigurationRecorder) || ($.eventName=DeleteDeliveryChannel) || "
        "($.eventName=PutDeliveryChannel) || ($.eventName=PutConfigurationRecorder))}"
    ),
    "CloudWatch.10": (
        "{($.eventName=AuthorizeSecurityGroupIngress) || "
        "($.eventName=AuthorizeSecurityGroupEgress) || "
        "($.eventName=RevokeSecurityGroupIngress) || "
        "($.eventName=RevokeSecurityGroupEgress) || "
        "($.eventName=CreateSecurityGroup) || ($.eventName=DeleteSecurityGroup)}"
    ),
    "CloudWatch.11": (
        "{($.eventName=CreateNetworkAcl) || ($.eventName=CreateNetworkAclEntry) || "
        "($.eventName=DeleteNetworkAcl) || ($.eventName=DeleteNetworkAclEntry) || "
        "($.eventName=ReplaceNetworkAclEntry) || ($.eventName=ReplaceNetworkAclAssociation)}"
    ),
    "CloudWatch.12": (
        "{($.eventName=CreateCustomerGateway) || ($.eventName=DeleteCustomerGateway) || "
        "($.eventName=AttachInternetGateway) || ($.eventName=CreateInternetGateway) || "
        "($.eventName=DeleteInternetGateway) || ($.eventName=DetachInternetGateway)}"
    ),
    "CloudWatch.13": (
        "{($.eventName=CreateRoute) || ($.eventName=CreateRouteTable) || "
        "($.eventName=ReplaceRoute) || ($.eventName=ReplaceRouteTableAssociation) || "
        "($.eventName=DeleteRouteTable) || ($.eventName=DeleteRoute) || "
        "($.eventName=DisassociateRouteTable)}"
    ),
    "CloudWatch.14": (
        "{($.eventName=CreateVpc) || ($.eventName=DeleteVpc) || "
        "($.eventName=ModifyVpcAttribute) || ($.eventName=AcceptVpcPeeringConnection) || "
        "($.eventName=CreateVpcPeeringConnection) || "
        "($.eventName=DeleteVpcPeeringConnection) || "
        "($.eventName=RejectVpcPeeringConnection) || ($.eventName=AttachClassicLinkVpc) || "
        "($.eventName=DetachClassicLinkVpc) || ($.eventName=DisableVpcClassicLink) || "
        "($.eventName=EnableVpcClassicLink)}"
    ),
}

ORGANIZATIONS_PATTERN = (
    '{ ($.eventSource = organizations.amazonaws.com) && (($.eventName = "AcceptHandshake") || '
    '($.eventName = "AttachPolicy") || ($.eventName = "CreateAccount") || '
    '($.eventName = "CreateOrganizationalUnit") || ($.eventName = "CreatePolicy") || '
    '($.eventName = "DeclineHandshake") || ($.eventName = "DeleteOrganization") || '
    '($.eventName = "DeleteOrganizationalUnit") || ($.eventName = "DeletePolicy") || '
    '($.eventName = "DetachPolicy") || ($.eventName = "DisablePolicyType") || '
    '($.eventName = "EnablePolicyType") || ($.eventName = "InviteAccountToOrganization") || '
    '($.eventName = "LeaveOrganization") || ($.eventName = "MoveAccount") || '
    '($.eventName = "RemoveAccountFromOrganization") || ($.eventName = "UpdatePolicy") || '
    '($.eventName = "UpdateOrganizationalUnit")) }'
)

TITLES = {
    "CloudWatch.1": 'A log metric filter and alarm should exist for usage of the "root" user',
    "CloudWatch.3": (
        "Ensure a log metric filter and alarm exist for Management Console sign-in without MFA"
    ),
    "CloudWatch.14": "Ensure a log metric filter and alarm exist for VPC changes",
}


def test_the_set_is_cloudwatch_1_to_14_then_organizations() -> None:
    expected = (*(f"CloudWatch.{n}" for n in range(1, 15)), "CIS.Organizations")
    assert expected == CIS_CONTROL_IDS
    assert [c.control_id for c in CIS_CONTROLS] == list(expected)


@pytest.mark.parametrize("control_id", sorted(SECURITY_HUB_PATTERNS))
def test_security_hub_pattern_is_byte_for_byte(control_id: str) -> None:
    control = CIS_CONTROLS_BY_ID[control_id]
    assert control.filter_pattern == SECURITY_HUB_PATTERNS[control_id]
    assert control.filter_pattern.encode() == SECURITY_HUB_PATTERNS[control_id].encode()
    assert control.security_hub is True
    number = control_id.split(".")[1]
    assert control.source_url.endswith(f"cloudwatch-controls.html#cloudwatch-{number}")


def test_organizations_pattern_is_byte_for_byte() -> None:
    control = cis_control("CIS.Organizations")
    assert control.filter_pattern == ORGANIZATIONS_PATTERN
    assert control.security_hub is False
    assert "CIS v1.4.0 4.15" in control.cis_requirements


def test_a_pattern_with_an_added_term_would_be_caught() -> None:
    drifted = SECURITY_HUB_PATTERNS["CloudWatch.5"].replace("}", " || ($.eventName=Extra)}")
    assert cis_control("CloudWatch.5").filter_pattern != drifted


@pytest.mark.parametrize("control_id", sorted(TITLES))
def test_titles_are_the_security_hub_titles(control_id: str) -> None:
    assert cis_control(control_id).title == TITLES[control_id]


def test_metric_names_and_slugs_are_unique_and_metric_safe() -> None:
    names = [c.metric_name for c in CIS_CONTROLS]
    assert len(set(names)) == len(names)
    assert all(re.fullmatch(r"[A-Za-z0-9]{1,255}", n) for n in names)
    slugs = [c.slug for c in CIS_CONTROLS]
    assert len(set(slugs)) == len(slugs)
    assert cis_control("CloudWatch.10").slug == "cloudwatch-10"


def test_patterns_fit_the_cloudwatch_logs_filter_limit() -> None:
    assert all(0 < len(c.filter_pattern) <= 1024 for c in CIS_CONTROLS)


def test_controls_are_frozen() -> None:
    with pytest.raises(AttributeError):
        cis_control("CloudWatch.1").filter_pattern = "{}"  # type: ignore[misc]


def test_unknown_control_names_the_valid_ids() -> None:
    with pytest.raises(KeyError, match=r"CloudWatch\.99.*CloudWatch\.1, CloudWatch\.2"):
        cis_control("CloudWatch.99")
