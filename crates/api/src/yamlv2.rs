//! What go-yaml v2 says about a malformed YAML document. kubectl reads manifests with apimachinery's
//! YAMLOrJSONDecoder, which hands each `---` document on its own to sigs.k8s.io/yaml, which parses it with
//! go-yaml v2 (go.yaml.in/yaml/v2, a Go port of libyaml). Its errors are what a learner sees:
//! `yaml: line 4: could not find expected ':'`, with the line counted from the start of that document and the
//! off-by-one go-yaml keeps (a scanner error names the line it stopped on, a parser error the line before).
//!
//! The engine reads YAML with another parser, which finds the same mistakes but words and places them its
//! own way. This module replays libyaml's token scanner and event parser (the same rules: the indentation
//! stack, "simple keys" that must find their `:` on the same line, when tabs may appear, how plain and quoted
//! scalars continue across lines) far enough to find the first error go-yaml would report, and where. It
//! builds no values.

use std::collections::{BTreeMap, BTreeSet, VecDeque};

/// go-yaml v2's error for a document, as `yaml.Unmarshal` words it without its `yaml: ` prefix.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct YamlError {
    /// The line go-yaml names (`None`: it names none, as for a mistake on the first line).
    pub line: Option<usize>,
    pub problem: String,
    /// Where the problem really is in the document (1-based line and column), for an editor to point at.
    pub at: (usize, usize),
}

impl std::fmt::Display for YamlError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self.line {
            Some(line) => write!(f, "yaml: line {line}: {}", self.problem),
            None => write!(f, "yaml: {}", self.problem),
        }
    }
}

/// The first error go-yaml v2 reports for `doc` (one document, as kubectl's decoder cuts it), if any.
pub fn check(doc: &str) -> Option<YamlError> {
    if doc.chars().any(|c| !printable(c)) {
        let (line, column) = doc
            .lines()
            .enumerate()
            .find_map(|(i, l)| {
                l.chars()
                    .position(|c| !printable(c))
                    .map(|c| (i + 1, c + 1))
            })
            .unwrap_or((1, 1));
        return Some(YamlError {
            line: None,
            problem: "control characters are not allowed".into(),
            at: (line, column),
        });
    }
    let mut parser = Parser::new(doc);
    match parser.run() {
        Ok(()) => None,
        Err(e) => Some(e.report()),
    }
}

/// libyaml's `is_printable`: what its reader accepts.
fn printable(c: char) -> bool {
    matches!(c, '\t' | '\n' | '\r' | ' '..='~' | '\u{85}' | '\u{a0}'..='\u{d7ff}' | '\u{e000}'..='\u{fffd}' | '\u{10000}'..='\u{10ffff}')
}

#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
struct Mark {
    index: usize,
    line: usize,
    column: usize,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Tok {
    StreamStart,
    StreamEnd,
    Directive,
    DocumentStart,
    DocumentEnd,
    BlockSequenceStart,
    BlockMappingStart,
    BlockEnd,
    FlowSequenceStart,
    FlowSequenceEnd,
    FlowMappingStart,
    FlowMappingEnd,
    BlockEntry,
    FlowEntry,
    Key,
    Value,
    Alias,
    Anchor,
    Tag,
    Scalar,
}

#[derive(Debug, Clone)]
struct Token {
    kind: Tok,
    start: Mark,
    end: Mark,
    /// An anchor's or alias's name.
    value: String,
}

#[derive(Debug, Clone, Copy, Default)]
struct SimpleKey {
    possible: bool,
    required: bool,
    token_number: usize,
    mark: Mark,
}

/// An error as libyaml records it: who found it, the problem and where, and the context it was in.
#[derive(Debug, Clone)]
struct Failure {
    scanner: bool,
    problem: String,
    problem_mark: Mark,
    context_mark: Mark,
}

impl Failure {
    /// decode.go `fail`: the problem's line (a scanner's counted from one, a parser's from zero), else the
    /// context's, else none; line 0 never shows.
    fn report(self) -> YamlError {
        let line = if self.problem_mark.line != 0 {
            self.problem_mark.line + usize::from(self.scanner)
        } else {
            self.context_mark.line
        };
        YamlError {
            line: (line != 0).then_some(line),
            problem: self.problem,
            at: (self.problem_mark.line + 1, self.problem_mark.column + 1),
        }
    }
}

type Step<T> = Result<T, Failure>;

/// The scanner: characters to tokens.
struct Scanner {
    chars: Vec<char>,
    pos: usize,
    mark: Mark,
    tokens: VecDeque<Token>,
    tokens_parsed: usize,
    stream_start_produced: bool,
    stream_end_produced: bool,
    indent: i64,
    indents: Vec<i64>,
    simple_key_allowed: bool,
    simple_keys: Vec<SimpleKey>,
    simple_keys_by_tok: BTreeMap<usize, usize>,
    flow_level: usize,
}

impl Scanner {
    fn new(text: &str) -> Scanner {
        Scanner {
            chars: text.chars().collect(),
            pos: 0,
            mark: Mark::default(),
            tokens: VecDeque::new(),
            tokens_parsed: 0,
            stream_start_produced: false,
            stream_end_produced: false,
            indent: -1,
            indents: Vec::new(),
            simple_key_allowed: false,
            simple_keys: Vec::new(),
            simple_keys_by_tok: BTreeMap::new(),
            flow_level: 0,
        }
    }

    /// The character `ahead` positions on; `'\0'` past the end.
    fn at(&self, ahead: usize) -> char {
        self.chars.get(self.pos + ahead).copied().unwrap_or('\0')
    }

    fn is_z(&self, ahead: usize) -> bool {
        self.pos + ahead >= self.chars.len()
    }

    fn is_break(&self, ahead: usize) -> bool {
        matches!(
            self.at(ahead),
            '\r' | '\n' | '\u{85}' | '\u{2028}' | '\u{2029}'
        )
    }

    fn is_blank(&self, ahead: usize) -> bool {
        matches!(self.at(ahead), ' ' | '\t')
    }

    fn is_breakz(&self, ahead: usize) -> bool {
        self.is_break(ahead) || self.is_z(ahead)
    }

    fn is_blankz(&self, ahead: usize) -> bool {
        self.is_blank(ahead) || self.is_breakz(ahead)
    }

