//! clients/README.md's Rust blocks: the dependency line names this crate, and the example is
//! `examples/readme.rs` exactly, which runs (twice, in a home folder of its own: a new store, then
//! the value the first run set, from the store, with its line).

use std::path::{Path, PathBuf};
use std::process::Command;

fn readme() -> String {
    std::fs::read_to_string(Path::new(env!("CARGO_MANIFEST_DIR")).join("../README.md")).unwrap()
}

fn blocks(language: &str) -> Vec<String> {
    let mut found = Vec::new();
    let mut current: Option<String> = None;
    for line in readme().lines() {
        match &mut current {
            None if line == format!("```{}", language) => current = Some(String::new()),
            Some(block) if line == "```" => {
                found.push(block.clone());
                current = None;
            }
            Some(block) => {
                block.push_str(line);
                block.push('\n');
            }
            None => {}
        }
    }
    found
}

#[test]
fn the_dependency_block_names_this_crate_by_its_path_from_the_repository() {
    let toml = blocks("toml");
    assert_eq!(toml, vec!["[dependencies]\nwaterfall-config = { path = \"clients/rust\" }\n".to_string()]);
    let manifest = std::fs::read_to_string(Path::new(env!("CARGO_MANIFEST_DIR")).join("../../clients/rust/Cargo.toml")).unwrap();
    assert!(manifest.contains("name = \"waterfall-config\""));
}

#[test]
fn the_rust_example_is_examples_readme_rs_and_runs() {
    let source = std::fs::read_to_string(Path::new(env!("CARGO_MANIFEST_DIR")).join("examples/readme.rs")).unwrap();
    let start = source.find("// example:readme\n").unwrap() + "// example:readme\n".len();
    let end = source.find("// example:end").unwrap();
    let shown: String = source[start..end]
        .lines()
        .filter(|l| !l.ends_with("// wrapper"))
        .map(|l| format!("{}\n", l.strip_prefix("    ").unwrap_or(l)))
        .collect();
    assert_eq!(blocks("rust"), vec![shown]);

    // cargo test builds the examples; the binary is beside this test's folder.
    let binary: PathBuf = std::env::current_exe().unwrap().parent().unwrap().parent().unwrap().join("examples/readme");
    let home = std::env::temp_dir().join(format!("wf-rust-readme-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&home);
    std::fs::create_dir_all(&home).unwrap();
    assert!(binary.exists(), "{} is missing: `cargo test` builds the examples (a single --test run does not)", binary.display());
    let run = || {
        let out = Command::new(&binary).env_clear().env("HOME", &home).env("USER", "ana").env("PATH", "/usr/bin:/bin").output().unwrap();
        assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
        String::from_utf8(out.stdout).unwrap()
    };
    let store = home.join(".config/pipeline/config.json");
    assert_eq!(run(), "r1 server.port\n");
    assert_eq!(run(), format!("8081 from store json:{}:3\nr1 server.port\n", store.display()));
    assert_eq!(std::fs::read_to_string(&store).unwrap(), "{\n  \"server\": {\n    \"port\": 8081\n  }\n}\n");
    std::fs::remove_dir_all(&home).unwrap();
}
