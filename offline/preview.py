"""Run a stack's program under the SDK's mocks, the way a first `pulumi preview` would.

Config comes from Pulumi.yaml and Pulumi.<stack>.yaml; every computed output is unknown. A
StackReference to another stack of this project is resolved from that stack's own offline
run in deploy mode, i.e. as its outputs look after `pulumi up`.
"""

from __future__ import annotations

import json
import logging
import runpy
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pulumi.runtime
from pulumi.runtime import settings as runtime_settings
from pulumi.runtime.mocks import MockEngine, MockSettings
from pulumi.runtime.stack import run_in_stack
from pulumi.runtime.sync_await import _sync_await

from cloudtrail_logging.regions import is_region, partition_of
from offline.mocks import RecordingMonitor, StackMocks
from offline.model import CapturedResource, PreviewResult
from offline.stack_files import PROJECT_DIR, StackConfig, load_stack_config

ORGANIZATION = "organization"  # what the CLI uses for DIY backends


class ProgramError(Exception):
    """The program failed; `registered` is what it had registered by then."""

    def __init__(self, cause: BaseException, registered: tuple[CapturedResource, ...]) -> None:
        super().__init__(str(cause))
        self.cause = cause
        self.registered = registered


def _account_and_region(values: dict[str, str]) -> tuple[str, str]:
    """Best effort for the mocks only; the program itself validates these keys."""
    try:
        accounts = json.loads(values.get("aws:allowedAccountIds", "[]"))
        account = str(accounts[0]) if accounts else "000000000000"
    except (ValueError, TypeError, IndexError):
        account = "000000000000"
    return account, values.get("aws:region", "us-east-1")


def run_program(
    config: StackConfig,
    *,
    preview: bool = True,
    project_dir: Path = PROJECT_DIR,
    stack_outputs: Callable[[str], dict[str, Any]] | None = None,
) -> PreviewResult:
    """Run the program once for `config`; a failure raises ProgramError."""
    account, region = _account_and_region(config.values)
    partition = partition_of(region) if is_region(region) else "aws"
    mocks = StackMocks(
        preview=preview,
        account_id=account,
        region=region,
        partition=partition,
        stack_outputs=stack_outputs,
    )
    monitor = RecordingMonitor(mocks)
    features = set(monitor.GetDeploymentInfo(None).supportedFeatures)
    runtime_settings.configure(
        MockSettings(
            monitor=monitor,
            monitor_features=features,
            engine=MockEngine(logging.getLogger("offline-preview")),
            project=config.project,
            stack=config.stack,
            dry_run=preview,
            organization=ORGANIZATION,
            callbacks=None,
        )
    )
    runtime_settings.set_root_resource(None)
    pulumi.runtime.set_all_config(dict(config.values), [])
    program = project_dir / "__main__.py"
    if str(project_dir) not in sys.path:
        sys.path.insert(0, str(project_dir))
    try:
        _sync_await(run_in_stack(lambda: runpy.run_path(str(program), run_name="__main__")))
    except Exception as error:
        raise ProgramError(error, tuple(monitor.captured)) from error
    return PreviewResult(
        project=config.project,
        stack=config.stack,
        # Registration order follows asyncio scheduling; URN order makes every report stable.
        resources=tuple(sorted(monitor.captured, key=lambda r: r.urn)),
        outputs=monitor.stack_outputs,
    )


def _local_stack(reference: str, project: str) -> str:
    """`<org>/<project>/<stack>` of this project -> `<stack>`; anything else cannot be run here."""
    parts = reference.split("/")
    if len(parts) != 3 or parts[1] != project:
        raise ValueError(
            f"stack reference {reference!r} is not a stack of project {project!r}; "
            "it cannot be resolved offline"
        )
    return parts[2]


def preview_stack(stack: str, project_dir: Path = PROJECT_DIR) -> PreviewResult:
    """The offline preview of `stack`, with its StackReferences resolved from local stacks."""
    config = load_stack_config(stack, project_dir)
    requested: list[str] = []

    def record(name: str) -> dict[str, Any]:
        requested.append(name)
        return {}

    try:
        result = run_program(config, project_dir=project_dir, stack_outputs=record)
    except ProgramError:
        if not requested:
            raise
    else:
        if not requested:
            return result
    resolved: dict[str, dict[str, Any]] = {}
    for reference in dict.fromkeys(requested):
        local = _local_stack(reference, config.project)
        if local == stack:
            raise ValueError(f"stack {stack!r} references itself")
        deployed = run_program(load_stack_config(local, project_dir), preview=False,
                               project_dir=project_dir)
        resolved[reference] = deployed.outputs
    return run_program(config, project_dir=project_dir, stack_outputs=resolved.__getitem__)
