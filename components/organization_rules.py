"""API-call rules in every account and region of chosen OUs, through service-managed StackSets."""

from __future__ import annotations

from collections.abc import Sequence

import pulumi
import pulumi_aws as aws

from cloudtrail_logging.organization.stackset import (
    PERMISSION_MODEL,
    ROLE_CAPABILITIES,
    check_organizational_unit_ids,
)
from cloudtrail_logging.plan.parts import OrganizationPlan
from components.component import Component

# With auto-deployment on a service-managed stack set, AWS fills in AdministrationRoleARN and
# the Terraform provider (bridged by pulumi-aws) has reported it as drift on every refresh
# (hashicorp/terraform-provider-aws#23464, fixed by #45992). A diff there would start an
# UpdateStackSet across every account, so the program never manages that field.
_IGNORE_CHANGES = ["administrationRoleArn"]


class OrganizationRules(Component, type_name="OrganizationRules"):
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
        self,
        name: str,
        plan: OrganizationPlan,
        *,
        organizational_unit_ids: Sequence[pulumi.Input[str]],
        opts: pulumi.ResourceOptions | None = None,
    ) -> None:
        """`organizational_unit_ids`: the plan's OUs, or the organization root read at run time
        (`ou-...` or `r-...`, at most 50); accounts in them and in their child OUs, now and
        later, get the rules."""
        ou_ids = list(organizational_unit_ids)
        check_organizational_unit_ids(ou_ids)
        call_as, prefs, home = plan.call_as, plan.preferences, plan.role_region
        super().__init__(name, opts)
        self.regions = plan.regions

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
        # CloudFormation API reference, DeploymentTargets: AccountFilterType DIFFERENCE deploys
        # to the OUs' accounts but the listed ones.
        excluded = list(plan.excluded_account_ids)
        targets = aws.cloudformation.StackSetInstanceDeploymentTargetsArgs(
            organizational_unit_ids=ou_ids,
            account_filter_type="DIFFERENCE" if excluded else None,
            accounts=excluded or None,
        )
        # Several per-region instance operations on one stack set would otherwise be refused
        # while another runs; managed execution runs non-conflicting operations concurrently
        # and queues the rest (CloudFormation API reference, ManagedExecution).
        managed = aws.cloudformation.StackSetManagedExecutionArgs(active=True)
        set_opts = self.child(ignore_changes=_IGNORE_CHANGES)

        def stack_set(
            resource_name: str,
            set_name: str,
            description: str,
            template_body: str,
            *,
            capabilities: list[str] | None = None,
            depends_on_stack_sets: list[pulumi.Output[str]] | None = None,
        ) -> aws.cloudformation.StackSet:
            return aws.cloudformation.StackSet(
                resource_name,
                name=set_name,
                description=description,
                permission_model=PERMISSION_MODEL,
                call_as=call_as,
                auto_deployment=aws.cloudformation.StackSetAutoDeploymentArgs(
                    enabled=True,
                    retain_stacks_on_account_removal=False,
                    depends_on_stack_sets=depends_on_stack_sets,
                ),
                capabilities=capabilities,
                managed_execution=managed,
                operation_preferences=set_prefs,
                template_body=template_body,
                opts=set_opts,
            )

        def instance(
            resource_name: str,
            of: aws.cloudformation.StackSet,
            region: str,
            opts: pulumi.ResourceOptions,
        ) -> aws.cloudformation.StackSetInstance:
            return aws.cloudformation.StackSetInstance(
                resource_name,
                stack_set_name=of.name,
                stack_set_instance_region=region,
                call_as=call_as,
                deployment_targets=targets,
                operation_preferences=instance_prefs,
                opts=opts,
            )

        self.role_stack_set = stack_set(
            f"{name}-forwarder-role",
            plan.role_stack_set_name,
            "cloudtrail-logging: EventBridge forwarder role for API-call alerts",
            plan.role_template_body,
            capabilities=list(ROLE_CAPABILITIES),
        )
        self.role_instance = instance(
            f"{name}-forwarder-role-{home}",
            self.role_stack_set,
            home,
            self.child(),
        )
        self.stack_set = stack_set(
            f"{name}-rules",
            plan.stack_set_name,
            "cloudtrail-logging: API-call alert rules forwarded to the central bus",
            plan.rules_template_body,
            # New accounts get the role before the rules (organization/stackset.py).
            depends_on_stack_sets=[self.role_stack_set.arn],
        )
        self.instances = {
            region: instance(
                f"{name}-rules-{region}",
                self.stack_set,
                region,
                self.child(depends_on=[self.role_instance]),
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
