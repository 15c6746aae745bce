"""Which EventBridge rules an event matches, decided by moto's EventBridge (rules on a bus, an
event put on it, the messages their SQS targets receive), rather than by a matcher of our own.

moto does not implement TestEventPattern, so the rules are real: `matching` puts each pattern on
a rule of a fresh bus, with a queue as its target, sends the event with PutEvents and reads
which queues received it.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator, Mapping
from contextlib import contextmanager
from typing import Any

import boto3
from moto import mock_aws

Matching = Callable[[Mapping[str, dict[str, Any]], dict[str, Any]], list[str]]


@contextmanager
def event_rules() -> Iterator[Matching]:
    """`matching(patterns by name, event)`: the names whose pattern matches the event."""
    with mock_aws():
        events = boto3.client("events", region_name="us-east-1")
        sqs = boto3.client("sqs", region_name="us-east-1")
        buses = iter(range(1_000_000))

        def matching(patterns: Mapping[str, dict[str, Any]], event: dict[str, Any]) -> list[str]:
            bus = f"bus-{next(buses)}"
            events.create_event_bus(Name=bus)
            queues: dict[str, str] = {}
            for index, (name, pattern) in enumerate(patterns.items()):
                url = sqs.create_queue(QueueName=f"{bus}-{index}")["QueueUrl"]
                arn = sqs.get_queue_attributes(QueueUrl=url, AttributeNames=["QueueArn"])
                events.put_rule(Name=f"rule-{index}", EventBusName=bus,
                                EventPattern=json.dumps(pattern))  # fmt: skip
                events.put_targets(Rule=f"rule-{index}", EventBusName=bus, Targets=[
                    {"Id": "queue", "Arn": arn["Attributes"]["QueueArn"]}
                ])  # fmt: skip
                queues[name] = url
            events.put_events(Entries=[{
                "EventBusName": bus, "Source": event["source"],
                "DetailType": event["detail-type"], "Detail": json.dumps(event["detail"]),
                "Resources": event.get("resources", []),
            }])  # fmt: skip
            return [name for name, url in queues.items()
                    if sqs.receive_message(QueueUrl=url).get("Messages")]  # fmt: skip

        yield matching


def api_call_event(
    *, service: str, event_name: str, account: str, region: str, parameters: dict[str, Any]
) -> dict[str, Any]:
    """The event CloudTrail hands EventBridge for a management API call (EventBridge User Guide,
    "Events from AWS services delivered via AWS CloudTrail")."""
    return {
        "version": "0",
        "id": "6f3a0c2e-0000-4000-8000-000000000000",
        "detail-type": "AWS API Call via CloudTrail",
        "source": f"aws.{service}",
        "account": account,
        "time": "2026-12-06T00:00:00Z",
        "region": region,
        "resources": [],
        "detail": {
            "eventSource": f"{service}.amazonaws.com",
            "eventName": event_name,
            "awsRegion": region,
            "requestParameters": parameters,
        },
    }
