// Command go-oracle recomputes berth's Go oracle vectors: the JSON case files
// whose expected outputs berth's Rust tests compare against. For every case it
// runs the real Go / docker code on the case's inputs and rewrites the
// expected output and error fields in place; inputs are kept as they are.
//
//	go-oracle FILE.json...
//
// The kind of a file is given by its name:
//
//	template_cases.json   text/template parsed with docker/cli templates.Parse
//	sprintf_cases.json    fmt.Sprintf
//	render_cases.json     docker/cli formatter.Context.Write (table, json, tabwriter)
//	tabwriter_cases.json  text/tabwriter and docker/cli's tabwriter fork
//	units_cases.json      docker/go-units HumanDuration, HumanSizeWithPrecision, BytesSize
//
// Template data and printf arguments are JSON strings in the encoding of
// src/gotmpl/testutil.rs (see decodeData). Run it through scripts/gen-oracle.
package main

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"math"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"text/tabwriter"
	"time"
	"unicode/utf8"

	"github.com/docker/cli/cli/command/formatter"
	dockertabwriter "github.com/docker/cli/cli/command/formatter/tabwriter"
	"github.com/docker/cli/templates"
	"github.com/docker/go-units"
)

// ---- case files: inputs first, then the expectations this program writes ----

type templateFile struct {
	Cases           []templateCase `json:"cases"`             // default options
	MissingKeyCases []templateCase `json:"missing_key_cases"` // Option("missingkey=error")
}

type templateCase struct {
	Template string `json:"template"`
	Data     string `json:"data"`
	Output   string `json:"output"`
	Error    string `json:"error"`
}

type sprintfFile struct {
	Cases []struct {
		Format string `json:"format"`
		Args   string `json:"args"` // a JSON list
		Output string `json:"output"`
	} `json:"cases"`
}

type renderFile struct {
	Cases []struct {
		Format string `json:"format"` // the --format value
		Header string `json:"header"` // the table's header context
		Rows   string `json:"rows"`   // a JSON list of rows
		Output string `json:"output"`
		Error  string `json:"error"`
	} `json:"cases"`
}

type tabwriterFile struct {
	Cases []struct {
		Docker   bool   `json:"docker"` // docker/cli's fork instead of text/tabwriter
		MinWidth int    `json:"minwidth"`
		TabWidth int    `json:"tabwidth"`
		Padding  int    `json:"padding"`
		PadChar  string `json:"padchar"` // one byte
		Input    string `json:"input"`
		Output   string `json:"output"`
	} `json:"cases"`
}

type unitsFile struct {
	HumanDuration []struct {
		Nanos  int64  `json:"nanos"`
		Output string `json:"output"`
	} `json:"human_duration"`
	HumanSizeWithPrecision []struct {
		Size      float64 `json:"size"`
		Precision int     `json:"precision"`
		Output    string  `json:"output"`
	} `json:"human_size_with_precision"`
	BytesSize []struct {
		Size   float64 `json:"size"`
		Output string  `json:"output"`
	} `json:"bytes_size"`
}

func main() {
	if len(os.Args) < 2 {
		fmt.Fprintln(os.Stderr, "usage: go-oracle FILE.json...")
		os.Exit(2)
	}
	for _, path := range os.Args[1:] {
		if err := regenerate(path); err != nil {
			fmt.Fprintf(os.Stderr, "go-oracle: %s: %v\n", path, err)
			os.Exit(1)
		}
	}
}

func regenerate(path string) error {
	raw, err := os.ReadFile(path)
	if err != nil {
		return err
	}
	var doc any
	var fill func() error
	switch filepath.Base(path) {
	case "template_cases.json":
		f := &templateFile{}
		doc, fill = f, func() error { return fillTemplate(f) }
	case "sprintf_cases.json":
		f := &sprintfFile{}
		doc, fill = f, func() error { return fillSprintf(f) }
	case "render_cases.json":
		f := &renderFile{}
		doc, fill = f, func() error { return fillRender(f) }
	case "tabwriter_cases.json":
		f := &tabwriterFile{}
		doc, fill = f, func() error { return fillTabwriter(f) }
	case "units_cases.json":
		f := &unitsFile{}
		doc, fill = f, func() error { fillUnits(f); return nil }
	default:
		return errors.New("unknown case file name")
	}
	dec := json.NewDecoder(bytes.NewReader(raw))
	dec.DisallowUnknownFields()
	if err := dec.Decode(doc); err != nil {
		return err
	}
	if err := fill(); err != nil {
		return err
	}
	return writeJSON(path, doc)
}

// writeJSON writes doc the way the files have always been formatted
// (Python's json.dumps(indent=2, ensure_ascii=False)): two-space indent,
// no HTML escaping, no final newline.
func writeJSON(path string, doc any) error {
	var b bytes.Buffer
	enc := json.NewEncoder(&b)
	enc.SetEscapeHTML(false)
	enc.SetIndent("", "  ")
	if err := enc.Encode(doc); err != nil {
		return err
	}
	return os.WriteFile(path, bytes.TrimSuffix(b.Bytes(), []byte("\n")), 0o644)
}

