//! The pattern languages of `[[ … ]]`, `grep` and `sed`: POSIX extended regular expressions (as glibc's
//! `regcomp` reads them: groups, alternation, anchors, `* + ? {n,m}`, bracket expressions with `[:class:]`, and
//! the GNU escapes `\w \W \s \S \b \B \< \>`), matched case-sensitively or not, and glob
//! patterns for `==` and `!=` (`*`, `?`, `[…]`). Matching backtracks over a small compiled program with a step
//! budget, so a pathological pattern ends in "no match" instead of hanging the page.

/// The steps one match may take before it gives up.
const BUDGET: usize = 200_000;

/// The most copies `{n,m}` may make of its operand.
const MAX_REPEAT: u32 = 255;

#[derive(Debug, Clone, PartialEq)]
enum Inst {
    Char(char),
    Any,
    Class(Class),
    /// Try the first target, then the second.
    Split(usize, usize),
    Jump(usize),
    Save(usize),
    Start,
    End,
    /// `\b` (true) or `\B` (false), and `\<` / `\>`.
    Boundary(Edge),
    Match,
}

/// Where a word edge must (not) be.
#[derive(Debug, Clone, Copy, PartialEq)]
enum Edge {
    Word,
    NotWord,
    WordStart,
    WordEnd,
}

fn word_char(c: Option<&char>) -> bool {
    c.is_some_and(|c| c.is_alphanumeric() || *c == '_')
}

#[derive(Debug, Clone, PartialEq)]
struct Class {
    negated: bool,
    ranges: Vec<(char, char)>,
    named: Vec<String>,
}

impl Class {
    fn matches(&self, c: char) -> bool {
        let hit = self.ranges.iter().any(|&(lo, hi)| lo <= c && c <= hi)
            || self.named.iter().any(|n| named_class(n, c));
        hit != self.negated
    }
}

fn named_class(name: &str, c: char) -> bool {
    match name {
        "alpha" => c.is_ascii_alphabetic(),
        "digit" => c.is_ascii_digit(),
        "alnum" => c.is_ascii_alphanumeric(),
        "upper" => c.is_ascii_uppercase(),
        "lower" => c.is_ascii_lowercase(),
        "space" => matches!(c, ' ' | '\t' | '\n' | '\r' | '\x0b' | '\x0c'),
        "blank" => matches!(c, ' ' | '\t'),
        "punct" => c.is_ascii_punctuation(),
        "xdigit" => c.is_ascii_hexdigit(),
        "cntrl" => c.is_ascii_control(),
        "print" => !c.is_ascii_control(),
        "graph" => !c.is_ascii_control() && c != ' ',
        _ => false,
    }
}

/// Where a match lies (char indices) and what each group captured.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Match {
    pub start: usize,
    pub end: usize,
    pub groups: Vec<Option<String>>,
}

/// A POSIX basic regular expression rewritten as an extended one: `\(`, `\)`, `\{`, `\}`, `\+`, `\?`, `\|`
/// are the operators and their bare forms are literal.
pub fn basic_to_extended(pattern: &str) -> String {
    let mut out = String::new();
    let mut chars = pattern.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            '\\' => match chars.next() {
                Some(e @ ('(' | ')' | '{' | '}' | '+' | '?' | '|')) => out.push(e),
                Some(e) => {
                    out.push('\\');
                    out.push(e);
                }
                None => out.push_str("\\\\"),
            },
            '(' | ')' | '{' | '}' | '+' | '?' | '|' => {
                out.push('\\');
                out.push(c);
            }
            _ => out.push(c),
        }
    }
    out
}

/// A compiled ERE.
#[derive(Debug, Clone)]
pub struct Regex {
    program: Vec<Inst>,
    groups: usize,
    /// Letters match either case (`grep -i`, `sed s///I`).
    icase: bool,
}

/// Parsed pieces of a pattern, before compilation.
#[derive(Debug, Clone)]
enum Node {
    Char(char),
    Any,
    Class(Class),
    Start,
    End,
    Boundary(Edge),
    Group(Box<Node>, usize),
    Concat(Vec<Node>),
    Alt(Vec<Node>),
    Repeat(Box<Node>, u32, Option<u32>),
}

struct Parser<'a> {
    chars: &'a [char],
    pos: usize,
    groups: usize,
}

