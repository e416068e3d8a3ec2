//! TOML 1.0 as Waterfall reads it, with the standard library alone: the whole document as a
//! [`Value`] tree, the line of every key, and a broken document refused with its line and column.
//!
//! Why not a crate: the TOML crate Debian packages (`librust-toml-dev`, toml 0.5.11) predates TOML
//! 1.0's test suite; on toml-test's 1.0 cases it refuses 2 valid files (dotted keys beside a
//! sub-table, spec example table-9) and accepts 15 invalid ones (30 February, hour 24, `+0x1`, DEL
//! in a comment), reads every float as an `f64` (`1.50` becomes `1.5`, which changes the value's
//! fingerprint in the history) and gives no key positions. This reader is checked against every
//! TOML 1.0 case of toml-test (`tests/toml_test.rs`), the same cases the Java store passes.
//!
//! How values map, as in Java's TOML store: integers are their decimal text (`0xff` is `255`),
//! floats keep their literal without `_` and `+` (`inf`, `-inf`, `nan` as Waterfall writes them),
//! date-times are strings in their canonical ISO-8601 form (`1979-05-27T07:32:00Z`: `T`, seconds,
//! a fraction only when not zero, `Z` for a zero offset), an array of tables is an array of objects.

use crate::json::Value;

/// Where and why a document is not TOML 1.0: 1-based line and column (in characters).
#[derive(Debug, Clone, PartialEq)]
pub struct TomlError {
    pub line: usize,
    pub column: usize,
    pub reason: String,
}

/// A parsed document: the tree and, for each key outside arrays of tables, the line that sets it.
pub struct Document {
    pub tree: Value,
    pub lines: Vec<(String, usize)>,
}

#[derive(Clone, Copy, PartialEq, Debug)]
enum Kind {
    /// Made on the way to a `[a.b.c]` header; a later `[a]` may define it once.
    Implicit,
    /// Defined by its own header.
    Header,
    /// Made by a dotted key (`a.b = 1`); no header may define it.
    Dotted,
    /// An inline table: complete as written.
    Inline,
}

struct Table {
    kind: Kind,
    entries: Vec<(String, Node)>,
}

enum Node {
    Value(Value, usize),
    Table(Table),
    Tables(Vec<Table>),
}

impl Table {
    fn new(kind: Kind) -> Table {
        Table { kind, entries: Vec::new() }
    }

    fn position(&self, name: &str) -> Option<usize> {
        self.entries.iter().position(|(n, _)| n == name)
    }
}

/// Parses a whole TOML 1.0 document (a UTF-8 byte order mark is allowed and skipped).
pub fn parse(text: &str) -> Result<Document, TomlError> {
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    let mut parser = Parser { s: text.as_bytes(), text, i: 0 };
    let root = parser.document()?;
    let mut lines = Vec::new();
    let tree = to_value(root, "", Some(&mut lines));
    Ok(Document { tree, lines })
}

fn to_value(table: Table, prefix: &str, mut lines: Option<&mut Vec<(String, usize)>>) -> Value {
    let mut members = Vec::with_capacity(table.entries.len());
    for (name, node) in table.entries {
        let path = if prefix.is_empty() { name.clone() } else { format!("{}.{}", prefix, name) };
        let value = match node {
            Node::Value(value, line) => {
                if let Some(lines) = lines.as_deref_mut() {
                    lines.push((path, line));
                }
                value
            }
            Node::Table(inner) => to_value(inner, &path, lines.as_deref_mut()),
            Node::Tables(items) => Value::Array(items.into_iter().map(|t| to_value(t, "", None)).collect()),
        };
        members.push((name, value));
    }
    Value::Object(members)
}

fn node_value(node: Node) -> Value {
    match node {
        Node::Value(value, _) => value,
        Node::Table(table) => to_value(table, "", None),
        Node::Tables(items) => Value::Array(items.into_iter().map(|t| to_value(t, "", None)).collect()),
    }
}

fn show_path(path: &[String]) -> String {
    path.iter()
        .map(|s| if !s.is_empty() && s.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'_' || b == b'-') { s.clone() } else { format!("{:?}", s) })
        .collect::<Vec<_>>()
        .join(".")
}

