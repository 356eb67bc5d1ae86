// Go oracle vectors: every expectation in testdata/{render,tabwriter,units}_cases.json
// is the real output of Go/docker for the same input (docker/cli's formatter,
// text/tabwriter, docker's tabwriter fork, go-units), written by
// tools/go-oracle (regenerate with scripts/gen-oracle).

use std::time::Duration;

use super::tabwriter::{TabWriter, WidthMode};
use super::units::{bytes_size, human_duration, human_size_with_precision};
use super::*;
use crate::gotmpl::testutil::{assert_no_mismatches, data, oracle_cases};

/// --format, header as JSON, rows as a JSON list, docker's output and error.
#[derive(serde::Deserialize)]
struct RenderCase {
    format: String,
    header: String,
    rows: String,
    output: String,
    error: String,
}

/// docker fork?, minwidth, tabwidth, padding, padchar, input, output.
#[derive(serde::Deserialize)]
struct TabCase {
    docker: bool,
    minwidth: usize,
    tabwidth: usize,
    padding: usize,
    padchar: String,
    input: String,
    output: String,
}

/// nanoseconds, HumanDuration.
#[derive(serde::Deserialize)]
struct DurationCase {
    nanos: u64,
    output: String,
}

/// size, precision, HumanSizeWithPrecision.
#[derive(serde::Deserialize)]
struct SizeCase {
    size: f64,
    precision: usize,
    output: String,
}

/// size, BytesSize.
#[derive(serde::Deserialize)]
struct BytesCase {
    size: f64,
    output: String,
}

const RENDER_FILE: &str = include_str!("testdata/render_cases.json");
const TAB_FILE: &str = include_str!("testdata/tabwriter_cases.json");
const UNITS_FILE: &str = include_str!("testdata/units_cases.json");

#[test]
fn render_matches_docker() {
    let mut failures = Vec::new();
    for c in oracle_cases::<RenderCase>(RENDER_FILE, "cases") {
        let (format, want_out, want_err) = (c.format.as_str(), c.output.as_str(), c.error.as_str());
        let Value::List(rows) = data(&c.rows) else {
            panic!("rows must be a list")
        };
        let spec = parse_format(Some(format), "table {{.ID}}");
        let (out, err) = match render(&spec, &data(&c.header), &rows) {
            Ok(out) => (out, String::new()),
            Err(e) => (String::new(), e.to_string()),
        };
        if out != want_out || err != want_err {
            failures.push(format!(
                "format {format:?}\n  got:  {out:?} / {err:?}\n  want: {want_out:?} / {want_err:?}"
            ));
        }
    }
    assert_no_mismatches(&failures);
}

#[test]
fn tabwriter_matches_go() {
    for c in oracle_cases::<TabCase>(TAB_FILE, "cases") {
        let (min, tab, pad, input, want) = (c.minwidth, c.tabwidth, c.padding, &c.input, &c.output);
        let padchar = c.padchar.chars().next().expect("padchar");
        let mode = if c.docker {
            WidthMode::Cells
        } else {
            WidthMode::Runes
        };
        let mut tw = TabWriter::new(min, tab, pad, padchar).width_mode(mode);
        tw.write(input);
        assert_eq!(&tw.finish(), want, "input {input:?}");
    }
}

#[test]
fn units_match_go_units() {
    for c in oracle_cases::<DurationCase>(UNITS_FILE, "human_duration") {
        let (nanos, want) = (c.nanos, c.output);
        assert_eq!(
            human_duration(Duration::from_nanos(nanos)),
            want,
            "{nanos}ns"
        );
    }
    for c in oracle_cases::<SizeCase>(UNITS_FILE, "human_size_with_precision") {
        let (size, prec, want) = (c.size, c.precision, c.output);
        assert_eq!(
            human_size_with_precision(size, prec),
            want,
            "{size} %.{prec}g"
        );
    }
    for c in oracle_cases::<BytesCase>(UNITS_FILE, "bytes_size") {
        let (size, want) = (c.size, c.output);
        assert_eq!(bytes_size(size), want, "{size}");
    }
}
