"""The threat model: who may try what against the logs, and what stops them.

Each `Attempt` is one request an attacker (or a legitimate user) makes, and the outcome this
project promises in each deployment shape: per-account trails without the organization's
guardrail policy, and an organization trail with it. The README's threat-model tables are
generated from these rows (`scripts/sync_contract.py`), and `tests/test_threat_model.py`
evaluates every row over the documents that decide it together (bucket policies, key policies,
the service control policy, Object Lock, the lifecycle), built by the plan of real stacks: a row
that does not hold fails the tests.

An outcome is either the set of documents that refuse the request (any one suffices) or
`ALLOWED`: for an attacker's attempt, what is left is the tamper alert, which says so, and the
tests prove that a tamper rule of the stack that holds the target matches the attempt's event.
An attempt no rule reports says why (`unalerted`), and the tests prove that none does.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Final

# Who. Every attacker has full identity permissions in its own account (AdministratorAccess).
ATTACKERS: Final = {
    "archive-admin": "an administrator of the log-archive account who is not a named archive "
    "administrator",
    "archive-root": "the root user of the log-archive account",
    "member-admin": "an administrator (or the root user) of a member account",
    "pipeline": "a member stacks' pipeline role (`guardrailPrincipals`), used in the log-archive "
    "account",
    "rogue-administrator": "a named archive administrator acting alone",
    "management": "an administrator of the management account",
    "outsider": "anyone outside the organization",
}
LEGITIMATE: Final = {
    "cloudtrail": "CloudTrail, delivering a listed account's trail",
    "reader": "a log reader (`logReaders`)",
    "administrator": "a named archive administrator, the deployer (`archiveAdministrators`)",
    "replication": "S3 replication, through the replication role",
    "log-delivery": "S3 server access log delivery",
    "stacksets": "the StackSets execution role in a member account",
    "member-deployer": "a member stack's deployer (`guardrailPrincipals`)",
    "log-group-delivery": "CloudTrail, streaming the archive's own events to its CloudWatch Logs "
    "group through its role",
}

BUCKET_POLICY: Final = "bucket policy"
KEY_POLICY: Final = "key policy"
SCP: Final = "guardrail SCP"
OBJECT_LOCK: Final = "Object Lock"
QUEUE_POLICY: Final = "queue policy"
NO_GRANT: Final = "no grant"
"""Nothing allows it across accounts: the bucket policy grants the caller nothing."""
ALLOWED: Final = frozenset[str]()

MODES: Final = ("accounts", "organization")
MODE_TITLES: Final = {
    "accounts": "per-account trails",
    "organization": "organization trail and guardrail SCP",
}


@dataclass(frozen=True)
class Attempt:
    """One request and its promised outcome per mode (deniers, or ALLOWED)."""

    id: str
    who: str
    """A key of ATTACKERS or LEGITIMATE."""
    what: str
    action: str
    """The IAM action the request is authorized as."""
    target: str
    """What it acts on: log-object, log-bucket, log-key, access-log-object, access-log-bucket,
    replica-object, replica-bucket, replica-key, messaging-key, tamper-topic, tamper-queue,
    identity-provider, central-bus, log-group, trail, stackset-rule, forwarder-role,
    archive-role, member-key, member-key-alias, organization."""
    accounts: frozenset[str]
    organization: frozenset[str]
    version_id: bool = False
    """A request naming a version (authorized as the version action)."""
    bypass_governance: bool = False
    """A request with x-amz-bypass-governance-retention."""
    unalerted: str = ""
    """Why no tamper rule reports it where it is possible (empty: one does)."""

    def outcome(self, mode: str) -> frozenset[str]:
        return self.accounts if mode == "accounts" else self.organization

    @property
    def attack(self) -> bool:
        return self.who in ATTACKERS


def _refused(*deniers: str) -> frozenset[str]:
    return frozenset(deniers)


_B, _K, _S, _N, _L, _Q = BUCKET_POLICY, KEY_POLICY, SCP, NO_GRANT, OBJECT_LOCK, QUEUE_POLICY

ATTEMPTS: Final[tuple[Attempt, ...]] = (
    # --- erase: delete a log, a replica or an access record, or cut retention short ----------
    Attempt("delete-marker", "archive-admin",
            "place a delete marker on a log, for the lifecycle to expire it early",
            "s3:DeleteObject", "log-object", _refused(_B), _refused(_B, _S)),
    Attempt("delete-version", "archive-admin", "delete a log version (a versionId given)",
            "s3:DeleteObjectVersion", "log-object", _refused(_B, _L), _refused(_B, _S, _L),
            version_id=True),
    Attempt("bypass-governance", "archive-admin",
            "delete a GOVERNANCE-locked log version with the bypass header",
            "s3:DeleteObjectVersion", "log-object", _refused(_B, _L), _refused(_B, _S, _L),
            version_id=True, bypass_governance=True),
    Attempt("shorten-retention", "archive-admin", "shorten a log version's retention",
            "s3:PutObjectRetention", "log-object", _refused(_B, _L), _refused(_B, _S, _L)),
    Attempt("expire-by-lifecycle", "archive-admin",
            "replace the lifecycle with one that expires logs after a day",
            "s3:PutLifecycleConfiguration", "log-bucket", _refused(_B), _refused(_B, _S)),
    Attempt("delete-bucket", "archive-admin", "delete the log bucket",
            "s3:DeleteBucket", "log-bucket", _refused(_B), _refused(_B, _S)),
    Attempt("delete-replica", "archive-admin", "delete a replica version",
            "s3:DeleteObjectVersion", "replica-object", _refused(_B, _L), _refused(_B, _S, _L),
            version_id=True),
    Attempt("empty-access-logs", "archive-admin",
            "delete the access records of who read the logs",
            "s3:DeleteObjectVersion", "access-log-object", _refused(_B), _refused(_B, _S),
            version_id=True),
    Attempt("root-delete-version", "archive-root", "delete a log version as the root user",
            "s3:DeleteObjectVersion", "log-object", _refused(_B, _L), _refused(_B, _S, _L),
            version_id=True),
    Attempt("management-delete-version", "management",
            "delete a log version from the management account", "s3:DeleteObjectVersion",
            "log-object", _refused(_B, _N, _L), _refused(_B, _N, _L), version_id=True),
    # --- read: every object read action, every key path --------------------------------------
    Attempt("get-object", "archive-admin", "read a log (GetObject)",
            "s3:GetObject", "log-object", _refused(_B, _K), _refused(_B, _K)),
    Attempt("get-object-version", "archive-admin", "read a log by its version id",
            "s3:GetObjectVersion", "log-object", _refused(_B, _K), _refused(_B, _K),
            version_id=True),
    Attempt("restore-object", "archive-admin",
            "restore an archived log (RestoreObject, and its SELECT query)",
            "s3:RestoreObject", "log-object", _refused(_B), _refused(_B)),
    Attempt("grant-decrypt", "archive-admin", "grant itself kms:Decrypt on the log key",
            "kms:CreateGrant", "log-key", _refused(_K), _refused(_K, _S)),
    Attempt("decrypt", "archive-admin", "decrypt a log with the log key",
            "kms:Decrypt", "log-key", _refused(_K), _refused(_K)),
    Attempt("read-replica", "archive-admin", "read a replica by its version id",
            "s3:GetObjectVersion", "replica-object", _refused(_B, _K), _refused(_B, _K),
            version_id=True),
    Attempt("decrypt-replica", "archive-admin", "decrypt a replica with the replica key",
            "kms:Decrypt", "replica-key", _refused(_K), _refused(_K)),
    Attempt("member-read", "member-admin", "read another account's logs from a member account",
            "s3:GetObject", "log-object", _refused(_B, _N, _K), _refused(_B, _N, _K)),
    Attempt("outsider-read", "outsider", "read a log from outside the organization",
            "s3:GetObject", "log-object", _refused(_B, _N, _K), _refused(_B, _N, _K)),
    # --- reconfigure the archive -------------------------------------------------------------
    Attempt("replace-bucket-policy", "archive-admin", "replace the log bucket's policy",
            "s3:PutBucketPolicy", "log-bucket", _refused(_B), _refused(_B, _S)),
    Attempt("root-replace-bucket-policy", "archive-root",
            "delete the log bucket's policy as the root user (S3 lets the bucket owner's root "
            "user do this whatever the policy says)",
            "s3:DeleteBucketPolicy", "log-bucket", ALLOWED, _refused(_S)),
    Attempt("suspend-versioning", "archive-admin", "suspend versioning",
            "s3:PutBucketVersioning", "log-bucket", _refused(_B), _refused(_B, _S)),
    Attempt("change-encryption", "archive-admin", "change the default encryption",
            "s3:PutEncryptionConfiguration", "log-bucket", _refused(_B), _refused(_B, _S)),
    Attempt("stop-access-logging", "archive-admin", "stop server access logging",
            "s3:PutBucketLogging", "log-bucket", _refused(_B), _refused(_B, _S)),
    Attempt("weaken-object-lock", "archive-admin", "shorten the default Object Lock retention",
            "s3:PutBucketObjectLockConfiguration", "log-bucket", _refused(_B), _refused(_B, _S)),
    Attempt("stop-replication", "archive-admin", "remove the replication configuration",
            "s3:PutReplicationConfiguration", "log-bucket", _refused(_B), _refused(_B, _S)),
    Attempt("open-public-access", "archive-admin", "remove the public access block",
            "s3:PutBucketPublicAccessBlock", "log-bucket", _refused(_B), _refused(_B, _S)),
    Attempt("reconfigure-access-logs", "archive-admin",
            "replace the access-log bucket's lifecycle", "s3:PutLifecycleConfiguration",
            "access-log-bucket", _refused(_B), _refused(_B, _S)),
    Attempt("replace-key-policy", "archive-admin", "replace the log key's policy",
            "kms:PutKeyPolicy", "log-key", _refused(_K), _refused(_K, _S)),
    Attempt("disable-key", "archive-admin", "disable the log key",
            "kms:DisableKey", "log-key", _refused(_K), _refused(_K, _S)),
    Attempt("schedule-key-deletion", "archive-admin", "schedule the log key's deletion",
            "kms:ScheduleKeyDeletion", "log-key", _refused(_K), _refused(_K, _S)),
    Attempt("replicate-over-log", "archive-admin",
            "replicate a delete marker over a log from a bucket of its own, for the lifecycle to "
            "expire it", "s3:ReplicateDelete", "log-object", _refused(_B), _refused(_B)),
    Attempt("disable-alert-key", "archive-admin",
            "disable the key of the alert topics, so that no alert can be encrypted",
            "kms:DisableKey", "messaging-key", _refused(_K), _refused(_K, _S)),
    Attempt("unsubscribe-alerts", "archive-admin", "unsubscribe the tamper alerts' queue",
            "sns:Unsubscribe", "tamper-topic", ALLOWED, _refused(_S)),
    Attempt("filter-alerts", "archive-admin",
            "give the tamper alerts' subscription a filter policy that drops every alert",
            "sns:SetSubscriptionAttributes", "tamper-topic", ALLOWED, _refused(_S)),
    Attempt("drain-alerts", "archive-admin", "receive and delete the tamper alerts' messages",
            "sqs:DeleteMessage", "tamper-queue", _refused(_Q), _refused(_Q)),
    Attempt("replace-identity-provider", "archive-admin",
            "replace the metadata of the SAML provider the named roles trust, to sign in as them",
            "iam:UpdateSAMLProvider", "identity-provider", ALLOWED, _refused(_S)),
    Attempt("read-log-group", "archive-admin",
            "read the archive account's own events in its CloudWatch Logs group (its last 90 "
            "days of management events stay in CloudTrail's event history)",
            "logs:GetLogEvents", "log-group", ALLOWED, _refused(_S),
            unalerted="a read, which the trail records"),
    Attempt("pipeline-replace-bucket-policy", "pipeline", "replace the log bucket's policy",
            "s3:PutBucketPolicy", "log-bucket", _refused(_B), _refused(_B, _S)),
    Attempt("pipeline-stop-archive-trail", "pipeline", "stop the log archive's trail",
            "cloudtrail:StopLogging", "trail", ALLOWED, _refused(_S)),
    Attempt("pipeline-bus-permission", "pipeline",
            "remove the central bus's permission for the members' alerts",
            "events:RemovePermission", "central-bus", ALLOWED, _refused(_S)),
    Attempt("pipeline-delete-bus", "pipeline", "delete the central bus",
            "events:DeleteEventBus", "central-bus", ALLOWED, _refused(_S)),
    Attempt("rogue-delete-version", "rogue-administrator", "delete a log version",
            "s3:DeleteObjectVersion", "log-object", _refused(_B, _L), _refused(_B, _S, _L),
            version_id=True),
    Attempt("rogue-expire-by-lifecycle", "rogue-administrator",
            "replace the lifecycle with one that expires logs after a day (Object Lock keeps "
            "every locked version until its retention ends)",
            "s3:PutLifecycleConfiguration", "log-bucket", ALLOWED, _refused(_S)),
    Attempt("rogue-delete-replica-key", "rogue-administrator",
            "schedule the deletion of the replica's key", "kms:ScheduleKeyDeletion",
            "replica-key", ALLOWED, _refused(_S)),
    Attempt("take-over-administrator", "archive-admin",
            "take over a named administrator's role (change its trust policy)",
            "iam:UpdateAssumeRolePolicy", "archive-role", ALLOWED, _refused(_S)),
    # --- silence: stop the trail or what the StackSets deploy --------------------------------
    Attempt("stop-trail", "member-admin", "stop its account's trail",
            "cloudtrail:StopLogging", "trail", ALLOWED, _refused(_S)),
    Attempt("narrow-selectors", "member-admin", "drop management events from the trail",
            "cloudtrail:PutEventSelectors", "trail", ALLOWED, _refused(_S)),
    Attempt("delete-trail", "member-admin", "delete the trail",
            "cloudtrail:DeleteTrail", "trail", ALLOWED, _refused(_S)),
    Attempt("disable-rule", "member-admin", "disable an API-call rule the StackSets deployed",
            "events:DisableRule", "stackset-rule", ALLOWED, _refused(_S)),
    Attempt("delete-forwarder", "member-admin", "delete the forwarder role",
            "iam:DeleteRole", "forwarder-role", ALLOWED, _refused(_S)),
    Attempt("disable-member-key", "member-admin",
            "disable its account's alert key, so that no alert can be encrypted",
            "kms:DisableKey", "member-key", ALLOWED, _refused(_S)),
    Attempt("delete-member-alias", "member-admin",
            "delete that key's alias, which the guardrail policy protects it by",
            "kms:DeleteAlias", "member-key-alias", ALLOWED, _refused(_S),
            unalerted="harmless without the guardrail policy, the only document aliases decide"),
    Attempt("second-trail", "member-admin",
            "create a second trail of the agreed name, whose deliveries the archive accepts",
            "cloudtrail:CreateTrail", "trail", ALLOWED, _refused(_S)),
    Attempt("leave-organization", "member-admin", "leave the organization",
            "organizations:LeaveOrganization", "organization", ALLOWED, _refused(_S)),
    Attempt("archive-stop-trail", "archive-admin", "stop the log archive's own trail",
            "cloudtrail:StopLogging", "trail", ALLOWED, _refused(_S)),
    # --- legitimate uses that must keep working ----------------------------------------------
    Attempt("deliver", "cloudtrail", "deliver a log file under its account's prefix",
            "s3:PutObject", "log-object", ALLOWED, ALLOWED),
    Attempt("encrypt", "cloudtrail", "encrypt a log file with the log key",
            "kms:GenerateDataKey", "log-key", ALLOWED, ALLOWED),
    Attempt("read", "reader", "read a log", "s3:GetObject", "log-object", ALLOWED, ALLOWED),
    Attempt("read-version", "reader", "read a log version", "s3:GetObjectVersion",
            "log-object", ALLOWED, ALLOWED, version_id=True),
    Attempt("reader-decrypt", "reader", "decrypt a log", "kms:Decrypt", "log-key",
            ALLOWED, ALLOWED),
    Attempt("reader-replica", "reader", "read a replica version", "s3:GetObjectVersion",
            "replica-object", ALLOWED, ALLOWED, version_id=True),
    Attempt("update-bucket-policy", "administrator", "update the log bucket's policy",
            "s3:PutBucketPolicy", "log-bucket", ALLOWED, ALLOWED),
    Attempt("update-lifecycle", "administrator",
            "update the lifecycle (with the guardrail SCP a change of two parties: the management "
            "account lifts DenyArchiveDeletion for it)",
            "s3:PutLifecycleConfiguration", "log-bucket", ALLOWED, _refused(_S)),
    Attempt("update-key-policy", "administrator",
            "update the log key's policy (the KMS lockout check)", "kms:PutKeyPolicy", "log-key",
            ALLOWED, ALLOWED),
    Attempt("update-alert-key-policy", "administrator", "update the alert topics' key policy",
            "kms:PutKeyPolicy", "messaging-key", ALLOWED, ALLOWED),
    Attempt("stream-to-log-group", "log-group-delivery", "write the archive's events",
            "logs:PutLogEvents", "log-group", ALLOWED, ALLOWED),
    Attempt("reader-consumes-alerts", "reader", "receive the tamper alerts' messages",
            "sqs:ReceiveMessage", "tamper-queue", ALLOWED, ALLOWED),
    Attempt("update-trail", "administrator", "update the archive's trail",
            "cloudtrail:UpdateTrail", "trail", ALLOWED, ALLOWED),
    Attempt("replicate-read", "replication", "read a log version to copy it",
            "s3:GetObjectVersionForReplication", "log-object", ALLOWED, ALLOWED),
    Attempt("replicate-decrypt", "replication", "decrypt a log to copy it", "kms:Decrypt",
            "log-key", ALLOWED, ALLOWED),
    Attempt("replicate-write", "replication", "write the replica", "s3:ReplicateObject",
            "replica-object", ALLOWED, ALLOWED),
    Attempt("deliver-access-log", "log-delivery", "deliver an access record",
            "s3:PutObject", "access-log-object", ALLOWED, ALLOWED),
    Attempt("stacksets-update-rule", "stacksets", "update a rule the StackSets deployed",
            "events:PutRule", "stackset-rule", ALLOWED, ALLOWED),
    Attempt("stacksets-update-role", "stacksets", "update the forwarder role",
            "iam:PutRolePolicy", "forwarder-role", ALLOWED, ALLOWED),
    Attempt("member-deployer-update-trail", "member-deployer", "update its account's trail",
            "cloudtrail:UpdateTrail", "trail", ALLOWED, ALLOWED),
)  # fmt: skip


def _outcome_text(attempt: Attempt, mode: str) -> str:
    outcome = attempt.outcome(mode)
    if outcome:
        return "refused: " + ", ".join(sorted(outcome))
    if not attempt.attack:
        return "works"
    if attempt.unalerted:
        return f"possible, no alert: {attempt.unalerted}"
    return "possible: tamper alert within seconds"


def markdown_table() -> str:
    """The README's threat-model tables: attacks, then the uses that must keep working."""
    head = "| who | tries to | " + " | ".join(MODE_TITLES[m] for m in MODES) + " |"
    rule = "|---|---|" + "---|" * len(MODES)
    lines: list[str] = []
    for title, attack in (("Attacks", True), ("Legitimate uses", False)):
        lines += [f"**{title}**", "", head, rule]
        for attempt in (a for a in ATTEMPTS if a.attack is attack):
            who = (ATTACKERS if attack else LEGITIMATE)[attempt.who]
            cells = [_outcome_text(attempt, m) for m in MODES]
            lines.append(f"| {who} | {attempt.what} | " + " | ".join(cells) + " |")
        lines.append("")
    return "\n".join(lines).rstrip() + "\n"