    fn skip(&mut self) {
        self.pos += 1;
        self.mark.index += 1;
        self.mark.column += 1;
    }

    fn skip_line(&mut self) {
        if self.at(0) == '\r' && self.at(1) == '\n' {
            self.pos += 2;
            self.mark.index += 2;
        } else if self.is_break(0) {
            self.pos += 1;
            self.mark.index += 1;
        } else {
            return;
        }
        self.mark.column = 0;
        self.mark.line += 1;
    }

    fn error(&self, context_mark: Mark, problem: &str) -> Failure {
        Failure {
            scanner: true,
            problem: problem.to_string(),
            problem_mark: self.mark,
            context_mark,
        }
    }

    fn push(&mut self, kind: Tok, start: Mark, end: Mark) {
        self.tokens.push_back(Token {
            kind,
            start,
            end,
            value: String::new(),
        });
    }

    /// The token at the head of the queue, scanning as far as libyaml does to know it (a possible simple
    /// key at the head waits for its `:` or for the scanner to move past its line).
    fn peek(&mut self) -> Step<&Token> {
        self.fetch_more_tokens()?;
        match self.tokens.front() {
            Some(t) => Ok(t),
            None => Err(self.error(self.mark, "unknown problem parsing YAML content")),
        }
    }

    fn next(&mut self) -> Step<Token> {
        self.fetch_more_tokens()?;
        let token = self
            .tokens
            .pop_front()
            .ok_or_else(|| self.error(self.mark, "unknown problem parsing YAML content"))?;
        self.tokens_parsed += 1;
        if token.kind == Tok::StreamEnd {
            self.stream_end_produced = true;
        }
        Ok(token)
    }

    fn fetch_more_tokens(&mut self) -> Step<()> {
        loop {
            if !self.tokens.is_empty() {
                let Some(&index) = self.simple_keys_by_tok.get(&self.tokens_parsed) else {
                    break;
                };
                let mut key = self.simple_keys[index];
                let valid = self.simple_key_is_valid(&mut key)?;
                self.simple_keys[index] = key;
                if !valid {
                    break;
                }
            }
            if self.stream_end_produced {
                break;
            }
            self.fetch_next_token()?;
        }
        Ok(())
    }

    /// A saved simple key stays a candidate only on its own line and within 1024 characters; a required one
    /// that can no longer be a key is the "could not find expected ':'" error.
    fn simple_key_is_valid(&mut self, key: &mut SimpleKey) -> Step<bool> {
        if !key.possible {
            return Ok(false);
        }
        if key.mark.line < self.mark.line || key.mark.index + 1024 < self.mark.index {
            if key.required {
                return Err(self.error(key.mark, "could not find expected ':'"));
            }
            key.possible = false;
            return Ok(false);
        }
        Ok(true)
    }

    fn fetch_next_token(&mut self) -> Step<()> {
        if !self.stream_start_produced {
            self.indent = -1;
            self.simple_keys.push(SimpleKey::default());
            self.simple_key_allowed = true;
            self.stream_start_produced = true;
            let m = self.mark;
            self.push(Tok::StreamStart, m, m);
            return Ok(());
        }
        self.scan_to_next_token();
        self.unroll_indent(self.mark.column as i64);
        if self.is_z(0) {
            return self.fetch_stream_end();
        }
        let c = self.at(0);
        if self.mark.column == 0 && c == '%' {
            return self.fetch_directive();
        }
        let indicator = |s: &Scanner, ch: char| {
            s.mark.column == 0 && s.at(0) == ch && s.at(1) == ch && s.at(2) == ch && s.is_blankz(3)
        };
        if indicator(self, '-') {
            return self.fetch_document_indicator(Tok::DocumentStart);
        }
        if indicator(self, '.') {
            return self.fetch_document_indicator(Tok::DocumentEnd);
        }
        match c {
            '[' => return self.fetch_flow_collection_start(Tok::FlowSequenceStart),
            '{' => return self.fetch_flow_collection_start(Tok::FlowMappingStart),
            ']' => return self.fetch_flow_collection_end(Tok::FlowSequenceEnd),
            '}' => return self.fetch_flow_collection_end(Tok::FlowMappingEnd),
            ',' => return self.fetch_flow_entry(),
            _ => {}
        }
        if c == '-' && self.is_blankz(1) {
            return self.fetch_block_entry();
        }
        if c == '?' && (self.flow_level > 0 || self.is_blankz(1)) {
            return self.fetch_key();
        }
        if c == ':' && (self.flow_level > 0 || self.is_blankz(1)) {
            return self.fetch_value();
        }
        match c {
            '*' => return self.fetch_anchor(Tok::Alias),
            '&' => return self.fetch_anchor(Tok::Anchor),
            '!' => return self.fetch_tag(),
            '|' if self.flow_level == 0 => return self.fetch_block_scalar(true),
            '>' if self.flow_level == 0 => return self.fetch_block_scalar(false),
            '\'' => return self.fetch_flow_scalar(true),
            '"' => return self.fetch_flow_scalar(false),
            _ => {}
        }
        let starts_plain = !(self.is_blankz(0)
            || matches!(
                c,
                '-' | '?'
                    | ':'
                    | ','
                    | '['
                    | ']'
                    | '{'
                    | '}'
                    | '#'
                    | '&'
                    | '*'
                    | '!'
                    | '|'
                    | '>'
                    | '\''
                    | '"'
                    | '%'
                    | '@'
                    | '`'
            ))
            || (c == '-' && !self.is_blank(1))
            || (self.flow_level == 0 && matches!(c, '?' | ':') && !self.is_blankz(1));
        if starts_plain {
            return self.fetch_plain_scalar();
        }
        Err(self.error(self.mark, "found character that cannot start any token"))
    }

    /// Spaces, comments and line breaks; a tab only in flow context or where no simple key may start (not
    /// at the start of a block line, nor right after `-`, `?` or `:`).
    fn scan_to_next_token(&mut self) {
        loop {
            if self.mark.column == 0 && self.at(0) == '\u{feff}' {
                self.skip();
            }
            while self.at(0) == ' '
                || ((self.flow_level > 0 || !self.simple_key_allowed) && self.at(0) == '\t')
            {
                self.skip();
            }
            if self.at(0) == '#' {
                while !self.is_breakz(0) {
                    self.skip();
                }
            }
            if self.is_break(0) {
                self.skip_line();
                if self.flow_level == 0 {
                    self.simple_key_allowed = true;
                }
            } else {
                break;
            }
        }
    }

