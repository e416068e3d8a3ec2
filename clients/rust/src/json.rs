//! Strict JSON (RFC 8259) as Waterfall reads and writes it: numbers keep their exact literal, object
//! members keep their order, and a broken document names the line and column Java's reader (Jackson)
//! names for it.

use std::fmt;

/// A JSON value. Numbers are their literal text (`1.50` stays `1.50`), since Java fingerprints
/// values by their literal; objects keep member order.
#[derive(Clone, Debug, PartialEq)]
pub enum Value {
    Null,
    Bool(bool),
    Number(String),
    String(String),
    Array(Vec<Value>),
    Object(Vec<(String, Value)>),
}

impl Value {
    /// The member `name` of an object.
    pub fn get(&self, name: &str) -> Option<&Value> {
        match self {
            Value::Object(members) => members.iter().find(|(n, _)| n == name).map(|(_, v)| v),
            _ => None,
        }
    }

    pub fn as_str(&self) -> Option<&str> {
        match self {
            Value::String(s) => Some(s),
            _ => None,
        }
    }

    pub fn as_i64(&self) -> Option<i64> {
        match self {
            Value::Number(n) => n.parse().ok(),
            _ => None,
        }
    }

    /// The type label Java gives the value (`string`, `number`, `boolean`, `null`, `array`, `table`).
    pub fn type_label(&self) -> &'static str {
        match self {
            Value::Null => "null",
            Value::Bool(_) => "boolean",
            Value::Number(_) => "number",
            Value::String(_) => "string",
            Value::Array(_) => "array",
            Value::Object(_) => "table",
        }
    }

    /// Compact JSON, escaped as Java's `JsonValues.appendString` escapes (non-ASCII kept).
    pub fn to_json(&self) -> String {
        let mut out = String::new();
        write(self, &mut out, None, 0, false);
        out
    }

    /// Compact JSON with every non-ASCII character escaped: the text Java's value fingerprints hash.
    pub fn to_ascii_json(&self) -> String {
        let mut out = String::new();
        write(self, &mut out, None, 0, true);
        out
    }

    /// Pretty JSON, indented by `indent`.
    pub fn to_pretty(&self, indent: &str) -> String {
        let mut out = String::new();
        write(self, &mut out, Some(indent), 0, false);
        out
    }
}

impl fmt::Display for Value {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.to_json())
    }
}

/// A document that is not valid JSON: why, and where (1-based line and column, in UTF-16 units).
#[derive(Clone, Debug, PartialEq)]
pub struct JsonError {
    pub reason: String,
    pub line: usize,
    pub column: usize,
}

impl fmt::Display for JsonError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{} (line {}, column {})", self.reason, self.line, self.column)
    }
}

/// Where each leaf of the top-level object tree is (dotted key -> line of its member name).
pub type Lines = Vec<(String, usize)>;

struct Parser<'a> {
    text: &'a str,
    bytes: &'a [u8],
    pos: usize,
}

impl<'a> Parser<'a> {
    fn fail<T>(&self, reason: String, pos: usize) -> Result<T, JsonError> {
        let before = &self.text[..pos.min(self.text.len())];
        let line = before.matches('\n').count() + 1;
        let start = before.rfind('\n').map(|i| i + 1).unwrap_or(0);
        let column = before[start..].chars().map(|c| c.len_utf16()).sum::<usize>() + 1;
        Err(JsonError { reason, line, column })
    }

    fn eof<T>(&self, what: &str) -> Result<T, JsonError> {
        self.fail(format!("unexpected end of input {} (the file is truncated or a bracket is missing)", what), self.text.len())
    }

    fn skip(&mut self) {
        while self.pos < self.bytes.len() && matches!(self.bytes[self.pos], b' ' | b'\t' | b'\n' | b'\r') {
            self.pos += 1;
        }
    }

    fn peek_char(&self) -> char {
        self.text[self.pos..].chars().next().unwrap_or('\0')
    }

