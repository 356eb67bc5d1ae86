//! A Go `text/template` engine with docker's template functions.
//!
//! Templates are parsed with an empty name, as docker does, so messages
//! read `template: :1:2: executing "" at <.Foo>: …`.

mod ast;
mod compare;
mod exec;
mod funcs;
mod lex;
mod number;
mod parse;
mod token;

use std::collections::HashMap;

pub use funcs::FuncSet;

use super::value::Value;

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
    missing_key_error: bool,
}

impl Template {
    /// Parses `text` with docker's function map (`templates.Parse`).
    pub fn parse(text: &str) -> Result<Template, Error> {
        Self::parse_named("", text)
    }

    /// Parses with a template name (used in error messages).
    pub fn parse_named(name: &str, text: &str) -> Result<Template, Error> {
        let parsed = parse::parse(name, text).map_err(Error::Parse)?;
        Ok(Template {
            name: name.to_string(),
            text: text.to_string(),
            root: parsed.root,
            defs: parsed.defs,
            missing_key_error: false,
        })
    }

    /// Go's `Option("missingkey=error")`: a missing map key is an error
    /// instead of `<no value>` (docker's inspect fallback uses this).
    pub fn missing_key_error(mut self, on: bool) -> Self {
        self.missing_key_error = on;
        self
    }

    /// Executes against `data`, appending to `out`. On error, output
    /// produced before the failure stays in `out`, as with Go.
    pub fn execute(&self, data: &Value, out: &mut String) -> Result<(), Error> {
        self.execute_with(data, out, FuncSet::Basic)
    }

    /// Executes with the given function set (docker's header functions
    /// for table headers).
    pub fn execute_with(
        &self,
        data: &Value,
        out: &mut String,
        funcs: FuncSet,
    ) -> Result<(), Error> {
        exec::execute(self, data, out, funcs).map_err(Error::Exec)
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

#[cfg(test)]
mod tests;

#[cfg(test)]
mod tests_go;
