//! The lexer turns text into words and operators. It is separate from the parser because quoting decides where
//! a word ends and which of its parts expand later, and because here-document bodies are read by line, between
//! tokens, where only the lexer is. It keeps quoting in each [`Word`]'s parts instead of removing it, since
//! expansion needs it (split or not, keep an empty `""` or not). A `$(…)` is found by scanning for its matching
//! parenthesis and parsed right away, recursively, so its errors surface with the rest of the line's.

use super::{parser, ParamOp, ShellError, Word, WordPart};

/// An operator token. `DoubleLess` and `DoubleLessDash` never reach the parser: they become
/// [`Token::HereDoc`].
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Op {
    Semi,
    DoubleSemi,
    /// `;&` and `;;&`: the ends of a `case` item that go on to the next one.
    SemiAnd,
    DoubleSemiAnd,
    AndIf,
    OrIf,
    Pipe,
    Amp,
    Less,
    DoubleLess,
    DoubleLessDash,
    TripleLess,
    Great,
    DoubleGreat,
    GreatAnd,
    AndGreat,
    AndDoubleGreat,
    LParen,
    RParen,
}

impl Op {
    pub(super) fn symbol(self) -> &'static str {
        match self {
            Op::Semi => ";",
            Op::DoubleSemi => ";;",
            Op::SemiAnd => ";&",
            Op::DoubleSemiAnd => ";;&",
            Op::AndIf => "&&",
            Op::OrIf => "||",
            Op::Pipe => "|",
            Op::Amp => "&",
            Op::Less => "<",
            Op::DoubleLess => "<<",
            Op::DoubleLessDash => "<<-",
            Op::TripleLess => "<<<",
            Op::Great => ">",
            Op::DoubleGreat => ">>",
            Op::GreatAnd => ">&",
            Op::AndGreat => "&>",
            Op::AndDoubleGreat => "&>>",
            Op::LParen => "(",
            Op::RParen => ")",
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) enum Token {
    /// A word and its source text (for error messages).
    Word {
        word: Word,
        raw: String,
    },
    Op(Op),
    /// The digits of `2>`: a file descriptor, not a word.
    IoNumber(u32),
    /// A here-document operator and its delimiter; the index is into [`Lexer::heredocs`].
    HereDoc(usize),
    Newline,
}

impl Token {
    /// How bash names the token in `syntax error near unexpected token`.
    pub(super) fn display(&self) -> String {
        match self {
            Token::Word { raw, .. } => raw.clone(),
            Token::Op(op) => op.symbol().to_owned(),
            Token::IoNumber(n) => n.to_string(),
            Token::HereDoc(_) => "<<".to_owned(),
            Token::Newline => "newline".to_owned(),
        }
    }

    pub(super) fn plain(&self) -> Option<&str> {
        match self {
            Token::Word { word, .. } => word.plain(),
            _ => None,
        }
    }
}

/// A here-document as the lexer saw it; `body` is `None` until its lines have been read.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) struct HereDocSpec {
    pub(super) delimiter: String,
    pub(super) quoted: bool,
    pub(super) strip_tabs: bool,
    pub(super) body: Option<String>,
}

fn is_meta(c: char) -> bool {
    matches!(
        c,
        ' ' | '\t' | '\n' | ';' | '&' | '|' | '<' | '>' | '(' | ')'
    )
}

/// Collects word parts, merging neighbours of the same kind.
#[derive(Default)]
struct Parts(Vec<WordPart>);

impl Parts {
    fn literal(&mut self, c: char) {
        match self.0.last_mut() {
            Some(WordPart::Literal(s)) => s.push(c),
            _ => self.0.push(WordPart::Literal(c.to_string())),
        }
    }

    fn quoted(&mut self, text: &str) {
        match self.0.last_mut() {
            Some(WordPart::Quoted(s)) => s.push_str(text),
            _ => self.0.push(WordPart::Quoted(text.to_owned())),
        }
    }

    fn quoted_char(&mut self, c: char) {
        self.quoted(c.encode_utf8(&mut [0; 4]));
    }
}

pub(super) struct Lexer {
    chars: Vec<char>,
    pos: usize,
    depth: usize,
    pub(super) tokens: Vec<Token>,
    pub(super) heredocs: Vec<HereDocSpec>,
    /// Here-documents whose bodies start after the next newline.
    pending: Vec<usize>,
}

