//! Listings as typed rows: each row type names its fields once, and both
//! what `--format` templates see and the default table's headers come from
//! that one list, so a header can never drift from its field.

use std::sync::Arc;

use crate::gotmpl::{Method, Struct, Value};

/// One field of a listing row.
pub struct Field<R> {
    /// The template name (`{{.ID}}`).
    pub name: &'static str,
    /// The table header docker prints for it (`CONTAINER ID`).
    pub header: &'static str,
    pub value: fn(&R) -> Value,
}

impl<R> Field<R> {
    pub const fn new(name: &'static str, header: &'static str, value: fn(&R) -> Value) -> Self {
        Field {
            name,
            header,
            value,
        }
    }
}

/// A method callable from templates (`{{.Label "k"}}`), with the header
/// its column gets.
pub struct RowMethod<R> {
    pub name: &'static str,
    pub header: &'static str,
    pub arity: usize,
    pub make: fn(&R) -> Method,
}

/// A listing's row, the way docker's formatter contexts behave.
pub trait Row: Sized {
    /// The Go type docker's templates see, named in template errors
    /// (`*formatter.ContainerContext`).
    const GO_TYPE: &'static str;
    /// The Go type of the header value.
    const HEADER_TYPE: &'static str;

    /// The fields, alphabetical (docker's `{{json .}}` of a row is).
    fn fields() -> Vec<Field<Self>>;

    fn methods() -> Vec<RowMethod<Self>> {
        Vec::new()
    }
}

/// The template value of one row.
pub fn value<R: Row>(row: &R) -> Value {
    Value::Struct(Arc::new(Struct {
        type_name: R::GO_TYPE.to_string(),
        fields: R::fields()
            .into_iter()
            .map(|f| (f.name.to_string(), (f.value)(row)))
            .collect(),
        methods: R::methods()
            .into_iter()
            .map(|m| (m.name.to_string(), (m.make)(row)))
            .collect(),
    }))
}

/// The header value: every field (and method) yields its column title.
pub fn headers<R: Row>() -> Value {
    Value::Struct(Arc::new(Struct {
        type_name: R::HEADER_TYPE.to_string(),
        fields: R::fields()
            .into_iter()
            .map(|f| (f.name.to_string(), Value::String(f.header.to_string())))
            .collect(),
        methods: R::methods()
            .into_iter()
            .map(|m| {
                let header = m.header;
                let method = Method::new(m.arity, move |_| Ok(Value::String(header.into())));
                (m.name.to_string(), method)
            })
            .collect(),
    }))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::format::{parse_format, render};

    struct Pet {
        name: String,
        legs: u32,
    }

    impl Row for Pet {
        const GO_TYPE: &'static str = "*formatter.PetContext";
        const HEADER_TYPE: &'static str = "petHeaders";

        fn fields() -> Vec<Field<Self>> {
            vec![
                Field::new("Legs", "LEGS", |p| Value::Int(p.legs as i64)),
                Field::new("Name", "PET NAME", |p| Value::String(p.name.clone())),
            ]
        }

        fn methods() -> Vec<RowMethod<Self>> {
            vec![RowMethod {
                name: "Shout",
                header: "SHOUTED",
                arity: 0,
                make: |p| {
                    let loud = p.name.to_uppercase();
                    Method::new(0, move |_| Ok(Value::String(loud.clone())))
                },
            }]
        }
    }

    #[test]
    fn headers_and_values_come_from_one_list() {
        let rows = [Pet {
            name: "rex".into(),
            legs: 4,
        }];
        let values: Vec<Value> = rows.iter().map(value).collect();
        let spec = parse_format(Some("table {{.Name}}\t{{.Legs}}\t{{.Shout}}"), "");
        assert_eq!(
            render(&spec, &headers::<Pet>(), &values).unwrap(),
            "PET NAME   LEGS      SHOUTED\nrex        4         REX\n"
        );
        let json = parse_format(Some("json"), "");
        assert_eq!(
            render(&json, &headers::<Pet>(), &values).unwrap(),
            "{\"Legs\":4,\"Name\":\"rex\"}\n"
        );
    }
}
