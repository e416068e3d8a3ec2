//! Key paths as Waterfall writes them (config-api's Key and KeySyntax): segments joined by '.', each
//! bare (ASCII letters, digits, '_', '-') or quoted as TOML quotes keys: `"cfg(unix)"` with TOML's
//! escapes, or `'cfg(unix)'` without. Every key has one written form: bare segments where they can
//! be, the others double-quoted, escaping '"', '\' and control characters. Only keys of bare segments
//! have an environment variable.

use crate::error::Error;

pub const MAX_LENGTH: usize = 256;
pub const RULE: &str = "a key is one or more segments joined by '.' (e.g. plant.default_name); a segment is ASCII letters, digits, '_' or '-', or any other text in quotes as TOML writes keys (target.\"cfg(unix)\".dependencies), at most 256 characters";

pub fn is_bare(segment: &str) -> bool {
    !segment.is_empty() && segment.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'_' || b == b'-')
}

/// One segment as written: itself when bare, else in double quotes with TOML's escapes.
pub fn segment_text(segment: &str) -> String {
    if is_bare(segment) {
        return segment.to_string();
    }
    let mut out = String::with_capacity(segment.len() + 2);
    out.push('"');
    for c in segment.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\u{8}' => out.push_str("\\b"),
            '\t' => out.push_str("\\t"),
            '\n' => out.push_str("\\n"),
            '\u{c}' => out.push_str("\\f"),
            '\r' => out.push_str("\\r"),
            c if (c as u32) < 0x20 || c as u32 == 0x7f => out.push_str(&format!("\\u{:04X}", c as u32)),
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

/// The written text of a key made of `segments`.
pub fn join<S: AsRef<str>>(segments: &[S]) -> String {
    segments.iter().map(|s| segment_text(s.as_ref())).collect::<Vec<_>>().join(".")
}

/// The written text of `segment` under the key text `prefix` ("" for the top level).
pub fn child(prefix: &str, segment: &str) -> String {
    if prefix.is_empty() { segment_text(segment) } else { format!("{}.{}", prefix, segment_text(segment)) }
}

fn fail<T>(text: &str, problem: String) -> Result<T, Error> {
    Err(Error::InvalidKey(format!("invalid key \"{}\": {}; {}", text, problem, RULE)))
}

/// The segments of a key's text (any spelling), or an error naming what is wrong.
pub fn segments(text: &str) -> Result<Vec<String>, Error> {
    let chars: Vec<char> = text.chars().collect();
    if chars.is_empty() {
        return fail(text, "the key is empty".into());
    }
    let (mut out, mut i, n) = (Vec::new(), 0usize, chars.len());
    loop {
        if i == n {
            return fail(text, "it ends with '.'".into());
        }
        let c = chars[i];
        if c == '"' || c == '\'' {
            let start = i;
            i += 1;
            let mut segment = String::new();
            let mut closed = false;
            while i < n {
                let d = chars[i];
                if d == c {
                    closed = true;
                    i += 1;
                    break;
                }
                if c == '"' && d == '\\' {
                    let e = if i + 1 < n { chars[i + 1] } else { '\0' };
                    let simple = match e { '"' => Some('"'), '\\' => Some('\\'), 'b' => Some('\u{8}'), 't' => Some('\t'), 'n' => Some('\n'), 'f' => Some('\u{c}'), 'r' => Some('\r'), _ => None };
                    if let Some(s) = simple {
                        segment.push(s);
                        i += 2;
                        continue;
                    }
                    if e == 'u' || e == 'U' {
                        let digits = if e == 'u' { 4 } else { 8 };
                        let hex: String = chars.iter().skip(i + 2).take(digits).collect();
                        let code = if hex.chars().count() == digits && hex.chars().all(|h| h.is_ascii_hexdigit()) { u32::from_str_radix(&hex, 16).ok() } else { None };
                        match code.and_then(char::from_u32) {
                            Some(ch) => segment.push(ch),
                            None => return fail(text, format!("the escape at position {} needs {} hex digits of a Unicode scalar value", i + 1, digits)),
                        }
                        i += 2 + digits;
                        continue;
                    }
                    return fail(text, format!("the escape \\{} at position {} is not one of TOML's", e, i + 1));
                }
                if ((d as u32) < 0x20 && d != '\t') || d as u32 == 0x7f {
                    return fail(text, format!("character U+{:04X} at position {} must be escaped inside quotes", d as u32, i + 1));
                }
                segment.push(d);
                i += 1;
            }
            if !closed {
                return fail(text, format!("the quote at position {} is not closed", start + 1));
            }
            out.push(segment);
            if i < n && chars[i] != '.' {
                return fail(text, format!("character '{}' at position {} follows a quoted segment; put a '.' between segments", chars[i], i + 1));
            }
        } else {
            let start = i;
            while i < n && chars[i] != '.' {
                let d = chars[i];
                if !(d.is_ascii_alphanumeric() || d == '_' || d == '-') {
                    return fail(text, format!("character '{}' at position {} is not allowed; quote the segment (\"...\") to use it", d, i + 1));
                }
                i += 1;
            }
            if i == start {
                return fail(text, if i == 0 { "it starts with '.'".into() } else { format!("it has an empty segment at position {}", i + 1) });
            }
            out.push(chars[start..i].iter().collect());
        }
        if i == n {
            return Ok(out);
        }
        i += 1;
    }
}

/// The written form of a key's text (any spelling), checked against the rule.
pub fn written(text: &str) -> Result<String, Error> {
    let result = join(&segments(text)?);
    if result.chars().count() > MAX_LENGTH {
        return fail(text, format!("it is {} characters long", result.chars().count()));
    }
    Ok(result)
}
