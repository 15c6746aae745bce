"""The base of the components that raise alerts on an encrypted topic of their own."""

from __future__ import annotations

from typing import Any, Generic, TypeVar

import pulumi

from cloudtrail_logging.plan.parts import TopicPlan
from components.component import Component
from components.topic_fanout import TopicFanout

P = TypeVar("P")


class AlertComponent(Component, Generic[P]):
    """A component built from a plan `P` whose alerts go to a topic of its own, encrypted with
    the stack's messaging key.

    `_build` makes the component's resources, the topic among them (`_topic`), and returns the
    outputs it registers besides `topicArn`.
    """

    topic: TopicFanout
    topic_arn: pulumi.Output[str]

    def __init__(
        self,
        name: str,
        plan: P,
        *,
        messaging_key_arn: pulumi.Input[str],
        opts: pulumi.ResourceOptions | None = None,
    ) -> None:
        super().__init__(name, opts)
        self._messaging_key_arn = messaging_key_arn
        outputs = self._build(name, plan)
        self.register_outputs({**outputs, "topicArn": self.topic_arn})

    def _build(self, name: str, plan: P) -> dict[str, Any]:
        raise NotImplementedError

    def _topic(self, name: str, plan: TopicPlan) -> TopicFanout:
        """The alert topic, `name`, encrypted with the messaging key."""
        self.topic = TopicFanout(
            name, plan, kms_key_arn=self._messaging_key_arn, opts=self.child()
        )
        self.topic_arn = self.topic.topic_arn
        return self.topic
