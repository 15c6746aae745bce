"""The trail's CloudWatch Logs group, its delivery role, and a metric filter + alarm per alert."""

from __future__ import annotations

import json
from typing import NotRequired, TypedDict

import pulumi
import pulumi_aws as aws

from cloudtrail_logging.alerting_policies import (
    cloudtrail_logs_role_policy,
    cloudtrail_logs_role_trust_policy,
    cloudwatch_logs_kms_statement,
)
from cloudtrail_logging.alerts import AlertSettings, alarm_arn, filter_slug, metric_filters
from cloudtrail_logging.key_policy import key_administration
from cloudtrail_logging.naming import log_group_arn, role_arn
from cloudtrail_logging.resource_policies import Sender
from components import TYPE_PREFIX
from components.keys import ManagedKey
from components.topic_fanout import TopicFanout

CLOUDWATCH_SERVICE = "cloudwatch.amazonaws.com"


class CloudWatchAlertsArgs(TypedDict):
    """Inputs of a CloudWatchAlerts."""

    name_prefix: str
    """Names: log group `<prefix>-cloudtrail`, role `<prefix>-cloudtrail-to-logs`, topic
    `<prefix>-alarms`, filters and alarms `<prefix>-<filter id>`."""
    partition: str
    region: str
    account_id: str
    alerting: AlertSettings
    messaging_key_arn: pulumi.Input[str]
    """Encrypts the alarm topic and queue; it must admit `cloudwatch.amazonaws.com` and SNS."""
    organization_id: NotRequired[str | None]
    """Set for an organization trail: the role may also write the `<org-id>_*` streams."""


class CloudWatchAlerts(pulumi.ComponentResource):
    """CloudTrail -> CloudWatch Logs -> metric filters -> alarms -> an encrypted SNS topic.

    Exposes `log_group_arn` (`<arn>:*`, the form CloudTrail wants), `role_arn`, `ready`
    (what the trail must wait for) and `topic_arn`, all known at preview.
    """

    log_group: aws.cloudwatch.LogGroup
    role: aws.iam.Role
    role_policy: aws.iam.RolePolicy
    key: ManagedKey | None
    topic: TopicFanout
    filters: list[aws.cloudwatch.LogMetricFilter]
    alarms: list[aws.cloudwatch.MetricAlarm]

    def __init__(
        self, name: str, args: CloudWatchAlertsArgs, opts: pulumi.ResourceOptions | None = None
    ) -> None:
        super().__init__(f"{TYPE_PREFIX}:CloudWatchAlerts", name, None, opts)
        prefix, alerting = args["name_prefix"], args["alerting"]
        partition, region, account = args["partition"], args["region"], args["account_id"]
        group_name = f"{prefix}-cloudtrail"
        group_arn_text = log_group_arn(partition, region, account, group_name)

        self.key = None
        if alerting.log_group_kms:
            self.key = ManagedKey(
                f"{name}-logs-key",
                {
                    "description": f"Encrypts the CloudWatch Logs group {group_name}",
                    "alias": f"alias/{group_name}-logs",
                    "policy": {
                        "Version": "2012-10-17",
                        "Statement": [
                            key_administration(partition, account),
                            cloudwatch_logs_kms_statement(group_arn_text),
                        ],
                    },
                },
                pulumi.ResourceOptions(parent=self),
            )
        self.log_group = aws.cloudwatch.LogGroup(
            f"{name}-log-group",
            name=group_name,
            retention_in_days=alerting.log_retention_days,
            kms_key_id=self.key.arn if self.key else None,
            opts=pulumi.ResourceOptions(parent=self),
        )
        group_arn = self.log_group.name.apply(
            lambda n: log_group_arn(partition, region, account, n)
        )
        self.log_group_arn: pulumi.Output[str] = group_arn.apply(lambda arn: f"{arn}:*")

        self.role = aws.iam.Role(
            f"{name}-delivery-role",
            name=f"{prefix}-cloudtrail-to-logs",
            description=f"CloudTrail delivers to the CloudWatch Logs group {group_name}",
            assume_role_policy=json.dumps(cloudtrail_logs_role_trust_policy()),
            opts=pulumi.ResourceOptions(parent=self),
        )
        self.role_policy = aws.iam.RolePolicy(
            f"{name}-delivery-policy",
            name="cloudtrail-log-streams",
            role=self.role.name,
            # Composed from the group's name output: known at preview, and it carries the
            # dependency on the group.
            policy=group_arn.apply(
                lambda arn: json.dumps(
                    cloudtrail_logs_role_policy(arn, organization_id=args.get("organization_id"))
                )
            ),
            opts=pulumi.ResourceOptions(parent=self),
        )
        self.role_arn: pulumi.Output[str] = self.role.name.apply(
            lambda n: role_arn(partition, account, n)
        )

        self.topic = TopicFanout(
            f"{name}-alarms",
            {
                "topic_name": f"{prefix}-alarms",
                "partition": partition,
                "region": region,
                "account_id": account,
                "kms_key_arn": args["messaging_key_arn"],
                "senders": [
                    Sender(
                        CLOUDWATCH_SERVICE,
                        alarm_arn(partition, region, account, f"{prefix}-*"),
                        "AllowCloudWatchAlarms",
                    )
                ],
                "queue": True,
                "lambda_arn": alerting.alert_lambda_arn,
                "email": alerting.alert_email,
            },
            pulumi.ResourceOptions(parent=self),
        )
        self.topic_arn = self.topic.topic_arn

        descriptions = {c.control_id: f"{c.control_id}: {c.title}" for c in alerting.cis_controls}
        descriptions.update(
            {a.name: a.description or f"API alert {a.name}" for a in alerting.api_alerts}
        )
        alarm = alerting.alarm
        self.filters, self.alarms = [], []
        for filter_id, metric_name, pattern in metric_filters(alerting):
            slug = filter_slug(filter_id)
            metric_filter = aws.cloudwatch.LogMetricFilter(
                f"{name}-{slug}-filter",
                name=f"{prefix}-{slug}",
                log_group_name=self.log_group.name,
                pattern=pattern,
                metric_transformation={
                    "name": metric_name,
                    "namespace": alarm.namespace,
                    "value": alarm.metric_value,
                },
                opts=pulumi.ResourceOptions(parent=self),
            )
            self.filters.append(metric_filter)
            self.alarms.append(
                aws.cloudwatch.MetricAlarm(
                    f"{name}-{slug}-alarm",
                    name=f"{prefix}-{slug}",
                    alarm_description=descriptions[filter_id][:1024],
                    namespace=alarm.namespace,
                    metric_name=metric_name,
                    statistic=alarm.statistic,
                    period=alarm.period_seconds,
                    evaluation_periods=alarm.evaluation_periods,
                    threshold=alarm.threshold,
                    comparison_operator=alarm.comparison_operator,
                    treat_missing_data=alarm.treat_missing_data,
                    alarm_actions=[self.topic_arn],
                    opts=pulumi.ResourceOptions(
                        parent=self, depends_on=[metric_filter, *self.topic.ready]
                    ),
                )
            )
        # CloudTrail checks at CreateTrail/UpdateTrail that it can assume the role and write.
        self.ready: list[pulumi.Resource] = [self.log_group, self.role_policy]
        self.register_outputs(
            {
                "logGroupArn": self.log_group_arn,
                "roleArn": self.role_arn,
                "topicArn": self.topic_arn,
            }
        )
