"""ctl-ct-003-trail-global-service-events: the trail's includeGlobalServiceEvents is true
(provider default when unset: True)."""

from guardrails.rules import ctl_ct_003_trail_global_service_events
from literals import TRAIL
from rule_cases import BooleanSettingCases


class TestIncludeGlobalServiceEvents(BooleanSettingCases):
    rule = ctl_ct_003_trail_global_service_events
    type_ = TRAIL
    prop = "includeGlobalServiceEvents"
    default = True
