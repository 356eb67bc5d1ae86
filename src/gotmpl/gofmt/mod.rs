//! Go's `fmt` package (Sprint, Sprintln, Sprintf) over template [`Value`]s.
//!
//! Values map onto Go types as docker's data would: a `Struct` is a pointer
//! to a struct (`&{…}` at top level), lists are `[]interface {}` and maps are
//! `map[string]interface {}` whose nil elements print as `<nil>`.

pub mod float;
mod printer;
mod printf;
pub mod quote;

use crate::gotmpl::value::Value;

use printer::Printer;

/// `fmt.Sprintf`.
pub fn sprintf(format: &str, args: &[Value]) -> String {
    let mut p = Printer::default();
    p.do_printf(format, args);
    p.buf
}

/// `fmt.Sprint`: spaces only between operands when neither is a string.
pub fn sprint(args: &[Value]) -> String {
    sprint_with(Printer::default(), args)
}

/// `fmt.Sprint` of values the template engine made printable: structs
/// print dereferenced (`{…}`).
pub fn sprint_deref(args: &[Value]) -> String {
    sprint_with(
        Printer {
            deref_struct: true,
            ..Printer::default()
        },
        args,
    )
}

fn sprint_with(mut p: Printer, args: &[Value]) -> String {
    let mut prev_string = false;
    for (i, arg) in args.iter().enumerate() {
        let is_string = matches!(arg, Value::String(_));
        if i > 0 && !is_string && !prev_string {
            p.buf.push(' ');
        }
        p.print_arg(arg, 'v');
        prev_string = is_string;
    }
    p.buf
}

/// `fmt.Sprintln`: always spaces between operands, newline at the end.
pub fn sprintln(args: &[Value]) -> String {
    let mut p = Printer::default();
    for (i, arg) in args.iter().enumerate() {
        if i > 0 {
            p.buf.push(' ');
        }
        p.print_arg(arg, 'v');
    }
    p.buf.push('\n');
    p.buf
}

/// `fmt.Sprint(v)` for a value the template engine already dereferenced:
/// a top-level struct prints as `{…}` rather than `&{…}`.
pub fn sprint_value(v: &Value) -> String {
    let mut p = Printer {
        deref_struct: true,
        ..Printer::default()
    };
    p.print_arg(v, 'v');
    p.buf
}

/// Go's `%v` of the value, as a template action prints it.
impl std::fmt::Display for Value {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&sprint_value(self))
    }
}

#[cfg(test)]
mod tests_go;
