//! TOML stores and layer files through the Rust client, on real files: the waterfall reads them with
//! each key's line, dates as their ISO-8601 text, a broken or unkeyable file is refused with its place
//! and left as it was, and a write is refused with what to do instead.

use std::collections::BTreeMap;
use std::path::PathBuf;

use waterfall_config::json::Value;
use waterfall_config::{Config, Error, Options};

fn folder(name: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("wf-rust-toml-{}-{}", name, std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

fn open(dir: &PathBuf, store: &str, env: &[(&str, &str)]) -> Config {
    let mut options = Options::new("pipeline");
    options.store = Some(store.to_string());
    options.env = env.iter().map(|(k, v)| (k.to_string(), v.to_string())).collect::<BTreeMap<_, _>>();
    options.home = dir.clone();
    Config::open(options).unwrap()
}

#[test]
fn a_toml_store_resolves_with_lines_and_exact_values() {
    let dir = folder("read");
    let path = dir.join("config.toml");
    std::fs::write(&path, "# the plant\nname = \"north\"\n\n[server]\nport = 8_080   # http\nratio = 1.50\nstarted = 1979-05-27 07:32:00+00:00\n").unwrap();
    let config = open(&dir, &format!("toml:{}", path.display()), &[("PIPELINE_SERVER_PORT", "9090")]);

    let name = config.get("name").unwrap().unwrap();
    assert_eq!((name.value, name.layer, name.source, name.line), (Value::String("north".into()), "store", format!("toml:{}", path.display()), 2));
    let ratio = config.get("server.ratio").unwrap().unwrap();
    assert_eq!((ratio.value.to_json(), ratio.line), ("1.50".to_string(), 6));
    assert_eq!(config.get("server.started").unwrap().unwrap().value, Value::String("1979-05-27T07:32:00Z".into()));
    let port = config.get("server.port").unwrap().unwrap();
    assert_eq!((port.value.to_json(), port.layer), ("9090".to_string(), "env"));
    assert!(config.get("server.missing").unwrap().is_none());
}

#[test]
fn a_write_to_a_toml_store_is_refused_and_changes_nothing() {
    let dir = folder("write");
    let path = dir.join("config.toml");
    std::fs::write(&path, "a = 1 # keep me\n").unwrap();
    let config = open(&dir, &path.display().to_string(), &[]);
    match config.set("a", Value::Number("2".into())) {
        Err(Error::Unavailable(message)) => assert!(message.contains("does not write them") && message.contains("waterfall set"), "{}", message),
        other => panic!("expected a refusal, got {:?}", other),
    }
    assert_eq!(std::fs::read_to_string(&path).unwrap(), "a = 1 # keep me\n");
    assert_eq!(std::fs::read_dir(&dir).unwrap().count(), 1, "no lock, history or temp file");
}

#[test]
fn a_broken_or_unkeyable_toml_file_is_refused_at_its_place_and_kept() {
    let dir = folder("broken");
    for (text, place) in [("a = 1\nb = tru\n", ":2:5: not valid TOML 1.0"), ("[a]\nx = 1\n[a]\n", ":3:1: not valid TOML 1.0"), ("ok = 1\n\"a b\" = 2\n", ":2:1: the key \"a b\" cannot be a Waterfall key")] {
        let path = dir.join("broken.toml");
        std::fs::write(&path, text).unwrap();
        let config = open(&dir, &format!("toml:{}", path.display()), &[]);
        let message = config.get("a").unwrap_err().to_string();
        assert!(message.starts_with(&format!("{}{}", path.display(), place)), "{:?}: {}", text, message);
        assert_eq!(std::fs::read_to_string(&path).unwrap(), text);
    }
}

#[test]
fn toml_system_and_defaults_files_are_layers_of_the_waterfall() {
    let dir = folder("layers");
    let system = dir.join("system.toml");
    let defaults = dir.join("defaults.toml");
    std::fs::write(&system, "[db]\nhost = \"db.internal\"\n").unwrap();
    std::fs::write(&defaults, "[db]\nhost = \"localhost\"\nport = 5432\n").unwrap();
    let mut options = Options::new("pipeline");
    options.store = Some(format!("json:{}", dir.join("config.json").display()));
    options.env = BTreeMap::new();
    options.home = dir.clone();
    options.system_file = Some(system.clone());
    options.defaults = Some(defaults.clone());
    let config = Config::open(options).unwrap();
    let host = config.get("db.host").unwrap().unwrap();
    assert_eq!((host.value, host.layer, host.line), (Value::String("db.internal".into()), "system", 2));
    let port = config.get("db.port").unwrap().unwrap();
    assert_eq!((port.value.to_json(), port.layer, port.source, port.line), ("5432".to_string(), "defaults", defaults.display().to_string(), 3));
}

#[test]
fn a_secret_reference_is_refused_with_the_variable_that_gives_the_value() {
    let dir = folder("secret");
    let path = dir.join("config.toml");
    std::fs::write(&path, "[db]\npassword = \"${secret:db}\"\n").unwrap();
    let message = open(&dir, &format!("toml:{}", path.display()), &[]).get("db.password").unwrap_err().to_string();
    assert_eq!(message, format!("db.password refers to the secret db (toml:{}:2), and the Rust client reads no keyring or secrets file: set PIPELINE_DB_PASSWORD to give the value, or read it with the Java or Python client", path.display()));
    let given = open(&dir, &format!("toml:{}", path.display()), &[("PIPELINE_DB_PASSWORD", "s3cret")]).get("db.password").unwrap().unwrap();
    assert_eq!((given.value, given.layer), (Value::String("s3cret".into()), "env"));
}