    fn unroll_indent(&mut self, column: i64) {
        if self.flow_level > 0 {
            return;
        }
        while self.indent > column {
            let m = self.mark;
            self.push(Tok::BlockEnd, m, m);
            self.indent = self.indents.pop().unwrap_or(-1);
        }
    }

    /// A block collection starts where its first entry or key is more indented than the current level; its
    /// start token goes before that key's token (`number`), or at the end of the queue.
    fn roll_indent(&mut self, column: usize, number: Option<usize>, kind: Tok, mark: Mark) {
        if self.flow_level > 0 {
            return;
        }
        let column = column as i64;
        if self.indent < column {
            self.indents.push(self.indent);
            self.indent = column;
            let token = Token {
                kind,
                start: mark,
                end: mark,
                value: String::new(),
            };
            match number {
                Some(n) => {
                    let at = n.saturating_sub(self.tokens_parsed).min(self.tokens.len());
                    self.tokens.insert(at, token);
                }
                None => self.tokens.push_back(token),
            }
        }
    }

    fn save_simple_key(&mut self) -> Step<()> {
        let required = self.flow_level == 0 && self.indent == self.mark.column as i64;
        if self.simple_key_allowed {
            let key = SimpleKey {
                possible: true,
                required,
                token_number: self.tokens_parsed + self.tokens.len(),
                mark: self.mark,
            };
            self.remove_simple_key()?;
            let last = self.simple_keys.len() - 1;
            self.simple_keys[last] = key;
            self.simple_keys_by_tok.insert(key.token_number, last);
        }
        Ok(())
    }

    fn remove_simple_key(&mut self) -> Step<()> {
        let i = self.simple_keys.len() - 1;
        let key = self.simple_keys[i];
        if key.possible {
            if key.required {
                return Err(self.error(key.mark, "could not find expected ':'"));
            }
            self.simple_keys[i].possible = false;
            self.simple_keys_by_tok.remove(&key.token_number);
        }
        Ok(())
    }

    fn fetch_stream_end(&mut self) -> Step<()> {
        if self.mark.column != 0 {
            self.mark.column = 0;
            self.mark.line += 1;
        }
        self.unroll_indent(-1);
        self.remove_simple_key()?;
        self.simple_key_allowed = false;
        let m = self.mark;
        self.push(Tok::StreamEnd, m, m);
        Ok(())
    }

    fn fetch_directive(&mut self) -> Step<()> {
        self.unroll_indent(-1);
        self.remove_simple_key()?;
        self.simple_key_allowed = false;
        let start = self.mark;
        self.skip();
        let mut name = String::new();
        while self.at(0).is_ascii_alphanumeric() || matches!(self.at(0), '_' | '-') {
            name.push(self.at(0));
            self.skip();
        }
        if name.is_empty() {
            return Err(self.error(start, "could not find expected directive name"));
        }
        if !self.is_blankz(0) {
            return Err(self.error(start, "found unexpected non-alphabetical character"));
        }
        if name != "YAML" && name != "TAG" {
            return Err(self.error(start, "found unknown directive name"));
        }
        // The directive's value (`%YAML 1.1`, `%TAG ! prefix`) is not checked further here.
        while !self.is_breakz(0) && self.at(0) != '#' {
            self.skip();
        }
        while !self.is_breakz(0) {
            self.skip();
        }
        let end = self.mark;
        self.skip_line();
        self.push(Tok::Directive, start, end);
        Ok(())
    }

    fn fetch_document_indicator(&mut self, kind: Tok) -> Step<()> {
        self.unroll_indent(-1);
        self.remove_simple_key()?;
        self.simple_key_allowed = false;
        let start = self.mark;
        self.skip();
        self.skip();
        self.skip();
        let end = self.mark;
        self.push(kind, start, end);
        Ok(())
    }

    fn fetch_flow_collection_start(&mut self, kind: Tok) -> Step<()> {
        self.save_simple_key()?;
        self.simple_keys.push(SimpleKey {
            token_number: self.tokens_parsed + self.tokens.len(),
            mark: self.mark,
            ..SimpleKey::default()
        });
        self.flow_level += 1;
        self.simple_key_allowed = true;
        let start = self.mark;
        self.skip();
        let end = self.mark;
        self.push(kind, start, end);
        Ok(())
    }

    fn fetch_flow_collection_end(&mut self, kind: Tok) -> Step<()> {
        self.remove_simple_key()?;
        if self.flow_level > 0 {
            self.flow_level -= 1;
            if let Some(key) = self.simple_keys.pop() {
                self.simple_keys_by_tok.remove(&key.token_number);
            }
        }
        self.simple_key_allowed = false;
        let start = self.mark;
        self.skip();
        let end = self.mark;
        self.push(kind, start, end);
        Ok(())
    }

    fn fetch_flow_entry(&mut self) -> Step<()> {
        self.remove_simple_key()?;
        self.simple_key_allowed = true;
        let start = self.mark;
        self.skip();
        let end = self.mark;
        self.push(Tok::FlowEntry, start, end);
        Ok(())
    }

    fn fetch_block_entry(&mut self) -> Step<()> {
        if self.flow_level == 0 {
            if !self.simple_key_allowed {
                return Err(self.error(
                    self.mark,
                    "block sequence entries are not allowed in this context",
                ));
            }
            let m = self.mark;
            self.roll_indent(m.column, None, Tok::BlockSequenceStart, m);
        }
        self.remove_simple_key()?;
        self.simple_key_allowed = true;
        let start = self.mark;
        self.skip();
        let end = self.mark;
        self.push(Tok::BlockEntry, start, end);
        Ok(())
    }

    fn fetch_key(&mut self) -> Step<()> {
        if self.flow_level == 0 {
            if !self.simple_key_allowed {
                return Err(self.error(self.mark, "mapping keys are not allowed in this context"));
            }
            let m = self.mark;
            self.roll_indent(m.column, None, Tok::BlockMappingStart, m);
        }
        self.remove_simple_key()?;
        self.simple_key_allowed = self.flow_level == 0;
        let start = self.mark;
        self.skip();
        let end = self.mark;
        self.push(Tok::Key, start, end);
        Ok(())
    }

