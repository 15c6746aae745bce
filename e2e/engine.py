"""The real Pulumi engine, driven offline: what `pulumi` does on a user's machine, here.

REAL: the Pulumi CLI and engine v3.276.0, built from its Go module (tools/pulumi,
scripts/build-pulumi.sh): project and stack config (Pulumi.yaml's `config:` block, types,
defaults), `stack init`, `config set`, preview/up/destroy, step generation and diffs, the file
(DIY) backend and its checkpoints, the passphrase secrets provider, stack references
(`pulumi:pulumi:readStackOutputs`), policy pack loading, policy config validation and
enforcement, `protect`. The program (`__main__.py`) and the policy pack (`policies/`, in its own
virtualenv) are the shipped ones.

STAND-INS (named so wherever they appear):
- the `aws` provider: e2e/aws_provider.py (`pulumi-resource-aws` on the PATH);
- the Python language host, for starting the policy pack only: e2e/language_host.py
  (`pulumi-language-python` on the PATH);
- the program is run by the Automation API's inline mode (the SDK serves the language protocol
  in this process and passes `--client` to the CLI) instead of by the language host, which the Go
  module proxy refuses. `inline_program` gives the program the environment the language host
  would: PULUMI_CONFIG and PULUMI_CONFIG_SECRET_KEYS (sdk/python/cmd/pulumi-language-python
  main.go, `constructConfig`), which the program reads through `pulumi.runtime.get_config_env()`.

Every run works in its own directory: a copy of Pulumi.yaml and the stack files (the CLI writes
`encryptionsalt:` and `config set` values into them), the file backend's state, PULUMI_HOME (no
plugin cache: nothing is downloaded) and the journal of what the stand-ins were asked.
"""

from __future__ import annotations

import json
import os
import runpy
import shutil
import subprocess
import sys
from collections.abc import Callable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pulumi.runtime
from pulumi import automation as auto
from pulumi.automation import events
from pulumi.runtime.config import CONFIG

from e2e.aws_provider import ACCOUNT_ENV, EXISTING_ENV
from e2e.plugin import JOURNAL_ENV
from engine_model.environment import environment

REPO = Path(__file__).resolve().parent.parent
PULUMI_ROOT = REPO / ".tools" / "pulumi"  # scripts/build-pulumi.sh builds bin/pulumi here
STAND_INS = REPO / "e2e" / "bin"
PROJECT = "cloudtrail-logging"
PASSPHRASE = "cloudtrail-logging-e2e"  # guards only the throwaway state of a test run
STACK_TYPE = "pulumi:pulumi:Stack"


def say(line: str) -> None:
    """What an e2e step did, on the terminal as it runs (scripts/e2e.sh runs pytest with -s)."""
    print(f"  e2e | {line}", flush=True)


@contextmanager
def language_host_environment() -> Iterator[None]:
    """PULUMI_CONFIG / PULUMI_CONFIG_SECRET_KEYS as the Python language host sets them for the
    program, from the config the engine sent in its Run request (which the Automation API's
    LanguageServer put into pulumi.runtime's config). Restored afterwards."""
    config = dict(CONFIG.get())
    secret = sorted(key for key in config if pulumi.runtime.is_config_secret(key))
    with environment(
        {
            "PULUMI_CONFIG": json.dumps(config, sort_keys=True, separators=(",", ":")),
            "PULUMI_CONFIG_SECRET_KEYS": json.dumps(secret),
        }
    ):
        yield


def inline_program(project_dir: Path = REPO) -> Callable[[], None]:
    """The shipped program, run as `pulumi-language-python-exec` runs `__main__.py`."""
    main = project_dir / "__main__.py"

    def run() -> None:
        if str(project_dir) not in sys.path:
            sys.path.insert(0, str(project_dir))
        with language_host_environment():
            runpy.run_path(str(main), run_name="__main__")

    return run


