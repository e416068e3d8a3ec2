//! The waterfall: environment variable > the user's store > an optional system file > defaults, key
//! by key, with the same variable names, store choice and default folders as the Java library.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use crate::error::Error;
use crate::files;
use crate::json::{self, Value};
use crate::store::{self, Actor, Change, Entry, Format, Store};

/// A key's winning value and where it came from: layer (`env`, `store`, `system`, `defaults`),
/// source (the variable, the store's URI, the file) and line (0 when there is none).
#[derive(Clone, Debug, PartialEq)]
pub struct Resolved {
    pub key: String,
    pub value: Value,
    pub layer: &'static str,
    pub source: String,
    pub line: usize,
}

/// Everything a configuration depends on; `Options::new(app)` takes this process's environment and home.
#[derive(Clone, Debug)]
pub struct Options {
    pub app: String,
    pub store: Option<String>,
    pub env: BTreeMap<String, String>,
    pub home: PathBuf,
    pub system_file: Option<PathBuf>,
    pub defaults: Option<PathBuf>,
    pub os_name: String,
    pub surface: String,
}

impl Options {
    pub fn new(app: &str) -> Options {
        let env: BTreeMap<String, String> = std::env::vars().collect();
        let home = PathBuf::from(env.get("HOME").cloned().unwrap_or_else(|| ".".into()));
        let os_name = if cfg!(target_os = "macos") { "Mac OS X" } else if cfg!(windows) { "Windows" } else { "Linux" };
        Options { app: app.into(), store: None, env, home, system_file: None, defaults: None, os_name: os_name.into(), surface: "rust".into() }
    }
}

/// Upper-cased, every character that is not an ASCII letter or digit turned into '_'.
pub fn normalize_env(text: &str) -> String {
    text.chars().map(|c| if c.is_ascii_alphanumeric() { c.to_ascii_uppercase() } else { '_' }).collect()
}

/// The app's configuration folder on this platform (Java's DefaultLocations).
pub fn config_directory(app: &str, os_name: &str, env: &BTreeMap<String, String>, home: &Path) -> PathBuf {
    let os = os_name.to_lowercase();
    if os.starts_with("windows") {
        return match env.get("APPDATA").filter(|a| !a.trim().is_empty()) {
            Some(a) => PathBuf::from(a).join(app),
            None => home.join("AppData").join("Roaming").join(app),
        };
    }
    if os.starts_with("mac") || os.starts_with("darwin") {
        return home.join("Library").join("Application Support").join(app);
    }
    match env.get("XDG_CONFIG_HOME").filter(|x| !x.trim().is_empty() && Path::new(x.as_str()).is_absolute()) {
        Some(x) => PathBuf::from(x).join(app),
        None => home.join(".config").join(app),
    }
}

/// Opens the store a URI names (`json:PATH`, `ndjson:PATH`, `toml:PATH`, or a bare `*.json`, `*.ndjson`, `*.jsonl`, `*.toml` path).
pub fn open_store(uri: &str, home: &Path, actor: Actor) -> Result<Store, Error> {
    let trimmed = uri.trim();
    let (scheme, rest) = match trimmed.find(':') {
        Some(i) if i > 1 && trimmed[..i].chars().all(|c| c.is_ascii_alphanumeric() || "+.-".contains(c)) => (trimmed[..i].to_lowercase(), &trimmed[i + 1..]),
        _ => {
            let name = trimmed.rsplit('/').next().unwrap_or(trimmed);
            let extension = name.rfind('.').filter(|d| *d > 0).map(|d| name[d + 1..].to_lowercase()).unwrap_or_default();
            (if extension == "jsonl" { "ndjson".into() } else { extension }, trimmed)
        }
    };
    let format = match scheme.as_str() {
        "json" => Format::Json,
        "ndjson" => Format::Ndjson,
        "toml" => Format::Toml,
        other => return Err(Error::InvalidValue(format!("the Rust client reads json:, ndjson: and toml: stores, not \"{}\" ({}); use the Java or Python client for it", other, uri))),
    };
    let mut path = rest.split('?').next().unwrap_or("");
    if path.starts_with("//") {
        path = &path[2..];
    }
    if path.trim().is_empty() {
        return Err(Error::InvalidValue(format!("store {} names no file; write it as {}:/path/to/config.{}", uri, scheme, scheme)));
    }
    let path = if path == "~" { home.to_path_buf() } else if let Some(rest) = path.strip_prefix("~/") { home.join(rest) } else { PathBuf::from(path) };
    Ok(Store::new(path, format, actor))
}

/// An application's configuration, resolved key by key, freshly read on every call.
pub struct Config {
    pub app: String,
    pub env_prefix: String,
    pub env: BTreeMap<String, String>,
    pub store: Store,
    system: Option<PathBuf>,
    defaults: Option<PathBuf>,
}