    fn fetch_value(&mut self) -> Step<()> {
        let last = self.simple_keys.len() - 1;
        let mut key = self.simple_keys[last];
        let valid = self.simple_key_is_valid(&mut key)?;
        self.simple_keys[last] = key;
        if valid {
            let at = key
                .token_number
                .saturating_sub(self.tokens_parsed)
                .min(self.tokens.len());
            self.tokens.insert(
                at,
                Token {
                    kind: Tok::Key,
                    start: key.mark,
                    end: key.mark,
                    value: String::new(),
                },
            );
            self.roll_indent(
                key.mark.column,
                Some(key.token_number),
                Tok::BlockMappingStart,
                key.mark,
            );
            self.simple_keys[last].possible = false;
            self.simple_keys_by_tok.remove(&key.token_number);
            self.simple_key_allowed = false;
        } else {
            if self.flow_level == 0 {
                if !self.simple_key_allowed {
                    return Err(
                        self.error(self.mark, "mapping values are not allowed in this context")
                    );
                }
                let m = self.mark;
                self.roll_indent(m.column, None, Tok::BlockMappingStart, m);
            }
            self.simple_key_allowed = self.flow_level == 0;
        }
        let start = self.mark;
        self.skip();
        let end = self.mark;
        self.push(Tok::Value, start, end);
        Ok(())
    }

    fn fetch_anchor(&mut self, kind: Tok) -> Step<()> {
        self.save_simple_key()?;
        self.simple_key_allowed = false;
        let start = self.mark;
        self.skip();
        let mut name = String::new();
        while self.at(0).is_ascii_alphanumeric() || matches!(self.at(0), '_' | '-') {
            name.push(self.at(0));
            self.skip();
        }
        let ends_well = self.is_blankz(0)
            || matches!(self.at(0), '?' | ':' | ',' | ']' | '}' | '%' | '@' | '`');
        if name.is_empty() || !ends_well {
            return Err(self.error(
                start,
                "did not find expected alphabetic or numeric character",
            ));
        }
        let end = self.mark;
        self.tokens.push_back(Token {
            kind,
            start,
            end,
            value: name,
        });
        Ok(())
    }

    /// `!suffix`, `!!suffix`, `!handle!suffix` or `!<uri>`; the token keeps the handle, which the parser
    /// must know (`!` and `!!` are predefined).
    fn fetch_tag(&mut self) -> Step<()> {
        self.save_simple_key()?;
        self.simple_key_allowed = false;
        let start = self.mark;
        let mut handle = String::new();
        if self.at(1) == '<' {
            self.skip();
            self.skip();
            if !self.tag_uri(start)? {
                return Err(self.error(start, "did not find expected tag URI"));
            }
            if self.at(0) != '>' {
                return Err(self.error(start, "did not find the expected '>'"));
            }
            self.skip();
        } else {
            handle.push('!');
            self.skip();
            while self.at(0).is_ascii_alphanumeric() || matches!(self.at(0), '_' | '-') {
                handle.push(self.at(0));
                self.skip();
            }
            if self.at(0) == '!' {
                handle.push('!');
                self.skip();
            }
            if handle.len() > 1 && handle.ends_with('!') {
                if !self.tag_uri(start)? {
                    return Err(self.error(start, "did not find expected tag URI"));
                }
            } else {
                self.tag_uri(start)?;
                handle = "!".to_string();
            }
        }
        if !self.is_blankz(0) {
            return Err(self.error(start, "did not find expected whitespace or line break"));
        }
        let end = self.mark;
        self.tokens.push_back(Token {
            kind: Tok::Tag,
            start,
            end,
            value: handle,
        });
        Ok(())
    }

    /// A tag's URI characters, `%XX` escapes included; whether there were any.
    fn tag_uri(&mut self, start: Mark) -> Step<bool> {
        let mut any = false;
        loop {
            let c = self.at(0);
            let uri = c.is_ascii_alphanumeric()
                || matches!(
                    c,
                    '_' | '-'
                        | ';'
                        | '/'
                        | '?'
                        | ':'
                        | '@'
                        | '&'
                        | '='
                        | '+'
                        | '$'
                        | ','
                        | '.'
                        | '!'
                        | '~'
                        | '*'
                        | '\''
                        | '('
                        | ')'
                        | '['
                        | ']'
                        | '%'
                );
            if !uri {
                return Ok(any);
            }
            if c == '%' {
                if !(self.at(1).is_ascii_hexdigit() && self.at(2).is_ascii_hexdigit()) {
                    return Err(self.error(start, "did not find URI escaped octet"));
                }
                self.skip();
                self.skip();
            }
            self.skip();
            any = true;
        }
    }

    fn fetch_block_scalar(&mut self, _literal: bool) -> Step<()> {
        self.remove_simple_key()?;
        self.simple_key_allowed = true;
        let start = self.mark;
        self.skip();
        let mut increment = 0usize;
        let digit = |s: &Scanner| s.at(0).to_digit(10);
        if matches!(self.at(0), '+' | '-') {
            self.skip();
            if let Some(d) = digit(self) {
                if d == 0 {
                    return Err(self.error(start, "found an indentation indicator equal to 0"));
                }
                increment = d as usize;
                self.skip();
            }
        } else if let Some(d) = digit(self) {
            if d == 0 {
                return Err(self.error(start, "found an indentation indicator equal to 0"));
            }
            increment = d as usize;
            self.skip();
            if matches!(self.at(0), '+' | '-') {
                self.skip();
            }
        }
        while self.is_blank(0) {
            self.skip();
        }
        if self.at(0) == '#' {
            while !self.is_breakz(0) {
                self.skip();
            }
        }
        if !self.is_breakz(0) {
            return Err(self.error(start, "did not find expected comment or line break"));
        }
        if self.is_break(0) {
            self.skip_line();
        }
        let mut indent: usize = 0;
        if increment > 0 {
            indent = if self.indent >= 0 {
                self.indent as usize + increment
            } else {
                increment
            };
        }
        self.block_scalar_breaks(&mut indent, start)?;
        while self.mark.column == indent && !self.is_z(0) {
            while !self.is_breakz(0) {
                self.skip();
            }
            self.skip_line();
            self.block_scalar_breaks(&mut indent, start)?;
        }
        let end = self.mark;
        self.push(Tok::Scalar, start, end);
        Ok(())
    }

