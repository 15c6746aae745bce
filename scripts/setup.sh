#!/usr/bin/env bash
# Make venv/ (the virtualenv Pulumi.yaml names: program, offline preview, lint, types, tests;
# requirements-dev.txt) and policies/venv/ (the policy pack's own; requirements-policies.txt) hold
# exactly the locked, hash-checked versions. Needs only python3 (3.11+) with pip: it installs the
# pinned uv (requirements-uv.txt) into .tools/ once, and uv installs the locks. A venv is synced
# again only when its lock file changed (stamp file inside it). Silent unless it installs.
# SETUP_INSTALLER=pip installs the same locks with pip instead (slower; what `pulumi install` does).
set -euo pipefail
cd "$(dirname "$0")/.."
# The interpreter itself, not a shim (pyenv's cost 0.2 s a call); empty if older than 3.11.
python=$("${PYTHON:-python3}" -c \
  'import sys; print(sys.executable * (sys.version_info >= (3, 11)))') || true
[ -n "$python" ] || { echo "setup: needs ${PYTHON:-python3} to be Python 3.11+" >&2; exit 1; }
"$python" scripts/lock.py --check

pip_install() { # pip_install <python> <pip args...>: hash-checked, errors only (the machine's
  # pip config may point at local indexes that warn when a package is not there)
  "$1" -m pip install --quiet --quiet --disable-pip-version-check --root-user-action=ignore \
    --require-hashes --no-deps "${@:2}"
}

uv=
if [ "${SETUP_INSTALLER:-uv}" = uv ]; then
  uv_version=$(sed -n 's/^uv==\([^ ]*\).*/\1/p' requirements-uv.txt)
  uv=.tools/uv-$uv_version/bin/uv
  if [ ! -x "$uv" ]; then
    rm -rf ".tools/uv-$uv_version"
    pip_install "$python" --target ".tools/uv-$uv_version" -r requirements-uv.txt
  fi
fi

sync() { # sync <venv> <lock>
  local venv=$1 lock=$2 stamp=$1/.lock.sha256 digest
  digest=$(sha256sum "$lock" | cut -d' ' -f1)
  if [ -x "$venv/bin/python" ] && [ "$(cat "$stamp" 2>/dev/null)" = "$digest" ]; then
    return 0
  fi
  echo "setup: installing $lock into $venv/" >&2
  rm -f "$stamp"
  if [ -n "$uv" ]; then
    [ -x "$venv/bin/python" ] || "$uv" venv --quiet --no-python-downloads --python "$python" "$venv"
    "$uv" pip sync --quiet --require-hashes --python "$venv/bin/python" "$lock"
  else
    [ -x "$venv/bin/python" ] || "$python" -m venv "$venv"
    pip_install "$venv/bin/python" -r "$lock"
  fi
  echo "$digest" > "$stamp"
}

sync venv requirements-dev.txt
sync policies/venv requirements-policies.txt
