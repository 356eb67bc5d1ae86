//! docker's `--format` layer on top of the generic Go template engine
//! (`crate::gotmpl`): docker's template functions, the `table`/`json`
//! keywords, docker's tabwriter and human-readable units, reproducing
//! docker's output byte for byte.
//!
//! Front end (docker/cli `cli/command/formatter`):
//! - `--format ""` or `table` → the command's default table;
//! - `table TEMPLATE` → header row plus one row per item, aligned by the
//!   tabwriter (min width 10, padding 3);
//! - `json` → one JSON object per line;
//! - anything else → the raw template once per item, each followed by "\n".

mod funcs;
mod row;
mod tabwriter;
pub mod units;
mod width;

use crate::gotmpl::{self, Template};
pub use crate::gotmpl::{Method, Struct, Value};
pub use row::{Field, Row, RowMethod, value as row_value};
pub use tabwriter::TabWriter;

/// A formatting failure; docker prefixes template errors this way.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum Error {
    #[error("template parsing error: {0}")]
    Template(#[from] gotmpl::Error),
}

/// The kind of output a `--format` value asks for.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum FormatSpec {
    /// A table; holds the template text after the `table` keyword.
    Table(String),
    /// One JSON object per row per line (`{{json .}}`).
    Json,
    /// A raw template executed per row.
    Template(String),
}

const TABLE_KEY: &str = "table";

/// Interprets a `--format` value; `default_table` is the command's default
/// format (normally starting with `table`).
pub fn parse_format(user: Option<&str>, default_table: &str) -> FormatSpec {
    let format = match user {
        None | Some("") | Some(TABLE_KEY) => default_table,
        Some(f) => f,
    };
    // Like docker, any prefix "table" makes a table ("tablefoo" too).
    if let Some(rest) = format.strip_prefix(TABLE_KEY) {
        return FormatSpec::Table(rest.to_string());
    }
    if format == "json" {
        return FormatSpec::Json;
    }
    FormatSpec::Template(format.to_string())
}

impl FormatSpec {
    pub fn is_table(&self) -> bool {
        matches!(self, FormatSpec::Table(_))
    }

    /// The template text docker actually parses: spaces trimmed from both
    /// ends and the two-character sequences `\t` and `\n` turned into a
    /// tab and a newline (so shells need no special quoting).
    pub fn template_text(&self) -> String {
        let raw = match self {
            FormatSpec::Table(t) | FormatSpec::Template(t) => t.as_str(),
            FormatSpec::Json => "{{json .}}",
        };
        let trimmed = raw.trim_matches(' ');
        let mut out = String::with_capacity(trimmed.len());
        let mut chars = trimmed.chars().peekable();
        while let Some(c) = chars.next() {
            match (c, chars.peek()) {
                ('\\', Some('t')) => {
                    chars.next();
                    out.push('\t');
                }
                ('\\', Some('n')) => {
                    chars.next();
                    out.push('\n');
                }
                _ => out.push(c),
            }
        }
        out
    }
}

/// Renders `rows` as docker would print them for `spec`.
///
/// For tables, `headers` (a struct or map whose fields give each column's
/// title, e.g. `ID` → `CONTAINER ID`) is executed with docker's header
/// functions; as in docker, a header execution error is ignored and the
/// header text produced up to that point is kept.
pub fn render(spec: &FormatSpec, headers: &Value, rows: &[Value]) -> Result<String, Error> {
    let tmpl = Template::parse(&spec.template_text(), &funcs::BASIC)?;
    let mut body = String::new();
    for row in rows {
        tmpl.execute(row, &mut body)?;
        body.push('\n');
    }
    if !spec.is_table() {
        return Ok(body);
    }
    let mut header = String::new();
    let _ = tmpl.execute_with(headers, &mut header, &funcs::HEADER);
    let mut tw = TabWriter::docker();
    tw.write(&header);
    tw.write("\n");
    tw.write(&body);
    Ok(tw.finish())
}

/// Renders a listing: `user_format` (or the command's `default_table`)
/// applied to typed rows, headers taken from the same row type.
pub fn render_rows<R: Row>(
    user_format: Option<&str>,
    default_table: &str,
    rows: &[R],
) -> Result<String, Error> {
    let spec = parse_format(user_format, default_table);
    let values: Vec<Value> = rows.iter().map(row::value).collect();
    render(&spec, &row::headers::<R>(), &values)
}

/// `inspect --format`: executes `template_text` (used verbatim) on one
/// value and appends a newline.
pub fn render_one(template_text: &str, value: &Value) -> Result<String, Error> {
    let mut out = Template::parse(template_text, &funcs::BASIC)?.render(value)?;
    out.push('\n');
    Ok(out)
}

#[cfg(test)]
mod tests;

#[cfg(test)]
mod tests_go;

#[cfg(test)]
mod tests_template_go;
