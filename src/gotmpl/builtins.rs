//! text/template's builtin functions (`and`, `or`, `index`, `printf`,
//! `eq`, ...), and the representation shared with registered functions.

use std::borrow::Cow;
use std::sync::Arc;

use super::compare::{eq, ge, gt, le, lt, ne};
use super::rv::{RV, indirect, is_true};
use crate::gotmpl::gofmt::{self, quote::is_print};
use crate::gotmpl::value::Value;

/// How an argument is converted before the call, mirroring the Go
/// parameter type of the function.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub(crate) enum Param {
    /// `interface{}`: missing values become nil.
    Any,
    /// `reflect.Value`: missing values stay invalid (builtins inspect them).
    Value,
    Str,
    Int,
    /// No conversion (chain receivers).
    Untyped,
}

impl Param {
    pub fn go_name(self) -> &'static str {
        match self {
            Param::Any | Param::Untyped => "interface {}",
            Param::Value => "reflect.Value",
            Param::Str => "string",
            Param::Int => "int",
        }
    }
}

pub(crate) type Impl = fn(&[RV]) -> Result<RV, String>;

/// The body of a function registered through a `FuncMap`.
pub(crate) type Body = Arc<dyn Fn(&[Value]) -> Result<Value, String> + Send + Sync>;

pub(crate) enum Kind {
    And,
    Or,
    Call,
    Plain(Impl),
    Registered(Body),
}

pub(crate) struct Func {
    pub params: Cow<'static, [Param]>,
    pub variadic: Option<Param>,
    pub kind: Kind,
}

use Param::{Any, Str, Value as V};

const fn f(params: &'static [Param], variadic: Option<Param>, i: Impl) -> Func {
    Func {
        params: Cow::Borrowed(params),
        variadic,
        kind: Kind::Plain(i),
    }
}

static BUILTINS: &[(&str, Func)] = &[
    (
        "and",
        Func {
            params: Cow::Borrowed(&[V]),
            variadic: Some(V),
            kind: Kind::And,
        },
    ),
    (
        "or",
        Func {
            params: Cow::Borrowed(&[V]),
            variadic: Some(V),
            kind: Kind::Or,
        },
    ),
    (
        "call",
        Func {
            params: Cow::Borrowed(&[V]),
            variadic: Some(V),
            kind: Kind::Call,
        },
    ),
    (
        "html",
        f(&[], Some(Any), |a| Ok(s(html_escape(&eval_args(a))))),
    ),
    ("js", f(&[], Some(Any), |a| Ok(s(js_escape(&eval_args(a)))))),
    (
        "urlquery",
        f(&[], Some(Any), |a| Ok(s(query_escape(&eval_args(a))))),
    ),
    ("index", f(&[V], Some(V), index)),
    ("slice", f(&[V], Some(V), slice)),
    ("len", f(&[V], None, length)),
    ("not", f(&[V], None, |a| Ok(b(!is_true(&a[0]))))),
    (
        "print",
        f(&[], Some(Any), |a| Ok(s(gofmt::sprint(&vals(a))))),
    ),
    (
        "printf",
        f(&[Str], Some(Any), |a| {
            Ok(s(gofmt::sprintf(&text(&a[0]), &vals(&a[1..]))))
        }),
    ),
    (
        "println",
        f(&[], Some(Any), |a| Ok(s(gofmt::sprintln(&vals(a))))),
    ),
    ("eq", f(&[V], Some(V), |a| eq(&a[0], &a[1..]).map(b))),
    ("ne", f(&[V, V], None, |a| ne(&a[0], &a[1]).map(b))),
    ("lt", f(&[V, V], None, |a| lt(&a[0], &a[1]).map(b))),
    ("le", f(&[V, V], None, |a| le(&a[0], &a[1]).map(b))),
    ("gt", f(&[V, V], None, |a| gt(&a[0], &a[1]).map(b))),
    ("ge", f(&[V, V], None, |a| ge(&a[0], &a[1]).map(b))),
];

/// A builtin by name.
pub(crate) fn builtin(name: &str) -> Option<&'static Func> {
    BUILTINS.iter().find(|(n, _)| *n == name).map(|(_, f)| f)
}

fn s(text: String) -> RV {
    Some(Value::String(text))
}

fn b(v: bool) -> RV {
    Some(Value::Bool(v))
}

/// A string argument (already type-checked by the caller).
fn text(v: &RV) -> String {
    match v {
        Some(Value::String(s)) => s.clone(),
        _ => String::new(),
    }
}

fn vals(a: &[RV]) -> Vec<Value> {
    a.iter().map(|v| v.clone().unwrap_or_default()).collect()
}

/// text/template's `evalArgs`: a lone string as is, otherwise Sprint of
/// the printable forms (nil shows as `<no value>`, structs dereferenced).
fn eval_args(a: &[RV]) -> String {
    if let [Some(Value::String(s))] = a {
        return s.clone();
    }
    let printable: Vec<Value> = a
        .iter()
        .map(|v| match v {
            None | Some(Value::Nil) => Value::String("<no value>".into()),
            Some(v) => v.clone(),
        })
        .collect();
    gofmt::sprint_deref(&printable)
}

