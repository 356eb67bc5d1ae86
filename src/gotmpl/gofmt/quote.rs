//! Go `strconv` quoting and unquoting.

use std::fmt;

/// Go's `strconv.ErrSyntax`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct SyntaxError;

impl fmt::Display for SyntaxError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("invalid syntax")
    }
}

impl std::error::Error for SyntaxError {}

/// Approximates Go's `unicode.IsPrint`/`strconv.IsPrint` (letters, marks,
/// numbers, punctuation, symbols and ASCII space). Without Unicode tables
/// we reject controls, non-ASCII spaces, format characters and private
/// use; unassigned code points are (unlike Go) treated as printable.
pub fn is_print(c: char) -> bool {
    let r = c as u32;
    if r < 0x80 {
        return (0x20..0x7f).contains(&r);
    }
    if r < 0x100 {
        return r >= 0xa1 && r != 0xad;
    }
    if c.is_whitespace() || c.is_control() {
        return false;
    }
    !matches!(r,
        0x061c | 0x180e | 0x200b..=0x200f | 0x2028..=0x202e | 0x2060..=0x206f
        | 0xd800..=0xf8ff | 0xfeff | 0xfff9..=0xfffb | 0xfffe | 0xffff
        | 0xe0000..=0xe0fff | 0xf0000..)
}

fn push_escaped(out: &mut String, c: char, quote: char, ascii_only: bool) {
    if c == quote || c == '\\' {
        out.push('\\');
        out.push(c);
        return;
    }
    if ascii_only {
        if c.is_ascii() && is_print(c) {
            out.push(c);
            return;
        }
    } else if is_print(c) {
        out.push(c);
        return;
    }
    match c {
        '\x07' => out.push_str("\\a"),
        '\x08' => out.push_str("\\b"),
        '\x0c' => out.push_str("\\f"),
        '\n' => out.push_str("\\n"),
        '\r' => out.push_str("\\r"),
        '\t' => out.push_str("\\t"),
        '\x0b' => out.push_str("\\v"),
        _ => {
            let r = c as u32;
            if r < 0x20 || r == 0x7f {
                out.push_str(&format!("\\x{r:02x}"));
            } else if r < 0x10000 {
                out.push_str(&format!("\\u{r:04x}"));
            } else {
                out.push_str(&format!("\\U{r:08x}"));
            }
        }
    }
}

/// `strconv.Quote` (or `QuoteToASCII` when `ascii_only`).
pub fn quote(s: &str, ascii_only: bool) -> String {
    let mut out = String::with_capacity(s.len() + 2);
    out.push('"');
    for c in s.chars() {
        push_escaped(&mut out, c, '"', ascii_only);
    }
    out.push('"');
    out
}

/// `strconv.QuoteRune` (or `QuoteRuneToASCII`); invalid runes become U+FFFD.
pub fn quote_rune(r: i64, ascii_only: bool) -> String {
    let c = u32::try_from(r)
        .ok()
        .and_then(char::from_u32)
        .unwrap_or('\u{fffd}');
    let mut out = String::from("'");
    push_escaped(&mut out, c, '\'', ascii_only);
    out.push('\'');
    out
}

/// `strconv.CanBackquote`.
pub fn can_backquote(s: &str) -> bool {
    s.chars().all(|c| {
        if c.len_utf8() > 1 {
            return c != '\u{feff}';
        }
        !((c < ' ' && c != '\t') || c == '`' || c == '\x7f')
    })
}

/// One decoded unit of a Go literal: a character, or a raw byte from a
/// `\x` / octal escape.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Unit {
    Char(char),
    Byte(u8),
}

impl Unit {
    /// The numeric value, as Go's `UnquoteChar` reports it.
    pub fn value(self) -> u32 {
        match self {
            Unit::Char(c) => c as u32,
            Unit::Byte(b) => b as u32,
        }
    }
}

