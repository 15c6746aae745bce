"""One way for tests to run components under the SDK's mocks, in preview mode.

It uses the SDK's public testing API (Pulumi docs, "Unit testing Pulumi programs"):
`pulumi.runtime.set_mocks`, given the monitor that records each registration as the engine
would see it (`engine_model.mocks.RecordingMonitor`), and `pulumi.runtime.test`, which runs the
program and waits for every registration to finish. Computed outputs stay unknown, as in a
first preview.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import pulumi

from engine_model.mocks import RecordingMonitor, StackMocks
from engine_model.model import CapturedResource

PROJECT = "cloudtrail-logging"


@dataclass
class Run:
    """What a program registered, and what it returned."""

    resources: list[CapturedResource]
    result: Any = None

    def of_type(self, type_: str) -> list[CapturedResource]:
        return [r for r in self.resources if r.type == type_]

    def one(self, type_: str, prefix: str = "") -> CapturedResource:
        """The one resource of this type (whose name starts with `prefix`)."""
        found = [r for r in self.of_type(type_) if r.name.startswith(prefix)]
        assert len(found) == 1, [r.name for r in found]
        return found[0]

    def named(self, name: str) -> CapturedResource:
        return next(r for r in self.resources if r.name == name)

    def urn(self, name: str) -> str:
        return self.named(name).urn


def run_preview(
    program: Callable[[], Any], *, account: str, region: str = "us-east-1", stack: str = "test"
) -> Run:
    """Run `program` as a stack of `account` in `region` under preview mocks (inputs echoed,
    computed outputs unknown), with no config."""
    mocks = StackMocks(preview=True, account_id=account, region=region, partition="aws")
    monitor = RecordingMonitor(mocks)
    pulumi.runtime.set_mocks(mocks, project=PROJECT, stack=stack, preview=True, monitor=monitor)
    pulumi.runtime.set_all_config({}, [])
    holder: dict[str, Any] = {}
    pulumi.runtime.test(lambda: holder.update(result=program()))()
    return Run(list(monitor.captured), holder.get("result"))