impl Lexer {
    pub(super) fn new(input: &str, depth: usize) -> Self {
        Lexer {
            chars: input.chars().collect(),
            pos: 0,
            depth,
            tokens: Vec::new(),
            heredocs: Vec::new(),
            pending: Vec::new(),
        }
    }

    fn peek(&self) -> Option<char> {
        self.chars.get(self.pos).copied()
    }

    fn at(&self, i: usize) -> Option<char> {
        self.chars.get(i).copied()
    }

    fn text(&self, from: usize, to: usize) -> String {
        self.chars
            .get(from..to)
            .map(|s| s.iter().collect())
            .unwrap_or_default()
    }

    /// Tokenizes the whole input into `tokens`.
    pub(super) fn run(&mut self) -> Result<(), ShellError> {
        loop {
            self.skip_blanks();
            let Some(c) = self.peek() else {
                return Ok(());
            };
            if c == '#' {
                while !matches!(self.peek(), None | Some('\n')) {
                    self.pos += 1;
                }
                continue;
            }
            if c == '\n' {
                self.pos += 1;
                self.tokens.push(Token::Newline);
                self.read_heredoc_bodies();
                continue;
            }
            if let Some((op, len)) = self.operator() {
                self.pos += len;
                match op {
                    Op::DoubleLess => self.heredoc(false)?,
                    Op::DoubleLessDash => self.heredoc(true)?,
                    _ => self.tokens.push(Token::Op(op)),
                }
                continue;
            }
            if let Some(n) = self.io_number() {
                self.tokens.push(Token::IoNumber(n));
                continue;
            }
            let start = self.pos;
            let word = self.word()?;
            if self.pos == start {
                // Cannot happen (every branch of `word` consumes), but never loop forever.
                self.pos += 1;
                continue;
            }
            let raw = self.text(start, self.pos);
            self.tokens.push(Token::Word { word, raw });
        }
    }

    /// Skips spaces, tabs and backslash-newline line continuations.
    fn skip_blanks(&mut self) {
        loop {
            match (self.peek(), self.at(self.pos + 1)) {
                (Some(' ' | '\t'), _) => self.pos += 1,
                (Some('\\'), Some('\n')) => self.pos += 2,
                _ => return,
            }
        }
    }

    fn operator(&self) -> Option<(Op, usize)> {
        let next = self.at(self.pos + 1);
        let after = self.at(self.pos + 2);
        Some(match self.peek()? {
            ';' if next == Some(';') && after == Some('&') => (Op::DoubleSemiAnd, 3),
            ';' if next == Some(';') => (Op::DoubleSemi, 2),
            ';' if next == Some('&') => (Op::SemiAnd, 2),
            ';' => (Op::Semi, 1),
            '&' => match (next, after) {
                (Some('&'), _) => (Op::AndIf, 2),
                (Some('>'), Some('>')) => (Op::AndDoubleGreat, 3),
                (Some('>'), _) => (Op::AndGreat, 2),
                _ => (Op::Amp, 1),
            },
            '|' if next == Some('|') => (Op::OrIf, 2),
            '|' => (Op::Pipe, 1),
            '<' => match (next, after) {
                (Some('<'), Some('<')) => (Op::TripleLess, 3),
                (Some('<'), Some('-')) => (Op::DoubleLessDash, 3),
                (Some('<'), _) => (Op::DoubleLess, 2),
                _ => (Op::Less, 1),
            },
            '>' => match next {
                Some('>') => (Op::DoubleGreat, 2),
                Some('&') => (Op::GreatAnd, 2),
                // `>|` overrides noclobber, which this shell does not have.
                Some('|') => (Op::Great, 2),
                _ => (Op::Great, 1),
            },
            '(' => (Op::LParen, 1),
            ')' => (Op::RParen, 1),
            _ => return None,
        })
    }

    /// The digits of `2>` or `0<`, consumed; `None` (nothing consumed) for any other word.
    fn io_number(&mut self) -> Option<u32> {
        let mut i = self.pos;
        while matches!(self.at(i), Some(c) if c.is_ascii_digit()) {
            i += 1;
        }
        if i == self.pos || !matches!(self.at(i), Some('<' | '>')) {
            return None;
        }
        let n = self.text(self.pos, i).parse().ok()?;
        self.pos = i;
        Some(n)
    }

