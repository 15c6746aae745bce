"""A customer managed KMS key with rotation on, its alias, and a key policy known at preview."""

from __future__ import annotations

from collections.abc import Sequence

import pulumi
import pulumi_aws as aws

from cloudtrail_logging.aws.policy_json import policy_json
from cloudtrail_logging.plan.parts import KeyPlan
from components import TYPE_PREFIX


class ManagedKey(pulumi.ComponentResource):
    """Keys are stateful: losing one loses every log it encrypted, so the key is always
    protected and retained, whatever the caller asks."""

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
        super().__init__(f"{TYPE_PREFIX}:ManagedKey", name, None, opts)
        self.key = aws.kms.Key(
            f"{name}-key",
            description=plan.description,
            enable_key_rotation=True,
            deletion_window_in_days=30,
            policy=policy_json(plan.policy),
            # CreateKey refuses a policy naming a principal that does not exist yet.
            opts=pulumi.ResourceOptions(
                parent=self,
                protect=True,
                retain_on_delete=True,
                depends_on=list(principals),
                import_=plan.import_id,  # an existing key, adopted
            ),
        )
        self.alias = aws.kms.Alias(
            f"{name}-alias",
            name=plan.alias,
            target_key_id=self.key.key_id,
            opts=pulumi.ResourceOptions(parent=self),
        )
        self.arn = self.key.arn
        self.register_outputs({"arn": self.key.arn, "alias": self.alias.name})
