"""Sample custom API-call alerts the alerting tests configure."""

from __future__ import annotations

from cloudtrail_logging.alerting.alerts import ApiAlert

IAM_ALERT = ApiAlert("iam-user-created", "iam.amazonaws.com", ("CreateUser", "CreateAccessKey"))


def secret_reads(*user_arn_like: str) -> ApiAlert:
    """Secrets read by assumed roles, narrowed to the role ARN patterns given (none: any)."""
    return ApiAlert(
        "secret-reads",
        "secretsmanager.amazonaws.com",
        ("GetSecretValue",),
        user_identity_type="AssumedRole",
        user_arn_like=user_arn_like,
        description="Secrets read by admins",
    )
