"""Typed, validating access to a stack's raw config values.

Pulumi hands a program every config value as a string (structured values as JSON). A RawConfig
reads them key by key, records every problem with the key's name and the expected form, and
knows which keys were never read, so a typo is an error rather than a silent default.
"""

from __future__ import annotations

import difflib
import json
import re
from collections.abc import Iterable, Mapping
from typing import Any, TypeVar

T = TypeVar("T")


class ConfigError(ValueError):
    """One or more config values are wrong; each problem names its key and the expected form."""

    def __init__(self, problems: Iterable[str]) -> None:
        self.problems = list(problems)
        super().__init__(
            "invalid stack configuration:\n" + "\n".join(f"  - {p}" for p in self.problems)
        )


class RawConfig:
    """The values of one config namespace, e.g. `cloudtrail-logging`, keyed by short name."""

    def __init__(self, namespace: str, values: Mapping[str, Any]) -> None:
        self.namespace = namespace
        self._values = dict(values)
        self._read: set[str] = set()
        self.problems: list[str] = []

    def full_key(self, key: str) -> str:
        return f"{self.namespace}:{key}"

    def fail(self, key: str, expected: str, got: Any = None) -> None:
        """Record a problem with `key`; `got` is shown when given."""
        shown = "" if got is None else f" (got {got!r})"
        self.problems.append(f"{self.full_key(key)}: expected {expected}{shown}")

    def has(self, key: str) -> bool:
        self._read.add(key)
        return key in self._values and self._values[key] not in (None, "")

    def _raw(self, key: str) -> Any:
        self._read.add(key)
        return self._values.get(key)

    def _structured(self, key: str) -> Any:
        """The value, JSON-decoded when Pulumi passed a structured value as a string."""
        value = self._raw(key)
        if isinstance(value, str):
            stripped = value.strip()
            if stripped[:1] in ("[", "{"):
                try:
                    return json.loads(stripped)
                except json.JSONDecodeError:
                    return value
        return value

    def string(
        self,
        key: str,
        default: str | None = None,
        *,
        pattern: str | None = None,
        expected: str = "a string",
        required: bool = False,
    ) -> str | None:
        value = self._raw(key)
        if value is None or value == "":
            if required:
                self.fail(key, f"{expected} (required)")
            return default
        if not isinstance(value, str):
            self.fail(key, expected, value)
            return default
        if pattern is not None and not re.fullmatch(pattern, value):
            self.fail(key, expected, value)
            return default
        return value

    def choice(self, key: str, choices: Iterable[str], default: str) -> str:
        options = list(choices)
        expected = "one of " + ", ".join(repr(c) for c in options)
        value = self.string(key, default, expected=expected)
        if value not in options:
            self.fail(key, expected, value)
            return default
        return value

    def integer(self, key: str, default: int, *, minimum: int, maximum: int) -> int:
        expected = f"a whole number from {minimum} to {maximum}"
        value = self._raw(key)
        if value is None or value == "":
            return default
        if isinstance(value, bool):
            self.fail(key, expected, value)
            return default
        try:
            number = int(str(value), 10)
        except ValueError:
            self.fail(key, expected, value)
            return default
        if not minimum <= number <= maximum:
            self.fail(key, expected, value)
            return default
        return number

    def boolean(self, key: str, default: bool) -> bool:
        value = self._raw(key)
        if value is None or value == "":
            return default
        if isinstance(value, bool):
            return value
        if str(value).lower() in ("true", "false"):
            return str(value).lower() == "true"
        self.fail(key, "true or false", value)
        return default

    def string_list(
        self,
        key: str,
        *,
        pattern: str | None = None,
        expected: str = "a list of strings",
        unique: bool = True,
    ) -> list[str]:
        """A list of strings, given as a YAML list or JSON array; each item must match."""
        value = self._structured(key)
        if value is None or value == "":
            return []
        if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
            self.fail(key, f"a list of {expected}", value)
            return []
        ok = True
        for index, item in enumerate(value):
            if pattern is not None and not re.fullmatch(pattern, item):
                self.fail(f"{key}[{index}]", expected, item)
                ok = False
        if unique:
            seen: set[str] = set()
            for index, item in enumerate(value):
                if item in seen:
                    self.fail(f"{key}[{index}]", f"{expected}, each listed once", item)
                    ok = False
                seen.add(item)
        return list(value) if ok else []

    def structured(self, key: str, expected: str) -> Any:
        """A structured (list or object) value, or None when unset; wrong JSON is recorded."""
        value = self._structured(key)
        if isinstance(value, str) and value != "":
            self.fail(key, expected, value)
            return None
        return value

    def unknown_keys(self) -> list[str]:
        """Keys that are set but that no parser read: typos, or keys of another stack role."""
        return sorted(set(self._values) - self._read)

    def raise_if_problems(self, known: Iterable[str] = ()) -> None:
        """Raise a ConfigError for every recorded problem and every unknown key."""
        known_keys = sorted(set(known) | self._read)
        for key in self.unknown_keys():
            close = difflib.get_close_matches(key, known_keys, n=1)
            hint = f"did you mean {close[0]}? " if close else ""
            self.problems.append(
                f"{self.full_key(key)}: not a setting of this stack; {hint}known settings are "
                + ", ".join(known_keys)
            )
        if self.problems:
            raise ConfigError(self.problems)
