"""ctl-s3-011: no bucket sets forceDestroy."""

from guardrails.rules import ctl_s3_011_bucket_no_force_destroy as rule
from literals import BUCKET, UNKNOWN
from rule_cases import res, resource_findings


def test_no_force_destroy_passes() -> None:
    assert resource_findings(rule, res(BUCKET, "b", forceDestroy=False)) == []
    assert resource_findings(rule, res(BUCKET, "b")) == []


def test_force_destroy_is_caught() -> None:
    assert resource_findings(rule, res(BUCKET, "b", forceDestroy=True)).decided


def test_unknown_is_undecided() -> None:
    assert resource_findings(rule, res(BUCKET, "b", forceDestroy=UNKNOWN)).undecided
