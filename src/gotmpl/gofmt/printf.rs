//! `fmt.Sprintf`'s format-string interpreter: flags, width, precision,
//! explicit argument indexes and the `%!` error forms.

use super::printer::{Flags, Printer};
use crate::gotmpl::value::Value;

impl Printer {
    pub(super) fn do_printf(&mut self, format: &str, args: &[Value]) {
        let fb = format.as_bytes();
        let end = fb.len();
        let mut arg_num = 0usize;
        let mut after_index;
        let mut reordered = false;
        let mut i = 0usize;
        while i < end {
            let mut good_arg_num = true;
            let last = i;
            while i < end && fb[i] != b'%' {
                i += 1;
            }
            if i > last {
                self.buf.push_str(&format[last..i]);
            }
            if i >= end {
                break;
            }
            i += 1;
            self.f = Flags::default();
            while i < end {
                match fb[i] {
                    b'#' => self.f.sharp = true,
                    b'0' => self.f.zero = true,
                    b'+' => self.f.plus = true,
                    b'-' => self.f.minus = true,
                    b' ' => self.f.space = true,
                    _ => break,
                }
                i += 1;
            }
            // Argument index, width, precision (each possibly from args).
            let ix = arg_number(arg_num, format, i, args.len(), &mut reordered);
            (arg_num, i, after_index) = (ix.arg_num, ix.next, ix.found);
            good_arg_num &= ix.good;
            if i < end && fb[i] == b'*' {
                i += 1;
                let (w, ok, n) = int_from_arg(args, arg_num);
                arg_num = n;
                self.f.wid_present = ok;
                if !ok {
                    self.buf.push_str("%!(BADWIDTH)");
                }
                if w < 0 {
                    self.f.minus = true;
                    self.f.zero = false;
                }
                self.f.wid = w.unsigned_abs() as usize;
                after_index = false;
            } else {
                let (w, ok, ni) = parse_num(format, i, end);
                (self.f.wid, self.f.wid_present, i) = (w, ok, ni);
                if after_index && ok {
                    good_arg_num = false;
                }
            }
            if i + 1 < end && fb[i] == b'.' {
                i += 1;
                if after_index {
                    good_arg_num = false;
                }
                let ix = arg_number(arg_num, format, i, args.len(), &mut reordered);
                (arg_num, i, after_index) = (ix.arg_num, ix.next, ix.found);
                good_arg_num &= ix.good;
                if i < end && fb[i] == b'*' {
                    i += 1;
                    let (p, ok, n) = int_from_arg(args, arg_num);
                    arg_num = n;
                    // A negative precision is reported as bad, like Go.
                    self.f.prec_present = ok && p >= 0;
                    self.f.prec = p.max(0) as usize;
                    if !self.f.prec_present {
                        self.buf.push_str("%!(BADPREC)");
                    }
                    after_index = false;
                } else {
                    let (p, ok, ni) = parse_num(format, i, end);
                    (self.f.prec, i) = (p, ni);
                    self.f.prec_present = true;
                    if !ok {
                        self.f.prec = 0;
                    }
                }
            }
            if !after_index {
                let ix = arg_number(arg_num, format, i, args.len(), &mut reordered);
                (arg_num, i) = (ix.arg_num, ix.next);
                good_arg_num &= ix.good;
            }
            if i >= end {
                self.buf.push_str("%!(NOVERB)");
                break;
            }
            let verb = format[i..].chars().next().unwrap_or('?');
            i += verb.len_utf8();
            if verb == '%' {
                self.buf.push('%');
            } else if !good_arg_num {
                self.buf.push_str(&format!("%!{verb}(BADINDEX)"));
            } else if arg_num >= args.len() {
                self.buf.push_str(&format!("%!{verb}(MISSING)"));
            } else {
                if verb == 'v' {
                    self.f.sharp_v = self.f.sharp;
                    self.f.sharp = false;
                    self.f.plus_v = self.f.plus;
                    self.f.plus = false;
                }
                self.print_arg(&args[arg_num], verb);
                arg_num += 1;
            }
        }
        if !reordered && arg_num < args.len() {
            self.f = Flags::default();
            self.buf.push_str("%!(EXTRA ");
            for (k, arg) in args[arg_num..].iter().enumerate() {
                if k > 0 {
                    self.buf.push_str(", ");
                }
                if let Value::Nil = arg {
                    self.buf.push_str("<nil>");
                } else {
                    self.buf.push_str(&arg.go_type());
                    self.buf.push('=');
                    self.print_arg(arg, 'v');
                }
            }
            self.buf.push(')');
        }
    }
}

fn too_large(n: i64) -> bool {
    !(-1_000_000..=1_000_000).contains(&n)
}

/// Parses a decimal number at `s[start..end]`; returns (value, found, next).
fn parse_num(s: &str, start: usize, end: usize) -> (usize, bool, usize) {
    let b = s.as_bytes();
    let mut num: i64 = 0;
    let mut found = false;
    let mut i = start;
    while i < end && b[i].is_ascii_digit() {
        if too_large(num) {
            return (0, false, end);
        }
        num = num * 10 + (b[i] - b'0') as i64;
        found = true;
        i += 1;
    }
    (num as usize, found, i)
}

struct ArgIndex {
    arg_num: usize,
    next: usize,
    found: bool,
    good: bool,
}

/// Handles an explicit `[n]` argument index at `format[i..]`.
fn arg_number(
    arg_num: usize,
    format: &str,
    i: usize,
    num_args: usize,
    reordered: &mut bool,
) -> ArgIndex {
    let b = format.as_bytes();
    let none = ArgIndex {
        arg_num,
        next: i,
        found: false,
        good: true,
    };
    if i >= b.len() || b[i] != b'[' {
        return none;
    }
    *reordered = true;
    let rest = &format[i..];
    // Bad syntax skips just the '[' (or through the ']' when present).
    let bad = |next: usize, found: bool| ArgIndex {
        arg_num,
        next,
        found,
        good: false,
    };
    if rest.len() < 3 {
        return bad(i + 1, false);
    }
    let Some(close) = rest.find(']') else {
        return bad(i + 1, false);
    };
    let (n, ok, ni) = parse_num(rest, 1, close);
    if !ok || ni != close {
        return bad(i + close + 1, false);
    }
    if n >= 1 && n - 1 < num_args {
        return ArgIndex {
            arg_num: n - 1,
            next: i + close + 1,
            found: true,
            good: true,
        };
    }
    bad(i + close + 1, true)
}

fn int_from_arg(args: &[Value], arg_num: usize) -> (i64, bool, usize) {
    if arg_num >= args.len() {
        return (0, false, arg_num);
    }
    match args[arg_num] {
        Value::Int(n) if !too_large(n) => (n, true, arg_num + 1),
        _ => (0, false, arg_num + 1),
    }
}
