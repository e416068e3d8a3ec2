//! TOML's own compliance suite, toml-test (its TOML 1.0 cases, listed in `files-toml-1.0.0`, kept with
//! their MIT licence under backend-toml's test resources, where the Java store passes the same cases):
//! every valid case reads exactly its expected values, every invalid one is refused with a line and
//! a column. No case is excused.

use std::path::{Path, PathBuf};

use waterfall_config::json::{self, Value};
use waterfall_config::toml;

fn suite() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../../backend-toml/src/test/resources/toml-test")
}

fn cases() -> Vec<String> {
    let list = std::fs::read_to_string(suite().join("files-toml-1.0.0")).expect("toml-test's list of TOML 1.0 files");
    list.lines().filter(|l| l.ends_with(".toml")).map(|l| l.trim_end_matches(".toml").to_string()).collect()
}

fn member<'v>(value: &'v Value, name: &str) -> Option<&'v str> {
    value.get(name).and_then(Value::as_str)
}

/// Whether `actual` (as the reader gives it) is what toml-test's tagged JSON `expected` says.
fn same(expected: &Value, actual: &Value) -> Result<(), String> {
    if let Value::Object(members) = expected {
        let tagged = members.len() == 2 && member(expected, "type").is_some() && member(expected, "value").is_some();
        if tagged {
            let (kind, text) = (member(expected, "type").unwrap(), member(expected, "value").unwrap());
            let ok = match (kind, actual) {
                ("string", Value::String(s)) => s == text,
                ("integer", Value::Number(n)) => n.parse::<i64>().ok() == text.parse::<i64>().ok() && !n.contains('.'),
                ("float", Value::Number(n)) => {
                    let (a, e) = (n.parse::<f64>().unwrap_or(f64::NAN), text.replace("+", "").parse::<f64>().unwrap());
                    (a.is_nan() && e.is_nan() && n == "nan") || a == e
                }
                ("bool", Value::Bool(b)) => text == if *b { "true" } else { "false" },
                ("datetime" | "datetime-local" | "date-local" | "time-local", Value::String(s)) => {
                    toml::canonical_datetime(text).as_deref() == Some(s.as_str())
                }
                _ => false,
            };
            return if ok { Ok(()) } else { Err(format!("expected {} {:?}, read {}", kind, text, actual.to_json())) };
        }
        let read = match actual {
            Value::Object(read) => read,
            _ => return Err(format!("expected a table, read {}", actual.to_json())),
        };
        if read.len() != members.len() {
            return Err(format!("expected keys {:?}, read {:?}", members.iter().map(|m| &m.0).collect::<Vec<_>>(), read.iter().map(|m| &m.0).collect::<Vec<_>>()));
        }
        for (name, value) in members {
            let found = actual.get(name).ok_or_else(|| format!("missing key {:?}", name))?;
            same(value, found).map_err(|e| format!("{}: {}", name, e))?;
        }
        return Ok(());
    }
    if let (Value::Array(items), Value::Array(read)) = (expected, actual) {
        if items.len() != read.len() {
            return Err(format!("expected {} items, read {}", items.len(), read.len()));
        }
        for (i, (e, a)) in items.iter().zip(read).enumerate() {
            same(e, a).map_err(|m| format!("[{}]: {}", i, m))?;
        }
        return Ok(());
    }
    Err(format!("expected {}, read {}", expected.to_json(), actual.to_json()))
}

#[test]
fn every_valid_toml_1_0_case_reads_exactly_its_expected_values() {
    let mut failures = Vec::new();
    let mut read = 0;
    for name in cases().into_iter().filter(|c| c.starts_with("valid/")) {
        let bytes = std::fs::read(suite().join(format!("{}.toml", name))).unwrap();
        let expected = json::parse(&std::fs::read_to_string(suite().join(format!("{}.json", name))).unwrap()).unwrap();
        let text = match String::from_utf8(bytes) {
            Ok(t) => t,
            Err(e) => {
                failures.push(format!("{}: not UTF-8: {}", name, e));
                continue;
            }
        };
        match toml::parse(&text) {
            Ok(document) => match same(&expected, &document.tree) {
                Ok(()) => read += 1,
                Err(e) => failures.push(format!("{}: {}", name, e)),
            },
            Err(e) => failures.push(format!("{}: refused at {}:{}: {}", name, e.line, e.column, e.reason)),
        }
    }
    assert!(failures.is_empty(), "{} valid cases read wrong:\n{}", failures.len(), failures.join("\n"));
    assert!(read > 200, "the suite has its cases ({} read)", read);
}

#[test]
fn every_invalid_toml_1_0_case_is_refused_with_a_line_and_column() {
    let mut accepted = Vec::new();
    let mut refused = 0;
    for name in cases().into_iter().filter(|c| c.starts_with("invalid/")) {
        let bytes = std::fs::read(suite().join(format!("{}.toml", name))).unwrap();
        let text = match String::from_utf8(bytes) {
            Ok(text) => text,
            Err(_) => {
                refused += 1; // the store refuses bytes that are not UTF-8 before parsing, with their line and column
                continue;
            }
        };
        match toml::parse(&text) {
            Ok(document) => accepted.push(format!("{}: read {}", name, document.tree.to_json())),
            Err(e) => {
                assert!(e.line >= 1 && e.column >= 1 && !e.reason.is_empty(), "{}: {:?}", name, e);
                refused += 1;
            }
        }
    }
    assert!(accepted.is_empty(), "{} invalid cases accepted:\n{}", accepted.len(), accepted.join("\n"));
    assert!(refused > 400, "the suite has its cases ({} refused)", refused);
}

#[test]
fn keys_carry_the_line_that_sets_them_and_floats_keep_their_literal() {
    let text = "# top\nname = \"x\"\n\n[server]\nport = 8_080\nratio = +1.50\nhost.name = 'h' # dotted\n\n[[jobs]]\nid = 1\n[[jobs]]\nid = 0x10\n";
    let document = toml::parse(text).unwrap();
    let lines: Vec<(&str, usize)> = document.lines.iter().map(|(k, l)| (k.as_str(), *l)).collect();
    assert_eq!(lines, vec![("name", 2), ("server.port", 5), ("server.ratio", 6), ("server.host.name", 7)]);
    assert_eq!(document.tree.to_json(), r#"{"name":"x","server":{"port":8080,"ratio":1.50,"host":{"name":"h"}},"jobs":[{"id":1},{"id":16}]}"#);
}

#[test]
fn a_broken_document_names_the_line_and_column_of_the_mistake() {
    // The places Java's TOML store names for these (checked across languages by cli's CrossLanguageJarTest).
    for (text, line, column) in [
        ("a = 1\nb = \n", 2, 5),
        ("a = 1\nb = tru\n", 2, 5),
        ("[a]\nx = 1\n[a]\n", 3, 1),
        ("a = 1\na = 2\n", 2, 1),
        ("a = \"open\nb = 1\n", 1, 10),
        ("a = 2026-02-30\n", 1, 13),
        ("é = 1\n", 1, 1),
        ("a = [1, 2\nb = 3\n", 1, 10),
        ("a = {x = 1,}\n", 1, 11),
        ("[server\nport = 1\n", 1, 8),
        ("port = 08080\n", 1, 8),
        ("a.b = 1\n[a]\n", 2, 1),
    ] {
        let e = match toml::parse(text) {
            Ok(document) => panic!("{:?} read as {}", text, document.tree.to_json()),
            Err(e) => e,
        };
        assert_eq!((e.line, e.column), (line, column), "{:?}: {}", text, e.reason);
    }
}