@dataclass
class Sandbox:
    """One e2e run's directory: project files, file backend, PULUMI_HOME, journal."""

    root: Path
    pulumi_root: Path = PULUMI_ROOT
    existing: Path | None = None
    """What the account already has, for imports (e2e/aws_provider.py, Read)."""

    @property
    def project_dir(self) -> Path:
        return self.root / "project"

    @property
    def state_dir(self) -> Path:
        return self.root / "state"

    @property
    def journal(self) -> Path:
        return self.root / "journal.jsonl"

    @property
    def pulumi(self) -> Path:
        return self.pulumi_root / "bin" / "pulumi"

    @classmethod
    def create(cls, root: Path, stack_files: Mapping[str, Path], *, with_program: bool = False,
               pulumi_root: Path = PULUMI_ROOT) -> Sandbox:
        """Copy Pulumi.yaml and each `stack -> Pulumi.<stack>.yaml` into a fresh project dir;
        `with_program` links __main__.py in too, so the offline tools can run there as well."""
        box = cls(root=root, pulumi_root=pulumi_root)
        for directory in (box.project_dir, box.state_dir, root / "home"):
            directory.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(REPO / "Pulumi.yaml", box.project_dir / "Pulumi.yaml")
        for stack, path in stack_files.items():
            shutil.copyfile(path, box.project_dir / f"Pulumi.{stack}.yaml")
        if with_program:
            (box.project_dir / "__main__.py").symlink_to(REPO / "__main__.py")
        return box

    def env(self, account: str) -> dict[str, str]:
        """The CLI's environment for a stack whose credentials belong to `account`."""
        return {
            "PATH": os.pathsep.join([str(STAND_INS), os.environ.get("PATH", "")]),
            "PULUMI_BACKEND_URL": f"file://{self.state_dir}",
            "PULUMI_CONFIG_PASSPHRASE": PASSPHRASE,
            "PULUMI_HOME": str(self.root / "home"),
            # Nothing is downloaded: no update check (pkg/cmd/pulumi/pulumi.go), no plugin or
            # language host acquisition (pkg/engine/plugins.go, pkg/engine/update.go
            # loadPolicyAnalyzer; sdk/go/common/env/env.go names both variables).
            "PULUMI_SKIP_UPDATE_CHECK": "true",
            "PULUMI_DISABLE_AUTOMATIC_PLUGIN_ACQUISITION": "true",
            ACCOUNT_ENV: account,
            JOURNAL_ENV: str(self.journal),
            **({EXISTING_ENV: str(self.existing)} if self.existing else {}),
        }

    def cli(self, args: Sequence[str], account: str) -> subprocess.CompletedProcess[str]:
        """`pulumi <args>` in the project directory, as a user types it."""
        return subprocess.run(
            [str(self.pulumi), *args, "--color", "never"], cwd=self.project_dir,
            env={**os.environ, **self.env(account)}, capture_output=True, text=True, check=False,
        )

    def init(self, name: str, account: str) -> auto.Stack:
        """`pulumi stack init <name>`, then the Automation API's handle on it."""
        done = self.cli(["stack", "init", name], account)
        if done.returncode != 0:
            raise RuntimeError(f"pulumi stack init {name} failed:\n{done.stdout}{done.stderr}")
        return self.stack(name, account)

    def stack(self, name: str, account: str) -> auto.Stack:
        """An existing stack, with the shipped program run inline."""
        options = auto.LocalWorkspaceOptions(
            work_dir=str(self.project_dir),
            pulumi_home=str(self.root / "home"),
            env_vars=self.env(account),
            # The Automation API checks the CLI's stamped version (scripts/build-pulumi.sh).
            pulumi_command=auto.PulumiCommand(root=str(self.pulumi_root)),
        )
        return auto.select_stack(name, project_name=PROJECT, program=inline_program(),
                                 opts=options)

    def journal_entries(self, since: int = 0) -> list[dict[str, Any]]:
        """What the stand-ins were asked, from entry `since` on."""
        if not self.journal.exists():
            return []
        lines = self.journal.read_text().splitlines()
        return [json.loads(line) for line in lines[since:] if line]


