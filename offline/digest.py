"""`--json`: the offline preview in the shape of `pulumi preview --json`.

The CLI prints a `display.PreviewDigest` (pulumi/pulumi v3.276.0, pkg/display/json.go; built by
`ShowPreviewDigest` in pkg/backend/display/json.go): `config` (the stack's config, secrets as
`[secret]`), `steps` (each `PreviewStep`: `op`, `urn`, `provider`, `oldState`/`newState` as
`apitype.ResourceV3`, `diffReasons`, `replaceReasons`, `detailedDiff`), `diagnostics`
(`urn`, `message`, `severity`), `duration` (nanoseconds) and `changeSummary` (op -> count, the
stack included). As in the CLI, `same` steps are left out (`shouldShow`) but the root stack's,
and a new resource's state has its inputs but no outputs yet (the step event precedes the
provider's answer). What the program logs is a diagnostic, as are the stack file's warnings.
Unlike the CLI, which skips policy events in this document, each policy violation is a
diagnostic too (`error` when mandatory, else `warning`; its message starts with the level).
Everything the CLI does not print goes under `cloudtrailLogging`.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from engine_model.analyzer import PolicyReport, Violation
from engine_model.model import SECRET_SIG, CapturedResource, PreviewResult
from engine_model.stack_files import StackConfig
from engine_model.state import STACK_TYPE, StateResource
from engine_model.steps import CREATE, READ, SAME, Step, change_summary
from offline.remediation import config_remediation

EXTRAS = "cloudtrailLogging"
SECRET_MARK = "[secret]"


def massage_secrets(value: Any) -> Any:
    """A secret as the CLI shows it without --show-secrets (json.go `massagePropertyValue`)."""
    if isinstance(value, dict):
        if SECRET_SIG in value:
            return SECRET_MARK
        return {k: massage_secrets(v) for k, v in value.items()}
    if isinstance(value, list):
        return [massage_secrets(v) for v in value]
    return value


def _drop_empty(state: dict[str, Any]) -> dict[str, Any]:
    """`omitempty`: false, empty and absent fields are left out (urn, custom, type stay)."""
    keep = {"urn", "custom", "type"}
    return {k: v for k, v in state.items() if k in keep or v not in (None, False, "", [], {})}


def new_state(resource: CapturedResource) -> dict[str, Any]:
    """The step's new state, an apitype.ResourceV3 before the provider answered."""
    return _drop_empty({
        "urn": resource.urn,
        "custom": resource.custom,
        "type": resource.type,
        "inputs": massage_secrets(resource.inputs),
        "parent": resource.parent,
        "protect": resource.protect,
        "dependencies": list(resource.dependencies),
        "provider": resource.provider,
        "propertyDependencies": {k: list(v) for k, v in resource.property_dependencies.items()},
        "retainOnDelete": resource.retain_on_delete,
        "additionalSecretOutputs": list(resource.additional_secret_outputs),
    })


def old_state(resource: StateResource) -> dict[str, Any]:
    """The old state as the checkpoint holds it, secrets masked."""
    document = {k: v for k, v in resource.document.items()
                if k not in ("created", "modified", "sourcePosition", "stackTrace")}
    return massage_secrets(document)  # type: ignore[no-any-return]


def stack_urn(result: PreviewResult) -> str:
    return (f"urn:pulumi:{result.stack}::{result.project}::{STACK_TYPE}::"
            f"{result.project}-{result.stack}")


def step_document(step: Step) -> dict[str, Any]:
    """A display.PreviewStep."""
    document: dict[str, Any] = {"op": step.op, "urn": step.urn}
    provider = step.new.provider if step.new is not None else step.old.provider if step.old else ""
    if provider:
        document["provider"] = provider
    if step.old is not None:
        document["oldState"] = old_state(step.old)
    if step.new is not None:
        document["newState"] = new_state(step.new)
    if step.diff_reasons:
        document["diffReasons"] = list(step.diff_reasons)
    if step.replace_reasons:
        document["replaceReasons"] = list(step.replace_reasons)
    document["detailedDiff"] = (
        {path: {"kind": d.kind, "inputDiff": d.input_diff}
         for path, d in step.detailed_diff.items()}
        if step.old is not None and step.new is not None else None
    )
    return document


def creates(result: PreviewResult) -> list[Step]:
    """A first preview: every resource is created (a read is read)."""
    return [Step(READ if r.read else CREATE, r.urn, r.type, new=r) for r in result.resources]


def violation_diagnostic(violation: Violation, config: Mapping[str, str]) -> dict[str, Any]:
    """A violation as a diagnostic; a documented choice's key and policy config on a line of its
    own (offline/remediation.py)."""
    severity = "error" if violation.enforcement_level == "mandatory" else "warning"
    text = f"[{violation.enforcement_level}]  {violation.policy_name}: {violation.detail.strip()}"
    in_project = config_remediation(violation.policy_name, config)
    if in_project:
        text += f"\nin this project: {in_project}"
    return {**({"urn": violation.urn} if violation.urn else {}), "message": text,
            "severity": severity}


def preview_digest(
    result: PreviewResult,
    config: StackConfig,
    steps: Sequence[Step] | None,
    *,
    report: PolicyReport | None,
    warnings: Sequence[str],
    duration_ns: int,
    extras: Mapping[str, Any],
) -> dict[str, Any]:
    """The PreviewDigest of a preview (`steps` None: a first preview, everything created)."""
    stack_op = CREATE if steps is None else SAME
    all_steps = creates(result) if steps is None else list(steps)
    root = {"op": stack_op, "urn": stack_urn(result),
            "newState": {"urn": stack_urn(result), "custom": False, "type": STACK_TYPE},
            "detailedDiff": None}
    # The engine's diag message is its prefix and the text, one line (json.go: p.Prefix +
    # p.Message; the diag sink's prefix is the severity and a colon).
    diagnostics = [{"message": f"warning: {w}\n", "severity": "warning"} for w in warnings]
    diagnostics += [
        {**({"urn": d.urn} if d.urn else {}), "message": f"{d.severity}: {d.message}\n",
         "severity": d.severity}
        for d in result.diagnostics if d.severity != "debug"
    ]
    if report is not None:
        diagnostics += [violation_diagnostic(v, config.values) for v in report.violations]
    document: dict[str, Any] = {
        "config": {k: SECRET_MARK if k in config.secret_keys else v
                   for k, v in sorted(config.values.items())},
        "steps": [root, *(step_document(s) for s in all_steps if s.op != SAME)],
        "diagnostics": diagnostics,
        "duration": duration_ns,
        "changeSummary": change_summary(all_steps, stack_op=stack_op),
        EXTRAS: dict(extras),
    }
    if not document["diagnostics"]:
        del document["diagnostics"]  # omitempty
    return document
