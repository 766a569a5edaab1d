package main

import (
	"fmt"
	"path/filepath"
	"runtime/debug"

	gogen "github.com/pulumi/pulumi/pkg/v3/codegen/go"
	"github.com/pulumi/pulumi/pkg/v3/codegen/python"
	"github.com/pulumi/pulumi/pkg/v3/codegen/schema"
)

var defaultLanguages = []string{"python", "go"}

var generators = map[string]generator{
	"python": func(pkg *schema.Package) (map[string][]byte, error) {
		files, err := python.GeneratePackage("pulumi-language-python", pkg, nil, nil)
		if err != nil {
			return nil, err
		}
		// pyproject.toml names README.md at the project root; the generator writes it into the package.
		if readme, ok := files[filepath.Join(python.PyPack(pkg.Namespace, pkg.Name), "README.md")]; ok {
			files["README.md"] = readme
		}
		return files, nil
	},
	"go": func(pkg *schema.Package) (map[string][]byte, error) {
		files, err := gogen.GeneratePackage("pulumi-language-go", pkg, nil)
		if err != nil {
			return nil, err
		}
		return files, addGoMod(pkg, files)
	},
}

// addGoMod makes the generated package a module of its own at its import path (`go.mod` in the package directory),
// requiring the Pulumi Go SDK this generator was built with. `make sdks` runs `go mod tidy` for its go.sum.
func addGoMod(pkg *schema.Package, files map[string][]byte) error {
	info, ok := pkg.Language["go"].(gogen.GoPackageInfo)
	if !ok || info.ImportBasePath == "" {
		return fmt.Errorf("the schema sets no language.go.importBasePath")
	}
	sdkVersion := ""
	if bi, ok := debug.ReadBuildInfo(); ok {
		for _, dep := range bi.Deps {
			if dep.Path == "github.com/pulumi/pulumi/sdk/v3" {
				sdkVersion = dep.Version
			}
		}
	}
	if sdkVersion == "" {
		return fmt.Errorf("cannot tell which github.com/pulumi/pulumi/sdk/v3 this generator was built with")
	}
	files[filepath.Join(pkg.Name, "go.mod")] = []byte(fmt.Sprintf(
		"module %s\n\ngo 1.23\n\nrequire github.com/pulumi/pulumi/sdk/v3 %s\n", info.ImportBasePath, sdkVersion))
	return nil
}
