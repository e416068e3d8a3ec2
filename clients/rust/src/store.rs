//! Waterfall's JSON and NDJSON stores, read and written with the Java library's formats, lock and
//! history, so a Rust write shows in `waterfall history` as `by rust user@host pid N`.

use std::collections::{BTreeMap, BTreeSet};
use std::fs;
use std::io::{self, Write};
use std::os::unix::fs::{MetadataExt, OpenOptionsExt};
use std::path::{Path, PathBuf};

use crate::error::Error;
use crate::json::{self, Value};
use crate::{files, lock, sha256, toml};

/// Any revision: no compare-and-set.
pub const ANY: i64 = -1;
/// Only if the key is absent.
pub const ABSENT: i64 = 0;

/// Who writes: surface, user, host and pid, as Java records them.
#[derive(Clone, Debug, PartialEq)]
pub struct Actor {
    pub surface: String,
    pub user: String,
    pub host: String,
    pub pid: u32,
}

impl Actor {
    /// This process, read as Java's ProcessIdentity reads it: USER/USERNAME/LOGNAME, HOSTNAME/COMPUTERNAME, /etc/hostname.
    pub fn current(surface: &str, env: &BTreeMap<String, String>) -> Actor {
        let first = |names: &[&str]| names.iter().filter_map(|n| env.get(*n)).map(|v| v.trim().to_string()).find(|v| !v.is_empty());
        let user = first(&["USER", "USERNAME", "LOGNAME"]).or_else(passwd_user).unwrap_or_else(|| "unknown".into());
        let host = first(&["HOSTNAME", "COMPUTERNAME"]).unwrap_or_else(|| {
            fs::read_to_string("/etc/hostname").map(|h| h.trim().to_string()).ok().filter(|h| !h.is_empty()).unwrap_or_else(|| "localhost".into())
        });
        Actor { surface: surface.into(), user, host, pid: std::process::id() }
    }

    fn to_json(&self) -> String {
        Value::Object(vec![
            ("surface".into(), Value::String(self.surface.clone())),
            ("user".into(), Value::String(self.user.clone())),
            ("host".into(), Value::String(self.host.clone())),
            ("pid".into(), Value::Number(self.pid.to_string())),
        ])
        .to_json()
    }
}

extern "C" {
    fn getuid() -> u32;
}

/// This process's user name from /etc/passwd, as Java's user.name has it when no variable says.
fn passwd_user() -> Option<String> {
    let uid = unsafe { getuid() }.to_string();
    let passwd = fs::read_to_string("/etc/passwd").ok()?;
    passwd.lines().map(|l| l.split(':').collect::<Vec<_>>()).find(|f| f.len() > 2 && f[2] == uid).map(|f| f[0].to_string())
}

/// A stored value with the revision of the change that last set it and its line in the file (0 if none).
#[derive(Clone, Debug, PartialEq)]
pub struct Entry {
    pub key: String,
    pub value: Value,
    pub revision: i64,
    pub line: usize,
}

/// One change of a write; `expected` is the compare-and-set revision (ANY, ABSENT or a revision).
#[derive(Clone, Debug)]
pub struct Change {
    pub key: String,
    pub value: Option<Value>,
    pub expected: i64,
}

impl Change {
    pub fn set(key: &str, value: Value) -> Change {
        Change { key: key.into(), value: Some(value), expected: ANY }
    }
    pub fn unset(key: &str) -> Change {
        Change { key: key.into(), value: None, expected: ANY }
    }
    pub fn if_revision(mut self, revision: i64) -> Change {
        self.expected = revision;
        self
    }
}

/// The key rule (crate::keys): the key as Waterfall writes it (`target.'cfg(unix)'` becomes
/// `target."cfg(unix)"`), or an error naming what is wrong.
pub fn check_key(key: &str) -> Result<String, Error> {
    crate::keys::written(key)
}

/// Java's Hashes.valueHash: the first 8 bytes of SHA-256 over `<type label>:<ASCII-only JSON>`, in hex.
pub fn value_hash(value: &Value) -> String {
    let text = format!("{}:{}", value.type_label(), value.to_ascii_json());
    sha256::hex(text.as_bytes())[..16].to_string()
}

