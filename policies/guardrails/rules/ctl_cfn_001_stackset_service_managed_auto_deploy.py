"""ctl-cfn-001: organization-wide StackSets are service-managed and deploy to new accounts.

The organization mode carries the API-call rules to every account through CloudFormation
StackSets. Only the SERVICE_MANAGED permission model targets organizational units, and only
automatic deployment reaches accounts that join later; stacks retained on account removal would
leave a departed account forwarding to the central bus (CloudFormation user guide, "Enable or
disable automatic deployments for StackSets in AWS Organizations").
"""

from __future__ import annotations

from typing import Any

from pulumi_policy import Severity

from guardrails.declare import Compliance, resource_policy
from guardrails.support import MISSING, Res, is_unknown, lookup, undecided

STACK_SET_TYPE = "aws:cloudformation/stackSet:StackSet"


def check(res: Res, _cfg: dict[str, Any], report: Any) -> None:
    model = lookup(res.props, "permissionModel")
    enabled = lookup(res.props, "autoDeployment", "enabled")
    retain = lookup(res.props, "autoDeployment", "retainStacksOnAccountRemoval")
    for prop, value in (
        ("permissionModel", model),
        ("autoDeployment.enabled", enabled),
        ("autoDeployment.retainStacksOnAccountRemoval", retain),
    ):
        if is_unknown(value):
            report(undecided(res.label, prop))
            return
    if model != "SERVICE_MANAGED":
        shown = "unset (SELF_MANAGED)" if model is MISSING else repr(model)
        report(f"{res.label}: 'permissionModel' must be 'SERVICE_MANAGED', is {shown}.")
    if enabled is not True:
        report(f"{res.label}: 'autoDeployment.enabled' must be true, so new accounts get it.")
    if retain is True:
        report(
            f"{res.label}: 'autoDeployment.retainStacksOnAccountRemoval' must be false: a "
            "departed account would keep its stacks."
        )


POLICY = resource_policy(
    name="ctl-cfn-001-stackset-service-managed-auto-deploy",
    description=(
        "Every CloudFormation StackSet is service-managed with automatic deployment on and "
        "stacks not retained when an account leaves."
    ),
    types=(STACK_SET_TYPE,),
    check=check,
    severity=Severity.MEDIUM,
    remediation=(
        "Set permission_model='SERVICE_MANAGED' and auto_deployment={'enabled': True, "
        "'retain_stacks_on_account_removal': False} on the aws.cloudformation.StackSet."
    ),
    compliance=Compliance(
        reference="https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/"
        "stacksets-orgs-manage-auto-deployment.html"
    ),
)
