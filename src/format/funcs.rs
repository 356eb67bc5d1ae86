//! docker's template functions (docker/cli `templates/templates.go`):
//! the basic FuncMap for rows and `HeaderFunctions` for table headers,
//! registered on the generic Go template engine.

use std::slice;
use std::sync::LazyLock;

use crate::gotmpl::{FuncMap, Param, Value, json, sprint};

use Param::{Any, Int, Str};

/// The functions docker adds to every `--format` template.
pub static BASIC: LazyLock<FuncMap> = LazyLock::new(|| {
    let mut m = FuncMap::new();
    m.add("json", &[Any], |a| json(&a[0], false).map(Value::String))
        .add("split", &[Str, Str], |a| {
            Ok(split(text(&a[0]), text(&a[1])))
        })
        .add("join", &[Any, Str], |a| {
            join(&a[0], text(&a[1])).map(Value::String)
        })
        .add("title", &[Str], |a| Ok(Value::String(title(text(&a[0])))))
        .add("lower", &[Str], |a| {
            Ok(Value::String(map_case(text(&a[0]), false)))
        })
        .add("upper", &[Str], |a| {
            Ok(Value::String(map_case(text(&a[0]), true)))
        })
        .add("pad", &[Str, Int, Int], |a| {
            pad(text(&a[0]), int(&a[1]), int(&a[2])).map(Value::String)
        })
        .add("truncate", &[Str, Int], |a| {
            truncate(text(&a[0]), int(&a[1])).map(Value::String)
        });
    m
});

/// docker's `HeaderFunctions`: the column title passes through unchanged.
pub static HEADER: LazyLock<FuncMap> = LazyLock::new(|| {
    let first = |a: &[Value]| Ok(a[0].clone());
    let mut m = FuncMap::new();
    for name in ["json", "title", "lower", "upper"] {
        m.add(name, &[Str], first);
    }
    m.add("split", &[Str, Str], first)
        .add("join", &[Str, Str], first)
        .add("truncate", &[Str, Int], first);
    m
});

/// A string argument (the engine has already type-checked it).
fn text(v: &Value) -> &str {
    match v {
        Value::String(s) => s,
        _ => "",
    }
}

fn int(v: &Value) -> i64 {
    match v {
        Value::Int(i) => *i,
        _ => 0,
    }
}

/// docker's `joinElements`: any slice (elements printed with `fmt.Sprint`)
/// or map (its printed values, sorted); nil gives "".
fn join(elems: &Value, sep: &str) -> Result<String, String> {
    let parts: Vec<String> = match elems {
        Value::Nil => return Ok(String::new()),
        Value::List(l) => l.iter().map(|v| sprint(slice::from_ref(v))).collect(),
        Value::Map(m) => {
            let mut out: Vec<String> = m.values().map(|v| sprint(slice::from_ref(v))).collect();
            out.sort();
            out
        }
        v => return Err(format!("expected slice, got {}", v.go_type())),
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
        assert_eq!(split("", ","), Value::List(vec![Value::from("")]));
        assert_eq!(split("ab", ""), Value::from(vec!["a", "b"]));
    }
}
