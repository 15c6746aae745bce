#!/usr/bin/env bash
# Lint, type checks and the whole test suite, after setting up venv/:
#   scripts/test.sh [--fast] [pytest args]
# The suite runs in two tiers (tests/support/tiers.py): the fast tier, every test of one piece,
# then the whole-stack tier (previews, the pack over gRPC, the README's commands); --fast runs the
# fast tier alone, pytest args alone the tests they name. The real engine's tier is scripts/e2e.sh.
# Every step runs even when an earlier one fails, so one run shows every problem. Each step is
# announced by name; the last line sums them up; the exit status is non-zero if any failed
# (pytest's 5, "no tests collected", included).
set -uo pipefail
cd "$(dirname "$0")/.."
started=$EPOCHSECONDS
fast=false
if [ "${1:-}" = "--fast" ]; then
  fast=true
  shift
fi
bash scripts/setup.sh || { echo "test.sh: setup failed; no step ran" >&2; exit 1; }

passed=()
failed=()
step() { # step <name> <command...>
  local status=0 began=$EPOCHSECONDS
  echo "test.sh: step: $1"
  "${@:2}" || status=$?
  if [ "$status" -eq 0 ]; then
    passed+=("$1")
  else
    failed+=("$1 (exit $status)")
  fi
  echo "test.sh: step: $1: $([ "$status" -eq 0 ] && echo ok || echo "failed, exit $status") ($((EPOCHSECONDS - began)) s)"
}

step "ruff" venv/bin/ruff check .
# The pack on its own, from its directory so `guardrails` resolves as the CLI runs it; a separate
# run from the program's because both have a __main__.py.
step "mypy (policy pack)" bash -c 'cd policies && ../venv/bin/mypy --config-file ../pyproject.toml \
  --cache-dir ../.mypy_cache/policies guardrails __main__.py'
# Two workers (pytest-xdist) use both cores, so the program's type check, which reads all of
# pulumi_aws (about 80 s without a cache, as in CI), runs after the tests rather than beside them.
if [ $# -gt 0 ] && ! $fast; then  # the tests named, whichever tier
  step "pytest" venv/bin/python -m pytest -n 2 "$@"
else
  step "pytest (fast tier)" venv/bin/python -m pytest -n 2 -m "not stack" "$@"
  $fast || step "pytest (whole-stack tier)" venv/bin/python -m pytest -n 2 -m stack
fi
step "mypy (program)" venv/bin/mypy

took=$((EPOCHSECONDS - started))
if [ ${#failed[@]} -gt 0 ]; then
  (IFS=,; echo "test.sh: FAILED:${failed[*]/#/ }; ok:${passed[*]/#/ } (${took} s)" >&2)
  exit 1
fi
(IFS=,; echo "test.sh: every step ok:${passed[*]/#/ } (${took} s)")
