//! The shared resolution cases give, in Rust, exactly the value and origin the table expects.

mod support {
    pub mod parity_cases;
}

use waterfall_config::json::Value;

#[test]
fn every_case_resolves_as_the_table_says() {
    let path = concat!(env!("CARGO_MANIFEST_DIR"), "/../parity/cases.json");
    let results = support::parity_cases::run_all(path);
    assert!(results.len() >= 20);
    for (case, result) in results {
        let name = case.get("name").unwrap().as_str().unwrap().to_string();
        match case.get("expect").unwrap() {
            Value::Null => assert!(result.is_none(), "{}: {:?}", name, result),
            expect => {
                let r = result.unwrap_or_else(|| panic!("{}: not found", name));
                assert_eq!(&r.value, expect.get("value").unwrap(), "{}", name);
                assert_eq!(r.layer, expect.get("layer").unwrap().as_str().unwrap(), "{}", name);
                assert_eq!(r.source, expect.get("source").unwrap().as_str().unwrap(), "{}", name);
                assert_eq!(r.line as i64, expect.get("line").unwrap().as_i64().unwrap(), "{}", name);
            }
        }
    }
}
