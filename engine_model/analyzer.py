"""Run a CrossGuard policy pack over an offline preview, exactly as the Pulumi CLI does.

The pack is started as an analyzer plugin (`python -u -m pulumi.policy 127.0.0.1:0 <pack dir>`
with cwd = the pack directory), prints its gRPC port on stdout, and is driven over the SDK's own
analyzer stubs: GetAnalyzerInfo, Configure (policy config = schema defaults, then the pack's
initial config, then the user's `--policy-pack-config` JSON, validated against each policy's
schema), ConfigureStack, one Analyze per resource and one AnalyzeStack.

Usage::

    report = analyze(preview.resources, project="p", stack="s", pack_dir=Path("policies"))

or, to serve many analyses from one pack process::

    with PolicyPackProcess(Path("policies")) as pack:
        report = pack.analyze(resources, project="p", stack="s", config=None)
"""

from __future__ import annotations

import contextlib
import json
import os
import re
import subprocess
import sys
import tempfile
import threading
from collections.abc import Mapping, Sequence
from dataclasses import asdict, dataclass, field
from pathlib import Path
from types import TracebackType
from typing import Any

import grpc
from google.protobuf import empty_pb2, json_format, struct_pb2
from pulumi.runtime.proto import analyzer_pb2, analyzer_pb2_grpc

from engine_model.model import CapturedResource

# Messages of checks that needed a value unknown at preview: the pack's own wording, and the
# SDK's note when a policy touched an unknown through the proxy.
UNDECIDED_MARKERS = ("cannot be judged at preview", "can't run policy")

ENFORCEMENT_LEVELS = ("advisory", "mandatory", "remediate", "disabled")
_LEVEL_TO_PROTO = {
    "advisory": analyzer_pb2.ADVISORY,
    "mandatory": analyzer_pb2.MANDATORY,
    "remediate": analyzer_pb2.REMEDIATE,
    "disabled": analyzer_pb2.DISABLED,
}
_PROTO_TO_LEVEL = {v: k for k, v in _LEVEL_TO_PROTO.items()}
_SEVERITIES = {
    analyzer_pb2.POLICY_SEVERITY_UNSPECIFIED: "",
    analyzer_pb2.POLICY_SEVERITY_LOW: "low",
    analyzer_pb2.POLICY_SEVERITY_MEDIUM: "medium",
    analyzer_pb2.POLICY_SEVERITY_HIGH: "high",
    analyzer_pb2.POLICY_SEVERITY_CRITICAL: "critical",
}
_MAX_MESSAGE = 400 * 1024 * 1024
_GRPC_OPTIONS = [
    ("grpc.max_receive_message_length", _MAX_MESSAGE),
    ("grpc.max_send_message_length", _MAX_MESSAGE),
]


class AnalyzerError(RuntimeError):
    """The policy pack could not be started or answered badly."""


class PolicyConfigError(ValueError):
    """The policy pack config is invalid; every problem names the policy and key."""

    def __init__(self, problems: Sequence[str]) -> None:
        self.problems = list(problems)
        super().__init__(
            "invalid policy pack config:\n" + "\n".join(f"  - {p}" for p in self.problems)
        )


# Tags of the form "<prefix>:<control id>" that name compliance controls, with the label the
# report shows for them (the pack's convention, see policies/README.md). The CIS benchmark comes
# from the policy's `framework` field instead.
COMPLIANCE_TAG_LABELS = {"aws-security-hub": "AWS Security Hub"}


@dataclass(frozen=True)
class PolicyInfo:
    """One policy as the pack describes it (PolicyInfo in proto/pulumi/analyzer.proto)."""

    name: str
    description: str
    enforcement_level: str
    severity: str
    policy_type: str  # "resource" or "stack"
    config_schema: dict[str, Any]  # {"properties": {...}, "required": [...]}
    remediation: str = ""  # remediation_steps
    tags: tuple[str, ...] = ()
    framework: dict[str, str] | None = None  # name, version, reference, specification
    url: str = ""

    @property
    def compliance(self) -> tuple[str, ...]:
        """Human-readable control references: the framework, then tagged control ids."""
        out = []
        if self.framework and self.framework.get("name"):
            version = self.framework.get("version", "")
            head = self.framework["name"] + (f" v{version}" if version else "")
            reference = self.framework.get("reference", "")
            out.append(f"{head}: {reference}" if reference else head)
        grouped: dict[str, list[str]] = {}
        for tag in self.tags:
            prefix, sep, control = tag.partition(":")
            if sep and prefix in COMPLIANCE_TAG_LABELS:
                grouped.setdefault(COMPLIANCE_TAG_LABELS[prefix], []).append(control)
        out.extend(f"{label}: {', '.join(ids)}" for label, ids in grouped.items())
        return tuple(out)


