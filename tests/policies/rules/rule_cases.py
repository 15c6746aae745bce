"""The in-process tier's cases: literal resources as the rules see them (`Res`), and runners that
call a rule module's `check` directly with its schema's default config (checkov / pulumi
compliance-policies style: one test module per rule, a passing and a failing literal case).

The literal values (names, accounts, type tokens, policy statements) come from literals.py,
shared with the gRPC tier; the log archive's stacks from archive_cases.py; policy_cases.py, which
../conftest.py imports, puts the pack directory on sys.path as the CLI's runner does.
"""

from __future__ import annotations

from dataclasses import dataclass
from types import ModuleType
from typing import Any

import pytest
from guardrails.support import UNDECIDED_PREFIX, Res
from guardrails.support import undecided as undecided_message
from literals import TRAIL, UNKNOWN, document, edited


def urn(type_: str, name: str) -> str:
    return f"urn:pulumi:test::cloudtrail-logging::{type_}::{name}"


def res(
    type_: str,
    name: str,
    /,
    protect: bool = False,
    deps: dict[str, list[str]] | None = None,
    **props: Any,
) -> Res:
    return Res(type_, name, urn(type_, name), props, protect, deps or {})


def with_props(
    resources: list[Res], name: str, /, drop: tuple[str, ...] = (), **props: Any
) -> list[Res]:
    """A copy of `resources` with resource `name`'s properties updated (`drop` keys removed)."""
    return edited(resources, name, "props", drop, props)


# --- running a rule ---------------------------------------------------------------------------


@dataclass(frozen=True)
class _Options:
    protect: bool


@dataclass(frozen=True)
class _Dependency:
    urn: str


@dataclass(frozen=True)
class _Args:
    """What the pack reads of pulumi_policy's ResourceValidationArgs (or of one resource of
    StackValidationArgs) and their `get_config()`."""

    resource_type: str
    name: str
    urn: str
    props: dict[str, Any]
    opts: _Options
    property_dependencies: dict[str, list[_Dependency]]
    config: dict[str, Any]

    @classmethod
    def of(cls, resource: Res, config: dict[str, Any]) -> _Args:
        deps = {k: [_Dependency(u) for u in v] for k, v in resource.property_dependencies.items()}
        return cls(resource.type, resource.name, resource.urn, resource.props,
                   _Options(resource.protect), deps, config)  # fmt: skip

    def get_config(self) -> dict[str, Any]:
        return self.config


@dataclass(frozen=True)
class _StackArgs:
    resources: list[_Args]
    config: dict[str, Any]

    def get_config(self) -> dict[str, Any]:
        return self.config


class Findings(list[Any]):
    """A rule's findings in order: messages (a resource rule's) or (message, urn) pairs (a stack
    rule's). A slice, `at` and `messages` are Findings too."""

    def __getitem__(self, index: Any) -> Any:
        item = super().__getitem__(index)
        return Findings(item) if isinstance(index, slice) else item

    @property
    def messages(self) -> Findings:
        return Findings(f if isinstance(f, str) else f[0] for f in self)

    @property
    def urns(self) -> list[str]:
        """Where a stack rule reported each finding."""
        return [u for _m, u in self]

    def at(self, urn: str) -> Findings:
        """The stack rule's findings reported at `urn`."""
        return Findings(f for f in self if f[1] == urn)

    @property
    def undecided(self) -> bool:
        """Every finding says the check could not be judged at preview (and there is one)."""
        return bool(self) and all(m.startswith(UNDECIDED_PREFIX) for m in self.messages)

    @property
    def decided(self) -> bool:
        """There are findings and none of them is an undecided one."""
        return bool(self) and not any(m.startswith(UNDECIDED_PREFIX) for m in self.messages)

    def undecided_on(
        self, resource: Res, prop: str, *, subject: Res | None = None, why: bool = True
    ) -> bool:
        """There are findings, each on `resource` (the urn of a stack rule's), saying that
        property `prop` of `subject` (default: of `resource`) is unknown at preview and, with
        `why`, what depends on it (else nothing more)."""
        head = undecided_message((subject or resource).label, prop)
        pairs = [(m, resource.urn) if isinstance(m, str) else m for m in self]
        return bool(pairs) and all(
            u == resource.urn and (m.startswith(f"{head}; ") if why else m == head)
            for m, u in pairs
        )

    def decided_on(self, resource: Res, *values: str, subject: Res | None = None) -> bool:
        """There are findings, none undecided, each on `resource` and naming the label of
        `subject` (default: `resource`) and every one of `values`."""
        label = (subject or resource).label
        return self.decided and all(
            u == resource.urn and label in m and all(v in m for v in values) for m, u in self
        )


