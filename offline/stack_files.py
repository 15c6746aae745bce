"""A stack's config as the CLI assembles it: Pulumi.yaml declarations, then Pulumi.<stack>.yaml."""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

PROJECT_DIR = Path(__file__).resolve().parent.parent


class StackFileError(ValueError):
    """The project or stack file is missing or malformed."""


@dataclass(frozen=True)
class StackConfig:
    project: str
    stack: str
    values: dict[str, str]  # "namespace:key" -> the string the CLI would pass


def _as_config_string(value: Any) -> str:
    """The CLI hands structured and scalar values to programs as strings (JSON for objects)."""
    if isinstance(value, str):
        return value
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, (int, float)):
        return str(value)
    return json.dumps(value)


def load_project(project_dir: Path = PROJECT_DIR) -> dict[str, Any]:
    path = project_dir / "Pulumi.yaml"
    if not path.is_file():
        raise StackFileError(f"{path}: not found")
    project = yaml.safe_load(path.read_text())
    if not isinstance(project, dict) or not isinstance(project.get("name"), str):
        raise StackFileError(f"{path}: expected a mapping with a project name")
    return project


def load_stack_config(stack: str, project_dir: Path = PROJECT_DIR) -> StackConfig:
    """Merge project config declarations (defaults, types) with the stack file, like the CLI."""
    project = load_project(project_dir)
    name = project["name"]
    path = project_dir / f"Pulumi.{stack}.yaml"
    if not path.is_file():
        raise StackFileError(f"{path}: no such stack file (stack {stack!r})")
    document = yaml.safe_load(path.read_text()) or {}
    raw = document.get("config") or {}
    if not isinstance(raw, dict):
        raise StackFileError(f"{path}: 'config' must be a mapping")
    declared: dict[str, Any] = project.get("config") or {}
    values: dict[str, str] = {}
    for key, spec in declared.items():
        if isinstance(spec, dict) and "default" in spec:
            values[f"{name}:{key}"] = _as_config_string(spec["default"])
    for key, value in raw.items():
        full = key if ":" in key else f"{name}:{key}"
        if isinstance(value, dict) and "secure" in value:
            raise StackFileError(f"{path}: {full}: secrets cannot be decrypted offline")
        short = full.split(":", 1)[1]
        spec = declared.get(short) if full.startswith(f"{name}:") else None
        if isinstance(spec, dict):
            _check_declared_type(path, full, spec, value)
        values[full] = _as_config_string(value)
    return StackConfig(project=name, stack=stack, values=values)


_YAML_TYPES = {"string": str, "integer": int, "boolean": bool, "array": list}


def _check_declared_type(path: Path, key: str, spec: dict[str, Any], value: Any) -> None:
    """The CLI refuses a value whose type differs from the project's declaration."""
    expected = _YAML_TYPES.get(spec.get("type", ""))
    ok = expected is None or isinstance(value, expected)
    if expected is int and isinstance(value, bool):
        ok = False
    if not ok:
        raise StackFileError(
            f"{path}: {key}: expected a value of type {spec['type']} as Pulumi.yaml declares "
            f"(got {value!r})"
        )
