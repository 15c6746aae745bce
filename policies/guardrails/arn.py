"""ARN and wildcard matching, as the IAM User Guide documents it. One home for the semantics.

* `Resource` / `NotResource` ("IAM JSON policy elements: Resource", section "Using wildcards in
  resource ARNs", https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_resource.html):
  "You can use wildcard characters (* and ?) within the individual segments of an ARN (the parts
  separated by colons)"; "If the * wildcard is the last character of a resource ARN segment, it
  can expand to match beyond the colon boundaries." So, in the five colon-separated segments
  before the resource part, `?` is one non-colon character and `*` stays inside its segment
  unless it ends the segment (next character `:` or end of pattern). In the resource part
  (after the fifth colon, which may itself hold colons and slashes) `*` is any run of
  characters and `?` any one character. A lone `*` is every resource.
* `ArnLike` / `ArnEquals` ("IAM JSON policy elements: Condition operators", section "Amazon
  Resource Name (ARN) condition operators",
  https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_condition_operators.html#Conditions_ARN):
  "Each of the six colon-delimited components of the ARN is checked separately and each can
  include multi-character match wildcards (*) or single-character match wildcards (?)". A
  pattern or value without six components therefore matches nothing (AWS documents no other
  reading); the sixth component runs to the end, colons included.
* `StringLike` and `Action` wildcards ignore ARN structure: `*` any run, `?` any one character.

Matching is case-sensitive except for actions. The shared table of cases that this module and
the offline evaluator (`tests/support/policy_eval.py`) both must pass is
`tests/policies/arn_cases.json`.
"""

from __future__ import annotations

import re
from functools import lru_cache

ARN_COMPONENTS = 6


@lru_cache(maxsize=4096)
def _glob_regex(pattern: str, ignore_case: bool) -> re.Pattern[str]:
    parts = []
    for chunk in re.split(r"([*?])", pattern):
        parts.append(".*" if chunk == "*" else "." if chunk == "?" else re.escape(chunk))
    return re.compile("".join(parts), re.DOTALL | (re.IGNORECASE if ignore_case else 0))


def glob_match(pattern: str, text: str, *, ignore_case: bool = False) -> bool:
    """`StringLike` / `Action` semantics: `*` any run of characters, `?` exactly one."""
    return _glob_regex(pattern, ignore_case).fullmatch(text) is not None


@lru_cache(maxsize=4096)
def _resource_regex(pattern: str) -> re.Pattern[str]:
    out: list[str] = []
    colons = 0
    for index, char in enumerate(pattern):
        in_prefix = colons < ARN_COMPONENTS - 1
        if char == ":":
            colons += 1
            out.append(":")
        elif char == "*":
            if not in_prefix:
                out.append(".*")
            else:
                ends_segment = index + 1 == len(pattern) or pattern[index + 1] == ":"
                out.append(".*" if ends_segment else "[^:]*")
        elif char == "?":
            out.append("." if not in_prefix else "[^:]")
        else:
            out.append(re.escape(char))
    return re.compile("".join(out), re.DOTALL)


def resource_match(pattern: str, arn: str) -> bool:
    """Whether a `Resource` element value covers `arn` (see the module docstring)."""
    if pattern == "*":
        return True
    return _resource_regex(pattern).fullmatch(arn) is not None


def arn_like(pattern: str, arn: str) -> bool:
    """`ArnLike` / `ArnEquals`: each of the six components matched on its own."""
    wanted = pattern.split(":", ARN_COMPONENTS - 1)
    actual = arn.split(":", ARN_COMPONENTS - 1)
    if len(wanted) != ARN_COMPONENTS or len(actual) != ARN_COMPONENTS:
        return False
    return all(glob_match(w, a) for w, a in zip(wanted, actual, strict=True))


def has_wildcard(value: str) -> bool:
    """Whether the value holds a wildcard or a policy variable (so it is not a fixed value)."""
    return "*" in value or "?" in value or "${" in value


def components(arn: str) -> list[str] | None:
    """The six components of an ARN, or None when it has fewer."""
    parts = arn.split(":", ARN_COMPONENTS - 1)
    return parts if len(parts) == ARN_COMPONENTS and parts[0] == "arn" else None
