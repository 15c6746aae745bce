"""A deployed stack's state, as `pulumi stack export` writes it (deployment version 3).

The document is `apitype.UntypedDeployment` (`{"version": 3, "deployment": ...}`) around
`apitype.DeploymentV3`, whose `resources` are `apitype.ResourceV3` (pulumi/pulumi
sdk/go/common/apitype/core.go): urn, custom, id, type, inputs, outputs, parent, protect,
dependencies, provider, propertyDependencies, retainOnDelete, ... . A secret is stored as
`{"4dabf18193072939515e22adb298388d": "1b47061264138c4ac30d75fd1eb44270", "ciphertext": ...}`
(sdk/go/common/resource/sig.go, pkg/resource/stack/deployment.go `SerializePropertyValue`),
which offline cannot decrypt.
"""

from __future__ import annotations

import gzip
import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from engine_model.stack_files import StackFileError

DEPLOYMENT_VERSION = 3  # apitype.DeploymentSchemaVersionCurrent
STACK_TYPE = "pulumi:pulumi:Stack"
PROVIDER_PREFIX = "pulumi:providers:"


@dataclass(frozen=True)
class StateResource:
    """One resource of the checkpoint (apitype.ResourceV3, the fields a diff reads)."""

    urn: str
    type: str
    custom: bool
    id: str = ""
    parent: str = ""
    inputs: dict[str, Any] = field(default_factory=dict)
    outputs: dict[str, Any] = field(default_factory=dict)
    protect: bool = False
    retain_on_delete: bool = False
    provider: str = ""
    dependencies: tuple[str, ...] = ()
    document: dict[str, Any] = field(default_factory=dict)
    """The resource exactly as exported."""


@dataclass(frozen=True)
class DeployedState:
    """A stack's checkpoint: its resources in order, by URN."""

    stack: str
    project: str
    resources: dict[str, StateResource]
    source: str = ""
    """Where it was read from."""

    @property
    def outputs(self) -> dict[str, Any]:
        """The stack's outputs (the root stack resource's), what a stack reference reads."""
        root = next((r for r in self.resources.values() if r.type == STACK_TYPE), None)
        return dict(root.outputs) if root else {}


def _resource(raw: Any, where: str) -> StateResource:
    if not isinstance(raw, dict) or not isinstance(raw.get("urn"), str) or not isinstance(
        raw.get("type"), str
    ):
        raise StackFileError(f"{where}: expected a resource with a urn and a type")
    return StateResource(
        urn=raw["urn"],
        type=raw["type"],
        custom=bool(raw.get("custom")),
        id=str(raw.get("id") or ""),
        parent=str(raw.get("parent") or ""),
        inputs=dict(raw.get("inputs") or {}),
        outputs=dict(raw.get("outputs") or {}),
        protect=bool(raw.get("protect")),
        retain_on_delete=bool(raw.get("retainOnDelete")),
        provider=str(raw.get("provider") or ""),
        dependencies=tuple(raw.get("dependencies") or ()),
        document=raw,
    )


def parse_state(document: Any, source: str) -> DeployedState:
    """The checkpoint in an exported document, or StackFileError naming `source`."""
    if not isinstance(document, dict) or "deployment" not in document:
        raise StackFileError(f"{source}: expected what `pulumi stack export` writes (a JSON "
                             "object with version and deployment)")
    if document.get("version") != DEPLOYMENT_VERSION:
        raise StackFileError(f"{source}: expected deployment version {DEPLOYMENT_VERSION}, what "
                             f"`pulumi stack export` writes today (got {document.get('version')})")
    deployment = document["deployment"]
    raw = (deployment.get("resources") or []) if isinstance(deployment, dict) else None
    if not isinstance(raw, list):
        raise StackFileError(f"{source}: expected a list of resources in deployment.resources")
    resources = [_resource(r, f"{source}: resource {i}") for i, r in enumerate(raw)]
    if not resources:
        raise StackFileError(f"{source}: the stack has no resources (never deployed, or "
                             "destroyed); there is nothing to diff against")
    # urn:pulumi:<stack>::<project>::<type>::<name> (sdk/go/common/resource/urn.go)
    stack, project = resources[0].urn.removeprefix("urn:pulumi:").split("::")[:2]
    return DeployedState(stack=stack, project=project, resources={r.urn: r for r in resources},
                         source=source)


def load_state(path: Path) -> DeployedState:
    """`pulumi stack export` output from `path` (gzipped when it ends in .gz)."""
    try:
        data = path.read_bytes()
    except OSError as error:
        raise StackFileError(f"{path}: cannot be read ({error.strerror or error})") from None
    try:
        text = gzip.decompress(data).decode() if path.suffix == ".gz" else data.decode()
    except (OSError, EOFError, UnicodeDecodeError):
        raise StackFileError(f"{path}: not the text `pulumi stack export` writes (or that text "
                             "gzipped, for a .gz)") from None
    try:
        document = json.loads(text)
    except json.JSONDecodeError as error:
        raise StackFileError(f"{path}: not JSON ({error.msg}, line {error.lineno}); expected "
                             "what `pulumi stack export` writes") from None
    return parse_state(document, str(path))
