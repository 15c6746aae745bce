"""The mutation run's own parts (scripts/mutation.py, scripts/mutation_equivalents.py): the run
itself takes minutes and writes docs/mutation.md; these check that each mutant is one change
of a module that still parses, and that the reviewed equivalents match only what they name."""

from __future__ import annotations

import ast
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "scripts"))

import mutation  # noqa: E402
from mutation_equivalents import Mutant, equivalent_kind  # noqa: E402

SMALL = "cloudtrail_logging/archive/lifecycle.py"


def test_each_mutant_is_one_change_of_a_module_that_still_parses() -> None:
    original = (ROOT / SMALL).read_text()
    mutants = list(mutation.mutants_of(SMALL))
    assert len(mutants) > 20
    for m in mutants:
        assert m.source != original and m.before != m.after
        ast.parse(m.source)
        head = original.splitlines()[: m.line - 1]
        assert m.source.splitlines()[: m.line - 1] == head  # nothing before its line changes
        assert m.after in m.source


def test_every_target_exists_and_every_pack_rule_is_measured() -> None:
    assert all((ROOT / path).is_file() for path in mutation.TARGETS)
    rule_dir = ROOT / "policies/guardrails/rules"
    rules = {str(p.relative_to(ROOT)) for p in rule_dir.glob("ctl_*.py")}
    assert rules <= set(mutation.TARGETS)
    for module in ("cloudtrail_logging/settings/archive.py", "cloudtrail_logging/schema.py"):
        assert module in mutation.TARGETS


def _mutant(before: str, after: str, path: str = SMALL, statement: str = "") -> Mutant:
    return Mutant(path, 0, 1, 0, before, after, "", statement)


@pytest.mark.parametrize(
    ("before", "after", "kind"),
    [
        ('"s3:GetObject"', '"S3:GETOBJECT"', "case of an IAM name"),
        ('"aws:SourceArn"', '"aws:sourcearn"', "case of an IAM name"),
        ('"must be more than the transition"', '"XXmust be more than the transitionXX"',
         "wording of a message"),
        ('", "', '"XX, XX"', "wording of a message"),
    ],
)  # fmt: skip
def test_a_reviewed_kind_is_equivalent(before: str, after: str, kind: str) -> None:
    assert equivalent_kind(_mutant(before, after)) == kind


@pytest.mark.parametrize(
    ("before", "after"),
    [
        ('"s3:GetObject"', '"s3:GetObjectVersion"'),  # another action: a real change
        ('"s3:GetObject"', '"XXs3:GetObjectXX"'),  # no longer an action
        ('"AWSLogs/"', '"awslogs/"'),  # a key prefix: S3 keys are case-sensitive
        ('"arn:aws:s3:::bucket/*"', '"ARN:AWS:S3:::BUCKET/*"'),  # an ARN is not prose
        ('"${aws:PrincipalArn}"', '"XX${aws:PrincipalArn}XX"'),  # a template
        ("90", "91"),
        ("a and b", "a or b"),
        ('"must be more"', '"must be less"'),  # other words: a different message
    ],
)
def test_anything_else_is_not_equivalent(before: str, after: str) -> None:
    assert equivalent_kind(_mutant(before, after)) is None


def test_a_reviewed_mutant_matches_only_its_module_and_statement() -> None:
    ct_007 = "policies/guardrails/rules/ctl_ct_007_trail_records_all_management_events.py"
    statement = "        return Sources(False, self.names & other.names)"
    before, after = "self.names & other.names", "self.names | other.names"
    assert equivalent_kind(_mutant(before, after, ct_007, statement)) == "reviewed"
    assert equivalent_kind(_mutant(before, after, SMALL, statement)) is None
    elsewhere = "return self.names & other.names"
    assert equivalent_kind(_mutant(before, after, ct_007, elsewhere)) is None


def test_a_budget_keeps_the_fastest_tests_that_fit_and_at_least_one() -> None:
    durations = {"a": 0.5, "b": 1.0, "c": 4.0}
    assert mutation.within(["a", "b", "c"], durations, 0.0) == ["a", "b", "c"]
    assert mutation.within(["a", "b", "c"], durations, 2.0) == ["a", "b"]
    assert mutation.within(["c", "a"], durations, 1.0) == ["c"]


def test_a_line_run_only_at_import_is_judged_by_the_tests_of_the_modules_importing_it() -> None:
    family = "policies/guardrails/families.py"
    rule = "policies/guardrails/rules/ctl_ct_001_trail_multi_region.py"
    assert rule in mutation.importers(family)
    assert "policies/guardrails/iam.py" not in mutation.importers(family)
    rule_test = "tests/policies/rules/test_ctl_ct_001_trail_multi_region.py::T::test_true_passes"
    other = "tests/test_plan.py::test_x"
    tmap = mutation.TestMap({family: {10: [], 11: [other]}}, {rule_test: 0.01, other: 0.02})
    assert rule_test in tmap.tests_for(family, 10)  # run at import only
    assert tmap.tests_for(family, 11) == [other]  # run by a test
    assert tmap.tests_for(family, 12) == []  # never run


def test_a_package_is_measured_under_its_own_name() -> None:
    assert mutation.module_name("cloudtrail_logging/settings/__init__.py") == (
        "cloudtrail_logging.settings")
    assert mutation.module_name("policies/guardrails/rules/ctl_ct_001_trail_multi_region.py") == (
        "guardrails.rules.ctl_ct_001_trail_multi_region")
    assert "cloudtrail_logging/plan/__init__.py" in mutation.importers(
        "cloudtrail_logging/settings/roles.py")
