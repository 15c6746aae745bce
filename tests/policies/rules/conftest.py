"""The in-process rule tests import the pack's `guardrails` package (rule_cases puts the pack
directory on sys.path, as `python -m pulumi.policy` does)."""

import rule_cases  # noqa: F401
