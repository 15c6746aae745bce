"""API-call rules in every account and region of chosen OUs, through service-managed StackSets."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Literal, NotRequired, TypedDict

import pulumi
import pulumi_aws as aws

from cloudtrail_logging.alerting.alerts import ApiAlert
from cloudtrail_logging.organization.stackset import (
    CALL_AS_VALUES,
    PERMISSION_MODEL,
    ROLE_CAPABILITIES,
    OperationPreferences,
    check_organizational_unit_ids,
    check_stack_set_name,
    forwarder_role_template,
    instance_regions,
    operation_preferences,
    role_region,
    role_stack_set_name,
    rules_template,
    template_body,
)
from components import TYPE_PREFIX

# With auto-deployment on a service-managed stack set, AWS fills in AdministrationRoleARN and
# the Terraform provider (bridged by pulumi-aws) has reported it as drift on every refresh
# (hashicorp/terraform-provider-aws#23464, fixed by #45992). A diff there would start an
# UpdateStackSet across every account, so the program never manages that field.
_IGNORE_CHANGES = ["administrationRoleArn"]


class OrganizationRulesArgs(TypedDict):
    """Inputs of an OrganizationRules."""

    name_prefix: str
    """Rules `<prefix>-api-<alert>`, role `<prefix>-event-forwarder` in every target account."""
    partition: str
    """`aws`, `aws-cn` or `aws-us-gov`; picks the global events region."""
    alerts: Sequence[ApiAlert]
    """One rule per alert in each instance region; at least one."""
    alert_regions: Sequence[str]
    """Regions with rules; the partition's global events region is always added."""
    central_bus_arn: str
    """The central bus (a plain string, so the template is known at preview); its policy must
    admit the organization before any instance is created."""
    organizational_unit_ids: Sequence[pulumi.Input[str]]
    """OU ids (`ou-...`) or the root id (`r-...`), at most 50; accounts in them and in their
    child OUs, now and later, get the rules."""
    stack_set_name: str
    """Name of the rules stack set; the role stack set is `<name>-forwarder-role`."""
    call_as: NotRequired[Literal["SELF", "DELEGATED_ADMIN"]]
    """`SELF` (default) in the management account, `DELEGATED_ADMIN` in a registered delegated
    administrator account."""
    preferences: NotRequired[OperationPreferences]
    """Rollout preferences; default `stackset.operation_preferences()`."""