    fn value(&mut self, depth: usize, lines: &mut Option<&mut Lines>, path: Option<&str>) -> Result<Value, JsonError> {
        self.skip();
        if self.pos >= self.bytes.len() {
            return self.eof("where a value should be");
        }
        if depth > 1000 {
            return self.fail("nested deeper than 1000 levels".into(), self.pos);
        }
        match self.bytes[self.pos] {
            b'{' => self.object(depth + 1, lines, path),
            b'[' => self.array(depth + 1),
            b'"' => Ok(Value::String(self.string()?)),
            b'-' | b'0'..=b'9' => self.number(),
            _ => {
                for (word, value) in [("true", Value::Bool(true)), ("false", Value::Bool(false)), ("null", Value::Null)] {
                    if self.text[self.pos..].starts_with(word) {
                        let end = self.pos + word.len();
                        let next = self.text[end..].chars().next();
                        if !matches!(next, Some(c) if c.is_alphanumeric() || c == '_' || c == '$') {
                            self.pos = end;
                            return Ok(value);
                        }
                    }
                }
                let mut end = self.pos;
                for c in self.text[self.pos..].chars() {
                    if c.is_alphanumeric() || c == '_' || c == '$' {
                        end += c.len_utf8();
                    } else {
                        break;
                    }
                }
                if end == self.pos {
                    end += self.peek_char().len_utf8();
                }
                let word = &self.text[self.pos..end];
                if word == "NaN" || word == "Infinity" {
                    return self.fail(format!("'{}' is not JSON: JSON has no infinities or NaN", word), end);
                }
                self.fail(format!("unrecognized token '{}': expected a string, number, array, object, true, false or null", word), self.pos)
            }
        }
    }

    fn number(&mut self) -> Result<Value, JsonError> {
        let b = self.bytes;
        let start = self.pos;
        let mut i = if b[start] == b'-' { start + 1 } else { start };
        if i >= b.len() || !b[i].is_ascii_digit() {
            return self.fail("a minus sign must be followed by a digit".into(), i);
        }
        if b[i] == b'0' && i + 1 < b.len() && b[i + 1].is_ascii_digit() {
            return self.fail("invalid number: leading zeroes are not allowed".into(), i + 1);
        }
        while i < b.len() && b[i].is_ascii_digit() {
            i += 1;
        }
        if i < b.len() && b[i] == b'.' {
            if i + 1 < b.len() && b[i + 1].is_ascii_digit() {
                i += 1;
                while i < b.len() && b[i].is_ascii_digit() {
                    i += 1;
                }
            } else {
                return self.fail("invalid number: a decimal point or exponent must be followed by a digit".into(), i);
            }
        }
        if i < b.len() && (b[i] == b'e' || b[i] == b'E') {
            let mut j = i + 1;
            if j < b.len() && (b[j] == b'+' || b[j] == b'-') {
                j += 1;
            }
            if j < b.len() && b[j].is_ascii_digit() {
                while j < b.len() && b[j].is_ascii_digit() {
                    j += 1;
                }
                i = j;
            } else {
                return self.fail("invalid number: a decimal point or exponent must be followed by a digit".into(), i);
            }
        }
        self.pos = i;
        Ok(Value::Number(self.text[start..i].to_string()))
    }

