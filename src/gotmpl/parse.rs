//! Recursive-descent parser following text/template/parse, including its
//! error messages (`template: :1: unexpected "}" in operand`).

use std::collections::HashMap;

use super::FuncMap;
use super::ast::{Branch, Node};
use super::lex::{Tok, Token, lex};
use crate::gotmpl::gofmt::quote::{quote, unquote};

mod expr;

type PResult<T> = Result<T, String>;

/// Limit on nested parentheses and control structures. Go allows 10000
/// parentheses (and unlimited control nesting) on its growable stacks;
/// here recursion depth must stay well inside a thread's fixed stack.
const MAX_NESTING: usize = 100;

/// Result of parsing: the main template and any `define`d/`block` ones.
pub(super) struct Parsed {
    pub root: Vec<Node>,
    pub defs: HashMap<String, Vec<Node>>,
}

/// What `textOrAction` found: a node, or the `{{end}}`/`{{else}}` closing a list.
enum Item {
    Node(Node),
    End,
    Else,
}

impl Item {
    fn describe(&self) -> &'static str {
        match self {
            Item::Else => "{{else}}",
            _ => "{{end}}",
        }
    }
}

struct Parser<'a> {
    name: &'a str,
    toks: Vec<Token>,
    idx: usize,
    /// The furthest token read: Go reports parse errors at its line.
    furthest: usize,
    vars: Vec<String>,
    range_depth: usize,
    action_line: usize,
    stack_depth: usize,
    defs: HashMap<String, Vec<Node>>,
    funcs: &'a FuncMap,
}

pub(super) fn parse(name: &str, text: &str, funcs: &FuncMap) -> PResult<Parsed> {
    let mut p = Parser {
        name,
        toks: lex(text),
        idx: 0,
        furthest: 0,
        vars: vec!["$".into()],
        range_depth: 0,
        action_line: 0,
        stack_depth: 0,
        defs: HashMap::new(),
        funcs,
    };
    let root = p.parse_root()?;
    Ok(Parsed { root, defs: p.defs })
}

/// Go's `IsEmptyTree`: only whitespace text.
fn is_empty(list: &[Node]) -> bool {
    list.iter().all(
        |n| matches!(n, Node::Text(t) if t.trim_matches(|c: char| c.is_whitespace()).is_empty()),
    )
}