fn looks_secret(key: &str) -> bool {
    let segments = crate::keys::segments(key).unwrap_or_else(|_| vec![key.to_string()]);
    let name = segments.last().map(String::as_str).unwrap_or(key);
    let mut words: Vec<String> = Vec::new();
    let mut current = String::new();
    for c in name.chars() {
        if c == '_' || c == '-' {
            if !current.is_empty() {
                words.push(std::mem::take(&mut current));
            }
            continue;
        }
        if c.is_ascii_uppercase() && current.chars().last().map_or(false, |p| p.is_ascii_lowercase() || p.is_ascii_digit()) {
            words.push(std::mem::take(&mut current));
        }
        current.push(c.to_ascii_lowercase());
    }
    if !current.is_empty() {
        words.push(current);
    }
    let last = match words.last() {
        Some(w) => w.as_str(),
        None => return false,
    };
    if ["password", "passwd", "passphrase", "secret", "token", "apikey", "credential", "credentials"].contains(&last) {
        return true;
    }
    last == "key" && words.len() >= 2 && ["api", "private", "access", "secret", "signing", "encryption"].contains(&words[words.len() - 2].as_str())
}

fn check_plaintext(change: &Change, location: &str) -> Result<(), Error> {
    if let Some(value) = &change.value {
        let reference = matches!(value, Value::String(s) if s.starts_with("${secret:") && s.ends_with('}'));
        if looks_secret(&change.key) && !reference {
            return Err(Error::InvalidValue(format!("{} looks like a secret, and {} is plain text: give it through the environment or keep it in a database store, or store a reference such as \"${{secret:{}}}\"", change.key, location, change.key)));
        }
    }
    Ok(())
}

fn check_leaf(keys: &BTreeSet<String>, key: &str) -> Result<(), Error> {
    let parts = crate::keys::segments(key)?;
    for i in 1..parts.len() {
        let parent = crate::keys::join(&parts[..i]);
        if keys.contains(&parent) {
            return Err(Error::KeyConflict(format!("cannot set {}: {} holds a value; unset {} first", key, parent, parent)));
        }
    }
    let prefix = format!("{}.", key);
    if let Some(other) = keys.range(prefix.clone()..).next().filter(|k| k.starts_with(&prefix)) {
        return Err(Error::KeyConflict(format!("cannot set {}: it is a table holding {}; unset the keys under it first", key, other)));
    }
    Ok(())
}

fn flatten(tree: &Value, prefix: &str, out: &mut BTreeMap<String, Value>) {
    if let Value::Object(members) = tree {
        for (name, value) in members {
            let key = crate::keys::child(prefix, name);
            if let Value::Object(_) = value {
                flatten(value, &key, out);
            } else {
                out.insert(key, value.clone());
            }
        }
    }
}

fn edit_tree(tree: &mut Value, path: &[&str], value: Option<&Value>) {
    let members = match tree {
        Value::Object(m) => m,
        _ => return,
    };
    if path.len() == 1 {
        match value {
            Some(v) => match members.iter_mut().find(|(n, _)| n == path[0]) {
                Some(slot) => slot.1 = v.clone(),
                None => members.push((path[0].to_string(), v.clone())),
            },
            None => members.retain(|(n, _)| n != path[0]),
        }
        return;
    }
    if !members.iter().any(|(n, v)| n == path[0] && matches!(v, Value::Object(_))) {
        if value.is_none() {
            return;
        }
        members.retain(|(n, _)| n != path[0]);
        members.push((path[0].to_string(), Value::Object(Vec::new())));
    }
    let child = &mut members.iter_mut().find(|(n, _)| n == path[0]).unwrap().1;
    edit_tree(child, &path[1..], value);
    if value.is_none() && matches!(child, Value::Object(m) if m.is_empty()) {
        members.retain(|(n, _)| n != path[0]);
    }
}