    fn object(&mut self, depth: usize, lines: &mut Option<&mut Lines>, path: Option<&str>) -> Result<Value, JsonError> {
        self.pos += 1;
        let mut members: Vec<(String, Value)> = Vec::new();
        self.skip();
        if self.pos < self.bytes.len() && self.bytes[self.pos] == b'}' {
            self.pos += 1;
            return Ok(Value::Object(members));
        }
        loop {
            self.skip();
            if self.pos >= self.bytes.len() {
                return self.eof("inside an object");
            }
            if self.bytes[self.pos] != b'"' {
                return self.fail(format!("unexpected character '{}': expected a member name in double quotes \
                    (a trailing comma before '}}', or a member name without quotes?)", self.peek_char()), self.pos);
            }
            let name_pos = self.pos;
            let name = self.string()?;
            if members.iter().any(|(n, _)| *n == name) {
                return self.fail(format!("duplicate member \"{}\" (a member appears twice in one object; keep one)", name), self.pos);
            }
            self.skip();
            if self.pos >= self.bytes.len() {
                return self.eof("inside an object");
            }
            if self.bytes[self.pos] != b':' {
                return self.fail(format!("unexpected character '{}': expected ':' after a member name", self.peek_char()), self.pos);
            }
            self.pos += 1;
            // Any member name is a key segment, quoted in the key's text when it is not bare (crate::keys).
            let child = path.map(|p| crate::keys::child(p, &name));
            let item = self.value(depth, lines, child.as_deref())?;
            if let (Some(lines), Some(child)) = (lines.as_mut(), child.as_ref()) {
                if !matches!(item, Value::Object(_)) {
                    let line = self.text[..name_pos].matches('\n').count() + 1;
                    lines.push((child.clone(), line));
                }
            }
            members.push((name, item));
            self.skip();
            if self.pos >= self.bytes.len() {
                return self.eof("inside an object");
            }
            match self.bytes[self.pos] {
                b'}' => {
                    self.pos += 1;
                    return Ok(Value::Object(members));
                }
                b',' => self.pos += 1,
                _ => {
                    return self.fail(format!("unexpected character '{}': expected ',' or '}}' after a member (a comma missing?)",
                        self.peek_char()), self.pos)
                }
            }
        }
    }

    fn array(&mut self, depth: usize) -> Result<Value, JsonError> {
        self.pos += 1;
        let mut items = Vec::new();
        self.skip();
        if self.pos < self.bytes.len() && self.bytes[self.pos] == b']' {
            self.pos += 1;
            return Ok(Value::Array(items));
        }
        loop {
            self.skip();
            if self.pos < self.bytes.len() && (self.bytes[self.pos] == b',' || self.bytes[self.pos] == b']') {
                return self.fail(format!("unexpected character '{}': expected a value (a trailing comma before ']'?)", self.peek_char()), self.pos);
            }
            items.push(self.value(depth, &mut None, None)?);
            self.skip();
            if self.pos >= self.bytes.len() {
                return self.eof("inside an array");
            }
            match self.bytes[self.pos] {
                b']' => {
                    self.pos += 1;
                    return Ok(Value::Array(items));
                }
                b',' => self.pos += 1,
                _ => {
                    return self.fail(format!("unexpected character '{}': expected ',' or ']' after an array item (a comma missing?)",
                        self.peek_char()), self.pos)
                }
            }
        }
    }

