"""Pulumi engine stand-ins: a monitor that records what the engine would see, and mocks.

In preview mode the mocks behave like a provider's preview of a create: inputs are echoed and
every computed output (ids, ARNs) is left unknown. In deploy mode they invent stable ids and
ARNs, which is how the log-archive stack's outputs look once it has been deployed.
"""

from __future__ import annotations

import hashlib
import uuid
from collections.abc import Callable
from typing import Any

from google.protobuf import json_format
from pulumi.runtime.mocks import MockCallArgs, MockMonitor, MockResourceArgs, Mocks

from offline.model import CapturedResource

STACK_REFERENCE = "pulumi:pulumi:StackReference"


class RecordingMonitor(MockMonitor):
    """A mock resource monitor that keeps each registration as the engine would see it."""

    def __init__(self, mocks: Mocks) -> None:
        super().__init__(mocks)
        self.captured: list[CapturedResource] = []
        self.stack_outputs: dict[str, Any] = {}

    def RegisterResource(self, request: Any) -> Any:
        response = super().RegisterResource(request)
        if request.type != "pulumi:pulumi:Stack":
            self.captured.append(
                CapturedResource(
                    urn=response.urn,
                    type=request.type,
                    name=request.name,
                    custom=request.custom,
                    parent=request.parent,
                    inputs=json_format.MessageToDict(request.object),
                    dependencies=tuple(request.dependencies),
                    property_dependencies={
                        key: tuple(deps.urns) for key, deps in request.propertyDependencies.items()
                    },
                    protect=bool(request.protect),
                    retain_on_delete=bool(request.retainOnDelete),
                    provider=request.provider,
                )
            )
        return response

    def ReadResource(self, request: Any) -> Any:
        response = super().ReadResource(request)
        self.captured.append(
            CapturedResource(
                urn=response.urn,
                type=request.type,
                name=request.name,
                custom=True,
                parent=request.parent,
                inputs=json_format.MessageToDict(request.properties),
                read=True,
            )
        )
        return response

    def RegisterResourceOutputs(self, request: Any) -> Any:
        if "::pulumi:pulumi:Stack::" in request.urn:
            self.stack_outputs = json_format.MessageToDict(request.outputs)
        return super().RegisterResourceOutputs(request)


def _stable_id(*parts: str) -> str:
    return str(uuid.UUID(hashlib.sha256("/".join(parts).encode()).hexdigest()[:32]))


class StackMocks(Mocks):
    """Preview: echo inputs, leave computed outputs unknown. Deploy: invent ids and ARNs."""

    def __init__(
        self,
        *,
        preview: bool,
        account_id: str,
        region: str,
        partition: str,
        stack_outputs: Callable[[str], dict[str, Any]] | None = None,
    ) -> None:
        self.preview = preview
        self.account_id = account_id
        self.region = region
        self.partition = partition
        self.stack_outputs = stack_outputs

    def new_resource(self, args: MockResourceArgs) -> tuple[str | None, dict[str, Any]]:
        if args.typ == STACK_REFERENCE:
            name = args.inputs.get("name") or args.name
            if self.stack_outputs is None:
                raise RuntimeError(f"stack reference {name!r} cannot be resolved offline")
            return name, {"name": name, "outputs": self.stack_outputs(name)}
        state = dict(args.inputs)
        if self.preview:
            return "", state
        resource_id = _stable_id(args.typ, args.name)
        if args.typ == "aws:kms/key:Key":
            state["keyId"] = resource_id
            state["arn"] = (
                f"arn:{self.partition}:kms:{self.region}:{self.account_id}:key/{resource_id}"
            )
        else:
            service = args.typ.split(":")[1].split("/")[0]
            state.setdefault(
                "arn",
                f"arn:{self.partition}:{service}:{self.region}:{self.account_id}:{args.name}",
            )
        return resource_id, state

    def call(self, args: MockCallArgs) -> tuple[dict[str, Any], list[tuple[str, str]] | None]:
        raise RuntimeError(f"the program made an invoke ({args.token}); it must not need one")