impl Parser<'_> {
    fn alternation(&mut self) -> Result<Node, String> {
        let mut branches = vec![self.concat()?];
        while self.chars.get(self.pos) == Some(&'|') {
            self.pos += 1;
            branches.push(self.concat()?);
        }
        Ok(if branches.len() == 1 {
            branches.remove(0)
        } else {
            Node::Alt(branches)
        })
    }

    fn concat(&mut self) -> Result<Node, String> {
        let mut items = Vec::new();
        while let Some(&c) = self.chars.get(self.pos) {
            if c == '|' || c == ')' {
                break;
            }
            let mut atom = self.atom()?;
            // Quantifiers apply in turn: `*?` is `?` of `*`, which matches what `*` matches.
            loop {
                match self.chars.get(self.pos) {
                    Some('*') => {
                        self.pos += 1;
                        atom = Node::Repeat(Box::new(atom), 0, None);
                    }
                    Some('+') => {
                        self.pos += 1;
                        atom = Node::Repeat(Box::new(atom), 1, None);
                    }
                    Some('?') => {
                        self.pos += 1;
                        atom = Node::Repeat(Box::new(atom), 0, Some(1));
                    }
                    Some('{') => match self.bounds() {
                        Some((lo, hi)) => atom = Node::Repeat(Box::new(atom), lo, hi),
                        None => break,
                    },
                    _ => break,
                }
            }
            items.push(atom);
        }
        Ok(Node::Concat(items))
    }

    /// `{n}`, `{n,}`, `{n,m}`; `None` (and nothing consumed) when the brace starts no interval.
    fn bounds(&mut self) -> Option<(u32, Option<u32>)> {
        let rest: String = self.chars[self.pos + 1..].iter().collect();
        let close = rest.find('}')?;
        let inner = &rest[..close];
        let (lo, hi) = match inner.split_once(',') {
            Some((lo, "")) => (lo.parse().ok()?, None),
            Some((lo, hi)) => (lo.parse().ok()?, Some(hi.parse().ok()?)),
            None => {
                let n = inner.parse().ok()?;
                (n, Some(n))
            }
        };
        if lo > MAX_REPEAT || hi.is_some_and(|h| h > MAX_REPEAT || h < lo) {
            return None;
        }
        self.pos += close + 2;
        Some((lo, hi))
    }

    fn atom(&mut self) -> Result<Node, String> {
        let c = self.chars[self.pos];
        self.pos += 1;
        Ok(match c {
            '.' => Node::Any,
            '^' => Node::Start,
            '$' => Node::End,
            '(' => {
                self.groups += 1;
                let index = self.groups;
                let inner = self.alternation()?;
                if self.chars.get(self.pos) != Some(&')') {
                    return Err("parentheses not balanced".into());
                }
                self.pos += 1;
                Node::Group(Box::new(inner), index)
            }
            '[' => Node::Class(self.bracket()?),
            '\\' => match self.chars.get(self.pos) {
                Some(&e) => {
                    self.pos += 1;
                    let class = |negated: bool, named: &str, extra: &[(char, char)]| {
                        Node::Class(Class {
                            negated,
                            ranges: extra.to_vec(),
                            named: vec![named.to_string()],
                        })
                    };
                    match e {
                        'w' => class(false, "alnum", &[('_', '_')]),
                        'W' => class(true, "alnum", &[('_', '_')]),
                        's' => class(false, "space", &[]),
                        'S' => class(true, "space", &[]),
                        'b' => Node::Boundary(Edge::Word),
                        'B' => Node::Boundary(Edge::NotWord),
                        '<' => Node::Boundary(Edge::WordStart),
                        '>' => Node::Boundary(Edge::WordEnd),
                        other => Node::Char(other),
                    }
                }
                None => return Err("trailing backslash (\\)".into()),
            },
            '*' | '+' | '?' => return Err("invalid preceding regular expression".into()),
            other => Node::Char(other),
        })
    }

    /// `[…]` after the `[`: `^` negates, `]` first is literal, `a-z` ranges, `[:name:]` classes.
    fn bracket(&mut self) -> Result<Class, String> {
        let mut class = Class {
            negated: false,
            ranges: Vec::new(),
            named: Vec::new(),
        };
        if self.chars.get(self.pos) == Some(&'^') {
            class.negated = true;
            self.pos += 1;
        }
        let mut first = true;
        loop {
            let Some(&c) = self.chars.get(self.pos) else {
                return Err("brackets ([ ]) not balanced".into());
            };
            if c == ']' && !first {
                self.pos += 1;
                return Ok(class);
            }
            first = false;
            if c == '[' && self.chars.get(self.pos + 1) == Some(&':') {
                let rest: String = self.chars[self.pos + 2..].iter().collect();
                if let Some(end) = rest.find(":]") {
                    class.named.push(rest[..end].to_string());
                    self.pos += 2 + end + 2;
                    continue;
                }
            }
            self.pos += 1;
            if self.chars.get(self.pos) == Some(&'-')
                && self.chars.get(self.pos + 1).is_some_and(|&n| n != ']')
            {
                let hi = self.chars[self.pos + 1];
                self.pos += 2;
                class.ranges.push((c, hi));
            } else {
                class.ranges.push((c, c));
            }
        }
    }
}

