"""Trust policies of the roles an AWS service assumes."""

from __future__ import annotations

from typing import Any

from cloudtrail_logging.aws import Policy, Statement


def service_trust_policy(sid: str, service: str, condition: dict[str, Any] | None = None) -> Policy:
    """A role's trust policy: `service` may assume the role (under `condition`, when given)."""
    statement: Statement = {
        "Sid": sid,
        "Effect": "Allow",
        "Principal": {"Service": service},
        "Action": "sts:AssumeRole",
    }
    if condition is not None:
        statement["Condition"] = condition
    return {"Version": "2012-10-17", "Statement": [statement]}
