//! Hadoop configuration, read the way Hadoop reads it, for every Spindle part that talks to a
//! cluster (the ApplicationMaster now, the submit client next).
//!
//! * **Where**: [`Configuration::from_env`] looks in `HADOOP_CONF_DIR`, then `YARN_CONF_DIR`, then
//!   `$HADOOP_HOME/etc/hadoop`, and takes each of `core-site.xml` and `yarn-site.xml` from the first
//!   folder that has it (the way a JVM finds them first on its classpath).
//! * **Order**: Hadoop's defaults for the keys Spindle reads ([`defaults`]), then `core-site.xml`,
//!   then `yarn-site.xml`; a later file wins unless an earlier one marked the property `final`.
//!   Values set in code ([`Configuration::set`]: command-line flags, `--conf k=v`) win over all.
//! * **Values** are expanded when read ([`expand`]): `${env.X}`, system properties such as
//!   `${user.name}`, other keys.
//! * **Bounds**: files of at most [`MAX_FILE_BYTES`], includes nested at most
//!   [`MAX_INCLUDE_DEPTH`] deep, and the limits of the XML parser ([`xml`]). A malformed file is
//!   an error naming the file and line.
//!
//! ```
//! use spindle_conf::Configuration;
//!
//! let mut conf = Configuration::new();
//! conf.add_xml_str(
//!     "yarn-site.xml",
//!     "<configuration><property><name>yarn.resourcemanager.hostname</name>\
//!      <value>rm.example.com</value></property></configuration>",
//! ).unwrap();
//! assert_eq!(
//!     conf.get("yarn.resourcemanager.scheduler.address").as_deref(),
//!     Some("rm.example.com:8030"),
//! );
//! ```

#![forbid(unsafe_code)]
#![warn(missing_docs)]

pub mod defaults;
mod error;
pub mod expand;
pub mod write;
pub mod xml;
pub mod yarn;

use std::collections::HashMap;
use std::fmt;
use std::path::{Path, PathBuf};
use std::str::FromStr;
use std::sync::Arc;
use std::time::Duration;

pub use error::ConfError;

/// The largest configuration file read (Hadoop's own `yarn-default.xml` is about 200 KB).
pub const MAX_FILE_BYTES: u64 = 16 * 1024 * 1024;
/// How deep `xi:include`s may nest.
pub const MAX_INCLUDE_DEPTH: usize = 8;
/// The files read from a configuration folder, in this order.
pub const SITE_FILES: [&str; 2] = ["core-site.xml", "yarn-site.xml"];

/// Old key names Hadoop still accepts, and the names they stand for.
const DEPRECATED: &[(&str, &str)] = &[
    ("fs.default.name", "fs.defaultFS"),
    (
        "yarn.resourcemanager.am.max-retries",
        "yarn.resourcemanager.am.max-attempts",
    ),
];

fn current_name(key: &str) -> &str {
    DEPRECATED
        .iter()
        .find(|(old, _)| *old == key)
        .map_or(key, |(_, new)| new)
}

/// Where a value came from, for messages that tell the user what to edit.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Source {
    /// Hadoop's default.
    Default,
    /// A file, at a line.
    File {
        /// The file.
        path: PathBuf,
        /// The 1-based line of its `<property>`.
        line: usize,
    },
    /// Set in code; the label says by what (`--conf`, `--queue`, …).
    Set(String),
}

impl fmt::Display for Source {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Source::Default => f.write_str("Hadoop's default"),
            Source::File { path, line } => write!(f, "{}:{line}", path.display()),
            Source::Set(label) => f.write_str(label),
        }
    }
}

#[derive(Debug, Clone)]
struct Entry {
    value: String,
    source: Source,
    is_final: bool,
}

type EnvFn = Arc<dyn Fn(&str) -> Option<String> + Send + Sync>;

/// A Hadoop configuration: properties from defaults, files and code, read with expansion.
#[derive(Clone)]
pub struct Configuration {
    entries: HashMap<String, Entry>,
    system: HashMap<String, String>,
    env: EnvFn,
    files: Vec<PathBuf>,
    warnings: Vec<String>,
}

impl fmt::Debug for Configuration {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Configuration")
            .field("files", &self.files)
            .field("keys", &self.entries.len())
            .finish()
    }
}

impl Default for Configuration {
    fn default() -> Self {
        Configuration::new()
    }
}

