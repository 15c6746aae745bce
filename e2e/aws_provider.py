"""STAND-IN for the `aws` resource provider (pulumi-aws), for the engine to drive offline.

pulumi-aws cannot be built from the Go module proxy (its provider module replaces the Terraform
AWS provider with a local path), and there is no AWS account here. This process answers the
engine over the provider gRPC protocol the pulumi SDK ships (`pulumi.runtime.proto`,
ResourceProvider) the way the SDK's mocks answer the program in `offline/`: inputs are echoed,
computed outputs are unknown in a preview, and on create they get the ids and ARNs AWS would give
(e2e/aws_model.py). It keeps no state of its own: like a cloud API it is told the old state by the
engine, which keeps it in the stack's checkpoint.

What it does, RPC by RPC (what the engine expects of each: pulumi/pulumi v3.276.0
pkg/resource/plugin/provider_plugin.go):

- GetPluginInfo: the version of the installed pulumi_aws package (7.51.1), which the engine
  compares with the version the program's default provider asks for
  (pkg/host/host.go, `loadProvider`: "resource plugin %s is expected to have version >=%s").
- Handshake, CheckConfig, DiffConfig, Configure: the provider's config is the stack's `aws:*`
  config. Like the real provider, Configure refuses credentials of an account outside
  `aws:allowedAccountIds` (or inside `aws:forbiddenAccountIds`); the credentials' account is
  CLOUDTRAIL_E2E_AWS_ACCOUNT, which e2e sets per stack as an AWS profile would. It declares
  `supportsPreview`, so the engine calls Create and Update in previews too (provider_plugin.go
  `Create`: without it the engine hands back the inputs itself).
- Check: the inputs, unchanged. The real provider also applies schema defaults and validates
  every field; this one only refuses a type it does not know.
- Diff: top-level input properties compared with the old inputs; a changed property in the type's
  replace set (e2e/aws_model.py) makes a replacement; an unknown new value counts as a change.
- Create / Update: inputs plus computed outputs (unknown in a preview). Read: the state as given
  (nothing drifts); for an import (an id and no state), the resource of that type and id in the
  JSON file CLOUDTRAIL_E2E_EXISTING (`{type: {id: inputs}}`: what the account already has), or
  nothing, which the engine reports as "resource '<id>' does not exist". Delete: nothing to do.
- Invoke: getCallerIdentity and iam/getSessionContext (a session of the role the offline preview
  deploys as, in the configured account), organizations/getOrganization and iam/getRole (each
  role exists, with IAM Identity Center's trust), cloudwatch/getLogGroup (each group exists,
  kept 365 days) and organizations/getDelegatedAdministrators (none: the configured account is
  the organization's management account), from the one home of those answers
  (engine_model/mocks.py); getPartition and getRegion. Any other invoke is an error.
"""

from __future__ import annotations

import importlib.metadata
import json
import os
from collections.abc import Mapping
from typing import Any

import grpc
from google.protobuf import empty_pb2, json_format, struct_pb2
from pulumi.runtime.proto import plugin_pb2, provider_pb2, provider_pb2_grpc

from e2e.aws_model import Place, imported, shape_of
from e2e.plugin import fail, journal, run
from engine_model.mocks import (
    GET_DELEGATED_ADMINISTRATORS,
    GET_LOG_GROUP,
    caller_identity,
    default_caller,
    delegated_administrators,
    iam_role,
    identity_center_trust,
    log_group,
    organization,
    session_context,
)

PLUGIN = "aws"
ACCOUNT_ENV = "CLOUDTRAIL_E2E_AWS_ACCOUNT"
EXISTING_ENV = "CLOUDTRAIL_E2E_EXISTING"
# The engine's sentinel for a value unknown during a preview (pkg/resource/plugin/rpc.go,
# UnknownStringValue), as it appears in a google.protobuf.Struct.
UNKNOWN = "04da6b54-80e4-46f7-96ec-b56ff0331ba9"

