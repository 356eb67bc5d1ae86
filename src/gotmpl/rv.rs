//! Go's `reflect.Value` as the executor and the builtins see a value.

use super::value::Value;

/// Go's `reflect.Value`: `None` is the invalid value (a missing map key,
/// `<no value>`); `Some(Value::Nil)` is a nil interface.
pub(crate) type RV = Option<Value>;

/// Go's `indirectInterface`: a nil interface becomes invalid.
pub(crate) fn indirect(v: &RV) -> RV {
    match v {
        Some(Value::Nil) => None,
        other => other.clone(),
    }
}

/// Go's truth: false, 0, nil, and empty strings/lists/maps are false.
pub(crate) fn is_true(v: &RV) -> bool {
    match v {
        None | Some(Value::Nil) => false,
        Some(Value::Bool(b)) => *b,
        Some(Value::Int(i)) => *i != 0,
        Some(Value::Float(f)) => *f != 0.0,
        Some(Value::String(s)) => !s.is_empty(),
        Some(Value::List(l)) => !l.is_empty(),
        Some(Value::Map(m)) => !m.is_empty(),
        Some(Value::Struct(_)) => true,
    }
}
