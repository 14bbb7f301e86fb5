//! `awk`, as learners pipe kubectl's tables through it (`kubectl get pods | awk '{print $1}'`, `awk -F: …`,
//! `awk 'NR>1 && $3=="Running" {n++} END {print n}'`): the POSIX language over records and fields — patterns
//! (expressions, `/regex/`, `BEGIN`, `END`, ranges), actions with `print` (also `> file`), `printf`, assignment,
//! `if`/`while`/`do`/`for`/`for (k in a)`, `next`, `exit`, `delete`, associative arrays, the special variables
//! (`NR NF FNR FS OFS ORS RS FILENAME RSTART RLENGTH SUBSEP CONVFMT OFMT`) and the string and numeric built-ins
//! (`length substr index split sub gsub match sprintf tolower toupper int sqrt exp log sin cos atan2 system`).
//! Numbers print as the POSIX rules say (integers as integers, others through `OFMT`, `%.6g`), comparisons
//! are numeric when both sides look like numbers, and `printf` uses the shell's formatter. Regular expressions
//! are the shell's ERE engine. Error messages are mawk's (Debian's `awk`) or BusyBox's, by the image.

use std::collections::BTreeMap;

use crate::printf::parse_spec;
use crate::regex::{self, Regex, Syntax};
use crate::shell::{Host, Output};
use crate::Flavor;

/// How many statements one run may execute, so `while (1)` ends.
const MAX_STEPS: usize = 2_000_000;

// ---- lexer ----

