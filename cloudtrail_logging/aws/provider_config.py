"""The `aws:` configuration keys the aws provider takes, read from the installed pulumi_aws SDK.

The SDK's generated `pulumi_aws.config` module has one property per provider config key (its
getter reads `pulumi.Config("aws").get("<key>")`), so the keys are that module's properties,
camel-cased as the schema spells them; the provider refuses any other key in its namespace.
"""

from __future__ import annotations

import difflib
from functools import cache


def _camel(snake: str) -> str:
    head, *rest = snake.split("_")
    return head + "".join(part[:1].upper() + part[1:] for part in rest)


@cache
def provider_config_keys() -> frozenset[str]:
    """Every key of the aws provider's config, e.g. `region`, `allowedAccountIds`."""
    from pulumi_aws import config

    hasattr(config, "region")  # the SDK loads the module on its first attribute access
    return frozenset(
        _camel(name) for name, value in vars(type(config)).items() if isinstance(value, property)
    )


def closest_provider_key(key: str) -> str | None:
    """The provider key a misspelt `key` most likely meant, or None."""
    close = difflib.get_close_matches(key, sorted(provider_config_keys()), 1, 0.75)
    return close[0] if close else None
