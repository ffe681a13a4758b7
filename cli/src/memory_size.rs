//! Memory sizes on the command line: the one parser lives in `spindle-client` (the spec file
//! reads sizes the same way).

pub use spindle_client::memory::parse_memory_mb;