struct Parser<'a> {
    s: &'a [u8],
    text: &'a str,
    i: usize,
}

impl<'a> Parser<'a> {
    fn error_at(&self, at: usize, reason: impl Into<String>) -> TomlError {
        let at = at.min(self.s.len());
        let before = &self.s[..at];
        let line = before.iter().filter(|b| **b == b'\n').count() + 1;
        let start = before.iter().rposition(|b| *b == b'\n').map(|p| p + 1).unwrap_or(0);
        let column = self.text.get(start..at).map(|t| t.chars().count()).unwrap_or(at - start) + 1;
        TomlError { line, column, reason: reason.into() }
    }

    fn err<T>(&self, reason: impl Into<String>) -> Result<T, TomlError> {
        Err(self.error_at(self.i, reason))
    }

    fn line_of(&self, at: usize) -> usize {
        self.s[..at].iter().filter(|b| **b == b'\n').count() + 1
    }

    fn peek(&self) -> Option<u8> {
        self.s.get(self.i).copied()
    }

    fn peek_at(&self, offset: usize) -> Option<u8> {
        self.s.get(self.i + offset).copied()
    }

    fn starts_with(&self, what: &[u8]) -> bool {
        self.s[self.i..].starts_with(what)
    }

    fn describe_here(&self) -> String {
        match self.text.get(self.i..).and_then(|t| t.chars().next()) {
            None => "the end of the file".into(),
            Some('\n') | Some('\r') => "the end of the line".into(),
            Some(c) if (c as u32) < 0x20 || c == '\u{7f}' => format!("the control character U+{:04X}", c as u32),
            Some(c) => format!("'{}'", c),
        }
    }

    fn skip_ws(&mut self) {
        while let Some(b' ') | Some(b'\t') = self.peek() {
            self.i += 1;
        }
    }

    /// A comment, if one starts here: to the end of the line, with no control character but tab.
    fn skip_comment(&mut self) -> Result<(), TomlError> {
        if self.peek() != Some(b'#') {
            return Ok(());
        }
        self.i += 1;
        while let Some(b) = self.peek() {
            if b == b'\n' || (b == b'\r' && self.peek_at(1) == Some(b'\n')) {
                break;
            }
            if (b < 0x20 && b != b'\t') || b == 0x7f {
                return self.err(format!("a comment holds the control character U+{:04X}, which TOML does not allow; remove it", b));
            }
            self.i += 1;
        }
        Ok(())
    }

    /// A newline (LF or CRLF), if one is here.
    fn newline(&mut self) -> bool {
        if self.peek() == Some(b'\n') {
            self.i += 1;
            true
        } else if self.starts_with(b"\r\n") {
            self.i += 2;
            true
        } else {
            false
        }
    }

    /// The rest of a line after an expression: spaces, a comment, then a newline or the end.
    fn end_of_line(&mut self, after: &str) -> Result<(), TomlError> {
        self.skip_ws();
        self.skip_comment()?;
        if self.i >= self.s.len() || self.newline() {
            return Ok(());
        }
        self.err(format!("expected the end of the line after {}, found {}", after, self.describe_here()))
    }

    /// Whitespace, newlines and comments (inside an array).
    fn skip_blank(&mut self) -> Result<(), TomlError> {
        loop {
            self.skip_ws();
            self.skip_comment()?;
            if !self.newline() {
                return Ok(());
            }
        }
    }

    fn document(&mut self) -> Result<Table, TomlError> {
        let mut root = Table::new(Kind::Header);
        let mut current: Vec<String> = Vec::new();
        loop {
            self.skip_ws();
            if self.i >= self.s.len() {
                break;
            }
            match self.peek() {
                Some(b'#') => {
                    self.skip_comment()?;
                    if !(self.i >= self.s.len() || self.newline()) {
                        return self.err("a carriage return must be followed by a line feed");
                    }
                }
                Some(b'\n') => self.i += 1,
                Some(b'\r') => {
                    if !self.newline() {
                        return self.err("a carriage return must be followed by a line feed");
                    }
                }
                Some(b'[') => {
                    current = self.header(&mut root)?;
                }
                _ => {
                    let start = self.i;
                    let table = resolve(&mut root, &current);
                    self.key_value(table, start)?;
                    self.end_of_line("a value")?;
                }
            }
        }
        Ok(root)
    }

