"""The stack's settings: every config value, validated before any resource is registered.

`parse_settings` reads the config the Pulumi CLI hands the program (every key, `namespace:key`
-> string, after the CLI merged Pulumi.yaml's defaults in) through the declarations of
`schema.py`, and returns typed `Settings` or raises `ConfigError` naming every bad key and the
expected form, one problem per line.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from dataclasses import replace
from typing import Any

from cloudtrail_logging import schema
from cloudtrail_logging.adoption import ADOPT_KEYS, Context, read_adoption
from cloudtrail_logging.aws import regions
from cloudtrail_logging.schema import Role
from cloudtrail_logging.settings.alerts import read_alerting
from cloudtrail_logging.settings.archive import read_log_archive
from cloudtrail_logging.settings.landing_zone import read_landing_zone
from cloudtrail_logging.settings.member import read_member
from cloudtrail_logging.settings.reader import (
    BLINDED_SECRET,
    ConfigError,
    Reader,
    checked_name,
    lambda_in_partition,
    read_account,
    read_fanout,
    read_region,
)
from cloudtrail_logging.settings.roles import (
    ArchiveSettings,
    CentralArchive,
    Encryption,
    Fanout,
    Guardrails,
    Integrity,
    Lifecycle,
    MemberSettings,
    Settings,
    StackSettings,
)

__all__ = [
    "BLINDED_SECRET",
    "ArchiveSettings",
    "CentralArchive",
    "ConfigError",
    "Encryption",
    "Fanout",
    "Guardrails",
    "Integrity",
    "Lifecycle",
    "MemberSettings",
    "Settings",
    "StackSettings",
    "parse_settings",
]


def _adopt(cfg: Reader, s: Settings) -> Settings:
    """The existing resources the stack imports, checked against its settings."""
    values = {key: cfg.optional(key) for key in ADOPT_KEYS if s.role in schema.BY_NAME[key].roles}
    context = Context(
        account_id=s.account_id,
        region=s.region,
        partition=s.partition,
        trail_name=s.trail_name,
        log_bucket_name=cfg.optional("logBucketName") if s.role == "log-archive" else None,
        encryption=s.encryption if s.role == "log-archive" else None,
        has_log_group=s.alerting.enabled,
    )
    adoption, problems = read_adoption(values, context)
    for key, expected, got in problems:
        cfg.fail(key, expected, got)
    return replace(s, adopt=adoption)


def parse_settings(
    values: Mapping[str, Any],
    deployer: Callable[[], str] | None = None,
    secret_keys: Iterable[str] = (),
) -> Settings:
    """Validate the stack's whole config (`namespace:key` -> value) into Settings.

    `deployer` returns the ARN of the principal deploying the stack (an IAM role's ARN, path
    included, for a role session); it is called for a log-archive stack only, whose
    administrators must include it. A key of `secret_keys` whose value is `[secret]` stands in
    for a secret the preview cannot read, and is taken as it is. Raises ConfigError listing every
    problem; nothing else happens.
    """
    cfg = Reader(values, secret_keys)
    account = read_account(cfg)
    region = read_region(cfg)
    partition = regions.partition_of(region)
    role: Role = cfg.get("role") or "member"
    if "role" not in cfg.project:
        cfg.fail("role", "log-archive or member (required)")
    cfg.check_keys(role)
    name_prefix = cfg.get("namePrefix")
    trail_name = cfg.optional("trailName") or name_prefix
    common = StackSettings(
        account_id=account,
        region=region,
        name_prefix=name_prefix,
        # Every account's trail carries this name: the log archive's policies admit only it.
        trail_name=checked_name(cfg, "trailName", "cloudtrail-trail", trail_name) or trail_name,
        trail_notifications=read_fanout(cfg, "trailNotification"),
        alerting=read_alerting(cfg, partition),
        insights=cfg.get("insights"),
        tamper_alerts=cfg.get("tamperAlerts"),
    )
    for key in ("trailNotificationLambdaArn", "bucketNotificationLambdaArn"):
        lambda_in_partition(cfg, key, partition)
    settings: Settings
    if role == "log-archive":
        settings = read_log_archive(cfg, common, deployer)
    else:
        settings = read_member(cfg, common)
    settings = read_landing_zone(cfg, settings)
    settings = _adopt(cfg, settings)
    if cfg.problems:
        raise ConfigError(cfg.problems)
    return settings