fn compile(node: &Node, program: &mut Vec<Inst>) {
    match node {
        Node::Char(c) => program.push(Inst::Char(*c)),
        Node::Any => program.push(Inst::Any),
        Node::Class(class) => program.push(Inst::Class(class.clone())),
        Node::Start => program.push(Inst::Start),
        Node::End => program.push(Inst::End),
        Node::Boundary(edge) => program.push(Inst::Boundary(*edge)),
        Node::Group(inner, index) => {
            program.push(Inst::Save(index * 2));
            compile(inner, program);
            program.push(Inst::Save(index * 2 + 1));
        }
        Node::Concat(items) => items.iter().for_each(|n| compile(n, program)),
        Node::Alt(branches) => {
            let mut jumps = Vec::new();
            for (i, branch) in branches.iter().enumerate() {
                if i + 1 < branches.len() {
                    let split = program.len();
                    program.push(Inst::Split(split + 1, 0));
                    compile(branch, program);
                    jumps.push(program.len());
                    program.push(Inst::Jump(0));
                    let next = program.len();
                    program[split] = Inst::Split(split + 1, next);
                } else {
                    compile(branch, program);
                }
            }
            let end = program.len();
            for j in jumps {
                program[j] = Inst::Jump(end);
            }
        }
        Node::Repeat(inner, lo, hi) => {
            for _ in 0..*lo {
                compile(inner, program);
            }
            match hi {
                None => {
                    let split = program.len();
                    program.push(Inst::Split(split + 1, 0));
                    compile(inner, program);
                    program.push(Inst::Jump(split));
                    let end = program.len();
                    program[split] = Inst::Split(split + 1, end);
                }
                Some(hi) => {
                    let mut splits = Vec::new();
                    for _ in *lo..*hi {
                        splits.push(program.len());
                        program.push(Inst::Split(0, 0));
                        compile(inner, program);
                    }
                    let end = program.len();
                    for s in splits {
                        program[s] = Inst::Split(s + 1, end);
                    }
                }
            }
        }
    }
}

impl Regex {
    /// Compiles `pattern`; the error is what glibc's `regerror` says, as bash prints it.
    pub fn new(pattern: &str) -> Result<Regex, String> {
        Regex::with_case(pattern, false)
    }

    /// Compiles `pattern`, matching letters of either case when `icase` is set (REG_ICASE).
    pub fn with_case(pattern: &str, icase: bool) -> Result<Regex, String> {
        let chars: Vec<char> = pattern.chars().collect();
        let mut parser = Parser {
            chars: &chars,
            pos: 0,
            groups: 0,
        };
        let node = parser.alternation()?;
        if parser.pos < chars.len() {
            return Err("parentheses not balanced".into());
        }
        let mut program = Vec::new();
        compile(&node, &mut program);
        program.push(Inst::Match);
        Ok(Regex {
            program,
            groups: parser.groups,
            icase,
        })
    }

    /// The leftmost match: the whole match, then each group (`None` when it took no part).
    pub fn captures(&self, text: &str) -> Option<Vec<Option<String>>> {
        let chars: Vec<char> = text.chars().collect();
        self.captures_at(&chars, 0).map(|m| m.groups)
    }