    fn string(&mut self) -> Result<String, JsonError> {
        self.pos += 1;
        let mut units: Vec<u16> = Vec::new();
        let mut out = String::new();
        loop {
            if self.pos >= self.bytes.len() {
                return self.eof("inside a string");
            }
            let c = self.peek_char();
            match c {
                '"' => {
                    self.pos += 1;
                    flush_units(&mut units, &mut out);
                    return Ok(out);
                }
                '\\' => {
                    if self.pos + 1 >= self.bytes.len() {
                        return self.eof("inside a string");
                    }
                    let e = self.bytes[self.pos + 1];
                    let simple = match e {
                        b'"' => Some('"'),
                        b'\\' => Some('\\'),
                        b'/' => Some('/'),
                        b'b' => Some('\u{8}'),
                        b'f' => Some('\u{c}'),
                        b'n' => Some('\n'),
                        b'r' => Some('\r'),
                        b't' => Some('\t'),
                        _ => None,
                    };
                    if let Some(ch) = simple {
                        flush_units(&mut units, &mut out);
                        out.push(ch);
                        self.pos += 2;
                    } else if e == b'u' {
                        let digits = &self.bytes[self.pos + 2..(self.pos + 6).min(self.bytes.len())];
                        if let Some(bad) = digits.iter().position(|d| !d.is_ascii_hexdigit()) {
                            return self.fail("invalid \\u escape: expected 4 hexadecimal digits".into(), self.pos + 2 + bad);
                        }
                        if digits.len() < 4 {
                            return self.eof("inside a string");
                        }
                        let unit = u16::from_str_radix(std::str::from_utf8(digits).unwrap(), 16).unwrap();
                        units.push(unit);
                        self.pos += 6;
                    } else {
                        let ch = self.text[self.pos + 1..].chars().next().unwrap();
                        return self.fail(format!("unrecognized escape '\\{}' in a string", ch), self.pos + 1);
                    }
                }
                c if (c as u32) < 0x20 => {
                    return self.fail(format!("control character U+{:04X} in a string: write it as an escape (\\n, \\t, \\u00XX)", c as u32), self.pos);
                }
                c => {
                    flush_units(&mut units, &mut out);
                    out.push(c);
                    self.pos += c.len_utf8();
                }
            }
        }
    }
}

/// Escaped UTF-16 units (surrogate pairs included) as characters; a lone surrogate becomes U+FFFD.
fn flush_units(units: &mut Vec<u16>, out: &mut String) {
    if !units.is_empty() {
        out.extend(std::char::decode_utf16(units.drain(..)).map(|r| r.unwrap_or('\u{FFFD}')));
    }
}

/// Parses one JSON document.
pub fn parse(text: &str) -> Result<Value, JsonError> {
    parse_with(text, None, false)
}

/// Parses a document; with `lines`, records the line of every leaf of the top-level object tree;
/// with `keys`, walks that tree as key paths (any member name is a segment: crate::keys).
pub fn parse_with(text: &str, mut lines: Option<&mut Lines>, keys: bool) -> Result<Value, JsonError> {
    let mut parser = Parser { text, bytes: text.as_bytes(), pos: 0 };
    parser.skip();
    if parser.pos >= text.len() {
        return parser.fail("the document holds only whitespace".into(), parser.pos);
    }
    let tree = if lines.is_some() || keys { Some("") } else { None };
    let value = parser.value(0, &mut lines, tree)?;
    parser.skip();
    if parser.pos < text.len() {
        return parser.fail(format!("unexpected '{}' after the end of the document; remove it", parser.peek_char()), parser.pos);
    }
    Ok(value)
}

fn write_string(text: &str, ascii: bool, out: &mut String) {
    out.push('"');
    for c in text.chars() {
        let o = c as u32;
        if (0x20..0x7f).contains(&o) && c != '"' && c != '\\' || o > 0x7f && !ascii && o != 0x2028 && o != 0x2029 {
            out.push(c);
            continue;
        }
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push_str("\\t"),
            '\u{8}' => out.push_str("\\b"),
            '\u{c}' => out.push_str("\\f"),
            _ => {
                let mut buf = [0u16; 2];
                for unit in c.encode_utf16(&mut buf) {
                    out.push_str(&format!("\\u{:04x}", unit));
                }
            }
        }
    }
    out.push('"');
}

fn newline(out: &mut String, indent: Option<&str>, level: usize) {
    if let Some(unit) = indent {
        out.push('\n');
        for _ in 0..level {
            out.push_str(unit);
        }
    }
}

