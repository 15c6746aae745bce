#!/usr/bin/env bash
# Offline `pulumi preview` of a stack, with the policy pack enforced:
#   scripts/preview.sh dev [--json] [--diff STATE ...] [--policy-config FILE]
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
exec venv/bin/python -m offline preview "${@:-dev}"
