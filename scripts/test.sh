#!/usr/bin/env bash
# Lint, type checks and the whole test suite, after setting up venv/: scripts/test.sh [pytest args]
# Every step runs even when an earlier one fails, so one run shows every problem; the exit status
# is non-zero if any failed (pytest's 5, "no tests collected", included).
set -uo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh || exit 1

failed=()
record() { # record <step> <exit status>
  [ "$2" -eq 0 ] || failed+=("$1 (exit $2)")
}
step() { # step <name> <command...>
  local status=0
  "${@:2}" || status=$?
  record "$1" "$status"
}

step "ruff" venv/bin/ruff check .
# The pack on its own, from its directory so `guardrails` resolves as the CLI runs it; a separate
# run from the program's because both have a __main__.py.
step "mypy (policy pack)" bash -c 'cd policies && ../venv/bin/mypy --config-file ../pyproject.toml \
  --cache-dir ../.mypy_cache/policies guardrails __main__.py'
# Two workers (pytest-xdist) use both cores, so the program's type check, which reads all of
# pulumi_aws (about 80 s without a cache, as in CI), runs after the tests rather than beside them.
step "pytest" venv/bin/python -m pytest -n 2 "$@"
step "mypy (program)" venv/bin/mypy

if [ ${#failed[@]} -gt 0 ]; then
  (IFS=,; echo "test.sh: failed:${failed[*]/#/ }" >&2)
  exit 1
fi
