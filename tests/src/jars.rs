//! Finding Hadoop's client jars (from the `pyspark` sdist, see `scripts/interop-deps.sh`).

use std::path::{Path, PathBuf};

use tokio::sync::OnceCell;

use crate::cache::folder_from;
use crate::error::{HarnessError, Result};

static JARS: OnceCell<Vec<PathBuf>> = OnceCell::const_new();

/// Absolute paths of every jar in Hadoop's client jar folder.
///
/// The folder is `$SPINDLE_HADOOP_JARS` when set, otherwise whatever `scripts/interop-deps.sh`
/// prints (it installs a JDK when missing and downloads the jars once into `~/.cache/spindle`).
pub async fn hadoop_jars() -> Result<Vec<PathBuf>> {
    let find = || async {
        list_jars(&folder_from("SPINDLE_HADOOP_JARS", "interop-deps.sh", HarnessError::Jars).await?)
    };
    JARS.get_or_try_init(find).await.cloned()
}

/// The `.jar` files of `dir` (sorted, absolute); the folder must hold `hadoop-client-api-*.jar`.
pub fn list_jars(dir: &Path) -> Result<Vec<PathBuf>> {
    let dir = std::fs::canonicalize(dir)
        .map_err(|e| HarnessError::Jars(format!("{}: {e}", dir.display())))?;
    let mut jars: Vec<PathBuf> = std::fs::read_dir(&dir)
        .map_err(|e| HarnessError::Jars(format!("{}: {e}", dir.display())))?
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.extension().is_some_and(|x| x == "jar"))
        .collect();
    jars.sort();
    let has_api = jars.iter().any(|p| {
        p.file_name()
            .and_then(|n| n.to_str())
            .is_some_and(|n| n.starts_with("hadoop-client-api-"))
    });
    if !has_api {
        return Err(HarnessError::Jars(format!(
            "no hadoop-client-api-*.jar in {}",
            dir.display()
        )));
    }
    Ok(jars)
}

#[cfg(test)]
mod tests {
    use super::list_jars;

    #[test]
    fn a_folder_without_hadoop_jars_is_a_clear_error() {
        let dir = tempfile::tempdir().expect("tempdir");
        std::fs::write(dir.path().join("other.jar"), b"").expect("write");
        let err = list_jars(dir.path()).expect_err("no hadoop-client-api jar");
        assert!(err.to_string().contains("hadoop-client-api"), "{err}");
        std::fs::write(dir.path().join("hadoop-client-api-3.5.0.jar"), b"").expect("write");
        let jars = list_jars(dir.path()).expect("now it has one");
        assert_eq!(jars.len(), 2);
        assert!(jars.iter().all(|j| j.is_absolute()));
        assert!(list_jars(&dir.path().join("missing")).is_err());
    }
}