/// `strconv.UnquoteChar`: decodes one (possibly escaped) unit from the
/// front of `s`, returning it and the rest.
pub fn unquote_char(s: &str, quote: char) -> Result<(Unit, &str), SyntaxError> {
    let mut chars = s.chars();
    let c = chars.next().ok_or(SyntaxError)?;
    if c == quote && (quote == '\'' || quote == '"') {
        return Err(SyntaxError);
    }
    if c != '\\' {
        return Ok((Unit::Char(c), chars.as_str()));
    }
    let e = chars.next().ok_or(SyntaxError)?;
    let rest = chars.as_str();
    let simple = match e {
        'a' => Some('\x07'),
        'b' => Some('\x08'),
        'f' => Some('\x0c'),
        'n' => Some('\n'),
        'r' => Some('\r'),
        't' => Some('\t'),
        'v' => Some('\x0b'),
        '\\' => Some('\\'),
        '\'' | '"' if e == quote => Some(e),
        _ => None,
    };
    if let Some(c) = simple {
        return Ok((Unit::Char(c), rest));
    }
    let (len, radix) = match e {
        'x' => (2, 16),
        'u' => (4, 16),
        'U' => (8, 16),
        '0'..='7' => (2, 8),
        _ => return Err(SyntaxError),
    };
    let digits = rest.get(..len).ok_or(SyntaxError)?;
    if !digits.chars().all(|c| c.is_digit(radix)) {
        return Err(SyntaxError);
    }
    let mut v = u32::from_str_radix(digits, radix).map_err(|_| SyntaxError)?;
    let rest = &rest[len..];
    if radix == 8 {
        v += (e as u32 - '0' as u32) * 64;
        if v > 255 {
            return Err(SyntaxError);
        }
        return Ok((Unit::Byte(v as u8), rest));
    }
    if e == 'x' {
        return Ok((Unit::Byte(v as u8), rest));
    }
    Ok((Unit::Char(char::from_u32(v).ok_or(SyntaxError)?), rest))
}

/// `strconv.Unquote` for double- and back-quoted strings. Byte escapes that
/// do not form valid UTF-8 are replaced by U+FFFD (Rust strings are UTF-8).
pub fn unquote(s: &str) -> Result<String, SyntaxError> {
    let q = s.chars().next().ok_or(SyntaxError)?;
    if !matches!(q, '"' | '`') || s.len() < 2 || !s.ends_with(q) {
        return Err(SyntaxError);
    }
    let body = &s[1..s.len() - 1];
    match q {
        '`' => {
            if body.contains('`') {
                return Err(SyntaxError);
            }
            Ok(body.replace('\r', ""))
        }
        '"' => {
            let mut out = Vec::new();
            let mut rest = body;
            while !rest.is_empty() {
                if rest.starts_with('\n') {
                    return Err(SyntaxError);
                }
                let (u, r) = unquote_char(rest, q)?;
                match u {
                    Unit::Char(c) => out.extend_from_slice(c.encode_utf8(&mut [0; 4]).as_bytes()),
                    Unit::Byte(b) => out.push(b),
                }
                rest = r;
            }
            Ok(String::from_utf8_lossy(&out).into_owned())
        }
        _ => Err(SyntaxError),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn quoting() {
        assert_eq!(quote("hi\n\"x\"", false), r#""hi\n\"x\"""#);
        assert_eq!(quote("é\u{1}", false), "\"é\\x01\"");
        assert_eq!(quote("é", true), "\"\\u00e9\"");
        assert_eq!(quote("\u{1F600}", true), "\"\\U0001f600\"");
        assert_eq!(quote_rune('x' as i64, false), "'x'");
        assert_eq!(quote_rune('\'' as i64, false), r"'\''");
        assert!(can_backquote("a\tb"));
        assert!(!can_backquote("a`b"));
    }

    #[test]
    fn unquoting() {
        assert_eq!(unquote(r#""a\tb\u00e9\x41\101""#).unwrap(), "a\tbéAA");
        assert_eq!(unquote("`a\\n`").unwrap(), "a\\n");
        assert_eq!(unquote(r#""\xc3\xa9""#).unwrap(), "é");
        assert!(unquote(r#""\q""#).is_err());
    }
}
