"""ctl-ct-004-trail-logging-enabled: the trail's enableLogging is true
(provider default when unset: True)."""

from guardrails.rules import ctl_ct_004_trail_logging_enabled
from literals import TRAIL
from rule_cases import BooleanSettingCases


class TestEnableLogging(BooleanSettingCases):
    rule = ctl_ct_004_trail_logging_enabled
    type_ = TRAIL
    prop = "enableLogging"
    default = True