    fn word(&mut self) -> Result<Word, ShellError> {
        let mut parts = Parts::default();
        while let Some(c) = self.peek() {
            if is_meta(c) {
                break;
            }
            match c {
                '\\' => match self.at(self.pos + 1) {
                    Some('\n') => self.pos += 2,
                    Some(escaped) => {
                        parts.quoted_char(escaped);
                        self.pos += 2;
                    }
                    // A trailing backslash stays, as in `bash -c 'echo a\'`.
                    None => {
                        parts.literal('\\');
                        self.pos += 1;
                    }
                },
                '\'' => {
                    self.pos += 1;
                    let text = self.until_single_quote()?;
                    parts.quoted(&text);
                }
                '"' => {
                    self.pos += 1;
                    parts.quoted("");
                    self.quoted_text(&mut parts, false)?;
                }
                '$' => self.dollar(&mut parts, false)?,
                '`' => self.backquote(&mut parts, false)?,
                _ => {
                    parts.literal(c);
                    self.pos += 1;
                }
            }
        }
        Ok(Word { parts: parts.0 })
    }

    /// Reads up to the closing `'` (consumed), which must exist.
    fn until_single_quote(&mut self) -> Result<String, ShellError> {
        let mut text = String::new();
        loop {
            match self.peek() {
                None => return Err(ShellError::Unterminated('\'')),
                Some('\'') => {
                    self.pos += 1;
                    return Ok(text);
                }
                Some(c) => {
                    text.push(c);
                    self.pos += 1;
                }
            }
        }
    }

    /// Double-quoted text up to the closing `"` (consumed), or a whole unquoted here-document body
    /// (`heredoc`), where `"` is ordinary and the text ends with the input.
    fn quoted_text(&mut self, parts: &mut Parts, heredoc: bool) -> Result<(), ShellError> {
        loop {
            let Some(c) = self.peek() else {
                return if heredoc {
                    Ok(())
                } else {
                    Err(ShellError::Unterminated('"'))
                };
            };
            match c {
                '"' if !heredoc => {
                    self.pos += 1;
                    return Ok(());
                }
                '\\' => match self.at(self.pos + 1) {
                    Some('\n') => self.pos += 2,
                    Some(e @ ('$' | '`' | '\\')) => {
                        parts.quoted_char(e);
                        self.pos += 2;
                    }
                    Some('"') if !heredoc => {
                        parts.quoted_char('"');
                        self.pos += 2;
                    }
                    // Before any other character the backslash is kept: "a\qb" is a\qb.
                    _ => {
                        parts.quoted_char('\\');
                        self.pos += 1;
                    }
                },
                '$' => self.dollar(parts, true)?,
                '`' => self.backquote(parts, true)?,
                _ => {
                    parts.quoted_char(c);
                    self.pos += 1;
                }
            }
        }
    }

    /// `$NAME`, `${NAME}`, `$?`, `$(…)`, or a lone `$`, which is literal.
    fn dollar(&mut self, parts: &mut Parts, quoted: bool) -> Result<(), ShellError> {
        let start = self.pos;
        match self.at(self.pos + 1) {
            Some('(') => {
                if self.at(self.pos + 2) == Some('(') {
                    let open = self.pos + 3;
                    let mut depth = 0usize;
                    let mut end = open;
                    loop {
                        match self.at(end) {
                            None => return Err(ShellError::Unterminated(')')),
                            Some('(') => depth += 1,
                            Some(')') if depth > 0 => depth -= 1,
                            Some(')') if self.at(end + 1) == Some(')') => break,
                            Some(')') => return Err(ShellError::Unterminated(')')),
                            _ => {}
                        }
                        end += 1;
                    }
                    let inner = self.text(open, end);
                    let expr = heredoc_word(&inner, false, self.depth + 1)?;
                    self.pos = end + 2;
                    parts.0.push(WordPart::Arith {
                        expr,
                        source: self.text(start, self.pos),
                        quoted,
                    });
                    return Ok(());
                }
                let open = self.pos + 2;
                let close = scan_command_substitution(&self.chars, open)?;
                let inner = self.text(open, close);
                let script = parser::parse_at_depth(&inner, &[], self.depth + 1)?;
                self.pos = close + 1;
                parts.0.push(WordPart::CommandSubst {
                    script,
                    source: self.text(start, self.pos),
                    quoted,
                });
            }
            Some('{') => {
                let open = self.pos + 2;
                let close = scan_brace(&self.chars, open)?;
                let inner = self.text(open, close);
                self.pos = close + 1;
                let source = self.text(start, self.pos);
                parts
                    .0
                    .push(param_expansion(&inner, source, quoted, self.depth)?);
            }
            Some(c) if c == '_' || c.is_ascii_alphabetic() => {
                let mut end = self.pos + 1;
                while matches!(self.at(end), Some(c) if c == '_' || c.is_ascii_alphanumeric()) {
                    end += 1;
                }
                parts.0.push(WordPart::Param {
                    name: self.text(self.pos + 1, end),
                    braced: false,
                    quoted,
                });
                self.pos = end;
            }
            Some(c)
                if c.is_ascii_digit() || matches!(c, '?' | '$' | '#' | '@' | '*' | '!' | '-') =>
            {
                parts.0.push(WordPart::Param {
                    name: c.to_string(),
                    braced: false,
                    quoted,
                });
                self.pos += 2;
            }
            _ => {
                if quoted {
                    parts.quoted_char('$');
                } else {
                    parts.literal('$');
                }
                self.pos += 1;
            }
        }
        Ok(())
    }