@dataclass(frozen=True)
class PackInfo:
    """The pack's self-description (GetAnalyzerInfo), version from PulumiPolicy.yaml."""

    name: str
    version: str
    description: str
    policies: dict[str, PolicyInfo]
    initial_config: dict[str, dict[str, Any]]


@dataclass(frozen=True)
class Violation:
    """One diagnostic the pack reported."""

    policy_name: str
    policy_pack: str
    policy_pack_version: str
    enforcement_level: str
    severity: str
    description: str
    message: str
    urn: str = ""
    resource_type: str = ""
    resource_name: str = ""
    remediation: str = ""
    compliance: tuple[str, ...] = ()
    url: str = ""

    @property
    def detail(self) -> str:
        """The message without the policy description the SDK puts in front of it."""
        if self.message.startswith(self.description + "\n"):
            return self.message[len(self.description) + 1 :]
        return self.message

    @property
    def undecided(self) -> bool:
        """True when the check needed a value that is unknown at preview."""
        return any(marker in self.message for marker in UNDECIDED_MARKERS)


@dataclass(frozen=True)
class NotApplicable:
    """A policy that declared itself not applicable to a resource (or the stack)."""

    policy_name: str
    reason: str
    urn: str = ""


@dataclass(frozen=True)
class PolicyReport:
    """Everything one analysis produced."""

    pack_name: str
    pack_version: str
    violations: tuple[Violation, ...] = ()
    not_applicable: tuple[NotApplicable, ...] = ()
    config: dict[str, dict[str, Any]] = field(default_factory=dict)

    @property
    def undecided(self) -> tuple[Violation, ...]:
        """Diagnostics that say a check could not be judged at preview."""
        return tuple(v for v in self.violations if v.undecided)

    @property
    def mandatory_count(self) -> int:
        """Mandatory diagnostics, including undecided ones (they fail closed)."""
        return sum(1 for v in self.violations if v.enforcement_level == "mandatory")

    @property
    def advisory_count(self) -> int:
        return sum(1 for v in self.violations if v.enforcement_level == "advisory")

    @property
    def passed(self) -> bool:
        return self.mandatory_count == 0

    def to_dict(self) -> dict[str, Any]:
        return {
            "policyPack": {"name": self.pack_name, "version": self.pack_version},
            "passed": self.passed,
            "mandatoryCount": self.mandatory_count,
            "advisoryCount": self.advisory_count,
            "undecidedCount": len(self.undecided),
            "violations": [
                {
                    "policyName": v.policy_name,
                    "policyPack": v.policy_pack,
                    "policyPackVersion": v.policy_pack_version,
                    "enforcementLevel": v.enforcement_level,
                    "severity": v.severity,
                    "description": v.description,
                    "message": v.detail,
                    "undecided": v.undecided,
                    "urn": v.urn,
                    "resourceType": v.resource_type,
                    "resourceName": v.resource_name,
                    "remediation": v.remediation,
                    "compliance": list(v.compliance),
                    "url": v.url,
                }
                for v in self.violations
            ],
            "notApplicable": [asdict(n) for n in self.not_applicable],
            "config": self.config,
        }


# --- policy config (what the CLI does with --policy-pack-config) ---------------------------------

_JSON_TYPES: dict[str, tuple[type, ...]] = {
    "string": (str,),
    "boolean": (bool,),
    "integer": (int,),
    "number": (int, float),
    "array": (list,),
    "object": (dict,),
    "null": (type(None),),
}


def _type_ok(value: Any, expected: str | list[str]) -> bool:
    names = [expected] if isinstance(expected, str) else list(expected)
    for name in names:
        types = _JSON_TYPES.get(name, (object,))
        if isinstance(value, bool) and name in ("integer", "number"):
            continue
        if isinstance(value, types):
            return True
    return False


