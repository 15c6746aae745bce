"""The trail's CloudWatch Logs group, its delivery role, and a metric filter + alarm per alert."""

from __future__ import annotations

from typing import Any

import pulumi
import pulumi_aws as aws

from cloudtrail_logging.plan.parts import CloudWatchPlan, RolePlan
from components.alert_component import AlertComponent
from components.keys import ManagedKey
from components.roles import role_with_policy


class CloudWatchAlerts(AlertComponent[CloudWatchPlan], type_name="CloudWatchAlerts"):
    """CloudTrail -> CloudWatch Logs -> metric filters -> alarms -> an encrypted SNS topic.

    Exposes `log_group_arn` (`<arn>:*`, the form CloudTrail wants), `role_arn`, `ready` (what
    the trail must wait for) and `topic_arn`, all known at preview. On an existing organization
    trail's group (`plan.existing`) only the filters, alarms and topic are this stack's.
    """

    log_group: aws.cloudwatch.LogGroup | None
    """None on an existing trail's group, which is not this stack's."""
    role: aws.iam.Role | None
    role_policy: aws.iam.RolePolicy | None
    log_group_arn: pulumi.Output[str] | None
    role_arn: pulumi.Output[str] | None
    key: ManagedKey | None
    filters: list[aws.cloudwatch.LogMetricFilter]
    alarms: list[aws.cloudwatch.MetricAlarm]

    def _build(self, name: str, plan: CloudWatchPlan) -> dict[str, Any]:
        self.key = None
        self.log_group, self.role, self.role_policy = None, None, None
        self.log_group_arn, self.role_arn = None, None
        self.ready: list[pulumi.Resource] = []
        group_name: pulumi.Input[str] = plan.log_group_name
        if plan.role is not None:
            group_name = self._delivery(name, plan, plan.role)
        topic = self._topic(f"{name}-alarms", plan.topic)
        alarm = plan.alarm
        self.filters, self.alarms = [], []
        for planned in plan.alarms:
            metric_filter = aws.cloudwatch.LogMetricFilter(
                f"{name}-{planned.slug}-filter",
                name=planned.filter_name,
                log_group_name=group_name,
                pattern=planned.pattern,
                metric_transformation={
                    "name": planned.metric_name,
                    "namespace": alarm.namespace,
                    "value": alarm.metric_value,
                },
                opts=self.child(),
            )
            self.filters.append(metric_filter)
            self.alarms.append(
                aws.cloudwatch.MetricAlarm(
                    f"{name}-{planned.slug}-alarm",
                    name=planned.alarm_name,
                    alarm_description=planned.description,
                    namespace=alarm.namespace,
                    metric_name=planned.metric_name,
                    statistic=alarm.statistic,
                    period=alarm.period_seconds,
                    evaluation_periods=alarm.evaluation_periods,
                    threshold=alarm.threshold,
                    comparison_operator=alarm.comparison_operator,
                    treat_missing_data=alarm.treat_missing_data,
                    alarm_actions=[topic.topic_arn],
                    opts=self.child(depends_on=[metric_filter, *topic.ready]),
                )
            )
        return {"logGroupArn": self.log_group_arn, "roleArn": self.role_arn}

    def _delivery(self, name: str, plan: CloudWatchPlan, role: RolePlan) -> pulumi.Output[str]:
        """The trail's own group, its key and CloudTrail's delivery role; the group's name."""
        if plan.key is not None:
            self.key = ManagedKey(f"{name}-logs-key", plan.key, opts=self.child())
        log_group = aws.cloudwatch.LogGroup(
            f"{name}-log-group",
            name=plan.log_group_name,
            retention_in_days=plan.retention_days,
            kms_key_id=self.key.arn if self.key else None,
            opts=self.child(import_=plan.log_group_import_id),
        )
        # Composed from the group's name output: known at preview, and it waits for the group.
        self.log_group_arn = log_group.name.apply(lambda _: f"{plan.log_group_arn}:*")
        # The policy names the group's streams; the group must exist for CreateTrail.
        self.role, self.role_policy = role_with_policy(
            f"{name}-delivery-role",
            f"{name}-delivery-policy",
            role,
            opts=self.child(),
            policy_opts=self.child(depends_on=[log_group]),
        )
        self.role_arn = self.role.name.apply(lambda _: role.arn)
        self.log_group = log_group
        # CloudTrail checks at CreateTrail/UpdateTrail that it can assume the role and write.
        self.ready = [log_group, self.role_policy]
        return log_group.name
