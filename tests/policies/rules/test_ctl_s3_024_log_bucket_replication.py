"""ctl-s3-024: a CloudTrail bucket's replication has an enabled rule, no delete-marker
replication, SSE-KMS selection with a replica key, and a destination in another Region."""

from dataclasses import replace
from typing import Any

import pytest
from archive_cases import (
    LOGS,
    RequiredCases,
    log_bucket_stack,
    replica_bucket,
    replicated_stack,
    replication,
)
from guardrails.rules import ctl_s3_024_log_bucket_replication as rule
from guardrails.support import Res
from literals import (
    ACCOUNT,
    BUCKET,
    REGION,
    REPLICA_BUCKET_NAME,
    REPLICA_KEY_ARN,
    REPLICA_REGION,
    REPLICATION,
    UNKNOWN,
    replication_rule,
    without,
)
from rule_cases import res, stack_findings, urn, with_props

AES = [{"applyServerSideEncryptionByDefault": {"sseAlgorithm": "AES256"}}]


def with_rule(**overrides: Any) -> list[Res]:
    return [
        *without(replicated_stack(), "logs-replication"),
        replication(replication_rule(**overrides)),
    ]


def test_program_shape_passes_by_default_and_when_required() -> None:
    assert stack_findings(rule, replicated_stack()) == []
    assert stack_findings(rule, replicated_stack(), required=True) == []


def test_no_replication_passes_unless_required() -> None:
    assert stack_findings(rule, log_bucket_stack()) == []
    found = stack_findings(rule, log_bucket_stack(), required=True)
    assert found.decided and "must be replicated" in found[0][0]


def test_destination_outside_the_stack_passes() -> None:
    other = f"arn:aws:s3:::replica-in-another-account-{ACCOUNT}"
    stack = [
        *log_bucket_stack(),
        replication(
            replication_rule(
                destination={
                    "bucket": other,
                    "encryptionConfiguration": {"replicaKmsKeyId": REPLICA_KEY_ARN},
                }
            )
        ),
    ]
    assert stack_findings(rule, stack, required=True) == []


def test_no_enabled_rule_is_caught() -> None:
    found = stack_findings(rule, with_rule(status="Disabled"))
    assert found.decided and "no rule with status Enabled" in found[0][0]


def test_delete_marker_replication_is_caught() -> None:
    found = stack_findings(rule, with_rule(deleteMarkerReplication={"status": "Enabled"}))
    assert found.decided and "delete markers" in found[0][0]


@pytest.mark.parametrize(
    "overrides",
    [
        {"sourceSelectionCriteria": None},
        {"sourceSelectionCriteria": {"sseKmsEncryptedObjects": {"status": "Disabled"}}},
        {"destination": {"bucket": f"arn:aws:s3:::{REPLICA_BUCKET_NAME}"}},
    ],
    ids=["no-selection", "selection-disabled", "no-replica-key"],
)
def test_sse_kms_source_without_kms_replication_is_caught(overrides: dict) -> None:
    assert stack_findings(rule, with_rule(**overrides)).decided


def test_sse_s3_source_needs_no_kms_settings() -> None:
    stack = with_props(
        with_rule(
            sourceSelectionCriteria=None,
            destination={"bucket": f"arn:aws:s3:::{REPLICA_BUCKET_NAME}"},
        ),
        "logs-sse",
        rules=AES,
    )
    assert stack_findings(rule, stack) == []


def test_same_region_replica_is_caught() -> None:
    stack = [
        *with_props(log_bucket_stack(), "logs", region=REGION),
        *replica_bucket(region=REGION),
        replication(),
    ]
    found = stack_findings(rule, stack)
    assert found.decided and "same Region" in found[0][0]


def test_regions_not_set_on_both_buckets_are_not_judged() -> None:
    assert stack_findings(rule, replicated_stack(source_region=None)) == []


def test_legacy_inline_replication_is_read() -> None:
    inline_rule = {
        "status": "Enabled",
        "deleteMarkerReplicationStatus": "Enabled",
        "sourceSelectionCriteria": {"sseKmsEncryptedObjects": {"enabled": True}},
        "destination": {
            "bucket": f"arn:aws:s3:::{REPLICA_BUCKET_NAME}",
            "replicaKmsKeyId": REPLICA_KEY_ARN,
        },
    }
    inline = {"role": "arn:aws:iam::111122223333:role/r", "rules": [inline_rule]}
    stack = with_props(log_bucket_stack(), "logs", replicationConfiguration=inline)
    found = stack_findings(rule, stack)
    assert found.decided and "delete markers" in found[0][0]
    inline_rule["deleteMarkerReplicationStatus"] = "Disabled"
    assert stack_findings(rule, stack, required=True) == []