def _validate_value(where: str, value: Any, schema: Mapping[str, Any]) -> list[str]:
    """The subset of JSON Schema policy config schemas use: type, enum, bounds, items."""
    problems = []
    expected = schema.get("type")
    if expected is not None and not _type_ok(value, expected):
        return [f"{where}: expected {expected} (got {json.dumps(value)})"]
    if "enum" in schema and value not in schema["enum"]:
        options = ", ".join(json.dumps(o) for o in schema["enum"])
        problems.append(f"{where}: expected one of {options} (got {json.dumps(value)})")
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        if "minimum" in schema and value < schema["minimum"]:
            problems.append(f"{where}: must be >= {schema['minimum']} (got {value})")
        if "maximum" in schema and value > schema["maximum"]:
            problems.append(f"{where}: must be <= {schema['maximum']} (got {value})")
    if isinstance(value, str) and "pattern" in schema and not re.search(schema["pattern"], value):
        problems.append(f"{where}: must match {schema['pattern']!r} (got {value!r})")
    if isinstance(value, list) and isinstance(schema.get("items"), Mapping):
        for index, item in enumerate(value):
            problems.extend(_validate_value(f"{where}[{index}]", item, schema["items"]))
    return problems


def _normalize_entry(value: Any) -> tuple[str | None, dict[str, Any]] | None:
    """(enforcement level, properties) of one config entry, or None when malformed."""
    if isinstance(value, str):
        return value, {}
    if isinstance(value, Mapping):
        props = {k: v for k, v in value.items() if k != "enforcementLevel"}
        return value.get("enforcementLevel"), props
    return None


def build_policy_config(
    info: PackInfo, user_config: Mapping[str, Any] | None = None
) -> dict[str, dict[str, Any]]:
    """The effective config per policy: {"enforcementLevel": ..., **properties}.

    Order as in the CLI: each policy's default level and schema defaults, then the pack's
    initial config, then `user_config` (the `--policy-pack-config` file: `"all"` sets every
    policy's level; `"<policy>": "<level>"` or `{"enforcementLevel": ..., <property>: ...}`).
    Stricter than the CLI on purpose: unknown policy names and unknown properties are errors.
    Raises PolicyConfigError listing every problem.
    """
    effective: dict[str, dict[str, Any]] = {}
    for policy in info.policies.values():
        entry: dict[str, Any] = {"enforcementLevel": policy.enforcement_level}
        for key, prop in policy.config_schema.get("properties", {}).items():
            if "default" in prop:
                entry[key] = prop["default"]
        effective[policy.name] = entry

    problems: list[str] = []

    def apply(source: str, config: Any) -> None:  # Any: a user's JSON may be anything
        if not isinstance(config, Mapping):
            problems.append(f"{source}: expected a JSON object of policy names")
            return
        for name, value in config.items():
            normalized = _normalize_entry(value)
            if normalized is None:
                problems.append(
                    f"{source}: {name}: expected an enforcement level or an object "
                    f"(got {json.dumps(value)})"
                )
                continue
            level, props = normalized
            if level is not None and level not in ENFORCEMENT_LEVELS:
                problems.append(
                    f"{source}: {name}.enforcementLevel: expected one of "
                    f"{', '.join(ENFORCEMENT_LEVELS)} (got {json.dumps(level)})"
                )
                level = None
            if name == "all":
                if props:
                    problems.append(f"{source}: all: only an enforcement level can be set")
                for entry in effective.values():
                    if level is not None:
                        entry["enforcementLevel"] = level
                continue
            if name not in info.policies:
                problems.append(
                    f"{source}: {name}: no such policy in {info.name} (known: "
                    + ", ".join(sorted(info.policies))
                    + ")"
                )
                continue
            if level is not None:
                effective[name]["enforcementLevel"] = level
            effective[name].update(props)

    apply("pack initial config", info.initial_config)
    if user_config is not None:
        apply("policy pack config", user_config)

    for name, entry in effective.items():
        schema = info.policies[name].config_schema
        properties = schema.get("properties", {})
        for key, value in entry.items():
            if key == "enforcementLevel":
                continue
            if key not in properties:
                known = ", ".join(sorted(properties)) or "none"
                problems.append(f"{name}.{key}: not a config property (known: {known})")
                continue
            problems.extend(_validate_value(f"{name}.{key}", value, properties[key]))
        for key in schema.get("required", []):
            if key not in entry:
                problems.append(f"{name}.{key}: required config property is missing")
    if problems:
        raise PolicyConfigError(problems)
    return effective


