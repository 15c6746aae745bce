#!/usr/bin/env bash
# Lint, type checks and the whole test suite, after setting up venv/: scripts/test.sh [pytest args]
# Every step runs even when an earlier one fails, so one run shows every problem; the exit status
# is non-zero if any failed (pytest's 5, "no tests collected", included).
set -uo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh || exit 1

failed=()
step() { # step <name> <command...>
  local status=0
  "${@:2}" || status=$?
  [ "$status" -eq 0 ] || failed+=("$1 (exit $status)")
}
step "ruff" venv/bin/ruff check .
step "mypy (program)" venv/bin/mypy
# The pack on its own, from its directory so `guardrails` resolves as the CLI runs it; a separate
# run because both have a __main__.py.
step "mypy (policy pack)" bash -c 'cd policies && ../venv/bin/mypy --config-file ../pyproject.toml \
  --cache-dir ../.mypy_cache/policies guardrails __main__.py'
step "pytest" venv/bin/python -m pytest "$@"

if [ ${#failed[@]} -gt 0 ]; then
  (IFS=,; echo "test.sh: failed:${failed[*]/#/ }" >&2)
  exit 1
fi
