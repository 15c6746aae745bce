"""The deployed-state fixtures (tests/fixtures/state/) are what the engine exports today.

`python -m e2e.state_fixtures` deploys both shipped stacks through the real engine and writes
their `pulumi stack export`; this test makes them afresh and compares them with the checked-in
ones, resource by resource: URN, type, id, inputs, outputs, parent, protect, provider and
dependencies (not the times of creation, nor the program's source positions, which name the
machine's paths).
"""

from __future__ import annotations

from pathlib import Path

from e2e.engine import say
from e2e.state_fixtures import FIXTURES, make
from engine_model.state import load_state

COMPARED = ("urn", "type", "id", "custom", "inputs", "outputs", "parent", "protect",
            "retainOnDelete")
PROVIDER_PREFIX = "pulumi:providers:"


def _resources(path: Path) -> dict[str, dict[str, object]]:
    """Each resource's compared fields. The default provider's id is a UUID the engine makes up
    at each deployment, so a provider reference is compared by its URN; dependencies are a set
    (the SDK registers them in the order its awaits finish)."""
    found: dict[str, dict[str, object]] = {}
    for urn, r in load_state(path).resources.items():
        fields = {k: r.document.get(k) for k in COMPARED}
        if r.type.startswith(PROVIDER_PREFIX):
            fields.pop("id")
        fields["provider"] = r.provider.rsplit("::", 1)[0]
        fields["dependencies"] = sorted(r.dependencies)
        fields["propertyDependencies"] = {
            k: sorted(v) for k, v in (r.document.get("propertyDependencies") or {}).items()}
        found[urn] = fields
    return found


def test_the_fixtures_are_what_the_engine_exports(tmp_path: Path) -> None:
    for made in make(tmp_path):
        shipped = FIXTURES / made.name
        assert _resources(made) == _resources(shipped), (
            f"{shipped} is stale: run venv/bin/python -m e2e.state_fixtures")
        say(f"{shipped.name}: {len(_resources(made))} resources, as the engine exports them today")
