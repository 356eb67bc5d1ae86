//! Lexer for Go template text, producing the same token stream (including
//! error tokens and their messages) as text/template/parse.

pub(super) use super::token::{Tok, Token};
use crate::gotmpl::gofmt::{quote::quote, sprintf};
use crate::gotmpl::value::Value;

const LEFT: &str = "{{";
const RIGHT: &str = "}}";

fn is_space(c: char) -> bool {
    matches!(c, ' ' | '\t' | '\r' | '\n')
}

fn is_alnum(c: char) -> bool {
    c == '_' || c.is_alphabetic() || c.is_numeric()
}

fn has_left_trim(s: &str) -> bool {
    let b = s.as_bytes();
    b.len() >= 2 && b[0] == b'-' && is_space(b[1] as char)
}

fn has_right_trim(s: &str) -> bool {
    let b = s.as_bytes();
    b.len() >= 2 && is_space(b[0] as char) && b[1] == b'-'
}

/// `%#U` of a rune, as used in Go's "bad character" messages.
fn rune_desc(c: char) -> String {
    sprintf("%#U", &[Value::Int(c as i64)])
}

struct Lexer<'a> {
    input: &'a str,
    pos: usize,
    start: usize,
    paren_depth: i32,
    inside_action: bool,
    newlines: Vec<usize>,
    tokens: Vec<Token>,
    done: bool,
}

/// Tokenises `input`; the result always ends with an EOF or error token.
pub(super) fn lex(input: &str) -> Vec<Token> {
    let mut l = Lexer {
        input,
        pos: 0,
        start: 0,
        paren_depth: 0,
        inside_action: false,
        newlines: input.match_indices('\n').map(|(i, _)| i).collect(),
        tokens: Vec::new(),
        done: false,
    };
    while !l.done {
        if l.inside_action {
            l.lex_inside_action();
        } else {
            l.lex_text();
        }
    }
    l.tokens
}