    fn header(&mut self, root: &mut Table) -> Result<Vec<String>, TomlError> {
        let start = self.i;
        self.i += 1;
        let array = self.peek() == Some(b'[');
        if array {
            self.i += 1;
        }
        self.skip_ws();
        let path = self.key()?;
        self.skip_ws();
        if self.peek() != Some(b']') {
            return self.err(format!("expected ']' to close the table header [{}], found {}", show_path(&path), self.describe_here()));
        }
        self.i += 1;
        if array {
            if self.peek() != Some(b']') {
                return self.err(format!("expected ']]' to close the array-of-tables header [[{}]], found {}", show_path(&path), self.describe_here()));
            }
            self.i += 1;
        }
        let at = self.error_at(start, "");
        let fail = |reason: String| Err(TomlError { line: at.line, column: at.column, reason });
        let mut table: &mut Table = root;
        for (n, segment) in path.iter().enumerate() {
            let last = n + 1 == path.len();
            let shown = show_path(&path[..=n]);
            let found = table.position(segment);
            if last {
                match found {
                    None => {
                        let node = if array { Node::Tables(vec![Table::new(Kind::Header)]) } else { Node::Table(Table::new(Kind::Header)) };
                        table.entries.push((segment.clone(), node));
                    }
                    Some(p) => match (&mut table.entries[p].1, array) {
                        (Node::Table(t), false) if t.kind == Kind::Implicit => t.kind = Kind::Header,
                        (Node::Table(t), false) if t.kind == Kind::Header => return fail(format!("table [{}] is defined twice; merge the two sections", shown)),
                        (Node::Table(_), false) => return fail(format!("table [{}] was already defined with dotted keys or inline; a header cannot define it again", shown)),
                        (Node::Tables(items), true) => items.push(Table::new(Kind::Header)),
                        (Node::Tables(_), false) => return fail(format!("[{}] is an array of tables; write [[{}]] to add one", shown, shown)),
                        (_, true) => return fail(format!("[[{}]] adds to an array of tables, but {} is already defined as another value", shown, shown)),
                        (Node::Value(..), false) => return fail(format!("table [{}]: key {} already holds a value", shown, shown)),
                    },
                }
                break;
            }
            let p = match found {
                Some(p) => p,
                None => {
                    table.entries.push((segment.clone(), Node::Table(Table::new(Kind::Implicit))));
                    table.entries.len() - 1
                }
            };
            table = match &mut table.entries[p].1 {
                Node::Table(t) if t.kind != Kind::Inline => t,
                Node::Tables(items) => items.last_mut().unwrap(),
                Node::Table(_) => return fail(format!("[{}]: {} is an inline table, which cannot be extended", show_path(&path), shown)),
                Node::Value(..) => return fail(format!("[{}]: key {} already holds a value, not a table", show_path(&path), shown)),
            };
        }
        self.end_of_line(if array { "an array-of-tables header" } else { "a table header" })?;
        Ok(path)
    }

    /// `key = value` into `table`; dotted keys make tables of kind Dotted on the way.
    fn key_value(&mut self, table: &mut Table, start: usize) -> Result<(), TomlError> {
        let path = self.key()?;
        self.skip_ws();
        if self.peek() != Some(b'=') {
            return self.err(format!("expected '=' after the key {}, found {}", show_path(&path), self.describe_here()));
        }
        self.i += 1;
        self.skip_ws();
        let line = self.line_of(start);
        let value = self.value(line)?;
        let at = self.error_at(start, "");
        let fail = |reason: String| Err(TomlError { line: at.line, column: at.column, reason });
        let mut table = table;
        for (n, segment) in path.iter().enumerate() {
            let found = table.position(segment);
            if n + 1 == path.len() {
                if found.is_some() {
                    return fail(format!("key {} is defined twice; keep one", show_path(&path)));
                }
                table.entries.push((segment.clone(), value));
                return Ok(());
            }
            let p = match found {
                Some(p) => p,
                None => {
                    table.entries.push((segment.clone(), Node::Table(Table::new(Kind::Dotted))));
                    table.entries.len() - 1
                }
            };
            let kind = match &table.entries[p].1 {
                Node::Table(t) => Some(t.kind),
                _ => None,
            };
            match kind {
                Some(Kind::Dotted) => {}
                Some(Kind::Inline) => return fail(format!("key {}: {} is an inline table, which cannot be extended", show_path(&path), show_path(&path[..=n]))),
                Some(_) => return fail(format!("key {}: table [{}] is defined by a header; dotted keys cannot add to it", show_path(&path), show_path(&path[..=n]))),
                None => return fail(format!("key {}: {} already holds a value, not a table", show_path(&path), show_path(&path[..=n]))),
            }
            table = match &mut table.entries[p].1 {
                Node::Table(t) => t,
                _ => unreachable!(),
            };
        }
        unreachable!()
    }