/// A JSON or TOML-free file store's bytes as a tree, or a broken-store error naming file:line:col.
pub fn parse_json_document(data: &[u8], source: &str, lines: Option<&mut json::Lines>) -> Result<Value, Error> {
    let broken = |line: usize, column: usize, reason: String| Error::Broken { source: source.into(), line, column, reason };
    if data.is_empty() {
        return Err(broken(1, 1, "the file is empty; a JSON store is an object: write {} into it or delete the file".into()));
    }
    if data.starts_with(&[0xEF, 0xBB, 0xBF]) {
        return Err(broken(1, 1, "the file starts with a UTF-8 byte order mark (EF BB BF), which JSON does not allow; save it as UTF-8 without BOM".into()));
    }
    let text = std::str::from_utf8(data).map_err(|e| {
        let at = e.valid_up_to();
        let line = data[..at].iter().filter(|b| **b == b'\n').count() + 1;
        let start = data[..at].iter().rposition(|b| *b == b'\n').map(|i| i + 1).unwrap_or(0);
        let column = String::from_utf8_lossy(&data[start..at]).chars().map(|c| c.len_utf16()).sum::<usize>() + 1;
        broken(line, column, format!("invalid UTF-8 (byte 0x{:02X} at offset {}); the file must be UTF-8: re-save it as UTF-8", data[at], at))
    })?;
    let tree = json::parse_with(text, lines, true).map_err(|e| {
        broken(e.line, e.column, format!("not valid JSON: {}; nothing was changed and no write will replace the file: fix it by hand, or run `waterfall backups restore`", e.reason))
    })?;
    if !matches!(tree, Value::Object(_)) {
        return Err(broken(1, 1, "the top level must be a JSON object ({...})".into()));
    }
    Ok(tree)
}

/// A TOML store's or layer file's bytes as a tree (dates as their ISO-8601 text) and the line of each
/// key, or a broken-store error naming file:line:col; a key that breaks the key rule is refused
/// with its line, as Java refuses it.
pub fn parse_toml_document(data: &[u8], source: &str, lines: &mut json::Lines) -> Result<Value, Error> {
    let broken = |line: usize, column: usize, reason: String| Error::Broken { source: source.into(), line, column, reason };
    let text = std::str::from_utf8(data).map_err(|e| {
        let at = e.valid_up_to();
        let line = data[..at].iter().filter(|b| **b == b'\n').count() + 1;
        let start = data[..at].iter().rposition(|b| *b == b'\n').map(|i| i + 1).unwrap_or(0);
        let column = String::from_utf8_lossy(&data[start..at]).chars().count() + 1;
        broken(line, column, format!("invalid UTF-8 (byte 0x{:02X} at offset {}); the file must be UTF-8: re-save it as UTF-8", data[at], at))
    })?;
    let document = toml::parse(text).map_err(|e| {
        broken(e.line, e.column, format!("not valid TOML 1.0: {}; nothing was changed and no write will replace the file: fix it by hand, or run `waterfall backups restore`", e.reason))
    })?;
    let mut keys = Vec::new();
    let mut sets = BTreeMap::new();
    toml_keys(&document.tree, &mut Vec::new(), &mut keys);
    for (key, line) in &document.lines {
        sets.insert(key.clone(), *line);
    }
    for segments in keys {
        if segments.iter().any(|s| s.is_empty() || !s.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'_' || b == b'-')) {
            let shown: Vec<String> = segments.iter().map(|s| if s.is_empty() || s.contains(|c: char| !c.is_ascii_alphanumeric() && c != '_' && c != '-') { format!("{:?}", s) } else { s.clone() }).collect();
            let line = document.lines.iter().find(|(k, _)| k.split('.').count() >= segments.len() && k.starts_with(&segments.join("."))).map(|(_, l)| *l).unwrap_or(1);
            return Err(broken(line, 1, format!("the key {} cannot be a Waterfall key (segments of ASCII letters, digits, '_' and '-'); rename it", shown.join("."))));
        }
    }
    lines.extend(document.lines);
    Ok(document.tree)
}

/// The segment paths of every table and leaf outside arrays.
fn toml_keys(tree: &Value, path: &mut Vec<String>, out: &mut Vec<Vec<String>>) {
    if let Value::Object(members) = tree {
        for (name, value) in members {
            path.push(name.clone());
            out.push(path.clone());
            toml_keys(value, path, out);
            path.pop();
        }
    }
}

/// The history as recorded: store revision, the SHA-256 of the file the last recorded write made,
/// and per key (revision, value hash).
#[derive(Default, Clone)]
struct Recorded {
    revision: i64,
    commit_sha: String,
    entries: BTreeMap<String, (i64, String)>,
}