impl Configuration {
    /// Hadoop's defaults only, expanding `${env.…}` from this process's environment.
    pub fn new() -> Self {
        Configuration::with_env(|name| std::env::var(name).ok())
    }

    /// Hadoop's defaults only, with environment variables looked up through `env` (for tests,
    /// and for reading a container's environment that is not this process's).
    pub fn with_env(env: impl Fn(&str) -> Option<String> + Send + Sync + 'static) -> Self {
        let env: EnvFn = Arc::new(env);
        let mut system = HashMap::new();
        // The JVM system properties that Hadoop's defaults refer to.
        let user = env("USER")
            .or_else(|| env("LOGNAME"))
            .filter(|u| !u.is_empty());
        if let Some(user) = user {
            system.insert("user.name".to_string(), user);
        }
        if let Some(home) = env("HOME") {
            system.insert("user.home".to_string(), home);
        }
        system.insert(
            "java.io.tmpdir".to_string(),
            std::env::temp_dir().to_string_lossy().into_owned(),
        );
        Configuration {
            entries: HashMap::new(),
            system,
            env,
            files: Vec::new(),
            warnings: Vec::new(),
        }
    }

    /// The configuration the Hadoop tools would see in this environment: defaults plus the site
    /// files of `HADOOP_CONF_DIR`, `YARN_CONF_DIR` or `$HADOOP_HOME/etc/hadoop`.
    ///
    /// A named folder that does not exist is an error (a typo there would otherwise silently
    /// mean "talk to 0.0.0.0"); no folder named at all gives the defaults, and
    /// [`Configuration::files`] is empty.
    pub fn from_env() -> Result<Self, ConfError> {
        let mut conf = Configuration::new();
        let dirs = conf.conf_dirs();
        conf.load_dirs(&dirs)?;
        Ok(conf)
    }

    /// The folders [`Configuration::from_env`] reads, in order.
    pub fn conf_dirs(&self) -> Vec<PathBuf> {
        let mut dirs: Vec<PathBuf> = Vec::new();
        let named = ["HADOOP_CONF_DIR", "YARN_CONF_DIR"]
            .into_iter()
            .filter_map(|v| (self.env)(v))
            .map(PathBuf::from);
        let home = (self.env)("HADOOP_HOME").map(|h| Path::new(&h).join("etc/hadoop"));
        for dir in named.chain(home) {
            if !dir.as_os_str().is_empty() && !dirs.contains(&dir) {
                dirs.push(dir);
            }
        }
        dirs
    }

    /// Reads [`SITE_FILES`], each from the first of `dirs` that has it.
    pub fn load_dirs(&mut self, dirs: &[PathBuf]) -> Result<(), ConfError> {
        for dir in dirs {
            if !dir.is_dir() {
                return Err(ConfError::Io {
                    path: dir.clone(),
                    source: std::io::Error::new(
                        std::io::ErrorKind::NotFound,
                        "not a folder; point HADOOP_CONF_DIR at the folder holding yarn-site.xml",
                    ),
                });
            }
        }
        for name in SITE_FILES {
            if let Some(path) = dirs.iter().map(|d| d.join(name)).find(|p| p.is_file()) {
                self.add_file(&path)?;
            }
        }
        Ok(())
    }

    /// Reads [`SITE_FILES`] from one folder.
    pub fn load_dir(&mut self, dir: &Path) -> Result<(), ConfError> {
        self.load_dirs(&[dir.to_path_buf()])
    }

    /// Adds one `*-site.xml` file on top of what is loaded.
    pub fn add_file(&mut self, path: &Path) -> Result<(), ConfError> {
        self.add_file_at_depth(path, 0)
    }

    /// Adds XML text as if read from a file called `name`.
    pub fn add_xml_str(&mut self, name: &str, text: &str) -> Result<(), ConfError> {
        let path = PathBuf::from(name);
        let items = xml::parse(&path, text)?;
        self.apply(&path, items, 0)
    }