fn read_layer(path: &Path, optional: bool) -> Result<(BTreeMap<String, Value>, BTreeMap<String, usize>), Error> {
    let data = match files::read(path)? {
        Some(d) => d,
        None if optional => return Ok((BTreeMap::new(), BTreeMap::new())),
        None => return Err(Error::Unavailable(format!("{} does not exist; create it or stop naming it", path.display()))),
    };
    let mut lines = Vec::new();
    let toml = path.extension().map_or(false, |e| e.eq_ignore_ascii_case("toml"));
    let tree = if toml {
        store::parse_toml_document(&data, &path.display().to_string(), &mut lines)?
    } else {
        store::parse_json_document(&data, &path.display().to_string(), Some(&mut lines))?
    };
    let mut values = BTreeMap::new();
    flatten(&tree, "", &mut values);
    Ok((values, lines.into_iter().collect()))
}

fn flatten(tree: &Value, prefix: &str, out: &mut BTreeMap<String, Value>) {
    if let Value::Object(members) = tree {
        for (name, value) in members {
            let key = crate::keys::child(prefix, name);
            match value {
                Value::Object(_) => flatten(value, &key, out),
                _ => {
                    out.insert(key, value.clone());
                }
            }
        }
    }
}

impl Config {
    pub fn open(options: Options) -> Result<Config, Error> {
        let valid_app = options.app.chars().next().map_or(false, |c| c.is_ascii_alphanumeric())
            && options.app.chars().all(|c| c.is_ascii_alphanumeric() || "._-".contains(c));
        if !valid_app {
            return Err(Error::InvalidValue(format!("invalid application name \"{}\": use letters, digits, '.', '_' or '-', starting with a letter or digit", options.app)));
        }
        let env_prefix = normalize_env(&options.app);
        let uri = match &options.store {
            Some(uri) => uri.clone(),
            None => match options.env.get(&format!("{}_STORE", env_prefix)).filter(|s| !s.trim().is_empty()) {
                Some(uri) => uri.clone(),
                None => format!("json:{}", config_directory(&options.app, &options.os_name, &options.env, &options.home).join("config.json").display()),
            },
        };
        let actor = Actor::current(&options.surface, &options.env);
        let store = open_store(&uri, &options.home, actor)?;
        Ok(Config { app: options.app, env_prefix, env: options.env, store, system: options.system_file, defaults: options.defaults })
    }

    /// The variable that overrides `key`: `<PREFIX>_<KEY>`; empty for a key with a quoted segment, which has none.
    pub fn env_variable(&self, key: &str) -> String {
        if key.contains('"') || key.contains('\'') {
            return String::new();
        }
        format!("{}_{}", self.env_prefix, normalize_env(key))
    }

    fn reserved(&self, variable: &str) -> bool {
        ["_STORE", "_SECRETS", "_SECRETS_FILE", "_SECRETS_PASSPHRASE"].iter().any(|s| variable == format!("{}{}", self.env_prefix, s))
    }

    /// The winning value of `key` and its origin, or None when no layer has it.
    pub fn get(&self, key: &str) -> Result<Option<Resolved>, Error> {
        let key = &store::check_key(key)?;
        let variable = self.env_variable(key);
        let env_text = if variable.is_empty() || self.reserved(&variable) { None } else { self.env.get(&variable).cloned() };
        let mut lower = self.store.get(key)?.map(|e: Entry| Resolved { key: key.into(), value: e.value, layer: "store", source: self.store.location(), line: e.line });
        if lower.is_none() {
            for (layer, path, optional) in [("system", &self.system, true), ("defaults", &self.defaults, false)] {
                if let Some(path) = path {
                    let (values, lines) = read_layer(path, optional)?;
                    if let Some(value) = values.get(key) {
                        lower = Some(Resolved { key: key.into(), value: value.clone(), layer, source: path.display().to_string(), line: *lines.get(key).unwrap_or(&0) });
                        break;
                    }
                }
            }
        }
        let text = match env_text {
            None => return self.refuse_secret(lower, &variable),
            Some(t) => t,
        };
        let value = match &lower {
            Some(Resolved { value: Value::String(_), .. }) => Value::String(text),
            _ => json::parse_literal(&text).map_err(Error::InvalidValue)?,
        };
        Ok(Some(Resolved { key: key.into(), value, layer: "env", source: variable, line: 0 }))
    }

    /// A value that is exactly `${secret:NAME}` is not handed out as if it were the secret: this
    /// client reads no keyring or secrets file, so it says so and how to give the value instead.
    fn refuse_secret(&self, found: Option<Resolved>, variable: &str) -> Result<Option<Resolved>, Error> {
        if let Some(Resolved { key, value: Value::String(text), source, line, .. }) = &found {
            if let Some(name) = text.strip_prefix("${secret:").and_then(|t| t.strip_suffix('}')) {
                let at = if *line > 0 { format!("{}:{}", source, line) } else { source.clone() };
                return Err(Error::Unavailable(format!("{} refers to the secret {} ({}), and the Rust client reads no keyring or secrets file: set {} to give the value, or read it with the Java or Python client", key, name, at, variable)));
            }
        }
        Ok(found)
    }

    /// Sets `key` in the user's store, durably, recorded as surface `rust`.
    pub fn set(&self, key: &str, value: Value) -> Result<i64, Error> {
        self.store.apply(&[Change::set(key, value)])
    }

    /// Removes `key` from the user's store.
    pub fn unset(&self, key: &str) -> Result<i64, Error> {
        self.store.apply(&[Change::unset(key)])
    }
}