fn num(v: Option<&Value>) -> i64 {
    v.and_then(|v| v.as_i64()).unwrap_or(0)
}

/// A Waterfall store this crate reads and writes: `json:PATH` or `ndjson:PATH`.
pub struct Store {
    pub path: PathBuf,
    pub format: Format,
    pub actor: Actor,
}

#[derive(Clone, Copy, Debug, PartialEq)]
pub enum Format {
    Json,
    Ndjson,
    /// Read only: the history and revisions are Java's, the values come from the TOML file.
    Toml,
}

fn sibling(path: &Path, suffix: &str) -> PathBuf {
    let mut name = path.as_os_str().to_owned();
    name.push(suffix);
    PathBuf::from(name)
}

impl Store {
    pub fn new(path: PathBuf, format: Format, actor: Actor) -> Store {
        Store { path, format, actor }
    }

    /// The store's URI as Java prints it (`json:/path`).
    pub fn location(&self) -> String {
        let scheme = match self.format {
            Format::Json => "json",
            Format::Ndjson => "ndjson",
            Format::Toml => "toml",
        };
        format!("{}:{}", scheme, self.path.display())
    }

    fn data_path(&self) -> PathBuf {
        match fs::read_link(&self.path) {
            Ok(target) => self.path.parent().unwrap_or_else(|| Path::new("")).join(target),
            Err(_) => self.path.clone(),
        }
    }

    /// Every entry, by key, freshly read.
    pub fn entries(&self) -> Result<BTreeMap<String, Entry>, Error> {
        match self.format {
            Format::Json | Format::Toml => self.json_state().map(|s| s.entries),
            Format::Ndjson => {
                let data = files::read(&self.data_path())?;
                Ok(self.ndjson_read(data.as_deref().unwrap_or(b""))?.0)
            }
        }
    }

    pub fn get(&self, key: &str) -> Result<Option<Entry>, Error> {
        Ok(self.entries()?.remove(&check_key(key)?))
    }

    /// Applies the changes in one durable write under the store's lock; returns the store revision.
    pub fn apply(&self, changes: &[Change]) -> Result<i64, Error> {
        let mut written = Vec::with_capacity(changes.len());
        for change in changes {
            let change = Change { key: check_key(&change.key)?, ..change.clone() };
            check_plaintext(&change, &self.location())?;
            written.push(change);
        }
        if self.format == Format::Toml {
            return Err(Error::Unavailable(format!("{}: the Rust client reads TOML stores but does not write them (a write must keep the file's comments and layout); write with the Java library, `waterfall set` or a JSON store", self.location())));
        }
        let changes = &written[..];
        let data = self.data_path();
        let _lock = lock::lock(&data)?;
        match self.format {
            Format::Json => self.json_apply(&data, changes),
            Format::Ndjson => self.ndjson_apply(&data, changes),
            Format::Toml => unreachable!(),
        }
    }

    // ------------------------------------------------------------------------------------- JSON

