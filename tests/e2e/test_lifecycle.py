"""Both shipped stacks through the real engine, as a user runs them, step by step.

The steps run in file order and build on each other (one file backend, one pair of stacks); a
step that fails makes the later ones stop rather than report consequences. What is real and what
is a stand-in: e2e/engine.py.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest
from pulumi import automation as auto

from e2e.differential import offline_view
from e2e.engine import REPO, STACK_TYPE, Outcome, Sandbox, checkpoint, run, say

# When a mandatory violation stops `up`, the engine ends the run while the inline program still
# awaits its registrations; the SDK's abandoned coroutine is collected later, in whichever step
# runs then. A language host would simply have exited with its process.
pytestmark = pytest.mark.filterwarnings(
    "ignore:Exception ignored in. <coroutine object run_pulumi_func"
    ":pytest.PytestUnraisableExceptionWarning"
)

POLICIES = REPO / "policies"
EXAMPLE_CONFIG = REPO / "policies" / "policy-config.example.json"
ACCOUNTS = {"security": "222222222222", "dev": "111111111111"}
NEW_MEMBER = "333333333333"
KEY_ARN = re.compile(
    r"arn:aws:kms:us-east-1:222222222222:key/[0-9a-f]{8}(-[0-9a-f]{4}){3}-[0-9a-f]{12}")


@dataclass
class World:
    box: Sandbox
    stacks: dict[str, auto.Stack] = field(default_factory=dict)
    counts: dict[str, int] = field(default_factory=dict)  # stack -> resources it manages
    broken: str = ""


@pytest.fixture(scope="module")
def world(tmp_path_factory: pytest.TempPathFactory) -> World:
    root = tmp_path_factory.mktemp("lifecycle")
    box = Sandbox.create(root, {name: REPO / f"Pulumi.{name}.yaml" for name in ACCOUNTS},
                         with_program=True)  # the offline --diff runs there too (test_07)
    say(f"sandbox {root}: backend file://{box.state_dir}, PULUMI_HOME {root / 'home'}")
    return World(box=box)


@pytest.fixture(autouse=True)
def _in_order(world: World, request: pytest.FixtureRequest) -> Iterator[None]:
    """Later steps build on earlier ones: after a failure they stop instead of piling up."""
    if world.broken:
        pytest.fail(f"not run: {world.broken} failed")
    yield
    report = getattr(request.node, "rep_call", None)  # tests/e2e/conftest.py records it
    if report is not None and report.failed:
        world.broken = request.node.name


def cli(world: World, stack: str, *args: str) -> str:
    """`pulumi <args> --stack <stack>`, which must succeed; its output."""
    done = world.box.cli([*args, "--stack", stack], ACCOUNTS[stack])
    assert done.returncode == 0, f"pulumi {' '.join(args)} failed:\n{done.stdout}{done.stderr}"
    return done.stdout


def provider_calls(world: World, since: int, *calls: str) -> list[dict[str, Any]]:
    return [e for e in world.box.journal_entries(since)
            if e["plugin"] == "aws" and e["call"] in calls]


def expect_ok(outcome: Outcome, what: str) -> None:
    assert outcome.ok, f"{what} failed:\n{outcome.output[-4000:]}"


def by_type(resources: dict[str, dict[str, Any]], type_: str) -> dict[str, dict[str, Any]]:
    return {urn: r for urn, r in resources.items() if r["type"] == type_}


def short(urn: str) -> str:
    return urn.rsplit("::", 1)[-1]


def test_01_stack_init(world: World) -> None:
    for name in ACCOUNTS:
        world.stacks[name] = world.box.init(name, ACCOUNTS[name])
        copied = (world.box.project_dir / f"Pulumi.{name}.yaml").read_text()
        assert "encryptionsalt:" in copied, "the passphrase provider writes its salt on init"
        assert "encryptionsalt:" not in (REPO / f"Pulumi.{name}.yaml").read_text()
        say(f"pulumi stack init {name}: created; passphrase secrets (salt written to the copy "
            "of the shipped stack file)")
    listed = json.loads(world.box.cli(["stack", "ls", "--json"], ACCOUNTS["dev"]).stdout)
    assert sorted(s["name"] for s in listed) == sorted(ACCOUNTS)


def test_02_config_comes_from_the_shipped_stack_files(world: World) -> None:
    for name in ACCOUNTS:
        shown = json.loads(cli(world, name, "config", "--json"))
        assert json.loads(shown["aws:allowedAccountIds"]["value"]) == [ACCOUNTS[name]]
        role = "log-archive" if name == "security" else "member"
        assert shown["cloudtrail-logging:role"]["value"] == role
        say(f"pulumi config --stack {name}: {len(shown)} keys (Pulumi.yaml's defaults merged), "
            "aws:allowedAccountIds "
            f"[{ACCOUNTS[name]}], role {role}")


def test_03_preview_the_log_archive_with_the_pack(world: World) -> None:
    since = len(world.box.journal_entries())
    outcome = run("preview", world.stacks["security"], pack=POLICIES, config=EXAMPLE_CONFIG)
    expect_ok(outcome, "preview security")
    recorded = outcome.recorded
    ops = set(recorded.changed().values())
    assert ops == {"create"}, ops
    world.counts["security"] = recorded.counts()["create"]  # the stack included, providers not
    assert recorded.summary is not None
    # Local packs are keyed `<name>|local|<path>` (pkg/engine/update.go, NameForEvents).
    packs = {key.split("|")[0] for key in recorded.summary.policy_packs}
    assert packs == {"cloudtrail-logging-guardrails"}, recorded.summary.policy_packs
    assert recorded.mandatory() == []
    # The engine merged Pulumi.yaml's defaults into what the program receives.
    assert recorded.config["cloudtrail-logging:namePrefix"] == "cloudtrail-logging"
    creates = provider_calls(world, since, "Create", "Update", "Delete")
    assert creates and all(c["call"] == "Create" and c["preview"] for c in creates)
    configured = provider_calls(world, since, "Configure")
    assert {(c["account"], c["region"]) for c in configured} == {("222222222222", "us-east-1")}
    launched = [e for e in world.box.journal_entries(since) if e["call"] == "RunPlugin"]
    assert [e["kind"] for e in launched] == ["analyzer"]
    say("pulumi preview --stack security --policy-pack policies --policy-pack-config "
        f"policies/policy-config.example.json: {world.counts['security']} to create "
        f"({len(creates)} Create(preview) calls to the stand-in), policies passed "
        f"({len(recorded.policy)} advisory notes), {len(recorded.config)} config keys "
        "reached the program")


def test_04_up_the_log_archive(world: World) -> None:
    outcome = run("up", world.stacks["security"], pack=POLICIES, config=EXAMPLE_CONFIG)
    expect_ok(outcome, "up security")
    assert outcome.recorded.counts() == {"create": world.counts["security"]}
    outputs = world.stacks["security"].outputs()
    assert KEY_ARN.fullmatch(outputs["kmsKeyArn"].value), outputs["kmsKeyArn"].value
    state = checkpoint(world.stacks["security"])
    buckets = {r["outputs"]["bucket"]: r for r in by_type(state, "aws:s3/bucket:Bucket").values()}
    log_bucket = buckets[outputs["logBucketName"].value]
    assert log_bucket["protect"] and log_bucket["retainOnDelete"]
    assert log_bucket["id"] == outputs["logBucketName"].value
    say(f"pulumi up --stack security: {world.counts['security']} created; log bucket "
        f"{log_bucket['id']} protected and retained; kmsKeyArn {outputs['kmsKeyArn'].value}")


def test_05_the_member_reads_the_archive_through_a_stack_reference(world: World) -> None:
    since = len(world.box.journal_entries())
    preview = run("preview", world.stacks["dev"], pack=POLICIES, config=EXAMPLE_CONFIG)
    expect_ok(preview, "preview dev")
    world.counts["dev"] = preview.recorded.counts()["create"]
    outcome = run("up", world.stacks["dev"], pack=POLICIES, config=EXAMPLE_CONFIG)
    expect_ok(outcome, "up dev")
    archive = world.stacks["security"].outputs()
    trails = by_type(checkpoint(world.stacks["dev"]), "aws:cloudtrail/trail:Trail")
    (trail,) = trails.values()
    assert trail["inputs"]["s3BucketName"] == archive["logBucketName"].value
    assert trail["inputs"]["kmsKeyId"] == archive["kmsKeyArn"].value
    # The read is the engine's own builtin: the aws stand-in is never asked for it.
    invokes = {e["tok"] for e in provider_calls(world, since, "Invoke")}
    assert not any("readStackOutputs" in tok for tok in invokes)
    say(f"pulumi up --stack dev: {outcome.recorded.counts().get('create')} created; its trail "
        f"delivers to {trail['inputs']['s3BucketName']} under {archive['kmsKeyArn'].value}, "
        "both read from organization/cloudtrail-logging/security by the engine")


def test_06_a_second_preview_shows_no_changes(world: World) -> None:
    for name in ACCOUNTS:
        outcome = run("preview", world.stacks[name], pack=POLICIES, config=EXAMPLE_CONFIG,
                      expect_no_changes=True)
        expect_ok(outcome, f"second preview of {name}")
        assert outcome.recorded.changed() == {}
        assert outcome.recorded.counts() == {"same": world.counts[name]}
        say(f"pulumi preview --stack {name} --expect-no-changes: {world.counts[name]} unchanged")


def test_07_one_more_member_changes_only_the_documents_it_should(world: World) -> None:
    security = world.stacks["security"]
    path = f"cloudtrail-logging:memberAccounts[{1}]"
    # Without --type, `config set --path` stores 333333333333 as a number, and the engine
    # refuses the stack against Pulumi.yaml's declared type (pkg/workspace/config.go,
    # validateStackConfigValues).
    cli(world, "security", "config", "set", "--path", path, NEW_MEMBER)
    refused = run("preview", security, pack=POLICIES, config=EXAMPLE_CONFIG)
    assert not refused.ok
    assert "configuration key 'memberAccounts' must be of type 'array<string>'" in refused.output
    say(f"pulumi config set --path '{path}' {NEW_MEMBER}: stored as a number; the next preview "
        "is refused: memberAccounts must be of type 'array<string>'")
    cli(world, "security", "config", "set", "--path", path, NEW_MEMBER, "--type", "string")

    before = checkpoint(security)
    outputs = security.outputs()
    preview = run("preview", security, pack=POLICIES, config=EXAMPLE_CONFIG)
    expect_ok(preview, "preview security with a new member")
    changed = preview.recorded.changed()
    assert set(changed.values()) == {"update"}, changed
    # The offline --diff against what `pulumi stack export` wrote takes the engine's steps.
    state = world.box.root / "security-before.json"
    state.write_text(cli(world, "security", "stack", "export"))
    offline = offline_view(world.box.project_dir, "security", EXAMPLE_CONFIG,
                           ["--diff", str(state)]).document
    assert {s["urn"]: s["op"] for s in offline["steps"][1:]} == changed
    assert offline["changeSummary"] == preview.recorded.counts()
    say(f"python -m offline preview security --diff <pulumi stack export>: the engine's "
        f"{len(changed)} updates and {preview.recorded.counts()['same']} unchanged")

    # The three documents that list member accounts, found by what they are, not by name.
    log_bucket = outputs["logBucketName"].value
    bus_name = outputs["eventBusArn"].value.rsplit("/", 1)[-1]
    expected = {
        *(urn for urn, r in by_type(before, "aws:s3/bucketPolicy:BucketPolicy").items()
          if r["inputs"]["bucket"] == log_bucket),
        *(urn for urn, r in by_type(before, "aws:kms/key:Key").items()
          if r["outputs"]["arn"] == outputs["kmsKeyArn"].value),
        *(urn for urn, r in by_type(before, "aws:cloudwatch/eventBusPolicy:EventBusPolicy").items()
          if r["inputs"]["eventBusName"] == bus_name),
    }
    assert len(expected) == 3
    assert set(changed) == expected
    for urn in expected:
        step = preview.recorded.steps[urn]
        assert step.diffs == ["policy"], (urn, step.diffs)
        assert step.new is not None and step.new.inputs is not None
        assert NEW_MEMBER in step.new.inputs["policy"]
        assert NEW_MEMBER not in before[urn]["inputs"]["policy"]
    outcome = run("up", security, pack=POLICIES, config=EXAMPLE_CONFIG)
    expect_ok(outcome, "up security with a new member")
    assert outcome.recorded.counts() == {"same": world.counts["security"] - 3, "update": 3}
    member = run("preview", world.stacks["dev"], pack=POLICIES, config=EXAMPLE_CONFIG,
                 expect_no_changes=True)
    expect_ok(member, "preview dev after the archive admitted another member")
    say(f"pulumi config set --path '{path}' {NEW_MEMBER} --type string; pulumi up --stack "
        f"security: 3 updated ({', '.join(sorted(short(u) for u in expected))}: `policy` only, "
        f"now naming {NEW_MEMBER}), {world.counts['security'] - 3} unchanged; dev unchanged")


def test_08_a_mandatory_violation_stops_up(world: World) -> None:
    dev = world.stacks["dev"]
    cli(world, "dev", "config", "set", "cloudtrail-logging:logGroupKms", "false")
    before, since = checkpoint(dev), len(world.box.journal_entries())
    outcome = run("up", dev, pack=POLICIES)  # the pack's own defaults refuse logGroupKms false
    assert not outcome.ok, "up must fail"
    refused = {(p.policy_name, short(p.resource_urn or "")) for p in outcome.recorded.mandatory()}
    assert ("ctl-logs-001-log-group-encryption", "cloudwatch-log-group") in refused, refused
    assert provider_calls(world, since, "Create", "Update", "Delete") == []
    assert checkpoint(dev) == before
    cli(world, "dev", "config", "rm", "cloudtrail-logging:logGroupKms")
    again = run("preview", dev, pack=POLICIES, config=EXAMPLE_CONFIG, expect_no_changes=True)
    expect_ok(again, "preview dev after the config was restored")
    say("pulumi config set cloudtrail-logging:logGroupKms false; pulumi up --stack dev "
        f"--policy-pack policies: stopped, mandatory {sorted(refused)}; the stand-in was "
        "asked to change nothing and the checkpoint is unchanged; config rm restores it")


def test_09_destroy_stops_at_the_protected_resources(world: World) -> None:
    for name in ("dev", "security"):
        stack = world.stacks[name]
        before, since = checkpoint(stack), len(world.box.journal_entries())
        done = world.box.cli(["destroy", "--yes", "--stack", name], ACCOUNTS[name])
        assert done.returncode != 0, "destroy must fail"
        named = set(re.findall(r'resource "([^"]+)" cannot be deleted', done.stdout))
        assert named and all(before[urn]["protect"] for urn in named), named
        assert provider_calls(world, since, "Delete") == [], "the preview stops destroy"
        assert checkpoint(stack) == before
        say(f"pulumi destroy --yes --stack {name}: refused by its preview, {len(named)} "
            f"protected resources ({', '.join(sorted(short(u) for u in named))}); nothing "
            "deleted")
    outputs = world.stacks["security"].outputs()
    state = checkpoint(world.stacks["security"])
    log_bucket = [r for r in by_type(state, "aws:s3/bucket:Bucket").values()
                  if r["id"] == outputs["logBucketName"].value]
    assert log_bucket and log_bucket[0]["protect"]


def test_10_destroy_without_its_preview_deletes_up_to_the_protected_resources(
        world: World) -> None:
    """`--skip-preview` (what the Automation API's destroy passes) deletes every resource that
    is neither protected nor needed by a protected one, then stops. The log bucket survives with
    every setting that guards it: the archive protects them all (components/log_archive.py)."""
    stack = world.stacks["security"]
    outputs = stack.outputs()
    before, since = checkpoint(stack), len(world.box.journal_entries())
    done = world.box.cli(["destroy", "--yes", "--skip-preview", "--stack", "security"],
                         ACCOUNTS["security"])
    assert done.returncode != 0, "destroy must fail at the protected resources"
    after = checkpoint(stack)
    deleted = {e["urn"] for e in provider_calls(world, since, "Delete")}
    assert deleted == {urn for urn, r in before.items()
                       if r.get("custom") and urn not in after and r.get("id")}
    protected = {urn for urn, r in before.items() if r.get("protect")}
    assert protected <= set(after), "nothing protected is deleted"
    kept = set(protected)  # the protected resources and everything they depend on
    pending = list(protected)
    while pending:
        for dependency in before[pending.pop()].get("dependencies", []):
            if dependency not in kept:
                kept.add(dependency)
                pending.append(dependency)
    survivors = {urn for urn, r in after.items()
                 if r.get("custom") and r["type"] != STACK_TYPE
                 and not r["type"].startswith("pulumi:providers:")}
    assert survivors <= kept, f"survived without a reason: {sorted(survivors - kept)}"
    bucket_urns = {urn for urn, r in before.items()
                   if r.get("custom") and r.get("inputs", {}).get("bucket") ==
                   outputs["logBucketName"].value and urn in deleted}
    log_bucket = [r for r in after.values() if r.get("id") == outputs["logBucketName"].value]
    assert log_bucket and log_bucket[0]["type"] == "aws:s3/bucket:Bucket"
    # Only the notifications of new log objects go: they guard nothing.
    guards = [u for u in bucket_urns if before[u]["type"] != "aws:s3/bucketNotification:"
              "BucketNotification"]  # fmt: skip
    assert sorted(short(u) for u in guards) == [], "a guard of the log bucket was deleted"
    trail = [u for u, r in after.items() if r["type"] == "aws:cloudtrail/trail:Trail"]
    assert trail, "the archive's trail was deleted"
    say(f"pulumi destroy --yes --skip-preview --stack security: {len(deleted)} deleted, stopped "
        f"at {len(protected)} protected resources; the log bucket, every setting that guards "
        "it, and the trail survive (deleted of its settings: "
        f"{', '.join(sorted(short(u) for u in bucket_urns)) or 'none'})")
    Path(world.box.root / "destroyed.json").write_text(json.dumps(sorted(deleted), indent=1))
