//! Front-end tests; expected strings were checked against docker/cli's
//! formatter running on the same data (see also `tests_go.rs`).

use super::*;
use crate::gotmpl::testutil::t_struct;

fn container(id: &str, name: &str) -> Value {
    Struct::new("*formatter.ContainerContext")
        .field("ID", id)
        .field("Names", name)
        .method("Label", 1, |args| {
            Ok(match &args[0] {
                Value::String(k) if k == "com.example.key" => "value".into(),
                _ => Value::from(""),
            })
        })
        .into_value()
}

fn headers() -> Value {
    let mut m = std::collections::BTreeMap::new();
    m.insert("ID".to_string(), Value::from("CONTAINER ID"));
    m.insert("Names".to_string(), Value::from("NAMES"));
    Value::Map(m)
}

const DEFAULT: &str = "table {{.ID}}\t{{.Names}}";

#[test]
fn parse_format_rules() {
    assert_eq!(
        parse_format(None, DEFAULT),
        FormatSpec::Table(" {{.ID}}\t{{.Names}}".into())
    );
    assert_eq!(parse_format(Some(""), DEFAULT), parse_format(None, DEFAULT));
    assert_eq!(
        parse_format(Some("table"), DEFAULT),
        parse_format(None, DEFAULT)
    );
    assert_eq!(
        parse_format(Some("table {{.ID}}"), DEFAULT),
        FormatSpec::Table(" {{.ID}}".into())
    );
    assert_eq!(parse_format(Some("json"), DEFAULT), FormatSpec::Json);
    assert_eq!(
        parse_format(Some("{{.ID}}"), DEFAULT),
        FormatSpec::Template("{{.ID}}".into())
    );
    assert_eq!(
        FormatSpec::Template(r"  {{.ID}}\t{{.Names}}\n ".into()).template_text(),
        "{{.ID}}\t{{.Names}}\n"
    );
}

#[test]
fn table_with_headers_and_padding() {
    let spec = parse_format(Some(r"table {{.ID}}\t{{.Names}}"), DEFAULT);
    let rows = [container("abc", "web"), container("0123456789ab", "db")];
    let out = render(&spec, &headers(), &rows).unwrap();
    assert_eq!(
        out,
        "CONTAINER ID   NAMES\nabc            web\n0123456789ab   db\n"
    );
}

#[test]
fn default_table_without_rows_prints_header() {
    let out = render(&parse_format(None, DEFAULT), &headers(), &[]).unwrap();
    assert_eq!(out, "CONTAINER ID   NAMES\n");
}

#[test]
fn label_method_in_table_header_and_rows() {
    // The header context is a map, so `.Label "…"` fails there; docker
    // ignores header errors and keeps the text produced so far.
    let spec = parse_format(
        Some(r#"table {{.ID}}\t{{.Label "com.example.key"}}"#),
        DEFAULT,
    );
    let out = render(&spec, &headers(), &[container("abc", "web")]).unwrap();
    assert_eq!(out, "CONTAINER ID   \nabc            value\n");
}

#[test]
fn raw_template_and_json() {
    let rows = [container("abc", "web"), container("def", "db")];
    let out = render(
        &parse_format(Some("{{.Names}}"), DEFAULT),
        &headers(),
        &rows,
    )
    .unwrap();
    assert_eq!(out, "web\ndb\n");
    let out = render(&FormatSpec::Json, &headers(), &rows[..1]).unwrap();
    assert_eq!(out, "{\"ID\":\"abc\",\"Names\":\"web\"}\n");
}

#[test]
fn errors_are_prefixed_like_docker() {
    let err = render(
        &parse_format(Some("{{.Foo}}"), DEFAULT),
        &headers(),
        &[container("a", "b")],
    )
    .unwrap_err();
    assert_eq!(
        err.to_string(),
        "template parsing error: template: :1:2: executing \"\" at <.Foo>: \
         can't evaluate field Foo in type *formatter.ContainerContext"
    );
    let err = render(&parse_format(Some("{{.Foo }"), DEFAULT), &headers(), &[]).unwrap_err();
    assert_eq!(
        err.to_string(),
        "template parsing error: template: :1: unexpected \"}\" in operand"
    );
}

#[test]
fn render_one_for_inspect() {
    let v: Value = serde_json::json!({"State": {"Status": "running"}, "Id": "abc"}).into();
    assert_eq!(
        render_one("{{.State.Status}} {{.Id}}", &v).unwrap(),
        "running abc\n"
    );
    assert_eq!(render_one(r"{{.Id}}\t", &v).unwrap(), "abc\\t\n");
    assert_eq!(
        render_one("{{json .State}}", &v).unwrap(),
        "{\"Status\":\"running\"}\n"
    );
}

/// The cases the brief lists, each with Go's output.
#[test]
fn template_essentials() {
    let t = t_struct("a".into(), 1.into(), Value::Nil, vec!["x", "y"].into());
    let run = |text: &str, v: &Value| {
        Template::parse(text, &funcs::BASIC)
            .unwrap()
            .render(v)
            .unwrap()
    };
    let data: Value = serde_json::json!({
        "A": "x", "L": ["a", "b", "c"], "M": {"k": "v", "b": 2, "a": 1}, "S": "abcdef"
    })
    .into();
    assert_eq!(run(r#"{{.Label "k"}}"#, &t), "label:k");
    assert_eq!(
        run("{{json .}}", &t),
        r#"{"A":"a","B":1,"C":null,"L":["x","y"]}"#
    );
    assert_eq!(
        run(
            r#"{{printf "%5.2f|%-4s|%03d|%x|%q" 3.14159 "ab" 7 255 "hi"}}"#,
            &data
        ),
        " 3.14|ab  |007|ff|\"hi\""
    );
    assert_eq!(
        run("{{range $k, $v := .M}}{{$k}}={{$v}} {{end}}", &data),
        "a=1 b=2 k=v "
    );
    assert_eq!(run("a  {{- .A -}}  b", &data), "axb");
    assert_eq!(run(r#"{{if eq .A "x"}}yes{{end}}"#, &data), "yes");
    assert_eq!(run("{{len .L}}", &data), "3");
    assert_eq!(run(r#"{{index .M "k"}}"#, &data), "v");
    assert_eq!(run("{{slice .L 1 3}} {{slice .S 1 3}}", &data), "[b c] bc");
    assert_eq!(run(r#"{{join .L ","}}"#, &data), "a,b,c");
    assert_eq!(run(r#"{{split "a,b" ","}}"#, &data), "[a b]");
    assert_eq!(run(r#"[{{pad "x" 1 2}}]"#, &data), "[ x  ]");
    assert_eq!(run(r#"{{truncate "abcdef" 3}}"#, &data), "abc");
    assert_eq!(run(r#"{{title "hello world"}}"#, &data), "Hello World");
    let err = Template::parse("{{.Foo}}", &funcs::BASIC)
        .unwrap()
        .render(&t)
        .unwrap_err();
    assert_eq!(
        err.to_string(),
        "template: :1:2: executing \"\" at <.Foo>: can't evaluate field Foo in type *main.T"
    );
    let err = Template::parse("{{foo}}", &funcs::BASIC).unwrap_err();
    assert_eq!(
        err.to_string(),
        "template: :1: function \"foo\" not defined"
    );
}