    /// `` `…` ``: the old command substitution. Inside it, a backslash escapes `` ` ``, `\` and `$` (and `"`
    /// when the backquotes are inside double quotes); the rest is parsed like `$(…)`.
    fn backquote(&mut self, parts: &mut Parts, in_double_quotes: bool) -> Result<(), ShellError> {
        let start = self.pos;
        self.pos += 1;
        let mut inner = String::new();
        loop {
            match self.peek() {
                None => return Err(ShellError::Unterminated('`')),
                Some('`') => {
                    self.pos += 1;
                    break;
                }
                Some('\\') => match self.at(self.pos + 1) {
                    Some(e @ ('`' | '\\' | '$')) => {
                        inner.push(e);
                        self.pos += 2;
                    }
                    Some('"') if in_double_quotes => {
                        inner.push('"');
                        self.pos += 2;
                    }
                    _ => {
                        inner.push('\\');
                        self.pos += 1;
                    }
                },
                Some(c) => {
                    inner.push(c);
                    self.pos += 1;
                }
            }
        }
        let script = parser::parse_at_depth(&inner, &[], self.depth + 1)?;
        parts.0.push(WordPart::CommandSubst {
            script,
            source: self.text(start, self.pos),
            quoted: in_double_quotes,
        });
        Ok(())
    }

    /// After `<<` or `<<-`: reads the delimiter and registers a body to collect after the next newline.
    fn heredoc(&mut self, strip_tabs: bool) -> Result<(), ShellError> {
        while matches!(self.peek(), Some(' ' | '\t')) {
            self.pos += 1;
        }
        match self.peek() {
            None | Some('\n') => return Err(ShellError::UnexpectedToken("newline".to_owned())),
            Some(_) => {
                if let Some((op, _)) = self.operator() {
                    return Err(ShellError::UnexpectedToken(op.symbol().to_owned()));
                }
            }
        }
        let (delimiter, quoted) = self.heredoc_delimiter()?;
        let id = self.heredocs.len();
        self.heredocs.push(HereDocSpec {
            delimiter,
            quoted,
            strip_tabs,
            body: None,
        });
        self.pending.push(id);
        self.tokens.push(Token::HereDoc(id));
        Ok(())
    }

