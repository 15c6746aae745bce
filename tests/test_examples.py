"""Every configuration under examples/ previews offline with the shipped pack enforced, as a user
runs it: the stack files copied beside Pulumi.yaml, stack references resolved between them, the
policy config the example names (none: the pack's defaults)."""

from __future__ import annotations

import json
import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest

from engine_model.analyzer import PolicyPackProcess
from engine_model.program import preview_stack
from offline.cli import POLICY_PACK_DIR
from tests.conftest import ROOT

EXAMPLES = ROOT / "examples"
# Each example and the shipped policy config it is previewed with (None: the pack's defaults).
POLICY_CONFIGS: dict[str, str | None] = {
    "organization": None,
    "sse-s3": "sse-s3.json",
    "cross-account-replica": None,
    "control-tower": "existing-organization-trail.json",
    "adoption": None,
}


def stacks_of(example: str) -> list[str]:
    files = sorted((EXAMPLES / example).glob("Pulumi.*.yaml"))
    return [f.name.removeprefix("Pulumi.").removesuffix(".yaml") for f in files]


CASES = [(example, stack) for example in POLICY_CONFIGS for stack in stacks_of(example)]


@pytest.fixture(scope="module")
def pack() -> Iterator[PolicyPackProcess]:
    with PolicyPackProcess(POLICY_PACK_DIR) as process:
        yield process


def project_with(example: str, where: Path) -> Path:
    """A project directory as a user has it: the project file, the program, the stack files."""
    for name in ("Pulumi.yaml", "__main__.py"):
        (where / name).symlink_to(ROOT / name)
    for stack_file in (EXAMPLES / example).glob("Pulumi.*.yaml"):
        shutil.copy(stack_file, where / stack_file.name)
    return where


def test_every_example_is_previewed_here() -> None:
    folders = {p.name for p in EXAMPLES.iterdir() if p.is_dir()}
    assert folders == set(POLICY_CONFIGS)
    assert all(stacks_of(example) for example in folders)
    # The examples' index names each of them.
    index = (EXAMPLES / "README.md").read_text()
    assert all(f"`{example}/`" in index for example in folders)


@pytest.mark.parametrize(("example", "stack"), CASES, ids=[f"{e}/{s}" for e, s in CASES])
def test_an_example_passes_the_pack(
    example: str, stack: str, pack: PolicyPackProcess, tmp_path: Path
) -> None:
    result = preview_stack(stack, project_dir=project_with(example, tmp_path))
    assert result.resources
    name = POLICY_CONFIGS[example]
    config = json.loads((POLICY_PACK_DIR / "config" / name).read_text()) if name else None
    report = pack.analyze(list(result.resources), project="cloudtrail-logging", stack=stack,
                          config=config)  # fmt: skip
    assert [(v.policy_name, v.message) for v in report.violations] == []


@pytest.mark.parametrize("example", [e for e, c in POLICY_CONFIGS.items() if c])
def test_an_examples_policy_config_is_needed(
    example: str, pack: PolicyPackProcess, tmp_path: Path
) -> None:
    """The pack's defaults refuse what the example documents, in one of its stacks at least."""
    project = project_with(example, tmp_path)
    refused = [
        stack for stack in stacks_of(example)
        if pack.analyze(list(preview_stack(stack, project_dir=project).resources),
                        project="cloudtrail-logging", stack=stack).violations
    ]  # fmt: skip
    assert refused, f"{example} needs no policy config"
