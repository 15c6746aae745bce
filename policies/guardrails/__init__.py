"""CrossGuard guardrails for CloudTrail logging: one module per rule, shared mechanics alongside.

`guardrails.rules` holds the rules, each module named after its policy and exposing `POLICY`;
the other modules here are the support they share. `ALL_POLICIES` is the pack's list, in order.
This package must stay self-contained: it never imports the Pulumi program's code.
"""

from __future__ import annotations

from pulumi_policy import Policy

from guardrails.rules import (
    ctl_cfn_001_stackset_service_managed_auto_deploy,
    ctl_ct_001_trail_multi_region,
    ctl_ct_002_trail_log_file_validation,
    ctl_ct_003_trail_global_service_events,
    ctl_ct_004_trail_logging_enabled,
    ctl_ct_005_trail_kms_encryption,
    ctl_ct_006_trail_bucket_admits_trail,
    ctl_ct_007_trail_records_all_management_events,
    ctl_ct_008_trail_archive_data_events,
    ctl_ct_009_trail_insights,
    ctl_ct_010_trail_network_activity_events,
    ctl_events_001_bus_policy_not_public,
    ctl_iam_001_role_trust_not_public,
    ctl_kms_001_key_rotation,
    ctl_kms_002_key_policy_not_public,
    ctl_kms_003_log_key_no_self_granted_use,
    ctl_logs_001_log_group_encryption,
    ctl_org_001_organization_trail_guardrail_policy,
    ctl_s3_001_bucket_encryption,
    ctl_s3_002_bucket_policy_tls_only,
    ctl_s3_003_bucket_policy_no_public_principal,
    ctl_s3_004_cloudtrail_write_scoped,
    ctl_s3_005_cloudtrail_acl_check_scoped,
    ctl_s3_006_public_access_block_complete,
    ctl_s3_007_bucket_has_public_access_block,
    ctl_s3_008_bucket_ownership_enforced,
    ctl_s3_009_log_bucket_versioning,
    ctl_s3_010_log_bucket_protected,
    ctl_s3_011_bucket_no_force_destroy,
    ctl_s3_020_log_bucket_grants_in_organization,
    ctl_s3_021_log_bucket_policy_keeps_denies,
    ctl_s3_022_cloudtrail_bucket_access_logging,
    ctl_s3_023_log_bucket_object_lock,
    ctl_s3_024_log_bucket_replication,
    ctl_sns_001_topic_encryption,
    ctl_sns_002_topic_policy_not_public,
    ctl_sqs_001_queue_encryption,
    ctl_sqs_002_queue_policy_not_public,
)

PACK_NAME = "cloudtrail-logging-guardrails"

ALL_POLICIES: list[Policy] = [
    ctl_s3_001_bucket_encryption.POLICY,
    ctl_s3_002_bucket_policy_tls_only.POLICY,
    ctl_s3_003_bucket_policy_no_public_principal.POLICY,
    ctl_s3_004_cloudtrail_write_scoped.POLICY,
    ctl_s3_005_cloudtrail_acl_check_scoped.POLICY,
    ctl_s3_006_public_access_block_complete.POLICY,
    ctl_s3_007_bucket_has_public_access_block.POLICY,
    ctl_s3_008_bucket_ownership_enforced.POLICY,
    ctl_s3_009_log_bucket_versioning.POLICY,
    ctl_s3_010_log_bucket_protected.POLICY,
    ctl_s3_011_bucket_no_force_destroy.POLICY,
    ctl_s3_020_log_bucket_grants_in_organization.POLICY,
    ctl_s3_021_log_bucket_policy_keeps_denies.POLICY,
    ctl_s3_022_cloudtrail_bucket_access_logging.POLICY,
    ctl_s3_023_log_bucket_object_lock.POLICY,
    ctl_s3_024_log_bucket_replication.POLICY,
    ctl_ct_001_trail_multi_region.POLICY,
    ctl_ct_002_trail_log_file_validation.POLICY,
    ctl_ct_003_trail_global_service_events.POLICY,
    ctl_ct_004_trail_logging_enabled.POLICY,
    ctl_cfn_001_stackset_service_managed_auto_deploy.POLICY,
    ctl_ct_005_trail_kms_encryption.POLICY,
    ctl_ct_006_trail_bucket_admits_trail.POLICY,
    ctl_ct_007_trail_records_all_management_events.POLICY,
    ctl_ct_008_trail_archive_data_events.POLICY,
    ctl_ct_009_trail_insights.POLICY,
    ctl_ct_010_trail_network_activity_events.POLICY,
    ctl_kms_001_key_rotation.POLICY,
    ctl_kms_002_key_policy_not_public.POLICY,
    ctl_kms_003_log_key_no_self_granted_use.POLICY,
    ctl_org_001_organization_trail_guardrail_policy.POLICY,
    ctl_sns_001_topic_encryption.POLICY,
    ctl_sns_002_topic_policy_not_public.POLICY,
    ctl_sqs_001_queue_encryption.POLICY,
    ctl_sqs_002_queue_policy_not_public.POLICY,
    ctl_logs_001_log_group_encryption.POLICY,
    ctl_events_001_bus_policy_not_public.POLICY,
    ctl_iam_001_role_trust_not_public.POLICY,
]
