//go:build tools

// Package tools pins the YAML language host (github.com/pulumi/pulumi-yaml, tagged on its own).
package tools

import _ "github.com/pulumi/pulumi-yaml/cmd/pulumi-language-yaml"
