//! Template functions: text/template's builtins plus docker's FuncMap
//! (docker/cli v29 `templates/templates.go`), and docker's header variants.

use std::slice;

use super::super::gofmt::{self, quote::is_print};
use super::super::json;
use super::super::value::Value;
use super::compare::{eq, ge, gt, le, lt, ne};
use super::exec::{RV, indirect, is_true};

/// How an argument is converted before the call, mirroring the Go
/// parameter type of the function.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub(super) enum Param {
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

pub(super) type Impl = fn(&[RV]) -> Result<RV, String>;

pub(super) enum Kind {
    And,
    Or,
    Call,
    Plain(Impl),
}

pub(super) struct Func {
    pub name: &'static str,
    pub params: &'static [Param],
    pub variadic: Option<Param>,
    pub kind: Kind,
}

/// Which docker FuncMap is in effect: rows use the basic one, table
/// headers use `HeaderFunctions`, which return the header text unchanged.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub enum FuncSet {
    Basic,
    Header,
}

use Param::{Any, Int, Str, Value as V};

const fn f(name: &'static str, params: &'static [Param], variadic: Option<Param>, i: Impl) -> Func {
    Func {
        name,
        params,
        variadic,
        kind: Kind::Plain(i),
    }
}

static BUILTINS: &[Func] = &[
    Func {
        name: "and",
        params: &[V],
        variadic: Some(V),
        kind: Kind::And,
    },
    Func {
        name: "or",
        params: &[V],
        variadic: Some(V),
        kind: Kind::Or,
    },
    Func {
        name: "call",
        params: &[V],
        variadic: Some(V),
        kind: Kind::Call,
    },
    f("html", &[], Some(Any), |a| {
        Ok(s(html_escape(&eval_args(a))))
    }),
    f("js", &[], Some(Any), |a| Ok(s(js_escape(&eval_args(a))))),
    f("urlquery", &[], Some(Any), |a| {
        Ok(s(query_escape(&eval_args(a))))
    }),
    f("index", &[V], Some(V), index),
    f("slice", &[V], Some(V), slice),
    f("len", &[V], None, length),
    f("not", &[V], None, |a| Ok(b(!is_true(&a[0])))),
    f("print", &[], Some(Any), |a| Ok(s(gofmt::sprint(&vals(a))))),
    f("printf", &[Str], Some(Any), |a| {
        Ok(s(gofmt::sprintf(&text(&a[0]), &vals(&a[1..]))))
    }),
    f("println", &[], Some(Any), |a| {
        Ok(s(gofmt::sprintln(&vals(a))))
    }),
    f("eq", &[V], Some(V), |a| eq(&a[0], &a[1..]).map(b)),
    f("ne", &[V, V], None, |a| ne(&a[0], &a[1]).map(b)),
    f("lt", &[V, V], None, |a| lt(&a[0], &a[1]).map(b)),
    f("le", &[V, V], None, |a| le(&a[0], &a[1]).map(b)),
    f("gt", &[V, V], None, |a| gt(&a[0], &a[1]).map(b)),
    f("ge", &[V, V], None, |a| ge(&a[0], &a[1]).map(b)),
];

static DOCKER: &[Func] = &[
    f("json", &[Any], None, |a| {
        let v = a[0].clone().unwrap_or_default();
        json::marshal(&v, false).map(s)
    }),
    f("split", &[Str, Str], None, |a| {
        Ok(Some(split(&text(&a[0]), &text(&a[1]))))
    }),
    f("join", &[Any, Str], None, |a| {
        join(&a[0], &text(&a[1])).map(s)
    }),
    f("title", &[Str], None, |a| Ok(s(title(&text(&a[0]))))),
    f("lower", &[Str], None, |a| {
        Ok(s(map_case(&text(&a[0]), false)))
    }),
    f("upper", &[Str], None, |a| {
        Ok(s(map_case(&text(&a[0]), true)))
    }),
    f("pad", &[Str, Int, Int], None, |a| {
        pad(&text(&a[0]), int(&a[1]), int(&a[2])).map(s)
    }),
    f("truncate", &[Str, Int], None, |a| {
        truncate(&text(&a[0]), int(&a[1])).map(s)
    }),
];

/// docker's `HeaderFunctions`: keep the column title intact.
static HEADER: &[Func] = &[
    f("json", &[Str], None, first),
    f("split", &[Str, Str], None, first),
    f("join", &[Str, Str], None, first),
    f("title", &[Str], None, first),
    f("lower", &[Str], None, first),
    f("upper", &[Str], None, first),
    f("truncate", &[Str, Int], None, first),
];

pub(super) fn lookup(name: &str, set: FuncSet) -> Option<&'static Func> {
    let find = |table: &'static [Func]| table.iter().find(|f| f.name == name);
    let header = match set {
        FuncSet::Header => find(HEADER),
        FuncSet::Basic => None,
    };
    header.or_else(|| find(DOCKER)).or_else(|| find(BUILTINS))
}

/// Parse-time check that a function name exists.
pub(super) fn is_defined(name: &str) -> bool {
    lookup(name, FuncSet::Basic).is_some()
}

