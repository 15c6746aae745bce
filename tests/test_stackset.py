"""Organization mode: StackSet templates (pure, cfn-lint clean) and the OrganizationRules wiring."""

from __future__ import annotations

import copy
import json
from collections.abc import Callable
from typing import Any

import pytest
from cfnlint.api import lint  # type: ignore[import-untyped]

from cloudtrail_logging.alerting.alerts import (
    READ_ONLY_RULE_STATE,
    ApiAlert,
    api_rule_name,
    event_pattern,
    event_rule_arn,
)
from cloudtrail_logging.alerting.policies import (
    event_forwarder_role_policy,
    event_forwarder_trust_policy,
)
from cloudtrail_logging.aws.arns import role_arn
from cloudtrail_logging.organization import stackset
from cloudtrail_logging.plan.organization import stack_sets
from components.organization_rules import OrganizationRules
from engine_model.model import UNKNOWN
from tests.support import harness
from tests.support.alerts import IAM_ALERT, secret_reads
from tests.support.harness import Run
from tests.support.policy_eval import Decision, Principal, Request, evaluate

ALLOW, NONE = Decision.ALLOW, Decision.IMPLICIT_DENY
MANAGEMENT = "999999999999"
MEMBER = "111111111111"
OTHER = "333333333333"
BUS = "arn:aws:events:us-east-1:222222222222:event-bus/ctl-alerts"
OTHER_BUS = "arn:aws:events:us-east-1:222222222222:event-bus/other"
OUS = ["ou-ab12-cdef3456", "ou-ab12-99999999"]
STACK_SET = "aws:cloudformation/stackSet:StackSet"
INSTANCE = "aws:cloudformation/stackSetInstance:StackSetInstance"

SECRET_ALERT = secret_reads()
ALERTS = (IAM_ALERT, SECRET_ALERT)


def rules(**overrides: Any) -> dict[str, Any]:
    kwargs: dict[str, Any] = {"name_prefix": "ctl", "partition": "aws", "central_bus_arn": BUS}
    kwargs.update(overrides)
    return stackset.rules_template(kwargs.pop("alerts", ALERTS), **kwargs)


def role(**overrides: Any) -> dict[str, Any]:
    kwargs: dict[str, Any] = {"name_prefix": "ctl", "partition": "aws", "central_bus_arn": BUS}
    kwargs.update(overrides)
    return stackset.forwarder_role_template(**kwargs)


def render(value: Any, account: str, partition: str = "aws") -> Any:
    """Resolve the pseudo parameters a template uses, as CloudFormation does in one account."""
    pseudo = {"AWS::AccountId": account, "AWS::Partition": partition}
    if isinstance(value, dict):
        if set(value) == {"Ref"}:
            return pseudo[value["Ref"]]
        if set(value) == {"Fn::Sub"}:
            text = value["Fn::Sub"]
            for name, resolved in pseudo.items():
                text = text.replace("${" + name + "}", resolved)
            assert "${" not in text, text
            return text
        return {k: render(v, account, partition) for k, v in value.items()}
    if isinstance(value, list):
        return [render(v, account, partition) for v in value]
    return value


def cfn_lint(template: dict[str, Any]) -> list[str]:
    matches = lint(json.dumps(template), regions=["us-east-1", "eu-west-1"])
    return [f"{m.rule.id} {m.message}" for m in matches]


# --- The rules template ------------------------------------------------------------------------


def test_one_rule_per_alert_with_its_name_pattern_and_state() -> None:
    resources = rules()["Resources"]
    assert set(resources) == {"RuleIamUserCreated", "RuleSecretReads"}
    for alert in ALERTS:
        rule = resources[stackset.rule_logical_id(alert)]
        assert rule["Type"] == "AWS::Events::Rule"
        props = rule["Properties"]
        assert props["Name"] == api_rule_name("ctl", alert)
        assert props["EventPattern"] == event_pattern(alert)
        assert "EventBusName" not in props  # the default bus, where CloudTrail events arrive
    assert resources["RuleIamUserCreated"]["Properties"]["State"] == "ENABLED"
    assert resources["RuleSecretReads"]["Properties"]["State"] == READ_ONLY_RULE_STATE
    assert resources["RuleSecretReads"]["Properties"]["Description"] == "Secrets read by admins"