fn write(value: &Value, out: &mut String, indent: Option<&str>, level: usize, ascii: bool) {
    match value {
        Value::Null => out.push_str("null"),
        Value::Bool(b) => out.push_str(if *b { "true" } else { "false" }),
        Value::Number(n) => out.push_str(n),
        Value::String(s) => write_string(s, ascii, out),
        Value::Array(items) => {
            if items.is_empty() {
                out.push_str("[]");
                return;
            }
            out.push('[');
            for (i, item) in items.iter().enumerate() {
                if i > 0 {
                    out.push(',');
                }
                newline(out, indent, level + 1);
                write(item, out, indent, level + 1, ascii);
            }
            newline(out, indent, level);
            out.push(']');
        }
        Value::Object(members) => {
            if members.is_empty() {
                out.push_str("{}");
                return;
            }
            out.push('{');
            for (i, (name, item)) in members.iter().enumerate() {
                if i > 0 {
                    out.push(',');
                }
                newline(out, indent, level + 1);
                write_string(name, ascii, out);
                out.push_str(if indent.is_some() { ": " } else { ":" });
                write(item, out, indent, level + 1, ascii);
            }
            newline(out, indent, level);
            out.push('}');
        }
    }
}

/// A value given as text (`set`, environment variables): JSON if it is one JSON value, otherwise
/// the text as a string, as Java's `JsonValues.parseLiteral` reads it.
pub fn parse_literal(text: &str) -> Result<Value, String> {
    let trimmed = text.trim_matches(|c: char| c.is_whitespace());
    if trimmed.is_empty() {
        return Ok(Value::String(text.to_string()));
    }
    let first = trimmed.chars().next().unwrap();
    let looks = "\"[{-".contains(first) || first.is_ascii_digit() || trimmed == "true" || trimmed == "false" || trimmed == "null";
    if !looks {
        return Ok(Value::String(text.to_string()));
    }
    match parse(trimmed) {
        Ok(v) => Ok(v),
        Err(e) if "\"[{".contains(first) => Err(format!("\"{}\" starts like JSON but is not valid JSON ({}); fix it, or pass it as a plain string", text, e)),
        Err(_) => Ok(Value::String(text.to_string())),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn numbers_and_strings_round_trip_exactly() {
        let text = r#"{"a":[1.50,6.02e23,-0,123456789012345678901234567890,"\u00e9\ud83d\ude00\t\"\\\u007f\u2028",null,true,{}]}"#;
        let value = parse(text).unwrap();
        assert_eq!(value.to_ascii_json(), text.replace("\\u00e9", "\\u00e9"));
        assert_eq!(parse(&value.to_json()).unwrap(), value);
        assert_eq!(parse(&value.to_pretty("  ")).unwrap(), value);
    }

    #[test]
    fn errors_name_jacksons_line_and_column() {
        let cases: [(&str, (usize, usize)); 11] = [
            ("{\n  \"a\": 1,\n  \"b\": 2,\n}\n", (4, 1)),
            ("{\n  \"a\": 1\n  \"b\": 2\n}\n", (3, 3)),
            ("{\n  \"a\": tru\n}\n", (2, 8)),
            ("{\n  \"a\": \"x\n", (2, 10)),
            ("{\n  \"a\": [1, 2,]\n}\n", (2, 14)),
            ("{\n  \"a\": 01\n}\n", (2, 9)),
            ("{\"a\": 1} x", (1, 10)),
            ("{\n  \"a\" 1\n}", (2, 7)),
            ("{\n  \"a\": \"\\q\"\n}", (2, 10)),
            ("{\n  \"a\": 1,\n  \"a\": 2\n}", (3, 6)),
            ("{\n  \"a\": {\n", (3, 1)),
        ];
        for (text, (line, column)) in cases {
            let e = parse(text).unwrap_err();
            assert_eq!((e.line, e.column), (line, column), "{:?}: {}", text, e);
        }
    }

    #[test]
    fn literals_are_read_like_javas() {
        assert_eq!(parse_literal("8080").unwrap(), Value::Number("8080".into()));
        assert_eq!(parse_literal("007").unwrap(), Value::String("007".into()));
        assert_eq!(parse_literal("Basil").unwrap(), Value::String("Basil".into()));
        assert!(parse_literal("[1,").is_err());
    }
}