def load_policy_config(path: Path | None) -> dict[str, Any] | None:
    """Read a `--policy-pack-config` JSON file (None when no path)."""
    if path is None:
        return None
    try:
        data = json.loads(Path(path).read_text())
    except (OSError, json.JSONDecodeError) as exc:
        raise PolicyConfigError([f"{path}: cannot read policy pack config: {exc}"]) from exc
    if not isinstance(data, dict):
        raise PolicyConfigError([f"{path}: expected a JSON object of policy names"])
    return data


# --- the plugin process ---------------------------------------------------------------------------


def _pack_version(pack_dir: Path) -> str | None:
    """`version:` from PulumiPolicy.yaml (the CLI prefers it over the SDK's placeholder)."""
    try:
        text = (pack_dir / "PulumiPolicy.yaml").read_text()
    except OSError:
        return None
    match = re.search(r"^version:\s*['\"]?([^'\"\s#]+)", text, re.MULTILINE)
    return match.group(1) if match else None


def _default_python(pack_dir: Path) -> str:
    """The pack's own virtualenv interpreter (PulumiPolicy.yaml `virtualenv: venv`) if present."""
    venv = pack_dir / "venv"
    for candidate in (venv / "bin" / "python", venv / "Scripts" / "python.exe"):
        if candidate.exists():
            return str(candidate)
    return sys.executable


def _struct(value: Mapping[str, Any]) -> struct_pb2.Struct:
    message = struct_pb2.Struct()
    json_format.ParseDict(dict(value), message)
    return message


