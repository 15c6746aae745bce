"""ctl-ct-003-trail-global-service-events: the trail's includeGlobalServiceEvents is true
(provider default when unset: True)."""

from guardrails.rules import ctl_ct_003_trail_global_service_events
from rule_cases import TrailSettingCases


class TestIncludeGlobalServiceEvents(TrailSettingCases):
    rule = ctl_ct_003_trail_global_service_events
    prop = "includeGlobalServiceEvents"
    default = True
