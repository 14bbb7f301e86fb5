//! The parser is a recursive descent over the lexer's tokens, one function per grammar rule (script, and-or
//! list, pipeline, command, `for` loop, redirection), because that keeps bash's error messages easy to
//! reproduce: each rule knows which token it did not expect. Reserved words are recognised here, not in the
//! lexer, since `done` is only a keyword where a command could start (`echo done` is fine). Constructs outside
//! the subset are refused here by name, so the learner sees "not supported" rather than a confusing syntax
//! error.

use super::lexer::{heredoc_word, HereDocSpec, Lexer, Op, Token};
use super::{
    is_name, AndOrList, Assignment, CaseCommand, CaseEnd, CaseItem, Command, CondExpr, Connector,
    ForLoop, Group, IfCommand, LoopCommand, Pipeline, Redirect, Script, ShellError, SimpleCommand,
    Word, WordPart, MAX_DEPTH,
};

/// Reserved words that start a construct this shell does not run.
const UNSUPPORTED: &[&str] = &["select", "function"];

/// Reserved words that cannot start a command.
const MISPLACED: &[&str] = &["then", "else", "elif", "fi", "do", "done", "esac", "}"];

pub(super) fn parse_at_depth(
    input: &str,
    bodies: &[String],
    depth: usize,
) -> Result<Script, ShellError> {
    if depth > MAX_DEPTH {
        return Err(ShellError::TooDeep);
    }
    let mut lexer = Lexer::new(input, depth);
    lexer.run()?;
    let mut supplied = bodies.iter();
    for spec in lexer.heredocs.iter_mut().filter(|h| h.body.is_none()) {
        spec.body = Some(
            supplied
                .next()
                .map(|b| normalize_body(b, spec.strip_tabs))
                .unwrap_or_default(),
        );
    }
    let mut parser = Parser {
        tokens: lexer.tokens,
        heredocs: lexer.heredocs,
        pos: 0,
        depth,
        nesting: 0,
        subshells: 0,
        case_items: 0,
    };
    parser.script(&[])
}

/// One line per body line, each ending in a newline, leading tabs removed for `<<-`.
fn normalize_body(body: &str, strip_tabs: bool) -> String {
    let mut out = String::new();
    for line in body.lines() {
        out.push_str(if strip_tabs {
            line.trim_start_matches('\t')
        } else {
            line
        });
        out.push('\n');
    }
    out
}

/// `NAME=value` at the start of a command: the name must be unquoted and valid.
fn assignment(word: &Word) -> Option<Assignment> {
    let Some(WordPart::Literal(first)) = word.parts.first() else {
        return None;
    };
    let (name, rest) = first.split_once('=')?;
    if !is_name(name) {
        return None;
    }
    let mut parts = Vec::new();
    if !rest.is_empty() {
        parts.push(WordPart::Literal(rest.to_owned()));
    }
    parts.extend(word.parts.iter().skip(1).cloned());
    Some(Assignment {
        name: name.to_owned(),
        value: Word { parts },
    })
}

struct Parser {
    tokens: Vec<Token>,
    heredocs: Vec<HereDocSpec>,
    pos: usize,
    /// Nesting of the `$(…)` this parser is inside.
    depth: usize,
    /// Nesting of `for` loops inside this parser.
    nesting: usize,
    /// Open `( … )`: a `)` ends the list inside.
    subshells: usize,
    /// Inside a `case` item's list: `;;`, `;&` and `;;&` end it.
    case_items: usize,
}

impl Parser {
    fn peek(&self) -> Option<&Token> {
        self.tokens.get(self.pos)
    }

    fn next(&mut self) -> Option<Token> {
        let token = self.tokens.get(self.pos).cloned();
        if token.is_some() {
            self.pos += 1;
        }
        token
    }

    fn at_keyword(&self, keyword: &str) -> bool {
        self.peek().and_then(Token::plain) == Some(keyword)
    }

    fn skip_newlines(&mut self) {
        while matches!(self.peek(), Some(Token::Newline)) {
            self.pos += 1;
        }
    }

