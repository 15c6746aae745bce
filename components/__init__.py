"""ComponentResources that wire this project's resources; documents come from cloudtrail_logging."""

TYPE_PREFIX = "cloudtrail-logging:index"