class PolicyPackProcess:
    """A running policy pack plugin and a gRPC client for it (a context manager)."""

    def __init__(
        self,
        pack_dir: Path,
        *,
        python: str | None = None,
        startup_timeout: float = 60.0,
        rpc_timeout: float = 60.0,
    ) -> None:
        self.pack_dir = Path(pack_dir).resolve()
        self.python = python or _default_python(self.pack_dir)
        self.startup_timeout = startup_timeout
        self.rpc_timeout = rpc_timeout
        self._proc: subprocess.Popen[bytes] | None = None
        self._stderr: Any = None
        self._channel: grpc.Channel | None = None
        self._stub: analyzer_pb2_grpc.AnalyzerStub | None = None
        self._info: PackInfo | None = None

    # lifecycle

    def start(self) -> PolicyPackProcess:
        if self._proc is not None:
            return self
        if not (self.pack_dir / "PulumiPolicy.yaml").is_file():
            raise AnalyzerError(f"{self.pack_dir} is not a policy pack (no PulumiPolicy.yaml)")
        env = dict(os.environ)
        env.pop("PYTHONPATH", None)  # the pack sees its own directory only, never the program
        env["PYTHONUNBUFFERED"] = "1"
        self._stderr = tempfile.TemporaryFile()  # noqa: SIM115 - closed in close()
        self._proc = subprocess.Popen(
            [self.python, "-u", "-m", "pulumi.policy", "127.0.0.1:0", str(self.pack_dir)],
            cwd=self.pack_dir,
            stdin=subprocess.DEVNULL,
            stdout=subprocess.PIPE,
            stderr=self._stderr,
            env=env,
        )
        port = self._read_port()
        self._channel = grpc.insecure_channel(f"127.0.0.1:{port}", options=_GRPC_OPTIONS)
        try:
            grpc.channel_ready_future(self._channel).result(timeout=self.startup_timeout)
        except grpc.FutureTimeoutError as exc:
            self.close()
            raise AnalyzerError(f"policy pack did not accept connections on port {port}") from exc
        self._stub = analyzer_pb2_grpc.AnalyzerStub(self._channel)
        return self

    def _read_port(self) -> int:
        assert self._proc is not None and self._proc.stdout is not None
        line: list[bytes] = []
        reader = threading.Thread(
            target=lambda: line.append(self._proc.stdout.readline()),  # type: ignore[union-attr]
            daemon=True,
        )
        reader.start()
        reader.join(self.startup_timeout)
        text = line[0].decode(errors="replace").strip() if line else ""
        if not text.isdigit():
            stderr = self._stderr_text()
            self.close()
            why = (
                "timed out waiting for its port"
                if not line
                else f"printed {text!r} instead of a port"
                if text
                else "exited before printing its port"
            )
            raise AnalyzerError(
                f"policy pack at {self.pack_dir} failed to start ({why}):\n{stderr}"
            )
        return int(text)

    def _stderr_text(self) -> str:
        if self._stderr is None:
            return ""
        if self._proc is not None and self._proc.poll() is None:
            # Give a crashing process a moment to finish writing its traceback.
            with contextlib.suppress(subprocess.TimeoutExpired):
                self._proc.wait(timeout=2)
        self._stderr.seek(0)
        return str(self._stderr.read().decode(errors="replace"))

    def close(self) -> None:
        """Close the channel and kill the plugin process."""
        if self._channel is not None:
            self._channel.close()
            self._channel = None
        if self._proc is not None:
            if self._proc.poll() is None:
                self._proc.kill()
            self._proc.wait()
            if self._proc.stdout is not None:
                self._proc.stdout.close()
            self._proc = None
        if self._stderr is not None:
            self._stderr.close()
            self._stderr = None
        self._stub = None

    def __enter__(self) -> PolicyPackProcess:
        return self.start()

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.close()

    # RPCs

    @property
    def stub(self) -> analyzer_pb2_grpc.AnalyzerStub:
        if self._stub is None:
            self.start()
        assert self._stub is not None
        return self._stub

    def _call(self, method: str, request: Any) -> Any:
        try:
            return getattr(self.stub, method)(request, timeout=self.rpc_timeout)
        except grpc.RpcError as exc:
            raise AnalyzerError(
                f"policy pack {method} failed: {exc}\n{self._stderr_text()}"
            ) from exc

    def plugin_version(self) -> str:
        return str(self._call("GetPluginInfo", empty_pb2.Empty()).version)

    def info(self) -> PackInfo:
        """GetAnalyzerInfo, decoded (cached)."""
        if self._info is None:
            raw = self._call("GetAnalyzerInfo", empty_pb2.Empty())
            policies = {}
            for p in raw.policies:
                schema = (
                    json_format.MessageToDict(p.configSchema) if p.HasField("configSchema") else {}
                )
                policies[p.name] = PolicyInfo(
                    name=p.name,
                    description=p.description,
                    enforcement_level=_PROTO_TO_LEVEL.get(p.enforcementLevel, "advisory"),
                    severity=_SEVERITIES.get(p.severity, ""),
                    policy_type="stack"
                    if p.policy_type == analyzer_pb2.POLICY_TYPE_STACK
                    else "resource",
                    config_schema=schema,
                    remediation=p.remediation_steps,
                    tags=tuple(p.tags),
                    framework=json_format.MessageToDict(p.framework)
                    if p.HasField("framework")
                    else None,
                    url=p.url,
                )
            initial: dict[str, dict[str, Any]] = {}
            for name, cfg in raw.initialConfig.items():
                entry = json_format.MessageToDict(cfg.properties)
                entry["enforcementLevel"] = _PROTO_TO_LEVEL.get(cfg.enforcementLevel, "advisory")
                initial[name] = entry
            self._info = PackInfo(
                name=raw.name,
                version=_pack_version(self.pack_dir) or raw.version,
                description=raw.description,
                policies=policies,
                initial_config=initial,
            )
        return self._info

    def configure(self, user_config: Mapping[str, Any] | None = None) -> dict[str, dict[str, Any]]:
        """Validate and send the effective policy config; returns it."""
        effective = build_policy_config(self.info(), user_config)
        request = analyzer_pb2.ConfigureAnalyzerRequest()
        for name, entry in effective.items():
            props = {k: v for k, v in entry.items() if k != "enforcementLevel"}
            request.policyConfig[name].CopyFrom(
                analyzer_pb2.PolicyConfig(
                    enforcementLevel=_LEVEL_TO_PROTO[entry["enforcementLevel"]],
                    properties=_struct(props),
                )
            )
        self._call("Configure", request)
        return effective

    def configure_stack(
        self,
        *,
        project: str,
        stack: str,
        organization: str = "organization",
        dry_run: bool = True,
        config: Mapping[str, str] | None = None,
        tags: Mapping[str, str] | None = None,
    ) -> None:
        self._call(
            "ConfigureStack",
            analyzer_pb2.AnalyzerStackConfigureRequest(
                project=project,
                stack=stack,
                organization=organization,
                dry_run=dry_run,
                config=dict(config or {}),
                tags=dict(tags or {}),
            ),
        )

    def analyze(
        self,
        resources: Sequence[CapturedResource],
        *,
        project: str,
        stack: str,
        config: Mapping[str, Any] | None = None,
        dry_run: bool = True,
    ) -> PolicyReport:
        """Configure, ConfigureStack, Analyze every resource, AnalyzeStack; collect the report."""
        effective = self.configure(config)
        self.configure_stack(project=project, stack=stack, dry_run=dry_run)
        info = self.info()
        by_urn = {r.urn: r for r in resources}
        violations: list[Violation] = []
        not_applicable: list[NotApplicable] = []

        def collect(response: analyzer_pb2.AnalyzeResponse, default_urn: str) -> None:
            for d in response.diagnostics:
                urn = d.urn or default_urn
                res = by_urn.get(urn)
                policy = info.policies.get(d.policyName)
                violations.append(
                    Violation(
                        policy_name=d.policyName,
                        policy_pack=d.policyPackName,
                        policy_pack_version=info.version,
                        enforcement_level=_PROTO_TO_LEVEL.get(d.enforcementLevel, "advisory"),
                        severity=_SEVERITIES.get(d.severity, "")
                        or (policy.severity if policy else ""),
                        description=d.description,
                        message=d.message,
                        urn=urn,
                        resource_type=res.type if res else "",
                        resource_name=res.name if res else "",
                        remediation=policy.remediation if policy else "",
                        compliance=policy.compliance if policy else (),
                        url=policy.url if policy else "",
                    )
                )
            for n in response.not_applicable:
                not_applicable.append(NotApplicable(n.policy_name, n.reason, default_urn))

        for res in resources:
            request = analyzer_pb2.AnalyzeRequest(**self._resource_fields(res, by_urn))
            collect(self._call("Analyze", request), res.urn)

        stack_request = analyzer_pb2.AnalyzeStackRequest()
        for res in resources:
            item = analyzer_pb2.AnalyzerResource(
                **self._resource_fields(res, by_urn),
                parent=res.parent,
                dependencies=list(res.dependencies),
            )
            for prop, urns in res.property_dependencies.items():
                item.propertyDependencies[prop].urns.extend(urns)
            stack_request.resources.append(item)
        collect(self._call("AnalyzeStack", stack_request), "")

        return PolicyReport(
            pack_name=info.name,
            pack_version=info.version,
            violations=tuple(violations),
            not_applicable=tuple(not_applicable),
            config=effective,
        )

    @classmethod
    def _resource_fields(
        cls, res: CapturedResource, by_urn: Mapping[str, CapturedResource]
    ) -> dict[str, Any]:
        """The fields AnalyzeRequest and AnalyzerResource share, for `res`."""
        fields: dict[str, Any] = {
            "type": res.type,
            "properties": _struct(res.inputs),
            "urn": res.urn,
            "name": res.name,
            "options": cls._options(res),
        }
        provider = cls._provider(res, by_urn)
        if provider is not None:
            fields["provider"] = provider
        return fields

    @staticmethod
    def _options(res: CapturedResource) -> analyzer_pb2.AnalyzerResourceOptions:
        return analyzer_pb2.AnalyzerResourceOptions(protect=res.protect, parent=res.parent)

    @staticmethod
    def _provider(
        res: CapturedResource, by_urn: Mapping[str, CapturedResource]
    ) -> analyzer_pb2.AnalyzerProviderResource | None:
        """The provider resource of `res` (its reference is `<urn>::<id>`), when in the graph."""
        if not res.provider:
            return None
        provider = by_urn.get(res.provider) or by_urn.get(res.provider.rsplit("::", 1)[0])
        if provider is None:
            return None
        return analyzer_pb2.AnalyzerProviderResource(
            type=provider.type,
            properties=_struct(provider.inputs),
            urn=provider.urn,
            name=provider.name,
        )


def analyze(
    resources: Sequence[CapturedResource],
    *,
    project: str,
    stack: str,
    pack_dir: Path,
    config_file: Path | None = None,
) -> PolicyReport:
    """Start the pack, analyze one preview's resources with it, stop it."""
    user_config = load_policy_config(config_file)
    with PolicyPackProcess(pack_dir) as pack:
        return pack.analyze(resources, project=project, stack=stack, config=user_config)


__all__ = [
    "AnalyzerError",
    "NotApplicable",
    "PackInfo",
    "PolicyConfigError",
    "PolicyInfo",
    "PolicyPackProcess",
    "PolicyReport",
    "Violation",
    "analyze",
    "build_policy_config",
    "load_policy_config",
]
