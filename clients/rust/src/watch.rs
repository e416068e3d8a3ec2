//! Watching a JSON store: every change committed by any process (Java, Python, Rust), in order, read
//! from the store's history (`<file>.history.ndjson`) as it grows. The history is looked at by
//! polling its size (one `stat` per interval), as the Java file stores do.

use std::fs;
use std::os::unix::fs::MetadataExt;
use std::path::PathBuf;
use std::thread;
use std::time::Duration;

use crate::json::{self, Value};

/// One change as the history records it: revision, key, value before and after (None when absent)
/// and who made it (`"external"` for a change found rather than made).
#[derive(Clone, Debug, PartialEq)]
pub struct Changed {
    pub revision: i64,
    pub key: String,
    pub old: Option<Value>,
    pub new: Option<Value>,
    pub by: Value,
}

/// Follows the history of a JSON store from the changes after `since` on.
pub struct Watcher {
    history: PathBuf,
    offset: u64,
    file: Option<(u64, u64)>,
    since: i64,
}

impl Watcher {
    /// A watcher of the store at `path` that reports the changes after revision `since` (0: all).
    pub fn new(path: &std::path::Path, since: i64) -> Watcher {
        let mut name = path.as_os_str().to_owned();
        name.push(".history.ndjson");
        Watcher { history: PathBuf::from(name), offset: 0, file: None, since }
    }

    /// The changes committed since the last call, oldest first.
    pub fn poll(&mut self) -> std::io::Result<Vec<Changed>> {
        let meta = match fs::metadata(&self.history) {
            Ok(m) => m,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(Vec::new()),
            Err(e) => return Err(e),
        };
        let identity = (meta.dev(), meta.ino());
        if self.file != Some(identity) || meta.len() < self.offset {
            self.file = Some(identity); // a new (rotated) history: read it from its start
            self.offset = 0;
        }
        if meta.len() == self.offset {
            return Ok(Vec::new());
        }
        let bytes = fs::read(&self.history)?;
        let end = bytes.iter().rposition(|b| *b == b'\n').map(|i| i + 1).unwrap_or(0);
        let mut out = Vec::new();
        if end as u64 > self.offset {
            for raw in bytes[self.offset as usize..end].split(|b| *b == b'\n') {
                let line = match std::str::from_utf8(raw).ok().filter(|t| !t.trim().is_empty()).and_then(|t| json::parse(t).ok()) {
                    Some(l) => l,
                    None => continue,
                };
                let (revision, key) = match (line.get("rev").and_then(|r| r.as_i64()), line.get("key").and_then(|k| k.as_str())) {
                    (Some(r), Some(k)) => (r, k.to_string()),
                    _ => continue,
                };
                if revision <= self.since {
                    continue;
                }
                out.push(Changed { revision, key, old: line.get("old").cloned(), new: line.get("new").cloned(), by: line.get("by").cloned().unwrap_or(Value::Null) });
            }
            self.offset = end as u64;
        }
        Ok(out)
    }

    /// Calls `each` with every change, in order, polling every `interval`, until it returns false.
    pub fn run<F: FnMut(&Changed) -> bool>(&mut self, interval: Duration, mut each: F) -> std::io::Result<()> {
        loop {
            for change in self.poll()? {
                if !each(&change) {
                    return Ok(());
                }
            }
            thread::sleep(interval);
        }
    }
}
