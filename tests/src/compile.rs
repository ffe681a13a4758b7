//! Compiling the Java harness (`tests/interop/java/**.java`) once, into a cache keyed by a hash of
//! its sources and of the jars it is compiled against.

use std::path::{Path, PathBuf};
use std::time::Duration;

use tokio::process::Command;
use tokio::sync::OnceCell;

use crate::cache::{build_once, files_under, fingerprint, interop_sources, run_tool};
use crate::error::{HarnessError, Result};
use crate::jars::hadoop_jars;

/// How long `javac` may run.
const JAVAC_TIMEOUT: Duration = Duration::from_secs(300);

static CLASSES: OnceCell<PathBuf> = OnceCell::const_new();

/// The folder of compiled harness classes, compiling them first when the cache lacks them.
pub async fn harness_classes() -> Result<PathBuf> {
    CLASSES.get_or_try_init(compile_if_needed).await.cloned()
}

/// The classpath of a harness JVM: the compiled harness, then Hadoop's jars.
pub async fn harness_classpath() -> Result<String> {
    let classes = harness_classes().await?;
    let jars = hadoop_jars().await?;
    Ok(join_classpath(
        std::iter::once(classes.as_path()).chain(jars.iter().map(PathBuf::as_path)),
    ))
}

async fn compile_if_needed() -> Result<PathBuf> {
    let jars = hadoop_jars().await?;
    let src = interop_sources("java");
    let sources: Vec<PathBuf> = files_under(std::slice::from_ref(&src))
        .into_iter()
        .filter(|p| p.extension().is_some_and(|x| x == "java"))
        .collect();
    if sources.is_empty() {
        return Err(HarnessError::Build {
            what: "the Java harness".into(),
            step: "javac".into(),
            status: "no sources".into(),
            output: format!("no .java files under {}", src.display()),
        });
    }
    let key = fingerprint(&src, &sources, &jars)?;
    build_once("harness", &key, |out| async move {
        let mut javac = Command::new("javac");
        javac
            .args(["-encoding", "UTF-8", "-nowarn", "-d"])
            .arg(&out)
            .arg("-cp")
            .arg(join_classpath(jars.iter().map(PathBuf::as_path)))
            .args(&sources);
        run_tool("the Java harness", javac, JAVAC_TIMEOUT).await
    })
    .await
}

/// Joins classpath entries with `:`.
pub fn join_classpath<'a>(entries: impl IntoIterator<Item = &'a Path>) -> String {
    entries
        .into_iter()
        .map(|p| p.to_string_lossy().into_owned())
        .collect::<Vec<_>>()
        .join(":")
}
