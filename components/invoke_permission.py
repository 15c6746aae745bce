"""The permission a service needs to invoke a subscribed Lambda function."""

from __future__ import annotations

import pulumi
import pulumi_aws as aws


def invoke_permission(
    name: str,
    function: str,
    service: str,
    source_arn: pulumi.Input[str],
    opts: pulumi.ResourceOptions,
    *,
    source_account: str | None = None,
) -> aws.lambda_.Permission:
    """`service` may invoke `function` for `source_arn` (and `source_account`, when given)."""
    return aws.lambda_.Permission(
        name,
        action="lambda:InvokeFunction",
        function=function,
        principal=service,
        source_arn=source_arn,
        source_account=source_account,
        opts=opts,
    )
