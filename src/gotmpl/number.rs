//! Number literals with Go's syntax (`0x1F`, `1_000`, `0o17`, `1e3`,
//! `0x1p-2`, `'a'`) and text/template's int/float classification.

use super::ast::Number;
use super::lex::Tok;
use crate::gotmpl::gofmt::quote::{quote, unquote_char};

/// Go's `underscoreOK`: underscores only between digits (or after a base
/// prefix).
fn underscore_ok(s: &str) -> bool {
    let s = s.strip_prefix(['+', '-']).unwrap_or(s);
    let b = s.as_bytes();
    let mut saw = b'^';
    let mut i = 0;
    let mut hex = false;
    if b.len() >= 2 && b[0] == b'0' && matches!(b[1].to_ascii_lowercase(), b'b' | b'o' | b'x') {
        i = 2;
        saw = b'0';
        hex = b[1].eq_ignore_ascii_case(&b'x');
    }
    while i < b.len() {
        let c = b[i];
        if c.is_ascii_digit() || (hex && c.is_ascii_hexdigit()) {
            saw = b'0';
        } else if c == b'_' {
            if saw != b'0' {
                return false;
            }
            saw = b'_';
        } else {
            if saw == b'_' {
                return false;
            }
            saw = b'!';
        }
        i += 1;
    }
    saw != b'_'
}

/// `strconv.ParseInt(s, 0, 64)`-style parse into i128 (sign allowed when
/// `signed`), so callers can check both the int64 and uint64 ranges.
fn parse_int(s: &str, signed: bool) -> Option<i128> {
    let (neg, body) = match s.as_bytes().first() {
        Some(b'+') if signed => (false, &s[1..]),
        Some(b'-') if signed => (true, &s[1..]),
        _ => (false, s),
    };
    let lower = body.to_ascii_lowercase();
    let (radix, digits) = if let Some(d) = lower.strip_prefix("0x") {
        (16, d)
    } else if let Some(d) = lower.strip_prefix("0b") {
        (2, d)
    } else if let Some(d) = lower.strip_prefix("0o") {
        (8, d)
    } else if lower.len() > 1 && lower.starts_with('0') {
        (8, &lower[1..])
    } else {
        (10, lower.as_str())
    };
    if lower.contains('_') && !underscore_ok(body) {
        return None;
    }
    let digits: String = digits.chars().filter(|&c| c != '_').collect();
    if digits.is_empty() || !digits.chars().all(|c| c.is_digit(radix)) {
        return None;
    }
    let v = u128::from_str_radix(&digits, radix).ok()?;
    let v = i128::try_from(v).ok()?;
    Some(if neg { -v } else { v })
}

/// `strconv.ParseFloat(s, 64)` for Go literal syntax (lexer-produced text).
fn parse_float(s: &str) -> Option<f64> {
    if s.contains('_') && !underscore_ok(s) {
        return None;
    }
    let clean: String = s.chars().filter(|&c| c != '_').collect();
    let (neg, body) = match clean.as_bytes().first() {
        Some(b'+') => (false, &clean[1..]),
        Some(b'-') => (true, &clean[1..]),
        _ => (false, clean.as_str()),
    };
    let v = if let Some(hex) = body.strip_prefix("0x").or_else(|| body.strip_prefix("0X")) {
        // Hex floats need a binary exponent: 0x1.8p3.
        let (mant, exp) = hex.split_once(['p', 'P'])?;
        let exp: i32 = exp.parse().ok()?;
        let (int, frac) = mant.split_once('.').unwrap_or((mant, ""));
        if int.is_empty() && frac.is_empty() {
            return None;
        }
        let mut v = 0f64;
        for c in int.chars().chain(frac.chars()) {
            v = v * 16.0 + c.to_digit(16)? as f64;
        }
        v * 2f64.powi(exp - 4 * frac.len() as i32)
    } else {
        if body.is_empty() || !body.starts_with(|c: char| c.is_ascii_digit() || c == '.') {
            return None;
        }
        body.parse::<f64>().ok()?
    };
    Some(if neg { -v } else { v })
}

fn exact_i64(f: f64) -> Option<i64> {
    // 2^63 itself does not fit.
    ((-9.223_372_036_854_776e18..9.223_372_036_854_776e18).contains(&f) && f.fract() == 0.0)
        .then_some(f as i64)
}

/// Classifies a number token like Go's `newNumber`; errors are the text
/// of the parse error.
pub(super) fn parse_number(pos: usize, text: &str, typ: Tok) -> Result<Number, String> {
    let mut n = Number {
        pos,
        text: text.to_string(),
        is_int: false,
        is_uint: false,
        is_float: false,
        is_complex: false,
        int: 0,
        float: 0.0,
    };
    match typ {
        Tok::CharConstant => {
            let (u, tail) = unquote_char(&text[1..], '\'').map_err(|e| e.to_string())?;
            if tail != "'" {
                return Err(format!("malformed character constant: {text}"));
            }
            let v = u.value();
            n.int = v as i64;
            n.float = v as f64;
            (n.is_int, n.is_uint, n.is_float) = (true, true, true);
            return Ok(n);
        }
        Tok::Complex => {
            n.is_complex = true;
            return Ok(n);
        }
        _ => {}
    }
    if text.strip_suffix('i').and_then(parse_float).is_some() {
        n.is_complex = true;
        return Ok(n);
    }
    if let Some(u) = parse_int(text, false) {
        n.is_uint = u <= u64::MAX as i128;
    }
    if let Some(i) = parse_int(text, true).and_then(|i| i64::try_from(i).ok()) {
        n.is_int = true;
        n.int = i;
        n.is_uint |= i == 0;
    }
    if n.is_int {
        n.is_float = true;
        n.float = n.int as f64;
    } else if n.is_uint {
        n.is_float = true;
        n.float = parse_int(text, false).unwrap_or(0) as f64;
    } else if let Some(f) = parse_float(text) {
        if !text.contains(['.', 'e', 'E', 'p', 'P']) {
            return Err(format!("integer overflow: {}", quote(text, false)));
        }
        n.is_float = true;
        n.float = f;
        if let Some(i) = exact_i64(f) {
            n.is_int = true;
            n.int = i;
        }
        if (0.0..1.844_674_407_370_955_2e19).contains(&f) && f.fract() == 0.0 {
            n.is_uint = true;
        }
    }
    if !n.is_int && !n.is_uint && !n.is_float {
        return Err(format!("illegal number syntax: {}", quote(text, false)));
    }
    Ok(n)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn num(s: &str) -> Number {
        parse_number(0, s, Tok::Number).unwrap()
    }

    #[test]
    fn classify() {
        let n = num("42");
        assert!(n.is_int && n.is_float && n.int == 42);
        assert_eq!(num("0x1F").int, 31);
        assert_eq!(num("0o17").int, 15);
        assert_eq!(num("017").int, 15);
        assert_eq!(num("1_000").int, 1000);
        assert_eq!(num("-5").int, -5);
        let f = num("1e3");
        assert!(f.is_float && f.is_int && f.int == 1000);
        let f = num("2.5");
        assert!(f.is_float && !f.is_int);
        assert_eq!(num("0x1p-2").float, 0.25);
        let u = num("18446744073709551615");
        assert!(u.is_uint && !u.is_int);
        assert_eq!(
            parse_number(0, "99999999999999999999", Tok::Number)
                .err()
                .unwrap(),
            "integer overflow: \"99999999999999999999\""
        );
        let c = parse_number(0, "'a'", Tok::CharConstant).unwrap();
        assert_eq!(c.int, 97);
    }
}