    fn recorded(&self, data: &Path) -> Recorded {
        let mut recorded = Recorded::default();
        let history = sibling(data, ".history.ndjson");
        let mut offset = 0usize;
        if let Ok(Some(bytes)) = files::read(&sibling(data, ".meta.json")) {
            if let Some(meta) = std::str::from_utf8(&bytes).ok().and_then(|t| json::parse(t).ok()) {
                recorded.revision = num(meta.get("revision"));
                recorded.commit_sha = meta.get("dataSha256").and_then(|v| v.as_str()).unwrap_or("").to_string();
                if let Some(Value::Object(entries)) = meta.get("entries") {
                    for (key, item) in entries {
                        if let Value::Array(parts) = item {
                            if parts.len() == 4 {
                                recorded.entries.insert(key.clone(), (num(Some(&parts[0])), parts[3].as_str().unwrap_or("").to_string()));
                            }
                        }
                    }
                }
                if let Ok(m) = fs::metadata(&history) {
                    let identity = format!("(dev={:x},ino={})", m.dev(), m.ino());
                    let hint = num(meta.get("historyOffset")) as u64;
                    if meta.get("historyFile").and_then(|v| v.as_str()) == Some(identity.as_str()) && hint <= m.len() {
                        offset = hint as usize;
                    }
                }
            }
        }
        let base = recorded.revision;
        let bytes = files::read(&history).ok().flatten().unwrap_or_default();
        let complete = bytes.iter().rposition(|b| *b == b'\n').map(|i| i + 1).unwrap_or(0);
        for raw in bytes[offset.min(complete)..complete].split(|b| *b == b'\n') {
            let line = match std::str::from_utf8(raw).ok().filter(|t| !t.trim().is_empty()).and_then(|t| json::parse(t).ok()) {
                Some(line) => line,
                None => continue,
            };
            if let Some(commit) = line.get("commit") {
                let commit = commit.as_i64().unwrap_or(0);
                if commit > base {
                    recorded.commit_sha = line.get("sha256").and_then(|v| v.as_str()).unwrap_or("").to_string();
                    recorded.revision = recorded.revision.max(commit);
                }
                continue;
            }
            let revision = num(line.get("rev"));
            if revision <= base {
                continue;
            }
            let key = line.get("key").and_then(|v| v.as_str()).unwrap_or("").to_string();
            match line.get("new") {
                Some(new) => {
                    recorded.entries.insert(key, (revision, value_hash(new)));
                }
                None => {
                    recorded.entries.remove(&key);
                }
            }
            recorded.revision = recorded.revision.max(revision);
        }
        recorded
    }

    fn json_state(&self) -> Result<JsonState, Error> {
        let data = self.data_path();
        let bytes = files::read(&data)?;
        let mut lines = Vec::new();
        let (tree, values, sha) = match &bytes {
            None => (Value::Object(Vec::new()), BTreeMap::new(), String::new()),
            Some(b) => {
                let tree = match self.format {
                    Format::Toml => parse_toml_document(b, &self.path.display().to_string(), &mut lines)?,
                    _ => parse_json_document(b, &self.path.display().to_string(), Some(&mut lines))?,
                };
                let mut values = BTreeMap::new();
                flatten(&tree, "", &mut values);
                (tree, values, sha256::hex(b))
            }
        };
        let recorded = self.recorded(&data);
        let line_of: BTreeMap<String, usize> = lines.into_iter().collect();
        let mut external = Vec::new();
        let mut revisions = BTreeMap::new();
        let same = !sha.is_empty() && sha == recorded.commit_sha && recorded.entries.len() == values.len();
        let revision;
        if same || (sha.is_empty() && recorded.entries.is_empty()) {
            for key in values.keys() {
                revisions.insert(key.clone(), recorded.entries.get(key).map(|e| e.0).unwrap_or(recorded.revision));
            }
            revision = recorded.revision;
        } else {
            let external_revision = recorded.revision + 1;
            for (key, value) in &values {
                match recorded.entries.get(key) {
                    Some((rev, hash)) if *hash == value_hash(value) => {
                        revisions.insert(key.clone(), *rev);
                    }
                    _ => {
                        revisions.insert(key.clone(), external_revision);
                        external.push((key.clone(), Some(value.clone())));
                    }
                }
            }
            for key in recorded.entries.keys() {
                if !values.contains_key(key) {
                    external.push((key.clone(), None));
                }
            }
            revision = if external.is_empty() { recorded.revision } else { external_revision };
        }
        let entries = values
            .iter()
            .map(|(k, v)| (k.clone(), Entry { key: k.clone(), value: v.clone(), revision: revisions[k], line: *line_of.get(k).unwrap_or(&0) }))
            .collect();
        Ok(JsonState { tree, values, entries, revision, external })
    }