    /// The delimiter word with quotes removed and nothing expanded, and whether any of it was quoted.
    fn heredoc_delimiter(&mut self) -> Result<(String, bool), ShellError> {
        let mut text = String::new();
        let mut quoted = false;
        while let Some(c) = self.peek() {
            if is_meta(c) {
                break;
            }
            match c {
                '\'' => {
                    quoted = true;
                    self.pos += 1;
                    text.push_str(&self.until_single_quote()?);
                }
                '"' => {
                    quoted = true;
                    self.pos += 1;
                    loop {
                        match self.peek() {
                            None => return Err(ShellError::Unterminated('"')),
                            Some('"') => {
                                self.pos += 1;
                                break;
                            }
                            Some('\\')
                                if matches!(
                                    self.at(self.pos + 1),
                                    Some('"' | '\\' | '$' | '`')
                                ) =>
                            {
                                if let Some(e) = self.at(self.pos + 1) {
                                    text.push(e);
                                }
                                self.pos += 2;
                            }
                            Some(d) => {
                                text.push(d);
                                self.pos += 1;
                            }
                        }
                    }
                }
                '\\' => {
                    quoted = true;
                    match self.at(self.pos + 1) {
                        Some(e) => {
                            text.push(e);
                            self.pos += 2;
                        }
                        None => {
                            text.push('\\');
                            self.pos += 1;
                        }
                    }
                }
                _ => {
                    text.push(c);
                    self.pos += 1;
                }
            }
        }
        Ok((text, quoted))
    }

    /// Right after a newline: the lines of each pending here-document, up to its delimiter line. Input that
    /// ends first leaves the body as read, as bash does (with a warning).
    fn read_heredoc_bodies(&mut self) {
        for id in std::mem::take(&mut self.pending) {
            let Some(spec) = self.heredocs.get(id) else {
                continue;
            };
            let (delimiter, strip_tabs) = (spec.delimiter.clone(), spec.strip_tabs);
            let mut body = String::new();
            while self.pos < self.chars.len() {
                let end = self
                    .chars
                    .get(self.pos..)
                    .and_then(|rest| rest.iter().position(|&c| c == '\n'))
                    .map_or(self.chars.len(), |offset| self.pos + offset);
                let line = self.text(self.pos, end);
                self.pos = (end + 1).min(self.chars.len());
                let line = if strip_tabs {
                    line.trim_start_matches('\t')
                } else {
                    line.as_str()
                };
                if line == delimiter {
                    break;
                }
                body.push_str(line);
                body.push('\n');
            }
            if let Some(spec) = self.heredocs.get_mut(id) {
                spec.body = Some(body);
            }
        }
    }
}

/// The index of the `}` closing a `${` whose contents start at `open`: nested `${…}`, `$(…)`, quotes and
/// backslashes are skipped.
fn scan_brace(chars: &[char], open: usize) -> Result<usize, ShellError> {
    let mut depth = 0usize;
    let mut i = open;
    let mut quote: Option<char> = None;
    while let Some(&c) = chars.get(i) {
        match (quote, c) {
            (Some('\''), '\'') => quote = None,
            (Some('\''), _) => {}
            (_, '\\') => i += 1,
            (Some('"'), '"') => quote = None,
            (None, '\'' | '"') => quote = Some(c),
            (_, '$') if chars.get(i + 1) == Some(&'{') => {
                depth += 1;
                i += 1;
            }
            (_, '$') if chars.get(i + 1) == Some(&'(') => {
                i = scan_command_substitution(chars, i + 2)?;
            }
            (None | Some('"'), '}') if depth > 0 => depth -= 1,
            (None | Some('"'), '}') => return Ok(i),
            _ => {}
        }
        i += 1;
    }
    Err(ShellError::Unterminated('}'))
}

/// The name at the start of `${…}`'s contents (a variable, a special parameter, digits, or an array
/// element), and its length in characters.
fn param_name_len(inner: &[char]) -> usize {
    let Some(&first) = inner.first() else {
        return 0;
    };
    let mut end = if first == '_' || first.is_ascii_alphabetic() {
        inner
            .iter()
            .take_while(|c| **c == '_' || c.is_ascii_alphanumeric())
            .count()
    } else if first.is_ascii_digit() {
        inner.iter().take_while(|c| c.is_ascii_digit()).count()
    } else if matches!(first, '?' | '$' | '#' | '@' | '*' | '!' | '-') {
        1
    } else {
        0
    };
    if end > 0 && inner.get(end) == Some(&'[') {
        if let Some(close) = inner[end..].iter().position(|c| *c == ']') {
            end += close + 1;
        }
    }
    end
}

