//! `cargo run --example wf -- [--app A] [--store URI] get KEY | set KEY VALUE | unset KEY`: a
//! Waterfall configuration from the shell, through the Rust client. VALUE is read like the Java
//! CLI reads it (JSON if it is a JSON value, else a string). Exit codes as the Java CLI's: 1 not
//! found, 2 usage, 3 broken or unreachable store, 4 conflict.

use std::process::exit;

use waterfall_config::{json, Config, Error, Options};

fn main() {
    let mut args: Vec<String> = std::env::args().skip(1).collect();
    let mut options = Options::new("waterfall");
    let mut i = 0;
    while i < args.len() {
        if (args[i] == "--store" || args[i] == "--app") && i + 1 < args.len() {
            if args[i] == "--store" {
                options.store = Some(args[i + 1].clone());
            } else {
                options.app = args[i + 1].clone();
            }
            args.drain(i..i + 2);
        } else {
            i += 1;
        }
    }
    let usage = "usage: wf [--app A] [--store URI] get KEY | set KEY VALUE | unset KEY";
    let code = match run(options, &args) {
        Ok(code) => code,
        Err(None) => {
            eprintln!("waterfall: {}", usage);
            2
        }
        Err(Some(e)) => {
            eprintln!("waterfall: {}", e);
            match e {
                Error::InvalidKey(_) | Error::InvalidValue(_) | Error::KeyConflict(_) => 2,
                Error::Conflict { .. } => 4,
                _ => 3,
            }
        }
    };
    exit(code);
}

fn run(options: Options, args: &[String]) -> Result<i32, Option<Error>> {
    let config = Config::open(options).map_err(Some)?;
    match args.iter().map(|s| s.as_str()).collect::<Vec<_>>().as_slice() {
        ["get", key] => match config.get(key).map_err(Some)? {
            Some(found) => {
                match found.value {
                    json::Value::String(s) => println!("{}", s),
                    other => println!("{}", other),
                }
                Ok(0)
            }
            None => {
                eprintln!("waterfall: {} is not set in any layer", key);
                Ok(1)
            }
        },
        ["set", key, value] => {
            let value = json::parse_literal(value).map_err(|e| Some(Error::InvalidValue(e)))?;
            config.set(key, value).map_err(Some)?;
            let variable = config.env_variable(key);
            if config.env.contains_key(&variable) {
                eprintln!("waterfall: warning: the environment variable {} is set and overrides the stored value of {}; unset {} for the store's value to take effect", variable, key, variable);
            }
            Ok(0)
        }
        ["unset", key] => {
            config.unset(key).map_err(Some)?;
            Ok(0)
        }
        _ => Err(None),
    }
}