    /// The error for the current token: bash names it, or says the input ended.
    fn unexpected(&self) -> ShellError {
        match self.peek() {
            Some(token) => ShellError::UnexpectedToken(token.display()),
            None => ShellError::UnexpectedEof,
        }
    }

    fn at_redirect(&self) -> bool {
        matches!(
            self.peek(),
            Some(
                Token::IoNumber(_)
                    | Token::HereDoc(_)
                    | Token::Op(
                        Op::Less
                            | Op::TripleLess
                            | Op::Great
                            | Op::DoubleGreat
                            | Op::GreatAnd
                            | Op::AndGreat
                            | Op::AndDoubleGreat
                    )
            )
        )
    }

    /// And-or lists separated by `;` or newlines, up to the end or one of the reserved words `terminators`.
    fn script(&mut self, terminators: &[&str]) -> Result<Script, ShellError> {
        let mut lists = Vec::new();
        loop {
            self.skip_newlines();
            match self.peek() {
                None => break,
                Some(token) if token.plain().is_some_and(|w| terminators.contains(&w)) => break,
                _ if self.at_list_end() => break,
                Some(_) => {}
            }
            lists.push(self.and_or()?);
            match self.peek() {
                None => break,
                _ if self.at_list_end() => break,
                Some(Token::Op(Op::Semi) | Token::Newline) => self.pos += 1,
                Some(Token::Op(Op::Amp)) => {
                    return Err(ShellError::Unsupported(
                        "running commands in the background with `&'".to_owned(),
                    ))
                }
                Some(_) => return Err(self.unexpected()),
            }
        }
        Ok(Script { lists })
    }

    /// A `)` closing a subshell, or the end of a `case` item.
    fn at_list_end(&self) -> bool {
        match self.peek() {
            Some(Token::Op(Op::RParen)) => self.subshells > 0,
            Some(Token::Op(Op::DoubleSemi | Op::SemiAnd | Op::DoubleSemiAnd)) => {
                self.case_items > 0
            }
            _ => false,
        }
    }

    fn and_or(&mut self) -> Result<AndOrList, ShellError> {
        let first = self.pipeline()?;
        let mut rest = Vec::new();
        loop {
            let connector = match self.peek() {
                Some(Token::Op(Op::AndIf)) => Connector::And,
                Some(Token::Op(Op::OrIf)) => Connector::Or,
                _ => break,
            };
            self.pos += 1;
            self.skip_newlines();
            rest.push((connector, self.pipeline()?));
        }
        Ok(AndOrList { first, rest })
    }

    fn pipeline(&mut self) -> Result<Pipeline, ShellError> {
        let negated = self.at_keyword("!");
        if negated {
            self.pos += 1;
        }
        let mut commands = vec![self.command()?];
        while matches!(self.peek(), Some(Token::Op(Op::Pipe))) {
            self.pos += 1;
            self.skip_newlines();
            commands.push(self.command()?);
        }
        Ok(Pipeline { negated, commands })
    }

    fn command(&mut self) -> Result<Command, ShellError> {
        let keyword = self.peek().and_then(Token::plain).map(str::to_owned);
        match (self.peek(), keyword.as_deref()) {
            (None, _) => Err(ShellError::UnexpectedEof),
            (Some(Token::Op(Op::LParen)), _) => self.subshell().map(Command::Subshell),
            (Some(Token::Op(_) | Token::Newline), _) if !self.at_redirect() => {
                Err(self.unexpected())
            }
            (_, Some("for")) => self.for_loop().map(Command::For),
            (_, Some("if")) => self.if_command().map(Command::If),
            (_, Some(k @ ("while" | "until"))) => {
                let until = k == "until";
                self.loop_command(until).map(Command::Loop)
            }
            (_, Some("{")) => self.group().map(Command::Group),
            (_, Some("case")) => self.case_command().map(Command::Case),
            (_, Some("[[")) => self.conditional().map(Command::Cond),
            (_, Some(k)) if UNSUPPORTED.contains(&k) => {
                Err(ShellError::Unsupported(format!("`{k}'")))
            }
            (_, Some(k)) if MISPLACED.contains(&k) => {
                Err(ShellError::UnexpectedToken(k.to_owned()))
            }
            _ => self.simple().map(Command::Simple),
        }
    }