@pytest.mark.parametrize(
    "overrides",
    [
        {"status": UNKNOWN},
        {"deleteMarkerReplication": {"status": UNKNOWN}},
        {"sourceSelectionCriteria": {"sseKmsEncryptedObjects": {"status": UNKNOWN}}},
    ],
)
def test_unknown_rule_values_are_undecided(overrides: dict) -> None:
    assert stack_findings(rule, with_rule(**overrides)).undecided


def test_unknown_rules_or_encryption_or_region_are_undecided() -> None:
    assert stack_findings(
        rule, with_props(replicated_stack(), "logs-replication", rules=UNKNOWN)
    ).undecided
    unknown_sse = [{"applyServerSideEncryptionByDefault": {"sseAlgorithm": UNKNOWN}}]
    stack = with_props(with_rule(sourceSelectionCriteria=None), "logs-sse", rules=unknown_sse)
    assert stack_findings(rule, stack).undecided
    stack = with_props(replicated_stack(), "replica", region=UNKNOWN)
    assert stack_findings(rule, stack).undecided


def test_unknown_destination_resolved_through_its_dependency() -> None:
    same = with_props(replicated_stack(), "replica", region=REGION)
    stack = with_props(
        same,
        "logs-replication",
        rules=[
            replication_rule(
                destination={
                    "bucket": UNKNOWN,
                    "encryptionConfiguration": {"replicaKmsKeyId": UNKNOWN},
                }
            )
        ],
    )
    assert stack_findings(rule, stack).decided


def test_unknown_replication_bucket_without_dependency_is_undecided_when_required() -> None:
    stray = replace(replication(name="stray"), property_dependencies={})
    stray = replace(stray, props={**stray.props, "bucket": UNKNOWN})
    assert stack_findings(rule, [*log_bucket_stack(), stray], required=True).undecided


# --- what each finding is about, in both forms --------------------------------------------------

ROLE = f"arn:aws:iam::{ACCOUNT}:role/r"
SPLIT_OWNER = urn(REPLICATION, "logs-replication")


def legacy_rule(**overrides: Any) -> dict[str, Any]:
    """The program's rule in the legacy inline form of a Bucket's replicationConfiguration."""
    return {
        "status": "Enabled",
        "deleteMarkerReplicationStatus": "Disabled",
        "sourceSelectionCriteria": {"sseKmsEncryptedObjects": {"enabled": True}},
        "destination": {
            "bucket": f"arn:aws:s3:::{REPLICA_BUCKET_NAME}",
            "replicaKmsKeyId": REPLICA_KEY_ARN,
        },
    } | overrides


def configured(legacy: bool, *rules: dict[str, Any]) -> list[Res]:
    """replicated_stack with its replication made of `rules`, split or inline."""
    stack = without(replicated_stack(), "logs-replication")
    if legacy:
        return with_props(
            stack, "logs", replicationConfiguration={"role": ROLE, "rules": list(rules)}
        )
    return [*stack, replication(*rules)]


def selecting(field: str, value: Any) -> dict[str, Any]:
    return {"sourceSelectionCriteria": {"sseKmsEncryptedObjects": {field: value}}}


