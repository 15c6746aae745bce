"""ctl-ct-009: a trail's Insights selectors are valid, and (when required) cover the chosen types.

CloudTrail User Guide, "Working with CloudTrail Insights" / "Logging Insights events for trails"
(https://docs.aws.amazon.com/awscloudtrail/latest/userguide/logging-insights-events-with-cloudtrail.html)
and the CloudTrail API Reference, "InsightSelector"
(https://docs.aws.amazon.com/awscloudtrail/latest/APIReference/API_InsightSelector.html): a
trail's `insightSelectors[].insightType` is ApiCallRateInsight or ApiErrorRateInsight;
PutInsightSelectors refuses any other value, so a typo fails the deployment.

Insights is charged per event analyzed, so it is off by default: with `required` false the rule
only checks that each selector names a valid type. With `required` true, every trail must have
selectors for each type in `insightTypes`. A selector list unknown at preview is reported as
undecided either way (its types cannot be checked).
"""

from __future__ import annotations

from typing import Any

from pulumi_policy import Severity

from guardrails.declare import Compliance, required_option, resource_policy, subset_option
from guardrails.support import MISSING, TRAIL_TYPE, Res, is_unknown, lookup, undecided

# CloudTrail API Reference, "InsightSelector", InsightType: valid values.
INSIGHT_TYPES = ("ApiCallRateInsight", "ApiErrorRateInsight")


def check(res: Res, cfg: dict[str, Any], report: Any) -> None:
    selectors = lookup(res.props, "insightSelectors")
    if is_unknown(selectors):
        report(undecided(res.label, "insightSelectors", "the Insights types depend on it"))
        return
    found: set[str] = set()
    unknown = False
    for index, selector in enumerate(selectors if isinstance(selectors, list) else []):
        kind = lookup(selector, "insightType")
        if is_unknown(kind):
            report(undecided(res.label, f"insightSelectors[{index}].insightType"))
            unknown = True
        elif kind not in INSIGHT_TYPES:
            shown = "unset" if kind is MISSING else repr(kind)
            report(
                f"{res.label}: insightSelectors[{index}].insightType is {shown}; CloudTrail "
                f"accepts only {' and '.join(INSIGHT_TYPES)}."
            )
        else:
            found.add(kind)
    if not cfg["required"] or unknown:
        return
    # "Logging Insights events for trails": Insights is enabled per type by the trail's
    # insight selectors; a type without a selector is not analyzed.
    missing = [t for t in cfg["insightTypes"] if t not in found]
    if missing:
        report(
            f"{res.label}: CloudTrail Insights must be on for {', '.join(missing)} (add "
            "insightSelectors with those insightType values)."
        )


POLICY = resource_policy(
    name="ctl-ct-009-trail-insights",
    description=(
        "A trail's insightSelectors name valid Insights types; when required, every trail enables "
        "the configured types."
    ),
    types=(TRAIL_TYPE,),
    check=check,
    severity=Severity.LOW,
    config={
        "required": required_option(
            "Require every trail to enable the Insights types in insightTypes."
        ),
        "insightTypes": subset_option(
            INSIGHT_TYPES, "The Insights types a trail must enable when required."
        ),
    },
    remediation=(
        "Set insight_selectors=[{insight_type: ApiCallRateInsight}, "
        "{insight_type: ApiErrorRateInsight}] on the aws.cloudtrail.Trail (as required)."
    ),
    compliance=Compliance(
        reference=(
            "https://docs.aws.amazon.com/awscloudtrail/latest/userguide/"
            "logging-insights-events-with-cloudtrail.html"
        )
    ),
)