    fn simple(&mut self) -> Result<SimpleCommand, ShellError> {
        let mut command = SimpleCommand::default();
        if let (Some(name), Some(Token::Op(Op::LParen)), Some(Token::Op(Op::RParen))) = (
            self.peek().and_then(Token::plain),
            self.tokens.get(self.pos + 1),
            self.tokens.get(self.pos + 2),
        ) {
            return Err(ShellError::Unsupported(format!(
                "defining functions `{name}() {{ …; }}'"
            )));
        }
        loop {
            if self.at_redirect() {
                self.redirect(&mut command.redirects)?;
                continue;
            }
            let Some(Token::Word { word, .. }) = self.peek() else {
                break;
            };
            let word = word.clone();
            self.pos += 1;
            match assignment(&word) {
                Some(a) if command.words.is_empty() => command.assignments.push(a),
                _ => command.words.push(word),
            }
        }
        Ok(command)
    }

    /// One redirection, appended to `redirects` (`&>` appends two).
    fn redirect(&mut self, redirects: &mut Vec<Redirect>) -> Result<(), ShellError> {
        let fd = match self.peek() {
            Some(Token::IoNumber(n)) => {
                let n = *n;
                self.pos += 1;
                Some(n)
            }
            _ => None,
        };
        let op = match self.next() {
            Some(Token::HereDoc(id)) => {
                if fd.unwrap_or(0) != 0 {
                    return Err(unsupported_fd(fd.unwrap_or(0)));
                }
                let Some(spec) = self.heredocs.get(id) else {
                    return Err(ShellError::UnexpectedEof);
                };
                let body = heredoc_word(
                    spec.body.as_deref().unwrap_or_default(),
                    spec.quoted,
                    self.depth,
                )?;
                redirects.push(Redirect::HereDoc {
                    delimiter: spec.delimiter.clone(),
                    quoted: spec.quoted,
                    strip_tabs: spec.strip_tabs,
                    body,
                });
                return Ok(());
            }
            Some(Token::Op(op)) => op,
            Some(token) => return Err(ShellError::UnexpectedToken(token.display())),
            None => return Err(ShellError::UnexpectedEof),
        };
        let target = match self.next() {
            Some(Token::Word { word, .. }) => word,
            Some(token) => return Err(ShellError::UnexpectedToken(token.display())),
            None => return Err(ShellError::UnexpectedToken("newline".to_owned())),
        };
        let output_fd = || match fd.unwrap_or(1) {
            n @ (1 | 2) => Ok(n),
            n => Err(unsupported_fd(n)),
        };
        match op {
            Op::Less | Op::TripleLess if fd.unwrap_or(0) != 0 => {
                return Err(unsupported_fd(fd.unwrap_or(0)))
            }
            Op::Less => redirects.push(Redirect::Input { target }),
            Op::TripleLess => redirects.push(Redirect::HereString { target }),
            Op::Great | Op::DoubleGreat => redirects.push(Redirect::Output {
                fd: output_fd()?,
                target,
                append: op == Op::DoubleGreat,
            }),
            Op::GreatAnd => {
                let to = match target.plain() {
                    Some("1") => 1,
                    Some("2") => 2,
                    _ => {
                        return Err(ShellError::Unsupported(format!(
                            "`>&{}'",
                            target.as_written()
                        )))
                    }
                };
                redirects.push(Redirect::Duplicate {
                    fd: output_fd()?,
                    to,
                });
            }
            Op::AndGreat | Op::AndDoubleGreat if fd.is_none() => {
                redirects.push(Redirect::Output {
                    fd: 1,
                    target,
                    append: op == Op::AndDoubleGreat,
                });
                redirects.push(Redirect::Duplicate { fd: 2, to: 1 });
            }
            _ => return Err(ShellError::UnexpectedToken(op.symbol().to_owned())),
        }
        Ok(())
    }