/// `${NAME}`, `${#NAME}`, or `${NAME OP WORD}` with bash's operators: `-` `=` `+` `?` (with `:`, also for
/// an empty value), `#` `##` `%` `%%` (remove a matching prefix or suffix), `/` `//` `/#` `/%` (replace),
/// `:OFFSET[:LENGTH]`, `^` `^^` `,` `,,` (case). The word after the operator is lexed as a word of its own,
/// in double quotes when the expansion is.
fn param_expansion(
    inner: &str,
    source: String,
    quoted: bool,
    depth: usize,
) -> Result<WordPart, ShellError> {
    let bad = || ShellError::BadSubstitution(source.clone());
    if is_param_name(inner) || is_array_reference(inner) {
        return Ok(WordPart::Param {
            name: inner.to_owned(),
            braced: true,
            quoted,
        });
    }
    let chars: Vec<char> = inner.chars().collect();
    if chars.first() == Some(&'!') {
        return Err(ShellError::Unsupported(format!(
            "indirect parameter expansion `{source}'"
        )));
    }
    let len = param_name_len(&chars);
    if len == 0 {
        return Err(bad());
    }
    let name: String = chars[..len].iter().collect();
    let rest: String = chars[len..].iter().collect();
    let table: &[(&str, ParamOp)] = &[
        (":-", ParamOp::Default { colon: true }),
        (":=", ParamOp::Assign { colon: true }),
        (":+", ParamOp::Alternative { colon: true }),
        (":?", ParamOp::Error { colon: true }),
        ("-", ParamOp::Default { colon: false }),
        ("=", ParamOp::Assign { colon: false }),
        ("+", ParamOp::Alternative { colon: false }),
        ("?", ParamOp::Error { colon: false }),
        ("##", ParamOp::RemovePrefix { longest: true }),
        ("#", ParamOp::RemovePrefix { longest: false }),
        ("%%", ParamOp::RemoveSuffix { longest: true }),
        ("%", ParamOp::RemoveSuffix { longest: false }),
        (
            "//",
            ParamOp::Replace {
                all: true,
                anchor: None,
            },
        ),
        (
            "/#",
            ParamOp::Replace {
                all: false,
                anchor: Some('#'),
            },
        ),
        (
            "/%",
            ParamOp::Replace {
                all: false,
                anchor: Some('%'),
            },
        ),
        (
            "/",
            ParamOp::Replace {
                all: false,
                anchor: None,
            },
        ),
        (
            "^^",
            ParamOp::Case {
                upper: true,
                all: true,
            },
        ),
        (
            "^",
            ParamOp::Case {
                upper: true,
                all: false,
            },
        ),
        (
            ",,",
            ParamOp::Case {
                upper: false,
                all: true,
            },
        ),
        (
            ",",
            ParamOp::Case {
                upper: false,
                all: false,
            },
        ),
        (":", ParamOp::Substring),
    ];
    let Some((symbol, op)) = table.iter().find(|(sym, _)| rest.starts_with(sym)) else {
        return Err(bad());
    };
    let text = &rest[symbol.len()..];
    // The replacement after `/PATTERN/`, the length after `:OFFSET:`.
    let separator = match op {
        ParamOp::Replace { .. } => Some('/'),
        ParamOp::Substring => Some(':'),
        _ => None,
    };
    let (first, second) = match separator.and_then(|sep| split_unquoted(text, sep)) {
        Some((a, b)) => (a, Some(b)),
        None => (text.to_owned(), None),
    };
    let arg = arg_word(&first, quoted, depth)?;
    let arg2 = match second {
        Some(t) => Some(arg_word(&t, quoted, depth)?),
        None => None,
    };
    Ok(WordPart::ParamOp {
        name,
        op: *op,
        arg,
        arg2,
        source,
        quoted,
    })
}

/// `text` split at the first `sep` outside quotes and not escaped.
fn split_unquoted(text: &str, sep: char) -> Option<(String, String)> {
    let chars: Vec<char> = text.chars().collect();
    let mut quote: Option<char> = None;
    let mut i = 0;
    while i < chars.len() {
        let c = chars[i];
        match (quote, c) {
            (Some(q), _) if c == q => quote = None,
            (Some(_), _) => {}
            (None, '\\') => i += 1,
            (None, '\'' | '"') => quote = Some(c),
            (None, _) if c == sep => {
                return Some((chars[..i].iter().collect(), chars[i + 1..].iter().collect()))
            }
            _ => {}
        }
        i += 1;
    }
    None
}

