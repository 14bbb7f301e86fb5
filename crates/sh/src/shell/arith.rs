//! `$((…))` and the integer operands of `-eq` and friends: bash's arithmetic on i64, with its precedence,
//! its assignment operators and its messages.

use super::interpreter::Shell;
use super::MAX_DEPTH;

/// A recursive-descent evaluator for `$((…))`, with bash's precedence and its error messages.
struct Arith<'s> {
    chars: Vec<char>,
    pos: usize,
    shell: &'s mut Shell,
    depth: usize,
    source: String,
}

impl Arith<'_> {
    fn skip_blanks(&mut self) {
        while self.chars.get(self.pos).is_some_and(|c| c.is_whitespace()) {
            self.pos += 1;
        }
    }

    fn eat(&mut self, op: &str) -> bool {
        self.skip_blanks();
        let op: Vec<char> = op.chars().collect();
        if self.chars[self.pos.min(self.chars.len())..].starts_with(&op) {
            self.pos += op.len();
            true
        } else {
            false
        }
    }

    /// `op` but not when it is the start of a longer operator (`<` but not `<=` or `<<`).
    fn eat_alone(&mut self, op: &str, not_followed_by: &[char]) -> bool {
        self.skip_blanks();
        let len = op.chars().count();
        let matches = self.chars[self.pos.min(self.chars.len())..]
            .starts_with(&op.chars().collect::<Vec<_>>())
            && !self
                .chars
                .get(self.pos + len)
                .is_some_and(|c| not_followed_by.contains(c));
        if matches {
            self.pos += len;
        }
        matches
    }

    fn error_token(&self) -> String {
        let rest: String = self.chars[self.pos.min(self.chars.len())..]
            .iter()
            .collect();
        format!(
            "{}: syntax error: operand expected (error token is \"{}\")",
            self.source.trim(),
            rest.trim()
        )
    }

    fn comma(&mut self) -> Result<i64, String> {
        let mut v = self.assign()?;
        while self.eat(",") {
            v = self.assign()?;
        }
        Ok(v)
    }

    fn assign(&mut self) -> Result<i64, String> {
        self.skip_blanks();
        let start = self.pos;
        let name: String = self.chars[self.pos..]
            .iter()
            .take_while(|c| c.is_ascii_alphanumeric() || **c == '_')
            .collect();
        if super::is_name(&name) {
            self.pos += name.chars().count();
            for op in ["+=", "-=", "*=", "/=", "%=", "="] {
                let is_assign = if op == "=" {
                    self.eat_alone("=", &['='])
                } else {
                    self.eat(op)
                };
                if is_assign {
                    let value = self.assign()?;
                    let old = self.variable(&name)?;
                    let new = match op {
                        "+=" => old.wrapping_add(value),
                        "-=" => old.wrapping_sub(value),
                        "*=" => old.wrapping_mul(value),
                        "/=" | "%=" if value == 0 => {
                            return Err(format!(
                                "{}: division by 0 (error token is \"{}\")",
                                self.source.trim(),
                                value
                            ))
                        }
                        "/=" => old.wrapping_div(value),
                        "%=" => old.wrapping_rem(value),
                        _ => value,
                    };
                    self.shell.vars.insert(name, new.to_string());
                    return Ok(new);
                }
            }
            self.pos = start;
        }
        self.ternary()
    }

    fn ternary(&mut self) -> Result<i64, String> {
        let cond = self.or()?;
        if self.eat("?") {
            let a = self.assign()?;
            if !self.eat(":") {
                return Err(self.error_token());
            }
            let b = self.assign()?;
            return Ok(if cond != 0 { a } else { b });
        }
        Ok(cond)
    }

    fn or(&mut self) -> Result<i64, String> {
        let mut v = self.and()?;
        while self.eat("||") {
            let r = self.and()?;
            v = i64::from(v != 0 || r != 0);
        }
        Ok(v)
    }

    fn and(&mut self) -> Result<i64, String> {
        let mut v = self.bit_or()?;
        while self.eat("&&") {
            let r = self.bit_or()?;
            v = i64::from(v != 0 && r != 0);
        }
        Ok(v)
    }

    fn bit_or(&mut self) -> Result<i64, String> {
        let mut v = self.bit_xor()?;
        while self.eat_alone("|", &['|', '=']) {
            v |= self.bit_xor()?;
        }
        Ok(v)
    }

    fn bit_xor(&mut self) -> Result<i64, String> {
        let mut v = self.bit_and()?;
        while self.eat_alone("^", &['=']) {
            v ^= self.bit_and()?;
        }
        Ok(v)
    }

    fn bit_and(&mut self) -> Result<i64, String> {
        let mut v = self.equality()?;
        while self.eat_alone("&", &['&', '=']) {
            v &= self.equality()?;
        }
        Ok(v)
    }

    fn equality(&mut self) -> Result<i64, String> {
        let mut v = self.relational()?;
        loop {
            if self.eat("==") {
                v = i64::from(v == self.relational()?);
            } else if self.eat("!=") {
                v = i64::from(v != self.relational()?);
            } else {
                return Ok(v);
            }
        }
    }

    fn relational(&mut self) -> Result<i64, String> {
        let mut v = self.shift()?;
        loop {
            if self.eat("<=") {
                v = i64::from(v <= self.shift()?);
            } else if self.eat(">=") {
                v = i64::from(v >= self.shift()?);
            } else if self.eat_alone("<", &['<']) {
                v = i64::from(v < self.shift()?);
            } else if self.eat_alone(">", &['>']) {
                v = i64::from(v > self.shift()?);
            } else {
                return Ok(v);
            }
        }
    }

    fn shift(&mut self) -> Result<i64, String> {
        let mut v = self.additive()?;
        loop {
            if self.eat("<<") {
                v = v.wrapping_shl(self.additive()? as u32);
            } else if self.eat(">>") {
                v = v.wrapping_shr(self.additive()? as u32);
            } else {
                return Ok(v);
            }
        }
    }

    fn additive(&mut self) -> Result<i64, String> {
        let mut v = self.multiplicative()?;
        loop {
            if self.eat_alone("+", &['+', '=']) {
                v = v.wrapping_add(self.multiplicative()?);
            } else if self.eat_alone("-", &['-', '=']) {
                v = v.wrapping_sub(self.multiplicative()?);
            } else {
                return Ok(v);
            }
        }
    }

    fn multiplicative(&mut self) -> Result<i64, String> {
        let mut v = self.power()?;
        loop {
            let op = if self.eat_alone("*", &['*', '=']) {
                '*'
            } else if self.eat_alone("/", &['=']) {
                '/'
            } else if self.eat_alone("%", &['=']) {
                '%'
            } else {
                return Ok(v);
            };
            let token_start = self.pos;
            let r = self.power()?;
            v = match op {
                '*' => v.wrapping_mul(r),
                _ if r == 0 => {
                    let token: String = self.chars[token_start..].iter().collect();
                    return Err(format!(
                        "{}: division by 0 (error token is \"{}\")",
                        self.source.trim(),
                        token.trim()
                    ));
                }
                '/' => v.wrapping_div(r),
                _ => v.wrapping_rem(r),
            };
        }
    }

    fn power(&mut self) -> Result<i64, String> {
        let base = self.unary()?;
        if self.eat("**") {
            let exp = self.power()?;
            if exp < 0 {
                return Err(format!(
                    "{}: exponent less than 0 (error token is \"{exp}\")",
                    self.source.trim()
                ));
            }
            return Ok(base.wrapping_pow(exp.min(u32::MAX as i64) as u32));
        }
        Ok(base)
    }

    fn unary(&mut self) -> Result<i64, String> {
        self.depth += 1;
        if self.depth > MAX_DEPTH * 8 {
            return Err(format!(
                "{}: expression recursion level exceeded",
                self.source.trim()
            ));
        }
        let v = if self.eat_alone("!", &['=']) {
            i64::from(self.unary()? == 0)
        } else if self.eat("~") {
            !self.unary()?
        } else if self.eat("++") {
            let name = self.name()?;
            let v = self.variable(&name)?.wrapping_add(1);
            self.shell.vars.insert(name, v.to_string());
            v
        } else if self.eat("--") {
            let name = self.name()?;
            let v = self.variable(&name)?.wrapping_sub(1);
            self.shell.vars.insert(name, v.to_string());
            v
        } else if self.eat_alone("-", &['-']) {
            self.unary()?.wrapping_neg()
        } else if self.eat_alone("+", &['+']) {
            self.unary()?
        } else {
            self.primary()?
        };
        self.depth -= 1;
        Ok(v)
    }

    fn name(&mut self) -> Result<String, String> {
        self.skip_blanks();
        let name: String = self.chars[self.pos..]
            .iter()
            .take_while(|c| c.is_ascii_alphanumeric() || **c == '_')
            .collect();
        if !super::is_name(&name) {
            return Err(self.error_token());
        }
        self.pos += name.chars().count();
        Ok(name)
    }

    /// A variable's value as a number: empty or unset is 0, and a value that is itself an expression is
    /// evaluated, as bash does.
    fn variable(&mut self, name: &str) -> Result<i64, String> {
        let value = self.shell.lookup(name).unwrap_or_default();
        let value = value.trim();
        if value.is_empty() {
            return Ok(0);
        }
        if let Ok(n) = value.parse::<i64>() {
            return Ok(n);
        }
        if self.depth > MAX_DEPTH {
            return Err(format!("{value}: expression recursion level exceeded"));
        }
        let text = value.to_owned();
        let mut inner = Arith {
            chars: text.chars().collect(),
            pos: 0,
            shell: &mut *self.shell,
            depth: self.depth + 1,
            source: text.clone(),
        };
        let v = inner.comma()?;
        inner.skip_blanks();
        if inner.pos < inner.chars.len() {
            return Err(inner.error_token());
        }
        Ok(v)
    }

    fn primary(&mut self) -> Result<i64, String> {
        self.skip_blanks();
        if self.eat("(") {
            let v = self.comma()?;
            if !self.eat(")") {
                return Err(format!(
                    "{}: missing `)' (error token is \"{}\")",
                    self.source.trim(),
                    self.chars[self.pos.min(self.chars.len())..]
                        .iter()
                        .collect::<String>()
                        .trim()
                ));
            }
            return Ok(v);
        }
        let Some(&c) = self.chars.get(self.pos) else {
            return Err(self.error_token());
        };
        if c.is_ascii_digit() {
            let digits: String = self.chars[self.pos..]
                .iter()
                .take_while(|c| c.is_ascii_alphanumeric() || **c == '#')
                .collect();
            self.pos += digits.chars().count();
            let parsed = if let Some(hex) = digits
                .strip_prefix("0x")
                .or_else(|| digits.strip_prefix("0X"))
            {
                i64::from_str_radix(hex, 16).ok()
            } else if let Some((base, n)) = digits.split_once('#') {
                base.parse::<u32>()
                    .ok()
                    .filter(|b| (2..=36).contains(b))
                    .and_then(|b| i64::from_str_radix(n, b).ok())
            } else if digits.len() > 1 && digits.starts_with('0') {
                i64::from_str_radix(&digits[1..], 8).ok()
            } else {
                digits.parse::<i64>().ok()
            };
            return parsed.ok_or_else(|| {
                format!(
                    "{}: value too great for base (error token is \"{digits}\")",
                    self.source.trim()
                )
            });
        }
        if c == '_' || c.is_ascii_alphabetic() {
            let name = self.name()?;
            if self.eat("++") {
                let v = self.variable(&name)?;
                self.shell.vars.insert(name, v.wrapping_add(1).to_string());
                return Ok(v);
            }
            if self.eat("--") {
                let v = self.variable(&name)?;
                self.shell.vars.insert(name, v.wrapping_sub(1).to_string());
                return Ok(v);
            }
            return self.variable(&name);
        }
        Err(self.error_token())
    }
}

impl Shell {
    /// `$((…))` and the operands of `-eq` and friends: integer arithmetic as bash does it, on i64.
    pub(super) fn arithmetic(&mut self, text: &str) -> Result<i64, String> {
        let mut a = Arith {
            chars: text.chars().collect(),
            pos: 0,
            shell: self,
            depth: 0,
            source: text.to_owned(),
        };
        let v = a.comma()?;
        a.skip_blanks();
        if a.pos < a.chars.len() {
            let rest: String = a.chars[a.pos..].iter().collect();
            return Err(format!(
                "{}: syntax error in expression (error token is \"{}\")",
                text.trim(),
                rest.trim()
            ));
        }
        Ok(v)
    }
}
