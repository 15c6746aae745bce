"""Deterministic names and partition-aware ARNs, composed from values known at preview time."""

from __future__ import annotations


def log_bucket_name(name_prefix: str, account_id: str, region: str) -> str:
    """The central log bucket's default name: globally unique through account and region."""
    return f"{name_prefix}-{account_id}-{region}"


def bucket_arn(partition: str, bucket: str) -> str:
    return f"arn:{partition}:s3:::{bucket}"


def logs_prefix(key_prefix: str | None) -> str:
    """The object key prefix under which CloudTrail writes: `[prefix/]AWSLogs/`."""
    return f"{key_prefix.strip('/')}/AWSLogs/" if key_prefix else "AWSLogs/"


def arn(partition: str, service: str, region: str, account_id: str, resource: str) -> str:
    """`arn:partition:service:region:account-id:resource`; `region` empty for global services."""
    return f"arn:{partition}:{service}:{region}:{account_id}:{resource}"


def trail_arn(partition: str, region: str, account_id: str, trail_name: str) -> str:
    return arn(partition, "cloudtrail", region, account_id, f"trail/{trail_name}")


def topic_arn(partition: str, region: str, account_id: str, topic_name: str) -> str:
    return arn(partition, "sns", region, account_id, topic_name)


def queue_arn(partition: str, region: str, account_id: str, queue_name: str) -> str:
    return arn(partition, "sqs", region, account_id, queue_name)


def queue_url(region: str, account_id: str, queue_name: str) -> str:
    suffix = "amazonaws.com.cn" if region.startswith("cn-") else "amazonaws.com"
    return f"https://sqs.{region}.{suffix}/{account_id}/{queue_name}"


def account_root_arn(partition: str, account_id: str) -> str:
    return arn(partition, "iam", "", account_id, "root")


def log_group_arn(partition: str, region: str, account_id: str, log_group: str) -> str:
    return arn(partition, "logs", region, account_id, f"log-group:{log_group}")


def event_bus_arn(partition: str, region: str, account_id: str, bus_name: str) -> str:
    return arn(partition, "events", region, account_id, f"event-bus/{bus_name}")


def role_arn(partition: str, account_id: str, role_name: str) -> str:
    return arn(partition, "iam", "", account_id, f"role/{role_name}")