    /// A dotted key: simple keys separated by '.', spaces allowed around the dots.
    fn key(&mut self) -> Result<Vec<String>, TomlError> {
        let mut path = vec![self.simple_key()?];
        loop {
            let save = self.i;
            self.skip_ws();
            if self.peek() == Some(b'.') {
                self.i += 1;
                self.skip_ws();
                path.push(self.simple_key()?);
            } else {
                self.i = save;
                return Ok(path);
            }
        }
    }

    fn simple_key(&mut self) -> Result<String, TomlError> {
        match self.peek() {
            Some(b'"') => {
                if self.starts_with(b"\"\"\"") {
                    return self.err("a key cannot be a multi-line string");
                }
                self.basic_string()
            }
            Some(b'\'') => {
                if self.starts_with(b"'''") {
                    return self.err("a key cannot be a multi-line string");
                }
                self.literal_string()
            }
            _ => {
                let start = self.i;
                while let Some(b) = self.peek() {
                    if b.is_ascii_alphanumeric() || b == b'_' || b == b'-' {
                        self.i += 1;
                    } else {
                        break;
                    }
                }
                if self.i == start {
                    return self.err(format!("expected a key, found {}; a bare key is letters, digits, '_' and '-', else quote it", self.describe_here()));
                }
                Ok(self.text[start..self.i].to_string())
            }
        }
    }

    fn value(&mut self, line: usize) -> Result<Node, TomlError> {
        let start = self.i;
        let value = match self.peek() {
            None => return self.err("expected a value, found the end of the file"),
            Some(b'"') => Value::String(if self.starts_with(b"\"\"\"") { self.ml_basic_string()? } else { self.basic_string()? }),
            Some(b'\'') => Value::String(if self.starts_with(b"'''") { self.ml_literal_string()? } else { self.literal_string()? }),
            Some(b'[') => self.array()?,
            Some(b'{') => return Ok(Node::Table(self.inline_table()?)),
            Some(b't') if self.starts_with(b"true") => {
                self.i += 4;
                Value::Bool(true)
            }
            Some(b'f') if self.starts_with(b"false") => {
                self.i += 5;
                Value::Bool(false)
            }
            Some(b) if b.is_ascii_digit() || b == b'+' || b == b'-' || b == b'i' || b == b'n' => {
                if self.is_date() || self.is_time() {
                    Value::String(self.datetime()?)
                } else {
                    self.number()?
                }
            }
            _ => return self.err(format!("expected a value, found {}; quote text as \"...\"", self.describe_here())),
        };
        match self.peek() {
            None | Some(b' ') | Some(b'\t') | Some(b'\n') | Some(b'\r') | Some(b'#') | Some(b',') | Some(b']') | Some(b'}') => Ok(Node::Value(value, line)),
            _ => Err(self.error_at(start, format!("not a TOML value: {}; quote text as \"...\"", self.token_from(start)))),
        }
    }

    fn token_from(&self, start: usize) -> String {
        let rest = &self.text[start..];
        let end = rest.find(|c: char| c == '\n' || c == '\r' || c == ',' || c == ']' || c == '}' || c == '#').unwrap_or(rest.len());
        let token: String = rest[..end].trim_end().chars().take(40).collect();
        format!("{:?}", token)
    }

    fn digits_at(&self, at: usize, n: usize) -> bool {
        self.s.len() >= at + n && self.s[at..at + n].iter().all(|b| b.is_ascii_digit())
    }

    fn is_date(&self) -> bool {
        self.digits_at(self.i, 4) && self.s.get(self.i + 4) == Some(&b'-')
    }

