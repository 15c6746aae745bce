"""One mistake, one error line: what a new user writes wrong, and exactly what the preview says.

Each case edits a shipped stack file as a user would, runs `python -m offline preview` (its
`main`), and holds the whole of stderr and the exit status; no line names an exception class,
an engine token, `None` or `null`.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from pathlib import Path

import pytest

from offline.cli import main
from tests.support.projects import project_copy

Edit = Callable[[str], str]
FORBIDDEN = re.compile(r"Traceback|Error:|Exception|\bNone\b|\bnull\b|pulumi:pulumi:")


def replace(old: str, new: str) -> Edit:
    def edit(text: str) -> str:
        assert old in text, old
        return text.replace(old, new, 1)

    return edit


def preview(capsys: pytest.CaptureFixture[str], directory: Path, stack: str,
            *args: str) -> tuple[int, list[str]]:
    status = main(["preview", stack, "--project-dir", str(directory), "--no-policy", *args])
    err = capsys.readouterr().err
    lines = err.splitlines()
    for line in lines:
        assert not FORBIDDEN.search(line), line
    return status, lines


CASES: dict[str, tuple[str, dict[str, Edit], list[str]]] = {
    "an Object Lock mode in lower case": (
        "security",
        {"security": replace("objectLockMode: GOVERNANCE", "objectLockMode: governance")},
        ['error: cloudtrail-logging:objectLockMode: expected one of GOVERNANCE, COMPLIANCE '
         '(got "governance")'],
    ),
    "an account id one digit short": (
        "security",
        {"security": replace('    - "222222222222"\n', '    - "22222222222"\n')},
        ["error: aws:allowedAccountIds: expected exactly one 12-digit account id, the stack's "
         'own account (got ["22222222222"])'],
    ),
    "a misspelt allowedAccountIds": (
        "security",
        {"security": replace("aws:allowedAccountIds:", "aws:allowedAccountId:")},
        ["error: aws:allowedAccountId: not a setting of the aws provider; did you mean "
         "aws:allowedAccountIds?"],
    ),
    "a misspelt profile": (
        "dev",
        {"dev": replace("  aws:region: eu-west-1\n",
                        "  aws:region: eu-west-1\n  aws:profle: dev\n")},
        ["error: aws:profle: not a setting of the aws provider; did you mean aws:profile?"],
    ),
    "an empty central stack": (
        "dev",
        {"dev": replace("centralStack: organization/cloudtrail-logging/security",
                        'centralStack: ""')},
        ['error: cloudtrail-logging:centralStack: the central stack is empty; expected the '
         'log-archive stack this member delivers to, a stack name '
         '<organization>/<project>/<stack> (got "")'],
    ),
    "an unknown central stack": (
        "dev",
        {"dev": replace("cloudtrail-logging/security", "cloudtrail-logging/prod")},
        ["error: cloudtrail-logging:centralStack: 'organization/cloudtrail-logging/prod' is an "
         "unknown stack: there is no stack 'prod' here (no Pulumi.prod.yaml beside "
         "{dir}/Pulumi.yaml)"],
    ),
    "a mistake in the log archive's stack file, met while previewing a member": (
        "dev",
        {"security": replace("objectLockMode: GOVERNANCE", "objectLockMode: governance")},
        ["error: {dir}/Pulumi.security.yaml (stack 'security', which dev reads through "
         "cloudtrail-logging:centralStack): cloudtrail-logging:objectLockMode: expected one of "
         'GOVERNANCE, COMPLIANCE (got "governance")'],
    ),
    "a member pointed at another member": (
        "dev",
        {"dev": replace("cloudtrail-logging/security", "cloudtrail-logging/dev2")},
        ["error: cloudtrail-logging:centralStack (organization/cloudtrail-logging/dev2): "
         "expected a log-archive stack; organization/cloudtrail-logging/dev2 is a member stack"],
    ),
    "an account id written as a YAML number": (
        "security",
        {"security": replace('    - "111111111111"\n',
                             '    - "111111111111"\n    - 333333333333\n')},
        ["error: Stack 'security' with configuration key 'memberAccounts' must be of type "
         "'array<string>'; 333333333333 is written as a YAML number: quote it "
         "(\"333333333333\") or set it with `pulumi config set --path "
         "'cloudtrail-logging:memberAccounts[1]' 333333333333 --type string`"],
    ),
    "an alert on an event name S3 never records": (
        "security",
        {"security": replace("eventNames: [RunInstances]", "eventNames: [PutBucketPolcy]")},
        ["error: cloudtrail-logging:apiAlerts[0].eventNames[0]: expected an event name "
         "ec2.amazonaws.com records (an API operation of that service) (got \"PutBucketPolcy\")"],
    ),
    "an alert on an S3 operation CloudTrail records under its legacy name": (
        "security",
        {"security": replace("eventSource: ec2.amazonaws.com\n      eventNames: [RunInstances]",
                             "eventSource: s3.amazonaws.com\n"
                             "      eventNames: [PutBucketLifecycleConfiguration]")},
        ["error: cloudtrail-logging:apiAlerts[0].eventNames[0]: expected an event name "
         "s3.amazonaws.com records: CloudTrail records PutBucketLifecycleConfiguration as "
         "PutBucketLifecycle (got \"PutBucketLifecycleConfiguration\")"],
    ),
    "an alert on a misspelt event source": (
        "security",
        {"security": replace("eventSource: ec2.amazonaws.com", "eventSource: ec3.amazonaws.com")},
        ["error: cloudtrail-logging:apiAlerts[0].eventSource: expected an event source "
         "CloudTrail records, <service>.amazonaws.com as botocore models it; did you mean "
         "ecs.amazonaws.com? (got \"ec3.amazonaws.com\")"],
    ),
    "an ESC environment import": (
        "dev",
        {"dev": lambda text: "environment:\n  - myorg/dev\n" + text},
        ["warning: {dir}/Pulumi.dev.yaml: imports the ESC environment 'myorg/dev', which only "
         "Pulumi Cloud can open: offline its pulumiConfig values, environment variables and "
         "files are not supplied, so a key it would set is unset here (or takes Pulumi.yaml's "
         "default)"],
    ),
}
DEV2 = {"Pulumi.dev2.yaml": (Path(__file__).parent.parent / "Pulumi.dev.yaml").read_text()}


@pytest.mark.parametrize("case", sorted(CASES))
def test_one_mistake_one_line(case: str, tmp_path: Path,
                              capsys: pytest.CaptureFixture[str]) -> None:
    stack, edits, expected = CASES[case]
    directory = project_copy(tmp_path, edits, DEV2)
    status, lines = preview(capsys, directory, stack)
    assert lines == [line.replace("{dir}", str(directory)) for line in expected]
    warning_only = all(line.startswith("warning: ") for line in expected)
    assert status == (0 if warning_only else 1)


def test_the_legacy_s3_name_fires_and_a_secure_value_previews(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """The compliant side of two cases above: PutBucketLifecycle is what CloudTrail records, and
    a `secure:` alert email stands in as [secret]."""
    directory = project_copy(tmp_path, {"security": lambda text: replace(
        "eventSource: ec2.amazonaws.com\n      eventNames: [RunInstances]",
        "eventSource: s3.amazonaws.com\n      eventNames: [PutBucketLifecycle]")(
        replace("alertEmail: security-alerts@example.com",
                "alertEmail:\n    secure: AAABADQ4OtRnbXk=")(text))})
    status, lines = preview(capsys, directory, "security")
    assert (status, lines) == (0, [])