    fn json_apply(&self, data: &Path, changes: &[Change]) -> Result<i64, Error> {
        let JsonState { mut tree, values, entries, revision, external } = self.json_state()?;
        let mut keys: BTreeSet<String> = values.keys().cloned().collect();
        let mut edits: Vec<(String, Option<Value>)> = Vec::new();
        for change in changes {
            if change.expected != ANY {
                let actual = entries.get(&change.key).map(|e| e.revision).unwrap_or(ABSENT);
                if actual != change.expected {
                    return Err(Error::conflict(&change.key, change.expected, actual));
                }
            }
            keys.remove(&change.key);
            if change.value.is_some() {
                check_leaf(&keys, &change.key)?;
                keys.insert(change.key.clone());
            }
            edits.retain(|(k, _)| *k != change.key);
            edits.push((change.key.clone(), change.value.clone()));
        }
        edits.retain(|(k, v)| values.get(k) != v.as_ref());
        if edits.is_empty() && external.is_empty() {
            return Ok(revision);
        }
        let at = files::now();
        let (sha, new_revision) = if edits.is_empty() {
            (sha256::hex(&files::read(data)?.unwrap_or_default()), revision)
        } else {
            for (key, value) in &edits {
                let segments = crate::keys::segments(key)?;
                let path: Vec<&str> = segments.iter().map(String::as_str).collect();
                edit_tree(&mut tree, &path, value.as_ref());
            }
            let content = format!("{}\n", tree.to_pretty("  "));
            files::replace_durably(data, content.as_bytes())?;
            (sha256::hex(content.as_bytes()), revision + 1)
        };
        let mut out = String::new();
        let record = |out: &mut String, rev: i64, at: &str, by: &str, key: &str, old: Option<&Value>, new: Option<&Value>| {
            out.push_str(&format!("{{\"rev\":{},\"at\":\"{}\",\"by\":{},\"key\":{}", rev, at, by, Value::String(key.into()).to_json()));
            if let Some(old) = old {
                out.push_str(&format!(",\"old\":{}", old.to_json()));
            }
            if let Some(new) = new {
                out.push_str(&format!(",\"new\":{}", new.to_json()));
            }
            out.push_str("}\n");
        };
        if !external.is_empty() {
            let last_known = self.last_known(data);
            for (key, value) in &external {
                record(&mut out, revision, &at, "\"external\"", key, last_known.get(key), value.as_ref());
            }
        }
        let by = self.actor.to_json();
        for (key, value) in &edits {
            record(&mut out, new_revision, &at, &by, key, values.get(key), value.as_ref());
        }
        out.push_str(&format!("{{\"commit\":{},\"at\":\"{}\",\"sha256\":\"{}\"}}\n", new_revision, at, sha));
        let history = sibling(data, ".history.ndjson");
        files::drop_torn_tail(&history)?;
        files::append(&history, out.as_bytes(), false)?;
        Ok(new_revision)
    }

    fn last_known(&self, data: &Path) -> BTreeMap<String, Value> {
        let mut known = BTreeMap::new();
        for path in [sibling(data, ".history.1.ndjson"), sibling(data, ".history.ndjson")] {
            let bytes = files::read(&path).ok().flatten().unwrap_or_default();
            for raw in bytes.split(|b| *b == b'\n') {
                if let Some(line) = std::str::from_utf8(raw).ok().filter(|t| !t.trim().is_empty()).and_then(|t| json::parse(t).ok()) {
                    if let Some(key) = line.get("key").and_then(|k| k.as_str()) {
                        match line.get("new") {
                            Some(v) => known.insert(key.to_string(), v.clone()),
                            None => known.remove(key),
                        };
                    }
                }
            }
        }
        known
    }

    // ----------------------------------------------------------------------------------- NDJSON