def test_every_rule_targets_the_central_bus_through_the_role_the_role_template_creates() -> None:
    role_name = role()["Resources"][stackset.ROLE_LOGICAL_ID]["Properties"]["RoleName"]
    for rule in rules()["Resources"].values():
        (target,) = rule["Properties"]["Targets"]
        assert target["Arn"] == BUS
        assert target["Id"] == stackset.CENTRAL_BUS_TARGET_ID
        assert render(target["RoleArn"], MEMBER) == role_arn("aws", MEMBER, role_name)
        assert render(target["RoleArn"], MEMBER, "aws-us-gov").startswith("arn:aws-us-gov:iam::")


def test_rules_template_holds_no_iam_resource_and_the_role_template_only_the_role() -> None:
    assert all(not r["Type"].startswith("AWS::IAM::") for r in rules()["Resources"].values())
    assert [r["Type"] for r in role()["Resources"].values()] == ["AWS::IAM::Role"]


def test_rule_logical_ids_are_stable_under_reordering_and_collisions_are_refused() -> None:
    assert (
        rules(alerts=ALERTS)["Resources"].keys() == rules(alerts=ALERTS[::-1])["Resources"].keys()
    )
    twins = (
        ApiAlert("a-1b", "iam.amazonaws.com", ("X",)),
        ApiAlert("a1b", "iam.amazonaws.com", ("Y",)),
    )
    with pytest.raises(ValueError, match="logical id"):
        rules(alerts=twins)


def test_rules_template_refuses_no_alerts_a_foreign_bus_and_an_oversized_body() -> None:
    with pytest.raises(ValueError, match="at least one rule"):
        rules(alerts=())
    with pytest.raises(ValueError, match="not an event bus ARN"):
        rules(central_bus_arn="arn:aws:sns:us-east-1:222222222222:topic")
    with pytest.raises(ValueError, match="partition"):
        rules(partition="aws-us-gov")
    many = tuple(
        ApiAlert(f"alert-{i}", "ec2.amazonaws.com", tuple(f"Event{i}Name{n:03}" for n in range(40)))
        for i in range(60)
    )
    with pytest.raises(ValueError, match="51200-byte TemplateBody"):
        rules(alerts=many)
    assert len(stackset.template_body(rules(alerts=many[:3]))) < stackset.MAX_TEMPLATE_BODY_BYTES


# --- The forwarder role --------------------------------------------------------------------------


def test_trust_policy_is_event_forwarder_trust_policy_for_each_account() -> None:
    trust = role()["Resources"][stackset.ROLE_LOGICAL_ID]["Properties"]["AssumeRolePolicyDocument"]
    for account in (MEMBER, OTHER):
        expected = event_forwarder_trust_policy(
            account, [event_rule_arn("aws", "*", account, "ctl-api-*")]
        )
        assert render(trust, account) == expected


def test_trust_policy_admits_eventbridge_for_this_accounts_rules_only() -> None:
    trust = render(stackset.forwarder_trust_policy("ctl"), MEMBER)
    trust = {**trust, "Statement": [{**s, "Resource": "*"} for s in trust["Statement"]]}
    events = Principal.service("events.amazonaws.com")

    def assume(who: Principal, account: str, rule: str, region: str = "eu-west-1") -> Decision:
        context = {
            "aws:SourceAccount": account,
            "aws:SourceArn": event_rule_arn("aws", region, account, rule),
        }
        return evaluate(trust, Request(who, "sts:AssumeRole", "*", context))

    own_rule = api_rule_name("ctl", IAM_ALERT)
    assert assume(events, MEMBER, own_rule) == ALLOW
    assert assume(events, MEMBER, own_rule, region="ap-southeast-2") == ALLOW
    assert assume(events, OTHER, own_rule) == NONE  # another account's rule of the same name
    assert assume(events, MEMBER, "someone-elses-rule") == NONE
    assert assume(Principal.service("lambda.amazonaws.com"), MEMBER, own_rule) == NONE
    assert assume(Principal.aws(MEMBER), MEMBER, own_rule) == NONE


def test_role_may_put_events_on_exactly_the_central_bus() -> None:
    props = role()["Resources"][stackset.ROLE_LOGICAL_ID]["Properties"]
    (inline,) = props["Policies"]
    assert inline["PolicyDocument"] == event_forwarder_role_policy(BUS)
    policy = {
        **inline["PolicyDocument"],
        "Statement": [{**s, "Principal": "*"} for s in inline["PolicyDocument"]["Statement"]],
    }
    who = Principal.service("events.amazonaws.com")
    assert evaluate(policy, Request(who, "events:PutEvents", BUS)) == ALLOW
    assert evaluate(policy, Request(who, "events:PutEvents", OTHER_BUS)) == NONE
    assert evaluate(policy, Request(who, "events:PutRule", BUS)) == NONE


