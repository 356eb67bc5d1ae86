//! The value formatter behind Go's `fmt` verbs (`fmt.go`/`print.go`):
//! padding, integer/float/string/bool formatting and element-wise printing
//! of composite values.

use super::{float, quote};
use crate::gotmpl::value::Value;

#[derive(Default, Clone, Copy)]
pub(super) struct Flags {
    pub plus: bool,
    pub minus: bool,
    pub sharp: bool,
    pub space: bool,
    pub zero: bool,
    pub plus_v: bool,
    pub sharp_v: bool,
    pub wid: usize,
    pub wid_present: bool,
    pub prec: usize,
    pub prec_present: bool,
}

#[derive(Default)]
pub(super) struct Printer {
    pub buf: String,
    pub f: Flags,
    /// Print a top-level struct as a value (`{…}`), as the template engine
    /// does after dereferencing, instead of as a pointer (`&{…}`).
    pub deref_struct: bool,
}

pub(super) const LOWER: &[u8] = b"0123456789abcdefx";
pub(super) const UPPER: &[u8] = b"0123456789ABCDEFX";

impl Printer {
    fn write_padding(&mut self, n: usize) {
        let c = if self.f.zero && !self.f.minus {
            '0'
        } else {
            ' '
        };
        self.buf.extend(std::iter::repeat_n(c, n));
    }

    /// Pads to the field width, counting runes like Go.
    fn pad(&mut self, s: &str) {
        if !self.f.wid_present || self.f.wid == 0 {
            self.buf.push_str(s);
            return;
        }
        let n = self.f.wid.saturating_sub(s.chars().count());
        if self.f.minus {
            self.buf.push_str(s);
            self.write_padding(n);
        } else {
            self.write_padding(n);
            self.buf.push_str(s);
        }
    }