    /// The leftmost match starting at or after char index `from`, with where it lies.
    pub fn captures_at(&self, chars: &[char], from: usize) -> Option<Match> {
        let mut budget = BUDGET;
        for start in from..=chars.len() {
            let mut slots = vec![None; (self.groups + 1) * 2];
            if let Some(end) = self.run(start, chars, &mut slots, &mut budget) {
                slots[0] = Some(start);
                slots[1] = Some(end);
                return Some(Match {
                    start,
                    end,
                    groups: (0..=self.groups)
                        .map(|g| match (slots[g * 2], slots[g * 2 + 1]) {
                            (Some(a), Some(b)) if a <= b => Some(chars[a..b].iter().collect()),
                            _ => None,
                        })
                        .collect(),
                });
            }
            if budget == 0 {
                return None;
            }
        }
        None
    }

    /// Runs the program from `start` with an explicit backtracking stack (no recursion, so no stack to
    /// overflow); the end of the match, if any.
    fn run(
        &self,
        start: usize,
        chars: &[char],
        slots: &mut [Option<usize>],
        budget: &mut usize,
    ) -> Option<usize> {
        enum Frame {
            Try(usize, usize),
            Restore(usize, Option<usize>),
        }
        let mut stack = vec![Frame::Try(0, start)];
        while let Some(frame) = stack.pop() {
            let (mut pc, mut pos) = match frame {
                Frame::Try(pc, pos) => (pc, pos),
                Frame::Restore(slot, old) => {
                    slots[slot] = old;
                    continue;
                }
            };
            loop {
                if *budget == 0 {
                    return None;
                }
                *budget -= 1;
                let ok = match &self.program[pc] {
                    Inst::Match => return Some(pos),
                    Inst::Char(c) => {
                        chars
                            .get(pos)
                            .is_some_and(|got| got == c || (self.icase && same_letter(*got, *c)))
                            && {
                                pos += 1;
                                true
                            }
                    }
                    Inst::Any => {
                        pos < chars.len() && {
                            pos += 1;
                            true
                        }
                    }
                    Inst::Class(class) => {
                        chars.get(pos).is_some_and(|&c| {
                            class.matches(c)
                                || (self.icase
                                    && (class.matches(flip_case(c))
                                        || c.to_lowercase().any(|l| class.matches(l))))
                        }) && {
                            pos += 1;
                            true
                        }
                    }
                    Inst::Start => pos == 0,
                    Inst::End => pos == chars.len(),
                    Inst::Boundary(edge) => {
                        let before = pos > 0 && word_char(chars.get(pos - 1));
                        let after = word_char(chars.get(pos));
                        match edge {
                            Edge::Word => before != after,
                            Edge::NotWord => before == after,
                            Edge::WordStart => !before && after,
                            Edge::WordEnd => before && !after,
                        }
                    }
                    Inst::Jump(to) => {
                        pc = *to;
                        continue;
                    }
                    Inst::Save(slot) => {
                        stack.push(Frame::Restore(*slot, slots[*slot]));
                        slots[*slot] = Some(pos);
                        true
                    }
                    Inst::Split(first, second) => {
                        stack.push(Frame::Try(*second, pos));
                        pc = *first;
                        continue;
                    }
                };
                if !ok {
                    break;
                }
                pc += 1;
            }
        }
        None
    }
}

/// Whether two characters are the same letter in either case.
fn same_letter(a: char, b: char) -> bool {
    a.to_lowercase().eq(b.to_lowercase())
}

/// The other case of an ASCII letter (the character itself otherwise).
fn flip_case(c: char) -> char {
    if c.is_ascii_lowercase() {
        c.to_ascii_uppercase()
    } else {
        c.to_ascii_lowercase()
    }
}

/// Whether `text` matches the glob `pattern` as a whole: `*` any run, `?` one character, `[…]` a class
/// (`!` or `^` negates), `\` makes the next character literal.
pub fn glob_match(pattern: &str, text: &str) -> bool {
    let p: Vec<char> = pattern.chars().collect();
    let t: Vec<char> = text.chars().collect();
    let mut budget = BUDGET;
    glob_at(&p, 0, &t, 0, &mut budget)
}