fn s(text: String) -> RV {
    Some(Value::String(text))
}

fn b(v: bool) -> RV {
    Some(Value::Bool(v))
}

fn first(a: &[RV]) -> Result<RV, String> {
    Ok(a[0].clone())
}

/// A string argument (already type-checked by the caller).
fn text(v: &RV) -> String {
    match v {
        Some(Value::String(s)) => s.clone(),
        _ => String::new(),
    }
}

fn int(v: &RV) -> i64 {
    match v {
        Some(Value::Int(i)) => *i,
        _ => 0,
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

/// docker's `joinElements`: any slice (elements printed with `fmt.Sprint`)
/// or map (its printed values, sorted); nil gives "".
fn join(elems: &RV, sep: &str) -> Result<String, String> {
    let parts: Vec<String> = match elems {
        None | Some(Value::Nil) => return Ok(String::new()),
        Some(Value::List(l)) => l
            .iter()
            .map(|v| gofmt::sprint(slice::from_ref(v)))
            .collect(),
        Some(Value::Map(m)) => {
            let mut out: Vec<String> = m
                .values()
                .map(|v| gofmt::sprint(slice::from_ref(v)))
                .collect();
            out.sort();
            out
        }
        Some(v) => return Err(format!("expected slice, got {}", v.go_type())),
    };
    Ok(parts.join(sep))
}

/// `strings.Split`.
fn split(s: &str, sep: &str) -> Value {
    if sep.is_empty() {
        return Value::List(s.chars().map(|c| Value::String(c.to_string())).collect());
    }
    Value::List(s.split(sep).map(|p| Value::String(p.to_string())).collect())
}

/// Go's `unicode.ToUpper`/`ToLower`: simple one-to-one mappings only.
fn simple_case(c: char, upper: bool) -> char {
    let mut m = if upper {
        c.to_uppercase().collect::<Vec<_>>()
    } else {
        c.to_lowercase().collect::<Vec<_>>()
    };
    match (m.len(), c) {
        (1, _) => m.remove(0),
        (_, '\u{130}') if !upper => 'i',
        _ => c,
    }
}

fn map_case(s: &str, upper: bool) -> String {
    s.chars().map(|c| simple_case(c, upper)).collect()
}

/// `strings.Title`: upper-case (title-case) the first letter of each word.
fn title(s: &str) -> String {
    let is_sep = |c: char| {
        if c.is_ascii() {
            return !(c.is_ascii_alphanumeric() || c == '_');
        }
        if c.is_alphabetic() || c.is_numeric() {
            return false;
        }
        c.is_whitespace()
    };
    let mut prev = ' ';
    s.chars()
        .map(|c| {
            let out = if is_sep(prev) {
                match c {
                    '\u{1c4}'..='\u{1c6}' => '\u{1c5}',
                    '\u{1c7}'..='\u{1c9}' => '\u{1c8}',
                    '\u{1ca}'..='\u{1cc}' => '\u{1cb}',
                    '\u{1f1}'..='\u{1f3}' => '\u{1f2}',
                    _ => simple_case(c, true),
                }
            } else {
                c
            };
            prev = c;
            out
        })
        .collect()
}

/// docker's `padWithSpace`.
fn pad(src: &str, prefix: i64, suffix: i64) -> Result<String, String> {
    if src.is_empty() {
        return Ok(String::new());
    }
    if prefix < 0 || suffix < 0 {
        return Err("strings: negative Repeat count".into());
    }
    Ok(format!(
        "{}{src}{}",
        " ".repeat(prefix as usize),
        " ".repeat(suffix as usize)
    ))
}

/// docker's `truncateWithLength`: cuts at a byte length. A cut inside a
/// multi-byte character yields U+FFFD where Go would emit the raw bytes.
fn truncate(src: &str, n: i64) -> Result<String, String> {
    if (src.len() as i64) < n {
        return Ok(src.to_string());
    }
    if n < 0 {
        return Err(format!("runtime error: slice bounds out of range [:{n}]"));
    }
    Ok(String::from_utf8_lossy(&src.as_bytes()[..n as usize]).into_owned())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn string_helpers() {
        assert_eq!(title("hello wORLD foo_bar a-b"), "Hello WORLD Foo_bar A-B");
        assert_eq!(pad("x", 1, 2).unwrap(), " x  ");
        assert_eq!(pad("", 1, 2).unwrap(), "");
        assert_eq!(truncate("abcdef", 3).unwrap(), "abc");
        assert_eq!(truncate("ab", 3).unwrap(), "ab");
        assert_eq!(query_escape("a b&c=d/é"), "a+b%26c%3Dd%2F%C3%A9");
        assert_eq!(
            js_escape("<a href='x'>\n"),
            "\\u003Ca href\\u003D\\'x\\'\\u003E\\u000A"
        );
        assert_eq!(
            html_escape("<a href=\"x\">'&"),
            "&lt;a href=&#34;x&#34;&gt;&#39;&amp;"
        );
        assert_eq!(split("", ","), Value::List(vec![Value::from("")]));
        assert_eq!(split("ab", ""), Value::from(vec!["a", "b"]));
    }
}
