"""Decide a request against every document of the archive that decides it, together.

`policy_eval` judges one policy; AWS decides a request over several (IAM User Guide, "Policy
evaluation logic", and "Cross-account policy evaluation logic"). This module combines them the
way those pages, the S3 and KMS guides describe, for the requests the threat model makes:

* a service control policy binds principals of member accounts (not of the management account,
  not service principals) and only ever denies ("SCP evaluation");
* an explicit Deny in any applicable policy refuses the request;
* S3, same account: the bucket policy or the caller's identity policy must allow; across
  accounts both must. Exception: the bucket owner's root user may always Get/Put/Delete the
  bucket policy, whatever it says (DeleteBucketPolicy API reference);
* KMS: the key policy must allow the caller, directly or by naming its account (then the
  identity policy must allow too); nothing else opens a key ("Key policies in AWS KMS");
* reading an SSE-KMS object needs the S3 decision and a kms:Decrypt by the caller through S3;
* S3 Object Lock: a locked version cannot be deleted, nor its retention shortened, in
  COMPLIANCE mode; in GOVERNANCE mode only with the bypass header and s3:BypassGovernanceRetention
  ("How S3 Object Lock works");
* SQS, same account: an explicit Deny in the queue policy refuses the request;
* an action that names no resource (the Service Authorization Reference lists no resource type
  for it; its table as parliament ships it) is authorized against `*`: only a statement whose
  Resource is `*` applies to it, so a Deny that lists ARNs does not stop it.

The result is the set of what refuses the request (names from `cloudtrail_logging.threat_model`),
empty when AWS would allow it.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import Any

import parliament

from cloudtrail_logging.integrity.object_lock import ObjectLock
from cloudtrail_logging.threat_model import (
    BUCKET_POLICY,
    KEY_POLICY,
    NO_GRANT,
    OBJECT_LOCK,
    QUEUE_POLICY,
    SCP,
)
from tests.support.policy_eval import Decision, Principal, Request, evaluate


@cache
def _resource_types() -> dict[str, bool]:
    """Whether each IAM action (lower case) names a resource type."""
    path = Path(parliament.__file__).parent / "iam_definition.json"
    found = {}
    for service in json.loads(path.read_text()):
        for privilege in service["privileges"]:
            action = f"{service['prefix']}:{privilege['privilege']}".lower()
            found[action] = any(r["resource_type"] for r in privilege["resource_types"])
    return found


def authorized(request: Request) -> Request:
    """The request as IAM authorizes it: against `*` when its action names no resource."""
    if _resource_types().get(request.action.lower(), True):
        return request
    return Request(request.principal, request.action, "*", request.context)


ADMINISTRATOR_ACCESS: dict[str, Any] = {
    "Version": "2012-10-17",
    "Statement": [{"Effect": "Allow", "Action": "*", "Resource": "*"}],
}
NOTHING: dict[str, Any] = {"Version": "2012-10-17", "Statement": []}


def as_resource_policy(policy: Mapping[str, Any]) -> dict[str, Any]:
    """An identity policy or SCP judged like a resource policy: every statement applies to the
    caller (`Principal: "*"`), and Resource decides."""
    statements = policy.get("Statement", [])
    if isinstance(statements, Mapping):
        statements = [statements]
    return {**policy, "Statement": [{**s, "Principal": "*"} for s in statements]}


@dataclass(frozen=True)
class Actor:
    """Who makes the request, and what its own account lets it do."""

    principal: Principal
    identity: Mapping[str, Any] = field(default_factory=lambda: NOTHING)
    scp_bound: bool = False
    """A principal of a member account (the archive's included), not a service-linked role."""
    root: bool = False

    @property
    def account(self) -> str | None:
        return self.principal.account

    @property
    def service(self) -> bool:
        return self.principal.kind == "Service"


@dataclass(frozen=True)
class Bucket:
    name: str
    account: str
    policy: Mapping[str, Any]
    key_arn: str | None = None
    """SSE-KMS with this key (the S3 Bucket Key on); None: SSE-S3."""
    object_lock: ObjectLock | None = None
    region: str = "us-east-1"
    trail_arn: str | None = None
    """The trail that encrypted its objects (CloudTrail's SSE-KMS encryption context)."""


@dataclass(frozen=True)
class Key:
    arn: str
    policy: Mapping[str, Any]

    @property
    def account(self) -> str:
        return self.arn.split(":")[4]


@dataclass(frozen=True)
class Archive:
    """Every document that decides access to the archive."""

    buckets: Mapping[str, Bucket]
    keys: Mapping[str, Key]
    scp: Mapping[str, Any] | None = None
    queues: Mapping[str, Mapping[str, Any]] = field(default_factory=dict)
    """Queue policies by queue ARN."""


def _scp_denies(archive: Archive, actor: Actor, request: Request) -> bool:
    if archive.scp is None or not actor.scp_bound or actor.service:
        return False
    return evaluate(as_resource_policy(archive.scp), request) is Decision.EXPLICIT_DENY


def _identity(actor: Actor, request: Request) -> Decision:
    if actor.service:
        return Decision.IMPLICIT_DENY
    return evaluate(as_resource_policy(actor.identity), request)


def decide_other(archive: Archive, actor: Actor, request: Request) -> frozenset[str]:
    """A request to a service without resource policies (CloudTrail, EventBridge, IAM, ...),
    or to a queue of the archive (its queue policy decides too)."""
    deniers: set[str] = set()
    queue = archive.queues.get(request.resource)
    if queue is not None and evaluate(queue, request) is Decision.EXPLICIT_DENY:
        deniers.add(QUEUE_POLICY)
    request = authorized(request)
    if _scp_denies(archive, actor, request):
        deniers.add(SCP)
    if _identity(actor, request) is not Decision.ALLOW:
        deniers.add(NO_GRANT)
    return frozenset(deniers)


def _delegated_to_account(key: Key, actor: Actor, request: Request) -> bool:
    """Whether the key policy allows the action to the caller's account as a whole."""
    if actor.account is None:
        return False
    as_account = Request(
        Principal.aws(actor.account), request.action, request.resource, request.context
    )
    return evaluate(key.policy, as_account) is Decision.ALLOW


def decide_kms(archive: Archive, actor: Actor, key: Key, request: Request) -> frozenset[str]:
    request = authorized(request)
    deniers: set[str] = set()
    if _scp_denies(archive, actor, request):
        deniers.add(SCP)
    by_key = evaluate(key.policy, request)
    identity = _identity(actor, request)
    if by_key is Decision.EXPLICIT_DENY or identity is Decision.EXPLICIT_DENY:
        deniers.add(KEY_POLICY)
    elif by_key is not Decision.ALLOW:
        # A key policy naming the caller's account delegates to IAM: the identity decides.
        if not (_delegated_to_account(key, actor, request) and identity is Decision.ALLOW):
            deniers.add(KEY_POLICY)
    elif actor.account != key.account and not actor.service and identity is not Decision.ALLOW:
        deniers.add(KEY_POLICY)
    return frozenset(deniers)


_BUCKET_POLICY_ACTIONS = {"s3:getbucketpolicy", "s3:putbucketpolicy", "s3:deletebucketpolicy"}


def _s3(archive: Archive, actor: Actor, bucket: Bucket, request: Request) -> set[str]:
    deniers: set[str] = set()
    if _scp_denies(archive, actor, request):
        deniers.add(SCP)
    root_exception = (
        actor.root
        and actor.account == bucket.account
        and request.action.lower() in _BUCKET_POLICY_ACTIONS
    )
    by_bucket = Decision.IMPLICIT_DENY if root_exception else evaluate(bucket.policy, request)
    identity = _identity(actor, request)
    if by_bucket is Decision.EXPLICIT_DENY:
        deniers.add(BUCKET_POLICY)
    if identity is Decision.EXPLICIT_DENY:
        deniers.add(NO_GRANT)
    if actor.service:  # a service principal has only what the bucket policy grants it
        granted = by_bucket is Decision.ALLOW
    elif actor.account == bucket.account:
        granted = Decision.ALLOW in (by_bucket, identity)
    else:  # across accounts both sides must allow
        granted = by_bucket is Decision.ALLOW and identity is Decision.ALLOW
        if not granted:
            deniers.add(NO_GRANT)
    if not granted and not deniers:
        deniers.add(NO_GRANT)
    return deniers


_LOCKED_ACTIONS = {"s3:deleteobjectversion", "s3:putobjectretention"}


def decide_s3(
    archive: Archive,
    actor: Actor,
    bucket: Bucket,
    request: Request,
    *,
    bypass_governance: bool = False,
) -> frozenset[str]:
    """An S3 request on `bucket` (or one of its objects), with what it implies: the decryption
    of an SSE-KMS object read, and Object Lock on a locked version."""
    deniers = _s3(archive, actor, bucket, request)
    action = request.action.lower()
    lock = bucket.object_lock
    if lock is not None and action in _LOCKED_ACTIONS:
        may_bypass = False
        if lock.mode == "GOVERNANCE" and bypass_governance:
            bypass = Request(request.principal, "s3:BypassGovernanceRetention", request.resource,
                             request.context)  # fmt: skip
            may_bypass = not _s3(archive, actor, bucket, bypass)
        if not may_bypass:
            deniers.add(OBJECT_LOCK)
    reads = action in ("s3:getobject", "s3:getobjectversion")
    if reads and bucket.key_arn is not None:
        key = archive.keys[bucket.key_arn]
        deniers |= decide_kms(archive, actor, key, decrypt_through_s3(bucket, request))
    return frozenset(deniers)


def decrypt_through_s3(bucket: Bucket, request: Request) -> Request:
    """The kms:Decrypt S3 makes on the caller's behalf to read an SSE-KMS log object: through S3
    in the bucket's Region, with the encryption context of the object (the bucket, with an S3
    Bucket Key) and, for a CloudTrail log file, its trail."""
    context: dict[str, Any] = {
        "kms:ViaService": f"s3.{bucket.region}.amazonaws.com",
        "kms:EncryptionContext:aws:s3:arn": f"arn:aws:s3:::{bucket.name}",
        "kms:CallerAccount": request.principal.account or "",
    }
    if bucket.trail_arn is not None:
        context["kms:EncryptionContext:aws:cloudtrail:arn"] = bucket.trail_arn
    return Request(request.principal, "kms:Decrypt", bucket.key_arn or "*", context)
