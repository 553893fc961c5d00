// helm-render: a stand-in for `helm template`, used by deploy/check.sh only where no helm binary
// is on PATH (none is packaged by Debian, npm or NuGet, the registries this project's machines
// reach). It is NOT helm. It renders a chart the way Helm 3's engine does: Go's text/template with
// the Sprig v3 function library (the same library Helm uses), Helm's own functions (include, tpl,
// required, toYaml, fromYaml, toJson, fromJson, lookup -> empty), missingkey=zero with
// "<no value>" blanked, templates named "<chart>/templates/<file>", partials (files starting
// with "_") parsed but not emitted, values.yaml overlaid with -f files (null deletes a key).
// It also checks the few Chart.yaml fields `helm lint` insists on.
//
// Not covered: subcharts and dependencies, --set, .Files contents, .Capabilities beyond a fixed
// Kubernetes version, library charts, hooks' ordering, Helm's post-render and its own YAML
// sorting of the output. When helm is installed, check.sh uses the real `helm lint` and
// `helm template` instead.
//
// Usage: helm-render [-f values.yaml]... [--release NAME] [--namespace NS]
//
//	[--values-out merged.json] CHART_DIR   (manifests on stdout)
package main

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"sort"
	"strings"
	"text/template"

	"github.com/Masterminds/sprig/v3"
	"sigs.k8s.io/yaml"
)

type valueFiles []string

func (v *valueFiles) String() string     { return strings.Join(*v, ",") }
func (v *valueFiles) Set(s string) error { *v = append(*v, s); return nil }

func main() {
	if err := run(os.Args[1:]); err != nil {
		fmt.Fprintln(os.Stderr, "helm-render: error:", err)
		os.Exit(1)
	}
}

func run(args []string) error {
	var files valueFiles
	release, namespace, valuesOut, chartDir := "flows", "flows", "", ""
	for i := 0; i < len(args); i++ {
		next := func() (string, error) {
			if i+1 >= len(args) {
				return "", fmt.Errorf("%s needs a value", args[i])
			}
			i++
			return args[i], nil
		}
		var err error
		switch a := args[i]; a {
		case "-f", "--values":
			var f string
			if f, err = next(); err == nil {
				files = append(files, f)
			}
		case "--release":
			release, err = next()
		case "--namespace", "-n":
			namespace, err = next()
		case "--values-out":
			valuesOut, err = next()
		default:
			if strings.HasPrefix(a, "-") || chartDir != "" {
				return fmt.Errorf("unexpected argument %q", a)
			}
			chartDir = a
		}
		if err != nil {
			return err
		}
	}
	if chartDir == "" {
		return errors.New("no chart directory given")
	}

	chartDir, err := filepath.Abs(chartDir)
	if err != nil {
		return err
	}
	chart, err := loadChart(chartDir)
	if err != nil {
		return err
	}
	values, err := readYAMLMap(filepath.Join(chartDir, "values.yaml"))
	if err != nil {
		return err
	}
	for _, f := range files {
		override, err := readYAMLMap(f)
		if err != nil {
			return err
		}
		values = merge(values, override)
	}
	if valuesOut != "" {
		data, err := json.MarshalIndent(values, "", "  ")
		if err != nil {
			return err
		}
		if err := os.WriteFile(valuesOut, data, 0o644); err != nil {
			return err
		}
	}

	out, err := render(chartDir, chart, values, release, namespace)
	if err != nil {
		return err
	}
	_, err = os.Stdout.WriteString(out)
	return err
}

var semverRe = regexp.MustCompile(`^v?(0|[1-9]\d*)\.(0|[1-9]\d*)\.(0|[1-9]\d*)(-[0-9A-Za-z.-]+)?(\+[0-9A-Za-z.-]+)?$`)

// loadChart reads Chart.yaml and checks what `helm lint` reports as errors for it.
func loadChart(dir string) (map[string]interface{}, error) {
	meta, err := readYAMLMap(filepath.Join(dir, "Chart.yaml"))
	if err != nil {
		return nil, err
	}
	str := func(k string) string { s, _ := meta[k].(string); return s }
	var problems []string
	if str("apiVersion") != "v2" {
		problems = append(problems, "apiVersion must be v2")
	}
	if str("name") == "" {
		problems = append(problems, "name is required")
	} else if str("name") != filepath.Base(filepath.Clean(dir)) {
		problems = append(problems, fmt.Sprintf("name %q does not match the directory %q", str("name"), filepath.Base(filepath.Clean(dir))))
	}
	if !semverRe.MatchString(str("version")) {
		problems = append(problems, fmt.Sprintf("version %q is not SemVer 2", str("version")))
	}
	if t := str("type"); t != "" && t != "application" && t != "library" {
		problems = append(problems, fmt.Sprintf("type %q is neither application nor library", t))
	}
	if len(problems) > 0 {
		return nil, fmt.Errorf("Chart.yaml: %s", strings.Join(problems, "; "))
	}
	// The fields templates use, under Helm's names (.Chart.Name, .Chart.AppVersion, ...).
	return map[string]interface{}{
		"Name": str("name"), "Version": str("version"), "AppVersion": str("appVersion"),
		"Description": str("description"), "Type": str("type"), "APIVersion": str("apiVersion"),
	}, nil
}

func readYAMLMap(path string) (map[string]interface{}, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, err
	}
	m := map[string]interface{}{}
	if err := yaml.Unmarshal(data, &m); err != nil {
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	return m, nil
}

