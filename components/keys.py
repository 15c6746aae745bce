"""A customer managed KMS key with rotation on, its alias, and a key policy known at preview."""

from __future__ import annotations

from collections.abc import Sequence

import pulumi
import pulumi_aws as aws

from cloudtrail_logging.aws import Policy
from cloudtrail_logging.aws.policy_json import policy_json
from cloudtrail_logging.plan.parts import KeyPlan
from components.component import Component


def rotating_key(
    parent: Component,
    name: str,
    description: str,
    policy: Policy,
    principals: Sequence[pulumi.Resource],
    *,
    region: str | None = None,
    adopt: str | None = None,
) -> aws.kms.Key:
    """`<name>-key`, rotating, protected and retained (`Component.stateful`), after
    `principals`, the resources its policy names: CreateKey refuses a policy naming a principal
    that does not exist yet. `adopt`: an existing key's id, imported."""
    return aws.kms.Key(
        f"{name}-key",
        region=region,
        description=description,
        enable_key_rotation=True,
        deletion_window_in_days=30,
        policy=policy_json(policy),
        opts=parent.stateful(depends_on=list(principals), import_=adopt),
    )


class ManagedKey(Component, type_name="ManagedKey"):
    """Keys are stateful: losing one loses every log it encrypted (`Component.stateful`)."""

    key: aws.kms.Key
    alias: aws.kms.Alias
    arn: pulumi.Output[str]

    def __init__(
        self,
        name: str,
        plan: KeyPlan,
        *,
        principals: Sequence[pulumi.Resource] = (),
        opts: pulumi.ResourceOptions | None = None,
    ) -> None:
        """`principals`: the resources the key policy names (roles this stack creates)."""
        super().__init__(name, opts)
        self.key = rotating_key(
            self, name, plan.description, plan.policy, principals, adopt=plan.import_id
        )
        self.alias = aws.kms.Alias(
            f"{name}-alias",
            name=plan.alias,
            target_key_id=self.key.key_id,
            opts=self.child(),
        )
        self.arn = self.key.arn
        self.register_outputs({"arn": self.key.arn, "alias": self.alias.name})
