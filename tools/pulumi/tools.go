//go:build tools

// Package tools pins the Pulumi CLI's main package so that `go mod tidy` keeps its
// dependencies in go.sum; scripts/build-pulumi.sh builds it with `go build`. The version
// package is the one the build stamps (-X .../sdk/v3/go/common/version.Version): importing it
// makes sdk/v3 a direct requirement, pinned at the CLI's own version.
package tools

import (
	_ "github.com/pulumi/pulumi/pkg/v3/cmd/pulumi"
	_ "github.com/pulumi/pulumi/sdk/v3/go/common/version"
)
