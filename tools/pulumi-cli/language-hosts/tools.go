//go:build tools

// Package tools pins the nodejs and python language hosts. They come from sdk/v3 v3.68.0, the last release in which
// they were packages of the sdk/v3 module: their later homes, the nested modules
// github.com/pulumi/pulumi/sdk/{nodejs,python}/cmd/pulumi-language-*/v3, are refused by the Go module proxy
// ("403 Forbidden: This module version is not available."). A v3.68.0 host drives a v3.276.0 CLI fine.
package tools

import (
	_ "github.com/pulumi/pulumi/sdk/v3/nodejs/cmd/pulumi-language-nodejs"
	_ "github.com/pulumi/pulumi/sdk/v3/python/cmd/pulumi-language-python"
)
