//! The data model templates run against.
//!
//! It mirrors what docker feeds text/template: JSON-like data
//! (`map[string]interface{}`, `[]interface{}`, scalars) plus struct pointers
//! whose methods can be called from templates (`{{.Label "key"}}`).

use std::collections::BTreeMap;
use std::fmt;
use std::sync::Arc;

/// A template value.
#[derive(Clone, Default)]
pub enum Value {
    /// A nil interface (JSON null).
    #[default]
    Nil,
    Bool(bool),
    /// Go `int`.
    Int(i64),
    /// Go `float64`.
    Float(f64),
    String(String),
    /// Go `[]interface{}`.
    List(Vec<Value>),
    /// Go `map[string]interface{}`; iteration and printing use sorted keys.
    Map(BTreeMap<String, Value>),
    /// A pointer to a Go struct.
    Struct(Arc<Struct>),
}

/// The body of a method: receives the evaluated arguments.
pub type MethodFn = Arc<dyn Fn(&[Value]) -> Result<Value, String> + Send + Sync>;

/// A method callable from a template as `.Name arg…`.
#[derive(Clone)]
pub struct Method {
    /// Number of parameters; `None` accepts any number (Go variadic).
    pub arity: Option<usize>,
    pub func: MethodFn,
}

impl Method {
    pub fn new(
        arity: usize,
        f: impl Fn(&[Value]) -> Result<Value, String> + Send + Sync + 'static,
    ) -> Self {
        Method {
            arity: Some(arity),
            func: Arc::new(f),
        }
    }

    pub fn variadic(f: impl Fn(&[Value]) -> Result<Value, String> + Send + Sync + 'static) -> Self {
        Method {
            arity: None,
            func: Arc::new(f),
        }
    }
}

/// A Go struct (accessed through a pointer, as docker's format contexts are).
pub struct Struct {
    /// Go type as it appears in error messages, e.g. `*formatter.ContainerContext`.
    pub type_name: String,
    /// Exported fields in declaration order.
    pub fields: Vec<(String, Value)>,
    pub methods: Vec<(String, Method)>,
}

impl Struct {
    pub fn new(type_name: impl Into<String>) -> Self {
        Struct {
            type_name: type_name.into(),
            fields: Vec::new(),
            methods: Vec::new(),
        }
    }

    /// Builder: adds a field.
    pub fn field(mut self, name: impl Into<String>, value: impl Into<Value>) -> Self {
        self.fields.push((name.into(), value.into()));
        self
    }

    /// Builder: adds a method taking exactly `arity` arguments.
    pub fn method(
        mut self,
        name: impl Into<String>,
        arity: usize,
        f: impl Fn(&[Value]) -> Result<Value, String> + Send + Sync + 'static,
    ) -> Self {
        self.methods.push((name.into(), Method::new(arity, f)));
        self
    }

    pub fn get_field(&self, name: &str) -> Option<&Value> {
        self.fields.iter().find(|(n, _)| n == name).map(|(_, v)| v)
    }

    pub fn get_method(&self, name: &str) -> Option<&Method> {
        self.methods.iter().find(|(n, _)| n == name).map(|(_, m)| m)
    }

    pub fn into_value(self) -> Value {
        Value::Struct(Arc::new(self))
    }
}

impl fmt::Debug for Struct {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let mut d = f.debug_struct(&self.type_name);
        for (name, v) in &self.fields {
            d.field(name, v);
        }
        d.finish_non_exhaustive()
    }
}

impl fmt::Debug for Value {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Value::Nil => f.write_str("Nil"),
            Value::Bool(b) => write!(f, "Bool({b})"),
            Value::Int(i) => write!(f, "Int({i})"),
            Value::Float(x) => write!(f, "Float({x:?})"),
            Value::String(s) => write!(f, "String({s:?})"),
            Value::List(l) => f.debug_list().entries(l).finish(),
            Value::Map(m) => f.debug_map().entries(m).finish(),
            Value::Struct(s) => s.fmt(f),
        }
    }
}

impl PartialEq for Value {
    fn eq(&self, other: &Self) -> bool {
        match (self, other) {
            (Value::Nil, Value::Nil) => true,
            (Value::Bool(a), Value::Bool(b)) => a == b,
            (Value::Int(a), Value::Int(b)) => a == b,
            (Value::Float(a), Value::Float(b)) => a == b,
            (Value::String(a), Value::String(b)) => a == b,
            (Value::List(a), Value::List(b)) => a == b,
            (Value::Map(a), Value::Map(b)) => a == b,
            (Value::Struct(a), Value::Struct(b)) => {
                Arc::ptr_eq(a, b) || (a.type_name == b.type_name && a.fields == b.fields)
            }
            _ => false,
        }
    }
}

