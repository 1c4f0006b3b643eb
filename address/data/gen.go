//go:build ignore

// Command gen rebuilds the embedded address tables from the source files in
// this directory:
//
//   - all.json (Google Address Data Service snapshot, 2023) is the base;
//   - region_data_constants_2025.json overlays the newer country-level rules;
//   - shopify/*.yml contributes the input (edit) order: whether the postal
//     code is asked before the street address;
//   - countrynames/*.json gives the localized country names.
//
// It writes regions.txt (one "data/KEY={json}" line per node, the same line
// format as libaddressinput's countryinfo.txt, countries plus first-level
// subdivisions only) and ../countrynames_gen.go. Run it with
// "go generate" in the address directory.
package main

import (
	"bufio"
	"bytes"
	"encoding/json"
	"flag"
	"fmt"
	"go/format"
	"log"
	"os"
	"path/filepath"
	"slices"
	"strings"
)

// countryFields are copied from the 2025 constants over the 2023 snapshot.
var countryFields = []string{
	"fmt", "lfmt", "require", "upper", "name", "lang", "languages",
	"postprefix", "posturl", "state_name_type", "locality_name_type",
	"sublocality_name_type", "zip_name_type", "width_overrides", "label_overrides",
}

// keptCountry are the country-level keys kept in the embedded table.
var keptCountry = append([]string{"zip", "zipex", "sub_keys", "sub_names", "sub_lnames", "sub_isoids"}, countryFields...)

// keptSub are the subdivision keys kept in the embedded table.
var keptSub = []string{"key", "name", "lname", "isoid", "zip", "zipex"}

// Languages of the country-name table, in column order.
var nameLangs = []string{"en", "de", "fr", "es", "pt", "it", "ja", "ko", "zh", "zh-Hant", "ru", "ar", "nl"}

func main() {
	out := flag.String("out", "", "write regions.txt and countrynames_gen.go here instead of in place")
	flag.Parse()
	dir := "."
	if flag.NArg() > 0 {
		dir = flag.Arg(0)
	}
	if err := run(dir, *out); err != nil {
		log.Fatal(err)
	}
}

