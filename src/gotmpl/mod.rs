//! A Go `text/template` engine with Go's `fmt` printing and
//! `encoding/json` marshalling: the machinery under docker's `--format`,
//! and nothing docker-specific. Callers add functions with a [`FuncMap`].
//!
//! Public surface: [`Template`], [`FuncMap`]/[`Param`], the data model
//! ([`Value`], [`Struct`], [`Method`]), [`Error`], and `sprint`/`json`
//! for functions that print values the way Go does.

mod ast;
mod builtins;
mod compare;
mod exec;
mod funcs;
mod gofmt;
mod json;
mod lex;
mod number;
mod parse;
mod rv;
mod token;
mod value;

use std::collections::HashMap;

pub use funcs::{FuncMap, Param};
pub use value::{Method, MethodFn, Struct, Value};

/// A template error; `Display` gives Go's message.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum Error {
    #[error("{0}")]
    Parse(String),
    #[error("{0}")]
    Exec(String),
}

/// A parsed template.
#[derive(Debug)]
pub struct Template {
    name: String,
    text: String,
    root: Vec<ast::Node>,
    defs: HashMap<String, Vec<ast::Node>>,
    funcs: FuncMap,
    missing_key_error: bool,
}

impl Template {
    /// Parses `text` under the empty name (as docker does, so messages read
    /// `template: :1:2: executing "" at <.Foo>: …`); functions outside
    /// `funcs` and the builtins are a parse error, as in Go.
    pub fn parse(text: &str, funcs: &FuncMap) -> Result<Template, Error> {
        Self::parse_named("", text, funcs)
    }

    /// Parses with a template name (used in error messages).
    pub fn parse_named(name: &str, text: &str, funcs: &FuncMap) -> Result<Template, Error> {
        let parsed = parse::parse(name, text, funcs).map_err(Error::Parse)?;
        Ok(Template {
            name: name.to_string(),
            text: text.to_string(),
            root: parsed.root,
            defs: parsed.defs,
            funcs: funcs.clone(),
            missing_key_error: false,
        })
    }

    /// Go's `Option("missingkey=error")`: a missing map key is an error
    /// instead of `<no value>`.
    pub fn missing_key_error(mut self, on: bool) -> Self {
        self.missing_key_error = on;
        self
    }

    /// Executes against `data`, appending to `out`. On error, output
    /// produced before the failure stays in `out`, as with Go.
    pub fn execute(&self, data: &Value, out: &mut String) -> Result<(), Error> {
        self.execute_with(data, out, &FuncMap::new())
    }

    /// Executes with `overrides` replacing same-named functions (Go's
    /// `tmpl.Funcs(m).Execute(…)` on an already parsed template).
    pub fn execute_with(
        &self,
        data: &Value,
        out: &mut String,
        overrides: &FuncMap,
    ) -> Result<(), Error> {
        exec::execute(self, data, out, overrides).map_err(Error::Exec)
    }

    /// Executes into a new string.
    pub fn render(&self, data: &Value) -> Result<String, Error> {
        let mut out = String::new();
        self.execute(data, &mut out)?;
        Ok(out)
    }

    fn lookup(&self, name: &str) -> Option<&[ast::Node]> {
        match self.defs.get(name) {
            Some(list) => Some(list),
            None if name == self.name => Some(&self.root),
            None => None,
        }
    }
}

/// Go's `fmt.Sprint` of the values (what `{{print}}` and `{{.}}` show).
pub fn sprint(args: &[Value]) -> String {
    gofmt::sprint(args)
}

/// Go's `json.Marshal` (HTML characters escaped when `escape_html`).
pub fn json(v: &Value, escape_html: bool) -> Result<String, String> {
    json::marshal(v, escape_html)
}

/// Go's `strconv.Quote`.
pub fn quote(s: &str) -> String {
    gofmt::quote::quote(s, false)
}

/// Go's `strconv.FormatFloat(v, 'g', prec, 64)`-style shortest form, as
/// go-units uses for human sizes.
pub fn format_g(v: f64, prec: usize) -> String {
    gofmt::float::format_g(v, prec)
}

#[cfg(test)]
pub(crate) mod testutil;

#[cfg(test)]
mod tests;
