"""ctl-ct-001-trail-multi-region: the trail's isMultiRegionTrail is true
(provider default when unset: False)."""

from guardrails.rules import ctl_ct_001_trail_multi_region
from rule_cases import TrailSettingCases


class TestIsMultiRegionTrail(TrailSettingCases):
    rule = ctl_ct_001_trail_multi_region
    prop = "isMultiRegionTrail"
    default = False
