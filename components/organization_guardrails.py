"""The organization's guardrail policy: a service control policy and its attachments."""

from __future__ import annotations

from collections.abc import Sequence

import pulumi
import pulumi_aws as aws

from cloudtrail_logging.aws.policy_json import policy_json
from cloudtrail_logging.plan.parts import GuardrailPlan
from components.component import Component


class OrganizationGuardrails(Component, type_name="OrganizationGuardrails"):
    """The two SCPs, the logging's and the archive's, each attached to the root or the chosen
    OUs. Policies and attachments are protected: a `pulumi destroy` would otherwise lift every
    guardrail at once. SCPs must be enabled on the root (Organizations EnablePolicyType
    SERVICE_CONTROL_POLICY); the README says how."""

    policy: aws.organizations.Policy
    archive_policy: aws.organizations.Policy
    attachments: list[aws.organizations.PolicyAttachment]

    def __init__(
        self,
        name: str,
        plan: GuardrailPlan,
        *,
        target_ids: Sequence[pulumi.Input[str]],
        opts: pulumi.ResourceOptions | None = None,
    ) -> None:
        """`target_ids`: the plan's targets, or the organization root read at run time."""
        super().__init__(name, opts)
        kept = self.child(protect=True)
        self.policy, self.archive_policy = (
            aws.organizations.Policy(
                f"{name}-{kind}policy",
                name=policy_name,
                description=description,
                type="SERVICE_CONTROL_POLICY",
                content=policy_json(content),
                opts=kept,
            )
            for kind, policy_name, description, content in (
                ("", plan.name, plan.description, plan.content),
                ("archive-", plan.archive_name, plan.archive_description, plan.archive_content),
            )
        )
        self.attachments = [
            aws.organizations.PolicyAttachment(
                f"{name}-{kind}attachment-{index}",
                policy_id=policy.id,
                target_id=target,
                opts=kept,
            )
            for kind, policy in (("", self.policy), ("archive-", self.archive_policy))
            for index, target in enumerate(target_ids)
        ]
        self.register_outputs({"policyName": plan.name})
