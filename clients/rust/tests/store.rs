//! The Rust client's stores on real files in temporary folders: Java's history records, the lock
//! between threads and processes, compare-and-set, broken files, the NDJSON log and the watcher.

use std::collections::BTreeMap;
use std::path::PathBuf;
use std::sync::Arc;
use std::thread;

use waterfall_config::json::{self, Value};
use waterfall_config::store::{Actor, Format};
use waterfall_config::{Change, Error, Store, Watcher, ABSENT};

fn folder(name: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("wf-rust-{}-{}", name, std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

fn actor() -> Actor {
    let env: BTreeMap<String, String> = [("USER".to_string(), "ana".to_string()), ("HOSTNAME".to_string(), "desk".to_string())].into_iter().collect();
    Actor::current("rust", &env)
}

fn n(i: i64) -> Value {
    Value::Number(i.to_string())
}

fn lines(path: &PathBuf) -> Vec<Value> {
    std::fs::read_to_string(path).unwrap().lines().filter(|l| !l.trim().is_empty()).map(|l| json::parse(l).unwrap()).collect()
}

#[test]
fn json_writes_are_recorded_like_javas() {
    let dir = folder("json");
    let path = dir.join("sub").join("config.json");
    let store = Store::new(path.clone(), Format::Json, actor());
    store.apply(&[Change::set("server.port", n(8080))]).unwrap();
    store.apply(&[Change::set("server.port", n(9090))]).unwrap();
    store.apply(&[Change::unset("server.port")]).unwrap();
    store.apply(&[Change::set("plant.name", Value::String("Fern".into()))]).unwrap();
    assert_eq!(std::fs::read_to_string(&path).unwrap(), "{\n  \"plant\": {\n    \"name\": \"Fern\"\n  }\n}\n");
    let history = lines(&dir.join("sub").join("config.json.history.ndjson"));
    let records: Vec<&Value> = history.iter().filter(|l| l.get("key").is_some()).collect();
    let commits: Vec<i64> = history.iter().filter_map(|l| l.get("commit").and_then(|c| c.as_i64())).collect();
    assert_eq!(commits, vec![1, 2, 3, 4]);
    assert_eq!(records[1].get("old"), Some(&n(8080)));
    assert_eq!(records[1].get("new"), Some(&n(9090)));
    assert_eq!(records[2].get("new"), None);
    assert_eq!(records[0].get("by").unwrap().to_json(), format!("{{\"surface\":\"rust\",\"user\":\"ana\",\"host\":\"desk\",\"pid\":{}}}", std::process::id()));
    let sha = waterfall_config::sha256::hex(&std::fs::read(&path).unwrap());
    assert_eq!(history.last().unwrap().get("sha256").unwrap().as_str().unwrap(), sha);
    assert_eq!(store.get("plant.name").unwrap().unwrap().revision, 4);
    // A change by hand is recorded as external before the next write.
    std::fs::write(&path, "{\"plant\": {\"name\": \"Basil\"}}\n").unwrap();
    assert_eq!(store.get("plant.name").unwrap().unwrap().revision, 5);
    store.apply(&[Change::set("b", Value::Bool(true))]).unwrap();
    let history = lines(&dir.join("sub").join("config.json.history.ndjson"));
    let external = history.iter().find(|l| l.get("by") == Some(&Value::String("external".into()))).unwrap();
    assert_eq!((external.get("rev"), external.get("old")), (Some(&n(5)), Some(&Value::String("Fern".into()))));
    assert_eq!(store.get("b").unwrap().unwrap().revision, 6);
}

#[test]
fn compare_and_set_and_the_leaf_rule() {
    let dir = folder("cas");
    let store = Store::new(dir.join("c.json"), Format::Json, actor());
    store.apply(&[Change::set("lock", Value::String("alice".into())).if_revision(ABSENT)]).unwrap();
    match store.apply(&[Change::set("lock", Value::String("bob".into())).if_revision(ABSENT)]) {
        Err(Error::Conflict { expected: 0, actual: 1, .. }) => {}
        other => panic!("expected a conflict, got {:?}", other),
    }
    assert!(matches!(store.apply(&[Change::set("lock.inner", n(1))]), Err(Error::KeyConflict(_))));
    assert!(matches!(store.apply(&[Change::set("a..b", n(1))]), Err(Error::InvalidKey(_))));
    assert!(matches!(store.apply(&[Change::set("db.password", Value::String("x".into()))]), Err(Error::InvalidValue(_))));
}

#[test]
fn threads_lose_no_update() {
    let dir = folder("threads");
    for format in [Format::Json, Format::Ndjson] {
        let path = dir.join(if format == Format::Json { "race.json" } else { "race.ndjson" });
        let store = Arc::new(Store::new(path, format, actor()));
        let workers: Vec<_> = (0..4)
            .map(|t| {
                let store = store.clone();
                thread::spawn(move || {
                    for i in 0..25 {
                        store.apply(&[Change::set(&format!("t{}.k{}", t, i), n(i))]).unwrap();
                        loop {
                            let entry = store.get("counter").unwrap();
                            let (value, revision) = entry.map(|e| (e.value.as_i64().unwrap(), e.revision)).unwrap_or((0, ABSENT));
                            match store.apply(&[Change::set("counter", n(value + 1)).if_revision(revision)]) {
                                Ok(_) => break,
                                Err(Error::Conflict { .. }) => continue,
                                Err(e) => panic!("{}", e),
                            }
                        }
                    }
                })
            })
            .collect();
        for w in workers {
            w.join().unwrap();
        }
        let entries = store.entries().unwrap();
        for t in 0..4 {
            for i in 0..25 {
                assert_eq!(entries[&format!("t{}.k{}", t, i)].value, n(i));
            }
        }
        assert_eq!(entries["counter"].value, n(100));
    }
}

#[test]
fn a_broken_file_is_refused_with_its_place_and_never_rewritten() {
    let dir = folder("broken");
    let path = dir.join("c.json");
    let text = "{\n  \"a\": 1,\n}\n";
    std::fs::write(&path, text).unwrap();
    let store = Store::new(path.clone(), Format::Json, actor());
    for result in [store.get("a").map(|_| 0), store.apply(&[Change::set("b", n(2))])] {
        match result {
            Err(Error::Broken { line: 3, column: 1, .. }) => {}
            other => panic!("expected 3:1, got {:?}", other),
        }
    }
    assert_eq!(std::fs::read_to_string(&path).unwrap(), text);
    assert!(!dir.join("c.json.history.ndjson").exists());
}

#[test]
fn the_ndjson_log_appends_one_line_per_commit_and_sets_a_torn_tail_aside() {
    let dir = folder("ndjson");
    let path = dir.join("log.ndjson");
    let store = Store::new(path.clone(), Format::Ndjson, actor());
    store.apply(&[Change::set("a", n(1)), Change::set("b", json::parse("[1,{\"c\":null}]").unwrap())]).unwrap();
    {
        use std::io::Write;
        std::fs::OpenOptions::new().append(true).open(&path).unwrap().write_all(b"{\"rev\":2,\"at\":\"2026-").unwrap();
    }
    assert_eq!(store.get("b").unwrap().unwrap().value, json::parse("[1,{\"c\":null}]").unwrap());
    store.apply(&[Change::unset("a")]).unwrap();
    let log = lines(&path);
    assert_eq!(log.iter().map(|l| l.get("rev").unwrap().as_i64().unwrap()).collect::<Vec<_>>(), vec![1, 2]);
    assert_eq!(log[1].get("changes").unwrap().to_json(), "[{\"key\":\"a\",\"unset\":true}]");
    assert_eq!(std::fs::read_to_string(dir.join("log.ndjson.broken")).unwrap(), "{\"rev\":2,\"at\":\"2026-\n");
}

#[test]
fn the_watcher_sees_every_change_in_order() {
    let dir = folder("watch");
    let path = dir.join("w.json");
    let store = Store::new(path.clone(), Format::Json, actor());
    let mut watcher = Watcher::new(&path, 0);
    assert!(watcher.poll().unwrap().is_empty());
    store.apply(&[Change::set("a", n(1))]).unwrap();
    store.apply(&[Change::set("a", n(2)), Change::set("b", n(3))]).unwrap();
    let seen: Vec<(i64, String)> = watcher.poll().unwrap().into_iter().map(|c| (c.revision, c.key)).collect();
    assert_eq!(seen, vec![(1, "a".to_string()), (2, "a".to_string()), (2, "b".to_string())]);
    store.apply(&[Change::unset("b")]).unwrap();
    let next = watcher.poll().unwrap();
    assert_eq!((next[0].revision, next[0].key.as_str(), next[0].new.is_none()), (3, "b", true));
}

#[test]
fn quoted_key_segments_are_written_as_java_writes_them() {
    let dir = folder("quoted");
    for format in [Format::Json, Format::Ndjson] {
        let path = dir.join(if format == Format::Json { "q.json" } else { "q.ndjson" });
        let store = Store::new(path.clone(), format, actor());
        store.apply(&[Change::set("target.'cfg(unix)'.libc", Value::String("0.2".into()))]).unwrap();
        store.apply(&[Change::set("\"x.y\".\"~\"", n(1))]).unwrap();
        store.apply(&[Change::set("x.y", n(3))]).unwrap(); // another key: segments x and y
        assert!(matches!(store.apply(&[Change::set("\"x.y\"", n(2))]), Err(Error::KeyConflict(_))));
        assert!(matches!(store.apply(&[Change::set("target.'cfg(unix)", n(2))]), Err(Error::InvalidKey(_))));
        let keys: Vec<String> = store.entries().unwrap().keys().cloned().collect();
        assert_eq!(keys, vec!["\"x.y\".\"~\"".to_string(), "target.\"cfg(unix)\".libc".to_string(), "x.y".to_string()]);
        assert_eq!(store.get("target.\"cfg(unix)\".libc").unwrap().map(|e| e.value), Some(Value::String("0.2".into())));
        if format == Format::Json {
            let tree = json::parse(&std::fs::read_to_string(&path).unwrap()).unwrap();
            let expected = json::parse("{\"target\": {\"cfg(unix)\": {\"libc\": \"0.2\"}}, \"x.y\": {\"~\": 1}, \"x\": {\"y\": 3}}").unwrap();
            assert_eq!(tree, expected);
        }
    }
}
