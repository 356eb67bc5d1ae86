//! text/template's comparison builtins (`eq`, `lt`, …) with Go's
//! basic-kind rules: values of different kinds never compare (except nil).

use std::sync::Arc;

use super::rv::{RV, indirect};
use crate::gotmpl::gofmt::sprintf;
use crate::gotmpl::value::Value;

#[derive(PartialEq, Eq, Clone, Copy)]
enum Kind {
    Bool,
    Int,
    Float,
    String,
}

fn basic_kind(v: &RV) -> Option<Kind> {
    match v {
        Some(Value::Bool(_)) => Some(Kind::Bool),
        Some(Value::Int(_)) => Some(Kind::Int),
        Some(Value::Float(_)) => Some(Kind::Float),
        Some(Value::String(_)) => Some(Kind::String),
        _ => None,
    }
}

fn type_of(v: &RV) -> String {
    v.as_ref().map_or("<nil>".into(), Value::go_type)
}

/// Go's reflect kind, for the "non-comparable" checks on composite values.
fn reflect_kind(v: &Value) -> u8 {
    match v {
        Value::List(_) => 1,
        Value::Map(_) => 2,
        Value::Struct(_) => 3,
        _ => 0,
    }
}

fn incompatible(a: &RV, b: &RV) -> String {
    format!(
        "incompatible types for comparison: {} and {}",
        type_of(a),
        type_of(b)
    )
}

/// `eq arg1 arg2…`: true if arg1 equals any of the others.
pub(super) fn eq(arg1: &RV, others: &[RV]) -> Result<bool, String> {
    let a1 = indirect(arg1);
    if others.is_empty() {
        return Err("missing argument for comparison".into());
    }
    let k1 = basic_kind(&a1);
    for arg in others {
        let a = indirect(arg);
        let k2 = basic_kind(&a);
        let truth = if k1 != k2 {
            if a1.is_some() && a.is_some() {
                return Err(incompatible(&a1, &a));
            }
            false
        } else {
            match (&a1, &a) {
                (Some(Value::Bool(x)), Some(Value::Bool(y))) => x == y,
                (Some(Value::Int(x)), Some(Value::Int(y))) => x == y,
                (Some(Value::Float(x)), Some(Value::Float(y))) => x == y,
                (Some(Value::String(x)), Some(Value::String(y))) => x == y,
                (Some(x), Some(y)) => {
                    if reflect_kind(x) != reflect_kind(y) {
                        return Err(format!(
                            "non-comparable types {}: {}, {}: {}",
                            sprintf("%s", std::slice::from_ref(x)),
                            x.go_type(),
                            y.go_type(),
                            sprintf("%v", std::slice::from_ref(y)),
                        ));
                    }
                    match (x, y) {
                        (Value::Struct(p), Value::Struct(q)) => Arc::ptr_eq(p, q),
                        _ => {
                            return Err(format!(
                                "non-comparable type {}: {}",
                                sprintf("%s", std::slice::from_ref(y)),
                                y.go_type()
                            ));
                        }
                    }
                }
                // Invalid values (missing or nil) equal only each other.
                _ => a1.is_none() == a.is_none(),
            }
        };
        if truth {
            return Ok(true);
        }
    }
    Ok(false)
}

pub(super) fn ne(a: &RV, b: &RV) -> Result<bool, String> {
    eq(a, std::slice::from_ref(b)).map(|e| !e)
}

pub(super) fn lt(arg1: &RV, arg2: &RV) -> Result<bool, String> {
    let (a, b) = (indirect(arg1), indirect(arg2));
    let bad = || "invalid type for comparison".to_string();
    let k1 = basic_kind(&a).ok_or_else(bad)?;
    let k2 = basic_kind(&b).ok_or_else(bad)?;
    if k1 != k2 {
        return Err(incompatible(&a, &b));
    }
    Ok(match (a, b) {
        (Some(Value::Int(x)), Some(Value::Int(y))) => x < y,
        (Some(Value::Float(x)), Some(Value::Float(y))) => x < y,
        (Some(Value::String(x)), Some(Value::String(y))) => x < y,
        _ => return Err(bad()),
    })
}

pub(super) fn le(a: &RV, b: &RV) -> Result<bool, String> {
    if lt(a, b)? {
        return Ok(true);
    }
    eq(a, std::slice::from_ref(b))
}

pub(super) fn gt(a: &RV, b: &RV) -> Result<bool, String> {
    le(a, b).map(|v| !v)
}

pub(super) fn ge(a: &RV, b: &RV) -> Result<bool, String> {
    lt(a, b).map(|v| !v)
}