    fn ndjson_read(&self, data: &[u8]) -> Result<(BTreeMap<String, Entry>, i64), Error> {
        let mut entries = BTreeMap::new();
        let mut revision = 0;
        let end = data.iter().rposition(|b| *b == b'\n').map(|i| i + 1).unwrap_or(0);
        let tail = &data[end..];
        let whole_tail = !tail.iter().all(|b| b.is_ascii_whitespace()) && std::str::from_utf8(tail).ok().map_or(false, |t| json::parse(t).is_ok());
        let body = if whole_tail { data } else { &data[..end] };
        for (index, raw) in body.split(|b| *b == b'\n').enumerate() {
            let number = index + 1;
            if raw.iter().all(|b| b.is_ascii_whitespace()) {
                continue;
            }
            let source = self.path.display().to_string();
            let text = std::str::from_utf8(raw).map_err(|e| Error::Broken { source: source.clone(), line: number, column: e.valid_up_to() + 1, reason: "invalid UTF-8; fix or remove the line by hand".into() })?;
            let line = json::parse(text).map_err(|e| Error::Broken { source: source.clone(), line: number, column: e.column, reason: format!("not valid JSON: {}; nothing was changed: fix or remove the line by hand", e.reason) })?;
            revision = match line.get("rev").and_then(|r| r.as_i64()) {
                Some(r) => r,
                None => return Err(Error::Broken { source, line: number, column: 1, reason: "a log line must be an object with a \"rev\" number; fix or remove the line by hand".into() }),
            };
            if let Some(Value::Array(items)) = line.get("snapshot") {
                entries.clear();
                for item in items {
                    if let (Some(key), Some(value)) = (item.get("key").and_then(|k| k.as_str()), item.get("value")) {
                        let rev = item.get("rev").and_then(|r| r.as_i64()).unwrap_or(revision);
                        entries.insert(key.to_string(), Entry { key: key.into(), value: value.clone(), revision: rev, line: number });
                    }
                }
            }
            if let Some(Value::Array(changes)) = line.get("changes") {
                for change in changes {
                    let key = change.get("key").and_then(|k| k.as_str()).unwrap_or("").to_string();
                    if change.get("unset") == Some(&Value::Bool(true)) {
                        entries.remove(&key);
                    } else if let Some(value) = change.get("value") {
                        entries.insert(key.clone(), Entry { key, value: value.clone(), revision, line: number });
                    }
                }
            }
        }
        Ok((entries, revision))
    }

    fn ndjson_apply(&self, path: &Path, changes: &[Change]) -> Result<i64, Error> {
        let created = !path.exists();
        let mut file = fs::OpenOptions::new().read(true).append(true).create(true).mode(0o600).custom_flags(lock::O_NOFOLLOW).open(path)?;
        let mut data = fs::read(path)?;
        if !data.is_empty() && !data.ends_with(b"\n") {
            let cut = data.iter().rposition(|b| *b == b'\n').map(|i| i + 1).unwrap_or(0);
            let whole = std::str::from_utf8(&data[cut..]).ok().map_or(false, |t| json::parse(t).is_ok());
            if whole {
                file.write_all(b"\n")?;
                data.push(b'\n');
            } else {
                let mut torn = data[cut..].to_vec();
                torn.push(b'\n');
                files::append(&sibling(path, ".broken"), &torn, false)?;
                file.set_len(cut as u64)?;
                data.truncate(cut);
            }
        }
        let (entries, revision) = self.ndjson_read(&data)?;
        let mut keys: BTreeSet<String> = entries.keys().cloned().collect();
        let mut out: Vec<String> = Vec::new();
        for change in changes {
            if change.expected != ANY {
                let actual = entries.get(&change.key).map(|e| e.revision).unwrap_or(ABSENT);
                if actual != change.expected {
                    return Err(Error::conflict(&change.key, change.expected, actual));
                }
            }
            let key_json = Value::String(change.key.clone()).to_json();
            match &change.value {
                None => {
                    if keys.remove(&change.key) {
                        out.push(format!("{{\"key\":{},\"unset\":true}}", key_json));
                    }
                }
                Some(value) => {
                    keys.remove(&change.key);
                    check_leaf(&keys, &change.key)?;
                    keys.insert(change.key.clone());
                    if entries.get(&change.key).map(|e| &e.value) == Some(value) {
                        continue;
                    }
                    out.push(format!("{{\"key\":{},\"value\":{}}}", key_json, value.to_json()));
                }
            }
        }
        if out.is_empty() {
            return Ok(revision);
        }
        let line = format!("{{\"rev\":{},\"at\":\"{}\",\"by\":{},\"changes\":[{}]}}\n", revision + 1, files::now(), self.actor.to_json(), out.join(","));
        file.write_all(line.as_bytes())?;
        file.sync_all()?;
        if created {
            files::fsync_folder(path.parent().unwrap_or_else(|| Path::new("")))?;
        }
        Ok(revision + 1)
    }
}

struct JsonState {
    tree: Value,
    values: BTreeMap<String, Value>,
    entries: BTreeMap<String, Entry>,
    revision: i64,
    external: Vec<(String, Option<Value>)>,
}

impl From<io::Error> for Error {
    fn from(e: io::Error) -> Error {
        Error::Unavailable(e.to_string())
    }
}
