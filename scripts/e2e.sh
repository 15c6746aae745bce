#!/usr/bin/env bash
# The real Pulumi engine in the loop (README, "The real engine"): builds the CLI from its Go
# module (scripts/build-pulumi.sh), then runs both shipped stacks through it, offline, as a user
# does (tests/e2e/test_lifecycle.py: stack init, preview with the pack, up, a second preview, one
# more member account, a refused up, destroy) and checks the offline preview against it
# (tests/e2e/test_differential.py), imports the resources examples/adoption adopts
# (tests/e2e/test_adoption.py), runs the stacks on top of Control Tower
# (tests/e2e/test_landing_zone.py) and remakes the deployed-state fixtures to compare them
# (tests/e2e/test_state_fixtures.py). Prints what each step did. scripts/e2e.sh [pytest args]
# Needs Go and the Go module proxy besides Python; the stand-ins it uses are named in e2e/.
set -uo pipefail
cd "$(dirname "$0")/.."
started=$EPOCHSECONDS
bash scripts/setup.sh || exit 1
bash scripts/build-pulumi.sh || exit 1
# The e2e code's own type check (the program's mypy run covers the program only).
venv/bin/mypy --config-file pyproject.toml --disallow-untyped-defs --cache-dir .mypy_cache/e2e \
  e2e tests/e2e || exit 1
# -s: each step prints what it did as it runs. No tests collected (exit 5) is a failure too.
CLOUDTRAIL_E2E=1 venv/bin/python -m pytest -s -v -p no:cacheprovider \
  tests/e2e/test_lifecycle.py tests/e2e/test_differential.py tests/e2e/test_landing_zone.py \
  tests/e2e/test_adoption.py tests/e2e/test_state_fixtures.py "$@"
status=$?
echo "e2e.sh: $((EPOCHSECONDS - started)) s, exit $status"
exit $status
