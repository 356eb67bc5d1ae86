//! Template execution, following text/template's exec.go: the same
//! evaluation order, variable scoping and error messages.

use super::FuncMap;
use super::Template;
use super::ast::{Arg, Branch, Command, Node, Number, Pipe};
use super::builtins::Param;
use crate::gotmpl::gofmt::{quote::quote, sprint_value};
use crate::gotmpl::value::Value;

mod call;

pub(super) use super::rv::{RV, indirect, is_true};

/// Non-local exits: errors, and `{{break}}`/`{{continue}}` unwinding to
/// the enclosing range.
pub(super) enum Flow {
    Err(String),
    Break,
    Continue,
}

type R<T> = Result<T, Flow>;

/// The node being evaluated, for error locations and contexts.
#[derive(Clone, Copy)]
enum At<'t> {
    Arg(&'t Arg),
    Pipe(&'t Pipe),
    Cmd(&'t Command),
    Node(&'t Node),
}

impl At<'_> {
    fn pos(self) -> usize {
        match self {
            At::Arg(a) => a.pos(),
            At::Pipe(p) => p.pos,
            At::Cmd(c) => c.pos,
            At::Node(n) => match n {
                Node::Action { pos, .. } | Node::Template { pos, .. } => *pos,
                Node::If(b) | Node::Range(b) | Node::With(b) => b.pipe.pos,
                _ => 0,
            },
        }
    }

    fn context(self) -> String {
        match self {
            At::Arg(a) => a.to_string(),
            At::Pipe(p) => p.to_string(),
            At::Cmd(c) => c.to_string(),
            At::Node(n) => n.to_string(),
        }
    }
}

/// Limit on nested if/with/range/template during execution. Go allows
/// 100000 template calls on its growable stacks; here the recursion must
/// stay well inside a thread's fixed stack.
const MAX_DEPTH: usize = 100;

pub(super) struct State<'t, 'o> {
    tmpl: &'t Template,
    out: &'o mut String,
    name: String,
    node: Option<At<'t>>,
    vars: Vec<(String, RV)>,
    depth: usize,
    overrides: &'o FuncMap,
}

pub(super) fn execute(
    tmpl: &Template,
    data: &Value,
    out: &mut String,
    overrides: &FuncMap,
) -> Result<(), String> {
    let dot = match data {
        Value::Nil => None,
        v => Some(v.clone()),
    };
    let mut s = State {
        tmpl,
        out,
        name: tmpl.name.clone(),
        node: None,
        vars: vec![("$".into(), dot.clone())],
        depth: 0,
        overrides,
    };
    match s.walk_list(&dot, &tmpl.root) {
        Err(Flow::Err(e)) => Err(e),
        _ => Ok(()),
    }
}

impl<'t> State<'t, '_> {
    fn at(&mut self, at: At<'t>) {
        self.node = Some(at);
    }

    fn fail<T>(&self, msg: impl AsRef<str>) -> R<T> {
        let msg = msg.as_ref();
        let Some(at) = self.node else {
            return Err(Flow::Err(format!("template: {}: {msg}", self.name)));
        };
        let pos = at.pos();
        let before = &self.tmpl.text[..pos.min(self.tmpl.text.len())];
        let line = 1 + before.matches('\n').count();
        let col = before.rfind('\n').map_or(pos, |i| pos - i - 1);
        Err(Flow::Err(format!(
            "template: {}:{line}:{col}: executing {} at <{}>: {msg}",
            self.tmpl.name,
            quote(&self.name, false),
            at.context()
        )))
    }

    fn var_value(&self, name: &str) -> R<RV> {
        match self.vars.iter().rev().find(|(n, _)| n == name) {
            Some((_, v)) => Ok(v.clone()),
            None => self.fail(format!("undefined variable: {name}")),
        }
    }

    fn set_var(&mut self, name: &str, v: RV) -> R<()> {
        match self.vars.iter_mut().rev().find(|(n, _)| n == name) {
            Some(slot) => {
                slot.1 = v;
                Ok(())
            }
            None => self.fail(format!("undefined variable: {name}")),
        }
    }

    fn walk_list(&mut self, dot: &RV, list: &'t [Node]) -> R<()> {
        list.iter().try_for_each(|n| self.walk(dot, n))
    }

    fn walk(&mut self, dot: &RV, node: &'t Node) -> R<()> {
        self.at(At::Node(node));
        match node {
            Node::Text(t) => self.out.push_str(t),
            Node::Action { pipe, .. } => {
                let v = self.eval_pipeline(dot, pipe)?;
                // Declarations print nothing.
                if pipe.decl.is_empty() {
                    self.at(At::Node(node));
                    match v {
                        None => self.out.push_str("<no value>"),
                        Some(v) => self.out.push_str(&sprint_value(&v)),
                    }
                }
            }
            Node::If(_) | Node::With(_) | Node::Range(_) | Node::Template { .. } => {
                if self.depth >= MAX_DEPTH {
                    return self.fail(format!("exceeded maximum template depth ({MAX_DEPTH})"));
                }
                self.depth += 1;
                let r = match node {
                    Node::If(b) => self.walk_if_with(false, dot, b),
                    Node::With(b) => self.walk_if_with(true, dot, b),
                    Node::Range(b) => self.walk_range(dot, b),
                    Node::Template { name, pipe, .. } => {
                        self.walk_template(dot, name, pipe.as_ref())
                    }
                    _ => Ok(()),
                };
                self.depth -= 1;
                r?;
            }
            Node::Break => return Err(Flow::Break),
            Node::Continue => return Err(Flow::Continue),
        }
        Ok(())
    }

    fn walk_if_with(&mut self, with: bool, dot: &RV, b: &'t Branch) -> R<()> {
        let mark = self.vars.len();
        let val = self.eval_pipeline(dot, &b.pipe)?;
        let r = if is_true(&val) {
            self.walk_list(if with { &val } else { dot }, &b.list)
        } else if let Some(e) = &b.else_list {
            self.walk_list(dot, e)
        } else {
            Ok(())
        };
        self.vars.truncate(mark);
        r
    }

    fn walk_range(&mut self, dot: &RV, b: &'t Branch) -> R<()> {
        let mark = self.vars.len();
        let r = self.range_body(dot, b);
        self.vars.truncate(mark);
        r
    }

    fn range_body(&mut self, dot: &RV, b: &'t Branch) -> R<()> {
        let val = self.eval_pipeline(dot, &b.pipe)?;
        let mark = self.vars.len();
        let ran = match val {
            Some(Value::Int(n)) => {
                if b.pipe.decl.len() > 1 {
                    return self.fail(format!(
                        "can't use {n} to iterate over more than one variable"
                    ));
                }
                for i in 0..n.max(0) {
                    if self.iteration(b, mark, None, Some(Value::Int(i)))? {
                        break;
                    }
                }
                n > 0
            }
            Some(Value::List(l)) => {
                for (i, e) in l.iter().enumerate() {
                    if self.iteration(b, mark, Some(Value::Int(i as i64)), Some(e.clone()))? {
                        break;
                    }
                }
                !l.is_empty()
            }
            Some(Value::Map(m)) => {
                for (k, v) in &m {
                    if self.iteration(b, mark, Some(Value::String(k.clone())), Some(v.clone()))? {
                        break;
                    }
                }
                !m.is_empty()
            }
            None => false,
            Some(other) => {
                return self.fail(format!("range can't iterate over {}", sprint_value(&other)));
            }
        };
        match &b.else_list {
            Some(e) if !ran => self.walk_list(dot, e),
            _ => Ok(()),
        }
    }

    /// One range iteration; returns true on `{{break}}`.
    fn iteration(&mut self, b: &'t Branch, mark: usize, index: RV, elem: RV) -> R<bool> {
        let decl = &b.pipe.decl;
        let n = self.vars.len();
        if !decl.is_empty() {
            if b.pipe.is_assign {
                let v = if decl.len() > 1 { &index } else { &elem };
                self.set_var(&decl[0], v.clone())?;
            } else {
                self.vars[n - 1].1 = elem.clone();
            }
        }
        if decl.len() > 1 {
            if b.pipe.is_assign {
                self.set_var(&decl[1], elem.clone())?;
            } else {
                self.vars[n - 2].1 = index;
            }
        }
        let r = self.walk_list(&elem, &b.list);
        self.vars.truncate(mark);
        match r {
            Ok(()) | Err(Flow::Continue) => Ok(false),
            Err(Flow::Break) => Ok(true),
            Err(e) => Err(e),
        }
    }

    fn walk_template(&mut self, dot: &RV, name: &str, pipe: Option<&'t Pipe>) -> R<()> {
        let tmpl = self.tmpl;
        let Some(list) = tmpl.lookup(name) else {
            return self.fail(format!("template {} not defined", quote(name, false)));
        };
        let dot = match pipe {
            Some(p) => self.eval_pipeline(dot, p)?,
            None => None,
        };
        // Templates see no variables of their caller.
        let vars = std::mem::replace(&mut self.vars, vec![("$".into(), dot.clone())]);
        let old_name = std::mem::replace(&mut self.name, name.to_string());
        let r = self.walk_list(&dot, list);
        self.name = old_name;
        self.vars = vars;
        r
    }

    fn eval_pipeline(&mut self, dot: &RV, pipe: &'t Pipe) -> R<RV> {
        self.at(At::Pipe(pipe));
        let mut value: Option<RV> = None;
        for cmd in &pipe.cmds {
            let v = self.eval_command(dot, cmd, value.take())?;
            // An interface{} result is unwrapped; a nil one becomes invalid.
            value = Some(indirect(&v));
        }
        let value = value.unwrap_or(None);
        for d in &pipe.decl {
            if pipe.is_assign {
                self.set_var(d, value.clone())?;
            } else {
                self.vars.push((d.clone(), value.clone()));
            }
        }
        Ok(value)
    }

    fn not_a_function(&self, args: &[Arg], fin: &Option<RV>) -> R<()> {
        if args.len() > 1 || fin.is_some() {
            return self.fail(format!("can't give argument to non-function {}", args[0]));
        }
        Ok(())
    }

    /// `fin` is the previous pipeline stage's value (Go's `final`), if any.
    fn eval_command(&mut self, dot: &RV, cmd: &'t Command, fin: Option<RV>) -> R<RV> {
        let first = &cmd.args[0];
        match first {
            Arg::Field { .. } => return self.eval_field_node(dot, first, &cmd.args, fin),
            Arg::Chain { .. } => return self.eval_chain_node(dot, first, &cmd.args, fin),
            Arg::Identifier { .. } => {
                return self.eval_function(dot, first, At::Cmd(cmd), &cmd.args, fin);
            }
            Arg::Pipe(p) => {
                self.not_a_function(&cmd.args, &fin)?;
                return self.eval_pipeline(dot, p);
            }
            Arg::Variable { .. } => return self.eval_variable_node(dot, first, &cmd.args, fin),
            _ => {}
        }
        self.at(At::Arg(first));
        self.not_a_function(&cmd.args, &fin)?;
        match first {
            Arg::Bool(_, b) => Ok(Some(Value::Bool(*b))),
            Arg::Dot(_) => Ok(dot.clone()),
            Arg::Nil(_) => self.fail("nil is not a command"),
            Arg::Number(n) => self.ideal_constant(first, n),
            Arg::String { text, .. } => Ok(Some(Value::String(text.clone()))),
            _ => self.fail(format!(
                "can't evaluate command {}",
                quote(&first.to_string(), false)
            )),
        }
    }

    /// An untyped number constant: float if written like one, else int.
    fn ideal_constant(&mut self, arg: &'t Arg, n: &Number) -> R<RV> {
        self.at(At::Arg(arg));
        let t = &n.text;
        let hex_int = t.len() > 2
            && t.starts_with('0')
            && t[1..].starts_with(['x', 'X'])
            && !t.contains(['p', 'P']);
        if n.is_complex {
            return self.fail("complex constants are not supported");
        }
        if n.is_float && !hex_int && !t.starts_with('\'') && t.contains(['.', 'e', 'E', 'p', 'P']) {
            return Ok(Some(Value::Float(n.float)));
        }
        if n.is_int {
            return Ok(Some(Value::Int(n.int)));
        }
        if n.is_uint {
            return self.fail(format!("{t} overflows int"));
        }
        Ok(None)
    }

    fn eval_field_node(
        &mut self,
        dot: &RV,
        field: &'t Arg,
        args: &'t [Arg],
        fin: Option<RV>,
    ) -> R<RV> {
        self.at(At::Arg(field));
        let Arg::Field { ident, .. } = field else {
            unreachable!()
        };
        self.eval_field_chain(dot, dot.clone(), field, ident, args, fin)
    }

    fn eval_chain_node(
        &mut self,
        dot: &RV,
        chain: &'t Arg,
        args: &'t [Arg],
        fin: Option<RV>,
    ) -> R<RV> {
        self.at(At::Arg(chain));
        let Arg::Chain { node, fields, .. } = chain else {
            unreachable!()
        };
        if let Arg::Nil(_) = node.as_ref() {
            return self.fail(format!("indirection through explicit nil in {chain}"));
        }
        let recv = self.eval_arg(dot, Param::Untyped, node)?;
        self.eval_field_chain(dot, recv, chain, fields, args, fin)
    }

    fn eval_variable_node(
        &mut self,
        dot: &RV,
        var: &'t Arg,
        args: &'t [Arg],
        fin: Option<RV>,
    ) -> R<RV> {
        self.at(At::Arg(var));
        let Arg::Variable { ident, .. } = var else {
            unreachable!()
        };
        let value = self.var_value(&ident[0])?;
        if ident.len() == 1 {
            self.not_a_function(args, &fin)?;
            return Ok(value);
        }
        self.eval_field_chain(dot, value, var, &ident[1..], args, fin)
    }

    fn eval_field_chain(
        &mut self,
        dot: &RV,
        mut recv: RV,
        node: &'t Arg,
        ident: &'t [String],
        args: &'t [Arg],
        fin: Option<RV>,
    ) -> R<RV> {
        let (last, init) = ident.split_last().expect("field chain has a name");
        let mut boxed = false;
        for name in init {
            (recv, boxed) = self.eval_field(dot, name, node, &[], None, recv, boxed)?;
        }
        Ok(self.eval_field(dot, last, node, args, fin, recv, boxed)?.0)
    }

    /// `.name` on `recv`. Returns the value and whether it came out of a
    /// map, i.e. is typed `interface {}` for error messages.
    #[allow(clippy::too_many_arguments)]
    fn eval_field(
        &mut self,
        dot: &RV,
        name: &str,
        node: &'t Arg,
        args: &'t [Arg],
        fin: Option<RV>,
        recv: RV,
        boxed: bool,
    ) -> R<(RV, bool)> {
        let Some(recv) = recv else {
            if self.tmpl.missing_key_error {
                return self.fail(format!("nil data; no entry for key {}", quote(name, false)));
            }
            return Ok((None, false));
        };
        let has_args = args.len() > 1 || fin.is_some();
        match &recv {
            Value::Nil => {
                return self.fail(format!("nil pointer evaluating interface {{}}.{name}"));
            }
            Value::Struct(s) => {
                if let Some(m) = s.get_method(name) {
                    let m = m.clone();
                    return Ok((self.call_method(dot, &m, node, name, args, fin)?, false));
                }
                if let Some(v) = s.get_field(name) {
                    if has_args {
                        return self.fail(format!(
                            "{name} has arguments but cannot be invoked as function"
                        ));
                    }
                    return Ok((Some(v.clone()), false));
                }
            }
            Value::Map(m) => {
                if has_args {
                    return self.fail(format!("{name} is not a method but has arguments"));
                }
                return match m.get(name) {
                    Some(v) => Ok((Some(v.clone()), true)),
                    None if self.tmpl.missing_key_error => {
                        self.fail(format!("map has no entry for key {}", quote(name, false)))
                    }
                    None => Ok((None, false)),
                };
            }
            _ => {}
        }
        let typ = if boxed {
            "interface {}".to_string()
        } else {
            recv.go_type()
        };
        self.fail(format!("can't evaluate field {name} in type {typ}"))
    }
}
