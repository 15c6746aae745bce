"""The whole-stack tier is what tests/support/tiers.py lists, and nothing else previews a stack."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from tests.conftest import pytest_collection_modifyitems
from tests.support.tiers import WHOLE_STACK

ROOT = Path(__file__).resolve().parent.parent
# What a test imports to preview a whole stack or run the pack in its own process.
WHOLE_STACK_MACHINERY = re.compile(r"\bpreview_stack\b|\bPolicyPackProcess\b|\boffline\.cli\b")


def test_every_listed_module_exists_and_says_why() -> None:
    for path, why in WHOLE_STACK.items():
        assert (ROOT / path).is_file(), path
        assert why, path


def test_no_fast_tier_module_previews_a_whole_stack() -> None:
    fast = [
        p for p in (ROOT / "tests").rglob("test_*.py")
        if "e2e" not in p.parts and p.relative_to(ROOT).as_posix() not in WHOLE_STACK
    ]  # fmt: skip
    assert fast
    previewing = [p.relative_to(ROOT).as_posix() for p in fast
                  if WHOLE_STACK_MACHINERY.search(p.read_text())]  # fmt: skip
    assert previewing == [], "list these in tests/support/tiers.py"


class _Item:
    def __init__(self, path: str) -> None:
        self.path = ROOT / path
        self.markers: list[str] = []

    def add_marker(self, marker: pytest.MarkDecorator) -> None:
        self.markers.append(marker.name)


def test_the_listed_modules_alone_are_marked() -> None:
    items = [_Item(path) for path in (*WHOLE_STACK, "tests/test_tiers.py", "tests/test_plan.py")]
    pytest_collection_modifyitems(items)  # type: ignore[arg-type]
    assert [i.markers for i in items] == [["stack"]] * len(WHOLE_STACK) + [[], []]
