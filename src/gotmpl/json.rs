//! Go `encoding/json` marshalling of template values (compact form).

use super::gofmt::float::format_float;
use super::value::Value;

/// `json.Marshal` semantics: map keys sorted, struct fields in order,
/// floats formatted like Go. `escape_html` escapes `<`, `>` and `&` as
/// `json.Marshal` does; docker's `json` template function turns it off.
pub fn marshal(v: &Value, escape_html: bool) -> Result<String, String> {
    let mut out = String::new();
    write_value(&mut out, v, escape_html)?;
    Ok(out)
}

fn write_value(out: &mut String, v: &Value, escape_html: bool) -> Result<(), String> {
    match v {
        Value::Nil => out.push_str("null"),
        Value::Bool(b) => out.push_str(if *b { "true" } else { "false" }),
        Value::Int(i) => out.push_str(&i.to_string()),
        Value::Float(x) => write_float(out, *x)?,
        Value::String(s) => write_string(out, s, escape_html),
        Value::List(items) => {
            out.push('[');
            for (i, item) in items.iter().enumerate() {
                if i > 0 {
                    out.push(',');
                }
                write_value(out, item, escape_html)?;
            }
            out.push(']');
        }
        Value::Map(m) => write_object(out, m.iter().map(|(k, v)| (k.as_str(), v)), escape_html)?,
        Value::Struct(s) => write_object(
            out,
            s.fields.iter().map(|(k, v)| (k.as_str(), v)),
            escape_html,
        )?,
    }
    Ok(())
}

fn write_object<'a>(
    out: &mut String,
    entries: impl Iterator<Item = (&'a str, &'a Value)>,
    escape_html: bool,
) -> Result<(), String> {
    out.push('{');
    for (i, (k, v)) in entries.enumerate() {
        if i > 0 {
            out.push(',');
        }
        write_string(out, k, escape_html);
        out.push(':');
        write_value(out, v, escape_html)?;
    }
    out.push('}');
    Ok(())
}

/// Like ES6: plain decimal for 1e-6 <= |x| < 1e21, otherwise exponent form
/// with a minimal exponent (`1e-7`, not `1e-07`).
fn write_float(out: &mut String, x: f64) -> Result<(), String> {
    if !x.is_finite() {
        let shown = if x.is_nan() {
            "NaN"
        } else if x > 0.0 {
            "+Inf"
        } else {
            "-Inf"
        };
        return Err(format!("json: unsupported value: {shown}"));
    }
    let abs = x.abs();
    let exp_form = abs != 0.0 && !(1e-6..1e21).contains(&abs);
    let mut s = format_float(x, if exp_form { 'e' } else { 'f' }, -1);
    if exp_form {
        let n = s.len();
        let b = s.as_bytes();
        if n >= 4 && b[n - 4] == b'e' && b[n - 3] == b'-' && b[n - 2] == b'0' {
            s.remove(n - 2);
        }
    }
    out.push_str(&s);
    Ok(())
}

fn write_string(out: &mut String, s: &str, escape_html: bool) {
    const HEX: &[u8] = b"0123456789abcdef";
    out.push('"');
    for c in s.chars() {
        match c {
            '\\' | '"' => {
                out.push('\\');
                out.push(c);
            }
            '\x08' => out.push_str("\\b"),
            '\x0c' => out.push_str("\\f"),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push_str("\\t"),
            '<' | '>' | '&' if escape_html => {
                let b = c as u8;
                out.push_str("\\u00");
                out.push(HEX[(b >> 4) as usize] as char);
                out.push(HEX[(b & 15) as usize] as char);
            }
            c if (c as u32) < 0x20 => {
                let b = c as u8;
                out.push_str("\\u00");
                out.push(HEX[(b >> 4) as usize] as char);
                out.push(HEX[(b & 15) as usize] as char);
            }
            '\u{2028}' => out.push_str("\\u2028"),
            '\u{2029}' => out.push_str("\\u2029"),
            c => out.push(c),
        }
    }
    out.push('"');
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::gotmpl::value::Struct;

    #[test]
    fn marshal_like_go() {
        let v: Value = serde_json::json!({"b": [1, 2.5, null], "a": "<x&y>\n\u{2028}"}).into();
        assert_eq!(
            marshal(&v, false).unwrap(),
            r#"{"a":"<x&y>\n\u2028","b":[1,2.5,null]}"#
        );
        assert_eq!(
            marshal(&v, true).unwrap(),
            r#"{"a":"\u003cx\u0026y\u003e\n\u2028","b":[1,2.5,null]}"#
        );
        let s = Struct::new("*T")
            .field("Z", 1e21)
            .field("A", 1e-7)
            .into_value();
        assert_eq!(marshal(&s, false).unwrap(), r#"{"Z":1e+21,"A":1e-7}"#);
        assert_eq!(marshal(&Value::Float(100.0), false).unwrap(), "100");
        assert_eq!(marshal(&Value::Float(0.000001), false).unwrap(), "0.000001");
        assert!(marshal(&Value::Float(f64::NAN), false).is_err());
    }
}
