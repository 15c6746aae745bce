"""ctl-ct-001-trail-multi-region: the trail's isMultiRegionTrail is true
(provider default when unset: False)."""

from guardrails.rules import ctl_ct_001_trail_multi_region
from literals import TRAIL
from rule_cases import BooleanSettingCases


class TestIsMultiRegionTrail(BooleanSettingCases):
    rule = ctl_ct_001_trail_multi_region
    type_ = TRAIL
    prop = "isMultiRegionTrail"
    default = False
