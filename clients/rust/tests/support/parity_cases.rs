//! Runs each case of clients/parity/cases.json in a fresh folder (shared by examples/parity.rs and tests/parity.rs).

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use waterfall_config::json::{self, Value};
use waterfall_config::{Config, Options, Resolved};

fn write(path: &Path, case: &Value, member: &str) {
    let lines: Vec<String> = match case.get(member) {
        Some(Value::Array(items)) => items.iter().map(|l| l.as_str().unwrap().to_string()).collect(),
        _ => panic!("{} is not an array of lines", member),
    };
    std::fs::create_dir_all(path.parent().unwrap()).unwrap();
    std::fs::write(path, lines.join("\n") + "\n").unwrap();
}

/// The case's key resolved in `folder`, its sources with `$DIR` for the folder.
pub fn run_case(case: &Value, folder: &Path) -> Option<Resolved> {
    let dir = folder.display().to_string();
    let here = |t: &str| t.replace("$DIR", &dir);
    let text = |m: &str| case.get(m).and_then(|v| v.as_str()).map(|s| s.to_string());
    let mut env = BTreeMap::new();
    if let Some(Value::Object(vars)) = case.get("env") {
        for (name, value) in vars {
            env.insert(name.clone(), here(value.as_str().unwrap()));
        }
    }
    let home = folder.join("home");
    std::fs::create_dir_all(&home).unwrap();
    if case.get("store").is_some() {
        write(Path::new(&here(&text("storeFile").unwrap_or_else(|| "$DIR/store.json".into()))), case, "store");
    }
    let mut options = Options::new(&text("app").unwrap());
    options.env = env;
    options.home = home;
    options.os_name = text("os").unwrap_or_else(|| "Linux".into());
    options.store = match case.get("storeUri") {
        None => Some(here("json:$DIR/store.json")),
        Some(Value::Null) => None,
        Some(v) => Some(here(v.as_str().unwrap())),
    };
    if case.get("system").is_some() {
        let path = folder.join("system.json");
        write(&path, case, "system");
        options.system_file = Some(path);
    } else if let Some(path) = text("systemPath") {
        options.system_file = Some(PathBuf::from(here(&path)));
    }
    if case.get("defaults").is_some() {
        let path = PathBuf::from(here(&text("defaultsFile").unwrap_or_else(|| "$DIR/defaults.json".into())));
        write(&path, case, "defaults");
        options.defaults = Some(path);
    }
    let config = Config::open(options).unwrap();
    config.get(&text("key").unwrap()).unwrap().map(|mut r| {
        r.source = r.source.replace(&dir, "$DIR");
        r
    })
}

/// Every case with its outcome, each in a fresh temporary folder.
pub fn run_all(path: &str) -> Vec<(Value, Option<Resolved>)> {
    let root = json::parse(&std::fs::read_to_string(path).unwrap()).unwrap();
    let cases = match root.get("cases") {
        Some(Value::Array(cases)) => cases.clone(),
        _ => panic!("no cases in {}", path),
    };
    let base = std::env::temp_dir().join(format!("wf-rust-parity-{}", std::process::id()));
    let mut out = Vec::new();
    for (i, case) in cases.into_iter().enumerate() {
        let folder = base.join(format!("case{}", i));
        std::fs::create_dir_all(&folder).unwrap();
        let folder = folder.canonicalize().unwrap();
        let result = run_case(&case, &folder);
        out.push((case, result));
    }
    let _ = std::fs::remove_dir_all(&base);
    out
}
