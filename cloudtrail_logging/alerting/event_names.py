"""The CloudTrail event sources and names an API alert can match, from botocore's service models.

CloudTrail records an API call with the service's endpoint host as `eventSource`
(`<endpointPrefix>.amazonaws.com`) and the API operation as `eventName` (CloudTrail User Guide,
"CloudTrail record contents"), so the operations of the botocore model whose `endpointPrefix` is
that host are the names that can occur. The model is found by its service name, which is the
endpoint prefix for most services; `MODEL_NAMES` lists the services botocore names otherwise.

Two exceptions, each with its source:
- S3 names some bucket-level calls otherwise than the operation (S3 User Guide, "Amazon S3
  CloudTrail events", the bucket-level actions and their event names): by the legacy operation
  (PutBucketLifecycleConfiguration is logged as PutBucketLifecycle), which botocore still models,
  marked deprecated, on the same HTTP method and request URI as its successor, so an operation
  sharing its method and URI with a deprecated one is recorded under the deprecated name; and the
  bucket's Block Public Access calls by their IAM action (`S3_EVENT_NAMES`), which no model
  holds. The recorded name is the only one that occurs.
- Console sign-in is no API call (CloudTrail User Guide, "AWS Management Console sign-in events",
  eventType AwsConsoleSignIn): `SIGN_IN_EVENTS` lists the event names that page documents.
"""

from __future__ import annotations

import difflib
from functools import cache
from typing import Any

SUFFIX = ".amazonaws.com"
# endpointPrefix -> the botocore services that have it, where the name differs.
MODEL_NAMES: dict[str, tuple[str, ...]] = {
    "monitoring": ("cloudwatch",),
    "email": ("ses", "sesv2"),
    "elasticloadbalancing": ("elb", "elbv2"),
    "sso": ("sso-admin",),
}
S3_SOURCE = "s3.amazonaws.com"
S3_EVENT_NAMES = {
    "PutPublicAccessBlock": "PutBucketPublicAccessBlock",
    "GetPublicAccessBlock": "GetBucketPublicAccessBlock",
    "DeletePublicAccessBlock": "DeleteBucketPublicAccessBlock",
}
SIGN_IN_SOURCE = "signin.amazonaws.com"
SIGN_IN_EVENTS = frozenset({"ConsoleLogin", "CheckMfa", "SwitchRole", "ExitRole", "RenewRole"})


@cache
def _loader() -> Any:
    import botocore.loaders  # type: ignore[import-untyped]

    return botocore.loaders.create_loader()


@cache
def _models(prefix: str) -> tuple[dict[str, Any], ...]:
    """The service models whose endpoint prefix is `prefix`."""
    from botocore.exceptions import UnknownServiceError  # type: ignore[import-untyped]

    found = []
    for name in MODEL_NAMES.get(prefix, (prefix,)):
        try:
            model = _loader().load_service_model(name, "service-2")
        except UnknownServiceError:
            continue
        if model["metadata"].get("endpointPrefix") == prefix:
            found.append(model)
    return tuple(found)


def _recorded(model: dict[str, Any]) -> dict[str, str]:
    """operation -> the name CloudTrail records for it."""
    operations = model["operations"]
    legacy = {
        (op["http"]["method"], op["http"]["requestUri"]): name
        for name, op in operations.items() if op.get("deprecated") and "http" in op
    }
    return {
        name: legacy.get((op.get("http", {}).get("method"), op.get("http", {}).get("requestUri")),
                         name)
        for name, op in operations.items()
    }


@cache
def recorded_names(source: str) -> dict[str, str] | None:
    """Each event name a call to `source` can have, and what CloudTrail records for it; None for
    a source no model knows."""
    if source == SIGN_IN_SOURCE:
        return {name: name for name in SIGN_IN_EVENTS} | dict(_signin_api())
    if not source.endswith(SUFFIX):
        return None
    models = _models(source.removesuffix(SUFFIX))
    if not models:
        return None
    names: dict[str, str] = {}
    for model in models:
        names |= _recorded(model)
    if source == S3_SOURCE:
        names |= S3_EVENT_NAMES | {name: name for name in S3_EVENT_NAMES.values()}
    return names


def _signin_api() -> dict[str, str]:
    models = _models("signin")
    return _recorded(models[0]) if models else {}


def known_sources() -> list[str]:
    """Event sources botocore models, for suggestions."""
    services = _loader().list_available_services("service-2")
    prefixes = {p for p, names in MODEL_NAMES.items()} | set(services)
    return sorted(f"{p}{SUFFIX}" for p in prefixes)


def source_problem(source: str) -> str | None:
    """The expected form, when no CloudTrail event can come from `source`."""
    if recorded_names(source) is not None:
        return None
    close = difflib.get_close_matches(source, known_sources(), 1, 0.8)
    hint = f"; did you mean {close[0]}?" if close else ""
    return ("an event source CloudTrail records, <service>.amazonaws.com as botocore models "
            f"it{hint}")


def name_problem(source: str, name: str) -> str | None:
    """The expected form, when CloudTrail never records `name` from `source`."""
    recorded = recorded_names(source)
    if recorded is None:
        return None
    occurring = set(recorded.values())
    if name in occurring:
        return None
    if name in recorded:
        return (f"an event name {source} records: CloudTrail records {name} as "
                f"{recorded[name]}")
    close = difflib.get_close_matches(name, sorted(occurring), 1, 0.75)
    hint = f"; did you mean {close[0]}?" if close else ""
    return f"an event name {source} records (an API operation of that service){hint}"