/// The word after a parameter operator: quotes, backslashes and expansions as in any word, but blanks and
/// operators are part of it. bash reads it so inside double quotes too (`"${V%".yaml"}"`); the expansion's
/// own quoting decides whether its value splits.
fn arg_word(text: &str, _quoted: bool, depth: usize) -> Result<Word, ShellError> {
    let mut lexer = Lexer::new(text, depth + 1);
    let mut parts = Parts::default();
    while let Some(c) = lexer.peek() {
        if is_meta(c) {
            parts.literal(c);
            lexer.pos += 1;
            continue;
        }
        let before = lexer.pos;
        let word = lexer.word()?;
        for part in word.parts {
            match part {
                WordPart::Literal(t) => t.chars().for_each(|c| parts.literal(c)),
                WordPart::Quoted(t) => parts.quoted(&t),
                other => parts.0.push(other),
            }
        }
        if lexer.pos == before {
            lexer.pos += 1;
        }
    }
    Ok(Word { parts: parts.0 })
}

/// `${NAME[INDEX]}`, `${NAME[@]}`, `${#NAME[@]}` and `${#NAME}`: array elements and lengths.
fn is_array_reference(name: &str) -> bool {
    let name = name.strip_prefix('#').unwrap_or(name);
    match name.split_once('[') {
        Some((base, rest)) => {
            super::is_name(base)
                && rest.strip_suffix(']').is_some_and(|i| {
                    i == "@" || i == "*" || (!i.is_empty() && i.chars().all(|c| c.is_ascii_digit()))
                })
        }
        None => super::is_name(name),
    }
}

/// Whether `${name}` names a parameter: a variable name, digits, or one special character.
fn is_param_name(name: &str) -> bool {
    super::is_name(name)
        || (!name.is_empty() && name.chars().all(|c| c.is_ascii_digit()))
        || matches!(name, "?" | "$" | "#" | "@" | "*" | "!" | "-")
}

/// The index of the `)` closing a `$(` whose contents start at `open`, skipping quoted text, nested
/// parentheses and comments.
fn scan_command_substitution(chars: &[char], open: usize) -> Result<usize, ShellError> {
    #[derive(Clone, Copy)]
    enum Context {
        Paren,
        Double,
        Back,
    }
    let mut stack = vec![Context::Paren];
    let mut i = open;
    while let (Some(&c), Some(&context)) = (chars.get(i), stack.last()) {
        match context {
            Context::Paren => match c {
                '\\' => i += 1,
                '\'' => match chars
                    .get(i + 1..)
                    .and_then(|rest| rest.iter().position(|&d| d == '\''))
                {
                    Some(offset) => i += offset + 1,
                    None => return Err(ShellError::Unterminated('\'')),
                },
                '"' => stack.push(Context::Double),
                '`' => stack.push(Context::Back),
                '(' => stack.push(Context::Paren),
                ')' => {
                    stack.pop();
                    if stack.is_empty() {
                        return Ok(i);
                    }
                }
                '#' if i == open
                    || matches!(
                        chars.get(i - 1),
                        Some(' ' | '\t' | '\n' | ';' | '&' | '|' | '(')
                    ) =>
                {
                    while !matches!(chars.get(i + 1), None | Some('\n')) {
                        i += 1;
                    }
                }
                _ => {}
            },
            Context::Double => match c {
                '\\' => i += 1,
                '"' => {
                    stack.pop();
                }
                '`' => stack.push(Context::Back),
                '$' if chars.get(i + 1) == Some(&'(') => {
                    stack.push(Context::Paren);
                    i += 1;
                }
                _ => {}
            },
            Context::Back => match c {
                '\\' => i += 1,
                '`' => {
                    stack.pop();
                }
                _ => {}
            },
        }
        i += 1;
    }
    Err(ShellError::Unterminated(match stack.last() {
        Some(Context::Double) => '"',
        Some(Context::Back) => '`',
        _ => ')',
    }))
}

/// An unquoted here-document body parsed for `$` and backquote expansion; a quoted one as one quoted part.
pub(super) fn heredoc_word(body: &str, quoted: bool, depth: usize) -> Result<Word, ShellError> {
    if quoted {
        return Ok(Word {
            parts: vec![WordPart::Quoted(body.to_owned())],
        });
    }
    let mut lexer = Lexer::new(body, depth);
    let mut parts = Parts::default();
    parts.quoted("");
    lexer.quoted_text(&mut parts, true)?;
    Ok(Word { parts: parts.0 })
}
