//! Runs the shared resolution cases (clients/parity/cases.json) with the Rust client, printing one
//! JSON line per case, {"name":…,"result":null|{"value","layer","source","line"}} with $DIR for the
//! case's folder, for Java's ClientParityTest; tests/parity.rs checks them here.

use waterfall_config::json::Value;

#[path = "../tests/support/parity_cases.rs"]
mod parity_cases;

fn main() {
    let path = std::env::args().nth(1).expect("usage: parity CASES.json");
    for (case, result) in parity_cases::run_all(&path) {
        let result = match result {
            None => Value::Null,
            Some(r) => Value::Object(vec![
                ("value".into(), r.value),
                ("layer".into(), Value::String(r.layer.into())),
                ("source".into(), Value::String(r.source)),
                ("line".into(), Value::Number(r.line.to_string())),
            ]),
        };
        println!("{}", Value::Object(vec![("name".into(), case.get("name").unwrap().clone()), ("result".into(), result)]));
    }
}
