#!/usr/bin/env bash
# Time scripts/build-pulumi.sh cold and warm: scripts/measure_pulumi_build.sh [runs, 1]
#
# Each run gives the build an empty Go module cache and build cache of its own (GOMODCACHE,
# GOCACHE in a temporary directory; the machine's own caches are not touched) and a fresh output
# directory. Columns: `download` is `go mod download` of every module go.sum pins, from the Go
# module proxy; `compile` is the build itself with those modules present and an empty build
# cache; `cold` is the two together, a first build on a new machine. `warm` rebuilds with both
# caches filled and the binary deleted (what CI does on a machine that has built it before, from a
# clean clone); `again` is the script with nothing changed (the binary is reused). The last row is
# the median of the runs.
set -euo pipefail
runs=${1:-1}
cd "$(dirname "$0")/.."
work=$(mktemp -d /tmp/measure-pulumi.XXXXXX)
# Module cache files are read-only unless -modcacherw; cleaning up needs them writable.
export GOFLAGS="${GOFLAGS:+$GOFLAGS }-modcacherw"
trap 'chmod -R u+w "$work" 2>/dev/null; rm -rf "$work"' EXIT

timing_decimals=0
# shellcheck source=scripts/timing.sh
source scripts/timing.sh

declare -a download compile cold warm again
for run in $(seq 1 "$runs"); do
  dir=$work/run$run
  mkdir -p "$dir"
  export GOMODCACHE=$dir/mod GOCACHE=$dir/cache PULUMI_BIN_DIR=$dir/bin
  download+=("$(seconds bash -c 'cd tools/pulumi && go mod download')")
  compile+=("$(seconds bash scripts/build-pulumi.sh)")
  cold+=("$(( ${download[-1]} + ${compile[-1]} ))")
  rm -f "$dir/bin/pulumi"
  warm+=("$(seconds bash scripts/build-pulumi.sh)")
  again+=("$(seconds bash scripts/build-pulumi.sh)")
  "$dir/bin/pulumi" version >"$work/version"
  chmod -R u+w "$dir" && rm -rf "$dir"
done

median() {
  printf '%s\n' "$@" | sort -g \
    | awk '{a[NR] = $1} END {print (NR % 2) ? a[(NR + 1) / 2] : (a[NR / 2] + a[NR / 2 + 1]) / 2}'
}
echo "pulumi $(cat "$work/version"), go $(go env GOVERSION), $(nproc) cores"
printf '| run | download (s) | compile (s) | cold (s) | warm (s) | again (s) |\n'
printf '|---:|---:|---:|---:|---:|---:|\n'
for i in "${!cold[@]}"; do
  printf '| %d | %s | %s | %s | %s | %s |\n' $((i + 1)) "${download[i]}" "${compile[i]}" \
    "${cold[i]}" "${warm[i]}" "${again[i]}"
done
printf '| median | %s | %s | %s | %s | %s |\n' "$(median "${download[@]}")" \
  "$(median "${compile[@]}")" "$(median "${cold[@]}")" "$(median "${warm[@]}")" \
  "$(median "${again[@]}")"
