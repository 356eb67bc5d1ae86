//! Functions a caller registers on a template (Go's `template.FuncMap`).

use std::borrow::Cow;
use std::collections::BTreeMap;
use std::sync::Arc;

use super::builtins::{self, Func, Kind};
use super::value::Value;

/// A parameter's Go type; arguments are converted (and type-checked) the
/// way Go's reflection converts them before calling a function.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub enum Param {
    /// `interface{}`: anything; a missing value arrives as `Value::Nil`.
    Any,
    /// `string`.
    Str,
    /// `int`.
    Int,
}

impl From<Param> for builtins::Param {
    fn from(p: Param) -> Self {
        match p {
            Param::Any => builtins::Param::Any,
            Param::Str => builtins::Param::Str,
            Param::Int => builtins::Param::Int,
        }
    }
}

/// Named functions callable from templates. Registered names shadow
/// text/template's builtins, as in Go.
#[derive(Clone, Default)]
pub struct FuncMap {
    funcs: BTreeMap<String, Arc<Func>>,
}

impl FuncMap {
    pub fn new() -> Self {
        Self::default()
    }

    /// Registers `name` taking exactly `params`. An `Err` from `body`
    /// becomes Go's `error calling NAME: …` execution error.
    pub fn add(
        &mut self,
        name: &str,
        params: &[Param],
        body: impl Fn(&[Value]) -> Result<Value, String> + Send + Sync + 'static,
    ) -> &mut Self {
        let func = Func {
            params: Cow::Owned(params.iter().map(|&p| p.into()).collect()),
            variadic: None,
            kind: Kind::Registered(Arc::new(body)),
        };
        self.funcs.insert(name.to_string(), Arc::new(func));
        self
    }

    /// This map with `other`'s functions added (and taking precedence).
    pub fn merged(&self, other: &FuncMap) -> FuncMap {
        let mut out = self.clone();
        out.funcs
            .extend(other.funcs.iter().map(|(k, v)| (k.clone(), v.clone())));
        out
    }

    pub(crate) fn get(&self, name: &str) -> Option<&Func> {
        self.funcs.get(name).map(|f| f.as_ref())
    }

    /// Registered or builtin.
    pub(crate) fn resolve(&self, name: &str) -> Option<&Func> {
        self.get(name).or_else(|| builtins::builtin(name))
    }
}

impl std::fmt::Debug for FuncMap {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_set().entries(self.funcs.keys()).finish()
    }
}
