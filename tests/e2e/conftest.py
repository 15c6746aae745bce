"""The e2e tier: the real Pulumi engine (scripts/e2e.sh). Not collected by scripts/test.sh.

These tests need the CLI built by scripts/build-pulumi.sh and take minutes, so they run only when
CLOUDTRAIL_E2E=1 (scripts/e2e.sh sets it). Without it, pytest does not collect this folder at
all: the fast suite stays fast and never reports e2e tests as skipped or passed.
"""

from __future__ import annotations

import os
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from e2e.engine import PULUMI_ROOT  # noqa: E402

ENABLED = os.environ.get("CLOUDTRAIL_E2E") == "1"
FIXTURES = Path(__file__).resolve().parent / "fixtures"

if not ENABLED:
    collect_ignore_glob = ["test_*.py"]


@pytest.fixture(scope="session", autouse=True)
def _cli_is_built() -> None:
    cli = PULUMI_ROOT / "bin" / "pulumi"
    if not cli.exists():
        pytest.exit(f"{cli} is missing: run bash scripts/build-pulumi.sh (scripts/e2e.sh does)",
                    returncode=2)



@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_makereport(item: pytest.Item, call: pytest.CallInfo[None]) -> Iterator[None]:
    """Keep each test's call report on its item, for steps that depend on earlier ones."""
    outcome = yield
    report = outcome.get_result()  # type: ignore[attr-defined]
    if report.when == "call":
        item.rep_call = report  # type: ignore[attr-defined]
