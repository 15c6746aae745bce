"""A member stack's keys: the archive it delivers to, the organization trail, its StackSets and
the guardrail policy."""

from __future__ import annotations

from cloudtrail_logging import schema
from cloudtrail_logging.schema import NAMESPACE
from cloudtrail_logging.settings.reader import ACCOUNT, Reader, checked_name
from cloudtrail_logging.settings.roles import (
    CentralArchive,
    Guardrails,
    MemberSettings,
    StackSettings,
)

MAX_ORGANIZATIONAL_UNITS = 50


def _central(cfg: Reader, account: str) -> CentralArchive:
    explicit = [
        k for k in ("centralBucketName", "centralAccountId", "centralKmsKeyArn",
                    "centralEventBusArn") if cfg.is_set(k)
    ]  # fmt: skip
    if not explicit:
        stack = cfg.get("centralStack")
        if not stack:
            cfg.reject("centralStack")
            cfg.problems.append(
                f"{NAMESPACE}:centralStack: the central stack is empty; expected the log-archive "
                f"stack this member delivers to, {schema.BY_NAME['centralStack'].form} (got \"\")"
            )
        return CentralArchive(stack=stack or None, bucket_name=None, account_id=None,
                              kms_key_arn=None, event_bus_arn=None)  # fmt: skip
    if cfg.is_set("centralStack") and cfg.optional("centralStack"):
        cfg.fail("centralStack", f"no value when {', '.join(explicit)} given explicitly",
                 cfg.get("centralStack"))
    bucket = cfg.optional("centralBucketName")
    if bucket is None:
        cfg.fail("centralBucketName", "an S3 bucket name, with the other central* keys")
    else:
        checked_name(cfg, "centralBucketName", "s3-bucket", bucket)
    central_account = cfg.optional("centralAccountId")
    if central_account is None:
        cfg.fail("centralAccountId", "a 12-digit account id, with the other central* keys")
    elif central_account == account and cfg.ok(ACCOUNT):
        cfg.fail("centralAccountId", "the log-archive account, not this member's own account",
                 central_account)
    return CentralArchive(
        stack=None,
        bucket_name=bucket,
        account_id=central_account,
        kms_key_arn=cfg.optional("centralKmsKeyArn"),
        event_bus_arn=cfg.optional("centralEventBusArn"),
    )


def read_member(cfg: Reader, common: StackSettings) -> MemberSettings:
    central = _central(cfg, common.account_id)
    organization_trail = cfg.get("organizationTrail")
    if central.stack is None and cfg.ok("centralStack"):
        if organization_trail:
            cfg.fail(
                "organizationTrail",
                "centralStack, so that the organization id and management account come from "
                "the log-archive stack",
            )
        if common.alerting.api_alerts and central.event_bus_arn is None:
            cfg.fail(
                "centralEventBusArn",
                "an EventBridge bus ARN, because apiAlerts forward to the central bus",
            )
    units = tuple(cfg.get("organizationalUnitIds"))
    if len(units) > MAX_ORGANIZATIONAL_UNITS:
        cfg.fail(
            "organizationalUnitIds",
            f"at most {MAX_ORGANIZATIONAL_UNITS} ids (CloudFormation CreateStackInstances)",
            len(units),
        )
    return MemberSettings(
        **vars(common),
        central=central,
        organization_trail=organization_trail,
        organization_alerts=cfg.get("organizationAlerts"),
        organizational_unit_ids=units,
        stack_set_call_as=cfg.get("stackSetCallAs"),
        guardrails=_guardrails(cfg, central, organization_trail),
    )


def _guardrails(
    cfg: Reader, central: CentralArchive, organization_trail: bool
) -> Guardrails | None:
    mode = cfg.get("guardrailPolicy")
    wanted = mode == "on" or (mode == "auto" and organization_trail)
    if not wanted:
        for key in ("guardrailTargetIds", "guardrailPrincipals"):
            if cfg.is_set(key):
                cfg.fail(key, f"no value while guardrailPolicy is {mode}"
                         + (" without organizationTrail" if mode == "auto" else ""),
                         cfg.written(key))  # fmt: skip
        return None
    if central.stack is None and cfg.ok("centralStack"):
        cfg.fail(
            "guardrailPolicy",
            "centralStack, so that the guardrail policy names the log archive's buckets, key "
            "and administrators as that stack exports them",
            mode,
        )
    targets = tuple(cfg.get("guardrailTargetIds"))
    if len(targets) > MAX_ORGANIZATIONAL_UNITS:
        cfg.fail("guardrailTargetIds", f"at most {MAX_ORGANIZATIONAL_UNITS} ids", len(targets))
    return Guardrails(target_ids=targets, principals=tuple(cfg.get("guardrailPrincipals")))
