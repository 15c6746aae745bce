#!/usr/bin/env bash
# Lint and the whole test suite, after setting up venv/.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
venv/bin/ruff check .
venv/bin/python -m pytest "$@"
