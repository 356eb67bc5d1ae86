//! Go `strconv.FormatFloat` for 64-bit floats.
//!
//! Digit generation is delegated to Rust's float formatting, which (like Go)
//! produces the shortest round-tripping digits or correctly rounded fixed
//! digits (round-half-even on exact ties); only Go's layout rules live here.

/// Decimal digits of |v|: `d` holds ASCII digits without trailing zeros,
/// the value is 0.d × 10^dp. Zero has no digits and dp 0 (as in Go).
struct Digits {
    d: Vec<u8>,
    dp: i32,
}

/// Parses Rust's `{:e}` output ("1.2345e-7") into digits.
fn parse_exp(s: &str) -> Digits {
    let (mant, exp) = s.split_once('e').unwrap_or((s, "0"));
    let exp: i32 = exp.parse().unwrap_or(0);
    let mut d: Vec<u8> = mant.bytes().filter(u8::is_ascii_digit).collect();
    while d.last() == Some(&b'0') {
        d.pop();
    }
    if d.is_empty() {
        return Digits { d, dp: 0 };
    }
    Digits { d, dp: exp + 1 }
}

fn shortest(v: f64) -> Digits {
    parse_exp(&format!("{:e}", v.abs()))
}

/// Correctly rounded to `n` (≥ 1) significant digits.
fn significant(v: f64, n: usize) -> Digits {
    parse_exp(&format!("{:.*e}", n.max(1) - 1, v.abs()))
}

/// Correctly rounded to `prec` digits after the decimal point.
fn after_point(v: f64, prec: usize) -> Digits {
    let s = format!("{:.*}", prec, v.abs());
    let (int, frac) = s.split_once('.').unwrap_or((&s, ""));
    let all: Vec<u8> = int.bytes().chain(frac.bytes()).collect();
    let lead = all.iter().take_while(|&&c| c == b'0').count();
    let mut d = all[lead..].to_vec();
    while d.last() == Some(&b'0') {
        d.pop();
    }
    if d.is_empty() {
        return Digits { d, dp: 0 };
    }
    Digits {
        d,
        dp: int.len() as i32 - lead as i32,
    }
}

/// `-d.ddde±dd`
fn fmt_e(out: &mut String, neg: bool, digs: &Digits, prec: i32, e: char) {
    if neg {
        out.push('-');
    }
    out.push(digs.d.first().map_or('0', |&c| c as char));
    if prec > 0 {
        out.push('.');
        for i in 1..=prec as usize {
            out.push(digs.d.get(i).map_or('0', |&c| c as char));
        }
    }
    out.push(e);
    let exp = if digs.d.is_empty() { 0 } else { digs.dp - 1 };
    push_exponent(out, exp);
}

/// `-ddd.ddd`
fn fmt_f(out: &mut String, neg: bool, digs: &Digits, prec: i32) {
    if neg {
        out.push('-');
    }
    let digit = |i: i32| -> char {
        if i >= 0 && (i as usize) < digs.d.len() {
            digs.d[i as usize] as char
        } else {
            '0'
        }
    };
    if digs.dp > 0 {
        for i in 0..digs.dp {
            out.push(digit(i));
        }
    } else {
        out.push('0');
    }
    if prec > 0 {
        out.push('.');
        for i in 1..=prec {
            out.push(digit(digs.dp + i - 1));
        }
    }
}

/// Go's %b: mantissa "p" binary exponent.
fn fmt_b(out: &mut String, v: f64) {
    let bits = v.to_bits();
    let neg = bits >> 63 != 0;
    let mut exp = ((bits >> 52) & 0x7ff) as i64;
    let mut mant = bits & ((1u64 << 52) - 1);
    if exp == 0 {
        exp = 1;
    } else {
        mant |= 1 << 52;
    }
    exp -= 1023 + 52;
    if neg {
        out.push('-');
    }
    out.push_str(&mant.to_string());
    out.push('p');
    if exp >= 0 {
        out.push('+');
    }
    out.push_str(&exp.to_string());
}

/// Go's %x/%X: -0x1.hhhp±dd, `prec` < 0 meaning as many digits as needed.
fn fmt_x(out: &mut String, v: f64, prec: i32, upper: bool) {
    let bits = v.to_bits();
    let neg = bits >> 63 != 0;
    let raw_exp = ((bits >> 52) & 0x7ff) as i64;
    let mut mant = bits & ((1u64 << 52) - 1);
    let mut exp = if raw_exp == 0 {
        -1022
    } else {
        mant |= 1 << 52;
        raw_exp - 1023
    };
    if mant == 0 {
        exp = 0;
    }
    // Put the leading 1 at bit 60 so each hex digit is a nibble below it.
    mant <<= 8;
    while mant != 0 && mant & (1 << 60) == 0 {
        mant <<= 1;
        exp -= 1;
    }
    if (0..15).contains(&prec) {
        let shift = (prec * 4) as u32;
        let extra = (mant << shift) & ((1u64 << 60) - 1);
        mant >>= 60 - shift;
        if extra | (mant & 1) > 1 << 59 {
            mant += 1;
        }
        mant <<= 60 - shift;
        if mant & (1 << 61) != 0 {
            mant >>= 1;
            exp += 1;
        }
    }
    let hex: &[u8] = if upper {
        b"0123456789ABCDEF"
    } else {
        b"0123456789abcdef"
    };
    if neg {
        out.push('-');
    }
    out.push('0');
    out.push(if upper { 'X' } else { 'x' });
    out.push((b'0' + ((mant >> 60) & 1) as u8) as char);
    mant <<= 4;
    if prec < 0 && mant != 0 {
        out.push('.');
        while mant != 0 {
            out.push(hex[((mant >> 60) & 15) as usize] as char);
            mant <<= 4;
        }
    } else if prec > 0 {
        out.push('.');
        for _ in 0..prec {
            out.push(hex[((mant >> 60) & 15) as usize] as char);
            mant <<= 4;
        }
    }
    out.push(if upper { 'P' } else { 'p' });
    push_exponent(out, exp);
}