    fn add_file_at_depth(&mut self, path: &Path, depth: usize) -> Result<(), ConfError> {
        let io = |source| ConfError::Io {
            path: path.to_path_buf(),
            source,
        };
        let size = std::fs::metadata(path).map_err(io)?.len();
        if size > MAX_FILE_BYTES {
            return Err(ConfError::TooLarge {
                path: path.to_path_buf(),
                size,
                limit: MAX_FILE_BYTES,
            });
        }
        let bytes = std::fs::read(path).map_err(io)?;
        let text = String::from_utf8(bytes).map_err(|e| {
            let at = e.utf8_error().valid_up_to();
            let line = e.as_bytes()[..at].iter().filter(|b| **b == b'\n').count() + 1;
            ConfError::Malformed {
                path: path.to_path_buf(),
                line,
                detail: "not UTF-8 text".to_string(),
            }
        })?;
        let items = xml::parse(path, &text)?;
        self.files.push(path.to_path_buf());
        self.apply(path, items, depth)
    }

    fn apply(&mut self, path: &Path, items: Vec<xml::Item>, depth: usize) -> Result<(), ConfError> {
        for item in items {
            match item {
                xml::Item::Property {
                    name,
                    value,
                    is_final,
                    line,
                } => {
                    let key = current_name(&name).to_string();
                    let source = Source::File {
                        path: path.to_path_buf(),
                        line,
                    };
                    if let Some(old) = self.entries.get(&key)
                        && old.is_final
                        && matches!(old.source, Source::File { .. })
                    {
                        self.warnings.push(format!(
                            "{source}: {key} is final in {}; this value is ignored",
                            old.source
                        ));
                        continue;
                    }
                    // An empty or missing value is "unset": it overrides nothing (but a
                    // `final` on it still protects the value before it).
                    match (value, self.entries.get_mut(&key)) {
                        (Some(value), _) => {
                            self.entries.insert(
                                key,
                                Entry {
                                    value,
                                    source,
                                    is_final,
                                },
                            );
                        }
                        (None, Some(old)) => old.is_final |= is_final,
                        (None, None) => {}
                    }
                }
                xml::Item::Include {
                    href,
                    has_fallback,
                    line,
                } => {
                    if depth + 1 > MAX_INCLUDE_DEPTH {
                        return Err(ConfError::Malformed {
                            path: path.to_path_buf(),
                            line,
                            detail: format!(
                                "includes nested deeper than {MAX_INCLUDE_DEPTH} (a file including itself?)"
                            ),
                        });
                    }
                    let target = path.parent().unwrap_or(Path::new(".")).join(&href);
                    if !target.exists() && has_fallback {
                        continue;
                    }
                    self.add_file_at_depth(&target, depth + 1)
                        .map_err(|e| match e {
                            ConfError::Io {
                                path: missing,
                                source,
                            } => ConfError::Malformed {
                                path: path.to_path_buf(),
                                line,
                                detail: format!("cannot include {}: {source}", missing.display()),
                            },
                            other => other,
                        })?;
                }
            }
        }
        Ok(())
    }

    /// Sets `key` in code, above every file (even a `final` property: flags are the user's
    /// last word). `label` names the setter in messages (`--conf`, `--queue`).
    pub fn set(&mut self, key: &str, value: impl Into<String>, label: &str) {
        self.entries.insert(
            current_name(key).to_string(),
            Entry {
                value: value.into(),
                source: Source::Set(label.to_string()),
                is_final: false,
            },
        );
    }

    /// Sets a "system property" (what `-Dname=value` is to a JVM), looked up before keys in
    /// `${…}` expansion.
    pub fn set_system_property(&mut self, name: &str, value: impl Into<String>) {
        self.system.insert(name.to_string(), value.into());
    }

    /// The files read, in order (includes included).
    pub fn files(&self) -> &[PathBuf] {
        &self.files
    }

    /// Notes about values that were ignored (an override of a `final` property).
    pub fn warnings(&self) -> &[String] {
        &self.warnings
    }

    /// The value of `key` as written (no expansion), or its default.
    pub fn get_raw(&self, key: &str) -> Option<&str> {
        let key = current_name(key);
        self.entries
            .get(key)
            .map(|e| e.value.as_str())
            .or_else(|| defaults::default_of(key))
    }

    /// Where the value of `key` comes from.
    pub fn source(&self, key: &str) -> Option<Source> {
        let key = current_name(key);
        match self.entries.get(key) {
            Some(e) => Some(e.source.clone()),
            None => defaults::default_of(key).map(|_| Source::Default),
        }
    }