// lossy makes a Go result storable in JSON the way berth's Rust code makes
// such bytes a String (String::from_utf8_lossy, e.g. in truncate and slice):
// each maximal ill-formed subsequence becomes one U+FFFD.
func lossy(s string) string {
	if utf8.ValidString(s) {
		return s
	}
	var b strings.Builder
	for len(s) > 0 {
		r, n := utf8.DecodeRuneInString(s)
		if r == utf8.RuneError && n == 1 {
			b.WriteRune(utf8.RuneError)
			n = invalidPrefix(s)
		} else {
			b.WriteString(s[:n])
		}
		s = s[n:]
	}
	return b.String()
}

// invalidPrefix is the length of the maximal subpart of the ill-formed
// sequence at the start of s (Unicode 3.9, "U+FFFD substitution").
func invalidPrefix(s string) int {
	lo, hi, need := byte(0x80), byte(0xBF), 0
	switch c := s[0]; {
	case c >= 0xC2 && c <= 0xDF:
		need = 1
	case c == 0xE0:
		need, lo = 2, 0xA0
	case c == 0xED:
		need, hi = 2, 0x9F
	case c >= 0xE1 && c <= 0xEF:
		need = 2
	case c == 0xF0:
		need, lo = 3, 0x90
	case c == 0xF4:
		need, hi = 3, 0x8F
	case c >= 0xF1 && c <= 0xF3:
		need = 3
	}
	n := 1
	for ; n <= need && n < len(s) && s[n] >= lo && s[n] <= hi; n++ {
		lo, hi = 0x80, 0xBF
	}
	return n
}

// ---- text/template with docker's functions ----

func fillTemplate(f *templateFile) error {
	for i := range f.Cases {
		if err := runTemplate(&f.Cases[i], false); err != nil {
			return err
		}
	}
	for i := range f.MissingKeyCases {
		if err := runTemplate(&f.MissingKeyCases[i], true); err != nil {
			return err
		}
	}
	return nil
}

func runTemplate(c *templateCase, missingKeyError bool) error {
	data, err := decodeData(c.Data)
	if err != nil {
		return fmt.Errorf("case %q: data: %w", c.Template, err)
	}
	var out strings.Builder
	tmpl, err := templates.Parse(c.Template)
	if err == nil {
		if missingKeyError {
			tmpl.Option("missingkey=error")
		}
		err = tmpl.Execute(&out, data) // keeps the output written before an error
	}
	c.Output, c.Error = lossy(out.String()), errString(err)
	return nil
}

func errString(err error) string {
	if err == nil {
		return ""
	}
	return lossy(err.Error())
}

// ---- fmt.Sprintf ----

func fillSprintf(f *sprintfFile) error {
	for i := range f.Cases {
		c := &f.Cases[i]
		v, err := decodeData(c.Args)
		args, ok := v.([]any)
		if err != nil || !ok {
			return fmt.Errorf("case %q: args must be a JSON list: %v", c.Format, err)
		}
		c.Output = lossy(fmt.Sprintf(c.Format, args...))
	}
	return nil
}

// ---- docker/cli's formatter: --format, table keyword, header, tabwriter ----

// rowMap is a JSON object row. formatter.Context.Write only accepts rows
// that implement formatter.SubContext, so the plain map is given that method
// here; templates look fields up in it exactly as in a map[string]any (only
// a {{printf "%T" .}} of the row itself would show the name main.rowMap).
type rowMap map[string]any

func (rowMap) FullHeader() any { return nil }

func fillRender(f *renderFile) error {
	for i := range f.Cases {
		c := &f.Cases[i]
		header, err := decodeData(c.Header)
		if err != nil {
			return fmt.Errorf("case %q: header: %w", c.Format, err)
		}
		v, err := decodeData(c.Rows)
		list, ok := v.([]any)
		if err != nil || !ok {
			return fmt.Errorf("case %q: rows must be a JSON list: %v", c.Format, err)
		}
		rows := make([]formatter.SubContext, len(list))
		for j, r := range list {
			switch r := r.(type) {
			case map[string]any:
				rows[j] = rowMap(r)
			case *T:
				rows[j] = r
			default:
				return fmt.Errorf("case %q: a row must be an object or a $T, not %T", c.Format, r)
			}
		}
		// What every docker "ls" command does (e.g. ContainerWrite in
		// docker/cli cli/command/formatter/container.go): Context.Write with
		// the header context and one format call per row.
		var out bytes.Buffer
		ctx := formatter.Context{Output: &out, Format: formatter.Format(c.Format)}
		err = ctx.Write(&formatter.HeaderContext{Header: header}, func(format func(formatter.SubContext) error) error {
			for _, row := range rows {
				if err := format(row); err != nil {
					return err
				}
			}
			return nil
		})
		c.Output, c.Error = lossy(out.String()), errString(err)
	}
	return nil
}

// ---- tabwriters ----

