"""The AWS vocabulary every part of the project speaks, in one home.

- `names`: the naming rules AWS enforces for each kind of resource;
- `patterns`: identifier patterns (account ids, ARNs, key prefixes);
- `arns`: names and partition-aware ARNs composed from values known at preview;
- `regions`: Regions and partitions;
- `policy_json`: the one serialisation of policy documents, and their size as AWS counts it;
- here: the service principals the documents name, and the type of a policy document.
"""

from __future__ import annotations

from typing import Any, Final

Policy = dict[str, Any]
"""An IAM policy document (identity, resource, key, trust or service control policy)."""
Statement = dict[str, Any]

# Service principals (IAM User Guide, "AWS JSON policy elements: Principal", service principals).
CLOUDTRAIL_SERVICE: Final = "cloudtrail.amazonaws.com"
CLOUDWATCH_SERVICE: Final = "cloudwatch.amazonaws.com"
EVENTS_SERVICE: Final = "events.amazonaws.com"
S3_SERVICE: Final = "s3.amazonaws.com"
S3_LOGGING_SERVICE: Final = "logging.s3.amazonaws.com"
SNS_SERVICE: Final = "sns.amazonaws.com"
