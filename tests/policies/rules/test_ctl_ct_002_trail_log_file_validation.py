"""ctl-ct-002-trail-log-file-validation: the trail's enableLogFileValidation is true
(provider default when unset: False)."""

from guardrails.rules import ctl_ct_002_trail_log_file_validation
from rule_cases import TrailSettingCases


class TestEnableLogFileValidation(TrailSettingCases):
    rule = ctl_ct_002_trail_log_file_validation
    prop = "enableLogFileValidation"
    default = False
