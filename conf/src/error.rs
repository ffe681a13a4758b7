//! What can go wrong reading a configuration, sorted by what the user fixes.

use std::path::PathBuf;

/// A configuration that could not be read, or a value that does not have the type a key needs.
#[derive(Debug, thiserror::Error)]
pub enum ConfError {
    /// A file could not be read (missing folder, permissions).
    #[error("cannot read {}: {source}", path.display())]
    Io {
        /// The file or folder.
        path: PathBuf,
        /// The operating system's error.
        #[source]
        source: std::io::Error,
    },
    /// A file is larger than a configuration file can reasonably be.
    #[error("{} is {size} bytes, more than the {limit} bytes a configuration file may have", path.display())]
    TooLarge {
        /// The file.
        path: PathBuf,
        /// Its size.
        size: u64,
        /// The limit.
        limit: u64,
    },
    /// The file is not well-formed XML, or not a Hadoop `<configuration>`.
    #[error("{}:{line}: {detail}", path.display())]
    Malformed {
        /// The file.
        path: PathBuf,
        /// The 1-based line where the problem was found.
        line: usize,
        /// What is wrong, and what to do.
        detail: String,
    },
    /// A value does not parse as the type its key needs.
    #[error("{key} = {value:?} (from {source_name}): {expected}")]
    Invalid {
        /// The key.
        key: String,
        /// The (expanded) value.
        value: String,
        /// Where the value was set: `yarn-site.xml:12`, `default`, `--conf`.
        source_name: String,
        /// What was expected instead.
        expected: String,
    },
    /// A key that must be set is not.
    #[error("{key} is not set: {hint}")]
    Missing {
        /// The key.
        key: String,
        /// How to set it.
        hint: String,
    },
}