    /// The value of `key`, expanded, or its default.
    pub fn get(&self, key: &str) -> Option<String> {
        self.get_raw(key).map(|raw| expand::expand(raw, self))
    }

    /// The value of `key`, expanded and trimmed, when set to something other than blanks.
    pub fn get_trimmed(&self, key: &str) -> Option<String> {
        self.get(key)
            .map(|v| v.trim().to_string())
            .filter(|v| !v.is_empty())
    }

    /// A comma-separated list, each entry trimmed, empty entries dropped (Hadoop's
    /// `getTrimmedStrings`).
    pub fn get_list(&self, key: &str) -> Vec<String> {
        self.get(key)
            .map(|v| {
                v.split(',')
                    .map(str::trim)
                    .filter(|s| !s.is_empty())
                    .map(String::from)
                    .collect()
            })
            .unwrap_or_default()
    }

    /// The error for `key`'s `value` not being what was `expected` (it names where the value was
    /// set).
    pub fn invalid(&self, key: &str, value: &str, expected: &str) -> ConfError {
        ConfError::Invalid {
            key: key.to_string(),
            value: value.to_string(),
            source_name: self
                .source(key)
                .map_or_else(|| "unset".to_string(), |s| s.to_string()),
            expected: expected.to_string(),
        }
    }

    /// The value parsed as `T`, `None` when unset.
    pub fn get_parsed<T: FromStr>(&self, key: &str) -> Result<Option<T>, ConfError> {
        match self.get_trimmed(key) {
            None => Ok(None),
            Some(v) => v.parse().map(Some).map_err(|_| {
                self.invalid(key, &v, &format!("expected {}", std::any::type_name::<T>()))
            }),
        }
    }

    /// A number, or `default` when unset.
    pub fn get_u64_or(&self, key: &str, default: u64) -> Result<u64, ConfError> {
        Ok(self.get_parsed(key)?.unwrap_or(default))
    }

    /// `true`/`false` (any case, as Hadoop's `getBoolean`), or `default` when unset.
    pub fn get_bool_or(&self, key: &str, default: bool) -> Result<bool, ConfError> {
        match self.get_trimmed(key) {
            None => Ok(default),
            Some(v) if v.eq_ignore_ascii_case("true") => Ok(true),
            Some(v) if v.eq_ignore_ascii_case("false") => Ok(false),
            Some(v) => Err(self.invalid(key, &v, "expected true or false")),
        }
    }

    /// A duration as Hadoop's `getTimeDuration` reads it: a number with an optional unit
    /// suffix (`ns`, `us`, `ms`, `s`, `m`, `h`, `d`); a bare number is in `unit`.
    pub fn get_duration(&self, key: &str, unit: Duration) -> Result<Option<Duration>, ConfError> {
        let Some(v) = self.get_trimmed(key) else {
            return Ok(None);
        };
        parse_duration(&v, unit)
            .map(Some)
            .ok_or_else(|| self.invalid(key, &v, "expected a duration such as 3000, 3s or 5m"))
    }
}

/// Parses `3000`, `3s`, `5m`… (a bare number counts in `unit`).
fn parse_duration(text: &str, unit: Duration) -> Option<Duration> {
    let lower = text.to_ascii_lowercase();
    let digits_end = lower
        .find(|c: char| !c.is_ascii_digit())
        .unwrap_or(lower.len());
    let (number, suffix) = lower.split_at(digits_end);
    let n: u64 = number.parse().ok()?;
    let per = match suffix.trim() {
        "" => unit,
        "ns" => Duration::from_nanos(1),
        "us" => Duration::from_micros(1),
        "ms" => Duration::from_millis(1),
        "s" => Duration::from_secs(1),
        "m" => Duration::from_secs(60),
        "h" => Duration::from_secs(3600),
        "d" => Duration::from_secs(86_400),
        _ => return None,
    };
    let nanos = per.as_nanos().checked_mul(u128::from(n))?;
    u64::try_from(nanos).ok().map(Duration::from_nanos)
}

impl expand::Lookup for Configuration {
    fn env(&self, name: &str) -> Option<String> {
        (self.env)(name)
    }

    fn system_property(&self, name: &str) -> Option<String> {
        self.system.get(name).cloned()
    }

    fn key(&self, name: &str) -> Option<String> {
        self.get_raw(name).map(String::from)
    }
}

#[cfg(test)]
mod tests;
