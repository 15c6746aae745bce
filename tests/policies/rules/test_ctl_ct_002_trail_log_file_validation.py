"""ctl-ct-002-trail-log-file-validation: the trail's enableLogFileValidation is true
(provider default when unset: False)."""

from guardrails.rules import ctl_ct_002_trail_log_file_validation
from literals import TRAIL
from rule_cases import BooleanSettingCases


class TestEnableLogFileValidation(BooleanSettingCases):
    rule = ctl_ct_002_trail_log_file_validation
    type_ = TRAIL
    prop = "enableLogFileValidation"
    default = False
