"""Pulumi engine stand-ins: a monitor that records what the engine would see, and mocks.

In preview mode the mocks behave like a provider's preview of a create: inputs are echoed and
every computed output (ids, ARNs) is left unknown. In deploy mode they invent stable ids and
ARNs, which is how the log-archive stack's outputs look once it has been deployed.

Invokes: the engine's builtin `pulumi:pulumi:readStackOutputs` (another stack's outputs),
`aws:organizations/getOrganization:getOrganization`, and the deploying principal
(`aws:index/getCallerIdentity:getCallerIdentity`, `aws:iam/getSessionContext:getSessionContext`,
a session of the role `DEPLOYER_ROLE` unless another caller is given), the roles of the
stack's account (`aws:iam/getRole:getRole`: each exists, federated through IAM Identity Center,
unless other trust policies are given), an existing trail's log group
(`aws:cloudwatch/getLogGroup:getLogGroup`: each exists, kept 365 days, unless told otherwise) and
the StackSets delegated administrators (`getDelegatedAdministrators`: the stack's account, unless
it is the management account or told otherwise) are answered; any other
invoke fails, so a program cannot come to depend on one unnoticed.
"""

from __future__ import annotations

import hashlib
import json
import logging
import re
import uuid
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any, ClassVar

import grpc
from google.protobuf import json_format
from pulumi.runtime.mocks import MockCallArgs, MockEngine, MockMonitor, MockResourceArgs, Mocks
from pulumi.runtime.proto import engine_pb2
from pulumi.runtime.settings import get_project, get_stack

from engine_model.model import (
    SECRET_SIG,
    SECRET_VALUE,
    UNKNOWN,
    CapturedResource,
    Diagnostic,
    any_nested,
)
from engine_model.replace_keys import replace_keys
from engine_model.state import StateResource

STACK = "pulumi:pulumi:Stack"
STACK_REFERENCE = "pulumi:pulumi:StackReference"
READ_STACK_OUTPUTS = "pulumi:pulumi:readStackOutputs"
GET_ORGANIZATION = "aws:organizations/getOrganization:getOrganization"
GET_CALLER_IDENTITY = "aws:index/getCallerIdentity:getCallerIdentity"
GET_SESSION_CONTEXT = "aws:iam/getSessionContext:getSessionContext"
GET_ROLE = "aws:iam/getRole:getRole"
GET_LOG_GROUP = "aws:cloudwatch/getLogGroup:getLogGroup"
GET_DELEGATED_ADMINISTRATORS = (
    "aws:organizations/getDelegatedAdministrators:getDelegatedAdministrators"
)
# The role an offline run deploys as, unless told otherwise (the shipped security stack names it
# among its archiveAdministrators).
DEPLOYER_ROLE = "cloudtrail-logging-deployer"
_ASSUMED_ROLE = re.compile(r"arn:([\w-]+):sts::(\d{12}):assumed-role/([^/]+)/(.+)")
# pulumi.runtime.rpc's marker of a secret value in a serialized property map.
_SECRET_SIG = (SECRET_SIG, SECRET_VALUE)


