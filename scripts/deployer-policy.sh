#!/usr/bin/env bash
# The IAM policy documents a role needs to deploy and update a stack, derived from its offline
# preview: scripts/deployer-policy.sh STACK [--table]
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh >&2
exec venv/bin/python scripts/deployer_policy.py "$@"
