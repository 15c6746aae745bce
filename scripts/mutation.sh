#!/usr/bin/env bash
# Mutation score of the policy builders, the config reader and the pack's rules, into
# docs/mutation.md: bash scripts/mutation.sh [MODULE ...] [--jobs N] [--remap]
# (scripts/mutation.py says how). A measurement, not a CI step: the whole run takes a while, at low
# priority (nice) on every core, since the machine is shared.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
exec nice -n 10 venv/bin/python scripts/mutation.py "$@"