    fn is_time(&self) -> bool {
        self.digits_at(self.i, 2) && self.s.get(self.i + 2) == Some(&b':')
    }

    fn two(&mut self, what: &str, max: u32) -> Result<u32, TomlError> {
        if !self.digits_at(self.i, 2) {
            return self.err(format!("a date-time needs two digits for the {} here", what));
        }
        let v = (self.s[self.i] - b'0') as u32 * 10 + (self.s[self.i + 1] - b'0') as u32;
        if v > max {
            return self.err(format!("{} {:02} is out of range (at most {:02})", what, v, max));
        }
        self.i += 2;
        Ok(v)
    }

    fn expect(&mut self, b: u8, what: &str) -> Result<(), TomlError> {
        if self.peek() != Some(b) {
            return self.err(format!("a date-time needs '{}' {}", b as char, what));
        }
        self.i += 1;
        Ok(())
    }

    /// An offset date-time, local date-time, local date or local time, as canonical text.
    fn datetime(&mut self) -> Result<String, TomlError> {
        let mut out = String::new();
        let mut has_date = false;
        if self.is_date() {
            let year: u32 = self.text[self.i..self.i + 4].parse().unwrap();
            self.i += 5;
            let month_at = self.i;
            let month = self.two("month", 12)?;
            if month == 0 {
                return Err(self.error_at(month_at, "month 00 is out of range (01 to 12)"));
            }
            self.expect(b'-', "between month and day")?;
            let day_at = self.i;
            let day = self.two("day", 31)?;
            let leap = year % 4 == 0 && (year % 100 != 0 || year % 400 == 0);
            let days = [31, if leap { 29 } else { 28 }, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31][month as usize - 1];
            if day == 0 || day > days {
                return Err(self.error_at(day_at, format!("day {:02} does not exist in {:04}-{:02}", day, year, month)));
            }
            out.push_str(&format!("{:04}-{:02}-{:02}", year, month, day));
            has_date = true;
            let t = matches!(self.peek(), Some(b'T') | Some(b't'));
            let space = self.peek() == Some(b' ') && self.digits_at(self.i + 1, 2) && self.s.get(self.i + 3) == Some(&b':');
            if !(t || space) {
                return Ok(out);
            }
            self.i += 1;
            out.push('T');
        }
        let hour = self.two("hour", 23)?;
        self.expect(b':', "between hour and minute")?;
        let minute = self.two("minute", 59)?;
        self.expect(b':', "between minute and second (TOML 1.0 needs the seconds)")?;
        let second = self.two("second", 60)?;
        out.push_str(&format!("{:02}:{:02}:{:02}", hour, minute, second));
        if self.peek() == Some(b'.') {
            self.i += 1;
            let start = self.i;
            while self.peek().map_or(false, |b| b.is_ascii_digit()) {
                self.i += 1;
            }
            if self.i == start {
                return self.err("a date-time's fraction of a second needs digits after '.'");
            }
            let fraction = self.text[start..self.i.min(start + 9)].trim_end_matches('0');
            if !fraction.is_empty() {
                out.push('.');
                out.push_str(fraction);
            }
        }
        if has_date {
            match self.peek() {
                Some(b'Z') | Some(b'z') => {
                    self.i += 1;
                    out.push('Z');
                }
                Some(sign @ b'+') | Some(sign @ b'-') => {
                    self.i += 1;
                    let h = self.two("offset hour", 23)?;
                    self.expect(b':', "in the offset (+HH:MM)")?;
                    let m = self.two("offset minute", 59)?;
                    if h == 0 && m == 0 {
                        out.push('Z');
                    } else {
                        out.push_str(&format!("{}{:02}:{:02}", sign as char, h, m));
                    }
                }
                _ => {}
            }
        }
        Ok(out)
    }