class OrganizationRules(pulumi.ComponentResource):
    """Two service-managed stack sets: the forwarder role, then the rules that use it.

    * `role_stack_set` with one instance in the global events region (IAM is global);
    * `stack_set` with one instance per region (alert regions plus the global events region).

    Both auto-deploy to accounts that join the target OUs and delete their stacks from accounts
    that leave them (not retained). Rule instances depend on the role instance, and the rules
    stack set's auto-deployment depends on the role stack set, so a rule never points at a role
    that does not exist yet.

    Service-managed stack sets never deploy to the organization's management account, even when
    it sits in a target OU ("StackSets doesn't deploy stack instances to the organization
    management account", pulumi-aws StackSetInstance `deployment_targets`; CloudFormation user
    guide, "Create a stack set with service-managed permissions"). The management account keeps
    its rules through its own stack (`ApiCallRules`). The stack sets live in the region of the
    provider passed in `opts`, in the management account (`call_as` SELF) or in a registered
    delegated administrator account (DELEGATED_ADMIN); either way AWS keeps them in the
    management account.

    Exposes `stack_set`, `role_stack_set`, `instances` (region -> StackSetInstance),
    `role_instance` and `regions`.
    """

    stack_set: aws.cloudformation.StackSet
    role_stack_set: aws.cloudformation.StackSet
    instances: dict[str, aws.cloudformation.StackSetInstance]
    role_instance: aws.cloudformation.StackSetInstance
    regions: tuple[str, ...]

    def __init__(
        self, name: str, args: OrganizationRulesArgs, opts: pulumi.ResourceOptions | None = None
    ) -> None:
        prefix, partition = args["name_prefix"], args["partition"]
        call_as = args.get("call_as", "SELF")
        if call_as not in CALL_AS_VALUES:
            raise ValueError(f"call_as must be one of {CALL_AS_VALUES}, not {call_as!r}")
        ou_ids = list(args["organizational_unit_ids"])
        check_organizational_unit_ids(ou_ids)
        prefs = args.get("preferences") or operation_preferences()
        rules_name = check_stack_set_name(args["stack_set_name"])
        role_set_name = role_stack_set_name(rules_name)
        regions = instance_regions(args["alert_regions"], partition)
        home = role_region(partition)

        rules_body = template_body(
            rules_template(
                args["alerts"],
                name_prefix=prefix,
                partition=partition,
                central_bus_arn=args["central_bus_arn"],
            )
        )
        role_body = template_body(
            forwarder_role_template(
                name_prefix=prefix, partition=partition, central_bus_arn=args["central_bus_arn"]
            )
        )
        # Everything above is validated before anything is registered.
        super().__init__(f"{TYPE_PREFIX}:OrganizationRules", name, None, opts)
        self.regions = regions

        # pulumi-aws 7.51.1's StackSetOperationPreferences has no concurrency mode: stack set
        # updates run in the default STRICT_FAILURE_TOLERANCE mode.
        set_prefs = aws.cloudformation.StackSetOperationPreferencesArgs(
            region_concurrency_type=prefs.region_concurrency_type,
            max_concurrent_percentage=prefs.max_concurrent_percentage,
            failure_tolerance_percentage=prefs.failure_tolerance_percentage,
        )
        instance_prefs = aws.cloudformation.StackSetInstanceOperationPreferencesArgs(
            region_concurrency_type=prefs.region_concurrency_type,
            max_concurrent_percentage=prefs.max_concurrent_percentage,
            failure_tolerance_percentage=prefs.failure_tolerance_percentage,
            concurrency_mode=prefs.concurrency_mode,
        )
        targets = aws.cloudformation.StackSetInstanceDeploymentTargetsArgs(
            organizational_unit_ids=ou_ids
        )
        # Several per-region instance operations on one stack set would otherwise be refused
        # while another runs; managed execution runs non-conflicting operations concurrently
        # and queues the rest (CloudFormation API reference, ManagedExecution).
        managed = aws.cloudformation.StackSetManagedExecutionArgs(active=True)
        set_opts = pulumi.ResourceOptions(parent=self, ignore_changes=_IGNORE_CHANGES)

        self.role_stack_set = aws.cloudformation.StackSet(
            f"{name}-forwarder-role",
            name=role_set_name,
            description="cloudtrail-logging: EventBridge forwarder role for API-call alerts",
            permission_model=PERMISSION_MODEL,
            call_as=call_as,
            auto_deployment=aws.cloudformation.StackSetAutoDeploymentArgs(
                enabled=True, retain_stacks_on_account_removal=False
            ),
            capabilities=list(ROLE_CAPABILITIES),
            managed_execution=managed,
            operation_preferences=set_prefs,
            template_body=role_body,
            opts=set_opts,
        )
        self.role_instance = aws.cloudformation.StackSetInstance(
            f"{name}-forwarder-role-{home}",
            stack_set_name=self.role_stack_set.name,
            stack_set_instance_region=home,
            call_as=call_as,
            deployment_targets=targets,
            operation_preferences=instance_prefs,
            opts=pulumi.ResourceOptions(parent=self),
        )

        self.stack_set = aws.cloudformation.StackSet(
            f"{name}-rules",
            name=rules_name,
            description="cloudtrail-logging: API-call alert rules forwarded to the central bus",
            permission_model=PERMISSION_MODEL,
            call_as=call_as,
            auto_deployment=aws.cloudformation.StackSetAutoDeploymentArgs(
                enabled=True,
                retain_stacks_on_account_removal=False,
                # New accounts get the role before the rules (see cloudtrail_logging.organization.stackset).
                depends_on_stack_sets=[self.role_stack_set.arn],
            ),
            managed_execution=managed,
            operation_preferences=set_prefs,
            template_body=rules_body,
            opts=set_opts,
        )
        self.instances = {
            region: aws.cloudformation.StackSetInstance(
                f"{name}-rules-{region}",
                stack_set_name=self.stack_set.name,
                stack_set_instance_region=region,
                call_as=call_as,
                deployment_targets=targets,
                operation_preferences=instance_prefs,
                opts=pulumi.ResourceOptions(parent=self, depends_on=[self.role_instance]),
            )
            for region in self.regions
        }
        self.register_outputs(
            {
                "stackSetName": self.stack_set.name,
                "roleStackSetName": self.role_stack_set.name,
                "regions": list(self.regions),
            }
        )
