"""CrossGuard guardrails for CloudTrail logging: one module per rule, shared helpers alongside.

Each rule module exposes `POLICY` (or `POLICIES`); `ALL_POLICIES` is the pack's list, in order.
This package must stay self-contained: it never imports the Pulumi program's code.
"""

from __future__ import annotations

from pulumi_policy import Policy

from guardrails import (
    cloudformation_stackset_organization,
    cloudtrail_bucket_admits_trail,
    cloudtrail_trail_archive_data_events,
    cloudtrail_trail_event_selectors,
    cloudtrail_trail_insights,
    cloudtrail_trail_kms,
    cloudtrail_trail_settings,
    events_bus_policy_not_public,
    iam_role_trust_not_public,
    kms_key_policy_not_public,
    kms_key_rotation,
    kms_log_key_no_self_granted_use,
    logs_log_group_encryption,
    organizations_guardrail_policy,
    s3_bucket_encryption,
    s3_bucket_has_public_access_block,
    s3_bucket_no_force_destroy,
    s3_bucket_ownership_enforced,
    s3_bucket_policy_no_public_principal,
    s3_bucket_policy_tls_only,
    s3_cloudtrail_acl_check_scoped,
    s3_cloudtrail_bucket_access_logging,
    s3_cloudtrail_write_scoped,
    s3_log_bucket_grants_in_organization,
    s3_log_bucket_object_lock,
    s3_log_bucket_policy_denies,
    s3_log_bucket_protected,
    s3_log_bucket_replication,
    s3_log_bucket_versioning,
    s3_public_access_block_complete,
    sns_topic_encryption,
    sns_topic_policy_not_public,
    sqs_queue_encryption,
    sqs_queue_policy_not_public,
)

PACK_NAME = "cloudtrail-logging-guardrails"

ALL_POLICIES: list[Policy] = [
    s3_bucket_encryption.POLICY,
    s3_bucket_policy_tls_only.POLICY,
    s3_bucket_policy_no_public_principal.POLICY,
    s3_cloudtrail_write_scoped.POLICY,
    s3_cloudtrail_acl_check_scoped.POLICY,
    s3_public_access_block_complete.POLICY,
    s3_bucket_has_public_access_block.POLICY,
    s3_bucket_ownership_enforced.POLICY,
    s3_log_bucket_versioning.POLICY,
    s3_log_bucket_protected.POLICY,
    s3_bucket_no_force_destroy.POLICY,
    s3_log_bucket_grants_in_organization.POLICY,
    s3_log_bucket_policy_denies.POLICY,
    s3_cloudtrail_bucket_access_logging.POLICY,
    s3_log_bucket_object_lock.POLICY,
    s3_log_bucket_replication.POLICY,
    *cloudtrail_trail_settings.POLICIES,
    cloudformation_stackset_organization.POLICY,
    cloudtrail_trail_kms.POLICY,
    cloudtrail_bucket_admits_trail.POLICY,
    cloudtrail_trail_event_selectors.POLICY,
    cloudtrail_trail_archive_data_events.POLICY,
    cloudtrail_trail_insights.POLICY,
    kms_key_rotation.POLICY,
    kms_key_policy_not_public.POLICY,
    kms_log_key_no_self_granted_use.POLICY,
    organizations_guardrail_policy.POLICY,
    sns_topic_encryption.POLICY,
    sns_topic_policy_not_public.POLICY,
    sqs_queue_encryption.POLICY,
    sqs_queue_policy_not_public.POLICY,
    logs_log_group_encryption.POLICY,
    events_bus_policy_not_public.POLICY,
    iam_role_trust_not_public.POLICY,
]