@dataclass
class Recorded:
    """The engine events of one operation, sorted into what the e2e checks."""

    steps: dict[str, events.StepEventMetadata] = field(default_factory=dict)  # urn -> pre-step
    ops: dict[str, list[str]] = field(default_factory=dict)  # urn -> every step's op, in order
    policy: list[events.PolicyEvent] = field(default_factory=list)
    diagnostics: list[events.DiagnosticEvent] = field(default_factory=list)
    summary: events.SummaryEvent | None = None
    config: dict[str, str] = field(default_factory=dict)  # what the engine gives the program
    stack_outputs: dict[str, Any] = field(default_factory=dict)
    failed: list[str] = field(default_factory=list)

    def __call__(self, event: events.EngineEvent) -> None:
        if event.resource_pre_event is not None:
            meta = event.resource_pre_event.metadata
            self.steps[meta.urn] = meta
            self.ops.setdefault(meta.urn, []).append(str(meta.op.value))
        if event.res_outputs_event is not None:
            meta = event.res_outputs_event.metadata
            if meta.type == STACK_TYPE and meta.new is not None:
                self.stack_outputs = dict(meta.new.outputs or {})
        if event.policy_event is not None:
            self.policy.append(event.policy_event)
        if event.diagnostic_event is not None:
            self.diagnostics.append(event.diagnostic_event)
        if event.prelude_event is not None:
            self.config = dict(event.prelude_event.config)
        if event.summary_event is not None:
            self.summary = event.summary_event
        if event.res_op_failed_event is not None:
            self.failed.append(event.res_op_failed_event.metadata.urn)

    def changed(self) -> dict[str, str]:
        """urn -> op of every step that is not `same`."""
        return {urn: str(meta.op.value) for urn, meta in self.steps.items()
                if meta.op != events.OpType.SAME}

    def counts(self) -> dict[str, int]:
        """The engine's own summary: op -> number of resources (the stack included)."""
        if self.summary is None:
            return {}
        return {str(op.value if hasattr(op, "value") else op): n
                for op, n in self.summary.resource_changes.items()}

    def errors(self) -> list[str]:
        return [d.message.strip() for d in self.diagnostics if d.severity == "error"]

    def mandatory(self) -> list[events.PolicyEvent]:
        return [p for p in self.policy if p.enforcement_level == "mandatory"]


@dataclass
class Outcome:
    """One preview, up or destroy: whether the CLI succeeded, its output and its events."""

    ok: bool
    output: str
    recorded: Recorded


def _policy_args(pack: Path | None, config: Path | None) -> dict[str, Any]:
    """`--policy-pack` and `--policy-pack-config` as the Automation API takes them."""
    if pack is None:
        return {}
    args: dict[str, Any] = {"policy_packs": [str(pack)]}
    if config is not None:
        args["policy_pack_configs"] = [str(config)]
    return args


def run(operation: str, stack: auto.Stack, *, pack: Path | None = None,
        config: Path | None = None, **options: Any) -> Outcome:
    """`pulumi <operation>` through the Automation API (the program inline): preview, up.

    The Automation API's `up` passes `--skip-preview`: the engine checks policies while it
    updates, stopping at the first resource a mandatory policy refuses."""
    recorded = Recorded()
    method = getattr(stack, operation)
    try:
        result = method(on_event=recorded, color="never", **_policy_args(pack, config),
                        **options)
    except auto.errors.CommandError as error:
        return Outcome(ok=False, output=str(error), recorded=recorded)
    return Outcome(ok=True, output=f"{result.stdout}\n{result.stderr}", recorded=recorded)


def preview_json(stack: auto.Stack, *, pack: Path | None = None,
                 config: Path | None = None) -> dict[str, Any]:
    """`pulumi preview --json`: the PreviewDigest the CLI prints (pkg/display/json.go)."""
    result = stack.preview(json=True, color="never", **_policy_args(pack, config))
    document: dict[str, Any] = json.loads(result.stdout)
    return document


def checkpoint(stack: auto.Stack) -> dict[str, dict[str, Any]]:
    """The stack's resources as the file backend stores them, by URN."""
    deployment = stack.export_stack().deployment or {}
    return {r["urn"]: r for r in deployment.get("resources", [])}