    /// Indentation spaces and empty lines of a block scalar; the first content line fixes the indentation
    /// when no indicator did.
    fn block_scalar_breaks(&mut self, indent: &mut usize, start: Mark) -> Step<()> {
        let mut max_indent = 0;
        loop {
            while (*indent == 0 || self.mark.column < *indent) && self.at(0) == ' ' {
                self.skip();
            }
            max_indent = max_indent.max(self.mark.column);
            if (*indent == 0 || self.mark.column < *indent) && self.at(0) == '\t' {
                return Err(self.error(
                    start,
                    "found a tab character where an indentation space is expected",
                ));
            }
            if !self.is_break(0) {
                break;
            }
            self.skip_line();
        }
        if *indent == 0 {
            let floor = usize::try_from(self.indent + 1).unwrap_or(0);
            *indent = max_indent.max(floor).max(1);
        }
        Ok(())
    }

    fn fetch_flow_scalar(&mut self, single: bool) -> Step<()> {
        self.save_simple_key()?;
        self.simple_key_allowed = false;
        let start = self.mark;
        self.skip();
        loop {
            let indicator = self.mark.column == 0
                && ((self.at(0) == '-' && self.at(1) == '-' && self.at(2) == '-')
                    || (self.at(0) == '.' && self.at(1) == '.' && self.at(2) == '.'))
                && self.is_blankz(3);
            if indicator {
                return Err(self.error(start, "found unexpected document indicator"));
            }
            if self.is_z(0) {
                return Err(self.error(start, "found unexpected end of stream"));
            }
            let mut closed = false;
            while !self.is_blankz(0) {
                let c = self.at(0);
                if single && c == '\'' && self.at(1) == '\'' {
                    self.skip();
                    self.skip();
                } else if single && c == '\'' || !single && c == '"' {
                    closed = true;
                    break;
                } else if !single && c == '\\' && self.is_break(1) {
                    self.skip();
                    self.skip_line();
                    break;
                } else if !single && c == '\\' {
                    self.escape(start)?;
                } else {
                    self.skip();
                }
            }
            if closed {
                break;
            }
            while self.is_blank(0) || self.is_break(0) {
                if self.is_blank(0) {
                    self.skip();
                } else {
                    self.skip_line();
                }
            }
        }
        self.skip();
        let end = self.mark;
        self.push(Tok::Scalar, start, end);
        Ok(())
    }

    /// A double-quoted scalar's escape (`\n`, `\x41`, `\u00e9`, …), checked as libyaml checks it.
    fn escape(&mut self, start: Mark) -> Step<()> {
        let width = match self.at(1) {
            '0' | 'a' | 'b' | 't' | '\t' | 'n' | 'v' | 'f' | 'r' | 'e' | ' ' | '"' | '/' | '\''
            | '\\' | 'N' | '_' | 'L' | 'P' => 0,
            'x' => 2,
            'u' => 4,
            'U' => 8,
            _ => return Err(self.error(start, "found unknown escape character")),
        };
        self.skip();
        self.skip();
        if width > 0 {
            let mut code: u32 = 0;
            for k in 0..width {
                match self.at(k).to_digit(16) {
                    Some(d) => code = code * 16 + d,
                    None => {
                        return Err(self.error(start, "did not find expected hexdecimal number"))
                    }
                }
            }
            if (0xD800..=0xDFFF).contains(&code) || code > 0x10FFFF {
                return Err(self.error(start, "found invalid Unicode character escape code"));
            }
            for _ in 0..width {
                self.skip();
            }
        }
        Ok(())
    }

    fn fetch_plain_scalar(&mut self) -> Step<()> {
        self.save_simple_key()?;
        self.simple_key_allowed = false;
        let indent = self.indent + 1;
        let start = self.mark;
        let mut end = self.mark;
        let mut leading_blanks = false;
        loop {
            let indicator = self.mark.column == 0
                && ((self.at(0) == '-' && self.at(1) == '-' && self.at(2) == '-')
                    || (self.at(0) == '.' && self.at(1) == '.' && self.at(2) == '.'))
                && self.is_blankz(3);
            if indicator || self.at(0) == '#' {
                break;
            }
            while !self.is_blankz(0) {
                let c = self.at(0);
                let ends = (c == ':' && self.is_blankz(1))
                    || (self.flow_level > 0 && matches!(c, ',' | '?' | '[' | ']' | '{' | '}'));
                if ends {
                    break;
                }
                leading_blanks = false;
                self.skip();
                end = self.mark;
            }
            if !(self.is_blank(0) || self.is_break(0)) {
                break;
            }
            while self.is_blank(0) || self.is_break(0) {
                if self.is_blank(0) {
                    if leading_blanks && (self.mark.column as i64) < indent && self.at(0) == '\t' {
                        return Err(
                            self.error(start, "found a tab character that violates indentation")
                        );
                    }
                    self.skip();
                } else {
                    self.skip_line();
                    leading_blanks = true;
                }
            }
            if self.flow_level == 0 && (self.mark.column as i64) < indent {
                break;
            }
        }
        self.push(Tok::Scalar, start, end);
        if leading_blanks {
            self.simple_key_allowed = true;
        }
        Ok(())
    }
}

/// The parser's states (libyaml's `yaml_parser_state_t`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum State {
    StreamStart,
    ImplicitDocumentStart,
    DocumentStart,
    DocumentContent,
    DocumentEnd,
    BlockNode,
    BlockSequenceFirstEntry,
    BlockSequenceEntry,
    IndentlessSequenceEntry,
    BlockMappingFirstKey,
    BlockMappingKey,
    BlockMappingValue,
    FlowSequenceFirstEntry,
    FlowSequenceEntry,
    FlowSequenceEntryMappingKey,
    FlowSequenceEntryMappingValue,
    FlowSequenceEntryMappingEnd,
    FlowMappingFirstKey,
    FlowMappingKey,
    FlowMappingValue,
    FlowMappingEmptyValue,
    End,
}

