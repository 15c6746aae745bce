"""What a preview would change in a deployed stack, for a reviewer: each step, the policy
documents statement by statement, and the security-relevant changes summed up."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from engine_model.steps import CREATE, DELETE, READ, REPLACE, SAME, UPDATE, Step
from offline.policy_diff import statement_diff

# Whole resource types whose every change is security-relevant: keys, lifecycle, Object Lock.
SECURITY_TYPES = frozenset({
    "aws:kms/key:Key",
    "aws:s3/bucketLifecycleConfiguration:BucketLifecycleConfiguration",
    "aws:s3/bucketObjectLockConfiguration:BucketObjectLockConfiguration",
})  # fmt: skip
# Properties that are security-relevant on any type: policy documents, trail selectors, the
# bucket's own Object Lock switch.
SECURITY_PROPERTIES = frozenset({
    "policy", "assumeRolePolicy", "content", "eventSelectors", "advancedEventSelectors",
    "insightSelectors", "objectLockEnabled",
})  # fmt: skip
MARKS = {CREATE: "+", UPDATE: "~", REPLACE: "+-", DELETE: "-", SAME: " ", READ: ">"}


def _carries_security_setting(step: Step) -> bool:
    """The resource holds a policy document (a bucket, key, topic, queue, bus or role policy,
    an SCP, a trust policy), trail selectors or the bucket's Object Lock switch."""
    state = step.new.inputs if step.new is not None else step.old.inputs if step.old else {}
    return any(
        key in SECURITY_PROPERTIES and value not in (None, False, "", [], {})
        for key, value in state.items()
    )


def security_relevant(step: Step) -> tuple[str, ...]:
    """Why the step matters to security (the properties, or the resource itself); empty if not."""
    if step.op in (SAME, READ):
        return ()
    if step.op in (CREATE, DELETE):
        if step.type in SECURITY_TYPES or _carries_security_setting(step):
            return ("the resource",)
        return ()
    if step.type in SECURITY_TYPES:
        return step.diff_reasons
    return tuple(key for key in step.diff_reasons if key in SECURITY_PROPERTIES)


@dataclass(frozen=True)
class Review:
    """A preview against the deployed state."""

    state_source: str
    steps: tuple[Step, ...]

    @property
    def changed(self) -> list[Step]:
        return [s for s in self.steps if s.op not in (SAME, READ)]

    @property
    def errors(self) -> list[str]:
        return [s.error for s in self.steps if s.error]

    def security(self) -> list[tuple[Step, tuple[str, ...]]]:
        return [(s, why) for s in self.steps if (why := security_relevant(s))]


def _name(urn: str) -> str:
    return urn.rsplit("::", 1)[-1]


def policy_lines(step: Step) -> list[str]:
    """The statement-level diff of each changed policy-valued property of an update or replace."""
    if step.old is None or step.new is None:
        return []
    lines: list[str] = []
    for key in step.diff_reasons:
        changes = statement_diff(step.old.inputs.get(key), step.new.inputs.get(key))
        if changes:
            lines.append(f"{key}:")
            lines.extend(f"    {change}" for change in changes)
    return lines


def step_lines(step: Step) -> list[str]:
    """A changed step: mark, type, name, op, the properties; then its policy diff, indented."""
    head = f" {MARKS[step.op]:<2} {step.type}  {_name(step.urn)}  {step.op}"
    if step.op == REPLACE:
        head += f"  [replace: {', '.join(step.replace_reasons)}]"
    if step.diff_reasons and step.op != REPLACE:
        head += f"  [diff: {', '.join(step.diff_reasons)}]"
    return [head, *(f"        {line}" for line in policy_lines(step))]


def _counts(steps: Sequence[Step]) -> list[str]:
    order = (CREATE, UPDATE, REPLACE, DELETE, READ)
    lines = []
    for op in order:
        n = sum(1 for s in steps if s.op == op)
        if n:
            lines.append(f"    {MARKS[op]} {n} to {op}")
    same = sum(1 for s in steps if s.op == SAME) + 1  # the stack itself
    lines.append(f"    {same} unchanged")
    return lines


def review_text(review: Review, stack: str) -> str:
    """The diff as text: changed resources, counts, then the security-relevant changes."""
    lines = [f"Previewing update ({stack}) offline, against {review.state_source}:", ""]
    changed = review.changed
    for step in changed:
        lines.extend(step_lines(step))
    if not changed:
        lines.append("    no changes")
    lines += ["", "Resources:", *_counts(review.steps)]
    security = review.security()
    lines += ["", f"Security-relevant changes: {len(security)}"]
    lines.extend(
        f"    {MARKS[step.op]} {step.type}  {_name(step.urn)}: {', '.join(why)}"
        for step, why in security
    )
    return "\n".join(lines)