func run(dir, out string) error {
	var base map[string]map[string]any
	if err := readJSON(filepath.Join(dir, "all.json"), &base); err != nil {
		return err
	}
	var overlay map[string]map[string]any
	if err := readJSON(filepath.Join(dir, "region_data_constants_2025.json"), &overlay); err != nil {
		return err
	}
	zipFirst, err := shopifyZipFirst(filepath.Join(dir, "shopify"))
	if err != nil {
		return err
	}

	nodes := map[string]map[string]any{}
	for key, node := range base {
		switch depth := strings.Count(key, "/"); {
		case depth == 0 && strings.Contains(key, "--"):
			// Language variant of a country: keep names and formats.
			nodes[key] = pick(node, append([]string{"sub_keys", "sub_names", "sub_lnames"}, countryFields...))
		case depth == 0:
			c := pick(node, keptCountry)
			if o, ok := overlay[key]; ok {
				for _, f := range countryFields {
					if v, ok := o[f]; ok {
						c[f] = v
					}
				}
				// The 2025 examples are kept only where the 2023 data has no
				// pattern, so that every example matches its pattern.
				if _, hasZip := c["zip"]; !hasZip {
					if v, ok := o["zipex"]; ok {
						c["zipex"] = v
					}
				}
			}
			if zipFirst[key] {
				c["x_zipfirst"] = "true"
			}
			nodes[key] = c
		case depth == 1 && !strings.Contains(key, "--"):
			nodes[key] = pick(node, keptSub)
		}
	}

	keys := make([]string, 0, len(nodes))
	for k := range nodes {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	var buf bytes.Buffer
	for _, k := range keys {
		b, err := marshal(nodes[k])
		if err != nil {
			return err
		}
		fmt.Fprintf(&buf, "data/%s=%s\n", k, b)
	}
	regionsOut, namesOut := filepath.Join(dir, "regions.txt"), filepath.Join(dir, "..", "countrynames_gen.go")
	if out != "" {
		regionsOut, namesOut = filepath.Join(out, "regions.txt"), filepath.Join(out, "countrynames_gen.go")
	}
	if err := os.WriteFile(regionsOut, buf.Bytes(), 0o644); err != nil {
		return err
	}
	return writeNames(dir, namesOut)
}

func pick(node map[string]any, keys []string) map[string]any {
	m := map[string]any{}
	for _, k := range keys {
		if v, ok := node[k]; ok {
			m[k] = v
		}
	}
	return m
}

func marshal(v any) ([]byte, error) {
	var b bytes.Buffer
	enc := json.NewEncoder(&b)
	enc.SetEscapeHTML(false)
	if err := enc.Encode(v); err != nil {
		return nil, err
	}
	return bytes.TrimSpace(b.Bytes()), nil
}

func readJSON(path string, v any) error {
	b, err := os.ReadFile(path)
	if err != nil {
		return err
	}
	if err := json.Unmarshal(b, v); err != nil {
		return fmt.Errorf("%s: %w", path, err)
	}
	return nil
}

// shopifyZipFirst reports, per region, whether the first "edit:" layout of
// the Shopify region file asks for the postal code before the street address.
func shopifyZipFirst(dir string) (map[string]bool, error) {
	files, err := filepath.Glob(filepath.Join(dir, "*.yml"))
	if err != nil {
		return nil, err
	}
	res := map[string]bool{}
	for _, f := range files {
		fh, err := os.Open(f)
		if err != nil {
			return nil, err
		}
		sc := bufio.NewScanner(fh)
		for sc.Scan() {
			line := sc.Text()
			if !strings.HasPrefix(line, "  edit:") {
				continue
			}
			zip, street := strings.Index(line, "{zip}"), strings.Index(line, "{address1}")
			if zip >= 0 && street >= 0 && zip < street {
				res[strings.TrimSuffix(filepath.Base(f), ".yml")] = true
			}
			break
		}
		fh.Close()
		if err := sc.Err(); err != nil {
			return nil, err
		}
	}
	return res, nil
}

func writeNames(dir, path string) error {
	tables := make([]map[string]string, len(nameLangs))
	codes := map[string]bool{}
	for i, l := range nameLangs {
		if err := readJSON(filepath.Join(dir, "countrynames", l+".json"), &tables[i]); err != nil {
			return err
		}
		for c := range tables[i] {
			codes[c] = true
		}
	}
	sorted := make([]string, 0, len(codes))
	for c := range codes {
		sorted = append(sorted, c)
	}
	slices.Sort(sorted)
	var b bytes.Buffer
	b.WriteString("// Code generated by data/gen.go from data/countrynames; DO NOT EDIT.\n\npackage address\n\n")
	fmt.Fprintf(&b, "// nameLanguages are the languages of countryNames' columns.\nvar nameLanguages = [...]string{%q", nameLangs[0])
	for _, l := range nameLangs[1:] {
		fmt.Fprintf(&b, ", %q", l)
	}
	b.WriteString("}\n\n// countryNames holds the CLDR display names of each country, sorted by code.\n")
	fmt.Fprintf(&b, "var countryNames = [...]countryNameRow{\n")
	for _, c := range sorted {
		fmt.Fprintf(&b, "\t{%q, [%d]string{", c, len(nameLangs))
		for i := range nameLangs {
			if i > 0 {
				b.WriteString(", ")
			}
			fmt.Fprintf(&b, "%q", tables[i][c])
		}
		b.WriteString("}},\n")
	}
	b.WriteString("}\n")
	src, err := format.Source(b.Bytes())
	if err != nil {
		return err
	}
	return os.WriteFile(path, src, 0o644)
}
