"""The offline preview against the real engine, on the same stacks: resources, URNs, inputs,
outputs, policy verdicts, the config the program receives, and declared dependencies.

Two pairs (a log-archive stack and a member that reads it): the shipped stacks, and the smallest
pair (tests/e2e/fixtures/minimal). Each stack is previewed under two policy configs: the
documented example, and tests/e2e/fixtures/verdicts.json, which demands what the stacks do not do
so that both sides must report the same mandatory and advisory violations. How the two sides are
put into one form, and which differences are expected: e2e/differential.py.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from pathlib import Path

import pytest

from e2e.differential import (
    OFFLINE_UNKNOWN,
    ResourceView,
    Verdict,
    View,
    compare,
    compare_config,
    compare_dependencies,
    compare_digest,
    engine_view,
    offline_view,
    policy_descriptions,
)
from e2e.engine import REPO, Sandbox, checkpoint, preview_json, run, say
from engine_model.stack_files import load_stack_config

FIXTURES = Path(__file__).resolve().parent / "fixtures"
POLICIES = REPO / "policies"
CONFIGS = {
    "example": REPO / "policies" / "policy-config.example.json",
    "verdicts": FIXTURES / "verdicts.json",
}
ARCHIVE_ACCOUNT, MEMBER_ACCOUNT = "222222222222", "111111111111"


@dataclass(frozen=True)
class Pair:
    name: str
    directory: Path
    archive: str
    member: str


PAIRS = {
    "shipped": Pair("shipped", REPO, "security", "dev"),
    "minimal": Pair("minimal", FIXTURES / "minimal", "archive", "member"),
}


@dataclass
class Compared:
    """Everything one pair's run found, kept for the assertions below."""

    problems: list[str] = field(default_factory=list)
    views: dict[tuple[str, str], tuple[View, View]] = field(default_factory=dict)


def _compare_stack(box: Sandbox, stack: str, account: str, found: Compared) -> None:
    handle = box.stack(stack, account)
    example = CONFIGS["example"]
    digest = preview_json(handle, pack=POLICIES, config=example)
    offline_digest = offline_view(box.project_dir, stack, example).document
    found.problems += [f"{stack} --json: {line}" for line in compare_digest(offline_digest, digest)]
    say(f"{stack}: `pulumi preview --json` and `python -m offline preview --json`, "
        f"{len(digest.get('steps', []))} steps, shapes compared")
    for config_name, config in CONFIGS.items():
        offline = offline_view(box.project_dir, stack, config)
        outcome = run("preview", handle, pack=POLICIES, config=config)
        if not outcome.ok and not outcome.recorded.mandatory():
            pytest.fail(f"engine preview of {stack} failed:\n{outcome.output[-4000:]}")
        engine = engine_view(outcome.recorded, policy_descriptions(offline.document))
        found.views[(stack, config_name)] = (offline, engine)
        where = f"{stack} [{config_name}]"
        found.problems += [f"{where}: {line}" for line in compare(offline, engine)]
        levels = sorted({v.level for v in engine.verdicts})
        say(f"{where}: offline and engine previews, {len(engine.resources)} resources, "
            f"{len(engine.verdicts)} policy verdicts {levels}, compared")
    offline_config = load_stack_config(stack, box.project_dir).values
    engine_config = found.views[(stack, "example")][1].config
    found.problems += [f"{stack}: {line}" for line in compare_config(offline_config, engine_config)]
    up = run("up", handle, pack=POLICIES, config=CONFIGS["example"])
    assert up.ok, f"up {stack} failed:\n{up.output[-4000:]}"
    document = found.views[(stack, "example")][0].document
    deployment = {"resources": list(checkpoint(handle).values())}
    found.problems += [f"{stack}: {line}" for line in compare_dependencies(document, deployment)]


@pytest.fixture(scope="module", params=sorted(PAIRS))
def compared(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
             ) -> tuple[Pair, Compared]:
    pair = PAIRS[request.param]
    stacks = {name: pair.directory / f"Pulumi.{name}.yaml" for name in (pair.archive, pair.member)}
    box = Sandbox.create(tmp_path_factory.mktemp(f"differential-{pair.name}"), stacks,
                         with_program=True)
    found = Compared()
    box.init(pair.archive, ARCHIVE_ACCOUNT)
    box.init(pair.member, MEMBER_ACCOUNT)
    # The archive first: the member's engine preview reads its outputs from the backend, the
    # offline one from the archive's offline run in deploy mode.
    _compare_stack(box, pair.archive, ARCHIVE_ACCOUNT, found)
    _compare_stack(box, pair.member, MEMBER_ACCOUNT, found)
    return pair, found


def test_offline_and_engine_agree(compared: tuple[Pair, Compared]) -> None:
    pair, found = compared
    assert found.problems == [], (
        f"{pair.name}: the offline model and the engine disagree "
        f"({len(found.problems)}):\n" + "\n".join(found.problems)
    )
    say(f"{pair.name} pair: resources, URNs, inputs, outputs, verdicts, config and "
        "dependencies agree")


def test_the_comparison_had_verdicts_to_compare(compared: tuple[Pair, Compared]) -> None:
    """verdicts.json must make both stacks of each pair fail a mandatory rule and warn on an
    advisory one, or the verdict comparison would compare empty sets."""
    pair, found = compared
    for stack in (pair.archive, pair.member):
        engine = found.views[(stack, "verdicts")][1]
        levels = {v.level for v in engine.verdicts}
        assert "advisory" in levels, (stack, engine.verdicts)
        if stack == pair.archive:
            assert "mandatory" in levels, (stack, engine.verdicts)


def test_a_difference_is_reported(compared: tuple[Pair, Compared]) -> None:
    """The comparison is not blind: each kind of disagreement, planted in a copy of a real
    offline view, is reported."""
    pair, found = compared
    offline, engine = found.views[(pair.archive, "verdicts")]
    assert compare(offline, engine) == []
    urn, resource = next(iter(sorted(offline.resources.items())))
    planted = {
        "input": {**offline.resources, urn: replace(
            resource, inputs={**resource.inputs, "planted": OFFLINE_UNKNOWN})},
        "protect": {**offline.resources, urn: replace(resource, protect=not resource.protect)},
        "urn": {**{k: v for k, v in offline.resources.items() if k != urn},
                urn + "-renamed": resource},
    }
    for kind, resources in planted.items():
        problems = compare(replace(offline, resources=resources), engine)
        assert problems, f"a planted {kind} difference was not reported"
    verdict = Verdict("planted-policy", urn, "mandatory", "planted")
    assert compare(replace(offline, verdicts={*offline.verdicts, verdict}), engine) == [
        f"policy verdict offline only: {verdict}"
    ]
    assert compare(replace(offline, outputs={**offline.outputs, "planted": 1}), engine) == [
        "outputs.planted: offline only (1)"
    ]
    assert compare(offline, replace(engine, resources={
        **engine.resources, "urn:planted": ResourceView("t", "", False, False, {})})) == [
        "urn:planted: engine only"
    ]
