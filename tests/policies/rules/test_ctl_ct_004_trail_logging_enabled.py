"""ctl-ct-004-trail-logging-enabled: the trail's enableLogging is true
(provider default when unset: True)."""

from guardrails.rules import ctl_ct_004_trail_logging_enabled
from rule_cases import TrailSettingCases


class TestEnableLogging(TrailSettingCases):
    rule = ctl_ct_004_trail_logging_enabled
    prop = "enableLogging"
    default = True
