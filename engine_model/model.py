"""The resource graph an offline run records: what the engine would hand to analyzers."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

# The engine's sentinel for a value not known until `pulumi up` (pulumi.runtime.rpc.UNKNOWN).
UNKNOWN = "04da6b54-80e4-46f7-96ec-b56ff0331ba9"
# The key and value that mark a secret in a serialized property map (pulumi.runtime.rpc,
# sdk/go/common/resource/sig.go): `{SECRET_SIG: SECRET_VALUE, "value": ...}`, in a checkpoint
# `"ciphertext": ...` instead of the value.
SECRET_SIG, SECRET_VALUE = "4dabf18193072939515e22adb298388d", "1b47061264138c4ac30d75fd1eb44270"


def any_nested(value: Any, test: Callable[[Any], bool]) -> bool:
    """Whether `test` holds for `value` or for a value anywhere inside its dicts and lists."""
    if test(value):
        return True
    if isinstance(value, dict):
        return any(any_nested(v, test) for v in value.values())
    if isinstance(value, list):
        return any(any_nested(v, test) for v in value)
    return False


@dataclass(frozen=True)
class CapturedResource:
    """One registered resource, as the engine sees it during a preview.

    `inputs` is the JSON form of the registered inputs (google.protobuf Struct as a dict): an
    unknown value is the UNKNOWN string, a secret is the engine's secret envelope.
    """

    urn: str
    type: str
    name: str
    custom: bool
    parent: str = ""
    inputs: dict[str, Any] = field(default_factory=dict)
    dependencies: tuple[str, ...] = ()
    property_dependencies: dict[str, tuple[str, ...]] = field(default_factory=dict)
    protect: bool = False
    retain_on_delete: bool = False
    provider: str = ""
    read: bool = False  # a read (a StackReference), not a resource the stack manages
    aliases: tuple[dict[str, Any], ...] = ()
    """The alias specs the program registered (JSON form of pulumirpc.Alias)."""
    import_id: str = ""
    """The `import` resource option: the id of an existing resource the engine imports."""
    additional_secret_outputs: tuple[str, ...] = ()
    """Outputs the resource asks to be kept secret (the SDK's resource classes declare some)."""


@dataclass(frozen=True)
class Diagnostic:
    """A message the program logged (pulumi.log), as the engine's diag event carries it."""

    severity: str  # debug, info, warning, error
    message: str
    urn: str = ""


@dataclass(frozen=True)
class PreviewResult:
    """A whole offline run of one stack."""

    project: str
    stack: str
    resources: tuple[CapturedResource, ...]
    outputs: dict[str, Any]
    invokes: tuple[tuple[str, dict[str, Any]], ...] = ()
    """The invokes the program made: (token, arguments), in order."""
    diagnostics: tuple[Diagnostic, ...] = ()
