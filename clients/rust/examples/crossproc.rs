//! The Rust side of the cross-language tests run from Java (cli's CrossLanguageJarTest), as a process:
//!
//!   crossproc distinct URI PREFIX COUNT   set PREFIX.k0 .. PREFIX.k(COUNT-1) to their index, one write each
//!   crossproc counter URI KEY COUNT       increment KEY COUNT times with compare-and-set and retry
//!   crossproc read URI STOPFILE           read the store again and again until STOPFILE exists; a torn read exits 1
//!   crossproc setmany URI FILE            set each "KEY<TAB>JSON" line of FILE, one write each
//!   crossproc dump URI                    print "KEY<TAB>JSON" for every entry, sorted
//!   crossproc get URI KEY | set URI KEY VALUE   as `wf`; a broken store exits 3 naming file:line:col
//!   crossproc watch URI COUNT             print each change of a JSON store ("rREV KEY NEW"), oldest first, until COUNT

use std::collections::BTreeMap;
use std::path::PathBuf;
use std::process::exit;
use std::time::Duration;

use waterfall_config::{config, json, store::Actor, Change, Error, Store, Watcher, ABSENT};

fn open(uri: &str) -> Store {
    let env: BTreeMap<String, String> = std::env::vars().collect();
    let home = PathBuf::from(env.get("HOME").cloned().unwrap_or_else(|| "/".into()));
    config::open_store(uri, &home, Actor::current("rust", &env)).unwrap_or_else(|e| fail(e))
}

fn fail(e: Error) -> ! {
    eprintln!("waterfall: {}", e);
    exit(match e {
        Error::Conflict { .. } => 4,
        Error::InvalidKey(_) | Error::InvalidValue(_) | Error::KeyConflict(_) => 2,
        _ => 3,
    })
}

fn increment(store: &Store, key: &str) {
    loop {
        let entry = store.get(key).unwrap_or_else(|e| fail(e));
        let (current, revision) = entry.map(|e| (e.value.as_i64().unwrap_or(0), e.revision)).unwrap_or((0, ABSENT));
        match store.apply(&[Change::set(key, json::Value::Number((current + 1).to_string())).if_revision(revision)]) {
            Ok(_) => return,
            Err(Error::Conflict { .. }) => continue,
            Err(e) => fail(e),
        }
    }
}

fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let store = open(&args[1]);
    println!("ready");
    match args[0].as_str() {
        "distinct" => {
            for i in 0..args[3].parse::<usize>().unwrap() {
                store.apply(&[Change::set(&format!("{}.k{}", args[2], i), json::Value::Number(i.to_string()))]).unwrap_or_else(|e| fail(e));
            }
        }
        "counter" => {
            for _ in 0..args[3].parse::<usize>().unwrap() {
                increment(&store, &args[2]);
            }
        }
        "read" => {
            let mut reads = 0u64;
            while !std::path::Path::new(&args[2]).exists() {
                if let Err(e) = store.entries() {
                    println!("torn read: {}", e);
                    exit(1);
                }
                reads += 1;
            }
            println!("reads {}", reads);
        }
        "setmany" => {
            for line in std::fs::read_to_string(&args[2]).unwrap().lines().filter(|l| !l.trim().is_empty()) {
                let (key, text) = line.split_once('\t').unwrap();
                store.apply(&[Change::set(key, json::parse(text).unwrap())]).unwrap_or_else(|e| fail(e));
            }
        }
        "dump" => {
            for (key, entry) in store.entries().unwrap_or_else(|e| fail(e)) {
                println!("{}\t{}", key, entry.value);
            }
        }
        "get" => {
            let entry = store.get(&args[2]).unwrap_or_else(|e| fail(e));
            println!("{}", entry.map(|e| e.value).unwrap_or(json::Value::Null));
        }
        "set" => {
            let value = json::parse_literal(&args[3]).unwrap_or_else(|e| fail(Error::InvalidValue(e)));
            store.apply(&[Change::set(&args[2], value)]).unwrap_or_else(|e| fail(e));
        }
        "watch" => {
            let wanted: usize = args[2].parse().unwrap();
            let mut seen = 0;
            Watcher::new(&store.path, 0)
                .run(Duration::from_millis(20), |change| {
                    println!("r{} {} {}", change.revision, change.key, change.new.as_ref().map(|v| v.to_json()).unwrap_or_else(|| "-".into()));
                    seen += 1;
                    seen < wanted
                })
                .unwrap();
        }
        other => {
            eprintln!("waterfall: unknown mode {}", other);
            exit(2);
        }
    }
    println!("done");
}