class RecordingMonitor(MockMonitor):
    """A mock resource monitor that keeps each registration as the engine would see it.

    With `prior` (a deployed stack's resources by URN), a resource the stack already has and
    that is not replaced keeps its id and outputs, with its new inputs over them: what the engine
    hands the program for a `same` or in-place `update` step in a preview (the step generator
    reuses the old state, pkg/resource/deploy/step_generator.go; the provider's preview of an
    update keeps computed values). A replaced or new resource's computed outputs stay unknown.
    """

    def __init__(self, mocks: Mocks, prior: Mapping[str, StateResource] | None = None) -> None:
        super().__init__(mocks)
        self.captured: list[CapturedResource] = []
        self.stack_outputs: dict[str, Any] = {}
        self.invokes: list[tuple[str, dict[str, Any]]] = []
        self.prior = dict(prior or {})

    def make_urn(self, parent: str, type_: str, name: str) -> str:
        """The URN the engine gives (pkg/resource/deploy/deployment.go, `generateURN`): a child's
        type is qualified by its parent's whole qualified type, and a child of the root stack
        gets none. The SDK's MockMonitor uses only the parent's last type and keeps the stack's,
        which e2e/differential.py found against the real engine."""
        qualified = type_
        if parent:
            parent_type = parent.split("::")[2]
            if parent_type != STACK:
                qualified = f"{parent_type}${type_}"
        return "urn:pulumi:" + "::".join([get_stack(), get_project(), qualified, name])

    def RegisterResource(self, request: Any) -> Any:
        response = super().RegisterResource(request)
        old = self.prior.get(response.urn)
        if old is not None and request.custom and old.type == request.type:
            inputs = json_format.MessageToDict(request.object)
            if not replaced(old, inputs):
                state = {**_known(old.outputs), **inputs}
                response = type(response)(urn=response.urn, id=old.id)
                json_format.ParseDict(state, response.object)
        if request.type != "pulumi:pulumi:Stack":
            self.captured.append(
                CapturedResource(
                    urn=response.urn,
                    type=request.type,
                    name=request.name,
                    custom=request.custom,
                    parent=request.parent,
                    inputs=json_format.MessageToDict(request.object),
                    dependencies=tuple(request.dependencies),
                    property_dependencies={
                        key: tuple(deps.urns) for key, deps in request.propertyDependencies.items()
                    },
                    protect=bool(request.protect),
                    retain_on_delete=bool(request.retainOnDelete),
                    provider=request.provider,
                    aliases=tuple(json_format.MessageToDict(a) for a in request.aliases),
                    import_id=request.importId,
                    additional_secret_outputs=tuple(request.additionalSecretOutputs),
                )
            )
        return response

    def Invoke(self, request: Any) -> Any:
        self.invokes.append((request.tok, json_format.MessageToDict(request.args)))
        return super().Invoke(request)

    def ReadResource(self, request: Any) -> Any:
        response = super().ReadResource(request)
        self.captured.append(
            CapturedResource(
                urn=response.urn,
                type=request.type,
                name=request.name,
                custom=True,
                parent=request.parent,
                inputs=json_format.MessageToDict(request.properties),
                read=True,
            )
        )
        return response

    def RegisterResourceOutputs(self, request: Any) -> Any:
        if "::pulumi:pulumi:Stack::" in request.urn:
            self.stack_outputs = json_format.MessageToDict(request.outputs)
        return super().RegisterResourceOutputs(request)


class RecordingEngine(MockEngine):
    """The engine's log service: keeps what the program logs, as the engine's diag events do."""

    SEVERITIES: ClassVar[dict[int, str]] = {
        engine_pb2.DEBUG: "debug", engine_pb2.INFO: "info",
        engine_pb2.WARNING: "warning", engine_pb2.ERROR: "error",
    }  # fmt: skip

    def __init__(self, logger: logging.Logger) -> None:
        super().__init__(logger)
        self.logged: list[Diagnostic] = []

    def Log(self, request: Any) -> None:
        """Recorded, and passed on to `logger` as the SDK's MockEngine does."""
        severity = self.SEVERITIES.get(request.severity, "info")
        self.logged.append(Diagnostic(severity, request.message, request.urn))
        super().Log(request)


def replaced(old: StateResource, inputs: Mapping[str, Any]) -> bool:
    """A new value of an input that forces replacement (engine_model/replace_keys.py)."""
    return any(old.inputs.get(key) != inputs.get(key) for key in replace_keys(old.type))


