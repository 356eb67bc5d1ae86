//! Test helpers: builds values from JSON with a few conventions matching
//! the Go programs the expectations were taken from.

use super::value::{Struct, Value};

/// `{"$f": 1.0}` is a float64 (`"Inf"`, `"-Inf"`, `"NaN"` allowed), `{"$T": {...}}` a `*main.T` (fields A, B,
/// C, L and methods Label, Hello, Err), `{"$strmap": {...}}` a
/// `map[string]string`; other JSON maps as usual.
pub fn data(json: &str) -> Value {
    conv(serde_json::from_str(json).expect("test JSON"))
}

fn conv(j: serde_json::Value) -> Value {
    use serde_json::Value as J;
    match j {
        J::Object(mut o) => {
            if let Some(f) = o.get("$f") {
                return Value::Float(match f.as_str() {
                    Some("NaN") => f64::NAN,
                    Some("-Inf") => f64::NEG_INFINITY,
                    Some(_) => f64::INFINITY,
                    None => f.as_f64().unwrap(),
                });
            }
            if let Some(J::Object(t)) = o.remove("$T") {
                let field = |name: &str, default: Value| t.get(name).cloned().map_or(default, conv);
                return t_struct(
                    field("A", Value::from("")),
                    field("B", Value::Int(0)),
                    field("C", Value::Nil),
                    field("L", Value::Nil),
                );
            }
            if let Some(m) = o.remove("$strmap") {
                return conv(m);
            }
            Value::Map(o.into_iter().map(|(k, v)| (k, conv(v))).collect())
        }
        J::Array(a) => Value::List(a.into_iter().map(conv).collect()),
        other => Value::from(other),
    }
}

/// The Rust twin of the Go test type `*main.T`.
pub fn t_struct(a: Value, b: Value, c: Value, l: Value) -> Value {
    let hello = format!("hello {a}");
    Struct::new("*main.T")
        .field("A", a)
        .field("B", b)
        .field("C", c)
        .field("L", l)
        .method("Label", 1, |args| {
            Ok(Value::String(format!("label:{}", args[0])))
        })
        .method("Hello", 0, move |_| Ok(Value::String(hello.clone())))
        .method("Err", 0, |_| Err("boom".into()))
        .into_value()
}

/// The list `key` of an oracle case file (JSON written by tools/go-oracle).
pub fn oracle_cases<T: serde::de::DeserializeOwned>(file: &str, key: &str) -> Vec<T> {
    let all: serde_json::Value = serde_json::from_str(file).expect("oracle JSON");
    let cases: Vec<T> = serde_json::from_value(all[key].clone()).expect("oracle cases");
    assert!(!cases.is_empty(), "no oracle cases loaded for {key}");
    cases
}

/// Fails listing every case that differed from Go.
#[track_caller]
pub fn assert_no_mismatches(failures: &[String]) {
    assert!(
        failures.is_empty(),
        "{} mismatches:\n{}",
        failures.len(),
        failures.join("\n")
    );
}
