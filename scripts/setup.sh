#!/usr/bin/env bash
# Create venv/ (the virtualenv Pulumi.yaml names) and install the project's requirements into it.
# Re-runs pip only when a requirements file changed. Needs python3 (3.11+) with venv and pip.
set -euo pipefail
cd "$(dirname "$0")/.."
python=${PYTHON:-python3}
if [ ! -x venv/bin/python ]; then
  "$python" -m venv venv
fi
stamp=venv/.requirements.sha256
digest=$(cat requirements.txt requirements-dev.txt policies/requirements.txt | sha256sum | cut -d' ' -f1)
if [ ! -f "$stamp" ] || [ "$(cat "$stamp")" != "$digest" ]; then
  venv/bin/python -m pip install --quiet --disable-pip-version-check -r requirements-dev.txt
  echo "$digest" > "$stamp"
fi
