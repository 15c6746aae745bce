"""Run a stack's program under the SDK's mocks, the way a first `pulumi preview` would.

Config comes from Pulumi.yaml and Pulumi.<stack>.yaml as the engine merges them
(engine_model/stack_files.py) and reaches the program the way the Python language host hands it
over; every computed output is unknown. Another stack of this project that the program reads (a
StackReference, or the engine's `pulumi:pulumi:readStackOutputs` invoke) is resolved from that
stack's own offline run in deploy mode, i.e. as its outputs look after `pulumi up`.
"""

from __future__ import annotations

import json
import logging
import runpy
import sys
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import pulumi.runtime
from pulumi.runtime import settings as runtime_settings
from pulumi.runtime.mocks import MockSettings
from pulumi.runtime.stack import run_in_stack
from pulumi.runtime.sync_await import _sync_await

from cloudtrail_logging.aws.regions import is_region, partition_of
from engine_model.environment import environment
from engine_model.mocks import RecordingEngine, RecordingMonitor, StackMocks, World
from engine_model.model import CapturedResource, PreviewResult
from engine_model.stack_files import (
    PROJECT_DIR,
    StackConfig,
    StackFileError,
    go_json,
    load_project_file,
    load_stack_config,
    stack_file_path,
)
from engine_model.state import DeployedState

ORGANIZATION = "organization"  # what the CLI uses for DIY backends
# What the program logs goes to this logger too; a library's NullHandler keeps Python from
# printing it on its own (the preview's caller reports PreviewResult.diagnostics).
LOGGER = logging.getLogger("offline-preview")
LOGGER.addHandler(logging.NullHandler())


def problem_lines(error: BaseException) -> list[str]:
    """An error's problems, one line each (`problems` if it lists them, else its message)."""
    problems = getattr(error, "problems", None)
    if isinstance(problems, list) and problems:
        return [str(p) for p in problems]
    return [line for line in str(error).splitlines() if line.strip()] or [type(error).__name__]


class ProgramError(Exception):
    """The program failed; `registered` is what it had registered by then."""

    def __init__(self, cause: BaseException, registered: tuple[CapturedResource, ...]) -> None:
        super().__init__(str(cause))
        self.cause = cause
        self.registered = registered

    def lines(self) -> list[str]:
        """A pulumi.RunError is shown as its message, as pulumi-language-python-exec logs it; so
        is a config error (a ValueError whose message is one problem per line). Anything else is
        a failure of the program, named with its exception type (the CLI prints a traceback)."""
        lines = problem_lines(self.cause)
        if isinstance(self.cause, (pulumi.RunError, ValueError)):
            return lines
        return [f"the program failed: {type(self.cause).__name__}: {lines[0]}", *lines[1:]]


def _account_and_region(values: dict[str, str]) -> tuple[str, str]:
    """Best effort for the mocks only; the program itself validates these keys."""
    try:
        accounts = json.loads(values.get("aws:allowedAccountIds", "[]"))
        account = str(accounts[0]) if accounts else "000000000000"
    except (ValueError, TypeError, IndexError):
        account = "000000000000"
    return account, values.get("aws:region", "us-east-1")


# The variables pulumi-language-python sets for the program (sdk/python/cmd/
# pulumi-language-python/main.go: pulumiConfigVar, pulumiConfigSecretKeysVar).
CONFIG_ENV = "PULUMI_CONFIG"
SECRET_KEYS_ENV = "PULUMI_CONFIG_SECRET_KEYS"


@contextmanager
def language_host_environment(config: StackConfig) -> Iterator[None]:
    """The environment the language host gives the program, for the duration of the run.

    main.go `constructConfig` json.Marshals the engine's key -> string map (Go: keys sorted,
    compact, HTML-safe) and `constructConfigSecretKeys` the secret keys ("[]" when none). Both
    variables are restored afterwards.
    """
    with environment(
        {
            CONFIG_ENV: go_json(dict(config.values)),
            SECRET_KEYS_ENV: go_json(list(config.secret_keys)),
        }
    ):
        yield


def run_program(
    config: StackConfig,
    *,
    preview: bool = True,
    project_dir: Path = PROJECT_DIR,
    world: World | None = None,
    prior: DeployedState | None = None,
) -> PreviewResult:
    """Run the program once for `config` in `world` (who deploys, the organization, the roles
    and log groups the stack reads: mocks.World), as a preview against the deployed `prior`
    state if given; a failure raises ProgramError."""
    account, region = _account_and_region(config.values)
    partition = partition_of(region) if is_region(region) else "aws"
    mocks = StackMocks(
        preview=preview, account_id=account, region=region, partition=partition,
        world=world or World(),
    )
    monitor = RecordingMonitor(mocks, prior.resources if prior else None)
    engine = RecordingEngine(LOGGER)
    features = set(monitor.GetDeploymentInfo(None).supportedFeatures)
    runtime_settings.configure(
        MockSettings(
            monitor=monitor,
            monitor_features=features,
            engine=engine,
            project=config.project,
            stack=config.stack,
            dry_run=preview,
            organization=ORGANIZATION,
            callbacks=None,
        )
    )
    # Forget the previous run's stack resource (the SDK types the argument as a Resource).
    runtime_settings.set_root_resource(None)  # type: ignore[arg-type]
    program = project_dir / "__main__.py"
    if str(project_dir) not in sys.path:
        sys.path.insert(0, str(project_dir))
    with language_host_environment(config):
        # What sdk/python/cmd/pulumi-language-python-exec does before it runs the program.
        pulumi.runtime.set_all_config(
            pulumi.runtime.get_config_env(), pulumi.runtime.get_config_secret_keys_env()
        )

        def run() -> None:
            runpy.run_path(str(program), run_name="__main__")

        try:
            _sync_await(run_in_stack(run))
        except Exception as error:
            raise ProgramError(error, tuple(monitor.captured)) from error
    return PreviewResult(
        project=config.project,
        stack=config.stack,
        # Registration order follows asyncio scheduling; URN order makes every report stable.
        resources=tuple(sorted(monitor.captured, key=lambda r: r.urn)),
        outputs=monitor.stack_outputs,
        invokes=tuple(monitor.invokes),
        diagnostics=tuple(engine.logged),
    )