    fn truncate<'a>(&self, s: &'a str) -> &'a str {
        match s.char_indices().nth(self.f.prec) {
            Some((i, _)) if self.f.prec_present => &s[..i],
            _ => s,
        }
    }

    fn bad_verb(&mut self, verb: char, v: Option<&Value>) {
        self.buf.push_str("%!");
        self.buf.push(verb);
        self.buf.push('(');
        match v {
            Some(v) => {
                self.buf.push_str(&v.go_type());
                self.buf.push('=');
                self.print_arg(v, 'v');
            }
            None => self.buf.push_str("<nil>"),
        }
        self.buf.push(')');
    }

    fn fmt_integer(&mut self, v: i64, base: u32, verb: char, digits: &[u8]) {
        let negative = v < 0;
        let mut u = v.unsigned_abs();
        let f = self.f;
        // Two ways to ask for leading zeros: %.3d or %03d (the latter only
        // when padding on the left, and leaving room for a sign).
        let mut prec = 0usize;
        if f.prec_present {
            prec = f.prec;
            if prec == 0 && u == 0 {
                let zero = self.f.zero;
                self.f.zero = false;
                self.write_padding(f.wid);
                self.f.zero = zero;
                return;
            }
        } else if f.zero && !f.minus && f.wid_present {
            prec = f.wid;
            if negative || f.plus || f.space {
                prec = prec.saturating_sub(1);
            }
        }
        let mut out: Vec<u8> = Vec::new();
        loop {
            out.push(digits[(u % base as u64) as usize]);
            u /= base as u64;
            if u == 0 {
                break;
            }
        }
        while out.len() < prec {
            out.push(b'0');
        }
        if f.sharp {
            match base {
                2 => out.extend_from_slice(b"b0"),
                8 if *out.last().unwrap() != b'0' => out.push(b'0'),
                16 => out.extend_from_slice(&[digits[16], b'0']),
                _ => {}
            }
        }
        if verb == 'O' {
            out.extend_from_slice(b"o0");
        }
        if negative {
            out.push(b'-');
        } else if f.plus {
            out.push(b'+');
        } else if f.space {
            out.push(b' ');
        }
        out.reverse();
        let s = String::from_utf8(out).unwrap_or_default();
        let zero = self.f.zero;
        self.f.zero = false;
        self.pad(&s);
        self.f.zero = zero;
    }

    fn fmt_int(&mut self, v: i64, verb: char, arg: &Value) {
        match verb {
            'v' | 'd' => self.fmt_integer(v, 10, verb, LOWER),
            'b' => self.fmt_integer(v, 2, verb, LOWER),
            'o' | 'O' => self.fmt_integer(v, 8, verb, LOWER),
            'x' => self.fmt_integer(v, 16, verb, LOWER),
            'X' => self.fmt_integer(v, 16, verb, UPPER),
            'c' => {
                let c = u32::try_from(v)
                    .ok()
                    .and_then(char::from_u32)
                    .unwrap_or('\u{fffd}');
                self.pad(c.encode_utf8(&mut [0; 4]));
            }
            'q' => {
                let c = u32::try_from(v).ok().and_then(char::from_u32);
                match c {
                    Some(c) if self.f.sharp && quote::is_print(c) => {
                        self.pad(&format!("'{c}'"));
                    }
                    _ => self.pad(&quote::quote_rune(v, self.f.plus)),
                }
            }
            'U' => {
                let mut s = format!("U+{:0w$X}", v as u64, w = self.precision_or(4));
                match u32::try_from(v).ok().and_then(char::from_u32) {
                    Some(c) if self.f.sharp && quote::is_print(c) => s.push_str(&format!(" '{c}'")),
                    _ => {}
                }
                let zero = self.f.zero;
                self.f.zero = false;
                self.pad(&s);
                self.f.zero = zero;
            }
            _ => self.bad_verb(verb, Some(arg)),
        }
    }

    fn precision_or(&self, default: usize) -> usize {
        if self.f.prec_present && self.f.prec > default {
            self.f.prec
        } else {
            default
        }
    }

    fn fmt_float(&mut self, v: f64, verb: char, arg: &Value) {
        let (verb, default_prec) = match verb {
            'v' => ('g', -1),
            'b' | 'g' | 'G' | 'x' | 'X' => (verb, -1),
            'f' | 'e' | 'E' => (verb, 6),
            'F' => ('f', 6),
            _ => return self.bad_verb(verb, Some(arg)),
        };
        let f = self.f;
        let prec = if f.prec_present {
            f.prec as i32
        } else {
            default_prec
        };
        let mut num = float::format_float(v, verb, prec);
        if !num.starts_with(['-', '+']) {
            num.insert(0, '+');
        }
        if f.space && num.starts_with('+') && !f.plus {
            num.replace_range(0..1, " ");
        }
        if num[1..].starts_with(['I', 'N']) {
            // Infinities and NaN are never zero padded.
            let zero = self.f.zero;
            self.f.zero = false;
            if num[1..].starts_with('N') && !f.space && !f.plus {
                num.remove(0);
            }
            self.pad(&num);
            self.f.zero = zero;
            return;
        }
        if f.sharp && verb != 'b' {
            num = sharp_float(num, verb, prec);
        }
        if f.plus || !num.starts_with('+') {
            if f.zero && !f.minus && f.wid_present && f.wid > num.len() {
                // Sign first, then the zero padding.
                let (sign, rest) = num.split_at(1);
                self.buf.push_str(sign);
                self.write_padding(f.wid - num.len());
                self.buf.push_str(rest);
                return;
            }
            self.pad(&num);
            return;
        }
        self.pad(&num[1..]);
    }

    fn fmt_string(&mut self, s: &str, verb: char, arg: &Value) {
        match verb {
            'v' if self.f.sharp_v => self.fmt_q(s),
            'v' | 's' => {
                let t = self.truncate(s).to_string();
                self.pad(&t);
            }
            'x' => self.fmt_sx(s, LOWER),
            'X' => self.fmt_sx(s, UPPER),
            'q' => self.fmt_q(s),
            _ => self.bad_verb(verb, Some(arg)),
        }
    }

    fn fmt_q(&mut self, s: &str) {
        let s = self.truncate(s).to_string();
        if self.f.sharp && quote::can_backquote(&s) {
            self.pad(&format!("`{s}`"));
        } else {
            let q = quote::quote(&s, self.f.plus);
            self.pad(&q);
        }
    }

    fn fmt_sx(&mut self, s: &str, digits: &[u8]) {
        let f = self.f;
        let bytes = s.as_bytes();
        let len = if f.prec_present {
            bytes.len().min(f.prec)
        } else {
            bytes.len()
        };
        if len == 0 {
            if f.wid_present {
                self.write_padding(f.wid);
            }
            return;
        }
        let mut width = 2 * len;
        if f.space {
            if f.sharp {
                width *= 2;
            }
            width += len - 1;
        } else if f.sharp {
            width += 2;
        }
        if f.wid_present && f.wid > width && !f.minus {
            self.write_padding(f.wid - width);
        }
        if f.sharp {
            self.buf.push('0');
            self.buf.push(digits[16] as char);
        }
        for (i, &b) in bytes[..len].iter().enumerate() {
            if f.space && i > 0 {
                self.buf.push(' ');
                if f.sharp {
                    self.buf.push('0');
                    self.buf.push(digits[16] as char);
                }
            }
            self.buf.push(digits[(b >> 4) as usize] as char);
            self.buf.push(digits[(b & 15) as usize] as char);
        }
        if f.wid_present && f.wid > width && f.minus {
            self.write_padding(f.wid - width);
        }
    }

    fn fmt_bool(&mut self, b: bool, verb: char, arg: &Value) {
        match verb {
            't' | 'v' => self.pad(if b { "true" } else { "false" }),
            _ => self.bad_verb(verb, Some(arg)),
        }
    }

    /// Go's `printArg`: the top-level operand of a verb.
    pub(super) fn print_arg(&mut self, arg: &Value, verb: char) {
        match arg {
            Value::Nil => match verb {
                'T' | 'v' => self.pad("<nil>"),
                _ => self.bad_verb(verb, None),
            },
            _ if verb == 'T' => {
                let t = arg.go_type();
                let t = self.truncate(&t).to_string();
                self.pad(&t);
            }
            _ => self.print_value(arg, verb, 0),
        }
    }

    /// Go's `printValue`: composite values apply the verb element-wise.
    fn print_value(&mut self, v: &Value, verb: char, depth: usize) {
        match v {
            Value::Nil => self.buf.push_str(if self.f.sharp_v {
                "interface {}(nil)"
            } else {
                "<nil>"
            }),
            Value::Bool(b) => self.fmt_bool(*b, verb, v),
            Value::Int(i) => self.fmt_int(*i, verb, v),
            Value::Float(x) => self.fmt_float(*x, verb, v),
            Value::String(s) => self.fmt_string(s, verb, v),
            Value::List(items) => {
                let sharp_v = self.f.sharp_v;
                self.buf
                    .push_str(if sharp_v { "[]interface {}{" } else { "[" });
                for (i, item) in items.iter().enumerate() {
                    if i > 0 {
                        self.buf.push_str(if sharp_v { ", " } else { " " });
                    }
                    self.print_value(item, verb, depth + 1);
                }
                self.buf.push(if sharp_v { '}' } else { ']' });
            }
            Value::Map(m) => {
                let sharp_v = self.f.sharp_v;
                self.buf.push_str(if sharp_v {
                    "map[string]interface {}{"
                } else {
                    "map["
                });
                for (i, (k, item)) in m.iter().enumerate() {
                    if i > 0 {
                        self.buf.push_str(if sharp_v { ", " } else { " " });
                    }
                    self.fmt_string(k, verb, &Value::String(k.clone()));
                    self.buf.push(':');
                    self.print_value(item, verb, depth + 1);
                }
                self.buf.push(if sharp_v { '}' } else { ']' });
            }
            Value::Struct(s) => {
                let mut depth = depth;
                if depth == 0 && !self.deref_struct {
                    self.buf.push('&');
                    depth += 1;
                }
                if self.f.sharp_v {
                    self.buf.push_str(s.type_name.trim_start_matches('*'));
                }
                self.buf.push('{');
                for (i, (name, field)) in s.fields.iter().enumerate() {
                    if i > 0 {
                        self.buf.push_str(if self.f.sharp_v { ", " } else { " " });
                    }
                    if self.f.plus_v || self.f.sharp_v {
                        self.buf.push_str(name);
                        self.buf.push(':');
                    }
                    self.print_value(field, verb, depth + 1);
                }
                self.buf.push('}');
            }
        }
    }
}