/// `strconv.FormatFloat(v, fmt, prec, 64)`; `prec < 0` means shortest.
pub fn format_float(v: f64, fmt: char, prec: i32) -> String {
    if v.is_nan() {
        return "NaN".into();
    }
    if v.is_infinite() {
        return if v > 0.0 { "+Inf" } else { "-Inf" }.into();
    }
    let mut out = String::new();
    let neg = v.is_sign_negative();
    match fmt {
        'b' => {
            fmt_b(&mut out, v);
            return out;
        }
        'x' | 'X' => {
            fmt_x(&mut out, v, prec, fmt == 'X');
            return out;
        }
        _ => {}
    }
    let shortest_mode = prec < 0;
    let (digs, prec) = if shortest_mode {
        let digs = shortest(v);
        let nd = digs.d.len() as i32;
        let p = match fmt {
            'e' | 'E' => (nd - 1).max(0),
            'f' => (nd - digs.dp).max(0),
            _ => nd,
        };
        (digs, p)
    } else {
        match fmt {
            'e' | 'E' => (significant(v, prec as usize + 1), prec),
            'f' => (after_point(v, prec as usize), prec),
            _ => {
                let p = prec.max(1);
                (significant(v, p as usize), p)
            }
        }
    };
    match fmt {
        'e' | 'E' => fmt_e(&mut out, neg, &digs, prec, fmt),
        'f' | 'F' => fmt_f(&mut out, neg, &digs, prec),
        _ => {
            let nd = digs.d.len() as i32;
            let mut eprec = prec;
            if eprec > nd && nd >= digs.dp {
                eprec = nd;
            }
            // Go decides %e vs %f for shortest output as if precision were 6.
            if shortest_mode {
                eprec = 6;
            }
            let exp = digs.dp - 1;
            let e = if fmt == 'G' { 'E' } else { 'e' };
            if exp < -4 || exp >= eprec {
                fmt_e(&mut out, neg, &digs, prec.min(nd) - 1, e);
            } else {
                let p = if prec > digs.dp { nd } else { prec };
                fmt_f(&mut out, neg, &digs, (p - digs.dp).max(0));
            }
        }
    }
    out
}

/// Go's `fmt.Sprintf("%.*g", prec, v)`.
pub fn format_g(v: f64, prec: usize) -> String {
    format_float(v, 'g', prec as i32)
}

/// Go's exponent: a sign and at least two digits.
fn push_exponent(out: &mut String, exp: impl Into<i64>) {
    let exp: i64 = exp.into();
    out.push(if exp < 0 { '-' } else { '+' });
    let exp = exp.abs();
    if exp < 10 {
        out.push('0');
    }
    out.push_str(&exp.to_string());
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn shortest_g() {
        assert_eq!(format_float(1e6, 'g', -1), "1e+06");
        assert_eq!(format_float(123456.0, 'g', -1), "123456");
        assert_eq!(format_float(1234567.0, 'g', -1), "1.234567e+06");
        assert_eq!(format_float(0.5, 'g', -1), "0.5");
        assert_eq!(format_float(3.0, 'g', -1), "3");
        assert_eq!(format_float(0.0001, 'g', -1), "0.0001");
        assert_eq!(format_float(0.00001, 'g', -1), "1e-05");
        assert_eq!(format_float(0.0, 'g', -1), "0");
        assert_eq!(format_float(-0.0, 'g', -1), "-0");
        assert_eq!(format_float(1e21, 'g', -1), "1e+21");
        assert_eq!(format_float(f64::INFINITY, 'g', -1), "+Inf");
    }

    #[test]
    fn precision_g() {
        assert_eq!(format_g(1.5, 3), "1.5");
        assert_eq!(format_g(100.0, 3), "100");
        assert_eq!(format_g(1000.0, 3), "1e+03");
        assert_eq!(format_g(999.95, 4), "1000");
        assert_eq!(format_g(4.8567, 3), "4.86");
        assert_eq!(format_g(0.0, 3), "0");
        assert_eq!(format_g(123.456, 0), "1e+02");
    }

    #[test]
    fn e_f_b_x() {
        assert_eq!(format_float(1234.5678, 'e', 6), "1.234568e+03");
        assert_eq!(format_float(0.0, 'e', 2), "0.00e+00");
        assert_eq!(format_float(1e100, 'e', -1), "1e+100");
        assert_eq!(format_float(1.23456, 'f', 2), "1.23");
        assert_eq!(format_float(0.001, 'f', -1), "0.001");
        assert_eq!(format_float(-2.5, 'f', 0), "-2");
        assert_eq!(format_float(1.0, 'b', -1), "4503599627370496p-52");
        assert_eq!(format_float(1.0, 'x', -1), "0x1p+00");
        assert_eq!(format_float(3.5, 'x', -1), "0x1.cp+01");
        assert_eq!(format_float(1.0 / 3.0, 'x', 3), "0x1.555p-02");
    }
}
