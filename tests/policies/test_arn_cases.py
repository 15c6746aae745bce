"""One ARN and wildcard semantics: the pack and the offline evaluator pass the same table."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from guardrails import arn

from tests.support.policy_eval import arn_like_matches, resource_matches

TABLE = json.loads((Path(__file__).parent / "arn_cases.json").read_text())
CASES: list[dict[str, Any]] = TABLE["cases"]
IMPLEMENTATIONS = {
    ("pack", "resource"): arn.resource_match,
    ("pack", "arn_like"): arn.arn_like,
    ("evaluator", "resource"): resource_matches,
    ("evaluator", "arn_like"): arn_like_matches,
}


@pytest.mark.parametrize("implementation", ["pack", "evaluator"])
@pytest.mark.parametrize(
    "case", CASES, ids=[f"{c['kind']}:{c['pattern']}~{c['arn']}" for c in CASES]
)
def test_case(implementation: str, case: dict[str, Any]) -> None:
    match = IMPLEMENTATIONS[(implementation, case["kind"])]
    assert match(case["pattern"], case["arn"]) is case["match"], case["why"]


def test_table_is_well_formed() -> None:
    assert {c["kind"] for c in CASES} == {"resource", "arn_like"}
    assert all(c["source"] in TABLE["sources"] for c in CASES)
    assert {c["match"] for c in CASES if c["kind"] == "resource"} == {True, False}
    assert {c["match"] for c in CASES if c["kind"] == "arn_like"} == {True, False}
    keys = [(c["kind"], c["pattern"], c["arn"]) for c in CASES]
    assert len(keys) == len(set(keys))


def test_the_two_kinds_differ_where_aws_says_they_do() -> None:
    # Resource: a `*` that ends a segment runs on past colons; ArnLike: six components.
    pattern, target = "arn:aws:sns:*:t", "arn:aws:sns:us-east-1:111111111111:t"
    assert arn.resource_match(pattern, target) and resource_matches(pattern, target)
    assert not arn.arn_like(pattern, target) and not arn_like_matches(pattern, target)


@pytest.mark.parametrize(
    ("value", "parts"),
    [
        ("arn:aws:s3:::logs/a:b", ["arn", "aws", "s3", "", "", "logs/a:b"]),
        ("arn:aws:iam::111122223333:root", ["arn", "aws", "iam", "", "111122223333", "root"]),
        ("urn:aws:iam::111122223333:root", None),
        ("arn:aws:s3", None),
        ("logs", None),
    ],
)
def test_components_of_an_arn(value: str, parts: list[str] | None) -> None:
    assert arn.components(value) == parts
