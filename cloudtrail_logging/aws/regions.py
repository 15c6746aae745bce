"""AWS region names by partition, and the region where global-service events arrive.

Source: the launched regions of botocore 1.44.5 `botocore/data/endpoints.json` (partitions `aws`,
`aws-cn`, `aws-us-gov`), which agree with the `Region` enum of pulumi-aws 7.51.1
(`pulumi_aws/_enums.py`). botocore's `partitions.json` also names `me-west-1` and `sa-west-1`,
which no service endpoint lists yet; they are left out until they launch. The ISO partitions and
the European Sovereign Cloud (`aws-eusc`) are out of scope.
"""

from __future__ import annotations

from collections.abc import Mapping
from types import MappingProxyType

COMMERCIAL = "aws"
CHINA = "aws-cn"
GOVCLOUD = "aws-us-gov"

COMMERCIAL_REGIONS: frozenset[str] = frozenset(
    {
        "af-south-1",
        "ap-east-1",
        "ap-east-2",
        "ap-northeast-1",
        "ap-northeast-2",
        "ap-northeast-3",
        "ap-south-1",
        "ap-south-2",
        "ap-southeast-1",
        "ap-southeast-2",
        "ap-southeast-3",
        "ap-southeast-4",
        "ap-southeast-5",
        "ap-southeast-6",
        "ap-southeast-7",
        "ca-central-1",
        "ca-west-1",
        "eu-central-1",
        "eu-central-2",
        "eu-north-1",
        "eu-south-1",
        "eu-south-2",
        "eu-west-1",
        "eu-west-2",
        "eu-west-3",
        "il-central-1",
        "me-central-1",
        "me-south-1",
        "mx-central-1",
        "sa-east-1",
        "us-east-1",
        "us-east-2",
        "us-west-1",
        "us-west-2",
    }
)
CHINA_REGIONS: frozenset[str] = frozenset({"cn-north-1", "cn-northwest-1"})
GOVCLOUD_REGIONS: frozenset[str] = frozenset({"us-gov-east-1", "us-gov-west-1"})

REGIONS_BY_PARTITION: Mapping[str, frozenset[str]] = MappingProxyType(
    {COMMERCIAL: COMMERCIAL_REGIONS, CHINA: CHINA_REGIONS, GOVCLOUD: GOVCLOUD_REGIONS}
)
ALL_REGIONS: frozenset[str] = COMMERCIAL_REGIONS | CHINA_REGIONS | GOVCLOUD_REGIONS

# Service principals and endpoints end in this suffix (botocore partitions.json `dnsSuffix`).
DNS_SUFFIX: Mapping[str, str] = MappingProxyType(
    {COMMERCIAL: "amazonaws.com", CHINA: "amazonaws.com.cn", GOVCLOUD: "amazonaws.com"}
)

# IAM, STS, CloudFront and console sign-in are global services; their CloudTrail events (and so
# their EventBridge "AWS API Call via CloudTrail" events) arrive only in us-east-1. Sources:
# https://repost.aws/knowledge-center/eventbridge-rule-triggers-iam-single-region and
# https://repost.aws/knowledge-center/iam-eventbridge-sns-rule ("The IAM service and the related
# AWS API calls are available only in the US East (N. Virginia) Region. This means that the
# EventBridge rule must be in the US East (N. Virginia) Region."). In the other partitions the
# partition's first region plays that role (IAM's endpoint region there).
GLOBAL_EVENTS_REGION: Mapping[str, str] = MappingProxyType(
    {COMMERCIAL: "us-east-1", CHINA: "cn-north-1", GOVCLOUD: "us-gov-west-1"}
)


def is_region(name: str) -> bool:
    """True when `name` is a launched commercial, China or GovCloud region."""
    return name in ALL_REGIONS


def partition_of(region: str) -> str:
    """The partition (`aws`, `aws-cn`, `aws-us-gov`) a region belongs to; ValueError if unknown."""
    for partition, regions in REGIONS_BY_PARTITION.items():
        if region in regions:
            return partition
    raise ValueError(f"{region!r} is not a known AWS region")


def regions_of(partition: str) -> frozenset[str]:
    """The regions of one partition; ValueError for a partition out of scope."""
    try:
        return REGIONS_BY_PARTITION[partition]
    except KeyError:
        raise ValueError(
            f"{partition!r} is not a supported partition; expected one of "
            + ", ".join(REGIONS_BY_PARTITION)
        ) from None


def dns_suffix(partition: str) -> str:
    """The DNS suffix of a partition, e.g. `amazonaws.com.cn` for `aws-cn`."""
    regions_of(partition)
    return DNS_SUFFIX[partition]


def global_events_region(partition: str = COMMERCIAL) -> str:
    """The region where a partition's global-service events (IAM, STS, CloudFront) arrive."""
    regions_of(partition)
    return GLOBAL_EVENTS_REGION[partition]