    /// `for NAME [in WORDS] ; do BODY ; done`, newlines allowed where bash allows them.
    fn for_loop(&mut self) -> Result<ForLoop, ShellError> {
        if self.nesting >= MAX_DEPTH {
            return Err(ShellError::TooDeep);
        }
        self.pos += 1;
        let name = match self.next() {
            Some(Token::Word { word, raw }) => match word.plain() {
                Some(name) if is_name(name) => name.to_owned(),
                _ => return Err(ShellError::InvalidIdentifier(raw)),
            },
            Some(token) => return Err(ShellError::UnexpectedToken(token.display())),
            None => return Err(ShellError::UnexpectedEof),
        };
        self.skip_newlines();
        let words = if self.at_keyword("in") {
            self.pos += 1;
            let mut words = Vec::new();
            loop {
                match self.next() {
                    Some(Token::Word { word, .. }) => words.push(word),
                    Some(Token::Op(Op::Semi) | Token::Newline) => break,
                    Some(token) => return Err(ShellError::UnexpectedToken(token.display())),
                    None => return Err(ShellError::UnexpectedEof),
                }
            }
            Some(words)
        } else {
            if matches!(self.peek(), Some(Token::Op(Op::Semi))) {
                self.pos += 1;
            }
            None
        };
        self.skip_newlines();
        if !self.at_keyword("do") {
            return Err(self.unexpected());
        }
        self.pos += 1;
        self.nesting += 1;
        let body = self.script(&["done"]);
        self.nesting -= 1;
        let body = body?;
        if body.is_empty() || !self.at_keyword("done") {
            return Err(self.unexpected());
        }
        self.pos += 1;
        let mut redirects = Vec::new();
        while self.at_redirect() {
            self.redirect(&mut redirects)?;
        }
        Ok(ForLoop {
            name,
            words,
            body,
            redirects,
        })
    }
}

impl Parser {
    /// A body that must end at one of `terminators` and may not be empty; the terminator is left to read.
    fn body(&mut self, terminators: &[&str]) -> Result<Script, ShellError> {
        if self.nesting >= MAX_DEPTH {
            return Err(ShellError::TooDeep);
        }
        self.nesting += 1;
        let body = self.script(terminators);
        self.nesting -= 1;
        let body = body?;
        let at_end = self
            .peek()
            .and_then(Token::plain)
            .is_some_and(|w| terminators.contains(&w));
        if body.is_empty() || !at_end {
            return Err(self.unexpected());
        }
        Ok(body)
    }

    fn expect_keyword(&mut self, keyword: &str) -> Result<(), ShellError> {
        if self.at_keyword(keyword) {
            self.pos += 1;
            Ok(())
        } else {
            Err(self.unexpected())
        }
    }

    fn trailing_redirects(&mut self) -> Result<Vec<Redirect>, ShellError> {
        let mut redirects = Vec::new();
        while self.at_redirect() {
            self.redirect(&mut redirects)?;
        }
        Ok(redirects)
    }

    fn if_command(&mut self) -> Result<IfCommand, ShellError> {
        self.pos += 1;
        let mut branches = Vec::new();
        let mut otherwise = None;
        loop {
            let condition = self.body(&["then"])?;
            self.pos += 1;
            let body = self.body(&["elif", "else", "fi"])?;
            branches.push((condition, body));
            match self.next().as_ref().and_then(Token::plain) {
                Some("elif") => continue,
                Some("else") => {
                    otherwise = Some(self.body(&["fi"])?);
                    self.pos += 1;
                    break;
                }
                _ => break,
            }
        }
        Ok(IfCommand {
            branches,
            otherwise,
            redirects: self.trailing_redirects()?,
        })
    }

    fn loop_command(&mut self, until: bool) -> Result<LoopCommand, ShellError> {
        self.pos += 1;
        let condition = self.body(&["do"])?;
        self.pos += 1;
        let body = self.body(&["done"])?;
        self.pos += 1;
        Ok(LoopCommand {
            until,
            condition,
            body,
            redirects: self.trailing_redirects()?,
        })
    }

