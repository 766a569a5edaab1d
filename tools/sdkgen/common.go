// Command sdkgen binds the package schema with Pulumi's schema binder and generates SDKs from it with Pulumi's own
// code generators — the very packages the Pulumi language hosts call when `pulumi package gen-sdk` asks them
// (GeneratePackage). It exists because no language host that implements GeneratePackage can be built here (see
// README "Generated SDKs"); the output is what those hosts write. This file is shared (by a symlink) with
// ../sdkgen-dotnet, which links an older pkg/v3 — the last one with the .NET generator.
//
//	go run . -schema ../../schema.json -out ../../sdks -languages python,go
package main

import (
	"encoding/json"
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"strings"

	"github.com/pulumi/pulumi/pkg/v3/codegen/schema"
)

type generator func(pkg *schema.Package) (map[string][]byte, error)

func main() {
	schemaPath := flag.String("schema", "schema.json", "the package schema")
	out := flag.String("out", "sdks", "output directory: one sub-directory per language")
	languages := flag.String("languages", strings.Join(defaultLanguages, ","), "comma-separated languages")
	flag.Parse()
	if err := run(*schemaPath, *out, strings.Split(*languages, ",")); err != nil {
		fmt.Fprintln(os.Stderr, "sdkgen:", err)
		os.Exit(1)
	}
}

func run(schemaPath, out string, languages []string) error {
	raw, err := os.ReadFile(schemaPath)
	if err != nil {
		return err
	}
	for _, lang := range languages {
		if lang == "" {
			continue
		}
		gen, ok := generators[lang]
		if !ok {
			return fmt.Errorf("unknown language %q", lang)
		}
		// Bound afresh for each language: a generator may change the bound package (Python renames enum values).
		pkg, err := bind(raw, schemaPath)
		if err != nil {
			return err
		}
		files, err := gen(pkg)
		if err != nil {
			return fmt.Errorf("%s: %w", lang, err)
		}
		if err := write(filepath.Join(out, lang), files); err != nil {
			return err
		}
	}
	return nil
}

func bind(raw []byte, schemaPath string) (*schema.Package, error) {
	var spec schema.PackageSpec
	if err := json.Unmarshal(raw, &spec); err != nil {
		return nil, fmt.Errorf("%s: %w", schemaPath, err)
	}
	// The package references no other package, so the loader is never asked for one.
	pkg, diags, err := schema.BindSpec(spec, schema.NewPluginLoader(nil), schema.ValidationOptions{})
	if err != nil {
		return nil, err
	}
	for _, d := range diags {
		fmt.Fprintln(os.Stderr, d.Error())
	}
	if diags.HasErrors() {
		return nil, fmt.Errorf("%s does not bind", schemaPath)
	}
	return pkg, nil
}

// write replaces dir with exactly the generated files, so a file the generator no longer writes disappears too.
func write(dir string, files map[string][]byte) error {
	if err := os.RemoveAll(dir); err != nil {
		return err
	}
	names := make([]string, 0, len(files))
	for name := range files {
		names = append(names, name)
	}
	sort.Strings(names)
	for _, name := range names {
		p := filepath.Join(dir, name)
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			return err
		}
		if err := os.WriteFile(p, files[name], 0o644); err != nil {
			return err
		}
	}
	fmt.Printf("wrote %d files to %s\n", len(names), dir)
	return nil
}