def test_role_name_must_fit_iam() -> None:
    assert stackset.forwarder_role_name("ctl") == "ctl-event-forwarder"
    with pytest.raises(ValueError, match="IAM role name"):
        stackset.forwarder_role_name("x" * 50)


# --- cfn-lint ------------------------------------------------------------------------------------


def test_cfn_lint_passes_both_templates() -> None:
    assert cfn_lint(rules()) == []
    assert cfn_lint(role()) == []


def test_cfn_lint_catches_a_broken_template() -> None:
    broken = copy.deepcopy(rules())
    broken["Resources"]["RuleIamUserCreated"]["Properties"]["State"] = "ON"
    del broken["Resources"]["RuleSecretReads"]["Properties"]["Targets"][0]["Id"]
    problems = cfn_lint(broken)
    assert any("ON" in p for p in problems), problems
    assert any("Id" in p for p in problems), problems


# --- Regions, targets, names, preferences --------------------------------------------------------


def test_instance_regions_add_the_global_events_region_deduplicated_and_sorted() -> None:
    assert stackset.instance_regions(["eu-west-1", "ap-southeast-2", "eu-west-1"], "aws") == (
        "ap-southeast-2",
        "eu-west-1",
        "us-east-1",
    )
    assert stackset.instance_regions([], "aws-us-gov") == ("us-gov-west-1",)
    with pytest.raises(ValueError, match="not aws regions"):
        stackset.instance_regions(["cn-north-1"], "aws")
    assert stackset.role_region("aws") == "us-east-1"


def test_organizational_unit_ids_are_checked() -> None:
    stackset.check_organizational_unit_ids([*OUS, "r-ab12", object()])  # unknown values pass
    for bad, match in (
        ([], "at least one"),
        (["ou-ab12"], "not an organizational unit"),
        (["123456789012"], "not an organizational unit"),
        ([OUS[0], OUS[0]], "once each"),
        ([f"ou-ab12-{n:08}" for n in range(51)], "at most 50"),
    ):
        with pytest.raises(ValueError, match=match):
            stackset.check_organizational_unit_ids(bad)


def test_stack_set_names_are_checked() -> None:
    assert stackset.role_stack_set_name("ctl-api-rules") == "ctl-api-rules-forwarder-role"
    for bad in ("1rules", "ctl_rules", "x" * 129):
        with pytest.raises(ValueError, match="stack set name"):
            stackset.check_stack_set_name(bad)


def test_operation_preferences_for_large_organizations() -> None:
    prefs = stackset.operation_preferences()
    assert prefs.region_concurrency_type == "PARALLEL"
    assert (prefs.max_concurrent_percentage, prefs.failure_tolerance_percentage) == (25, 10)
    assert prefs.concurrency_mode == "SOFT_FAILURE_TOLERANCE"
    assert stackset.operation_preferences(max_concurrent_percentage=100).max_concurrent_percentage
    with pytest.raises(ValueError):
        stackset.operation_preferences(max_concurrent_percentage=0)
    with pytest.raises(ValueError):
        stackset.operation_preferences(failure_tolerance_percentage=101)


# --- The component under preview mocks -----------------------------------------------------------


def run_preview(program: Callable[[], Any]) -> Run:
    return harness.run_preview(program, account=MANAGEMENT, stack="organization")


def org_args(**overrides: Any) -> dict[str, Any]:
    args: dict[str, Any] = {
        "name_prefix": "ctl",
        "partition": "aws",
        "alerts": ALERTS,
        "alert_regions": ["eu-west-1", "ap-southeast-2"],
        "central_bus_arn": BUS,
        "organizational_unit_ids": OUS,
        "stack_set_name": "ctl-api-rules",
    }
    args.update(overrides)
    return args


def organization_rules(**overrides: Any) -> OrganizationRules:
    """The component wired from the StackSets' plan part (`stack_sets`), targeting the OUs."""
    args = org_args(**overrides)
    units = args["organizational_unit_ids"]
    return OrganizationRules("org", stack_sets(**args), organizational_unit_ids=units)


@pytest.fixture(scope="module")
def org() -> Run:
    return run_preview(organization_rules)


