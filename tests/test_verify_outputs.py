"""`verify` reads only outputs the program exports, named through cloudtrail_logging/outputs.py."""

from __future__ import annotations

import pytest

from engine_model.program import preview_stack
from verify import outputs as verify_outputs
from verify.outputs import FIELDS, read_outputs


@pytest.fixture(scope="module")
def exported() -> dict[str, set[str]]:
    """What each shipped stack's program exports, by role."""
    found: dict[str, set[str]] = {}
    for stack in ("security", "dev"):
        outputs = preview_stack(stack).outputs
        found[str(outputs["role"])] = set(outputs)
    return found


def test_every_output_verify_reads_is_one_the_program_exports(
    exported: dict[str, set[str]],
) -> None:
    assert read_outputs() <= exported["log-archive"] | exported["member"]
    assert "logGroupKmsKeyArn" not in read_outputs()


def test_the_outputs_verify_requires_are_exported_by_both_roles(
    exported: dict[str, set[str]],
) -> None:
    required = {FIELDS[name].name for name in verify_outputs._REQUIRED}
    assert required <= exported["log-archive"] & exported["member"]
    assert "memberAccounts" in exported["log-archive"]


def test_reading_an_output_the_program_does_not_declare_is_refused() -> None:
    with pytest.raises(LookupError, match="reads 'logGroupKmsKeyArn', which cloudtrail_logging"):
        verify_outputs._declared("log_group_kms_key_arn", "logGroupKmsKeyArn")
    assert verify_outputs._declared("kms_key_arn", "kmsKeyArn").name == "kmsKeyArn"
