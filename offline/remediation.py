"""A pack violation's remediation in this project's terms: the config key that made the choice
and the shipped policy config file that admits it.

The pack never imports the program, so its remediation speaks of resources. The schema declares,
for each documented choice the pack refuses by default, the rules that refuse it and the file
under `policies/config/` that admits it (`ConfigKey.pack_note`); this module reads that one
declaration, and a test holds each named file to the rules it names.
"""

from __future__ import annotations

import json
import re
from collections.abc import Mapping
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from cloudtrail_logging import schema

POLICY_ID = re.compile(r"\bctl-[a-z0-9]+-\d{3}\b")
CONFIG_FILE = re.compile(r"policies/config/[\w.-]+\.json")


@dataclass(frozen=True)
class Choice:
    """A config key whose non-default value some rules refuse, and the file that admits it."""

    key: str
    default: object
    policy_ids: tuple[str, ...]
    config_file: str


@cache
def choices() -> tuple[Choice, ...]:
    found = []
    for key in schema.KEYS:
        if key.pack_note is None:
            continue
        files = CONFIG_FILE.findall(key.pack_note)
        found.append(Choice(key.name, key.default, tuple(POLICY_ID.findall(key.pack_note)),
                            files[0] if files else ""))
    return tuple(found)


def choice_for(policy_name: str) -> Choice | None:
    """The choice behind a violation of `policy_name` (e.g. ctl-s3-001-bucket-encryption)."""
    return next((c for c in choices()
                 if any(policy_name.startswith(f"{p}-") for p in c.policy_ids)), None)


def _shown(value: object) -> str:
    return json.dumps(value) if not isinstance(value, str) else value


def config_remediation(policy_name: str, config: Mapping[str, str]) -> str | None:
    """`set <key> to <default>, or keep <value> with --policy-config <file>, which admits it`."""
    choice = choice_for(policy_name)
    if choice is None:
        return None
    full = f"{schema.NAMESPACE}:{choice.key}"
    current = config.get(full)
    keep = f"keep {current}" if current is not None else "keep this choice"
    return (f"set {full} to {_shown(choice.default)} (its default), or {keep} and preview with "
            f"--policy-config {choice.config_file}, which admits it")


def admitted_policies(config_file: Path) -> set[str]:
    """The policies a shipped config file configures or disables."""
    return set(json.loads(config_file.read_text()))
