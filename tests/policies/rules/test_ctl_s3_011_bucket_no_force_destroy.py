"""ctl-s3-011: no bucket sets forceDestroy."""

from guardrails.rules import ctl_s3_011_bucket_no_force_destroy as rule
from literals import BUCKET, UNKNOWN
from rule_cases import decided, res, resource_findings, undecided


def test_no_force_destroy_passes() -> None:
    assert resource_findings(rule, res(BUCKET, "b", forceDestroy=False)) == []
    assert resource_findings(rule, res(BUCKET, "b")) == []


def test_force_destroy_is_caught() -> None:
    assert decided(resource_findings(rule, res(BUCKET, "b", forceDestroy=True)))


def test_unknown_is_undecided() -> None:
    assert undecided(resource_findings(rule, res(BUCKET, "b", forceDestroy=UNKNOWN)))
