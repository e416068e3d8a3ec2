//! clients/README.md's Rust example as a program: `tests/readme.rs` checks that the README shows
//! exactly the lines between the markers (without the lines marked `// wrapper`, indented four
//! spaces less), and runs this program in a home folder of its own.

// example:readme
use waterfall_config::{json::Value, Config, Options, Watcher};

fn main() -> Result<(), Box<dyn std::error::Error>> { // wrapper
    let config = Config::open(Options::new("pipeline"))?;         // this process's environment and home
    if let Some(port) = config.get("server.port")? {
        println!("{} from {} {}:{}", port.value, port.layer, port.source, port.line);
    }
    config.set("server.port", Value::Number("8081".into()))?;      // locked, durable, recorded as by rust …
    let mut watcher = Watcher::new(&config.store.path, 0);         // every change of a JSON store, in order
    for change in watcher.poll()? { println!("r{} {}", change.revision, change.key); }
    Ok(()) // wrapper
} // wrapper
// example:end