fn html_escape(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '\0' => out.push('\u{fffd}'),
            '"' => out.push_str("&#34;"),
            '\'' => out.push_str("&#39;"),
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            _ => out.push(c),
        }
    }
    out
}

fn js_escape(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '\\' => out.push_str("\\\\"),
            '\'' => out.push_str("\\'"),
            '"' => out.push_str("\\\""),
            '<' => out.push_str("\\u003C"),
            '>' => out.push_str("\\u003E"),
            '&' => out.push_str("\\u0026"),
            '=' => out.push_str("\\u003D"),
            c if (c as u32) < 0x20 => out.push_str(&format!("\\u00{:02X}", c as u32)),
            c if c.is_ascii() || is_print(c) => out.push(c),
            c => out.push_str(&format!("\\u{:04X}", c as u32)),
        }
    }
    out
}

/// `url.QueryEscape`.
fn query_escape(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for &byte in s.as_bytes() {
        match byte {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' | b'~' => {
                out.push(byte as char)
            }
            b' ' => out.push('+'),
            _ => out.push_str(&format!("%{byte:02X}")),
        }
    }
    out
}

fn index_arg(i: &RV, cap: usize) -> Result<usize, String> {
    match indirect(i) {
        Some(Value::Int(x)) => {
            if x < 0 || x as u64 > cap as u64 {
                Err(format!("index out of range: {x}"))
            } else {
                Ok(x as usize)
            }
        }
        None => Err("cannot index slice/array with nil".into()),
        Some(v) => Err(format!(
            "cannot index slice/array with type {}",
            v.go_type()
        )),
    }
}

fn index(a: &[RV]) -> Result<RV, String> {
    let Some(mut item) = indirect(&a[0]) else {
        return Err("index of untyped nil".into());
    };
    for i in &a[1..] {
        item = match item {
            Value::Nil => return Err("index of nil pointer".into()),
            Value::List(l) => {
                let x = index_arg(i, l.len())?;
                l.get(x)
                    .cloned()
                    .ok_or("reflect: slice index out of range")?
            }
            Value::String(s) => {
                let x = index_arg(i, s.len())?;
                Value::Int(
                    *s.as_bytes()
                        .get(x)
                        .ok_or("reflect: string index out of range")? as i64,
                )
            }
            Value::Map(m) => match indirect(i) {
                Some(Value::String(k)) => m.get(&k).cloned().unwrap_or(Value::Nil),
                None => return Err("value is nil; should be of type string".into()),
                Some(k) => return Err(format!("value has type {}; should be string", k.go_type())),
            },
            other => return Err(format!("can't index item of type {}", deref_type(&other))),
        };
    }
    Ok(Some(item))
}

/// Type name after dereferencing a struct pointer.
fn deref_type(v: &Value) -> String {
    v.go_type().trim_start_matches('*').to_string()
}

fn slice(a: &[RV]) -> Result<RV, String> {
    let Some(item) = indirect(&a[0]) else {
        return Err("slice of untyped nil".into());
    };
    let indexes = &a[1..];
    if indexes.len() > 3 {
        return Err(format!("too many slice indexes: {}", indexes.len()));
    }
    let len = match &item {
        Value::String(s) => {
            if indexes.len() == 3 {
                return Err("cannot 3-index slice a string".into());
            }
            s.len()
        }
        Value::List(l) => l.len(),
        Value::Nil => return Err("slice of nil pointer".into()),
        other => return Err(format!("can't slice item of type {}", deref_type(other))),
    };
    let mut idx = [0, len, 0];
    for (k, i) in indexes.iter().enumerate() {
        idx[k] = index_arg(i, len)?;
    }
    if idx[0] > idx[1] {
        return Err(format!("invalid slice index: {} > {}", idx[0], idx[1]));
    }
    if indexes.len() == 3 && idx[1] > idx[2] {
        return Err(format!("invalid slice index: {} > {}", idx[1], idx[2]));
    }
    Ok(Some(match item {
        Value::String(s) => {
            Value::String(String::from_utf8_lossy(&s.as_bytes()[idx[0]..idx[1]]).into_owned())
        }
        Value::List(l) => Value::List(l[idx[0]..idx[1]].to_vec()),
        _ => unreachable!(),
    }))
}

fn length(a: &[RV]) -> Result<RV, String> {
    let n = match &a[0] {
        None => return Err("reflect: call of reflect.Value.Type on zero Value".into()),
        Some(Value::Nil) => return Err("len of nil pointer".into()),
        Some(Value::String(s)) => s.len(),
        Some(Value::List(l)) => l.len(),
        Some(Value::Map(m)) => m.len(),
        Some(v) => return Err(format!("len of type {}", deref_type(v))),
    };
    Ok(Some(Value::Int(n as i64)))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escapers() {
        assert_eq!(query_escape("a b&c=d/é"), "a+b%26c%3Dd%2F%C3%A9");
        assert_eq!(
            js_escape("<a href='x'>\n"),
            "\\u003Ca href\\u003D\\'x\\'\\u003E\\u000A"
        );
        assert_eq!(
            html_escape("<a href=\"x\">'&"),
            "&lt;a href=&#34;x&#34;&gt;&#39;&amp;"
        );
    }
}
