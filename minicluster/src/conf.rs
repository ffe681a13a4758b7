//! The cluster's configuration folder (`HADOOP_CONF_DIR`, written with `spindle-conf`) and the
//! JDK its containers get.

use std::path::{Path, PathBuf};

pub use spindle_conf::write::{site_xml, write_conf_dir};

/// The JDK a container should get as `JAVA_HOME`: `JAVA_HOME` if set, else the JDK that
/// `java` on the `PATH` belongs to.
pub fn detect_java_home() -> Option<PathBuf> {
    if let Some(h) = std::env::var_os("JAVA_HOME").filter(|h| !h.is_empty()) {
        return Some(PathBuf::from(h));
    }
    let path = std::env::var_os("PATH")?;
    for dir in std::env::split_paths(&path) {
        let java = dir.join("java");
        if java.is_file()
            && let Ok(real) = std::fs::canonicalize(&java)
            && let Some(home) = real.parent().and_then(Path::parent)
        {
            return Some(home.to_path_buf());
        }
    }
    None
}
