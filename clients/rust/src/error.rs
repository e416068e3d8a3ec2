//! The errors a user or a file can cause; each message is one line naming what to fix.

use std::fmt;

#[derive(Debug)]
pub enum Error {
    /// A key that breaks the rule.
    InvalidKey(String),
    /// A value the store cannot hold, or a bad URI.
    InvalidValue(String),
    /// A key that would be both a value and a table.
    KeyConflict(String),
    /// A compare-and-set that lost: another writer changed the key.
    Conflict { key: String, expected: i64, actual: i64 },
    /// A file that does not parse; nothing was changed and no write replaces it.
    Broken { source: String, line: usize, column: usize, reason: String },
    /// A store that cannot be read or written.
    Unavailable(String),
}

impl Error {
    pub fn conflict(key: &str, expected: i64, actual: i64) -> Error {
        Error::Conflict { key: key.into(), expected, actual }
    }
}

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Error::InvalidKey(m) | Error::InvalidValue(m) | Error::KeyConflict(m) | Error::Unavailable(m) => f.write_str(m),
            Error::Conflict { key, expected, actual } => {
                let said = |r: &i64| if *r == 0 { "0 (absent)".to_string() } else { r.to_string() };
                write!(f, "conflict on {}: expected revision {} but it is at {}; another writer changed it, re-read and retry", key, said(expected), said(actual))
            }
            Error::Broken { source, line, column, reason } => write!(f, "{}:{}:{}: {}", source, line, column, reason),
        }
    }
}

impl std::error::Error for Error {}