fn glob_at(p: &[char], mut pi: usize, t: &[char], mut ti: usize, budget: &mut usize) -> bool {
    loop {
        if *budget == 0 {
            return false;
        }
        *budget -= 1;
        let Some(&c) = p.get(pi) else {
            return ti == t.len();
        };
        match c {
            '*' => {
                let rest = pi + 1;
                return (ti..=t.len()).any(|k| glob_at(p, rest, t, k, budget));
            }
            '?' => {
                if ti >= t.len() {
                    return false;
                }
            }
            '[' => {
                let Some((class, next)) = glob_class(p, pi + 1) else {
                    if t.get(ti) != Some(&'[') {
                        return false;
                    }
                    pi += 1;
                    ti += 1;
                    continue;
                };
                if !t.get(ti).is_some_and(|&ch| class.matches(ch)) {
                    return false;
                }
                pi = next;
                ti += 1;
                continue;
            }
            '\\' if pi + 1 < p.len() => {
                if t.get(ti) != Some(&p[pi + 1]) {
                    return false;
                }
                pi += 2;
                ti += 1;
                continue;
            }
            _ => {
                if t.get(ti) != Some(&c) {
                    return false;
                }
            }
        }
        pi += 1;
        ti += 1;
    }
}

/// A glob bracket expression starting after `[`, and the index after its `]`.
fn glob_class(p: &[char], start: usize) -> Option<(Class, usize)> {
    let mut chars: Vec<char> = p[start..].to_vec();
    if chars.first() == Some(&'!') {
        chars[0] = '^';
    }
    let text: String = chars.iter().collect();
    let close = text.char_indices().skip(1).find(|&(_, c)| c == ']')?.0;
    let inner: Vec<char> = text[..close + 1].chars().collect();
    let mut parser = Parser {
        chars: &inner,
        pos: 0,
        groups: 0,
    };
    let class = parser.bracket().ok()?;
    Some((class, start + parser.pos))
}

/// `text` with every character a regex or glob would read specially escaped, for quoted parts of a pattern.
pub fn escape(text: &str) -> String {
    let mut out = String::new();
    for c in text.chars() {
        if "\\.^$*+?()[]{}|".contains(c) {
            out.push('\\');
        }
        out.push(c);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn groups(pattern: &str, text: &str) -> Option<Vec<String>> {
        Regex::new(pattern)
            .unwrap()
            .captures(text)
            .map(|g| g.into_iter().map(Option::unwrap_or_default).collect())
    }

    #[test]
    fn the_tutorials_patterns() {
        assert_eq!(
            groups("-([0-9]+)$", "mysql-12"),
            Some(vec!["-12".into(), "12".into()])
        );
        assert_eq!(groups("-([0-9]+)$", "mysql"), None);
        assert_eq!(
            groups("^(.*?)[[:space:]]+(.*?)$", "mysql-0-bin.000003\t154"),
            Some(vec![
                "mysql-0-bin.000003\t154".into(),
                "mysql-0-bin.000003".into(),
                "154".into()
            ])
        );
    }

    #[test]
    fn alternation_classes_intervals_and_anchors() {
        assert!(groups("^(ab|cd)+$", "abcdab").is_some());
        assert!(groups("^[^0-9]{2,3}$", "abc").is_some());
        assert!(groups("^[^0-9]{2,3}$", "abcd").is_none());
        assert!(groups("^a.c$", "abc").is_some());
        assert!(groups("x\\.y", "x.y").is_some());
        assert!(groups("x\\.y", "xzy").is_none());
        assert_eq!(
            groups("(a)|(b)", "b"),
            Some(vec!["b".into(), "".into(), "b".into()])
        );
        assert!(Regex::new("(a").is_err());
        assert!(Regex::new("[a").is_err());
    }

    #[test]
    fn pathological_patterns_give_up_instead_of_hanging() {
        let text = "a".repeat(40);
        assert!(groups("(a*)*b", &text).is_none());
    }

    #[test]
    fn globs() {
        assert!(glob_match("web-*", "web-0"));
        assert!(!glob_match("web-*", "db-0"));
        assert!(glob_match("web-?", "web-1"));
        assert!(glob_match("web-[0-9]", "web-7"));
        assert!(!glob_match("web-[!0-9]", "web-7"));
        assert!(glob_match("a\\*b", "a*b"));
        assert!(!glob_match("a\\*b", "axb"));
        assert!(glob_match("*", ""));
    }
}
