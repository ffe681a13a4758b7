//! Compiling the Java harness (`tests/interop/java/**.java`) once, into a cache keyed by a hash of
//! its sources and of the jars it is compiled against.

use std::os::unix::fs::MetadataExt;
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use nix::fcntl::{Flock, FlockArg};
use sha1::{Digest, Sha1};
use tokio::process::Command;
use tokio::sync::OnceCell;

use crate::error::{HarnessError, Result};
use crate::jars::hadoop_jars;

/// How long `javac` may run.
const JAVAC_TIMEOUT: Duration = Duration::from_secs(300);
/// How long to wait for another test process that is compiling the same sources.
const LOCK_TIMEOUT: Duration = Duration::from_secs(400);

static CLASSES: OnceCell<PathBuf> = OnceCell::const_new();

/// The folder holding the harness's Java sources.
pub fn java_source_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("interop")
        .join("java")
}

/// The cache root: `$SPINDLE_CACHE_DIR`, else `~/.cache/spindle` (as `scripts/interop-deps.sh`).
fn cache_root() -> PathBuf {
    if let Some(d) = std::env::var_os("SPINDLE_CACHE_DIR").filter(|d| !d.is_empty()) {
        return PathBuf::from(d);
    }
    match std::env::var_os("HOME").filter(|d| !d.is_empty()) {
        Some(h) => PathBuf::from(h).join(".cache").join("spindle"),
        None => std::env::temp_dir().join("spindle-cache"),
    }
}

/// Every `.java` file under `dir`, sorted.
fn java_sources(dir: &Path) -> Result<Vec<PathBuf>> {
    let mut out = Vec::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(d) = stack.pop() {
        for entry in std::fs::read_dir(&d)? {
            let p = entry?.path();
            if p.is_dir() {
                stack.push(p);
            } else if p.extension().is_some_and(|x| x == "java") {
                out.push(p);
            }
        }
    }
    out.sort();
    Ok(out)
}

/// The folder of compiled harness classes, compiling them first when the cache lacks them.
pub async fn harness_classes() -> Result<PathBuf> {
    CLASSES.get_or_try_init(compile_if_needed).await.cloned()
}

async fn compile_if_needed() -> Result<PathBuf> {
    let jars = hadoop_jars().await?;
    let src = java_source_dir();
    let sources = java_sources(&src)?;
    if sources.is_empty() {
        return Err(HarnessError::Compile {
            status: "no sources".into(),
            output: format!("no .java files under {}", src.display()),
        });
    }
    let mut h = Sha1::new();
    for s in &sources {
        h.update(
            s.strip_prefix(&src)
                .unwrap_or(s)
                .to_string_lossy()
                .as_bytes(),
        );
        h.update([0]);
        h.update(std::fs::read(s)?);
        h.update([0]);
    }
    for j in &jars {
        h.update(j.to_string_lossy().as_bytes());
        h.update(std::fs::metadata(j)?.size().to_le_bytes());
    }
    let key = hex::encode(h.finalize().as_slice());
    let root = cache_root().join("harness");
    std::fs::create_dir_all(&root)?;
    let dest = root.join(&key);
    if dest.join(".complete").exists() {
        return Ok(dest);
    }

    // Serialise compilation across test processes; re-check once we hold the lock.
    let lock_path = root.join(".lock");
    let _lock = lock_file(&lock_path).await?;
    if dest.join(".complete").exists() {
        return Ok(dest);
    }
    let tmp = root.join(format!("{key}.tmp-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&tmp);
    std::fs::create_dir_all(&tmp)?;
    let classpath = join_classpath(jars.iter().map(PathBuf::as_path));
    let mut cmd = Command::new("javac");
    cmd.arg("-encoding")
        .arg("UTF-8")
        .arg("-nowarn")
        .arg("-d")
        .arg(&tmp)
        .arg("-cp")
        .arg(&classpath)
        .args(&sources)
        .kill_on_drop(true);
    let out = match tokio::time::timeout(JAVAC_TIMEOUT, cmd.output()).await {
        Err(_) => {
            return Err(HarnessError::Compile {
                status: format!("javac did not finish within {JAVAC_TIMEOUT:?}"),
                output: String::new(),
            });
        }
        Ok(Err(e)) => {
            return Err(HarnessError::Spawn {
                program: "javac".into(),
                source: e,
            });
        }
        Ok(Ok(out)) => out,
    };
    if !out.status.success() {
        let _ = std::fs::remove_dir_all(&tmp);
        return Err(HarnessError::Compile {
            status: out.status.to_string(),
            output: format!(
                "{}{}",
                String::from_utf8_lossy(&out.stdout),
                String::from_utf8_lossy(&out.stderr)
            ),
        });
    }
    std::fs::write(tmp.join(".complete"), b"")?;
    let _ = std::fs::remove_dir_all(&dest);
    std::fs::rename(&tmp, &dest)?;
    Ok(dest)
}

/// Takes an exclusive `flock` on `path`, polling so the wait is bounded.
async fn lock_file(path: &Path) -> Result<Flock<std::fs::File>> {
    let deadline = Instant::now() + LOCK_TIMEOUT;
    loop {
        let file = std::fs::OpenOptions::new()
            .create(true)
            .truncate(false)
            .write(true)
            .open(path)?;
        match Flock::lock(file, FlockArg::LockExclusiveNonblock) {
            Ok(lock) => return Ok(lock),
            Err((_, nix::errno::Errno::EWOULDBLOCK)) if Instant::now() < deadline => {
                tokio::time::sleep(Duration::from_millis(200)).await;
            }
            Err((_, nix::errno::Errno::EWOULDBLOCK)) => {
                return Err(HarnessError::Lock(path.to_path_buf()));
            }
            Err((_, e)) => return Err(HarnessError::Io(std::io::Error::from(e))),
        }
    }
}

/// Joins classpath entries with `:`.
pub fn join_classpath<'a>(entries: impl IntoIterator<Item = &'a Path>) -> String {
    entries
        .into_iter()
        .map(|p| p.to_string_lossy().into_owned())
        .collect::<Vec<_>>()
        .join(":")
}
