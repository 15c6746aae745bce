#!/usr/bin/env bash
# Builds the Pulumi CLI from its Go module (tools/pulumi/go.mod pins it) the way Pulumi's releases
# are built (pulumi/pulumi, .goreleaser.yml and scripts/): no cgo, tags osusergo and grpcnotrace,
# and the version stamped into sdk/v3/go/common/version.Version, which the Automation API reads
# from `pulumi version`. Output: .tools/pulumi/bin/pulumi (PULUMI_BIN_DIR=DIR builds into DIR
# instead; scripts/measure_pulumi_build.sh uses it). A second run with nothing changed reuses the
# binary; with Go's build cache warm, a rebuild takes seconds.
set -euo pipefail
cd "$(dirname "$0")/.."
command -v go >/dev/null || { echo "build-pulumi: needs Go (https://go.dev/dl/)" >&2; exit 1; }
module=tools/pulumi
mkdir -p "${PULUMI_BIN_DIR:-.tools/pulumi/bin}"
out=$(cd "${PULUMI_BIN_DIR:-.tools/pulumi/bin}" && pwd)
version=$(awk 'NF >= 2 && $(NF-1) == "github.com/pulumi/pulumi/pkg/v3" {print $NF; exit}' "$module/go.mod")
stamp="$out/.built-from"
want="$version $(sha256sum "$module/go.mod" "$module/go.sum" | sha256sum | cut -c1-16)"
if [[ -x "$out/pulumi" && -f "$stamp" && "$(cat "$stamp")" == "$want" ]]; then
  echo "pulumi ${version#v}: up to date ($out/pulumi)"
  exit 0
fi
started=$(date +%s)
(
  cd "$module"
  # -mod=readonly: go.sum must already hold every checksum; nothing is resolved at build time.
  CGO_ENABLED=0 go build -mod=readonly -trimpath -tags osusergo,grpcnotrace \
    -ldflags "-s -w -X github.com/pulumi/pulumi/sdk/v3/go/common/version.Version=$version" \
    -o "$out/pulumi" github.com/pulumi/pulumi/pkg/v3/cmd/pulumi
)
echo "$want" > "$stamp"
echo "pulumi ${version#v}: built in $(( $(date +%s) - started )) s ($out/pulumi)"