# (split overrides, legacy overrides, undecided?, what the finding names); {w}[1] is the faulty
# rule, after a disabled one.
FAULTS = {
    "no-enabled-rule": ({"status": "Disabled"}, {"status": "Disabled"}, False,
                        ["Bucket 'logs'", "no rule with status Enabled"]),
    "delete-markers": ({"deleteMarkerReplication": {"status": "Enabled"}},
                       {"deleteMarkerReplicationStatus": "Enabled"}, False,
                       ["{w}[1]", "({m} Enabled)"]),
    "no-selection": ({"sourceSelectionCriteria": None}, {"sourceSelectionCriteria": None}, False,
                     ["{w}[1]", "({s})"]),
    "no-replica-key": (
        {"destination": {"bucket": f"arn:aws:s3:::{REPLICA_BUCKET_NAME}",
                         "encryptionConfiguration": {"replicaKmsKeyId": ""}}},
        {"destination": {"bucket": f"arn:aws:s3:::{REPLICA_BUCKET_NAME}", "replicaKmsKeyId": ""}},
        False, ["{w}[1]", "({k})"]),
    "unknown-status": ({"status": UNKNOWN}, {"status": UNKNOWN}, True,
                       ["property '{w}[1].status'"]),
    "unknown-delete-markers": ({"deleteMarkerReplication": {"status": UNKNOWN}},
                               {"deleteMarkerReplicationStatus": UNKNOWN}, True,
                               ["property '{w}[1].{m}'"]),
    "unknown-selection": (selecting("status", UNKNOWN), selecting("enabled", UNKNOWN), True,
                          ["property '{w}[1].{s}'"]),
}  # fmt: skip
FIELDS = {
    False: {"w": "rules", "m": "deleteMarkerReplication.status",
            "s": "sourceSelectionCriteria.sseKmsEncryptedObjects.status",
            "k": "destination.encryptionConfiguration.replicaKmsKeyId"},
    True: {"w": "replicationConfiguration.rules", "m": "deleteMarkerReplicationStatus",
           "s": "sourceSelectionCriteria.sseKmsEncryptedObjects.enabled",
           "k": "destination.replicaKmsKeyId"},
}  # fmt: skip


@pytest.mark.parametrize("legacy", [False, True], ids=["split", "inline"])
@pytest.mark.parametrize("fault", FAULTS)
def test_each_finding_is_at_the_configuration_naming_the_rule_field(
    fault: str, legacy: bool
) -> None:
    split, inline, unknown, named = FAULTS[fault]
    make = legacy_rule if legacy else replication_rule
    found = stack_findings(rule, configured(legacy, make(status="Disabled"), make(**(
        inline if legacy else split))))  # fmt: skip
    assert found.urns == [LOGS if legacy else SPLIT_OWNER]
    assert found.undecided if unknown else found.decided
    assert ("Bucket 'logs'" if legacy else "BucketReplicationConfig 'logs-replication'") in found[
        0
    ][0]
    for text in named:
        assert text.format(**FIELDS[legacy]) in found[0][0]


@pytest.mark.parametrize("legacy", [False, True], ids=["split", "inline"])
def test_unknown_rules_are_undecided_naming_them(legacy: bool) -> None:
    owner = "logs" if legacy else "logs-replication"
    value = {"role": ROLE, "rules": UNKNOWN} if legacy else UNKNOWN
    prop = "replicationConfiguration" if legacy else "rules"
    found = stack_findings(rule, with_props(configured(legacy, replication_rule()), owner,
                                            **{prop: value}))  # fmt: skip
    assert found.undecided and found.urns == [LOGS if legacy else SPLIT_OWNER]
    owner_label = "Bucket 'logs'" if legacy else "BucketReplicationConfig 'logs-replication'"
    assert f"{owner_label} property '{FIELDS[legacy]['w']}' is unknown" in found[0][0]


def test_an_inline_configuration_without_rules_replicates_nothing() -> None:
    stack = with_props(log_bucket_stack(), "logs", replicationConfiguration={"role": ROLE})
    found = stack_findings(rule, stack)
    assert found.decided and found.urns == [LOGS]
    assert "no rule with status Enabled" in found[0][0]


# --- the default encryption unknown at preview ---------------------------------------------------

UNKNOWN_SSE = [{"applyServerSideEncryptionByDefault": {"sseAlgorithm": UNKNOWN}}]


@pytest.mark.parametrize(
    ("selection", "passes"),
    [
        ({"sseKmsEncryptedObjects": {"status": "Enabled"}}, True),
        ({"sseKmsEncryptedObjects": {"status": UNKNOWN}}, False),
        ({"replicaModifications": {"status": "Enabled"}}, False),
        (None, False),
    ],
    ids=["selected", "selection-unknown", "other-selection", "no-selection"],
)
def test_unknown_encryption_needs_sse_kms_objects_selected(selection: Any, passes: bool) -> None:
    stack = with_props(
        configured(False, replication_rule(sourceSelectionCriteria=selection)),
        "logs-sse",
        rules=UNKNOWN_SSE,
    )
    found = stack_findings(rule, stack)
    assert (found == []) is passes
    assert all(u == SPLIT_OWNER for _m, u in found) and found.undecided is not passes
    assert all("Bucket 'logs'" in m and "rules[0]" in m for m, _u in found)


def test_unknown_encryption_with_sse_kms_objects_selected_and_an_unknown_key_passes() -> None:
    """An unknown elsewhere in the rule leaves the selection known."""
    stack = with_props(configured(False, replication_rule(replica_key=UNKNOWN)), "logs-sse",
                       rules=UNKNOWN_SSE)  # fmt: skip
    assert stack_findings(rule, stack) == []