impl Parser<'_> {
    fn errorf<T>(&self, msg: impl AsRef<str>) -> PResult<T> {
        let line = self.toks[self.furthest].line;
        Err(format!(
            "template: {}:{}: {}",
            self.name,
            line,
            msg.as_ref()
        ))
    }

    fn next(&mut self) -> Token {
        let i = self.idx.min(self.toks.len() - 1);
        self.idx = i + 1;
        self.furthest = self.furthest.max(i);
        self.toks[i].clone()
    }

    fn backup(&mut self) {
        self.idx -= 1;
    }

    fn peek(&mut self) -> Token {
        let t = self.next();
        self.backup();
        t
    }

    fn next_non_space(&mut self) -> Token {
        loop {
            let t = self.next();
            if t.typ != Tok::Space {
                return t;
            }
        }
    }

    fn peek_non_space(&mut self) -> Token {
        let t = self.next_non_space();
        self.backup();
        t
    }

    fn unexpected<T>(&self, tok: &Token, context: &str) -> PResult<T> {
        if tok.typ == Tok::Error {
            let mut extra = String::new();
            if self.action_line != 0 && self.action_line != tok.line {
                extra = format!(" in action started at {}:{}", self.name, self.action_line);
                if tok.val.ends_with(" action") {
                    extra = extra[" in action".len()..].to_string();
                }
            }
            return self.errorf(format!("{}{}", tok.describe(), extra));
        }
        self.errorf(format!("unexpected {} in {}", tok.describe(), context))
    }

    fn expect(&mut self, typ: Tok, context: &str) -> PResult<Token> {
        let t = self.next_non_space();
        if t.typ != typ {
            return self.unexpected(&t, context);
        }
        Ok(t)
    }

    /// Records a template definition; redefining a non-empty one is an error.
    fn add(&mut self, name: String, list: Vec<Node>) -> PResult<()> {
        match self.defs.get(&name) {
            Some(old) if !is_empty(old) => {
                if !is_empty(&list) {
                    return self.errorf(format!(
                        "template: multiple definition of template {}",
                        quote(&name, false)
                    ));
                }
            }
            _ => {
                self.defs.insert(name, list);
            }
        }
        Ok(())
    }

    fn parse_root(&mut self) -> PResult<Vec<Node>> {
        let mut root = Vec::new();
        while self.peek().typ != Tok::Eof {
            if self.peek().typ == Tok::LeftDelim {
                let save = self.idx;
                self.next();
                if self.next_non_space().typ == Tok::Define {
                    self.parse_definition()?;
                    continue;
                }
                self.idx = save;
            }
            match self.text_or_action()? {
                Item::Node(n) => root.push(n),
                end => return self.errorf(format!("unexpected {}", end.describe())),
            }
        }
        Ok(root)
    }

    /// Runs `f` as the parse of a separate tree (define/block bodies start
    /// with fresh variables and no enclosing range).
    fn sub_tree<T>(&mut self, f: impl FnOnce(&mut Self) -> PResult<T>) -> PResult<T> {
        let vars = std::mem::replace(&mut self.vars, vec!["$".into()]);
        let depth = std::mem::replace(&mut self.range_depth, 0);
        let line = std::mem::replace(&mut self.action_line, 0);
        let r = f(self);
        self.vars = vars;
        self.range_depth = depth;
        self.action_line = line;
        r
    }

    fn parse_definition(&mut self) -> PResult<()> {
        const CONTEXT: &str = "define clause";
        self.sub_tree(|p| {
            let t = p.next_non_space();
            if t.typ != Tok::String && t.typ != Tok::RawString {
                return p.unexpected(&t, CONTEXT);
            }
            let name = match unquote(&t.val) {
                Ok(name) => name,
                Err(e) => return p.errorf(e.to_string()),
            };
            p.expect(Tok::RightDelim, CONTEXT)?;
            let (list, end) = p.item_list()?;
            if !matches!(end, Item::End) {
                return p.errorf(format!("unexpected {} in {CONTEXT}", end.describe()));
            }
            p.add(name, list)
        })
    }

    fn item_list(&mut self) -> PResult<(Vec<Node>, Item)> {
        let mut list = Vec::new();
        while self.peek_non_space().typ != Tok::Eof {
            match self.text_or_action()? {
                Item::Node(n) => list.push(n),
                end => return Ok((list, end)),
            }
        }
        self.errorf("unexpected EOF")
    }

    fn text_or_action(&mut self) -> PResult<Item> {
        let t = self.next_non_space();
        match t.typ {
            Tok::Text => Ok(Item::Node(Node::Text(t.val))),
            Tok::LeftDelim => {
                self.action_line = t.line;
                let r = self.action();
                self.action_line = 0;
                r
            }
            _ => self.unexpected(&t, "input"),
        }
    }

    fn action(&mut self) -> PResult<Item> {
        let t = self.next_non_space();
        let node = match t.typ {
            Tok::Block => self.block_control()?,
            Tok::Break | Tok::Continue => {
                let what = if t.typ == Tok::Break {
                    "{{break}}"
                } else {
                    "{{continue}}"
                };
                let next = self.next_non_space();
                if next.typ != Tok::RightDelim {
                    return self.unexpected(&next, what);
                }
                if self.range_depth == 0 {
                    return self.errorf(format!("{what} outside {{{{range}}}}"));
                }
                if t.typ == Tok::Break {
                    Node::Break
                } else {
                    Node::Continue
                }
            }
            Tok::Else => {
                let peek = self.peek_non_space();
                if peek.typ != Tok::If && peek.typ != Tok::With {
                    self.expect(Tok::RightDelim, "else")?;
                }
                return Ok(Item::Else);
            }
            Tok::End => {
                self.expect(Tok::RightDelim, "end")?;
                return Ok(Item::End);
            }
            Tok::If => Node::If(self.parse_control("if")?),
            Tok::Range => Node::Range(self.parse_control("range")?),
            Tok::With => Node::With(self.parse_control("with")?),
            Tok::Template => self.template_control()?,
            _ => {
                self.backup();
                let pos = self.peek().pos;
                let pipe = self.pipeline("command", Tok::RightDelim)?;
                Node::Action { pos, pipe }
            }
        };
        Ok(Item::Node(node))
    }

    fn parse_control(&mut self, context: &str) -> PResult<Branch> {
        if self.stack_depth >= MAX_NESTING {
            return self.errorf("max expression depth exceeded");
        }
        self.stack_depth += 1;
        let r = self.parse_control_inner(context);
        self.stack_depth -= 1;
        r
    }

    fn parse_control_inner(&mut self, context: &str) -> PResult<Branch> {
        let nvars = self.vars.len();
        let pipe = self.pipeline(context, Tok::RightDelim)?;
        if context == "range" {
            self.range_depth += 1;
        }
        let (list, next) = self.item_list()?;
        if context == "range" {
            self.range_depth -= 1;
        }
        let mut else_list = None;
        if let Item::Else = next {
            let chained = match context {
                "if" => Tok::If,
                "with" => Tok::With,
                _ => Tok::Eof,
            };
            if chained != Tok::Eof && self.peek().typ == chained {
                // `{{else if …}}` nests a new branch sharing our {{end}}.
                self.next();
                let inner = self.parse_control(context)?;
                let node = if chained == Tok::If {
                    Node::If(inner)
                } else {
                    Node::With(inner)
                };
                else_list = Some(vec![node]);
            } else {
                let (list, next) = self.item_list()?;
                if !matches!(next, Item::End) {
                    return self.errorf(format!("expected end; found {}", next.describe()));
                }
                else_list = Some(list);
            }
        }
        self.vars.truncate(nvars);
        Ok(Branch {
            pipe,
            list,
            else_list,
        })
    }

    fn template_name(&mut self, t: &Token, context: &str) -> PResult<String> {
        if t.typ != Tok::String && t.typ != Tok::RawString {
            return self.unexpected(t, context);
        }
        match unquote(&t.val) {
            Ok(s) => Ok(s),
            Err(e) => self.errorf(e.to_string()),
        }
    }

    fn block_control(&mut self) -> PResult<Node> {
        const CONTEXT: &str = "block clause";
        let t = self.next_non_space();
        let name = self.template_name(&t, CONTEXT)?;
        let pipe = self.pipeline(CONTEXT, Tok::RightDelim)?;
        self.sub_tree(|p| {
            let (list, end) = p.item_list()?;
            if !matches!(end, Item::End) {
                return p.errorf(format!("unexpected {} in {CONTEXT}", end.describe()));
            }
            p.add(name.clone(), list)
        })?;
        Ok(Node::Template {
            pos: t.pos,
            name,
            pipe: Some(pipe),
        })
    }

    fn template_control(&mut self) -> PResult<Node> {
        const CONTEXT: &str = "template clause";
        let t = self.next_non_space();
        let name = self.template_name(&t, CONTEXT)?;
        let mut pipe = None;
        if self.next_non_space().typ != Tok::RightDelim {
            self.backup();
            pipe = Some(self.pipeline(CONTEXT, Tok::RightDelim)?);
        }
        Ok(Node::Template {
            pos: t.pos,
            name,
            pipe,
        })
    }
}