def _known(value: Any) -> Any:
    """A stored secret (ciphertext only) cannot be decrypted offline: unknown."""
    if isinstance(value, dict):
        if value.get(_SECRET_SIG[0]) == _SECRET_SIG[1] and "value" not in value:
            return UNKNOWN
        return {k: _known(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_known(v) for v in value]
    return value


def _stable_id(*parts: str) -> str:
    return str(uuid.UUID(hashlib.sha256("/".join(parts).encode()).hexdigest()[:32]))


def _has_secret(value: Any) -> bool:
    return any_nested(value, lambda v: isinstance(v, dict) and v.get(SECRET_SIG) == SECRET_VALUE)


def read_stack_outputs(name: str, outputs: dict[str, Any]) -> dict[str, Any]:
    """What the engine's builtin `readStackOutputs` returns (pkg/resource/deploy/builtins.go,
    `readStackReference`): the name, the outputs, and the names of secret outputs, sorted."""
    secret = sorted(key for key, value in outputs.items() if _has_secret(value))
    return {"name": name, "outputs": outputs, "secretOutputNames": secret}


def caller_identity(arn: str) -> dict[str, Any]:
    """What STS GetCallerIdentity returns for `arn`, in pulumi_aws's GetCallerIdentityResult
    wire names (STS API reference: Account, Arn, UserId `<unique id>[:<session>]`)."""
    account = arn.split(":")[4]
    session = _ASSUMED_ROLE.fullmatch(arn)
    unique = "AROA" + hashlib.sha256(arn.encode()).hexdigest()[:17].upper()
    return {
        "accountId": account,
        "arn": arn,
        "id": account,
        "userId": f"{unique}:{session[4]}" if session else unique,
    }


def session_context(arn: str) -> dict[str, Any]:
    """The provider's aws_iam_session_context for `arn`: for a role session, the role (the
    provider reads its path with iam:GetRole; offline roles have none); other ARNs pass through."""
    session = _ASSUMED_ROLE.fullmatch(arn)
    if session is None:
        return {"arn": arn, "id": arn, "issuerArn": arn, "issuerId": "", "issuerName": "",
                "sessionName": ""}  # fmt: skip
    partition, account, role, name = session.groups()
    return {
        "arn": arn,
        "id": arn,
        "issuerArn": f"arn:{partition}:iam::{account}:role/{role}",
        "issuerId": "AROA" + hashlib.sha256(role.encode()).hexdigest()[:17].upper(),
        "issuerName": role,
        "sessionName": name,
    }


def identity_center_trust(account_id: str, partition: str) -> str:
    """The trust policy IAM Identity Center gives the roles of its permission sets (IAM Identity
    Center User Guide, "IAM roles created by IAM Identity Center"): its SAML provider, with
    sts:AssumeRoleWithSAML for sign-ins to the console's SAML endpoint."""
    provider = (
        f"arn:{partition}:iam::{account_id}:saml-provider/AWSSSO_0123456789abcdef_DO_NOT_DELETE"
    )
    return json.dumps({
        "Version": "2012-10-17",
        "Statement": [{
            "Effect": "Allow",
            "Principal": {"Federated": provider},
            "Action": ["sts:AssumeRoleWithSAML", "sts:TagSession"],
            "Condition": {"StringEquals": {"SAML:aud": "https://signin.aws.amazon.com/saml"}},
        }],
    })  # fmt: skip


def iam_role(account_id: str, partition: str, name: str, trust: str) -> dict[str, Any]:
    """The provider's aws_iam_role data source for the role `name` (pulumi_aws GetRoleResult
    wire names; the provider hands the trust policy over URL-decoded)."""
    unique = "AROA" + hashlib.sha256(name.encode()).hexdigest()[:17].upper()
    return {
        "arn": f"arn:{partition}:iam::{account_id}:role/{name}",
        "assumeRolePolicy": trust,
        "createDate": "2026-01-01T00:00:00Z",
        "description": "",
        "id": name,
        "maxSessionDuration": 3600,
        "name": name,
        "path": "/",
        "permissionsBoundary": "",
        "roleLastUseds": [],
        "tags": {},
        "uniqueId": unique,
    }


def default_caller(account_id: str, partition: str) -> str:
    return f"arn:{partition}:sts::{account_id}:assumed-role/{DEPLOYER_ROLE}/offline-preview"


def organization(account_id: str, partition: str) -> dict[str, Any]:
    """A plausible DescribeOrganization answer in which `account_id` is the management account.

    Ids and ARNs follow the AWS Organizations API reference: Organization
    (https://docs.aws.amazon.com/organizations/latest/APIReference/API_Organization.html:
    id `o-` + 10-32 lowercase letters/digits, ARN `...:organization/o-...`, management account
    ARN `...:account/o-.../<id>`) and Root
    (https://docs.aws.amazon.com/organizations/latest/APIReference/API_Root.html: id `r-` +
    4-32 lowercase letters/digits, ARN `...:root/o-.../r-...`). Field names are the wire names
    of pulumi_aws's GetOrganizationResult.
    """
    digest = hashlib.sha256(f"organization/{account_id}".encode()).hexdigest()
    org_id, root_id = f"o-{digest[:10]}", f"r-{digest[10:14]}"
    prefix = f"arn:{partition}:organizations::{account_id}"
    account = {
        "arn": f"{prefix}:account/{org_id}/{account_id}",
        "email": f"aws-{account_id}@example.com",
        "id": account_id,
        "joinedMethod": "CREATED",
        "joinedTimestamp": "2020-01-01T00:00:00Z",
        "name": "management",
        "state": "ACTIVE",
        "status": "ACTIVE",
    }
    return {
        "id": org_id,
        "arn": f"{prefix}:organization/{org_id}",
        "featureSet": "ALL",
        "masterAccountId": account_id,
        "masterAccountArn": account["arn"],
        "masterAccountEmail": account["email"],
        "masterAccountName": account["name"],
        "accounts": [account],
        "nonMasterAccounts": [],
        "awsServiceAccessPrincipals": ["cloudtrail.amazonaws.com"],
        "enabledPolicyTypes": [],
        "roots": [{
            "id": root_id,
            "arn": f"{prefix}:root/{org_id}/{root_id}",
            "name": "Root",
            "policyTypes": [],
        }],
    }


def log_group(
    account_id: str, region: str, partition: str, name: str, retention: int
) -> dict[str, Any]:
    """The provider's aws_cloudwatch_log_group data source (pulumi_aws GetLogGroupResult wire
    names); retention 0 means never expire."""
    return {
        "arn": f"arn:{partition}:logs:{region}:{account_id}:log-group:{name}",
        "creationTime": 1767225600000,
        "deletionProtectionEnabled": False,
        "id": name,
        "kmsKeyId": "",
        "logGroupClass": "STANDARD",
        "name": name,
        "region": region,
        "retentionInDays": retention,
        "tags": {},
    }


def delegated_administrators(accounts: Sequence[str], partition: str) -> dict[str, Any]:
    """ListDelegatedAdministrators for StackSets, in pulumi_aws's GetDelegatedAdministrators wire
    names (Organizations API reference, DelegatedAdministrator)."""
    return {
        "id": "delegated-administrators",
        "servicePrincipal": "member.org.stacksets.cloudformation.amazonaws.com",
        "delegatedAdministrators": [{
            "arn": f"arn:{partition}:organizations::{account}:account/o-example/{account}",
            "delegationEnabledDate": "2026-01-01T00:00:00Z",
            "email": f"aws-{account}@example.com",
            "id": account,
            "joinedMethod": "CREATED",
            "joinedTimestamp": "2026-01-01T00:00:00Z",
            "name": account,
            "status": "ACTIVE",
        } for account in accounts],
    }  # fmt: skip


class InvokeError(grpc.RpcError):
    """A provider's failed invoke as the engine hands it to the program: a gRPC error whose
    details are "invocation of <token> returned an error: <the provider's>"
    (pkg/resource/deploy/source_eval.go, resmon.Invoke), which the SDK raises as an Exception."""

    def __init__(self, token: str, error: str) -> None:
        super().__init__(error)
        self._details = f"invocation of {token} returned an error: {error}"

    def code(self) -> grpc.StatusCode:
        return grpc.StatusCode.UNKNOWN

    def details(self) -> str:
        return self._details


@dataclass(frozen=True)
class World:
    """What an offline run finds around its stack, beyond the config (None: the default)."""

    stack_outputs: Callable[[str], dict[str, Any]] | None = None
    """Other stacks' outputs by stack name; None: no stack reference resolves."""
    caller_arn: str | None = None
    """Who deploys; by default a session of DEPLOYER_ROLE in the stack's account."""
    management_account_id: str | None = None
    """The organization's management account; by default the stack's own."""
    role_trusts: Mapping[str, str | None] | None = None
    """Trust policies of roles of the account by name (None: no such role); by default IAM
    Identity Center's."""
    log_groups: Mapping[str, int | None] | None = None
    """Retention of log groups by name (None: no such group); by default 365 days."""
    delegated_administrators: Sequence[str] | None = None
    """The accounts registered for StackSets; by default the stack's, unless it is the
    management account."""


class StackMocks(Mocks):
    """Preview: echo inputs, leave computed outputs unknown. Deploy: invent ids and ARNs."""

    def __init__(
        self, *, preview: bool, account_id: str, region: str, partition: str, world: World = World()
    ) -> None:
        self.preview = preview
        self.role_trusts = dict(world.role_trusts or {})
        self.log_groups = dict(world.log_groups or {})
        self.delegated_administrators = world.delegated_administrators
        self.account_id = account_id
        self.region = region
        self.partition = partition
        self.stack_outputs = world.stack_outputs
        self.caller_arn = world.caller_arn or default_caller(account_id, partition)
        self.management_account_id = world.management_account_id or account_id

    def _outputs_of(self, name: str) -> dict[str, Any]:
        if self.stack_outputs is None:
            raise RuntimeError(f"stack reference {name!r} cannot be resolved offline")
        return self.stack_outputs(name)

    def _delegated(self) -> list[str]:
        if self.delegated_administrators is not None:
            return list(self.delegated_administrators)
        return [] if self.account_id == self.management_account_id else [self.account_id]

    def new_resource(self, args: MockResourceArgs) -> tuple[str | None, dict[str, Any]]:
        if args.typ == STACK_REFERENCE:
            name = args.inputs.get("name") or args.name
            return name, read_stack_outputs(name, self._outputs_of(name))
        state = dict(args.inputs)
        if self.preview:  # an import has its id; its outputs come from a read AWS would answer
            return args.resource_id or "", state
        resource_id = args.resource_id or _stable_id(args.typ, args.name)
        if args.typ == "aws:kms/key:Key":
            state["keyId"] = resource_id
            state["arn"] = (
                f"arn:{self.partition}:kms:{self.region}:{self.account_id}:key/{resource_id}"
            )
        else:
            service = args.typ.split(":")[1].split("/")[0]
            state.setdefault(
                "arn",
                f"arn:{self.partition}:{service}:{self.region}:{self.account_id}:{args.name}",
            )
        return resource_id, state

    def call(self, args: MockCallArgs) -> tuple[dict[str, Any], list[tuple[str, str]] | None]:
        if args.token == READ_STACK_OUTPUTS:
            name = args.args.get("name")
            if not isinstance(name, str) or not name:
                raise RuntimeError(f"{READ_STACK_OUTPUTS} needs a stack name in 'name'")
            return read_stack_outputs(name, self._outputs_of(name)), []
        if args.token == GET_ORGANIZATION:
            return organization(self.management_account_id, self.partition), []
        if args.token == GET_CALLER_IDENTITY:
            return caller_identity(self.caller_arn), []
        if args.token == GET_SESSION_CONTEXT:
            return session_context(str(args.args.get("arn"))), []
        if args.token == GET_ROLE:
            name = str(args.args.get("name"))
            trust = self.role_trusts.get(
                name, identity_center_trust(self.account_id, self.partition)
            )
            if trust is None:
                raise InvokeError(args.token, f"reading IAM Role ({name}): couldn't find resource")
            return iam_role(self.account_id, self.partition, name, trust), []
        if args.token == GET_LOG_GROUP:
            name = str(args.args.get("name"))
            retention = self.log_groups.get(name, 365)
            if retention is None:
                raise InvokeError(args.token, f"reading CloudWatch Logs Log Group ({name}): "
                                  "couldn't find resource")  # fmt: skip
            return log_group(self.account_id, self.region, self.partition, name, retention), []
        if args.token == GET_DELEGATED_ADMINISTRATORS:
            return delegated_administrators(self._delegated(), self.partition), []
        raise RuntimeError(
            f"the program made an invoke ({args.token}) that the offline engine does not answer"
        )
