//! Pipelines, commands and operands: the inside of an action.

use super::{MAX_NESTING, PResult, Parser};
use crate::gotmpl::ast::{Arg, Command, Number, Pipe};
use crate::gotmpl::gofmt::quote::{quote, unquote};
use crate::gotmpl::lex::Tok;
use crate::gotmpl::number::parse_number;

impl Parser<'_> {
    pub(super) fn pipeline(&mut self, context: &str, end: Tok) -> PResult<Pipe> {
        let pos = self.peek_non_space().pos;
        let mut pipe = Pipe {
            pos,
            is_assign: false,
            decl: Vec::new(),
            cmds: Vec::new(),
        };
        loop {
            if self.peek_non_space().typ != Tok::Variable {
                break;
            }
            let at_var = self.idx;
            let v = self.next();
            let next = self.peek_non_space();
            match next.typ {
                Tok::Assign | Tok::Declare => {
                    pipe.is_assign = next.typ == Tok::Assign;
                    self.next_non_space();
                    pipe.decl.push(v.val.clone());
                    self.vars.push(v.val);
                }
                Tok::Char if next.val == "," => {
                    self.next_non_space();
                    pipe.decl.push(v.val.clone());
                    self.vars.push(v.val);
                    if context == "range" && pipe.decl.len() < 2 {
                        match self.peek_non_space().typ {
                            Tok::Variable | Tok::RightDelim | Tok::RightParen => continue,
                            _ => return self.errorf("range can only initialize variables"),
                        }
                    }
                    return self.errorf(format!("too many declarations in {context}"));
                }
                _ => self.idx = at_var,
            }
            break;
        }
        loop {
            let t = self.next_non_space();
            if t.typ == end {
                self.check_pipeline(&pipe, context)?;
                return Ok(pipe);
            }
            match t.typ {
                Tok::Bool
                | Tok::CharConstant
                | Tok::Complex
                | Tok::Dot
                | Tok::Field
                | Tok::Identifier
                | Tok::Number
                | Tok::Nil
                | Tok::RawString
                | Tok::String
                | Tok::Variable
                | Tok::LeftParen => {
                    self.backup();
                    let cmd = self.command()?;
                    pipe.cmds.push(cmd);
                }
                _ => return self.unexpected(&t, context),
            }
        }
    }

    fn check_pipeline(&self, pipe: &Pipe, context: &str) -> PResult<()> {
        if pipe.cmds.is_empty() {
            return self.errorf(format!("missing value for {context}"));
        }
        for (i, c) in pipe.cmds.iter().enumerate().skip(1) {
            if matches!(
                c.args[0],
                Arg::Bool(..) | Arg::Dot(_) | Arg::Nil(_) | Arg::Number(_) | Arg::String { .. }
            ) {
                return self.errorf(format!(
                    "non executable command in pipeline stage {}",
                    i + 1
                ));
            }
        }
        Ok(())
    }

    fn command(&mut self) -> PResult<Command> {
        let pos = self.peek_non_space().pos;
        let mut args = Vec::new();
        loop {
            self.peek_non_space();
            if let Some(op) = self.operand()? {
                args.push(op);
            }
            let t = self.next();
            match t.typ {
                Tok::Space => continue,
                Tok::RightDelim | Tok::RightParen => self.backup(),
                Tok::Pipe => {}
                _ => return self.unexpected(&t, "operand"),
            }
            break;
        }
        if args.is_empty() {
            return self.errorf("empty command");
        }
        Ok(Command { pos, args })
    }

    fn operand(&mut self) -> PResult<Option<Arg>> {
        let Some(node) = self.term()? else {
            return Ok(None);
        };
        if self.peek().typ != Tok::Field {
            return Ok(Some(node));
        }
        let pos = self.peek().pos;
        let mut fields = Vec::new();
        while self.peek().typ == Tok::Field {
            fields.push(self.next().val[1..].to_string());
        }
        Ok(Some(match node {
            Arg::Field { mut ident, .. } => {
                ident.extend(fields);
                Arg::Field { pos, ident }
            }
            Arg::Variable { mut ident, .. } => {
                ident.extend(fields);
                Arg::Variable { pos, ident }
            }
            Arg::Bool(..) | Arg::String { .. } | Arg::Number(_) | Arg::Nil(_) | Arg::Dot(_) => {
                let shown = quote(&node.to_string(), false);
                return self.errorf(format!("unexpected . after term {shown}"));
            }
            node => Arg::Chain {
                pos,
                node: Box::new(node),
                fields,
            },
        }))
    }

    fn term(&mut self) -> PResult<Option<Arg>> {
        let t = self.next_non_space();
        let arg = match t.typ {
            Tok::Identifier => {
                if self.funcs.resolve(&t.val).is_none() {
                    return self.errorf(format!("function {} not defined", quote(&t.val, false)));
                }
                Arg::Identifier {
                    pos: t.pos,
                    name: t.val,
                }
            }
            Tok::Dot => Arg::Dot(t.pos),
            Tok::Nil => Arg::Nil(t.pos),
            Tok::Variable => {
                let ident: Vec<String> = t.val.split('.').map(String::from).collect();
                if !self.vars.contains(&ident[0]) {
                    let shown = quote(&ident[0], false);
                    return self.errorf(format!("undefined variable {shown}"));
                }
                Arg::Variable { pos: t.pos, ident }
            }
            Tok::Field => Arg::Field {
                pos: t.pos,
                ident: t.val[1..].split('.').map(String::from).collect(),
            },
            Tok::Bool => Arg::Bool(t.pos, t.val == "true"),
            Tok::CharConstant | Tok::Complex | Tok::Number => {
                let n: Number = match parse_number(t.pos, &t.val, t.typ) {
                    Ok(n) => n,
                    Err(e) => return self.errorf(e),
                };
                Arg::Number(Box::new(n))
            }
            Tok::LeftParen => {
                if self.stack_depth >= MAX_NESTING {
                    return self.errorf("max expression depth exceeded");
                }
                self.stack_depth += 1;
                let r = self.pipeline("parenthesized pipeline", Tok::RightParen);
                self.stack_depth -= 1;
                Arg::Pipe(Box::new(r?))
            }
            Tok::String | Tok::RawString => match unquote(&t.val) {
                Ok(text) => Arg::String {
                    pos: t.pos,
                    quoted: t.val,
                    text,
                },
                Err(e) => return self.errorf(e.to_string()),
            },
            _ => {
                self.backup();
                return Ok(None);
            }
        };
        Ok(Some(arg))
    }
}