    /// `( LIST )`.
    fn subshell(&mut self) -> Result<Group, ShellError> {
        if self.nesting >= MAX_DEPTH {
            return Err(ShellError::TooDeep);
        }
        self.pos += 1;
        self.nesting += 1;
        self.subshells += 1;
        let body = self.script(&[]);
        self.subshells -= 1;
        self.nesting -= 1;
        let body = body?;
        match self.peek() {
            Some(Token::Op(Op::RParen)) if !body.is_empty() => self.pos += 1,
            _ => return Err(self.unexpected()),
        }
        Ok(Group {
            body,
            redirects: self.trailing_redirects()?,
        })
    }

    /// `case WORD in [(]PATTERN[|PATTERN]…) LIST ;; … esac`, newlines allowed where bash allows them.
    fn case_command(&mut self) -> Result<CaseCommand, ShellError> {
        if self.nesting >= MAX_DEPTH {
            return Err(ShellError::TooDeep);
        }
        self.pos += 1;
        let word = match self.next() {
            Some(Token::Word { word, .. }) => word,
            Some(token) => return Err(ShellError::UnexpectedToken(token.display())),
            None => return Err(ShellError::UnexpectedEof),
        };
        self.skip_newlines();
        self.expect_keyword("in")?;
        let mut items = Vec::new();
        loop {
            self.skip_newlines();
            if self.at_keyword("esac") {
                self.pos += 1;
                break;
            }
            if matches!(self.peek(), Some(Token::Op(Op::LParen))) {
                self.pos += 1;
            }
            let mut patterns = Vec::new();
            loop {
                match self.next() {
                    Some(Token::Word { word, .. }) => patterns.push(word),
                    Some(token) => return Err(ShellError::UnexpectedToken(token.display())),
                    None => return Err(ShellError::UnexpectedEof),
                }
                match self.next() {
                    Some(Token::Op(Op::Pipe)) => continue,
                    Some(Token::Op(Op::RParen)) => break,
                    Some(token) => return Err(ShellError::UnexpectedToken(token.display())),
                    None => return Err(ShellError::UnexpectedEof),
                }
            }
            self.nesting += 1;
            self.case_items += 1;
            let body = self.script(&["esac"]);
            self.case_items -= 1;
            self.nesting -= 1;
            let body = body?;
            let end = match self.peek() {
                Some(Token::Op(op @ (Op::DoubleSemi | Op::SemiAnd | Op::DoubleSemiAnd))) => {
                    let end = match op {
                        Op::SemiAnd => CaseEnd::FallThrough,
                        Op::DoubleSemiAnd => CaseEnd::TestNext,
                        _ => CaseEnd::Break,
                    };
                    self.pos += 1;
                    end
                }
                _ if self.at_keyword("esac") => CaseEnd::Break,
                None => return Err(ShellError::UnexpectedEof),
                Some(_) => return Err(self.unexpected()),
            };
            items.push(CaseItem {
                patterns,
                body,
                end,
            });
        }
        Ok(CaseCommand {
            word,
            items,
            redirects: self.trailing_redirects()?,
        })
    }

    fn group(&mut self) -> Result<Group, ShellError> {
        self.pos += 1;
        let body = self.body(&["}"])?;
        self.pos += 1;
        Ok(Group {
            body,
            redirects: self.trailing_redirects()?,
        })
    }

    /// `[[ … ]]`. Its operators are words or the lexer's operator tokens (`&&`, `||`, `(`, `)`, `<`, `>`);
    /// the right side of `=~` runs up to the next blank-separated `]]`, `&&` or `||`, parentheses and all.
    fn conditional(&mut self) -> Result<CondExpr, ShellError> {
        self.pos += 1;
        let expr = self.cond_or()?;
        self.expect_keyword("]]").map_err(|_| match self.peek() {
            Some(t) => ShellError::UnexpectedToken(t.display()),
            None => ShellError::UnexpectedEof,
        })?;
        Ok(expr)
    }

    fn cond_or(&mut self) -> Result<CondExpr, ShellError> {
        let mut left = self.cond_and()?;
        while matches!(self.peek(), Some(Token::Op(Op::OrIf))) {
            self.pos += 1;
            self.skip_newlines();
            left = CondExpr::Or(Box::new(left), Box::new(self.cond_and()?));
        }
        Ok(left)
    }

