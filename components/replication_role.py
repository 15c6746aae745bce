"""The role S3 replicates the archive with, created before the log key that names it.

CreateKey refuses a key policy whose principals do not exist yet (KMS Developer Guide, "Key
policies in AWS KMS": MalformedPolicyDocumentException), and the log key's policy names this role
(`AllowReplicationDecrypt`), so the role cannot live inside the Replica component, which waits
for the key. Its resources keep the URNs they had as the Replica's children (`aliases`).
"""

from __future__ import annotations

import pulumi
import pulumi_aws as aws

from cloudtrail_logging.plan.parts import RolePlan
from components.component import Component
from components.roles import role_with_policy


class ReplicationRole(Component, type_name="ReplicationRole"):
    """The replication role and its inline policy; `ready` is what a user of the role waits for."""

    role: aws.iam.Role
    policy: aws.iam.RolePolicy
    ready: list[pulumi.Resource]

    def __init__(
        self,
        name: str,
        plan: RolePlan,
        *,
        moved_from: pulumi.Input[str] | None = None,
        opts: pulumi.ResourceOptions | None = None,
    ) -> None:
        """`moved_from`: the URN of the component that used to parent these resources."""
        super().__init__(name, opts)
        aliases = [pulumi.Alias(parent=moved_from)] if moved_from is not None else None
        self.role, self.policy = role_with_policy(
            f"{name}-role",
            f"{name}-role-policy",
            plan,
            opts=self.child(aliases=aliases),
        )
        self.ready = [self.role, self.policy]
        self.register_outputs({"roleArn": self.role.arn})
