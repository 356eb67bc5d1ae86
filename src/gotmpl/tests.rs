//! Resource limits: pathological nesting must fail cleanly, not overflow
//! the stack (Go's limits are higher; see exec.rs and parse.rs).

use super::{FuncMap, Template};
use crate::gotmpl::value::Value;

#[test]
fn deep_recursion_is_an_error_not_a_crash() {
    let t = Template::parse(
        r#"{{define "r"}}{{template "r" .}}{{end}}{{template "r" .}}"#,
        &FuncMap::new(),
    )
    .unwrap();
    let err = t.render(&Value::Nil).unwrap_err();
    assert!(
        err.to_string()
            .ends_with("exceeded maximum template depth (100)"),
        "{err}"
    );
}

#[test]
fn deep_parens() {
    let deep = format!("{{{{{}1{}}}}}", "(".repeat(5000), ")".repeat(5000));
    let err = Template::parse(&deep, &FuncMap::new()).unwrap_err();
    assert_eq!(
        err.to_string(),
        "template: :1: max expression depth exceeded"
    );
}

#[test]
fn deep_ifs() {
    let nested = "{{if 1}}".repeat(5000);
    assert!(Template::parse(&nested, &FuncMap::new()).is_err());
}

#[test]
fn deep_nesting_inside_recursion() {
    let ifs = "{{if 1}}{{range 1}}{{with 1}}".repeat(30);
    let ends = "{{end}}".repeat(90);
    let text = format!(
        r#"{{{{define "r"}}}}{ifs}{{{{template "r" .}}}}{ends}{{{{end}}}}{{{{template "r" .}}}}"#
    );
    let t = Template::parse(&text, &FuncMap::new()).unwrap();
    let err = t.render(&Value::Nil).unwrap_err();
    assert!(
        err.to_string().contains("exceeded maximum template depth"),
        "{err}"
    );
}

#[test]
fn deep_parens_inside_recursion() {
    let open = "(".repeat(98);
    let close = ")".repeat(98);
    let text = format!(
        r#"{{{{define "r"}}}}{{{{template "r" {open}.{close}}}}}{{{{end}}}}{{{{template "r" .}}}}"#
    );
    let t = Template::parse(&text, &FuncMap::new()).unwrap();
    let err = t.render(&Value::Nil).unwrap_err();
    assert!(
        err.to_string().contains("exceeded maximum template depth"),
        "{err}"
    );
}