#[derive(Debug, Clone, PartialEq)]
enum Tok {
    Num(f64),
    Str(String),
    Regex(String),
    Name(String),
    /// A built-in function name.
    Func(String),
    Kw(&'static str),
    Op(&'static str),
    Newline,
}

const KEYWORDS: &[&str] = &[
    "BEGIN", "END", "if", "else", "while", "for", "do", "in", "next", "exit", "print", "printf",
    "delete", "break", "continue", "getline", "function", "return", "nextfile",
];

const FUNCS: &[&str] = &[
    "length", "substr", "index", "split", "sub", "gsub", "match", "sprintf", "tolower", "toupper",
    "int", "sqrt", "exp", "log", "sin", "cos", "atan2", "rand", "srand", "system", "close",
    "fflush",
];

/// Operators, longest first.
const OPS: &[&str] = &[
    "&&", "||", "==", "!=", "<=", ">=", "!~", "++", "--", "+=", "-=", "*=", "/=", "%=", "^=", ">>",
    "**", "{", "}", "(", ")", "[", "]", ";", ",", "+", "-", "*", "/", "%", "^", "!", ">", "<", "|",
    "?", ":", "~", "$", "=",
];

/// A syntax error: the line and the token near it.
#[derive(Debug)]
struct SyntaxError {
    line: usize,
    near: String,
}

fn lex(src: &str) -> Result<Vec<(Tok, usize)>, SyntaxError> {
    let chars: Vec<char> = src.chars().collect();
    let mut out: Vec<(Tok, usize)> = Vec::new();
    let mut i = 0;
    let mut line = 1;
    // Whether a `/` here starts a regular expression (an operand is expected) or divides.
    let regex_allowed = |out: &Vec<(Tok, usize)>| match out.last().map(|t| &t.0) {
        None => true,
        Some(Tok::Num(_) | Tok::Str(_) | Tok::Name(_) | Tok::Regex(_)) => false,
        Some(Tok::Op(")" | "]" | "$" | "++" | "--")) => false,
        Some(Tok::Kw("getline")) => false,
        _ => true,
    };
    while i < chars.len() {
        let c = chars[i];
        match c {
            ' ' | '\t' | '\r' => i += 1,
            '\\' if chars.get(i + 1) == Some(&'\n') => {
                i += 2;
                line += 1;
            }
            '\n' => {
                out.push((Tok::Newline, line));
                line += 1;
                i += 1;
            }
            '#' => {
                while i < chars.len() && chars[i] != '\n' {
                    i += 1;
                }
            }
            '"' => {
                i += 1;
                let mut s = String::new();
                loop {
                    match chars.get(i) {
                        None | Some('\n') => {
                            return Err(SyntaxError {
                                line,
                                near: "runaway string".into(),
                            })
                        }
                        Some('"') => {
                            i += 1;
                            break;
                        }
                        Some('\\') => {
                            i += 1;
                            let (text, used) = string_escape(&chars, i);
                            s.push_str(&text);
                            i += used;
                        }
                        Some(&ch) => {
                            s.push(ch);
                            i += 1;
                        }
                    }
                }
                out.push((Tok::Str(s), line));
            }
            '/' if regex_allowed(&out) => {
                i += 1;
                let mut s = String::new();
                let mut in_class = false;
                loop {
                    match chars.get(i) {
                        None | Some('\n') => {
                            return Err(SyntaxError {
                                line,
                                near: "runaway regular expression".into(),
                            })
                        }
                        Some('/') if !in_class => {
                            i += 1;
                            break;
                        }
                        Some('\\') if chars.get(i + 1) == Some(&'/') => {
                            s.push('/');
                            i += 2;
                        }
                        Some('\\') => {
                            s.push('\\');
                            if let Some(&n) = chars.get(i + 1) {
                                s.push(n);
                            }
                            i += 2;
                        }
                        Some(&ch) => {
                            if ch == '[' {
                                in_class = true;
                            } else if ch == ']' {
                                in_class = false;
                            }
                            s.push(ch);
                            i += 1;
                        }
                    }
                }
                out.push((Tok::Regex(s), line));
            }
            c if c.is_ascii_digit()
                || (c == '.' && chars.get(i + 1).is_some_and(char::is_ascii_digit)) =>
            {
                let start = i;
                while i < chars.len() && (chars[i].is_ascii_digit() || chars[i] == '.') {
                    i += 1;
                }
                if i < chars.len() && matches!(chars[i], 'e' | 'E') {
                    let mut j = i + 1;
                    if j < chars.len() && matches!(chars[j], '+' | '-') {
                        j += 1;
                    }
                    if j < chars.len() && chars[j].is_ascii_digit() {
                        i = j;
                        while i < chars.len() && chars[i].is_ascii_digit() {
                            i += 1;
                        }
                    }
                }
                let text: String = chars[start..i].iter().collect();
                out.push((Tok::Num(to_num(&text)), line));
            }
            c if c == '_' || c.is_ascii_alphabetic() => {
                let start = i;
                while i < chars.len() && (chars[i] == '_' || chars[i].is_ascii_alphanumeric()) {
                    i += 1;
                }
                let word: String = chars[start..i].iter().collect();
                let tok = if let Some(k) = KEYWORDS.iter().find(|k| **k == word) {
                    Tok::Kw(k)
                } else if FUNCS.contains(&word.as_str()) {
                    Tok::Func(word)
                } else {
                    Tok::Name(word)
                };
                out.push((tok, line));
            }
            _ => {
                let rest: String = chars[i..chars.len().min(i + 2)].iter().collect();
                let Some(op) = OPS.iter().find(|op| rest.starts_with(**op)) else {
                    return Err(SyntaxError {
                        line,
                        near: c.to_string(),
                    });
                };
                i += op.chars().count();
                let op: &'static str = if *op == "**" { "^" } else { op };
                out.push((Tok::Op(op), line));
            }
        }
    }
    Ok(out)
}

/// One escape in a string (after its backslash): the text and how many characters it used.
fn string_escape(chars: &[char], i: usize) -> (String, usize) {
    let Some(&c) = chars.get(i) else {
        return ("\\".into(), 0);
    };
    let one = |ch: char| (ch.to_string(), 1);
    match c {
        'n' => one('\n'),
        't' => one('\t'),
        'r' => one('\r'),
        '\\' => one('\\'),
        '"' => one('"'),
        '/' => one('/'),
        'a' => one('\x07'),
        'b' => one('\x08'),
        'f' => one('\x0c'),
        'v' => one('\x0b'),
        '0'..='7' => {
            let mut v = 0;
            let mut used = 0;
            while used < 3 {
                match chars.get(i + used).and_then(|d| d.to_digit(8)) {
                    Some(d) => v = v * 8 + d,
                    None => break,
                }
                used += 1;
            }
            (
                char::from_u32(v).map(String::from).unwrap_or_default(),
                used,
            )
        }
        other => (format!("\\{other}"), 1),
    }
}

// ---- syntax tree ----

#[derive(Debug, Clone)]
enum Expr {
    Num(f64),
    Str(String),
    Regex(String),
    Var(String),
    Field(Box<Expr>),
    Index(String, Vec<Expr>),
    In(Vec<Expr>, String),
    Assign(Box<Expr>, &'static str, Box<Expr>),
    Cond(Box<Expr>, Box<Expr>, Box<Expr>),
    And(Box<Expr>, Box<Expr>),
    Or(Box<Expr>, Box<Expr>),
    Not(Box<Expr>),
    Neg(Box<Expr>),
    Plus(Box<Expr>),
    Binary(Box<Expr>, &'static str, Box<Expr>),
    Compare(Box<Expr>, &'static str, Box<Expr>),
    Match(Box<Expr>, bool, Box<Expr>),
    Concat(Box<Expr>, Box<Expr>),
    IncDec(Box<Expr>, &'static str, bool),
    Call(String, Vec<Expr>),
    Group(Box<Expr>),
}

#[derive(Debug, Clone)]
enum Redirect {
    File(Expr, bool),
}

#[derive(Debug, Clone)]
enum Stmt {
    Print(Vec<Expr>, Option<Redirect>),
    Printf(Vec<Expr>, Option<Redirect>),
    Expr(Expr),
    If(Expr, Box<Stmt>, Option<Box<Stmt>>),
    While(Expr, Box<Stmt>),
    DoWhile(Box<Stmt>, Expr),
    For(
        Option<Box<Stmt>>,
        Option<Expr>,
        Option<Box<Stmt>>,
        Box<Stmt>,
    ),
    ForIn(String, String, Box<Stmt>),
    Block(Vec<Stmt>),
    Next,
    Exit(Option<Expr>),
    Break,
    Continue,
    Delete(String, Option<Vec<Expr>>),
}

#[derive(Debug, Clone)]
enum Pattern {
    Begin,
    End,
    All,
    Expr(Expr),
    Range(Expr, Expr),
}

#[derive(Debug, Clone)]
struct Item {
    pattern: Pattern,
    /// `None`: print the record.
    action: Option<Vec<Stmt>>,
}

// ---- parser ----

struct Parser {
    toks: Vec<(Tok, usize)>,
    pos: usize,
    /// Inside `print`'s arguments, `>` redirects instead of comparing.
    no_gt: bool,
    /// Inside `for (… in …)` look-ahead or a bracket: `in` is not the operator.
    no_in: bool,
}

type PResult<T> = Result<T, SyntaxError>;

impl Parser {
    fn peek(&self) -> Option<&Tok> {
        self.toks.get(self.pos).map(|t| &t.0)
    }

    fn line(&self) -> usize {
        self.toks
            .get(self.pos)
            .or_else(|| self.toks.last())
            .map_or(1, |t| t.1)
    }

    fn error<T>(&self) -> PResult<T> {
        let near = match self.peek() {
            None => "end of file".to_string(),
            Some(Tok::Num(n)) => format_num(*n, "%.6g", Flavor::Gnu),
            Some(Tok::Str(s)) => format!("\"{s}\""),
            Some(Tok::Regex(r)) => format!("/{r}/"),
            Some(Tok::Name(n) | Tok::Func(n)) => n.clone(),
            Some(Tok::Kw(k)) => (*k).to_string(),
            Some(Tok::Op(o)) => (*o).to_string(),
            Some(Tok::Newline) => "end of line".to_string(),
        };
        Err(SyntaxError {
            line: self.line(),
            near,
        })
    }

    fn is_op(&self, op: &str) -> bool {
        matches!(self.peek(), Some(Tok::Op(o)) if *o == op)
    }

    fn is_kw(&self, kw: &str) -> bool {
        matches!(self.peek(), Some(Tok::Kw(k)) if *k == kw)
    }

    fn eat_op(&mut self, op: &str) -> bool {
        if self.is_op(op) {
            self.pos += 1;
            true
        } else {
            false
        }
    }

    fn expect_op(&mut self, op: &str) -> PResult<()> {
        if self.eat_op(op) {
            Ok(())
        } else {
            self.error()
        }
    }

    fn skip_newlines(&mut self) {
        while matches!(self.peek(), Some(Tok::Newline)) {
            self.pos += 1;
        }
    }

    fn skip_terminators(&mut self) {
        while matches!(self.peek(), Some(Tok::Newline | Tok::Op(";"))) {
            self.pos += 1;
        }
    }

    fn program(&mut self) -> PResult<Vec<Item>> {
        let mut items = Vec::new();
        self.skip_terminators();
        while self.peek().is_some() {
            let pattern = if self.is_kw("BEGIN") {
                self.pos += 1;
                Pattern::Begin
            } else if self.is_kw("END") {
                self.pos += 1;
                Pattern::End
            } else if self.is_op("{") {
                Pattern::All
            } else if self.is_kw("function") {
                return self.error();
            } else {
                let first = self.expr()?;
                if self.eat_op(",") {
                    self.skip_newlines();
                    Pattern::Range(first, self.expr()?)
                } else {
                    Pattern::Expr(first)
                }
            };
            let action = if self.is_op("{") {
                Some(self.block()?)
            } else if matches!(pattern, Pattern::Begin | Pattern::End) {
                return self.error();
            } else {
                None
            };
            items.push(Item { pattern, action });
            self.skip_terminators();
        }
        Ok(items)
    }

    fn block(&mut self) -> PResult<Vec<Stmt>> {
        self.expect_op("{")?;
        let mut stmts = Vec::new();
        loop {
            self.skip_terminators();
            if self.eat_op("}") {
                return Ok(stmts);
            }
            if self.peek().is_none() {
                return self.error();
            }
            stmts.push(self.statement()?);
        }
    }

    /// The end of a simple statement: `;`, a newline, or before `}`.
    fn end_simple(&mut self) -> PResult<()> {
        match self.peek() {
            Some(Tok::Op(";") | Tok::Newline) => {
                self.pos += 1;
                Ok(())
            }
            Some(Tok::Op("}")) | None => Ok(()),
            _ => self.error(),
        }
    }

    fn simple_or_block(&mut self) -> PResult<Stmt> {
        self.skip_newlines();
        if self.eat_op(";") {
            return Ok(Stmt::Block(Vec::new()));
        }
        self.statement()
    }

    fn statement(&mut self) -> PResult<Stmt> {
        if self.is_op("{") {
            return Ok(Stmt::Block(self.block()?));
        }
        let Some(tok) = self.peek().cloned() else {
            return self.error();
        };
        match tok {
            Tok::Kw("if") => {
                self.pos += 1;
                self.expect_op("(")?;
                let cond = self.expr()?;
                self.expect_op(")")?;
                let then = self.simple_or_block()?;
                // `else` may follow after newlines or a `;`.
                let save = self.pos;
                self.skip_terminators();
                if self.is_kw("else") {
                    self.pos += 1;
                    let other = self.simple_or_block()?;
                    return Ok(Stmt::If(cond, Box::new(then), Some(Box::new(other))));
                }
                self.pos = save;
                Ok(Stmt::If(cond, Box::new(then), None))
            }
            Tok::Kw("while") => {
                self.pos += 1;
                self.expect_op("(")?;
                let cond = self.expr()?;
                self.expect_op(")")?;
                if self.eat_op(";") {
                    return Ok(Stmt::While(cond, Box::new(Stmt::Block(Vec::new()))));
                }
                Ok(Stmt::While(cond, Box::new(self.simple_or_block()?)))
            }
            Tok::Kw("do") => {
                self.pos += 1;
                let body = self.simple_or_block()?;
                self.skip_terminators();
                if !self.is_kw("while") {
                    return self.error();
                }
                self.pos += 1;
                self.expect_op("(")?;
                let cond = self.expr()?;
                self.expect_op(")")?;
                self.end_simple()?;
                Ok(Stmt::DoWhile(Box::new(body), cond))
            }
            Tok::Kw("for") => {
                self.pos += 1;
                self.expect_op("(")?;
                // `for (k in a)`
                if let (
                    Some(Tok::Name(k)),
                    Some(Tok::Kw("in")),
                    Some(Tok::Name(a)),
                    Some(Tok::Op(")")),
                ) = (
                    self.toks.get(self.pos).map(|t| &t.0),
                    self.toks.get(self.pos + 1).map(|t| &t.0),
                    self.toks.get(self.pos + 2).map(|t| &t.0),
                    self.toks.get(self.pos + 3).map(|t| &t.0),
                ) {
                    let (k, a) = (k.clone(), a.clone());
                    self.pos += 4;
                    let body = self.simple_or_block()?;
                    return Ok(Stmt::ForIn(k, a, Box::new(body)));
                }
                let init = if self.is_op(";") {
                    None
                } else {
                    Some(Box::new(self.simple_statement()?))
                };
                self.expect_op(";")?;
                self.skip_newlines();
                let cond = if self.is_op(";") {
                    None
                } else {
                    Some(self.expr()?)
                };
                self.expect_op(";")?;
                self.skip_newlines();
                let step = if self.is_op(")") {
                    None
                } else {
                    Some(Box::new(self.simple_statement()?))
                };
                self.expect_op(")")?;
                if self.eat_op(";") {
                    return Ok(Stmt::For(
                        init,
                        cond,
                        step,
                        Box::new(Stmt::Block(Vec::new())),
                    ));
                }
                let body = self.simple_or_block()?;
                Ok(Stmt::For(init, cond, step, Box::new(body)))
            }
            Tok::Kw("next") => {
                self.pos += 1;
                self.end_simple()?;
                Ok(Stmt::Next)
            }
            Tok::Kw("break") => {
                self.pos += 1;
                self.end_simple()?;
                Ok(Stmt::Break)
            }
            Tok::Kw("continue") => {
                self.pos += 1;
                self.end_simple()?;
                Ok(Stmt::Continue)
            }
            Tok::Kw("exit") => {
                self.pos += 1;
                let code = match self.peek() {
                    Some(Tok::Op(";" | "}") | Tok::Newline) | None => None,
                    _ => Some(self.expr()?),
                };
                self.end_simple()?;
                Ok(Stmt::Exit(code))
            }
            Tok::Kw("delete") => {
                self.pos += 1;
                let Some(Tok::Name(name)) = self.peek().cloned() else {
                    return self.error();
                };
                self.pos += 1;
                let index = if self.eat_op("[") {
                    let list = self.expr_list("]")?;
                    Some(list)
                } else {
                    None
                };
                self.end_simple()?;
                Ok(Stmt::Delete(name, index))
            }
            _ => {
                let s = self.simple_statement()?;
                self.end_simple()?;
                Ok(s)
            }
        }
    }

    /// `print`, `printf` or an expression, without its terminator.
    fn simple_statement(&mut self) -> PResult<Stmt> {
        let printing = if self.is_kw("print") {
            Some(false)
        } else if self.is_kw("printf") {
            Some(true)
        } else {
            None
        };
        let Some(is_printf) = printing else {
            return Ok(Stmt::Expr(self.expr()?));
        };
        self.pos += 1;
        let args = if matches!(
            self.peek(),
            Some(Tok::Op(";" | "}" | ">" | "|")) | Some(Tok::Newline) | None
        ) {
            Vec::new()
        } else if self.is_op("(") {
            // `print (a, b)` or `print (a) (b)`: a parenthesized list only when a `)` ends the arguments.
            let save = self.pos;
            self.pos += 1;
            let list = self.expr_list(")");
            let ends = matches!(
                self.peek(),
                Some(Tok::Op(";" | "}" | ">" | "|")) | Some(Tok::Newline) | None
            );
            match list {
                Ok(list) if ends => list,
                _ => {
                    self.pos = save;
                    self.print_args()?
                }
            }
        } else {
            self.print_args()?
        };
        let redirect = if self.eat_op(">") {
            Some(Redirect::File(self.concat_expr()?, false))
        } else if self.eat_op(">>") {
            Some(Redirect::File(self.concat_expr()?, true))
        } else if self.is_op("|") {
            return self.error();
        } else {
            None
        };
        Ok(if is_printf {
            Stmt::Printf(args, redirect)
        } else {
            Stmt::Print(args, redirect)
        })
    }

    fn print_args(&mut self) -> PResult<Vec<Expr>> {
        let saved = self.no_gt;
        self.no_gt = true;
        let mut args = vec![self.expr()?];
        while self.eat_op(",") {
            self.skip_newlines();
            args.push(self.expr()?);
        }
        self.no_gt = saved;
        Ok(args)
    }

    fn expr_list(&mut self, close: &str) -> PResult<Vec<Expr>> {
        let saved = (self.no_gt, self.no_in);
        self.no_gt = false;
        self.no_in = false;
        let mut list = Vec::new();
        self.skip_newlines();
        if !self.eat_op(close) {
            loop {
                list.push(self.expr()?);
                self.skip_newlines();
                if self.eat_op(close) {
                    break;
                }
                self.expect_op(",")?;
                self.skip_newlines();
            }
        }
        (self.no_gt, self.no_in) = saved;
        Ok(list)
    }

    fn expr(&mut self) -> PResult<Expr> {
        self.ternary()
    }

    fn ternary(&mut self) -> PResult<Expr> {
        let cond = self.or()?;
        if self.eat_op("?") {
            self.skip_newlines();
            let a = self.ternary()?;
            self.skip_newlines();
            self.expect_op(":")?;
            self.skip_newlines();
            let b = self.ternary()?;
            return Ok(Expr::Cond(Box::new(cond), Box::new(a), Box::new(b)));
        }
        if let Some(Tok::Op(op @ ("=" | "+=" | "-=" | "*=" | "/=" | "%=" | "^="))) =
            self.peek().cloned()
        {
            if matches!(cond, Expr::Var(_) | Expr::Field(_) | Expr::Index(..)) {
                self.pos += 1;
                self.skip_newlines();
                let value = self.ternary()?;
                return Ok(Expr::Assign(Box::new(cond), op, Box::new(value)));
            }
        }
        Ok(cond)
    }

    fn or(&mut self) -> PResult<Expr> {
        let mut left = self.and()?;
        while self.eat_op("||") {
            self.skip_newlines();
            left = Expr::Or(Box::new(left), Box::new(self.and()?));
        }
        Ok(left)
    }

    fn and(&mut self) -> PResult<Expr> {
        let mut left = self.in_expr()?;
        while self.eat_op("&&") {
            self.skip_newlines();
            left = Expr::And(Box::new(left), Box::new(self.in_expr()?));
        }
        Ok(left)
    }

    fn in_expr(&mut self) -> PResult<Expr> {
        let mut left = self.matching()?;
        while !self.no_in && self.is_kw("in") {
            self.pos += 1;
            let Some(Tok::Name(a)) = self.peek().cloned() else {
                return self.error();
            };
            self.pos += 1;
            let keys = match left {
                Expr::Group(inner) => vec![*inner],
                other => vec![other],
            };
            left = Expr::In(keys, a);
        }
        Ok(left)
    }

    fn matching(&mut self) -> PResult<Expr> {
        let mut left = self.relational()?;
        loop {
            let negated = if self.eat_op("~") {
                false
            } else if self.eat_op("!~") {
                true
            } else {
                return Ok(left);
            };
            let right = self.relational()?;
            left = Expr::Match(Box::new(left), negated, Box::new(right));
        }
    }

    fn relational(&mut self) -> PResult<Expr> {
        let left = self.concat_expr()?;
        let op = match self.peek() {
            Some(Tok::Op(op @ ("<" | "<=" | "==" | "!=" | ">="))) => *op,
            Some(Tok::Op(">")) if !self.no_gt => ">",
            _ => return Ok(left),
        };
        self.pos += 1;
        let right = self.concat_expr()?;
        Ok(Expr::Compare(Box::new(left), op, Box::new(right)))
    }

    /// Whether the next token can start an operand that concatenates.
    fn starts_operand(&self) -> bool {
        matches!(
            self.peek(),
            Some(Tok::Num(_) | Tok::Str(_) | Tok::Name(_) | Tok::Func(_) | Tok::Regex(_))
                | Some(Tok::Op("$" | "(" | "!" | "++" | "--"))
        )
    }

    fn concat_expr(&mut self) -> PResult<Expr> {
        let mut left = self.additive()?;
        // `a -1` subtracts: a leading sign does not start a concatenated operand.
        while self.starts_operand() && !(self.no_in && self.is_kw("in")) {
            let right = self.additive()?;
            left = Expr::Concat(Box::new(left), Box::new(right));
        }
        Ok(left)
    }

    fn additive(&mut self) -> PResult<Expr> {
        let mut left = self.multiplicative()?;
        loop {
            let op = if self.eat_op("+") {
                "+"
            } else if self.eat_op("-") {
                "-"
            } else {
                return Ok(left);
            };
            left = Expr::Binary(Box::new(left), op, Box::new(self.multiplicative()?));
        }
    }

    fn multiplicative(&mut self) -> PResult<Expr> {
        let mut left = self.unary()?;
        loop {
            let op = match self.peek() {
                Some(Tok::Op(op @ ("*" | "/" | "%"))) => *op,
                _ => return Ok(left),
            };
            self.pos += 1;
            left = Expr::Binary(Box::new(left), op, Box::new(self.unary()?));
        }
    }

    fn unary(&mut self) -> PResult<Expr> {
        if self.eat_op("!") {
            return Ok(Expr::Not(Box::new(self.unary()?)));
        }
        if self.eat_op("-") {
            return Ok(Expr::Neg(Box::new(self.unary()?)));
        }
        if self.eat_op("+") {
            return Ok(Expr::Plus(Box::new(self.unary()?)));
        }
        self.power()
    }

    fn power(&mut self) -> PResult<Expr> {
        let base = self.postfix()?;
        if self.eat_op("^") {
            // Right-associative, and binds tighter than unary minus on its right.
            let exp = if self.is_op("-") {
                self.pos += 1;
                Expr::Neg(Box::new(self.power()?))
            } else {
                self.power()?
            };
            return Ok(Expr::Binary(Box::new(base), "^", Box::new(exp)));
        }
        Ok(base)
    }

    fn postfix(&mut self) -> PResult<Expr> {
        if self.eat_op("++") {
            let target = self.primary()?;
            return Ok(Expr::IncDec(Box::new(target), "++", true));
        }
        if self.eat_op("--") {
            let target = self.primary()?;
            return Ok(Expr::IncDec(Box::new(target), "--", true));
        }
        let e = self.primary()?;
        if matches!(e, Expr::Var(_) | Expr::Field(_) | Expr::Index(..)) {
            if self.eat_op("++") {
                return Ok(Expr::IncDec(Box::new(e), "++", false));
            }
            if self.eat_op("--") {
                return Ok(Expr::IncDec(Box::new(e), "--", false));
            }
        }
        Ok(e)
    }

    fn primary(&mut self) -> PResult<Expr> {
        let Some(tok) = self.peek().cloned() else {
            return self.error();
        };
        match tok {
            Tok::Num(n) => {
                self.pos += 1;
                Ok(Expr::Num(n))
            }
            Tok::Str(s) => {
                self.pos += 1;
                Ok(Expr::Str(s))
            }
            Tok::Regex(r) => {
                self.pos += 1;
                Ok(Expr::Regex(r))
            }
            Tok::Op("$") => {
                self.pos += 1;
                let inner = if self.eat_op("++") {
                    Expr::IncDec(Box::new(self.primary()?), "++", true)
                } else if self.eat_op("-") {
                    Expr::Neg(Box::new(self.primary()?))
                } else {
                    self.primary()?
                };
                Ok(Expr::Field(Box::new(inner)))
            }
            Tok::Op("(") => {
                self.pos += 1;
                let saved = (self.no_gt, self.no_in);
                self.no_gt = false;
                self.no_in = false;
                let first = self.expr()?;
                if self.is_op(",") {
                    // `(a, b) in arr`
                    let mut list = vec![first];
                    while self.eat_op(",") {
                        list.push(self.expr()?);
                    }
                    self.expect_op(")")?;
                    (self.no_gt, self.no_in) = saved;
                    if !self.is_kw("in") {
                        return self.error();
                    }
                    self.pos += 1;
                    let Some(Tok::Name(a)) = self.peek().cloned() else {
                        return self.error();
                    };
                    self.pos += 1;
                    return Ok(Expr::In(list, a));
                }
                self.expect_op(")")?;
                (self.no_gt, self.no_in) = saved;
                Ok(Expr::Group(Box::new(first)))
            }
            Tok::Name(name) => {
                self.pos += 1;
                if self.eat_op("[") {
                    let index = self.expr_list("]")?;
                    return Ok(Expr::Index(name, index));
                }
                Ok(Expr::Var(name))
            }
            Tok::Func(name) => {
                self.pos += 1;
                if name == "length" && !self.is_op("(") {
                    return Ok(Expr::Call(name, Vec::new()));
                }
                self.expect_op("(")?;
                let args = self.expr_list(")")?;
                Ok(Expr::Call(name, args))
            }
            _ => self.error(),
        }
    }
}

// ---- values ----

/// An awk value: a number, a string, or input that is a string but compares as a number when it looks like
/// one (POSIX "numeric string").
#[derive(Debug, Clone, PartialEq)]
enum Value {
    Num(f64),
    Str(String),
    StrNum(String),
}

impl Value {
    fn num(&self) -> f64 {
        match self {
            Value::Num(n) => *n,
            Value::Str(s) | Value::StrNum(s) => to_num(s),
        }
    }

    fn truthy(&self) -> bool {
        match self {
            Value::Num(n) => *n != 0.0,
            Value::Str(s) => !s.is_empty(),
            Value::StrNum(s) => {
                if looks_numeric(s) {
                    to_num(s) != 0.0
                } else {
                    !s.is_empty()
                }
            }
        }
    }

    fn is_numeric(&self) -> bool {
        match self {
            Value::Num(_) => true,
            Value::Str(_) => false,
            Value::StrNum(s) => looks_numeric(s),
        }
    }
}

/// The number a string starts with, as `strtod` reads it (0 when it starts with none).
fn to_num(s: &str) -> f64 {
    let t = s.trim_start_matches([' ', '\t', '\n']);
    let b = t.as_bytes();
    let mut i = 0;
    if i < b.len() && matches!(b[i], b'+' | b'-') {
        i += 1;
    }
    let digits_start = i;
    while i < b.len() && b[i].is_ascii_digit() {
        i += 1;
    }
    if i < b.len() && b[i] == b'.' {
        i += 1;
        while i < b.len() && b[i].is_ascii_digit() {
            i += 1;
        }
    }
    if i == digits_start || (i == digits_start + 1 && b[digits_start] == b'.') {
        return 0.0;
    }
    if i < b.len() && matches!(b[i], b'e' | b'E') {
        let mut j = i + 1;
        if j < b.len() && matches!(b[j], b'+' | b'-') {
            j += 1;
        }
        if j < b.len() && b[j].is_ascii_digit() {
            while j < b.len() && b[j].is_ascii_digit() {
                j += 1;
            }
            i = j;
        }
    }
    t[..i].parse().unwrap_or(0.0)
}

/// Whether all of a string (blanks aside) is a number.
fn looks_numeric(s: &str) -> bool {
    let t = s.trim_matches([' ', '\t', '\n']);
    if t.is_empty() {
        return false;
    }
    let body = t.trim_start_matches(['+', '-']);
    if body.len() + 1 < t.len() {
        return false;
    }
    let mut seen_digit = false;
    let mut seen_dot = false;
    let mut chars = body.chars().peekable();
    while let Some(&c) = chars.peek() {
        if c.is_ascii_digit() {
            seen_digit = true;
        } else if c == '.' && !seen_dot {
            seen_dot = true;
        } else {
            break;
        }
        chars.next();
    }
    if !seen_digit {
        return false;
    }
    let rest: String = chars.collect();
    if rest.is_empty() {
        return true;
    }
    let Some(exp) = rest.strip_prefix(['e', 'E']) else {
        return false;
    };
    let exp = exp.strip_prefix(['+', '-']).unwrap_or(exp);
    !exp.is_empty() && exp.chars().all(|c| c.is_ascii_digit())
}

/// The largest integral value that prints as an integer: mawk converts through its `Int`, a 64-bit integer
/// where the C library has one (mawk sizes.h `Max_Int`, cast.c `cast1_to_s`), as BusyBox's awk does.
fn int_limit(_flavor: Flavor) -> f64 {
    9.223_372_036_854_775e18
}

/// A number as a string: an integral value prints as an integer, others through `fmt` (`CONVFMT`/`OFMT`).
fn format_num(n: f64, fmt: &str, flavor: Flavor) -> String {
    if n.is_finite() && n == n.trunc() && n.abs() <= int_limit(flavor) {
        return format!("{}", n as i64);
    }
    if n.is_nan() {
        return if n.is_sign_negative() { "-nan" } else { "nan" }.into();
    }
    if n.is_infinite() {
        return if n < 0.0 { "-inf" } else { "inf" }.into();
    }
    sprintf(fmt, &[Value::Num(n)], flavor)
}

/// awk's `sprintf`: the shell's conversions, with awk's arguments (`%c` of a number is that character, `%d`
/// truncates).
fn sprintf(format: &str, args: &[Value], flavor: Flavor) -> String {
    let chars: Vec<char> = format.chars().collect();
    let mut out = String::new();
    let mut next = 0;
    let mut i = 0;
    while i < chars.len() {
        if chars[i] != '%' {
            out.push(chars[i]);
            i += 1;
            continue;
        }
        if chars.get(i + 1) == Some(&'%') {
            out.push('%');
            i += 2;
            continue;
        }
        let mut star = || {
            let v = args.get(next).map_or(0.0, Value::num);
            next += 1;
            v as i64
        };
        let Ok((spec, end)) = parse_spec(&chars, i + 1, &mut star) else {
            out.extend(&chars[i..]);
            break;
        };
        i = end;
        let arg = args.get(next).cloned();
        next += 1;
        let text = |v: &Option<Value>| v.as_ref().map(|v| string_of(v, flavor)).unwrap_or_default();
        let number = |v: &Option<Value>| v.as_ref().map_or(0.0, Value::num);
        out.push_str(&match spec.conv {
            's' => spec.string(&text(&arg)),
            'c' => {
                let c: String = match &arg {
                    Some(Value::Num(n)) => char::from_u32(*n as u32)
                        .map(String::from)
                        .unwrap_or_default(),
                    other => text(other).chars().take(1).collect(),
                };
                spec.string(&c)
            }
            'd' | 'i' => spec.signed(number(&arg).trunc() as i128),
            'o' | 'u' | 'x' | 'X' => {
                let n = number(&arg).trunc();
                let u = if n < 0.0 { (n as i64) as u64 } else { n as u64 };
                spec.unsigned(u128::from(u))
            }
            'e' | 'E' | 'f' | 'F' | 'g' | 'G' => spec.float(number(&arg)),
            other => {
                let mut s: String = "%".into();
                s.push(other);
                s
            }
        });
    }
    out
}

fn string_of(v: &Value, flavor: Flavor) -> String {
    match v {
        Value::Num(n) => format_num(*n, "%.6g", flavor),
        Value::Str(s) | Value::StrNum(s) => s.clone(),
    }
}

// ---- interpreter ----

/// How a statement ended.
enum Flow {
    Normal,
    Next,
    Exit,
    Break,
    Continue,
}

struct Runtime<'h> {
    host: &'h mut dyn Host,
    vars: BTreeMap<String, Value>,
    arrays: BTreeMap<String, BTreeMap<String, Value>>,
    record: String,
    fields: Vec<String>,
    /// What the program printed, stdout and stderr in the order it wrote them.
    out: Output,
    /// Files written with `>`: truncated at their first use only.
    opened: Vec<String>,
    regexes: BTreeMap<String, Option<Regex>>,
    exit_code: i32,
    steps: usize,
    flavor: Flavor,
}

impl Runtime<'_> {
    fn var(&self, name: &str) -> Value {
        match name {
            "NF" => Value::Num(self.fields.len() as f64),
            _ => self
                .vars
                .get(name)
                .cloned()
                .unwrap_or_else(|| Value::StrNum(String::new())),
        }
    }

    fn str_var(&self, name: &str) -> String {
        self.string(&self.var(name))
    }

    fn string(&self, v: &Value) -> String {
        match v {
            Value::Num(n) => format_num(*n, &self.str_var_raw("CONVFMT"), self.flavor),
            Value::Str(s) | Value::StrNum(s) => s.clone(),
        }
    }

    fn str_var_raw(&self, name: &str) -> String {
        match self.vars.get(name) {
            Some(Value::Str(s) | Value::StrNum(s)) => s.clone(),
            _ => "%.6g".into(),
        }
    }

    fn output_string(&self, v: &Value) -> String {
        match v {
            Value::Num(n) => format_num(*n, &self.str_var_raw("OFMT"), self.flavor),
            other => self.string(other),
        }
    }

    fn regex(&mut self, pattern: &str) -> Option<Regex> {
        if let Some(r) = self.regexes.get(pattern) {
            return r.clone();
        }
        let compiled = regex::compile(pattern, Syntax::Extended, false).ok();
        if compiled.is_none() {
            self.out.push_stderr(&match self.flavor {
                Flavor::Busybox => format!("awk: bad regex '{pattern}'\n"),
                Flavor::Gnu => {
                    format!("awk: regular expression compile failed (missing operand)\n{pattern}\n")
                }
            });
        }
        self.regexes.insert(pattern.to_string(), compiled.clone());
        compiled
    }

    /// Where `re` first matches `text` at or after byte `from` (byte offsets).
    fn find(&mut self, pattern: &str, text: &str, from: usize) -> Option<(usize, usize)> {
        let re = self.regex(pattern)?;
        re.find_at(text, from).map(|m| (m.start(), m.end()))
    }

    fn set_record(&mut self, record: &str) {
        self.record = record.to_string();
        self.fields = self.split(record, None);
    }

    /// Splits text into fields: `FS` " " on runs of blanks, one other character literally, else as a
    /// regular expression.
    fn split(&mut self, text: &str, fs: Option<&str>) -> Vec<String> {
        let fs = fs.map_or_else(|| self.str_var("FS"), str::to_string);
        if fs == " " {
            return text.split_whitespace().map(str::to_string).collect();
        }
        if text.is_empty() {
            return Vec::new();
        }
        let mut chars = fs.chars();
        if let (Some(c), None) = (chars.next(), chars.next()) {
            if c != '\\' {
                return text.split(c).map(str::to_string).collect();
            }
        }
        if fs == "\\t" {
            return text.split('\t').map(str::to_string).collect();
        }
        let mut out = Vec::new();
        let mut start = 0;
        let mut at = 0;
        while at <= text.len() {
            match self.find(&fs, text, at) {
                Some((s, e)) if e > s => {
                    out.push(text[start..s].to_string());
                    start = e;
                    at = e;
                }
                Some((s, _)) => at = regex::next_char(text, s),
                None => break,
            }
        }
        out.push(text[start..].to_string());
        out
    }

    /// `$0` rebuilt from the fields with `OFS`, after a field or `NF` changed.
    fn rebuild(&mut self) {
        self.record = self.fields.join(&self.str_var("OFS"));
    }

    fn field(&self, n: usize) -> Value {
        if n == 0 {
            return Value::StrNum(self.record.clone());
        }
        Value::StrNum(self.fields.get(n - 1).cloned().unwrap_or_default())
    }

    fn key(&mut self, index: &[Expr]) -> Result<String, String> {
        let mut parts = Vec::new();
        for e in index {
            let v = self.eval(e)?;
            parts.push(self.string(&v));
        }
        Ok(parts.join(&self.str_var("SUBSEP")))
    }

    fn assign(&mut self, target: &Expr, value: Value) -> Result<Value, String> {
        match target {
            Expr::Var(name) if name == "NF" => {
                let n = value.num().max(0.0) as usize;
                self.fields.resize(n, String::new());
                self.rebuild();
            }
            Expr::Var(name) => {
                self.vars.insert(name.clone(), value.clone());
            }
            Expr::Field(index) => {
                let n = self.eval(index)?.num();
                if n < 0.0 {
                    return Err(format!("trying to access out of range field {}", n as i64));
                }
                let n = n as usize;
                let text = self.string(&value);
                if n == 0 {
                    self.set_record(&text);
                } else {
                    if self.fields.len() < n {
                        self.fields.resize(n, String::new());
                    }
                    self.fields[n - 1] = text;
                    self.rebuild();
                }
            }
            Expr::Index(name, index) => {
                let key = self.key(index)?;
                self.arrays
                    .entry(name.clone())
                    .or_default()
                    .insert(key, value.clone());
            }
            Expr::Group(inner) => return self.assign(inner, value),
            _ => return Err("assignment to a non-variable".into()),
        }
        Ok(value)
    }

    fn compare(&mut self, a: &Value, b: &Value) -> std::cmp::Ordering {
        if a.is_numeric() && b.is_numeric() {
            a.num()
                .partial_cmp(&b.num())
                .unwrap_or(std::cmp::Ordering::Equal)
        } else {
            self.string(a).cmp(&self.string(b))
        }
    }

    /// The regular expression an operand of `~` or a pattern stands for.
    fn pattern_of(&mut self, e: &Expr) -> Result<String, String> {
        match e {
            Expr::Regex(r) => Ok(r.clone()),
            other => {
                let v = self.eval(other)?;
                Ok(self.string(&v))
            }
        }
    }

    fn eval(&mut self, e: &Expr) -> Result<Value, String> {
        Ok(match e {
            Expr::Num(n) => Value::Num(*n),
            Expr::Str(s) => Value::Str(s.clone()),
            Expr::Regex(r) => {
                let record = self.record.clone();
                Value::Num(f64::from(u8::from(self.find(r, &record, 0).is_some())))
            }
            Expr::Var(name) => self.var(name),
            Expr::Group(inner) => self.eval(inner)?,
            Expr::Field(index) => {
                let n = self.eval(index)?.num();
                if n < 0.0 {
                    return Err(format!("trying to access out of range field {}", n as i64));
                }
                self.field(n as usize)
            }
            Expr::Index(name, index) => {
                let key = self.key(index)?;
                self.arrays
                    .entry(name.clone())
                    .or_default()
                    .entry(key)
                    .or_insert_with(|| Value::StrNum(String::new()))
                    .clone()
            }
            Expr::In(index, name) => {
                let key = self.key(index)?;
                let has = self.arrays.get(name).is_some_and(|a| a.contains_key(&key));
                Value::Num(f64::from(u8::from(has)))
            }
            Expr::Assign(target, op, value) => {
                let v = self.eval(value)?;
                let new = if *op == "=" {
                    v
                } else {
                    let old = self.eval(target)?.num();
                    Value::Num(arith(old, &op[..1], v.num()))
                };
                self.assign(target, new)?
            }
            Expr::Cond(c, a, b) => {
                if self.eval(c)?.truthy() {
                    self.eval(a)?
                } else {
                    self.eval(b)?
                }
            }
            Expr::And(a, b) => Value::Num(f64::from(u8::from(
                self.eval(a)?.truthy() && self.eval(b)?.truthy(),
            ))),
            Expr::Or(a, b) => Value::Num(f64::from(u8::from(
                self.eval(a)?.truthy() || self.eval(b)?.truthy(),
            ))),
            Expr::Not(a) => Value::Num(f64::from(u8::from(!self.eval(a)?.truthy()))),
            Expr::Neg(a) => Value::Num(-self.eval(a)?.num()),
            Expr::Plus(a) => Value::Num(self.eval(a)?.num()),
            Expr::Binary(a, op, b) => {
                let x = self.eval(a)?.num();
                let y = self.eval(b)?.num();
                if matches!(*op, "/" | "%") && y == 0.0 {
                    return Err(if *op == "/" {
                        "division by zero"
                    } else {
                        "division by zero in %"
                    }
                    .into());
                }
                Value::Num(arith(x, op, y))
            }
            Expr::Compare(a, op, b) => {
                let x = self.eval(a)?;
                let y = self.eval(b)?;
                let ord = self.compare(&x, &y);
                use std::cmp::Ordering::*;
                let r = match *op {
                    "<" => ord == Less,
                    "<=" => ord != Greater,
                    ">" => ord == Greater,
                    ">=" => ord != Less,
                    "==" => ord == Equal,
                    _ => ord != Equal,
                };
                Value::Num(f64::from(u8::from(r)))
            }
            Expr::Match(text, negated, re) => {
                let t = self.eval(text)?;
                let t = self.string(&t);
                let pattern = self.pattern_of(re)?;
                let hit = self.find(&pattern, &t, 0).is_some();
                Value::Num(f64::from(u8::from(hit != *negated)))
            }
            Expr::Concat(a, b) => {
                let x = self.eval(a)?;
                let y = self.eval(b)?;
                Value::Str(format!("{}{}", self.string(&x), self.string(&y)))
            }
            Expr::IncDec(target, op, pre) => {
                let old = self.eval(target)?.num();
                let new = if *op == "++" { old + 1.0 } else { old - 1.0 };
                self.assign(target, Value::Num(new))?;
                Value::Num(if *pre { new } else { old })
            }
            Expr::Call(name, args) => self.call(name, args)?,
        })
    }

    fn call(&mut self, name: &str, args: &[Expr]) -> Result<Value, String> {
        let mut vals = Vec::new();
        // sub, gsub and split take an lvalue or array name; evaluate the others.
        let lazy = matches!(name, "sub" | "gsub" | "split");
        if !lazy {
            for a in args {
                vals.push(self.eval(a)?);
            }
        }
        let s = |rt: &Self, i: usize| vals.get(i).map(|v| rt.string(v)).unwrap_or_default();
        let n = |i: usize| vals.get(i).map_or(0.0, Value::num);
        Ok(match name {
            "length" => match args.first() {
                None => Value::Num(self.record.chars().count() as f64),
                Some(Expr::Var(a)) if self.arrays.contains_key(a) => {
                    Value::Num(self.arrays.get(a).map_or(0, BTreeMap::len) as f64)
                }
                Some(_) => Value::Num(s(self, 0).chars().count() as f64),
            },
            "substr" => {
                let text: Vec<char> = s(self, 0).chars().collect();
                // POSIX: characters from m (1-based, rounded) for n characters, clipped to the string.
                let m = n(1).round();
                let end = if vals.len() > 2 {
                    m + n(2).round()
                } else {
                    f64::INFINITY
                };
                let from = m.max(1.0);
                let to = end.min(text.len() as f64 + 1.0);
                if to <= from {
                    Value::Str(String::new())
                } else {
                    Value::Str(
                        text[(from as usize - 1)..(to as usize - 1)]
                            .iter()
                            .collect(),
                    )
                }
            }
            "index" => {
                let (hay, needle) = (s(self, 0), s(self, 1));
                Value::Num(
                    hay.find(&needle)
                        .map_or(0, |b| hay[..b].chars().count() + 1) as f64,
                )
            }
            "split" => {
                let text = match args.first() {
                    Some(e) => {
                        let v = self.eval(e)?;
                        self.string(&v)
                    }
                    None => String::new(),
                };
                let Some(Expr::Var(array)) = args.get(1) else {
                    return Err("split: second argument is not an array".into());
                };
                let fs = match args.get(2) {
                    Some(e) => Some(self.pattern_of(e)?),
                    None => None,
                };
                let parts = self.split(&text, fs.as_deref());
                let a = self.arrays.entry(array.clone()).or_default();
                a.clear();
                for (i, p) in parts.iter().enumerate() {
                    a.insert((i + 1).to_string(), Value::StrNum(p.clone()));
                }
                Value::Num(parts.len() as f64)
            }
            "sub" | "gsub" => {
                let Some(re) = args.first() else {
                    return Err(format!("{name}: missing arguments"));
                };
                let pattern = self.pattern_of(re)?;
                let with = match args.get(1) {
                    Some(e) => {
                        let v = self.eval(e)?;
                        self.string(&v)
                    }
                    None => String::new(),
                };
                let target = args
                    .get(2)
                    .cloned()
                    .unwrap_or(Expr::Field(Box::new(Expr::Num(0.0))));
                let current = self.eval(&target)?;
                let text = self.string(&current);
                let (replaced, count) = self.substitute(&pattern, &with, &text, name == "gsub");
                if count > 0 {
                    self.assign(&target, Value::Str(replaced))?;
                }
                Value::Num(count as f64)
            }
            "match" => {
                let text = s(self, 0);
                let pattern = match args.get(1) {
                    Some(e) => self.pattern_of(e)?,
                    None => String::new(),
                };
                // RSTART and RLENGTH count characters.
                let (start, len) = match self.find(&pattern, &text, 0) {
                    Some((a, b)) => (
                        text[..a].chars().count() as f64 + 1.0,
                        text[a..b].chars().count() as f64,
                    ),
                    None => (0.0, -1.0),
                };
                self.vars.insert("RSTART".into(), Value::Num(start));
                self.vars.insert("RLENGTH".into(), Value::Num(len));
                Value::Num(start)
            }
            "sprintf" => {
                let fmt = s(self, 0);
                Value::Str(sprintf(&fmt, vals.get(1..).unwrap_or(&[]), self.flavor))
            }
            "tolower" => Value::Str(s(self, 0).to_lowercase()),
            "toupper" => Value::Str(s(self, 0).to_uppercase()),
            "int" => Value::Num(n(0).trunc()),
            "sqrt" => Value::Num(n(0).sqrt()),
            "exp" => Value::Num(n(0).exp()),
            "log" => Value::Num(n(0).ln()),
            "sin" => Value::Num(n(0).sin()),
            "cos" => Value::Num(n(0).cos()),
            "atan2" => Value::Num(n(0).atan2(n(1))),
            // A fixed sequence: the engine has no unseeded randomness.
            "rand" => Value::Num(0.237_788_4),
            "srand" => Value::Num(0.0),
            "system" => {
                let cmd = s(self, 0);
                let ran = self.host.run(&["sh".into(), "-c".into(), cmd], None, &[]);
                for (stream, text) in ran.printed() {
                    self.out.print(*stream, text);
                }
                Value::Num(f64::from(ran.status))
            }
            _ => Value::Num(0.0),
        })
    }

    /// `sub`/`gsub`: `&` in the replacement is the match, `\&` a literal `&`.
    fn substitute(&mut self, pattern: &str, with: &str, text: &str, all: bool) -> (String, usize) {
        let mut out = String::new();
        let mut at = 0;
        let mut count = 0;
        let mut last_empty_at: Option<usize> = None;
        while at <= text.len() {
            let Some((s, e)) = self.find(pattern, text, at) else {
                break;
            };
            if e == s && last_empty_at == Some(s) {
                break;
            }
            out.push_str(&text[at..s]);
            let matched = &text[s..e];
            let mut rep = with.chars().peekable();
            while let Some(c) = rep.next() {
                match c {
                    '\\' if rep.peek() == Some(&'&') => {
                        rep.next();
                        out.push('&');
                    }
                    '&' => out.push_str(matched),
                    other => out.push(other),
                }
            }
            count += 1;
            if e == s {
                at = regex::next_char(text, s);
                out.push_str(text.get(s..at).unwrap_or(""));
                last_empty_at = Some(s);
            } else {
                at = e;
            }
            if !all {
                break;
            }
        }
        if at < text.len() {
            out.push_str(&text[at..]);
        }
        (out, count)
    }

    fn write(&mut self, text: &str, redirect: &Option<Redirect>) -> Result<(), String> {
        let Some(Redirect::File(target, append)) = redirect else {
            self.out.push_stdout(text);
            return Ok(());
        };
        let v = self.eval(target)?;
        let path = self.string(&v);
        let first = !self.opened.contains(&path);
        if first {
            self.opened.push(path.clone());
        }
        let append = *append || !first;
        self.host
            .write_file(&path, text, append)
            .map_err(|e| format!("cannot open \"{path}\" for output ({e})"))
    }

    fn exec(&mut self, stmts: &[Stmt]) -> Result<Flow, String> {
        for st in stmts {
            match self.stmt(st)? {
                Flow::Normal => {}
                other => return Ok(other),
            }
        }
        Ok(Flow::Normal)
    }

    fn stmt(&mut self, st: &Stmt) -> Result<Flow, String> {
        self.steps += 1;
        if self.steps > MAX_STEPS {
            return Err(format!(
                "stopped after {MAX_STEPS} statements, this terminal's limit"
            ));
        }
        match st {
            Stmt::Print(args, redirect) => {
                let text = if args.is_empty() {
                    self.record.clone()
                } else {
                    let mut parts = Vec::new();
                    for a in args {
                        let v = self.eval(a)?;
                        parts.push(self.output_string(&v));
                    }
                    parts.join(&self.str_var("OFS"))
                };
                let line = format!("{text}{}", self.str_var("ORS"));
                self.write(&line, redirect)?;
            }
            Stmt::Printf(args, redirect) => {
                let mut vals = Vec::new();
                for a in args {
                    vals.push(self.eval(a)?);
                }
                let Some(fmt) = vals.first().map(|v| self.string(v)) else {
                    return Err("printf: no format".into());
                };
                let text = sprintf(&fmt, &vals[1..], self.flavor);
                self.write(&text, redirect)?;
            }
            Stmt::Expr(e) => {
                self.eval(e)?;
            }
            Stmt::If(c, then, other) => {
                if self.eval(c)?.truthy() {
                    return self.stmt(then);
                } else if let Some(o) = other {
                    return self.stmt(o);
                }
            }
            Stmt::While(c, body) => {
                while self.eval(c)?.truthy() {
                    match self.stmt(body)? {
                        Flow::Break => break,
                        Flow::Normal | Flow::Continue => {}
                        other => return Ok(other),
                    }
                    self.tick()?;
                }
            }
            Stmt::DoWhile(body, c) => loop {
                match self.stmt(body)? {
                    Flow::Break => break,
                    Flow::Normal | Flow::Continue => {}
                    other => return Ok(other),
                }
                if !self.eval(c)?.truthy() {
                    break;
                }
                self.tick()?;
            },
            Stmt::For(init, cond, step, body) => {
                if let Some(i) = init {
                    self.stmt(i)?;
                }
                loop {
                    if let Some(c) = cond {
                        if !self.eval(c)?.truthy() {
                            break;
                        }
                    }
                    match self.stmt(body)? {
                        Flow::Break => break,
                        Flow::Normal | Flow::Continue => {}
                        other => return Ok(other),
                    }
                    if let Some(s) = step {
                        self.stmt(s)?;
                    }
                    self.tick()?;
                }
            }
            Stmt::ForIn(var, array, body) => {
                let keys: Vec<String> = self
                    .arrays
                    .get(array)
                    .map(|a| a.keys().cloned().collect())
                    .unwrap_or_default();
                for k in keys {
                    self.vars.insert(var.clone(), Value::StrNum(k));
                    match self.stmt(body)? {
                        Flow::Break => break,
                        Flow::Normal | Flow::Continue => {}
                        other => return Ok(other),
                    }
                }
            }
            Stmt::Block(stmts) => return self.exec(stmts),
            Stmt::Next => return Ok(Flow::Next),
            Stmt::Break => return Ok(Flow::Break),
            Stmt::Continue => return Ok(Flow::Continue),
            Stmt::Exit(code) => {
                if let Some(c) = code {
                    self.exit_code = self.eval(c)?.num() as i32;
                }
                return Ok(Flow::Exit);
            }
            Stmt::Delete(name, index) => match index {
                Some(index) => {
                    let key = self.key(index)?;
                    if let Some(a) = self.arrays.get_mut(name) {
                        a.remove(&key);
                    }
                }
                None => {
                    self.arrays.remove(name);
                }
            },
        }
        Ok(Flow::Normal)
    }

    fn tick(&mut self) -> Result<(), String> {
        self.steps += 1;
        if self.steps > MAX_STEPS {
            return Err(format!(
                "stopped after {MAX_STEPS} statements, this terminal's limit"
            ));
        }
        Ok(())
    }
}

fn arith(x: f64, op: &str, y: f64) -> f64 {
    match op {
        "+" => x + y,
        "-" => x - y,
        "*" => x * y,
        "/" => x / y,
        "%" => x % y,
        _ => x.powf(y),
    }
}

/// An assignment operand (`var=value` on the command line or `-v`): the value with its escapes processed.
fn assignment_value(text: &str) -> String {
    let chars: Vec<char> = text.chars().collect();
    let mut out = String::new();
    let mut i = 0;
    while i < chars.len() {
        if chars[i] == '\\' {
            let (t, used) = string_escape(&chars, i + 1);
            out.push_str(&t);
            i += 1 + used;
        } else {
            out.push(chars[i]);
            i += 1;
        }
    }
    out
}

const USAGE_GNU: &str = "usage: awk [-F value] [-v var=value] [--] 'program text' [file ...]\nusage: awk [-F value] [-v var=value] [-f program-file] [--] [file ...]\n";

/// `awk [-F FS] [-v VAR=VALUE]… [-f FILE | 'PROGRAM'] [FILE | VAR=VALUE]…`.
pub fn run(host: &mut dyn Host, args: &[String], stdin: Option<&str>, flavor: Flavor) -> Output {
    let mut fs: Option<String> = None;
    let mut assigns: Vec<(String, String)> = Vec::new();
    let mut program: Option<String> = None;
    let mut i = 0;
    let bad_usage = |flavor: Flavor| {
        match flavor {
        Flavor::Gnu => Output::failed(USAGE_GNU.into(), 2),
        Flavor::Busybox => Output::failed("BusyBox v1.36.1 (2023-05-18 22:34:17 UTC) multi-call binary.\n\nUsage: awk [OPTIONS] [AWK_PROGRAM] [FILE]...\n".into(), 1),
    }
    };
    while i < args.len() {
        let a = args[i].as_str();
        if a == "--" {
            i += 1;
            break;
        }
        if !a.starts_with('-') || a == "-" {
            break;
        }
        i += 1;
        let mut value = |inline: &str| -> Option<String> {
            if !inline.is_empty() {
                return Some(inline.to_string());
            }
            let v = args.get(i).cloned();
            i += 1;
            v
        };
        match &a[..2.min(a.len())] {
            "-F" => match value(&a[2..]) {
                Some(v) => fs = Some(v),
                None => return bad_usage(flavor),
            },
            "-v" => match value(&a[2..]).and_then(|v| {
                v.split_once('=')
                    .map(|(k, val)| (k.to_string(), val.to_string()))
            }) {
                Some(kv) => assigns.push(kv),
                None => return bad_usage(flavor),
            },
            "-f" => match value(&a[2..]) {
                Some(path) => match host.read_file(&path) {
                    Ok(text) => program = Some(text),
                    Err(e) => {
                        return Output::failed(format!("awk: couldn't open file {path}: {e}\n"), 2)
                    }
                },
                None => return bad_usage(flavor),
            },
            _ => {
                return Output::failed(
                    match flavor {
                        Flavor::Gnu => format!("awk: not an option: {a}\n"),
                        Flavor::Busybox => format!("awk: unrecognized option '{a}'\n"),
                    },
                    2,
                )
            }
        }
    }
    let program = match program {
        Some(p) => p,
        None => match args.get(i) {
            Some(p) => {
                i += 1;
                p.clone()
            }
            None => return bad_usage(flavor),
        },
    };
    let items = match lex(&program).and_then(|toks| {
        Parser {
            toks,
            pos: 0,
            no_gt: false,
            no_in: false,
        }
        .program()
    }) {
        Ok(items) => items,
        Err(e) => {
            return Output::failed(
                match flavor {
                    Flavor::Gnu => {
                        format!("awk: line {}: syntax error at or near {}\n", e.line, e.near)
                    }
                    Flavor::Busybox => format!("awk: cmd. line:{}: Unexpected token\n", e.line),
                },
                2,
            )
        }
    };
    let mut rt = Runtime {
        host,
        vars: BTreeMap::new(),
        arrays: BTreeMap::new(),
        record: String::new(),
        fields: Vec::new(),
        out: Output::default(),
        opened: Vec::new(),
        regexes: BTreeMap::new(),
        exit_code: 0,
        steps: 0,
        flavor,
    };
    for (k, v) in [
        ("FS", " "),
        ("OFS", " "),
        ("ORS", "\n"),
        ("RS", "\n"),
        ("SUBSEP", "\x1c"),
        ("CONVFMT", "%.6g"),
        ("OFMT", "%.6g"),
        ("FILENAME", ""),
    ] {
        rt.vars.insert(k.into(), Value::Str(v.into()));
    }
    rt.vars.insert("NR".into(), Value::Num(0.0));
    rt.vars.insert("FNR".into(), Value::Num(0.0));
    if let Some(f) = fs {
        // `-F t` is a tab, as in the one true awk; `-F '\t'` too.
        let f = if f == "t" {
            "\t".to_string()
        } else {
            assignment_value(&f)
        };
        rt.vars.insert("FS".into(), Value::Str(f));
    }
    for (k, v) in assigns {
        rt.vars.insert(k, Value::StrNum(assignment_value(&v)));
    }
    let operands: Vec<String> = args[i..].to_vec();
    let finish = |rt: Runtime<'_>, error: Option<String>| -> Output {
        let mut out = rt.out;
        out.status = rt.exit_code;
        if let Some(e) = error {
            out.push_stderr(&match rt.flavor {
                Flavor::Gnu => format!("awk: run time error: {e}\n"),
                Flavor::Busybox => format!("awk: cmd. line:1: {e}\n"),
            });
            out.status = 2;
        }
        out
    };
    let mut exiting = false;
    for item in items
        .iter()
        .filter(|it| matches!(it.pattern, Pattern::Begin))
    {
        match rt.exec(item.action.as_deref().unwrap_or_default()) {
            Ok(Flow::Exit) => {
                exiting = true;
                break;
            }
            Ok(_) => {}
            Err(e) => return finish(rt, Some(e)),
        }
    }
    let has_main = items.iter().any(|it| !matches!(it.pattern, Pattern::Begin));
    let mut in_range = vec![false; items.len()];
    if !exiting && has_main {
        // Operands: files, `-` for stdin, and `var=value` assignments made when they are reached.
        let mut sources: Vec<(String, Option<String>)> = Vec::new();
        let mut any_file = false;
        for op in &operands {
            if let Some((k, v)) = op.split_once('=').filter(|(k, _)| {
                k.chars()
                    .next()
                    .is_some_and(|c| c == '_' || c.is_ascii_alphabetic())
                    && k.chars().all(|c| c == '_' || c.is_ascii_alphanumeric())
            }) {
                sources.push((format!("{k}={v}"), None));
                continue;
            }
            any_file = true;
            sources.push((op.clone(), Some(op.clone())));
        }
        if !any_file {
            sources.push(("-".into(), Some("-".into())));
        }
        'sources: for (label, file) in sources {
            let Some(file) = file else {
                if let Some((k, v)) = label.split_once('=') {
                    rt.vars.insert(k.into(), Value::StrNum(assignment_value(v)));
                }
                continue;
            };
            let text = if file == "-" {
                stdin.unwrap_or("").to_string()
            } else {
                match rt.host.read_file(&file) {
                    Ok(t) => t,
                    Err(e) => {
                        rt.out.push_stderr(&match rt.flavor {
                            Flavor::Gnu => format!("awk: cannot open {file} ({e})\n"),
                            Flavor::Busybox => format!("awk: {file}: {e}\n"),
                        });
                        rt.exit_code = 2;
                        continue;
                    }
                }
            };
            rt.vars.insert(
                "FILENAME".into(),
                Value::Str(if file == "-" {
                    String::new()
                } else {
                    file.clone()
                }),
            );
            rt.vars.insert("FNR".into(), Value::Num(0.0));
            let rs = rt.str_var("RS");
            let records: Vec<String> = if rs.is_empty() {
                // Paragraph mode: records are separated by blank lines, and newline also separates fields.
                text.split("\n\n")
                    .map(|r| r.trim_matches('\n').to_string())
                    .filter(|r| !r.is_empty())
                    .collect()
            } else {
                let sep = rs.chars().next().unwrap_or('\n');
                let mut r: Vec<String> = text.split(sep).map(str::to_string).collect();
                if r.last().is_some_and(String::is_empty) {
                    r.pop();
                }
                r
            };
            for record in records {
                let nr = rt.var("NR").num() + 1.0;
                rt.vars.insert("NR".into(), Value::Num(nr));
                let fnr = rt.var("FNR").num() + 1.0;
                rt.vars.insert("FNR".into(), Value::Num(fnr));
                rt.set_record(&record);
                for (k, item) in items.iter().enumerate() {
                    let selected = match &item.pattern {
                        Pattern::Begin | Pattern::End => continue,
                        Pattern::All => true,
                        Pattern::Expr(e) => match rt.eval(e) {
                            Ok(v) => v.truthy(),
                            Err(e) => return finish(rt, Some(e)),
                        },
                        Pattern::Range(a, b) => {
                            if in_range[k] {
                                match rt.eval(b) {
                                    Ok(v) if v.truthy() => in_range[k] = false,
                                    Ok(_) => {}
                                    Err(e) => return finish(rt, Some(e)),
                                }
                                true
                            } else {
                                match rt.eval(a) {
                                    Ok(v) if v.truthy() => {
                                        match rt.eval(b) {
                                            Ok(v) => in_range[k] = !v.truthy(),
                                            Err(e) => return finish(rt, Some(e)),
                                        }
                                        true
                                    }
                                    Ok(_) => false,
                                    Err(e) => return finish(rt, Some(e)),
                                }
                            }
                        }
                    };
                    if !selected {
                        continue;
                    }
                    let flow = match &item.action {
                        Some(stmts) => rt.exec(stmts),
                        None => {
                            let line = format!("{}{}", rt.record, rt.str_var("ORS"));
                            rt.out.push_stdout(&line);
                            Ok(Flow::Normal)
                        }
                    };
                    match flow {
                        Ok(Flow::Next) => break,
                        Ok(Flow::Exit) => {
                            exiting = true;
                            break 'sources;
                        }
                        Ok(_) => {}
                        Err(e) => return finish(rt, Some(e)),
                    }
                }
            }
        }
    }
    let _ = exiting;
    for item in items.iter().filter(|it| matches!(it.pattern, Pattern::End)) {
        match rt.exec(item.action.as_deref().unwrap_or_default()) {
            Ok(Flow::Exit) => break,
            Ok(_) => {}
            Err(e) => return finish(rt, Some(e)),
        }
    }
    finish(rt, None)
}

#[cfg(test)]
mod tests {
    use super::*;

    struct NoFiles;

    impl Host for NoFiles {
        fn run(&mut self, _: &[String], _: Option<&str>, _: &[(String, String)]) -> Output {
            Output::failed(String::new(), 127)
        }
    }

    fn awk(args: &[&str], input: &str) -> Output {
        let args: Vec<String> = args.iter().map(|a| a.to_string()).collect();
        run(&mut NoFiles, &args, Some(input), Flavor::Gnu)
    }

    const PODS: &str = "NAME    READY   STATUS    RESTARTS   AGE\nweb-0   1/1     Running   0          10m\nweb-1   0/1     Pending   2          9m\nweb-2   1/1     Running   1          8m\n";

    /// POSIX awk over kubectl's table: fields split on blanks, `NR`, patterns, comparisons, END.
    #[test]
    fn one_liners_over_kubectl_output() {
        assert_eq!(
            awk(&["{print $1}"], PODS).stdout(),
            "NAME\nweb-0\nweb-1\nweb-2\n"
        );
        assert_eq!(
            awk(&["NR>1 {print $1, $3}"], PODS).stdout(),
            "web-0 Running\nweb-1 Pending\nweb-2 Running\n"
        );
        assert_eq!(
            awk(&["$3 == \"Running\" {n++} END {print n}"], PODS).stdout(),
            "2\n"
        );
        assert_eq!(
            awk(&["/Pending/"], PODS).stdout(),
            "web-1   0/1     Pending   2          9m\n"
        );
        assert_eq!(
            awk(&["NR>1 && $4 > 0 {print $1}"], PODS).stdout(),
            "web-1\nweb-2\n"
        );
        assert_eq!(awk(&["{print NF; exit}"], PODS).stdout(), "5\n");
        assert_eq!(awk(&["END {print NR}"], PODS).stdout(), "4\n");
        assert_eq!(
            awk(&["NR==2,NR==3 {print $1}"], PODS).stdout(),
            "web-0\nweb-1\n"
        );
        assert_eq!(awk(&["{print $NF}"], "a b c\n").stdout(), "c\n");
        assert_eq!(awk(&["{print $(NF-1)}"], "a b c\n").stdout(), "b\n");
    }

    #[test]
    fn separators_variables_and_assignment() {
        assert_eq!(awk(&["-F:", "{print $2}"], "a:b:c\n").stdout(), "b\n");
        assert_eq!(awk(&["-F", ",", "{print $3}"], "a,b,c\n").stdout(), "c\n");
        assert_eq!(
            awk(&["-F", "\\t", "{print $2}"], "a b\tc\n").stdout(),
            "c\n"
        );
        assert_eq!(
            awk(&["-F", "[/ ]+", "{print $2}"], "web-0  1/1\n").stdout(),
            "1\n"
        );
        assert_eq!(awk(&["-v", "n=2", "{print $n}"], "a b c\n").stdout(), "b\n");
        assert_eq!(
            awk(&["BEGIN {OFS=\"-\"} {$1=$1; print}"], "a b c\n").stdout(),
            "a-b-c\n"
        );
        assert_eq!(
            awk(&["{$2=\"X\"; print; print NF}"], "a b c\n").stdout(),
            "a X c\n3\n"
        );
        assert_eq!(
            awk(
                &["BEGIN {x = 1; x += 2; x *= 3; print x, x/2, x%4, 2^3}"],
                ""
            )
            .stdout(),
            "9 4.5 1 8\n"
        );
        assert_eq!(
            awk(&["BEGIN {print 1/3, 100000 * 100000, 0.1 + 0.2}"], "").stdout(),
            "0.333333 10000000000 0.3\n"
        );
        assert_eq!(
            awk(&["BEGIN {print \"a\" \"b\" 1+2}"], "").stdout(),
            "ab3\n"
        );
    }

    /// Numbers compare as numbers when both look like numbers, strings otherwise.
    #[test]
    fn comparisons_follow_posix_rules() {
        assert_eq!(awk(&["$1 < $2 {print \"lt\"}"], "10 9\n").stdout(), "");
        assert_eq!(awk(&["$1 < $2 {print \"lt\"}"], "10 9x\n").stdout(), "lt\n");
        assert_eq!(
            awk(&["BEGIN {if (\"10\" < \"9\") print \"string\"}"], "").stdout(),
            "string\n"
        );
        assert_eq!(awk(&["$1 == 1 {print \"one\"}"], "1.0\n").stdout(), "one\n");
    }

    #[test]
    fn control_flow_arrays_and_builtins() {
        let counts = awk(&["NR>1 {c[$3]++} END {for (s in c) print s, c[s]}"], PODS).stdout();
        assert_eq!(counts, "Pending 1\nRunning 2\n");
        assert_eq!(
            awk(
                &["BEGIN {for (i = 0; i < 3; i++) printf \"%d,\", i; print \"\"}"],
                ""
            )
            .stdout(),
            "0,1,2,\n"
        );
        assert_eq!(
            awk(&["BEGIN {i = 0; while (i < 2) {print i; i++}}"], "").stdout(),
            "0\n1\n"
        );
        assert_eq!(
            awk(
                &["{if ($1 > 1) print \"big\"; else print \"small\"}"],
                "2\n0\n"
            )
            .stdout(),
            "big\nsmall\n"
        );
        assert_eq!(
            awk(
                &["{print length($1), length, toupper($1), substr($1, 2, 3), index($1, \"b\")}"],
                "web-0\n"
            )
            .stdout(),
            "5 5 WEB-0 eb- 3\n"
        );
        assert_eq!(
            awk(
                &["{n = split($1, p, \"-\"); print n, p[1], p[2]}"],
                "web-0\n"
            )
            .stdout(),
            "2 web 0\n"
        );
        assert_eq!(
            awk(
                &["{gsub(/e/, \"E\"); sub(/w/, \"[&]\"); print}"],
                "web-web\n"
            )
            .stdout(),
            "[w]Eb-wEb\n"
        );
        assert_eq!(
            awk(
                &["{if (match($0, /[0-9]+/)) print RSTART, RLENGTH}"],
                "web-12\n"
            )
            .stdout(),
            "5 2\n"
        );
        assert_eq!(
            awk(
                &["{printf \"%-6s|%5.1f|%03d|%x|%c\\n\", $1, $2, $3, $3, 65}"],
                "ab 3.14159 7\n"
            )
            .stdout(),
            "ab    |  3.1|007|7|A\n"
        );
        assert_eq!(
            awk(&["{print $1 ~ /^web/, $1 !~ /^web/}"], "web-0\n").stdout(),
            "1 0\n"
        );
        assert_eq!(awk(&["NR==1 {next} {print}"], "a\nb\n").stdout(), "b\n");
        assert_eq!(awk(&["BEGIN {a[\"x\"]; if (\"x\" in a) print \"yes\"; delete a[\"x\"]; print length(a)}"], "").stdout(), "yes\n0\n");
        assert_eq!(awk(&["{exit 3} END {print \"end\"}"], "a\n").status, 3);
    }

    /// mawk's messages (Debian's awk) and its status 2.
    #[test]
    fn errors_are_mawks() {
        let o = awk(&["{print $1"], "");
        assert_eq!(
            o.stderr(),
            "awk: line 1: syntax error at or near end of file\n"
        );
        assert_eq!(o.status, 2);
        let o = awk(&["{print 1/0}"], "x\n");
        assert_eq!(o.stderr(), "awk: run time error: division by zero\n");
        assert_eq!(o.status, 2);
        assert_eq!(awk(&[], "").status, 2);
        let o = awk(&["BEGIN { while (1) x++ }"], "");
        assert_eq!(o.status, 2);
    }
}