    /// An integer or float; integers become decimal text, floats keep their literal.
    fn number(&mut self) -> Result<Value, TomlError> {
        let start = self.i;
        while let Some(b) = self.peek() {
            if b.is_ascii_alphanumeric() || b == b'_' || b == b'+' || b == b'-' || b == b'.' {
                self.i += 1;
            } else {
                break;
            }
        }
        let token = &self.text[start..self.i];
        let bad = |reason: String| Err(self.error_at(start, reason));
        let (sign, body) = match token.as_bytes().first() {
            Some(b'+') | Some(b'-') => (&token[..1], &token[1..]),
            _ => ("", token),
        };
        if body == "inf" || body == "nan" {
            return Ok(Value::Number(match (sign, body) {
                ("-", "inf") => "-inf".into(),
                (_, b) => b.to_string(),
            }));
        }
        for (prefix, radix) in [("0x", 16), ("0o", 8), ("0b", 2)] {
            if let Some(digits) = body.strip_prefix(prefix) {
                if !sign.is_empty() {
                    return bad(format!("{}: a hexadecimal, octal or binary integer cannot have a sign", token));
                }
                if !underscored(digits, |c| c.is_digit(radix)) {
                    return bad(format!("{}: not a valid integer ('_' only between digits)", token));
                }
                return match i64::from_str_radix(&digits.replace('_', ""), radix) {
                    Ok(v) => Ok(Value::Number(v.to_string())),
                    Err(_) => bad(format!("{}: TOML integers are 64-bit (at most 9223372036854775807); quote it to keep it as a string", token)),
                };
            }
        }
        let (mantissa, exponent) = match body.find(|c| c == 'e' || c == 'E') {
            Some(e) => (&body[..e], Some(&body[e + 1..])),
            None => (body, None),
        };
        let (integral, fraction) = match mantissa.find('.') {
            Some(d) => (&mantissa[..d], Some(&mantissa[d + 1..])),
            None => (mantissa, None),
        };
        let digit = |c: char| c.is_ascii_digit();
        let valid_integral = underscored(integral, digit) && (integral == "0" || !integral.starts_with('0'));
        let valid_fraction = fraction.map_or(true, |f| underscored(f, digit));
        let valid_exponent = exponent.map_or(true, |e| underscored(e.strip_prefix(|c| c == '+' || c == '-').unwrap_or(e), digit));
        if !(valid_integral && valid_fraction && valid_exponent) {
            let hint = if integral.len() > 1 && integral.starts_with('0') && integral.bytes().all(|b| b.is_ascii_digit()) { " (no leading zeros)" } else { "" };
            return bad(format!("not a TOML number: {}{}; quote text as \"...\"", token, hint));
        }
        let plain = token.replace('_', "");
        let plain = plain.strip_prefix('+').unwrap_or(&plain).to_string();
        if fraction.is_none() && exponent.is_none() {
            return match plain.parse::<i64>() {
                Ok(v) => Ok(Value::Number(v.to_string())),
                Err(_) => bad(format!("{}: TOML integers are 64-bit (-9223372036854775808 to 9223372036854775807); quote it to keep it as a string", token)),
            };
        }
        let double: f64 = plain.parse().unwrap_or(f64::INFINITY);
        if double.is_infinite() {
            return bad(format!("{}: TOML floats are 64-bit (up to about 1.8e308); quote the number to keep it as a string", token));
        }
        if double == 0.0 && mantissa.bytes().any(|b| (b'1'..=b'9').contains(&b)) {
            return bad(format!("{}: TOML floats are 64-bit (down to about 4.9e-324); quote the number to keep it as a string", token));
        }
        Ok(Value::Number(plain))
    }

    fn array(&mut self) -> Result<Value, TomlError> {
        self.i += 1;
        let mut items = Vec::new();
        loop {
            self.skip_blank()?;
            if self.peek() == Some(b']') {
                self.i += 1;
                return Ok(Value::Array(items));
            }
            let line = self.line_of(self.i);
            items.push(node_value(self.value(line)?));
            self.skip_ws();
            let after = self.i; // where Java's reader places a missing ',' or ']'
            self.skip_blank()?;
            match self.peek() {
                Some(b',') => self.i += 1,
                Some(b']') => {
                    self.i += 1;
                    return Ok(Value::Array(items));
                }
                _ => {
                    self.i = after;
                    return self.err(format!("expected ',' or ']' in an array, found {}", self.describe_here()));
                }
            }
        }
    }