# --- the destination's Region ------------------------------------------------------------------


def test_same_region_is_caught_at_the_configuration_naming_both_buckets() -> None:
    found = stack_findings(rule, with_props(replicated_stack(), "replica", region=REGION))
    assert found.decided and found.urns == [SPLIT_OWNER]
    assert "Bucket 'logs'" in found[0][0] and "Bucket 'replica'" in found[0][0]


@pytest.mark.parametrize("unknown", ["logs", "replica"])
def test_an_unknown_region_on_either_side_is_undecided(unknown: str) -> None:
    found = stack_findings(rule, with_props(replicated_stack(), unknown, region=UNKNOWN))
    assert found.undecided and found.urns == [SPLIT_OWNER]
    assert "Bucket 'logs'" in found[0][0] and "Bucket 'replica'" in found[0][0]


def test_an_unknown_replica_region_is_not_judged_when_the_source_sets_none() -> None:
    stack = with_props(replicated_stack(source_region=None), "replica", region=UNKNOWN)
    assert stack_findings(rule, stack) == []


def unknown_destination(stack: list[Res], *deps: str, legacy: bool = False) -> list[Res]:
    """`stack` with the replication's destination bucket unknown at preview, built from `deps`
    (bucket names) as the engine's property dependencies say."""
    urns = [urn(BUCKET, d) for d in deps]
    dest = {"bucket": UNKNOWN, "encryptionConfiguration": {"replicaKmsKeyId": REPLICA_KEY_ARN}}
    if legacy:
        inline = legacy_rule(destination={"bucket": UNKNOWN, "replicaKmsKeyId": REPLICA_KEY_ARN})
        stack = with_props(without(stack, "logs-replication"), "logs",
                           replicationConfiguration={"role": ROLE, "rules": [inline]})  # fmt: skip
        return [replace(r, property_dependencies={"replicationConfiguration": urns})
                if r.name == "logs" else r for r in stack]  # fmt: skip
    stack = with_props(stack, "logs-replication", rules=[replication_rule(destination=dest)])
    deps = {"bucket": [LOGS], **({"rules": urns} if urns else {})}
    return [replace(r, property_dependencies=deps)
            if r.name == "logs-replication" else r for r in stack]  # fmt: skip


@pytest.mark.parametrize("legacy", [False, True], ids=["split", "inline"])
def test_an_unknown_destination_is_the_bucket_it_depends_on(legacy: bool) -> None:
    same = with_props(replicated_stack(), "replica", region=REGION)
    found = stack_findings(rule, unknown_destination(same, "replica", legacy=legacy))
    assert found.decided and found.urns == [LOGS if legacy else SPLIT_OWNER]
    assert "same Region" in found[0][0]


def test_only_the_buckets_the_destination_depends_on_are_judged() -> None:
    """A third bucket in the source's Region is not the replica."""
    other = res(BUCKET, "other", bucket="other", region=REGION)
    assert stack_findings(rule, unknown_destination([*replicated_stack(), other], "replica")) == []


def test_each_bucket_the_destination_depends_on_is_judged() -> None:
    """The first one sets no Region, the second the source's."""
    stack = [*replicated_stack(), res(BUCKET, "second", bucket="second", region=REGION)]
    stack = with_props(stack, "replica", drop=("region",))
    found = stack_findings(rule, unknown_destination(stack, "replica", "second"))
    assert found.decided and "Bucket 'second'" in found[0][0]


@pytest.mark.parametrize(("replica_region", "passes"), [(None, True), (REPLICA_REGION, False)])
def test_an_unresolved_destination_is_undecided_when_another_bucket_sets_a_region(
    replica_region: str | None, passes: bool
) -> None:
    stack = with_props(replicated_stack(), "replica", drop=("region",))
    if replica_region:
        stack = with_props(stack, "replica", region=replica_region)
    found = stack_findings(rule, unknown_destination(stack))
    assert (found == []) is passes
    assert all(u == SPLIT_OWNER and "BucketReplicationConfig 'logs-replication' property "
               "'rules[0].destination.bucket'" in m for m, u in found)  # fmt: skip
    assert found.undecided is not passes


# --- every log bucket; one that may be one -------------------------------------------------------


class TestRequired(RequiredCases):
    rule = rule
    what = "replication configuration"

    def stack(self) -> list[Res]:
        return replicated_stack()