/// What the parser produced, as far as knowing when the first document ends needs.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Event {
    StreamStart,
    StreamEnd,
    DocumentStart,
    DocumentEnd,
    Other,
}

struct Parser {
    scanner: Scanner,
    state: State,
    states: Vec<State>,
    marks: Vec<Mark>,
    anchors: BTreeSet<String>,
}

impl Parser {
    fn new(text: &str) -> Parser {
        Parser {
            scanner: Scanner::new(text),
            state: State::StreamStart,
            states: Vec::new(),
            marks: Vec::new(),
            anchors: BTreeSet::new(),
        }
    }

    /// go-yaml's `Unmarshal` of one document: events up to the end of the first document.
    fn run(&mut self) -> Step<()> {
        loop {
            match self.event()? {
                Event::DocumentEnd | Event::StreamEnd => return Ok(()),
                Event::StreamStart | Event::DocumentStart | Event::Other => {}
            }
            if self.state == State::End {
                return Ok(());
            }
        }
    }

    fn error(&self, context_mark: Mark, problem: &str, problem_mark: Mark) -> Failure {
        Failure {
            scanner: false,
            problem: problem.to_string(),
            problem_mark,
            context_mark,
        }
    }

    fn peek(&mut self) -> Step<(Tok, Mark, Mark)> {
        let t = self.scanner.peek()?;
        Ok((t.kind, t.start, t.end))
    }

    fn skip_token(&mut self) -> Step<Token> {
        self.scanner.next()
    }

    fn pop_state(&mut self) {
        self.state = self.states.pop().unwrap_or(State::End);
    }

    fn event(&mut self) -> Step<Event> {
        match self.state {
            State::StreamStart => {
                let (kind, start, _) = self.peek()?;
                if kind != Tok::StreamStart {
                    return Err(self.error(start, "did not find expected <stream-start>", start));
                }
                self.skip_token()?;
                self.state = State::ImplicitDocumentStart;
                Ok(Event::StreamStart)
            }
            State::ImplicitDocumentStart => self.document_start(true),
            State::DocumentStart => self.document_start(false),
            State::DocumentContent => {
                let (kind, _, _) = self.peek()?;
                if matches!(
                    kind,
                    Tok::Directive | Tok::DocumentStart | Tok::DocumentEnd | Tok::StreamEnd
                ) {
                    self.pop_state();
                    return Ok(Event::Other);
                }
                self.node(true, false)
            }
            State::DocumentEnd => {
                let (kind, _, _) = self.peek()?;
                if kind == Tok::DocumentEnd {
                    self.skip_token()?;
                }
                self.state = State::DocumentStart;
                Ok(Event::DocumentEnd)
            }
            State::BlockNode => self.node(true, false),
            State::BlockSequenceFirstEntry => self.block_sequence_entry(true),
            State::BlockSequenceEntry => self.block_sequence_entry(false),
            State::IndentlessSequenceEntry => self.indentless_sequence_entry(),
            State::BlockMappingFirstKey => self.block_mapping_key(true),
            State::BlockMappingKey => self.block_mapping_key(false),
            State::BlockMappingValue => self.block_mapping_value(),
            State::FlowSequenceFirstEntry => self.flow_sequence_entry(true),
            State::FlowSequenceEntry => self.flow_sequence_entry(false),
            State::FlowSequenceEntryMappingKey => {
                let (kind, _, _) = self.peek()?;
                if !matches!(kind, Tok::Value | Tok::FlowEntry | Tok::FlowSequenceEnd) {
                    self.states.push(State::FlowSequenceEntryMappingValue);
                    return self.node(false, false);
                }
                self.skip_token()?;
                self.state = State::FlowSequenceEntryMappingValue;
                Ok(Event::Other)
            }
            State::FlowSequenceEntryMappingValue => {
                let (kind, _, _) = self.peek()?;
                if kind == Tok::Value {
                    self.skip_token()?;
                    let (kind, _, _) = self.peek()?;
                    if !matches!(kind, Tok::FlowEntry | Tok::FlowSequenceEnd) {
                        self.states.push(State::FlowSequenceEntryMappingEnd);
                        return self.node(false, false);
                    }
                }
                self.state = State::FlowSequenceEntryMappingEnd;
                Ok(Event::Other)
            }
            State::FlowSequenceEntryMappingEnd => {
                self.peek()?;
                self.state = State::FlowSequenceEntry;
                Ok(Event::Other)
            }
            State::FlowMappingFirstKey => self.flow_mapping_key(true),
            State::FlowMappingKey => self.flow_mapping_key(false),
            State::FlowMappingValue => self.flow_mapping_value(false),
            State::FlowMappingEmptyValue => self.flow_mapping_value(true),
            State::End => Ok(Event::StreamEnd),
        }
    }

    fn document_start(&mut self, implicit: bool) -> Step<Event> {
        let (mut kind, _, _) = self.peek()?;
        if !implicit {
            while kind == Tok::DocumentEnd {
                self.skip_token()?;
                kind = self.peek()?.0;
            }
        }
        if implicit && !matches!(kind, Tok::Directive | Tok::DocumentStart | Tok::StreamEnd) {
            self.states.push(State::DocumentEnd);
            self.state = State::BlockNode;
            return Ok(Event::DocumentStart);
        }
        if kind != Tok::StreamEnd {
            while self.peek()?.0 == Tok::Directive {
                self.skip_token()?;
            }
            let (kind, start, _) = self.peek()?;
            if kind != Tok::DocumentStart {
                return Err(self.error(
                    Mark::default(),
                    "did not find expected <document start>",
                    start,
                ));
            }
            self.states.push(State::DocumentEnd);
            self.state = State::DocumentContent;
            self.skip_token()?;
            return Ok(Event::DocumentStart);
        }
        self.state = State::End;
        self.skip_token()?;
        Ok(Event::StreamEnd)
    }