    fn cond_and(&mut self) -> Result<CondExpr, ShellError> {
        let mut left = self.cond_not()?;
        while matches!(self.peek(), Some(Token::Op(Op::AndIf))) {
            self.pos += 1;
            self.skip_newlines();
            left = CondExpr::And(Box::new(left), Box::new(self.cond_not()?));
        }
        Ok(left)
    }

    fn cond_not(&mut self) -> Result<CondExpr, ShellError> {
        if self.at_keyword("!") {
            self.pos += 1;
            return Ok(CondExpr::Not(Box::new(self.cond_not()?)));
        }
        if matches!(self.peek(), Some(Token::Op(Op::LParen))) {
            self.pos += 1;
            let inner = self.cond_or()?;
            if !matches!(self.next(), Some(Token::Op(Op::RParen))) {
                return Err(ShellError::UnexpectedToken(")".into()));
            }
            return Ok(inner);
        }
        self.cond_primary()
    }

    fn cond_word(&mut self) -> Result<Word, ShellError> {
        match self.next() {
            Some(Token::Word { word, .. }) => Ok(word),
            Some(t) => Err(ShellError::UnexpectedToken(t.display())),
            None => Err(ShellError::UnexpectedEof),
        }
    }

    fn cond_primary(&mut self) -> Result<CondExpr, ShellError> {
        const UNARY: &[&str] = &[
            "-a", "-b", "-c", "-d", "-e", "-f", "-g", "-h", "-L", "-n", "-p", "-r", "-s", "-S",
            "-t", "-u", "-w", "-x", "-z", "-v",
        ];
        const BINARY: &[&str] = &[
            "==", "=", "!=", "-eq", "-ne", "-lt", "-le", "-gt", "-ge", "-nt", "-ot", "-ef",
        ];
        if let Some(op) = self
            .peek()
            .and_then(Token::plain)
            .filter(|w| UNARY.contains(w))
        {
            let op = op.to_owned();
            let next_is_operand = matches!(self.tokens.get(self.pos + 1), Some(Token::Word { .. }))
                && self.tokens.get(self.pos + 1).and_then(Token::plain) != Some("]]");
            if next_is_operand {
                self.pos += 1;
                let operand = self.cond_word()?;
                return Ok(CondExpr::Unary(op, operand));
            }
        }
        let left = self.cond_word()?;
        let op = match self.peek() {
            Some(Token::Op(Op::Less)) => Some("<".to_owned()),
            Some(Token::Op(Op::Great)) => Some(">".to_owned()),
            Some(t) => t
                .plain()
                .filter(|w| BINARY.contains(w) || *w == "=~")
                .map(str::to_owned),
            None => None,
        };
        let Some(op) = op else {
            return Ok(CondExpr::Single(left));
        };
        self.pos += 1;
        if op != "=~" {
            let right = self.cond_word()?;
            return Ok(CondExpr::Binary(left, op, right));
        }
        // The regex: every token up to `]]`, `&&` or `||` at parenthesis depth 0, joined.
        let mut parts = Vec::new();
        let mut depth = 0usize;
        loop {
            match self.peek() {
                None => return Err(ShellError::UnexpectedEof),
                Some(Token::Op(Op::AndIf | Op::OrIf)) if depth == 0 => break,
                Some(t) if depth == 0 && t.plain() == Some("]]") => break,
                Some(Token::Word { word, .. }) => parts.extend(word.parts.clone()),
                Some(Token::Op(op)) => {
                    match op {
                        Op::LParen => depth += 1,
                        Op::RParen => depth = depth.saturating_sub(1),
                        _ => {}
                    }
                    parts.push(WordPart::Literal(op.symbol().to_owned()));
                }
                Some(t) => return Err(ShellError::UnexpectedToken(t.display())),
            }
            self.pos += 1;
        }
        if parts.is_empty() {
            return Err(self.unexpected());
        }
        Ok(CondExpr::Binary(left, op, Word { parts }))
    }
}

fn unsupported_fd(fd: u32) -> ShellError {
    ShellError::Unsupported(format!("redirecting file descriptor {fd}"))
}
