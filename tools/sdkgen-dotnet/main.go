package main

import (
	"bytes"
	_ "embed"
	"fmt"
	"io"
	"net/http"

	"github.com/pulumi/pulumi/pkg/v3/codegen/dotnet"
	"github.com/pulumi/pulumi/pkg/v3/codegen/schema"
)

// pkg/v3 v3.228.0 is the last release with codegen/dotnet; later .NET code generation lives in pulumi-dotnet's
// language host, whose module the Go proxy does not serve here.
var defaultLanguages = []string{"dotnet"}

// The .NET generator downloads the package logo (the schema's logoUrl, else Pulumi's) into the NuGet package;
// this one answers that request from the repository, so generation needs no network and is reproducible.
//
//go:embed logo.png
var logo []byte

type localLogo struct{}

func (localLogo) RoundTrip(req *http.Request) (*http.Response, error) {
	if req.URL.Path == "" || !bytes.HasSuffix([]byte(req.URL.Path), []byte(".png")) {
		return nil, fmt.Errorf("sdkgen-dotnet: unexpected request for %s", req.URL)
	}
	return &http.Response{StatusCode: http.StatusOK, Body: io.NopCloser(bytes.NewReader(logo)), Request: req, Header: http.Header{}}, nil
}

var generators = map[string]generator{
	"dotnet": func(pkg *schema.Package) (map[string][]byte, error) {
		http.DefaultTransport = localLogo{}
		return dotnet.GeneratePackage("pulumi-language-dotnet", pkg, nil, nil)
	},
}