// merge overlays b on a as Helm coalesces user values onto a chart's: maps merge key by key,
// anything else is replaced, and a null in b deletes the key.
func merge(a, b map[string]interface{}) map[string]interface{} {
	out := map[string]interface{}{}
	for k, v := range a {
		out[k] = v
	}
	for k, v := range b {
		if v == nil {
			delete(out, k)
			continue
		}
		if bm, ok := v.(map[string]interface{}); ok {
			if am, ok := out[k].(map[string]interface{}); ok {
				out[k] = merge(am, bm)
				continue
			}
		}
		out[k] = v
	}
	return out
}

func render(dir string, chart, values map[string]interface{}, release, namespace string) (string, error) {
	chartName := chart["Name"].(string)
	tdir := filepath.Join(dir, "templates")
	var names []string
	err := filepath.Walk(tdir, func(p string, info os.FileInfo, err error) error {
		if err != nil {
			return err
		}
		if !info.IsDir() {
			names = append(names, p)
		}
		return nil
	})
	if err != nil {
		return "", err
	}
	sort.Strings(names)

	root := template.New("gotpl").Option("missingkey=zero")
	includedNames := map[string]int{}
	funcs := sprig.TxtFuncMap()
	delete(funcs, "env")
	delete(funcs, "expandenv")
	funcs["toYaml"] = func(v interface{}) string {
		data, err := yaml.Marshal(v)
		if err != nil {
			return ""
		}
		return strings.TrimSuffix(string(data), "\n")
	}
	funcs["fromYaml"] = func(s string) map[string]interface{} {
		m := map[string]interface{}{}
		if err := yaml.Unmarshal([]byte(s), &m); err != nil {
			m["Error"] = err.Error()
		}
		return m
	}
	funcs["toJson"] = func(v interface{}) string {
		data, err := json.Marshal(v)
		if err != nil {
			return ""
		}
		return string(data)
	}
	funcs["fromJson"] = func(s string) map[string]interface{} {
		m := map[string]interface{}{}
		if err := json.Unmarshal([]byte(s), &m); err != nil {
			m["Error"] = err.Error()
		}
		return m
	}
	funcs["required"] = func(msg string, v interface{}) (interface{}, error) {
		if v == nil {
			return v, errors.New(msg)
		}
		if s, ok := v.(string); ok && s == "" {
			return v, errors.New(msg)
		}
		return v, nil
	}
	funcs["lookup"] = func(string, string, string, string) (map[string]interface{}, error) {
		return map[string]interface{}{}, nil // as `helm template`: no cluster to look in
	}
	funcs["include"] = func(name string, data interface{}) (string, error) {
		if includedNames[name] > 1000 {
			return "", fmt.Errorf("rendering template has a nested reference name: %s", name)
		}
		includedNames[name]++
		defer func() { includedNames[name]-- }()
		var buf bytes.Buffer
		if err := root.ExecuteTemplate(&buf, name, data); err != nil {
			return "", err
		}
		return buf.String(), nil
	}
	funcs["tpl"] = func(text string, data interface{}) (string, error) {
		t, err := root.Clone()
		if err != nil {
			return "", err
		}
		t, err = t.New("tpl").Parse(text)
		if err != nil {
			return "", err
		}
		var buf bytes.Buffer
		if err := t.Execute(&buf, data); err != nil {
			return "", err
		}
		return strings.ReplaceAll(buf.String(), "<no value>", ""), nil
	}
	root.Funcs(funcs)

	for _, p := range names {
		rel, _ := filepath.Rel(dir, p)
		name := chartName + "/" + filepath.ToSlash(rel)
		src, err := os.ReadFile(p)
		if err != nil {
			return "", err
		}
		if _, err := root.New(name).Parse(string(src)); err != nil {
			return "", fmt.Errorf("parse error: %w", err)
		}
	}

	top := map[string]interface{}{
		"Values": values,
		"Chart":  chart,
		"Release": map[string]interface{}{
			"Name": release, "Namespace": namespace, "Service": "Helm",
			"IsInstall": true, "IsUpgrade": false, "Revision": 1,
		},
		"Capabilities": map[string]interface{}{
			"KubeVersion": map[string]interface{}{"Version": "v1.33.0", "Major": "1", "Minor": "33"},
			"APIVersions": []string{},
		},
		"Files": map[string]interface{}{},
	}

	var out strings.Builder
	for _, p := range names {
		rel, _ := filepath.Rel(dir, p)
		name := chartName + "/" + filepath.ToSlash(rel)
		if strings.HasPrefix(filepath.Base(p), "_") {
			continue
		}
		top["Template"] = map[string]interface{}{"Name": name, "BasePath": chartName + "/templates"}
		var buf bytes.Buffer
		if err := root.ExecuteTemplate(&buf, name, top); err != nil {
			return "", fmt.Errorf("render error: %w", err)
		}
		text := strings.ReplaceAll(buf.String(), "<no value>", "")
		if filepath.Base(p) == "NOTES.txt" || strings.TrimSpace(text) == "" {
			continue // NOTES.txt is rendered (to find its errors) but is not a manifest
		}
		fmt.Fprintf(&out, "---\n# Source: %s\n%s\n", name, strings.TrimRight(text, "\n"))
	}
	return out.String(), nil
}