    fn inline_table(&mut self) -> Result<Table, TomlError> {
        self.i += 1;
        let mut table = Table::new(Kind::Dotted);
        self.skip_ws();
        if self.peek() == Some(b'}') {
            self.i += 1;
            table.kind = Kind::Inline;
            return Ok(table);
        }
        let mut comma = None;
        loop {
            self.skip_ws();
            let start = self.i;
            if let (Some(b'}'), Some(at)) = (self.peek(), comma) {
                return Err(self.error_at(at, "a comma after the last value of an inline table is not allowed in TOML 1.0; remove it"));
            }
            if matches!(self.peek(), Some(b'\n') | Some(b'\r') | Some(b'#') | Some(b'}')) {
                return self.err(format!("expected a key in an inline table, found {}; TOML 1.0 keeps an inline table on one line", self.describe_here()));
            }
            self.key_value(&mut table, start)?;
            self.skip_ws();
            match self.peek() {
                Some(b',') => {
                    comma = Some(self.i);
                    self.i += 1;
                }
                Some(b'}') => {
                    self.i += 1;
                    table.kind = Kind::Inline;
                    return Ok(table);
                }
                _ => return self.err(format!("expected ',' or '}}' in an inline table, found {}; TOML 1.0 keeps an inline table on one line", self.describe_here())),
            }
        }
    }

    /// A character allowed in a string: not a control character (tab is allowed).
    fn check_char(&self, b: u8) -> Result<(), TomlError> {
        if (b < 0x20 && b != b'\t') || b == 0x7f {
            return self.err(format!("a string holds the control character U+{:04X}; write it as an escape such as \\u{:04X}", b, b));
        }
        Ok(())
    }

    fn basic_string(&mut self) -> Result<String, TomlError> {
        self.i += 1;
        let mut out = String::new();
        loop {
            match self.peek() {
                None | Some(b'\n') => return self.err("this string has no closing '\"' on its line"),
                Some(b'\r') if self.peek_at(1) == Some(b'\n') => return self.err("this string has no closing '\"' on its line"),
                Some(b'"') => {
                    self.i += 1;
                    return Ok(out);
                }
                Some(b'\\') => self.escape(&mut out)?,
                Some(b) => {
                    self.check_char(b)?;
                    self.push_char(&mut out);
                }
            }
        }
    }

    fn push_char(&mut self, out: &mut String) {
        let c = self.text[self.i..].chars().next().unwrap();
        out.push(c);
        self.i += c.len_utf8();
    }

    fn escape(&mut self, out: &mut String) -> Result<(), TomlError> {
        let at = self.i;
        self.i += 1;
        let c = match self.peek() {
            Some(b'b') => '\u{8}',
            Some(b't') => '\t',
            Some(b'n') => '\n',
            Some(b'f') => '\u{c}',
            Some(b'r') => '\r',
            Some(b'"') => '"',
            Some(b'\\') => '\\',
            Some(u @ b'u') | Some(u @ b'U') => {
                let n = if u == b'u' { 4 } else { 8 };
                let hex = self.text.get(self.i + 1..self.i + 1 + n).filter(|h| h.bytes().all(|b| b.is_ascii_hexdigit()));
                let code = hex.and_then(|h| u32::from_str_radix(h, 16).ok());
                match code.and_then(char::from_u32) {
                    Some(c) => {
                        self.i += 1 + n;
                        out.push(c);
                        return Ok(());
                    }
                    None => return Err(self.error_at(at, format!("\\{} needs {} hex digits naming a Unicode scalar value (not a surrogate)", u as char, n))),
                }
            }
            _ => return Err(self.error_at(at, format!("unknown escape \\{} ; TOML knows \\b \\t \\n \\f \\r \\\" \\\\ \\uXXXX \\UXXXXXXXX", self.text[self.i..].chars().next().map(String::from).unwrap_or_default()))),
        };
        self.i += 1;
        out.push(c);
        Ok(())
    }