impl Lexer<'_> {
    fn line_at(&self, pos: usize) -> usize {
        1 + self.newlines.partition_point(|&n| n < pos)
    }

    fn emit(&mut self, typ: Tok) {
        let val = self.input[self.start..self.pos].to_string();
        self.push(typ, self.start, val);
        self.start = self.pos;
    }

    fn push(&mut self, typ: Tok, pos: usize, val: String) {
        let line = self.line_at(pos);
        self.tokens.push(Token {
            typ,
            pos,
            val,
            line,
        });
        if matches!(typ, Tok::Eof | Tok::Error) {
            self.done = true;
        }
    }

    fn error(&mut self, msg: String) {
        self.push(Tok::Error, self.start, msg);
    }

    fn next(&mut self) -> Option<char> {
        let c = self.input[self.pos..].chars().next()?;
        self.pos += c.len_utf8();
        Some(c)
    }

    fn peek(&self) -> Option<char> {
        self.input[self.pos..].chars().next()
    }

    fn backup(&mut self, c: Option<char>) {
        if let Some(c) = c {
            self.pos -= c.len_utf8();
        }
    }

    fn accept(&mut self, valid: &str) -> bool {
        match self.peek() {
            Some(c) if valid.contains(c) => {
                self.pos += c.len_utf8();
                true
            }
            _ => false,
        }
    }

    fn accept_run(&mut self, valid: &str) {
        while self.accept(valid) {}
    }

    fn lex_text(&mut self) {
        let Some(x) = self.input[self.pos..].find(LEFT) else {
            self.pos = self.input.len();
            if self.pos > self.start {
                self.emit(Tok::Text);
            }
            self.emit(Tok::Eof);
            return;
        };
        if x > 0 {
            self.pos += x;
            // "{{- " trims the whitespace before the action.
            let mut trim = 0;
            if has_left_trim(&self.input[self.pos + LEFT.len()..]) {
                let text = &self.input[self.start..self.pos];
                trim = text.len() - text.trim_end_matches(is_space).len();
            }
            if self.pos - trim > self.start {
                let val = self.input[self.start..self.pos - trim].to_string();
                self.push(Tok::Text, self.start, val);
            }
            self.start = self.pos;
        }
        self.lex_left_delim();
    }

    fn lex_left_delim(&mut self) {
        self.pos += LEFT.len();
        let after = if has_left_trim(&self.input[self.pos..]) {
            2
        } else {
            0
        };
        if self.input[self.pos + after..].starts_with("/*") {
            self.pos += after;
            self.start = self.pos;
            self.lex_comment();
            return;
        }
        self.emit(Tok::LeftDelim);
        self.inside_action = true;
        self.pos += after;
        self.start = self.pos;
        self.paren_depth = 0;
    }

    fn lex_comment(&mut self) {
        self.pos += 2;
        let Some(x) = self.input[self.pos..].find("*/") else {
            return self.error("unclosed comment".into());
        };
        self.pos += x + 2;
        let (delim, trim) = self.at_right_delim();
        if !delim {
            return self.error("comment ends before closing delimiter".into());
        }
        if trim {
            self.pos += 2;
        }
        self.pos += RIGHT.len();
        if trim {
            self.skip_leading_space();
        }
        self.start = self.pos;
    }

    fn skip_leading_space(&mut self) {
        let rest = &self.input[self.pos..];
        self.pos += rest.len() - rest.trim_start_matches(is_space).len();
    }

    fn at_right_delim(&self) -> (bool, bool) {
        let rest = &self.input[self.pos..];
        if has_right_trim(rest) && rest[2..].starts_with(RIGHT) {
            return (true, true);
        }
        (rest.starts_with(RIGHT), false)
    }

    fn lex_right_delim(&mut self) {
        let (_, trim) = self.at_right_delim();
        if trim {
            self.pos += 2;
            self.start = self.pos;
        }
        self.pos += RIGHT.len();
        self.emit(Tok::RightDelim);
        if trim {
            self.skip_leading_space();
            self.start = self.pos;
        }
        self.inside_action = false;
    }

    fn lex_inside_action(&mut self) {
        if self.at_right_delim().0 {
            if self.paren_depth == 0 {
                return self.lex_right_delim();
            }
            return self.error("unclosed left paren".into());
        }
        let Some(c) = self.next() else {
            return self.error("unclosed action".into());
        };
        match c {
            _ if is_space(c) => {
                self.backup(Some(c));
                self.lex_space();
            }
            '=' => self.emit(Tok::Assign),
            ':' => {
                if self.next() != Some('=') {
                    return self.error("expected :=".into());
                }
                self.emit(Tok::Declare);
            }
            '|' => self.emit(Tok::Pipe),
            '"' => self.lex_quote(),
            '`' => self.lex_raw_quote(),
            '$' => self.lex_variable(),
            '\'' => self.lex_char(),
            '.' if !self.peek().is_some_and(|c| c.is_ascii_digit()) && self.peek().is_some() => {
                self.lex_field_or_variable(Tok::Field)
            }
            '.' | '+' | '-' | '0'..='9' => {
                self.backup(Some(c));
                self.lex_number();
            }
            _ if is_alnum(c) => {
                self.backup(Some(c));
                self.lex_identifier();
            }
            '(' => {
                self.paren_depth += 1;
                self.emit(Tok::LeftParen);
            }
            ')' => {
                self.paren_depth -= 1;
                if self.paren_depth < 0 {
                    return self.error("unexpected right paren".into());
                }
                self.emit(Tok::RightParen);
            }
            _ if c.is_ascii() && !c.is_ascii_control() => self.emit(Tok::Char),
            _ => self.error(format!(
                "unrecognized character in action: {}",
                rune_desc(c)
            )),
        }
    }

    fn lex_space(&mut self) {
        let mut n = 0;
        while self.peek().is_some_and(is_space) {
            self.pos += 1;
            n += 1;
        }
        // A space followed by "-}}" belongs to the trim marker.
        let before = &self.input[self.pos - 1..];
        if has_right_trim(before) && before[2..].starts_with(RIGHT) {
            self.pos -= 1;
            if n == 1 {
                return self.lex_right_delim();
            }
        }
        self.emit(Tok::Space);
    }

    fn at_terminator(&self) -> bool {
        match self.peek() {
            None => true,
            Some(c) if is_space(c) || ".,|:)(".contains(c) => true,
            _ => self.input[self.pos..].starts_with(RIGHT),
        }
    }

    fn lex_identifier(&mut self) {
        if !self.scan_word() {
            return;
        }
        let typ = match &self.input[self.start..self.pos] {
            "block" => Tok::Block,
            "break" => Tok::Break,
            "continue" => Tok::Continue,
            "define" => Tok::Define,
            "else" => Tok::Else,
            "end" => Tok::End,
            "if" => Tok::If,
            "range" => Tok::Range,
            "nil" => Tok::Nil,
            "template" => Tok::Template,
            "with" => Tok::With,
            "true" | "false" => Tok::Bool,
            _ => Tok::Identifier,
        };
        self.emit(typ);
    }

    /// Consumes letters and digits; false (after emitting the error) when
    /// the word is not followed by a valid terminator.
    fn scan_word(&mut self) -> bool {
        let mut stop = None;
        while let Some(c) = self.next() {
            if !is_alnum(c) {
                self.backup(Some(c));
                stop = Some(c);
                break;
            }
        }
        if !self.at_terminator() {
            let c = stop.unwrap_or('\u{fffd}');
            self.error(format!("bad character {}", rune_desc(c)));
            return false;
        }
        true
    }

    fn lex_variable(&mut self) {
        if self.at_terminator() {
            return self.emit(Tok::Variable);
        }
        self.lex_field_or_variable(Tok::Variable);
    }

    fn lex_field_or_variable(&mut self, typ: Tok) {
        if self.at_terminator() {
            return self.emit(if typ == Tok::Variable {
                Tok::Variable
            } else {
                Tok::Dot
            });
        }
        if !self.scan_word() {
            return;
        }
        self.emit(typ);
    }

    fn lex_char(&mut self) {
        self.lex_escaped('\'', "unterminated character constant", Tok::CharConstant);
    }

    /// A quoted token with backslash escapes, ended by `close` on one line.
    fn lex_escaped(&mut self, close: char, unterminated: &str, tok: Tok) {
        loop {
            match self.next() {
                Some('\\') => {
                    if !matches!(self.next(), None | Some('\n')) {
                        continue;
                    }
                    return self.error(unterminated.into());
                }
                None | Some('\n') => return self.error(unterminated.into()),
                Some(c) if c == close => break,
                _ => {}
            }
        }
        self.emit(tok);
    }

    fn lex_number(&mut self) {
        if !self.scan_number() {
            let bad = quote(&self.input[self.start..self.pos], false);
            return self.error(format!("bad number syntax: {bad}"));
        }
        if matches!(self.peek(), Some('+' | '-')) {
            if !self.scan_number() || !self.input[..self.pos].ends_with('i') {
                let bad = quote(&self.input[self.start..self.pos], false);
                return self.error(format!("bad number syntax: {bad}"));
            }
            return self.emit(Tok::Complex);
        }
        self.emit(Tok::Number);
    }

    fn scan_number(&mut self) -> bool {
        self.accept("+-");
        let mut digits = "0123456789_";
        if self.accept("0") {
            if self.accept("xX") {
                digits = "0123456789abcdefABCDEF_";
            } else if self.accept("oO") {
                digits = "01234567_";
            } else if self.accept("bB") {
                digits = "01_";
            }
        }
        self.accept_run(digits);
        if self.accept(".") {
            self.accept_run(digits);
        }
        if digits.len() == 11 && self.accept("eE") {
            self.accept("+-");
            self.accept_run("0123456789_");
        }
        if digits.len() == 23 && self.accept("pP") {
            self.accept("+-");
            self.accept_run("0123456789_");
        }
        self.accept("i");
        if self.peek().is_some_and(is_alnum) {
            self.next();
            return false;
        }
        true
    }

    fn lex_quote(&mut self) {
        self.lex_escaped('"', "unterminated quoted string", Tok::String);
    }

    fn lex_raw_quote(&mut self) {
        loop {
            match self.next() {
                None => return self.error("unterminated raw quoted string".into()),
                Some('`') => break,
                _ => {}
            }
        }
        self.emit(Tok::RawString);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn kinds(s: &str) -> Vec<(Tok, String)> {
        lex(s).into_iter().map(|t| (t.typ, t.val)).collect()
    }

    #[test]
    fn trims_and_tokens() {
        let toks = kinds("a  {{- .X -}}  b");
        assert_eq!(
            toks,
            vec![
                (Tok::Text, "a".into()),
                (Tok::LeftDelim, "{{".into()),
                (Tok::Field, ".X".into()),
                (Tok::RightDelim, "}}".into()),
                (Tok::Text, "b".into()),
                (Tok::Eof, "".into()),
            ]
        );
        let toks = kinds("{{/* c */}}x{{ $a := 3 }}");
        assert_eq!(toks[0], (Tok::Text, "x".into()));
        assert_eq!(toks[3], (Tok::Variable, "$a".into()));
        assert_eq!(toks[5], (Tok::Declare, ":=".into()));
        assert_eq!(toks[7], (Tok::Number, "3".into()));
    }

    #[test]
    fn errors() {
        let toks = lex("{{.A");
        assert_eq!(toks.last().unwrap().val, "unclosed action");
        let toks = lex("{{\"abc}}");
        assert_eq!(toks.last().unwrap().val, "unterminated quoted string");
        let toks = lex("{{3x}}");
        assert_eq!(toks.last().unwrap().val, r#"bad number syntax: "3x""#);
    }
}
