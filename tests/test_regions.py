"""Region names by partition; the reference counts are botocore 1.44.5 endpoints.json."""

from __future__ import annotations

import pytest

from cloudtrail_logging.aws import regions


def test_partition_sizes() -> None:
    assert len(regions.COMMERCIAL_REGIONS) == 34
    assert sorted(regions.CHINA_REGIONS) == ["cn-north-1", "cn-northwest-1"]
    assert sorted(regions.GOVCLOUD_REGIONS) == ["us-gov-east-1", "us-gov-west-1"]
    assert len(regions.ALL_REGIONS) == 38


@pytest.mark.parametrize(
    ("region", "partition"),
    [
        ("us-east-1", "aws"),
        ("eu-central-2", "aws"),
        ("ap-southeast-7", "aws"),
        ("mx-central-1", "aws"),
        ("ap-east-2", "aws"),
        ("cn-northwest-1", "aws-cn"),
        ("us-gov-west-1", "aws-us-gov"),
    ],
)
def test_partition_of(region: str, partition: str) -> None:
    assert regions.is_region(region)
    assert regions.partition_of(region) == partition


@pytest.mark.parametrize(
    "name", ["us-east-7", "eu-west", "US-EAST-1", "", "aws-global", "us-iso-east-1", "me-west-1"]
)
def test_unknown_regions_are_refused(name: str) -> None:
    assert not regions.is_region(name)
    with pytest.raises(ValueError, match="not a known AWS region"):
        regions.partition_of(name)


def test_global_events_region_is_us_east_1_in_the_commercial_partition() -> None:
    assert regions.global_events_region() == "us-east-1"
    assert regions.global_events_region("aws-cn") == "cn-north-1"
    assert regions.global_events_region("aws-us-gov") == "us-gov-west-1"
    for partition, home in regions.GLOBAL_EVENTS_REGION.items():
        assert home in regions.regions_of(partition)


def test_dns_suffix() -> None:
    assert regions.dns_suffix("aws") == "amazonaws.com"
    assert regions.dns_suffix("aws-cn") == "amazonaws.com.cn"
    with pytest.raises(ValueError, match="aws-iso"):
        regions.dns_suffix("aws-iso")


def test_region_sets_are_disjoint_and_immutable() -> None:
    assert not regions.COMMERCIAL_REGIONS & regions.CHINA_REGIONS
    assert not regions.COMMERCIAL_REGIONS & regions.GOVCLOUD_REGIONS
    with pytest.raises(TypeError):
        regions.REGIONS_BY_PARTITION["aws-iso"] = frozenset()  # type: ignore[index]
