//! TEMPORARY STUB: replaced by the real format module.
#![allow(dead_code, unused)]
use std::collections::BTreeMap;
use std::sync::Arc;
pub type Method = Arc<dyn Fn(&[Value]) -> Result<Value, String> + Send + Sync>;
pub struct Struct {
    pub type_name: String,
    pub fields: Vec<(String, Value)>,
    pub methods: Vec<(String, Method)>,
}
pub enum Value {
    Nil,
    Bool(bool),
    Int(i64),
    Float(f64),
    String(String),
    List(Vec<Value>),
    Map(BTreeMap<String, Value>),
    Struct(Arc<Struct>),
}
#[derive(Debug)]
pub struct Error(pub String);
impl std::fmt::Display for Error {
    fn fmt(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}
pub enum FormatSpec {
    Table(String),
    Json,
    Template(String),
}
pub fn parse_format(user: Option<&str>, default_table: &str) -> FormatSpec {
    FormatSpec::Table(default_table.into())
}
pub fn render(spec: &FormatSpec, headers: &Value, rows: &[Value]) -> Result<String, Error> {
    todo!()
}
pub fn render_one(t: &str, v: &Value) -> Result<String, Error> {
    todo!()
}
pub mod units {
    pub fn human_duration(d: std::time::Duration) -> String {
        todo!()
    }
    pub fn human_size_with_precision(s: f64, p: usize) -> String {
        todo!()
    }
    pub fn bytes_size(s: f64) -> String {
        todo!()
    }
}