/// Go's `#` flag on floats: keep a decimal point and (for %g/%v) trailing
/// zeros up to the precision.
fn sharp_float(num: String, verb: char, prec: i32) -> String {
    let mut digits: i32 = match verb {
        'v' | 'g' | 'G' | 'x' => {
            if prec == -1 {
                6
            } else {
                prec
            }
        }
        _ => 0,
    };
    let bytes = num.as_bytes();
    let mut head = String::new();
    let mut tail = String::new();
    let mut has_point = false;
    let mut saw_nonzero = false;
    head.push(bytes[0] as char);
    let mut idx = 1;
    while idx < bytes.len() {
        let c = bytes[idx];
        match c {
            b'.' => has_point = true,
            b'p' | b'P' => {
                tail.push_str(&num[idx..]);
                break;
            }
            b'e' | b'E' if verb != 'x' && verb != 'X' => {
                tail.push_str(&num[idx..]);
                break;
            }
            _ => {
                if c != b'0' {
                    saw_nonzero = true;
                }
                if saw_nonzero {
                    digits -= 1;
                }
            }
        }
        head.push(c as char);
        idx += 1;
    }
    if !has_point {
        if head.len() == 2 && head.ends_with('0') {
            digits -= 1;
        }
        head.push('.');
    }
    while digits > 0 {
        head.push('0');
        digits -= 1;
    }
    head + &tail
}
