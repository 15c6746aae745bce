"""Entry point of the cloudtrail-logging-guardrails policy pack (`pulumi policy publish`).

The CLI runs `python -m pulumi.policy <engine> <this directory>`, which puts this directory on
sys.path, so the `guardrails` package imports without the Pulumi program being importable.
"""

from guardrails import ALL_POLICIES, PACK_NAME
from pulumi_policy import EnforcementLevel, PolicyPack

PolicyPack(
    name=PACK_NAME,
    enforcement_level=EnforcementLevel.MANDATORY,
    policies=ALL_POLICIES,
    description=(
        "Guardrails for CloudTrail logging into a log-archive account: encrypted, TLS-only, "
        "non-public, versioned and protected log buckets; hardened trails; encrypted companions."
    ),
    display_name="CloudTrail logging guardrails",
    provider="aws",
    tags=["aws", "cloudtrail", "s3", "security"],
)