def test_two_service_managed_auto_deployed_stack_sets_with_known_templates(org: Run) -> None:
    sets = {r.name: r.inputs for r in org.of_type(STACK_SET)}
    assert set(sets) == {"org-rules", "org-forwarder-role"}
    for inputs in sets.values():
        assert inputs["permissionModel"] == "SERVICE_MANAGED"
        assert inputs["callAs"] == "SELF"
        assert inputs["autoDeployment"]["enabled"] is True
        assert inputs["autoDeployment"]["retainStacksOnAccountRemoval"] is False
        assert inputs["managedExecution"] == {"active": True}
        assert inputs["operationPreferences"] == {
            "regionConcurrencyType": "PARALLEL",
            "maxConcurrentPercentage": 25,
            "failureTolerancePercentage": 10,
        }
        assert UNKNOWN not in inputs["templateBody"]
    assert sets["org-rules"]["name"] == "ctl-api-rules"
    assert json.loads(sets["org-rules"]["templateBody"]) == rules()
    assert "capabilities" not in sets["org-rules"]
    assert sets["org-forwarder-role"]["name"] == "ctl-api-rules-forwarder-role"
    assert json.loads(sets["org-forwarder-role"]["templateBody"]) == role()
    assert sets["org-forwarder-role"]["capabilities"] == ["CAPABILITY_NAMED_IAM"]


def test_one_rules_instance_per_region_and_one_role_instance_targeting_the_ous(org: Run) -> None:
    instances = {r.name: r.inputs for r in org.of_type(INSTANCE)}
    regions = {
        "org-forwarder-role-us-east-1": "us-east-1",
        "org-rules-ap-southeast-2": "ap-southeast-2",
        "org-rules-eu-west-1": "eu-west-1",
        "org-rules-us-east-1": "us-east-1",
    }
    assert set(instances) == set(regions)
    for name, inputs in instances.items():
        assert inputs["stackSetInstanceRegion"] == regions[name]
        assert inputs["deploymentTargets"] == {"organizationalUnitIds": OUS}
        assert inputs["callAs"] == "SELF"
        assert inputs["operationPreferences"]["concurrencyMode"] == "SOFT_FAILURE_TOLERANCE"
        assert "region" not in inputs  # v7: `region` is where the resource is managed
    assert (
        instances["org-forwarder-role-us-east-1"]["stackSetName"] == "ctl-api-rules-forwarder-role"
    )
    assert instances["org-rules-eu-west-1"]["stackSetName"] == "ctl-api-rules"


def test_rules_wait_for_the_role_at_rollout_and_at_auto_deployment(org: Run) -> None:
    role_set = org.named("org-forwarder-role")
    role_instance = org.named("org-forwarder-role-us-east-1")
    for region in ("ap-southeast-2", "eu-west-1", "us-east-1"):
        assert role_instance.urn in org.named(f"org-rules-{region}").dependencies
    rules_set = org.named("org-rules")
    assert role_set.urn in rules_set.property_dependencies["autoDeployment"]
    assert rules_set.inputs["autoDeployment"]["dependsOnStackSets"] == [UNKNOWN]


def test_children_are_parented_to_the_component(org: Run) -> None:
    component = next(r for r in org.resources if r.type.endswith(":OrganizationRules"))
    assert component.type == "cloudtrail-logging:index:OrganizationRules"
    children = [r for r in org.resources if r is not component]
    assert children and all(r.parent == component.urn for r in children)
    assert all(r.name.startswith("org-") for r in children)


def test_delegated_administrator_calls_as_delegated_admin_everywhere() -> None:
    run = run_preview(
        lambda: organization_rules(call_as="DELEGATED_ADMIN", alert_regions=[])
    )
    resources = run.of_type(STACK_SET) + run.of_type(INSTANCE)
    assert len(resources) == 4  # two stack sets, the role and us-east-1 rules instances
    assert all(r.inputs["callAs"] == "DELEGATED_ADMIN" for r in resources)


def test_component_refuses_bad_inputs() -> None:
    for overrides, match in (
        ({"call_as": "MANAGEMENT"}, "call_as"),
        ({"organizational_unit_ids": []}, "at least one"),
        ({"stack_set_name": "ctl_rules"}, "stack set name"),
        ({"alert_regions": ["mars-1"]}, "not aws regions"),
    ):
        with pytest.raises(ValueError, match=match):
            run_preview(lambda overrides=overrides: organization_rules(**overrides))  # type: ignore[misc]
