//! Calls: builtin and docker functions, struct methods, and the argument
//! conversions Go applies for each parameter type (`evalArg`,
//! `validateType`).

use std::slice;

use super::{At, R, RV, State, indirect, is_true};
use crate::gotmpl::ast::Arg;
use crate::gotmpl::builtins::{Func, Kind, Param};
use crate::gotmpl::gofmt::quote::quote;
use crate::gotmpl::value::{Method, Value};

impl<'t> State<'t, '_> {
    pub(super) fn call_method(
        &mut self,
        dot: &RV,
        m: &Method,
        node: &'t Arg,
        name: &str,
        args: &'t [Arg],
        fin: Option<RV>,
    ) -> R<RV> {
        let args = args.get(1..).unwrap_or(&[]);
        let num_in = args.len() + usize::from(fin.is_some());
        match m.arity {
            Some(n) if num_in != n => {
                return self.fail(format!(
                    "wrong number of args for {name}: want {n} got {num_in}"
                ));
            }
            _ => {}
        }
        let mut argv = Vec::with_capacity(num_in);
        for a in args {
            argv.push(self.eval_arg(dot, Param::Any, a)?.unwrap_or_default());
        }
        if let Some(f) = fin {
            argv.push(f.unwrap_or_default());
        }
        match (m.func)(&argv) {
            Ok(v) => Ok(Some(v)),
            Err(e) => {
                self.at(At::Arg(node));
                self.fail(format!("error calling {name}: {e}"))
            }
        }
    }

    pub(super) fn eval_function(
        &mut self,
        dot: &RV,
        ident: &'t Arg,
        node: At<'t>,
        args: &'t [Arg],
        fin: Option<RV>,
    ) -> R<RV> {
        self.at(At::Arg(ident));
        let Arg::Identifier { name, .. } = ident else {
            unreachable!()
        };
        // Copies of the references, so the function outlives the borrow of self.
        let (overrides, tmpl) = (self.overrides, self.tmpl);
        let found = overrides.get(name).or_else(|| tmpl.funcs.resolve(name));
        let Some(f) = found else {
            return self.fail(format!("{} is not a defined function", quote(name, false)));
        };
        self.eval_call(dot, f, node, name, args, fin)
    }

    fn eval_call(
        &mut self,
        dot: &RV,
        f: &Func,
        node: At<'t>,
        name: &str,
        args: &'t [Arg],
        fin: Option<RV>,
    ) -> R<RV> {
        let args = args.get(1..).unwrap_or(&[]);
        let num_in = args.len() + usize::from(fin.is_some());
        let num_fixed = f.params.len();
        if f.variadic.is_some() {
            if num_in < num_fixed {
                return self.fail(format!(
                    "wrong number of args for {name}: want at least {num_fixed} got {}",
                    args.len()
                ));
            }
        } else if num_in != num_fixed {
            return self.fail(format!(
                "wrong number of args for {name}: want {num_fixed} got {num_in}"
            ));
        }
        if let Kind::And | Kind::Or = f.kind {
            // Short-circuit: stop at the first false (and) / true (or).
            let is_or = matches!(f.kind, Kind::Or);
            let mut v = None;
            for a in args {
                v = self.eval_arg(dot, Param::Value, a)?;
                if is_true(&v) == is_or {
                    return Ok(v);
                }
            }
            return Ok(fin.unwrap_or(v));
        }
        let mut argv = Vec::with_capacity(num_in);
        for (i, a) in args.iter().enumerate() {
            let p = f
                .params
                .get(i)
                .copied()
                .or(f.variadic)
                .unwrap_or(Param::Any);
            argv.push(self.eval_arg(dot, p, a)?);
        }
        if let Some(v) = fin {
            let p = match f.variadic {
                Some(p) if num_in > num_fixed => p,
                _ => f.params[num_in - 1],
            };
            argv.push(self.validate(v, p)?);
        }
        let result = match &f.kind {
            Kind::Plain(call) => call(&argv),
            Kind::Registered(body) => {
                let args: Vec<Value> = argv.iter().map(|v| v.clone().unwrap_or_default()).collect();
                body(&args).map(Some)
            }
            _ => {
                let callee = match args.first() {
                    Some(a) => a.to_string(),
                    None => match &argv[0] {
                        Some(Value::String(s)) => s.clone(),
                        Some(v) => format!("<{} Value>", v.go_type()),
                        None => "<invalid Value>".into(),
                    },
                };
                // Values are never functions here.
                Err(match indirect(&argv[0]) {
                    None => "call of nil".to_string(),
                    Some(v) => format!("non-function {callee} of type {}", v.go_type()),
                })
            }
        };
        result.or_else(|e| {
            self.at(node);
            self.fail(format!("error calling {name}: {e}"))
        })
    }

    /// Go's `validateType` for a computed value passed as parameter `p`.
    fn validate(&self, v: RV, p: Param) -> R<RV> {
        let wrong = |got: &Value| {
            format!(
                "wrong type for value; expected {}; got {}",
                p.go_name(),
                got.go_type()
            )
        };
        match (p, v) {
            (Param::Value | Param::Untyped, v) => Ok(v),
            (Param::Any, v) => Ok(Some(v.unwrap_or_default())),
            (_, None) => self.fail(format!("invalid value; expected {}", p.go_name())),
            (Param::Str, Some(v @ Value::String(_))) | (Param::Int, Some(v @ Value::Int(_))) => {
                Ok(Some(v))
            }
            (_, Some(other)) => self.fail(wrong(&other)),
        }
    }

    /// Go's `evalArg`: evaluates an argument node for parameter `p`.
    pub(super) fn eval_arg(&mut self, dot: &RV, p: Param, arg: &'t Arg) -> R<RV> {
        self.at(At::Arg(arg));
        let v = match arg {
            Arg::Dot(_) => dot.clone(),
            Arg::Nil(_) => {
                return match p {
                    Param::Any => Ok(Some(Value::Nil)),
                    Param::Value | Param::Untyped => Ok(None),
                    _ => self.fail(format!("cannot assign nil to {}", p.go_name())),
                };
            }
            Arg::Field { .. } => self.eval_field_node(dot, arg, slice::from_ref(arg), None)?,
            Arg::Variable { .. } => self.eval_variable_node(dot, arg, &[], None)?,
            Arg::Pipe(pipe) => self.eval_pipeline(dot, pipe)?,
            Arg::Identifier { .. } => self.eval_function(dot, arg, At::Arg(arg), &[], None)?,
            Arg::Chain { .. } => self.eval_chain_node(dot, arg, &[], None)?,
            _ => return self.eval_literal(p, arg),
        };
        self.validate(v, p)
    }

    fn eval_literal(&mut self, p: Param, arg: &'t Arg) -> R<RV> {
        match (p, arg) {
            (Param::Str, Arg::String { text, .. }) => Ok(Some(Value::String(text.clone()))),
            (Param::Str, _) => self.fail(format!("expected string; found {arg}")),
            (Param::Int, Arg::Number(n)) if n.is_int => Ok(Some(Value::Int(n.int))),
            (Param::Int, _) => self.fail(format!("expected integer; found {arg}")),
            (_, Arg::Bool(_, b)) => Ok(Some(Value::Bool(*b))),
            (_, Arg::Number(n)) => self.ideal_constant(arg, n),
            (_, Arg::String { text, .. }) => Ok(Some(Value::String(text.clone()))),
            _ => self.fail(format!(
                "can't handle assignment of {arg} to empty interface argument"
            )),
        }
    }
}
