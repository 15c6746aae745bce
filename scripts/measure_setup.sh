#!/usr/bin/env bash
# Time the README's first command from nothing: scripts/measure_setup.sh [runs, 3] [tree, .]
#
# Each run copies the tree's files (tracked and untracked, not ignored: no venv/, policies/venv/,
# .tools/) to a fresh directory and gives it empty pip and uv caches, so every package is
# downloaded again, as on a fresh CI machine. Unless MEASURE_LOCAL_INDEX=1, pip's local
# find-links and extra indexes (`pip config list`) are switched off too: PyPI alone must suffice.
# Columns: `setup` is `bash scripts/setup.sh` from nothing, `again` the same with nothing changed
# (stamp files), `preview` is `bash scripts/preview.sh dev` after that (the offline preview
# itself), `total` setup + preview. The last row is the median of the runs.
set -euo pipefail
runs=${1:-3}
tree=$(cd "${2:-$(dirname "$0")/..}" && pwd)
work=$(mktemp -d /tmp/measure-setup.XXXXXX)
trap 'rm -rf "$work"' EXIT

if [ "${MEASURE_LOCAL_INDEX:-0}" != 1 ]; then
  export PIP_CONFIG_FILE=/dev/null
  unset PIP_FIND_LINKS PIP_EXTRA_INDEX_URL PIP_INDEX_URL PIP_NO_INDEX
fi
unset UV_INDEX_URL UV_EXTRA_INDEX_URL UV_FIND_LINKS UV_OFFLINE UV_NO_CACHE

timing_decimals=1
# shellcheck source=scripts/timing.sh
source "$(dirname "$0")/timing.sh"

declare -a setup again preview total
for run in $(seq 1 "$runs"); do
  dir=$work/run$run
  mkdir -p "$dir/tree" "$dir/cache"
  git -C "$tree" ls-files -z --cached --others --exclude-standard \
    | (cd "$tree" && xargs -0 tar -cf - 2>/dev/null) | tar -xf - -C "$dir/tree"
  export XDG_CACHE_HOME=$dir/cache PIP_CACHE_DIR=$dir/cache/pip UV_CACHE_DIR=$dir/cache/uv
  setup+=("$(seconds bash "$dir/tree/scripts/setup.sh")")
  again+=("$(seconds bash "$dir/tree/scripts/setup.sh")")
  preview+=("$(seconds bash "$dir/tree/scripts/preview.sh" dev)")
  total+=("$(python3 -c "print(f'{${setup[-1]} + ${preview[-1]}:.1f}')")")
  rm -rf "$dir"
done

median() {
  printf '%s\n' "$@" | sort -g \
    | awk '{a[NR] = $1} END {print (NR % 2) ? a[(NR + 1) / 2] : (a[NR / 2] + a[NR / 2 + 1]) / 2}'
}
printf '| run | setup (s) | again (s) | preview (s) | total (s) |\n|---:|---:|---:|---:|---:|\n'
for i in "${!setup[@]}"; do
  printf '| %d | %s | %s | %s | %s |\n' $((i + 1)) "${setup[i]}" "${again[i]}" "${preview[i]}" \
    "${total[i]}"
done
printf '| median | %s | %s | %s | %s |\n' "$(median "${setup[@]}")" "$(median "${again[@]}")" \
  "$(median "${preview[@]}")" "$(median "${total[@]}")"