    fn node(&mut self, block: bool, indentless_sequence: bool) -> Step<Event> {
        let (kind, start, _) = self.peek()?;
        if kind == Tok::Alias {
            let token = self.skip_token()?;
            if !self.anchors.contains(&token.value) {
                return Err(Failure {
                    scanner: false,
                    problem: format!("unknown anchor '{}' referenced", token.value),
                    problem_mark: Mark::default(),
                    context_mark: Mark::default(),
                });
            }
            self.pop_state();
            return Ok(Event::Other);
        }
        let start_mark = start;
        let mut kind = kind;
        let mut properties = false;
        for _ in 0..2 {
            match kind {
                Tok::Anchor => {
                    let token = self.skip_token()?;
                    self.anchors.insert(token.value);
                }
                Tok::Tag => {
                    let token = self.skip_token()?;
                    if token.value.len() > 2 {
                        return Err(self.error(
                            start_mark,
                            "found undefined tag handle",
                            token.start,
                        ));
                    }
                }
                _ => break,
            }
            properties = true;
            kind = self.peek()?.0;
        }
        let (_, token_start, _) = self.peek()?;
        match kind {
            Tok::BlockEntry if indentless_sequence => {
                self.state = State::IndentlessSequenceEntry;
            }
            Tok::Scalar => {
                self.skip_token()?;
                self.pop_state();
            }
            Tok::FlowSequenceStart => self.state = State::FlowSequenceFirstEntry,
            Tok::FlowMappingStart => self.state = State::FlowMappingFirstKey,
            Tok::BlockSequenceStart if block => self.state = State::BlockSequenceFirstEntry,
            Tok::BlockMappingStart if block => self.state = State::BlockMappingFirstKey,
            _ if properties => self.pop_state(),
            _ => {
                return Err(self.error(
                    start_mark,
                    "did not find expected node content",
                    token_start,
                ))
            }
        }
        Ok(Event::Other)
    }

    fn block_sequence_entry(&mut self, first: bool) -> Step<Event> {
        if first {
            let (_, start, _) = self.peek()?;
            self.marks.push(start);
            self.skip_token()?;
        }
        let (kind, start, _) = self.peek()?;
        match kind {
            Tok::BlockEntry => {
                self.skip_token()?;
                let (kind, _, _) = self.peek()?;
                if !matches!(kind, Tok::BlockEntry | Tok::BlockEnd) {
                    self.states.push(State::BlockSequenceEntry);
                    return self.node(true, false);
                }
                self.state = State::BlockSequenceEntry;
                Ok(Event::Other)
            }
            Tok::BlockEnd => {
                self.pop_state();
                self.marks.pop();
                self.skip_token()?;
                Ok(Event::Other)
            }
            _ => {
                let context = self.marks.pop().unwrap_or_default();
                Err(self.error(context, "did not find expected '-' indicator", start))
            }
        }
    }

    fn indentless_sequence_entry(&mut self) -> Step<Event> {
        let (kind, _, _) = self.peek()?;
        if kind == Tok::BlockEntry {
            self.skip_token()?;
            let (kind, _, _) = self.peek()?;
            if !matches!(
                kind,
                Tok::BlockEntry | Tok::Key | Tok::Value | Tok::BlockEnd
            ) {
                self.states.push(State::IndentlessSequenceEntry);
                return self.node(true, false);
            }
            self.state = State::IndentlessSequenceEntry;
            return Ok(Event::Other);
        }
        self.pop_state();
        Ok(Event::Other)
    }

    fn block_mapping_key(&mut self, first: bool) -> Step<Event> {
        if first {
            let (_, start, _) = self.peek()?;
            self.marks.push(start);
            self.skip_token()?;
        }
        let (kind, start, _) = self.peek()?;
        match kind {
            Tok::Key => {
                self.skip_token()?;
                let (kind, _, _) = self.peek()?;
                if !matches!(kind, Tok::Key | Tok::Value | Tok::BlockEnd) {
                    self.states.push(State::BlockMappingValue);
                    return self.node(true, true);
                }
                self.state = State::BlockMappingValue;
                Ok(Event::Other)
            }
            Tok::BlockEnd => {
                self.pop_state();
                self.marks.pop();
                self.skip_token()?;
                Ok(Event::Other)
            }
            _ => {
                let context = self.marks.pop().unwrap_or_default();
                Err(self.error(context, "did not find expected key", start))
            }
        }
    }

    fn block_mapping_value(&mut self) -> Step<Event> {
        let (kind, _, _) = self.peek()?;
        if kind == Tok::Value {
            self.skip_token()?;
            let (kind, _, _) = self.peek()?;
            if !matches!(kind, Tok::Key | Tok::Value | Tok::BlockEnd) {
                self.states.push(State::BlockMappingKey);
                return self.node(true, true);
            }
        }
        self.state = State::BlockMappingKey;
        Ok(Event::Other)
    }

    fn flow_sequence_entry(&mut self, first: bool) -> Step<Event> {
        if first {
            let (_, start, _) = self.peek()?;
            self.marks.push(start);
            self.skip_token()?;
        }
        let (mut kind, mut start, _) = self.peek()?;
        if kind != Tok::FlowSequenceEnd {
            if !first {
                if kind == Tok::FlowEntry {
                    self.skip_token()?;
                    (kind, start, _) = self.peek()?;
                } else {
                    let context = self.marks.pop().unwrap_or_default();
                    return Err(self.error(context, "did not find expected ',' or ']'", start));
                }
            }
            if kind == Tok::Key {
                self.state = State::FlowSequenceEntryMappingKey;
                self.skip_token()?;
                return Ok(Event::Other);
            }
            if kind != Tok::FlowSequenceEnd {
                self.states.push(State::FlowSequenceEntry);
                return self.node(false, false);
            }
        }
        let _ = start;
        self.pop_state();
        self.marks.pop();
        self.skip_token()?;
        Ok(Event::Other)
    }

    fn flow_mapping_key(&mut self, first: bool) -> Step<Event> {
        if first {
            let (_, start, _) = self.peek()?;
            self.marks.push(start);
            self.skip_token()?;
        }
        let (mut kind, start, _) = self.peek()?;
        if kind != Tok::FlowMappingEnd {
            if !first {
                if kind == Tok::FlowEntry {
                    self.skip_token()?;
                    kind = self.peek()?.0;
                } else {
                    let context = self.marks.pop().unwrap_or_default();
                    return Err(self.error(context, "did not find expected ',' or '}'", start));
                }
            }
            if kind == Tok::Key {
                self.skip_token()?;
                let (kind, _, _) = self.peek()?;
                if !matches!(kind, Tok::Value | Tok::FlowEntry | Tok::FlowMappingEnd) {
                    self.states.push(State::FlowMappingValue);
                    return self.node(false, false);
                }
                self.state = State::FlowMappingValue;
                return Ok(Event::Other);
            }
            if kind != Tok::FlowMappingEnd {
                self.states.push(State::FlowMappingEmptyValue);
                return self.node(false, false);
            }
        }
        self.pop_state();
        self.marks.pop();
        self.skip_token()?;
        Ok(Event::Other)
    }

