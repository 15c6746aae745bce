"""ctl-cfn-001: organization StackSets are service-managed and deploy to new accounts."""

from guardrails.rules import ctl_cfn_001_stackset_service_managed_auto_deploy as rule
from literals import UNKNOWN
from rule_cases import res, resource_findings

STACK_SET = "aws:cloudformation/stackSet:StackSet"
GOOD = {"enabled": True, "retainStacksOnAccountRemoval": False}


def test_service_managed_with_auto_deployment_passes() -> None:
    stack_set = res(STACK_SET, "s", permissionModel="SERVICE_MANAGED", autoDeployment=GOOD)
    assert resource_findings(rule, stack_set) == []


def test_self_managed_or_unset_model_is_caught() -> None:
    assert resource_findings(rule, res(STACK_SET, "s", autoDeployment=GOOD)).decided
    self_managed = res(STACK_SET, "s", permissionModel="SELF_MANAGED", autoDeployment=GOOD)
    assert resource_findings(rule, self_managed).decided


def test_auto_deployment_off_or_retaining_stacks_is_caught() -> None:
    off = res(STACK_SET, "s", permissionModel="SERVICE_MANAGED", autoDeployment={"enabled": False})
    retained = res(
        STACK_SET,
        "s",
        permissionModel="SERVICE_MANAGED",
        autoDeployment={"enabled": True, "retainStacksOnAccountRemoval": True},
    )
    assert resource_findings(rule, off).decided
    assert resource_findings(rule, retained).decided


def test_unknown_model_is_undecided() -> None:
    stack_set = res(STACK_SET, "s", permissionModel=UNKNOWN, autoDeployment=GOOD)
    assert resource_findings(rule, stack_set).undecided


def test_each_unknown_setting_is_undecided_naming_it() -> None:
    for prop, props in (
        ("permissionModel", {"permissionModel": UNKNOWN, "autoDeployment": GOOD}),
        ("autoDeployment.enabled", {"permissionModel": "SERVICE_MANAGED",
                                    "autoDeployment": {**GOOD, "enabled": UNKNOWN}}),
        ("autoDeployment.retainStacksOnAccountRemoval", {
            "permissionModel": "SERVICE_MANAGED",
            "autoDeployment": {**GOOD, "retainStacksOnAccountRemoval": UNKNOWN}}),
    ):  # fmt: skip
        stack_set = res(STACK_SET, "s", **props)
        found = resource_findings(rule, stack_set)
        assert len(found) == 1 and found.undecided_on(stack_set, prop, why=False), prop


def test_each_finding_names_the_setting_and_what_it_must_be() -> None:
    unset = resource_findings(rule, res(STACK_SET, "s"))
    assert len(unset) == 2
    assert "'permissionModel' must be 'SERVICE_MANAGED', is unset (SELF_MANAGED)" in unset[0]
    assert "'autoDeployment.enabled' must be true" in unset[1]
    self_managed = res(STACK_SET, "s", permissionModel="SELF_MANAGED", autoDeployment=GOOD)
    assert resource_findings(rule, self_managed) == [
        "StackSet 's': 'permissionModel' must be 'SERVICE_MANAGED', is 'SELF_MANAGED'."
    ]
    retained = res(
        STACK_SET,
        "s",
        permissionModel="SERVICE_MANAGED",
        autoDeployment={"enabled": True, "retainStacksOnAccountRemoval": True},
    )
    [finding] = resource_findings(rule, retained)
    assert "'autoDeployment.retainStacksOnAccountRemoval' must be false" in finding


def test_other_resource_types_are_not_judged() -> None:
    assert resource_findings(rule, res("aws:cloudformation/stack:Stack", "s")) == []
