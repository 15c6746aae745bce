"""Network activity events for VPC endpoints: the AWS API calls made through this account's VPC
endpoints, opt-in per event source.

CloudTrail User Guide, "Logging network activity events"
(https://docs.aws.amazon.com/awscloudtrail/latest/userguide/logging-network-events-with-cloudtrail.html):

* the advanced event selector needs `eventCategory` Equals `NetworkActivity` and `eventSource`
  Equals one source ("If you want to log network activity events for multiple event sources,
  you must create a separate field selector for each event source"); both take `Equals` only;
* `errorCode` Equals `VpceAccessDenied` ("The only valid value for errorCode is
  VpceAccessDenied", CloudTrail API Reference, AdvancedEventSelector) narrows the selector to the
  calls a VPC endpoint policy denied: what a data perimeter wants to see, at a fraction of the
  volume, hence the default;
* the event sources the guide lists: CloudTrail, EC2, KMS and Secrets Manager
  (`NETWORK_ACTIVITY_SOURCES`; AWS adds services over time: the one list to extend is this one).

Network activity events are billed like data events ($0.10 per 100,000 events delivered, AWS
CloudTrail pricing), so they are off unless a source is chosen.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Final

NETWORK_ACTIVITY = "NetworkActivity"
VPCE_ACCESS_DENIED = "VpceAccessDenied"
NETWORK_ACTIVITY_SOURCES: Final = (
    "cloudtrail.amazonaws.com",
    "ec2.amazonaws.com",
    "kms.amazonaws.com",
    "secretsmanager.amazonaws.com",
)


@dataclass(frozen=True)
class NetworkActivity:
    """Which VPC-endpoint calls the trail records."""

    sources: tuple[str, ...] = ()
    denied_only: bool = True
    """Only calls a VPC endpoint policy denied (errorCode VpceAccessDenied)."""

    @property
    def enabled(self) -> bool:
        return bool(self.sources)


def network_activity_selectors(activity: NetworkActivity) -> list[dict[str, Any]]:
    """One advanced event selector per event source (pulumi-aws `advanced_event_selectors`
    shape), each with the documented fields only."""
    selectors: list[dict[str, Any]] = []
    for source in activity.sources:
        fields: list[dict[str, Any]] = [
            {"field": "eventCategory", "equals": [NETWORK_ACTIVITY]},
            {"field": "eventSource", "equals": [source]},
        ]
        if activity.denied_only:
            fields.append({"field": "errorCode", "equals": [VPCE_ACCESS_DENIED]})
        which = "denied by a VPC endpoint policy" if activity.denied_only else "via VPC endpoints"
        selectors.append({"name": f"{source} calls {which}", "field_selectors": fields})
    return selectors