    fn flow_mapping_value(&mut self, empty: bool) -> Step<Event> {
        let (kind, _, _) = self.peek()?;
        if empty {
            self.state = State::FlowMappingKey;
            return Ok(Event::Other);
        }
        if kind == Tok::Value {
            self.skip_token()?;
            let (kind, _, _) = self.peek()?;
            if !matches!(kind, Tok::FlowEntry | Tok::FlowMappingEnd) {
                self.states.push(State::FlowMappingKey);
                return self.node(false, false);
            }
        }
        self.state = State::FlowMappingKey;
        Ok(Event::Other)
    }
}

/// Every expectation below is what go-yaml v2 (the v2.4.0 sources that sigs.k8s.io/yaml forked as goyaml.v2)
/// printed for the same document when run on it; so were a few thousand mangled manifests, with no
/// disagreement left but go-yaml's decode-time "invalid map key" for a mapping used as a key.
#[cfg(test)]
mod tests {
    use super::*;

    fn err(doc: &str) -> String {
        check(doc).map(|e| e.to_string()).unwrap_or_default()
    }

    #[test]
    fn well_formed_documents_pass() {
        for doc in [
            "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: a\ndata:\n  a: \"b\"\n  c: 'd'\n",
            "spec:\n  containers:\n  - name: x\n    args: [\"a\", \"b\"]\n    env: {a: b}\n",
            "data:\n  script: |\n    echo hi\n      indented\n\n  folded: >-\n    a\n    b\n",
            "a: &x 1\nb: *x\nc: !!str 3\n",
            "# only a comment\n",
            "",
            "list:\n- a\n- b:\n    c: d\n",
            "url: http://x:80/y\ntext: a:b\n",
            "a: \"multi\n  line\"\n",
        ] {
            assert_eq!(check(doc), None, "{doc}");
        }
    }

    /// scannerc.go `yaml_parser_scan_to_next_token`: a tab may not start a block line; after a plain
    /// scalar, `yaml_parser_scan_plain_scalar` finds it first.
    #[test]
    fn tabs_where_indentation_is_expected() {
        assert_eq!(
            err("apiVersion: v1\nkind: ConfigMap\nmetadata:\n\tname: b\n"),
            "yaml: line 4: found character that cannot start any token"
        );
        assert_eq!(
            err("metadata:\n  name: b\n\tlabels: x\n"),
            "yaml: line 3: found a tab character that violates indentation"
        );
        assert_eq!(
            err("\tapiVersion: v1\n"),
            "yaml: found character that cannot start any token"
        );
    }

    /// A key without its `:` on the same line: the required simple key is stale where the scanner stands.
    #[test]
    fn a_missing_colon() {
        assert_eq!(
            err("apiVersion: v1\nkind: ConfigMap\nmetadata\n  name: b\n"),
            "yaml: line 4: could not find expected ':'"
        );
        assert_eq!(
            err("apiVersion: v1\nkind: ConfigMap\nmetadata\nname: b\n"),
            "yaml: line 4: could not find expected ':'"
        );
    }

    #[test]
    fn bad_indentation() {
        // More indented: the value runs on into the next line, whose `:` may not start a value there.
        assert_eq!(
            err("metadata:\n  name: b\n   labels: x\n"),
            "yaml: line 3: mapping values are not allowed in this context"
        );
        // Less indented: a parser error, named by the line before (go-yaml counts it from zero).
        assert_eq!(
            err("metadata:\n    name: b\n  labels: x\n"),
            "yaml: line 2: did not find expected key"
        );
        // The sequence ends at the less indented `-`, which starts another where the mapping wants a key.
        assert_eq!(
            err("items:\n  - a\n - b\n"),
            "yaml: line 2: did not find expected key"
        );
    }

    #[test]
    fn an_unclosed_quote_runs_to_the_end_of_the_document() {
        assert_eq!(
            err("metadata:\n  name: \"b\ndata:\n  x: y\n"),
            "yaml: line 5: found unexpected end of stream"
        );
        assert_eq!(
            err("a: 'x\n"),
            "yaml: line 2: found unexpected end of stream"
        );
    }

    #[test]
    fn other_mistakes() {
        assert_eq!(
            err("a: b\n- c\n"),
            "yaml: line 1: did not find expected key"
        );
        assert_eq!(
            err("a:\n  b: c\n  - d\n"),
            "yaml: line 2: did not find expected key"
        );
        assert_eq!(
            err("a: [b, c\nd: e\n"),
            "yaml: line 1: did not find expected ',' or ']'"
        );
        assert_eq!(
            err("key: value with: colon\n"),
            "yaml: mapping values are not allowed in this context"
        );
        assert_eq!(
            err("a: |\n  x\n\ty\n"),
            "yaml: line 3: found a tab character where an indentation space is expected"
        );
        assert_eq!(
            err("a: >x\n  b\n"),
            "yaml: did not find expected comment or line break"
        );
        assert_eq!(
            err("a: 'it''s'\nb: \"\\x4g\"\n"),
            "yaml: line 2: did not find expected hexdecimal number"
        );
        assert_eq!(
            err("- a\nb: c\n"),
            "yaml: line 1: did not find expected '-' indicator"
        );
        assert_eq!(
            err("apiVersion: v1\n%kind: x\n"),
            "yaml: line 2: found unexpected non-alphabetical character"
        );
        assert_eq!(err("a: *nope\n"), "yaml: unknown anchor 'nope' referenced");
        assert_eq!(err("a: \"\\q\"\n"), "yaml: found unknown escape character");
        assert_eq!(
            err("a: @b\n"),
            "yaml: found character that cannot start any token"
        );
        assert_eq!(
            err("a: b\u{1}\n"),
            "yaml: control characters are not allowed"
        );
    }
}