def resource_findings(module: ModuleType, resource: Res, **config: Any) -> Findings:
    """Findings of the rule module's POLICY on one resource, through the validate function the
    pack registers (its types, its config schema's defaults under `config`, its check)."""
    found = Findings()
    module.POLICY.validate(_Args.of(resource, config), lambda m, _urn: found.append(m))
    return found


def stack_findings(module: ModuleType, resources: list[Res], **config: Any) -> Findings:
    """Findings of the rule module's POLICY on a stack, as (message, urn)."""
    found = Findings()
    args = _StackArgs([_Args.of(r, {}) for r in resources], config)
    module.POLICY.validate(args, lambda m, u: found.append((m, u)))
    return found


def named(resources: list[Res], name: str) -> Res:
    """The resource called `name`."""
    return next(r for r in resources if r.name == name)


class BooleanSettingCases:
    """The cases of a rule that wants a boolean setting true: true passes, false is caught, unset
    follows the provider's default, unknown is undecided. A rule's test module subclasses it
    (`Test<Setting>`) naming the rule module, its resource type, the setting and its default."""

    rule: ModuleType
    type_: str
    prop: str
    default: bool

    def findings(self, **props: object) -> Findings:
        return resource_findings(self.rule, res(self.type_, "r", **props))

    def test_true_passes(self) -> None:
        assert self.findings(**{self.prop: True}) == []

    def test_false_is_caught(self) -> None:
        assert self.findings(**{self.prop: False}).decided

    def test_unset_uses_the_provider_default(self) -> None:
        found = self.findings()
        assert (found == []) is self.default
        # The finding says the setting is unset and what the provider then does.
        assert all(f"unset (provider default {self.default})" in f for f in found)

    def test_unknown_is_undecided(self) -> None:
        assert self.findings(**{self.prop: UNKNOWN}).undecided


class TrailSettingCases(BooleanSettingCases):
    """The cases of a rule made by `families.trail_setting_rule`: those of a boolean setting of an
    aws.cloudtrail.Trail, and a remediation that says to set it."""

    type_ = TRAIL

    def test_the_remediation_says_to_set_it(self) -> None:
        steps = self.rule.POLICY.remediation_steps
        assert steps == f"Set {self.prop} to true on the aws.cloudtrail.Trail."


class NotPublicCases:
    """The cases of a rule made by `families.not_public_rule`, on each of `types`: a policy with
    `granted` alone passes, with `public` added it is caught, and an unknown policy is undecided.
    A rule's test module subclasses it (`TestNotPublic`) naming the rule module and those."""

    rule: ModuleType
    types: tuple[str, ...]
    granted: dict[str, Any]
    public: dict[str, Any]

    def pytest_generate_tests(self, metafunc: pytest.Metafunc) -> None:
        metafunc.parametrize("type_", self.types)

    def test_the_granted_statement_passes_and_a_public_one_is_caught(self, type_: str) -> None:
        assert resource_findings(self.rule, res(type_, "p", policy=document(self.granted))) == []
        public = res(type_, "p", policy=document(self.granted, self.public))
        assert resource_findings(self.rule, public).decided

    def test_an_unknown_policy_is_undecided(self, type_: str) -> None:
        assert resource_findings(self.rule, res(type_, "p", policy=UNKNOWN)).undecided
