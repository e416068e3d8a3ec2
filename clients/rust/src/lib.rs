//! Waterfall's configuration from Rust, with the standard library alone: the waterfall (environment
//! > store > system file > defaults), JSON and NDJSON stores read and written under the same POSIX
//! record lock as the Java library, durable, recorded in the store's history as surface `rust`, TOML
//! stores and layer files read (a TOML 1.0 reader of its own, [`toml`]), and a watcher of a JSON
//! store's changes.
//!
//! ```no_run
//! use waterfall_config::{Config, Options, json::Value};
//! let config = Config::open(Options::new("pipeline")).unwrap();
//! if let Some(port) = config.get("server.port").unwrap() {
//!     println!("{} from {} {}", port.value, port.layer, port.source);
//! }
//! config.set("server.port", Value::Number("8081".into())).unwrap();
//! ```

pub mod config;
pub mod error;
pub mod files;
pub mod json;
pub mod keys;
pub mod lock;
pub mod sha256;
pub mod store;
pub mod toml;
pub mod watch;

pub use config::{Config, Options, Resolved};
pub use error::Error;
pub use store::{Change, Entry, Store, ABSENT, ANY};
pub use watch::{Changed, Watcher};
