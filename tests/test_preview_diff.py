"""`preview --diff STATE`: each kind of step against exports the real engine wrote.

tests/fixtures/state/{security,dev}.json.gz are `pulumi stack export` of the shipped stacks after
`pulumi up` through the real engine (`python -m e2e.state_fixtures`, README "The real engine").
"""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from engine_model.state import load_state
from engine_model.steps import diff_inputs
from offline.cli import main
from tests.support.projects import project_copy

ROOT = Path(__file__).resolve().parent.parent
STATES = ROOT / "tests" / "fixtures" / "state"
SECURITY_STATE = STATES / "security.json.gz"
DEV_STATE = STATES / "dev.json.gz"
URN = "urn:pulumi:security::cloudtrail-logging::"
BUCKET_POLICY = URN + ("cloudtrail-logging:index:LogArchive$cloudtrail-logging:index:LogBucket$"
                       "aws:s3/bucketPolicy:BucketPolicy::log-archive-policy")
LOG_KEY = URN + ("cloudtrail-logging:index:LogArchive$cloudtrail-logging:index:ManagedKey$"
                 "aws:kms/key:Key::log-key-key")
BUS_POLICY = URN + ("cloudtrail-logging:index:CentralBus$aws:cloudwatch/eventBusPolicy:"
                    "EventBusPolicy::central-bus-bus-policy")


def project(tmp: Path, edit: Callable[[str], str] = lambda text: text) -> Path:
    """The project in `tmp`, its security stack file edited by `edit`."""
    return project_copy(tmp, {"security": edit})