func fillTabwriter(f *tabwriterFile) error {
	for i := range f.Cases {
		c := &f.Cases[i]
		if len(c.PadChar) != 1 {
			return fmt.Errorf("case %q: padchar must be one byte", c.Input)
		}
		var out bytes.Buffer
		var w interface {
			io.Writer
			Flush() error
		}
		if c.Docker {
			w = dockertabwriter.NewWriter(&out, c.MinWidth, c.TabWidth, c.Padding, c.PadChar[0], 0)
		} else {
			w = tabwriter.NewWriter(&out, c.MinWidth, c.TabWidth, c.Padding, c.PadChar[0], 0)
		}
		if _, err := io.WriteString(w, c.Input); err != nil {
			return err
		}
		if err := w.Flush(); err != nil {
			return err
		}
		c.Output = lossy(out.String())
	}
	return nil
}

// ---- docker/go-units ----

func fillUnits(f *unitsFile) {
	for i := range f.HumanDuration {
		c := &f.HumanDuration[i]
		c.Output = units.HumanDuration(time.Duration(c.Nanos))
	}
	for i := range f.HumanSizeWithPrecision {
		c := &f.HumanSizeWithPrecision[i]
		c.Output = units.HumanSizeWithPrecision(c.Size, c.Precision)
	}
	for i := range f.BytesSize {
		c := &f.BytesSize[i]
		c.Output = units.BytesSize(c.Size)
	}
}

// ---- test data: the Go side of src/gotmpl/testutil.rs ----

// T is the Go test type; the Rust twin is testutil::t_struct ("*main.T").
type T struct {
	A string
	B int
	C any
	L any
}

func (t *T) Label(key string) string { return "label:" + key }
func (t *T) Hello() string           { return "hello " + t.A }
func (t *T) Err() (string, error)    { return "", errors.New("boom") }

// FullHeader makes a *T usable as a row of formatter.Context.Write.
func (t *T) FullHeader() any { return nil }

// decodeData turns a case's JSON into Go values the way testutil::data does
// on the Rust side: integers that fit int64 are int, other numbers float64,
// {"$f": x} is a float64 (x may be "Inf", "-Inf" or "NaN"), {"$T": {...}}
// is a *T, {"$strmap": {...}} a map[string]string, other objects
// map[string]any and arrays []any.
func decodeData(s string) (any, error) {
	dec := json.NewDecoder(strings.NewReader(s))
	dec.UseNumber()
	var v any
	if err := dec.Decode(&v); err != nil {
		return nil, err
	}
	if dec.More() {
		return nil, errors.New("trailing data after the JSON value")
	}
	return convert(v)
}

func convert(j any) (any, error) {
	switch j := j.(type) {
	case json.Number:
		return number(j)
	case []any:
		list := make([]any, len(j))
		for i, e := range j {
			v, err := convert(e)
			if err != nil {
				return nil, err
			}
			list[i] = v
		}
		return list, nil
	case map[string]any:
		if f, ok := j["$f"]; ok {
			return special(f)
		}
		if t, ok := j["$T"]; ok {
			return newT(t)
		}
		if m, ok := j["$strmap"]; ok {
			obj, ok := m.(map[string]any)
			if !ok {
				return nil, errors.New("$strmap must hold an object")
			}
			sm := make(map[string]string, len(obj))
			for k, v := range obj {
				if sm[k], ok = v.(string); !ok {
					return nil, fmt.Errorf("$strmap value %q is not a string", k)
				}
			}
			return sm, nil
		}
		m := make(map[string]any, len(j))
		for k, e := range j {
			v, err := convert(e)
			if err != nil {
				return nil, err
			}
			m[k] = v
		}
		return m, nil
	default: // string, bool, nil
		return j, nil
	}
}

// number follows serde_json + testutil: i64 when the literal is an integer
// that fits, else f64 (serde_json reads "-0" as the float -0.0).
func number(n json.Number) (any, error) {
	if i, err := strconv.ParseInt(string(n), 10, 64); err == nil {
		if i == 0 && strings.HasPrefix(string(n), "-") {
			return math.Copysign(0, -1), nil
		}
		return int(i), nil
	}
	return strconv.ParseFloat(string(n), 64)
}

// special reads the x of {"$f": x}.
func special(f any) (any, error) {
	switch f := f.(type) {
	case json.Number:
		return strconv.ParseFloat(string(f), 64)
	case string:
		switch f {
		case "NaN":
			return math.NaN(), nil
		case "-Inf":
			return math.Inf(-1), nil
		case "Inf":
			return math.Inf(1), nil
		}
	}
	return nil, fmt.Errorf(`bad {"$f": %v}`, f)
}

// newT builds a *T from {"A": string, "B": int, "C": any, "L": any}; a
// missing field keeps its zero value.
func newT(j any) (any, error) {
	obj, ok := j.(map[string]any)
	if !ok {
		return nil, errors.New("$T must hold an object")
	}
	t := &T{}
	for k, e := range obj {
		v, err := convert(e)
		if err != nil {
			return nil, err
		}
		switch k {
		case "A":
			t.A, ok = v.(string)
		case "B":
			t.B, ok = v.(int)
		case "C":
			t.C = v
		case "L":
			t.L = v
		default:
			ok = false
		}
		if !ok {
			return nil, fmt.Errorf("$T: bad field %s: %v", k, e)
		}
	}
	return t, nil
}