    fn ml_basic_string(&mut self) -> Result<String, TomlError> {
        let open = self.i;
        self.i += 3;
        self.newline();
        let mut out = String::new();
        loop {
            match self.peek() {
                None => return Err(self.error_at(open, "this multi-line string has no closing \"\"\"")),
                Some(b'"') if self.starts_with(b"\"\"\"") => {
                    let mut n = 0;
                    while self.peek_at(n) == Some(b'"') {
                        n += 1;
                    }
                    if n > 5 {
                        self.i += 5;
                        return self.err("too many quotes after a multi-line string");
                    }
                    for _ in 3..n {
                        out.push('"');
                    }
                    self.i += n;
                    return Ok(out);
                }
                Some(b'\\') => {
                    let mut j = self.i + 1;
                    while matches!(self.s.get(j), Some(b' ') | Some(b'\t')) {
                        j += 1;
                    }
                    if matches!(self.s.get(j), Some(b'\n')) || (self.s.get(j) == Some(&b'\r') && self.s.get(j + 1) == Some(&b'\n')) {
                        self.i = j;
                        loop {
                            match self.peek() {
                                Some(b' ') | Some(b'\t') | Some(b'\n') => self.i += 1,
                                Some(b'\r') if self.peek_at(1) == Some(b'\n') => self.i += 2,
                                _ => break,
                            }
                        }
                    } else {
                        self.escape(&mut out)?;
                    }
                }
                Some(b'\n') => {
                    out.push('\n');
                    self.i += 1;
                }
                Some(b'\r') if self.peek_at(1) == Some(b'\n') => {
                    out.push_str("\r\n");
                    self.i += 2;
                }
                Some(b) => {
                    self.check_char(b)?;
                    self.push_char(&mut out);
                }
            }
        }
    }

    fn literal_string(&mut self) -> Result<String, TomlError> {
        self.i += 1;
        let start = self.i;
        loop {
            match self.peek() {
                None | Some(b'\n') => return self.err("this string has no closing \"'\" on its line"),
                Some(b'\r') if self.peek_at(1) == Some(b'\n') => return self.err("this string has no closing \"'\" on its line"),
                Some(b'\'') => {
                    self.i += 1;
                    return Ok(self.text[start..self.i - 1].to_string());
                }
                Some(b) => {
                    self.check_char(b)?;
                    self.i += 1;
                }
            }
        }
    }

    fn ml_literal_string(&mut self) -> Result<String, TomlError> {
        let open = self.i;
        self.i += 3;
        self.newline();
        let mut out = String::new();
        loop {
            match self.peek() {
                None => return Err(self.error_at(open, "this multi-line string has no closing '''")),
                Some(b'\'') if self.starts_with(b"'''") => {
                    let mut n = 0;
                    while self.peek_at(n) == Some(b'\'') {
                        n += 1;
                    }
                    if n > 5 {
                        self.i += 5;
                        return self.err("too many quotes after a multi-line string");
                    }
                    for _ in 3..n {
                        out.push('\'');
                    }
                    self.i += n;
                    return Ok(out);
                }
                Some(b'\n') => {
                    out.push('\n');
                    self.i += 1;
                }
                Some(b'\r') if self.peek_at(1) == Some(b'\n') => {
                    out.push_str("\r\n");
                    self.i += 2;
                }
                Some(b) => {
                    self.check_char(b)?;
                    self.push_char(&mut out);
                }
            }
        }
    }
}

/// Digits (by `digit`) with single underscores only between them; at least one digit.
fn underscored(text: &str, digit: impl Fn(char) -> bool) -> bool {
    !text.is_empty()
        && !text.starts_with('_')
        && !text.ends_with('_')
        && !text.contains("__")
        && text.chars().all(|c| c == '_' || digit(c))
}

/// The table a section's key/value pairs go into: the header's path, through the last table of
/// each array of tables on the way.
fn resolve<'t>(root: &'t mut Table, path: &[String]) -> &'t mut Table {
    let mut table = root;
    for segment in path {
        let p = table.position(segment).expect("a header's table exists");
        table = match &mut table.entries[p].1 {
            Node::Table(t) => t,
            Node::Tables(items) => items.last_mut().unwrap(),
            Node::Value(..) => unreachable!("a header never resolves to a value"),
        };
    }
    table
}

/// The canonical text of a TOML date-time literal (as [`parse`] gives it), or None if it is not one.
pub fn canonical_datetime(text: &str) -> Option<String> {
    let mut parser = Parser { s: text.as_bytes(), text, i: 0 };
    let out = parser.datetime().ok()?;
    if parser.i == text.len() {
        Some(out)
    } else {
        None
    }
}