impl Value {
    /// The Go type name used in error messages and `%T`.
    pub fn go_type(&self) -> String {
        match self {
            Value::Nil => "interface {}".into(),
            Value::Bool(_) => "bool".into(),
            Value::Int(_) => "int".into(),
            Value::Float(_) => "float64".into(),
            Value::String(_) => "string".into(),
            Value::List(_) => "[]interface {}".into(),
            Value::Map(_) => "map[string]interface {}".into(),
            Value::Struct(s) => s.type_name.clone(),
        }
    }

    /// Converts to JSON: structs become objects of their fields in order
    /// (methods are not serialised); non-finite floats become null.
    pub fn to_json(&self) -> serde_json::Value {
        use serde_json::Value as J;
        match self {
            Value::Nil => J::Null,
            Value::Bool(b) => J::Bool(*b),
            Value::Int(i) => J::from(*i),
            Value::Float(x) => serde_json::Number::from_f64(*x).map_or(J::Null, J::Number),
            Value::String(s) => J::String(s.clone()),
            Value::List(l) => J::Array(l.iter().map(Value::to_json).collect()),
            Value::Map(m) => J::Object(m.iter().map(|(k, v)| (k.clone(), v.to_json())).collect()),
            Value::Struct(s) => J::Object(
                s.fields
                    .iter()
                    .map(|(k, v)| (k.clone(), v.to_json()))
                    .collect(),
            ),
        }
    }
}

impl From<serde_json::Value> for Value {
    fn from(j: serde_json::Value) -> Self {
        use serde_json::Value as J;
        match j {
            J::Null => Value::Nil,
            J::Bool(b) => Value::Bool(b),
            J::Number(n) => match n.as_i64() {
                Some(i) => Value::Int(i),
                None => Value::Float(n.as_f64().unwrap_or(f64::NAN)),
            },
            J::String(s) => Value::String(s),
            J::Array(a) => Value::List(a.into_iter().map(Value::from).collect()),
            J::Object(o) => Value::Map(o.into_iter().map(|(k, v)| (k, Value::from(v))).collect()),
        }
    }
}

impl From<&str> for Value {
    fn from(s: &str) -> Self {
        Value::String(s.to_string())
    }
}

impl From<String> for Value {
    fn from(s: String) -> Self {
        Value::String(s)
    }
}

impl From<bool> for Value {
    fn from(b: bool) -> Self {
        Value::Bool(b)
    }
}

macro_rules! from_int {
    ($($t:ty),*) => {$(
        impl From<$t> for Value {
            fn from(i: $t) -> Self {
                Value::Int(i as i64)
            }
        }
    )*};
}
from_int!(i8, i16, i32, i64, u8, u16, u32, u64, usize, isize);

impl From<f64> for Value {
    fn from(x: f64) -> Self {
        Value::Float(x)
    }
}

impl From<Struct> for Value {
    fn from(s: Struct) -> Self {
        s.into_value()
    }
}

impl<T: Into<Value>> From<Vec<T>> for Value {
    fn from(v: Vec<T>) -> Self {
        Value::List(v.into_iter().map(Into::into).collect())
    }
}

impl<T: Into<Value>> From<BTreeMap<String, T>> for Value {
    fn from(m: BTreeMap<String, T>) -> Self {
        Value::Map(m.into_iter().map(|(k, v)| (k, v.into())).collect())
    }
}

impl<T: Into<Value>> From<Option<T>> for Value {
    fn from(o: Option<T>) -> Self {
        o.map_or(Value::Nil, Into::into)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn display_like_go_percent_v() {
        assert_eq!(Value::Nil.to_string(), "<nil>");
        assert_eq!(Value::from(vec!["a", "b", "c"]).to_string(), "[a b c]");
        let j: Value = serde_json::json!({"b": 2, "a": [1, null], "c": {"x": true}}).into();
        assert_eq!(j.to_string(), "map[a:[1 <nil>] b:2 c:map[x:true]]");
        assert_eq!(Value::Float(1e6).to_string(), "1e+06");
        assert_eq!(Value::Float(0.5).to_string(), "0.5");
        assert_eq!(Value::Float(3.0).to_string(), "3");
        let s = Struct::new("*T").field("A", "x").field("B", 2).into_value();
        assert_eq!(s.to_string(), "{x 2}");
    }

    #[test]
    fn json_round_trip() {
        let j = serde_json::json!({"z": 1, "a": [1.5, "s", null, false]});
        let v = Value::from(j.clone());
        assert_eq!(
            v.to_json(),
            serde_json::json!({"a": [1.5, "s", null, false], "z": 1})
        );
        let s = Struct::new("*T")
            .field("Z", 1)
            .field("A", "x")
            .method("M", 0, |_| Ok(Value::Nil))
            .into_value();
        assert_eq!(
            serde_json::to_string(&s.to_json()).unwrap(),
            r#"{"Z":1,"A":"x"}"#
        );
    }
}
