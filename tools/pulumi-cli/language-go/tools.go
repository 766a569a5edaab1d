//go:build tools

// Package tools pins the Go language host. It comes from sdk/v3 v3.52.0, the last release in which it was a package
// of the sdk/v3 module (go/pulumi-language-go); its later home, the nested module
// github.com/pulumi/pulumi/sdk/go/pulumi-language-go/v3, is refused by the Go module proxy ("403 Forbidden: This
// module version is not available."). A v3.52.0 host drives a v3.276.0 CLI and programs on sdk/v3 v3.276.0 fine
// (examples/go, test/native/providers.test.ts).
package tools

import (
	_ "github.com/pulumi/pulumi/sdk/v3/go/pulumi-language-go"
)