def _reading_key(config: StackConfig, reference: str) -> str:
    """The config key that names `reference` (how the user wrote it), else `stack reference`."""
    keys = [key for key, value in sorted(config.values.items()) if value == reference]
    return keys[0] if keys else "stack reference"


def local_stack(reference: str, project: str, project_dir: Path = PROJECT_DIR,
                key: str = "stack reference") -> str:
    """The local stack a stack reference names; anything offline cannot run is an error.

    How the real backends parse a reference (`ParseStackReference`):
    - Pulumi Cloud (pkg/backend/httpstate/backend.go, parseStackName): `<stack>`,
      `<owner>/<stack>` (both in the current project, owner defaulting to the default org or the
      user) and `<owner>/<project>/<stack>`; more than three parts is "could not parse stack name".
    - DIY (pkg/backend/diy/store.go, projectReferenceStore.ParseReference): the same three forms,
      but the owner must be the literal `organization`; the legacy (project-less) store takes a
      bare stack name only.
    Offline any owner is accepted (the backend is unknown); the project must be this one.
    """
    parts = reference.split("/")
    if len(parts) == 3 and parts[1] == project and parts[0] and parts[2]:
        name = parts[2]
    elif len(parts) in (1, 2) and all(parts):
        name = parts[-1]
    else:
        raise StackFileError(
            f"{key}: '{reference}' does not name a stack of project '{project}' "
            "(<stack>, <org>/<stack> or <org>/<project>/<stack>); it cannot be resolved offline"
        )
    stack_file = stack_file_path(name, load_project_file(project_dir), project_dir)
    if not stack_file.is_file():
        raise StackFileError(
            f"{key}: '{reference}' is an unknown stack: there is no stack '{name}' here "
            f"(no {stack_file.name} beside {project_dir / 'Pulumi.yaml'})"
        )
    return name


def _referenced_outputs(stack: str, local: str, key: str, project_dir: Path,
                        states: Mapping[str, DeployedState], chain: tuple[str, ...]
                        ) -> dict[str, Any]:
    """The outputs of the stack `local`, which `stack` reads through `key`, from its offline run
    in deploy mode; its problems name its stack file and how `stack` reaches it."""
    path = stack_file_path(local, load_project_file(project_dir), project_dir)
    where = f"{path} (stack '{local}', which {stack} reads through {key})"
    try:
        return _run_resolving(local, project_dir, states, preview=False, chain=chain).outputs
    except StackFileError as error:
        problems = [p.removeprefix(f"{path}: ") for p in error.problems]
    except ProgramError as error:
        problems = error.lines()
    raise StackFileError([f"{where}: {p}" for p in problems])


def _run_resolving(stack: str, project_dir: Path, states: Mapping[str, DeployedState], *,
                   preview: bool, chain: tuple[str, ...] = ()) -> PreviewResult:
    """Run `stack` once to learn which stacks it reads, then again with their outputs: from
    their deployed state when given, else from their own offline run in deploy mode."""
    prior = states.get(stack) if preview else None
    config = load_stack_config(stack, project_dir)
    requested: list[str] = []

    def record(name: str) -> dict[str, Any]:
        requested.append(name)
        return {}

    try:
        result = run_program(config, preview=preview, project_dir=project_dir,
                             world=World(stack_outputs=record), prior=prior)
    except ProgramError:
        if not requested:
            raise
    else:
        if not requested:
            return result
    resolved: dict[str, dict[str, Any]] = {}
    for reference in dict.fromkeys(requested):
        key = _reading_key(config, reference)
        local = local_stack(reference, config.project, project_dir, key)
        if local == stack or local in chain:
            raise StackFileError(f"{key}: stack '{stack}' reads '{reference}', which reads "
                                 f"'{stack}' in turn; no stack can be previewed first")
        if local in states:
            resolved[reference] = states[local].outputs
        else:
            resolved[reference] = _referenced_outputs(stack, local, key, project_dir, states,
                                                      (*chain, stack))
    return run_program(config, preview=preview, project_dir=project_dir,
                       world=World(stack_outputs=resolved.__getitem__), prior=prior)


def preview_stack(
    stack: str,
    project_dir: Path = PROJECT_DIR,
    states: Mapping[str, DeployedState] | None = None,
) -> PreviewResult:
    """The offline preview of `stack`, with its StackReferences resolved from local stacks.

    `states` are deployed stacks by name: the one named `stack` is the state the preview runs
    against; another stack's outputs, when the program reads them, are its state's (what the
    engine's readStackOutputs reads from the backend), not an offline deploy-mode run.
    """
    return _run_resolving(stack, project_dir, dict(states or {}), preview=True)
