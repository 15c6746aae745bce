"""An IAM role of the plan with its one inline policy."""

from __future__ import annotations

import pulumi
import pulumi_aws as aws

from cloudtrail_logging.aws.policy_json import policy_json
from cloudtrail_logging.plan.parts import RolePlan


def role_with_policy(
    role_name: str,
    policy_name: str,
    plan: RolePlan,
    *,
    opts: pulumi.ResourceOptions,
    policy_opts: pulumi.ResourceOptions | None = None,
) -> tuple[aws.iam.Role, aws.iam.RolePolicy]:
    """The role `plan` describes and its inline policy (with `policy_opts`, else `opts`)."""
    role = aws.iam.Role(
        role_name,
        name=plan.name,
        description=plan.description,
        assume_role_policy=policy_json(plan.trust_policy),
        opts=opts,
    )
    policy = aws.iam.RolePolicy(
        policy_name,
        name=plan.policy_name,
        role=role.name,
        policy=policy_json(plan.policy),
        opts=policy_opts or opts,
    )
    return role, policy
