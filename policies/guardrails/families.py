"""Rule families: rules that differ only by the resource types and the property they judge, each
family made by one factory that returns the rule module's two exports, its check and its policy.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import Any, NamedTuple, Unpack

from pulumi_policy import ResourceValidationPolicy

from guardrails import iam
from guardrails.declare import PolicyFields, resource_policy
from guardrails.support import TRAIL_TYPE, ResourceCheck, bool_settings_check, key_id_check


class Rule(NamedTuple):
    """What a rule module exports: `check, POLICY = <family>_rule(...)`."""

    check: ResourceCheck
    policy: ResourceValidationPolicy


def _rule(types: Iterable[str], check: ResourceCheck, fields: PolicyFields) -> Rule:
    return Rule(check, resource_policy(types=types, check=check, **fields))


def family_sets(fields: PolicyFields, *names: str) -> None:
    """Refuse a rule's own `names` among `fields`: its family sets them, and would otherwise
    overwrite what the rule module wrote without a word."""
    given = [name for name in names if name in fields]
    if given:
        raise TypeError(f"{fields.get('name')}: {', '.join(given)} is set by the rule's family")


def trail_setting_rule(prop: str, *, default: bool, **fields: Unpack[PolicyFields]) -> Rule:
    """Every trail sets boolean `prop` true (the provider's default `default` when unset); the
    remediation says so."""
    family_sets(fields, "remediation")
    fields["remediation"] = f"Set {prop} to true on the aws.cloudtrail.Trail."
    return _rule((TRAIL_TYPE,), bool_settings_check(prop, want=True, default=default), fields)


def key_id_rule(
    types: Iterable[str],
    prop: str,
    consequence: str,
    *,
    waived: Callable[[dict[str, Any]], bool] | None = None,
    **fields: Unpack[PolicyFields],
) -> Rule:
    """Every resource of `types` names a KMS key in `prop` unless the config `waived` it; a
    finding reads "<resource> has no <prop>: <consequence>." (`support.key_id_check`)."""
    return _rule(types, key_id_check(prop, consequence, waived=waived), fields)


def not_public_rule(
    types: Iterable[str],
    prop: str = "policy",
    document: str = "",
    **fields: Unpack[PolicyFields],
) -> Rule:
    """No resource policy (or trust policy) in `prop` of a resource of `types` admits a public
    principal without a fixed-value scope (`iam.public_grants_check`)."""
    return _rule(types, iam.public_grants_check(prop, document), fields)