GET_CALLER_IDENTITY = "aws:index/getCallerIdentity:getCallerIdentity"
GET_SESSION_CONTEXT = "aws:iam/getSessionContext:getSessionContext"
GET_PARTITION = "aws:index/getPartition:getPartition"
GET_REGION = "aws:index/getRegion:getRegion"
GET_ORGANIZATION = "aws:organizations/getOrganization:getOrganization"
GET_ROLE = "aws:iam/getRole:getRole"


def to_dict(struct: struct_pb2.Struct) -> dict[str, Any]:
    return json_format.MessageToDict(struct)


def to_struct(value: Mapping[str, Any]) -> struct_pb2.Struct:
    struct = struct_pb2.Struct()
    json_format.ParseDict(dict(value), struct)
    return struct


def _config_list(value: Any) -> list[str]:
    """A list-valued provider config entry: a list, or its JSON text (how stack config holds it)."""
    if isinstance(value, str):
        value = json.loads(value) if value.strip().startswith("[") else [value]
    return [str(v) for v in value or []]


class AwsStandIn(provider_pb2_grpc.ResourceProviderServicer):
    """The stand-in provider; `place` is known once Configure has run."""

    def __init__(self) -> None:
        self.version = importlib.metadata.version("pulumi_aws")
        self.place: Place | None = None

    # plugin and config ----------------------------------------------------------------------

    def GetPluginInfo(self, request: empty_pb2.Empty, context: Any) -> plugin_pb2.PluginInfo:
        return plugin_pb2.PluginInfo(version=self.version)

    def Handshake(self, request: Any, context: Any) -> provider_pb2.ProviderHandshakeResponse:
        journal(PLUGIN, "Handshake")
        return provider_pb2.ProviderHandshakeResponse(
            accept_secrets=False, accept_resources=False, accept_outputs=False
        )

    def CheckConfig(self, request: provider_pb2.CheckRequest, context: Any
                    ) -> provider_pb2.CheckResponse:
        return provider_pb2.CheckResponse(inputs=request.news)

    def DiffConfig(self, request: provider_pb2.DiffRequest, context: Any
                   ) -> provider_pb2.DiffResponse:
        olds = to_dict(request.old_inputs) if request.HasField("old_inputs") else {}
        changed = _changed_keys(olds, to_dict(request.news))
        return provider_pb2.DiffResponse(
            changes=provider_pb2.DiffResponse.DIFF_SOME if changed
            else provider_pb2.DiffResponse.DIFF_NONE,
            diffs=changed,
        )

    def Configure(self, request: provider_pb2.ConfigureRequest, context: grpc.ServicerContext
                  ) -> provider_pb2.ConfigureResponse:
        config = to_dict(request.args) if request.HasField("args") else {
            key.rsplit(":", 1)[-1]: value for key, value in request.variables.items()
        }
        region = str(config.get("region") or "")
        account = os.environ.get(ACCOUNT_ENV, "")
        journal(PLUGIN, "Configure", region=region, account=account)
        if not region:
            fail(context, grpc.StatusCode.INVALID_ARGUMENT,
                 "missing required configuration key aws:region")
        if not account:
            fail(context, grpc.StatusCode.UNAUTHENTICATED,
                 f"no valid credential sources found (the stand-in reads {ACCOUNT_ENV})")
        allowed = _config_list(config.get("allowedAccountIds"))
        forbidden = _config_list(config.get("forbiddenAccountIds"))
        # The message the real provider gives (terraform-provider-aws, internal/conns: "AWS account
        # ID not allowed").
        if (allowed and account not in allowed) or account in forbidden:
            fail(context, grpc.StatusCode.PERMISSION_DENIED,
                 f"AWS account ID not allowed: {account}")
        self.place = Place(account=account, region=region)
        return provider_pb2.ConfigureResponse(
            acceptSecrets=False, supportsPreview=True, acceptResources=False, acceptOutputs=False
        )

    def _place(self, inputs: Mapping[str, Any], context: grpc.ServicerContext) -> Place:
        if self.place is None:
            fail(context, grpc.StatusCode.FAILED_PRECONDITION, "the provider is not configured")
        assert self.place is not None
        region = inputs.get("region")
        if isinstance(region, str) and region and region != UNKNOWN:
            return Place(account=self.place.account, region=region)
        return self.place

    # resources -------------------------------------------------------------------------------

    def Check(self, request: provider_pb2.CheckRequest, context: grpc.ServicerContext
              ) -> provider_pb2.CheckResponse:
        journal(PLUGIN, "Check", urn=request.urn, news=to_dict(request.news))
        try:
            shape_of(request.type)
        except ValueError as error:
            return provider_pb2.CheckResponse(
                inputs=request.news,
                failures=[provider_pb2.CheckFailure(property="", reason=str(error))],
            )
        return provider_pb2.CheckResponse(inputs=request.news)

    def Diff(self, request: provider_pb2.DiffRequest, context: grpc.ServicerContext
             ) -> provider_pb2.DiffResponse:
        olds = to_dict(request.old_inputs if request.HasField("old_inputs") else request.olds)
        news = to_dict(request.news)
        changed = _changed_keys(olds, news)
        replace_on = shape_of(request.type).replace_on
        replaces = [key for key in changed if key in replace_on]
        journal(PLUGIN, "Diff", urn=request.urn, diffs=changed, replaces=replaces)
        detailed = {
            key: provider_pb2.PropertyDiff(kind=_diff_kind(key, olds, news, key in replaces),
                                           inputDiff=True)
            for key in changed
        }
        return provider_pb2.DiffResponse(
            changes=provider_pb2.DiffResponse.DIFF_SOME if changed
            else provider_pb2.DiffResponse.DIFF_NONE,
            diffs=changed,
            replaces=replaces,
            detailedDiff=detailed,
            hasDetailedDiff=True,
        )

    def Create(self, request: provider_pb2.CreateRequest, context: grpc.ServicerContext
               ) -> provider_pb2.CreateResponse:
        inputs = to_dict(request.properties)
        shape = shape_of(request.type)
        journal(PLUGIN, "Create", urn=request.urn, preview=request.preview)
        if request.preview:
            unknown = {key: UNKNOWN for key in shape.computed_keys if key not in inputs}
            return provider_pb2.CreateResponse(id="", properties=to_struct({**inputs, **unknown}))
        try:
            resource_id, computed = shape.created(request.urn, inputs, self._place(inputs, context))
        except ValueError as error:
            fail(context, grpc.StatusCode.INVALID_ARGUMENT, f"{request.urn}: {error}")
            raise
        return provider_pb2.CreateResponse(
            id=resource_id, properties=to_struct({**inputs, **computed})
        )

    def Read(self, request: provider_pb2.ReadRequest, context: grpc.ServicerContext
             ) -> provider_pb2.ReadResponse:
        journal(PLUGIN, "Read", urn=request.urn, id=request.id)
        if request.HasField("properties") and to_dict(request.properties):
            return provider_pb2.ReadResponse(
                id=request.id, properties=request.properties, inputs=request.inputs
            )
        # An import (pkg/resource/deploy/step.go, ImportStep.Apply: Read with the id alone).
        type_ = request.urn.split("::")[2].split("$")[-1]
        existing = _existing().get(type_, {}).get(request.id)
        if existing is None:
            return provider_pb2.ReadResponse()  # no properties: "resource does not exist"
        outputs = {**existing, **imported(type_, request.id, existing,
                                          self._place(existing, context))}
        return provider_pb2.ReadResponse(
            id=request.id, properties=to_struct(outputs), inputs=to_struct(existing)
        )

    def Update(self, request: provider_pb2.UpdateRequest, context: grpc.ServicerContext
               ) -> provider_pb2.UpdateResponse:
        olds, news = to_dict(request.olds), to_dict(request.news)
        shape = shape_of(request.type)
        journal(PLUGIN, "Update", urn=request.urn, preview=request.preview)
        # The outputs AWS computed at creation stay; anything else is the new inputs.
        kept = {key: olds[key] for key in shape.computed_keys if key in olds and key not in news}
        return provider_pb2.UpdateResponse(properties=to_struct({**news, **kept}))

    def Delete(self, request: provider_pb2.DeleteRequest, context: Any) -> empty_pb2.Empty:
        journal(PLUGIN, "Delete", urn=request.urn, id=request.id)
        return empty_pb2.Empty()

    # invokes ---------------------------------------------------------------------------------

    def Invoke(self, request: provider_pb2.InvokeRequest, context: grpc.ServicerContext
               ) -> provider_pb2.InvokeResponse:
        journal(PLUGIN, "Invoke", tok=request.tok)
        place = self._place({}, context)
        result: dict[str, Any]
        if request.tok == GET_CALLER_IDENTITY:
            result = caller_identity(default_caller(place.account, place.partition))
        elif request.tok == GET_SESSION_CONTEXT:
            result = session_context(str(to_dict(request.args).get("arn", "")))
        elif request.tok == GET_PARTITION:
            result = {
                "id": place.partition,
                "partition": place.partition,
                "dnsSuffix": place.dns_suffix,
                "reverseDnsPrefix": ".".join(reversed(place.dns_suffix.split("."))),
            }
        elif request.tok == GET_REGION:
            result = {
                "id": place.region,
                "name": place.region,
                "region": place.region,
                "endpoint": f"ec2.{place.region}.{place.dns_suffix}",
                "description": place.region,
            }
        elif request.tok == GET_ORGANIZATION:
            result = organization(place.account, place.partition)
        elif request.tok == GET_ROLE:  # every role exists, federated through IAM Identity Center
            name = str(to_dict(request.args).get("name", ""))
            trust = identity_center_trust(place.account, place.partition)
            result = iam_role(place.account, place.partition, name, trust)
        elif request.tok == GET_LOG_GROUP:  # every group exists
            name = str(to_dict(request.args).get("name", ""))
            result = log_group(place.account, place.region, place.partition, name, 365)
        elif request.tok == GET_DELEGATED_ADMINISTRATORS:  # the account is the management's
            result = delegated_administrators([], place.partition)
        else:
            fail(context, grpc.StatusCode.UNIMPLEMENTED,
                 f"the stand-in aws provider does not answer {request.tok}")
            raise AssertionError("unreachable")
        response = provider_pb2.InvokeResponse()
        getattr(response, "return").CopyFrom(to_struct(result))  # `return` is a Python keyword
        return response

    def Cancel(self, request: empty_pb2.Empty, context: Any) -> empty_pb2.Empty:
        return empty_pb2.Empty()


def _existing() -> dict[str, dict[str, dict[str, Any]]]:
    """What the account already has, for imports: type -> id -> inputs."""
    path = os.environ.get(EXISTING_ENV)
    if not path:
        return {}
    with open(path) as file:
        loaded: dict[str, dict[str, dict[str, Any]]] = json.load(file)
    return loaded


def _changed_keys(olds: Mapping[str, Any], news: Mapping[str, Any]) -> list[str]:
    return sorted(
        key for key in set(olds) | set(news)
        if olds.get(key) != news.get(key) or news.get(key) == UNKNOWN
    )


def _diff_kind(key: str, olds: Mapping[str, Any], news: Mapping[str, Any], replace: bool
               ) -> provider_pb2.PropertyDiff.Kind.ValueType:
    kinds = provider_pb2.PropertyDiff
    if key not in olds:
        return kinds.ADD_REPLACE if replace else kinds.ADD
    if key not in news:
        return kinds.DELETE_REPLACE if replace else kinds.DELETE
    return kinds.UPDATE_REPLACE if replace else kinds.UPDATE


def main() -> None:
    run(PLUGIN, AwsStandIn, provider_pb2_grpc.add_ResourceProviderServicer_to_server)


if __name__ == "__main__":
    main()