def run(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    status = main(["preview", *args])
    out, err = capsys.readouterr()
    return status, out, err


def digest(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, dict[str, Any]]:
    status, out, _err = run(capsys, *args, "--json")
    return status, json.loads(out)


def changes(document: dict[str, Any]) -> dict[str, str]:
    """URN -> op of every step but the root stack's."""
    return {s["urn"]: s["op"] for s in document["steps"][1:]}


def test_nothing_changed_is_all_same(capsys: pytest.CaptureFixture[str]) -> None:
    status, document = digest(capsys, "security", "--diff", str(SECURITY_STATE))
    assert status == 0
    assert document["changeSummary"] == {"same": 160}
    assert [s["op"] for s in document["steps"]] == ["same"]  # the root stack's only
    status, out, _ = run(capsys, "security", "--diff", str(SECURITY_STATE), "--no-policy")
    assert "    no changes" in out and "Security-relevant changes: 0" in out


def test_a_member_reads_the_archive_from_its_state(capsys: pytest.CaptureFixture[str]) -> None:
    args = ("dev", "--diff", str(DEV_STATE), "--no-policy")
    status, document = digest(capsys, *args, "--diff", str(SECURITY_STATE))
    assert status == 0 and document["changeSummary"] == {"same": 109}
    # Without the archive's state, its outputs come from an offline run, whose made-up key id
    # differs from the deployed one: the trail's key shows as changed.
    status, document = digest(capsys, *args)
    trail = next(s for s in document["steps"] if s["op"] == "update")
    assert trail["diffReasons"] == ["kmsKeyId"] and trail["urn"].endswith("::account-trail")


def test_a_member_account_added_updates_only_the_documents_that_name_it(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    added = project(tmp_path, lambda t: t.replace('    - "111111111111"',
                                                  '    - "111111111111"\n    - "333333333333"'))
    args = ("security", "--project-dir", str(added), "--diff", str(SECURITY_STATE))
    status, document = digest(capsys, *args)
    assert status == 0
    assert changes(document) == {BUCKET_POLICY: "update", LOG_KEY: "update", BUS_POLICY: "update"}
    for step in document["steps"][1:]:
        assert step["diffReasons"] == ["policy"]
        assert step["detailedDiff"] == {"policy": {"kind": "update", "inputDiff": True}}
        assert step["oldState"]["urn"] == step["newState"]["urn"] == step["urn"]
    assert document["changeSummary"] == {"same": 157, "update": 3}
    extras = document["cloudtrailLogging"]["diff"]
    assert extras["policyDiffs"][BUCKET_POLICY] == [
        "policy:",
        '    ~ DenyCloudTrailFromUnlistedAccounts: Condition.StringNotEquals.aws:SourceAccount: '
        '+ "333333333333"',
    ]
    assert [c["urn"] for c in extras["securityChanges"]] == [BUS_POLICY, BUCKET_POLICY, LOG_KEY]
    status, out, _ = run(capsys, *args)
    assert "    ~ 3 to update\n    157 unchanged" in out
    assert out.count("+ \"333333333333\"") == 3
    assert "Security-relevant changes: 3" in out


def test_a_notification_target_removed_deletes_its_queue(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    targets = "bucketNotificationTargets:\n    - sns\n"
    edited = project(tmp_path, lambda t: t.replace(targets + "    - sqs\n", targets))
    status, document = digest(capsys, "security", "--project-dir", str(edited),
                              "--diff", str(SECURITY_STATE), "--no-policy")
    assert status == 0
    deleted = {urn.rsplit("::", 1)[1] for urn, op in changes(document).items() if op == "delete"}
    assert deleted == {"log-objects-fanout-queue", "log-objects-fanout-queue-policy",
                       "log-objects-fanout-queue-subscription"}
    for step in document["steps"][1:]:
        if step["op"] == "delete":
            assert "newState" not in step and step["oldState"]["urn"] == step["urn"]
    # The messaging key no longer lets that topic's deliveries to the queue use it.
    update = next(s for s in document["steps"] if s["op"] == "update")
    assert update["urn"].endswith("::messaging-key") and update["diffReasons"] == ["policy"]
    assert document["changeSummary"] == {"same": 156, "update": 1, "delete": 3}


def test_a_new_alert_email_replaces_the_subscriptions(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    edited = project(tmp_path, lambda t: t.replace("security-alerts@example.com",
                                                   "soc@example.com"))
    status, document = digest(capsys, "security", "--project-dir", str(edited),
                              "--diff", str(SECURITY_STATE), "--no-policy")
    assert status == 0
    replaced = [s for s in document["steps"][1:] if s["op"] == "replace"]
    assert len(replaced) == len(document["steps"]) - 1 == 3  # one per alert topic
    for step in replaced:
        assert step["urn"].split("::")[2].endswith("$aws:sns/topicSubscription:TopicSubscription")
        assert step["replaceReasons"] == step["diffReasons"] == ["endpoint"]
        assert step["detailedDiff"] == {"endpoint": {"kind": "update-replace", "inputDiff": True}}


def test_replacing_a_protected_resource_is_an_error(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    edited = project(tmp_path, lambda t: t.replace(
        "  cloudtrail-logging:role: log-archive\n",
        "  cloudtrail-logging:role: log-archive\n  cloudtrail-logging:logBucketName: other-logs\n"))
    status, out, err = run(capsys, "security", "--project-dir", str(edited),
                           "--diff", str(SECURITY_STATE), "--no-policy")
    assert status == 1
    lines = err.splitlines()
    bucket = URN + ("cloudtrail-logging:index:LogArchive$cloudtrail-logging:index:LogBucket$"
                    "aws:s3/bucket:Bucket::log-archive-bucket")
    assert (f"error: {bucket} would be replaced (bucket changed), but it is protected; the "
            "engine refuses to replace it") in lines
    assert all(line.startswith("error: ") for line in lines)
    assert " +- aws:s3/bucket:Bucket  log-archive-bucket  replace  [replace: bucket]" in out


def test_deleting_a_protected_resource_is_an_error(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    edited = project(tmp_path, lambda t: t.replace(
        "  cloudtrail-logging:objectLockMode: GOVERNANCE\n"
        "  cloudtrail-logging:objectLockRetentionDays: 2557\n", ""))
    status, out, err = run(capsys, "security", "--project-dir", str(edited),
                           "--diff", str(SECURITY_STATE), "--no-policy")
    assert status == 1
    assert any(line.startswith("error: ") and "BucketObjectLockConfiguration::" in line
               and line.endswith("would be deleted, but it is protected; the engine refuses to "
                                 "delete it") for line in err.splitlines())
    assert "Security-relevant changes:" in out


def test_a_state_of_another_stack_is_refused(capsys: pytest.CaptureFixture[str]) -> None:
    status, out, err = run(capsys, "security", "--diff", str(DEV_STATE))
    assert status == 1 and out == ""
    assert err == (f"error: --diff: expected an export of stack 'security' ({DEV_STATE} holds "
                   "stack 'dev')\n")


def test_a_file_that_is_no_export_is_refused(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    bad = tmp_path / "state.json"
    bad.write_text('{"version": 2, "deployment": {}}')
    status, _out, err = run(capsys, "security", "--diff", str(bad))
    assert status == 1
    assert err == (f"error: {bad}: expected deployment version 3, what `pulumi stack export` "
                   "writes today (got 2)\n")


def test_the_fixtures_are_real_engine_exports() -> None:
    state = load_state(SECURITY_STATE)
    assert state.stack == "security" and state.project == "cloudtrail-logging"
    types = {r.type for r in state.resources.values()}
    assert {"pulumi:pulumi:Stack", "pulumi:providers:aws"} <= types  # only the engine has these
    assert state.outputs["role"] == "log-archive"


@pytest.mark.parametrize(
    ("old", "new", "expected"),
    [
        ({"a": 1}, {"a": 1}, ((), (), {})),
        ({"name": "x"}, {"name": "y"}, (("name",), ("name",), {"name": "update-replace"})),
        ({"tags": {"a": "1"}}, {"tags": {"a": "2", "b": "3"}},
         (("tags",), (), {"tags.a": "update", "tags.b": "add"})),
        ({"rules": [{"days": 1}]}, {"rules": [{"days": 2}]},
         (("rules",), (), {"rules[0].days": "update"})),
        ({"x": 1}, {}, (("x",), (), {"x": "delete"})),
        ({"x": 1}, {"x": "04da6b54-80e4-46f7-96ec-b56ff0331ba9"}, (("x",), (), {"x": "update"})),
    ],
)
def test_inputs_are_diffed_per_property_path(
    old: dict[str, Any], new: dict[str, Any], expected: tuple[Any, ...]
) -> None:
    changed, replace, detailed = diff_inputs("aws:sqs/queue:Queue", old, new)
    assert (changed, replace, {k: v.kind for k, v in detailed.items()}) == expected


def test_a_missing_state_file_is_named(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    missing = tmp_path / "nothing.json"
    status, _out, err = run(capsys, "security", "--diff", str(missing))
    assert (status, err) == (1, f"error: {missing}: cannot be read (No such file or directory)\n")


def test_a_deleted_trail_or_policy_is_a_security_change_and_a_queue_is_not() -> None:
    from engine_model.state import StateResource
    from engine_model.steps import DELETE, Step
    from offline.changes import security_relevant

    def deleted(type_: str, inputs: dict[str, Any]) -> Step:
        return Step(DELETE, f"urn:x::{type_}::n", type_,
                    old=StateResource(f"urn:x::{type_}::n", type_, True, inputs=inputs))

    trail = deleted("aws:cloudtrail/trail:Trail", {"advancedEventSelectors": [{"name": "m"}]})
    policy = deleted("aws:sqs/queuePolicy:QueuePolicy", {"policy": '{"Statement": []}'})
    queue = deleted("aws:sqs/queue:Queue", {"name": "q"})
    lock = deleted("aws:s3/bucketObjectLockConfiguration:BucketObjectLockConfiguration", {})
    assert [security_relevant(s) for s in (trail, policy, queue, lock)] == [
        ("the resource",), ("the resource",), (), ("the resource",)]
