#!/usr/bin/env bash
# Check a deployed stack with boto3 (standard credential chain; AWS_ENDPOINT_URL is honoured):
#   scripts/verify.sh STACK [--outputs FILE] [--json] [--probe] [--silent-hours N]
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
exec venv/bin/python -m verify "$@"
