"""ComponentResources that wire this project's resources; each takes its part of the plan."""

TYPE_PREFIX = "cloudtrail-logging:index"

# Imported after TYPE_PREFIX, which components.component reads from this package.
from components.access_log_bucket import AccessLogBucket  # noqa: E402
from components.account_trail import AccountTrail  # noqa: E402
from components.api_call_rules import ApiCallRules  # noqa: E402
from components.bucket_notifications import BucketNotifications  # noqa: E402
from components.central_bus import CentralBus  # noqa: E402
from components.cloudwatch_alerts import CloudWatchAlerts  # noqa: E402
from components.keys import ManagedKey  # noqa: E402
from components.log_archive import LogArchive  # noqa: E402
from components.log_bucket import LogBucket  # noqa: E402
from components.organization_guardrails import OrganizationGuardrails  # noqa: E402
from components.organization_rules import OrganizationRules  # noqa: E402
from components.replica import Replica  # noqa: E402
from components.replication_role import ReplicationRole  # noqa: E402
from components.tamper_alerts import TamperAlerts  # noqa: E402

__all__ = [
    "TYPE_PREFIX",
    "AccessLogBucket",
    "AccountTrail",
    "ApiCallRules",
    "BucketNotifications",
    "CentralBus",
    "CloudWatchAlerts",
    "LogArchive",
    "LogBucket",
    "ManagedKey",
    "OrganizationGuardrails",
    "OrganizationRules",
    "Replica",
    "ReplicationRole",
    "TamperAlerts",
]
