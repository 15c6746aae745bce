"""Fixtures: one policy pack process serves the whole session (Configure is re-sent per run)."""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from typing import Any

import pytest
from policy_cases import PACK_DIR, PROJECT, STACK, CapturedResource, Run

from engine_model.analyzer import PolicyPackProcess


@pytest.fixture(scope="session")
def pack() -> Iterator[PolicyPackProcess]:
    with PolicyPackProcess(PACK_DIR) as process:
        yield process


@pytest.fixture
def run(pack: PolicyPackProcess) -> Run:
    def _run(resources: list[CapturedResource], config: Mapping[str, Any] | None = None) -> Any:
        return pack.analyze(resources, project=PROJECT, stack=STACK, config=config)

    return _run
