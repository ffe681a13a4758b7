//! The on-disk cache the interop tier shares across test processes (`~/.cache/spindle`, or
//! `$SPINDLE_CACHE_DIR`): build products keyed by a fingerprint of their inputs, each built once
//! under a file lock; the scripts that fetch the outside parts (a JDK, the `pyspark` sdist); and
//! bounded runs of the build tools.

use std::future::Future;
use std::os::unix::fs::MetadataExt;
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use nix::fcntl::{Flock, FlockArg};
use sha1::{Digest, Sha1};
use tokio::process::Command;

use crate::error::{HarnessError, Result};

/// How long a `scripts/*-deps.sh` may take (a cold cache downloads the ~456 MB sdist).
const DEPS_TIMEOUT: Duration = Duration::from_secs(20 * 60);
/// How long to wait for another test process that is building the same thing.
const LOCK_TIMEOUT: Duration = Duration::from_secs(400);
/// Written last into a finished build folder: a folder without it is redone.
const COMPLETE: &str = ".complete";

/// The workspace root (the parent of this crate's manifest folder).
pub fn repo_root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .map(Path::to_path_buf)
        .unwrap_or_else(|| PathBuf::from(env!("CARGO_MANIFEST_DIR")))
}

/// `tests/interop/<part>`: the sources of an interop part (`java` for the harness, `spark` for
/// the Spark job).
pub fn interop_sources(part: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("interop")
        .join(part)
}

/// The cache root: `$SPINDLE_CACHE_DIR`, else `~/.cache/spindle` (as the deps scripts).
pub fn cache_root() -> PathBuf {
    if let Some(d) = std::env::var_os("SPINDLE_CACHE_DIR").filter(|d| !d.is_empty()) {
        return PathBuf::from(d);
    }
    match std::env::var_os("HOME").filter(|d| !d.is_empty()) {
        Some(h) => PathBuf::from(h).join(".cache").join("spindle"),
        None => std::env::temp_dir().join("spindle-cache"),
    }
}

/// Every file under `roots`, recursively, sorted (unreadable folders are skipped).
pub fn files_under(roots: &[PathBuf]) -> Vec<PathBuf> {
    let mut files = Vec::new();
    let mut stack = roots.to_vec();
    while let Some(d) = stack.pop() {
        let Ok(rd) = std::fs::read_dir(&d) else {
            continue;
        };
        for p in rd.flatten().map(|e| e.path()) {
            if p.is_dir() {
                stack.push(p);
            } else {
                files.push(p);
            }
        }
    }
    files.sort();
    files
}

/// A hex SHA-1 over `sources` (path relative to `base`, and contents) and `deps` (path and
/// size): it changes when a source or a dependency does.
pub fn fingerprint(base: &Path, sources: &[PathBuf], deps: &[PathBuf]) -> Result<String> {
    let mut h = Sha1::new();
    for s in sources {
        h.update(
            s.strip_prefix(base)
                .unwrap_or(s)
                .to_string_lossy()
                .as_bytes(),
        );
        h.update([0]);
        h.update(std::fs::read(s)?);
        h.update([0]);
    }
    for d in deps {
        h.update(d.to_string_lossy().as_bytes());
        h.update(std::fs::metadata(d)?.size().to_le_bytes());
    }
    Ok(hex::encode(h.finalize().as_slice()))
}

/// The folder `<cache>/<kind>/<key>/`, built by `build` (given an empty scratch folder that
/// becomes it) unless a finished one exists. A file lock serialises test processes building the
/// same kind; a failed build leaves nothing behind.
pub async fn build_once<F, Fut>(kind: &str, key: &str, build: F) -> Result<PathBuf>
where
    F: FnOnce(PathBuf) -> Fut,
    Fut: Future<Output = Result<()>>,
{
    let root = cache_root().join(kind);
    std::fs::create_dir_all(&root)?;
    let dest = root.join(key);
    if dest.join(COMPLETE).exists() {
        return Ok(dest);
    }
    let _lock = lock_file(&root.join(".lock")).await?;
    // Another process may have finished it while we waited for the lock.
    if dest.join(COMPLETE).exists() {
        return Ok(dest);
    }
    let tmp = root.join(format!("{key}.tmp-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&tmp);
    std::fs::create_dir_all(&tmp)?;
    if let Err(e) = build(tmp.clone()).await {
        let _ = std::fs::remove_dir_all(&tmp);
        return Err(e);
    }
    std::fs::write(tmp.join(COMPLETE), b"")?;
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

/// Runs one build step of `what` (e.g. `javac` for the Java harness) to its end within
/// `timeout`; a failure carries the step's output.
pub async fn run_tool(what: &str, mut cmd: Command, timeout: Duration) -> Result<()> {
    let step = cmd.as_std().get_program().to_string_lossy().into_owned();
    let failed = |status: String, output: String| HarnessError::Build {
        what: what.to_string(),
        step: step.clone(),
        status,
        output,
    };
    cmd.kill_on_drop(true);
    let out = match tokio::time::timeout(timeout, cmd.output()).await {
        Err(_) => {
            return Err(failed(
                format!("did not finish within {timeout:?}"),
                String::new(),
            ));
        }
        Ok(Err(source)) => {
            return Err(HarnessError::Spawn {
                program: step.clone(),
                source,
            });
        }
        Ok(Ok(out)) => out,
    };
    if !out.status.success() {
        return Err(failed(
            out.status.to_string(),
            format!(
                "{}{}",
                String::from_utf8_lossy(&out.stdout),
                String::from_utf8_lossy(&out.stderr)
            ),
        ));
    }
    Ok(())
}

/// The folder `$var` names when set, otherwise the one `scripts/<script>` prints last (the
/// script fetches what is missing, once); a failure is reported as `missing(reason)`.
pub async fn folder_from(
    var: &str,
    script: &str,
    missing: fn(String) -> HarnessError,
) -> Result<PathBuf> {
    match std::env::var_os(var) {
        Some(d) if !d.is_empty() => Ok(PathBuf::from(d)),
        _ => run_deps_script(script).await.map_err(missing),
    }
}

async fn run_deps_script(script: &str) -> std::result::Result<PathBuf, String> {
    let script = repo_root().join("scripts").join(script);
    let mut cmd = Command::new("bash");
    cmd.arg(&script).kill_on_drop(true);
    let out = tokio::time::timeout(DEPS_TIMEOUT, cmd.output())
        .await
        .map_err(|_| format!("{} took over {DEPS_TIMEOUT:?}", script.display()))?
        .map_err(|e| format!("cannot run {}: {e}", script.display()))?;
    if !out.status.success() {
        return Err(format!(
            "{} failed ({}): {}",
            script.display(),
            out.status,
            String::from_utf8_lossy(&out.stderr)
        ));
    }
    let stdout = String::from_utf8_lossy(&out.stdout);
    match stdout.lines().rev().map(str::trim).find(|l| !l.is_empty()) {
        Some(line) => Ok(PathBuf::from(line)),
        None => Err(format!("{} printed no folder", script.display())),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_fingerprint_follows_sources_and_dependency_sizes() {
        let dir = tempfile::tempdir().expect("tempdir");
        let (src, dep) = (dir.path().join("A.java"), dir.path().join("x.jar"));
        std::fs::write(&src, b"class A {}").expect("write");
        std::fs::write(&dep, b"jar").expect("write");
        let (sources, deps) = ([src.clone()], [dep.clone()]);
        let key = || fingerprint(dir.path(), &sources, &deps).expect("hash");
        let first = key();
        assert_eq!(key(), first, "stable");
        std::fs::write(&src, b"class A { }").expect("write");
        let second = key();
        assert_ne!(second, first, "a source changed");
        std::fs::write(&dep, b"jar2").expect("write");
        assert_ne!(key(), second, "a dependency changed size");
        assert!(fingerprint(dir.path(), &[dir.path().join("gone")], &[]).is_err());
    }

    #[test]
    fn files_under_walks_every_folder_in_order() {
        let dir = tempfile::tempdir().expect("tempdir");
        std::fs::create_dir_all(dir.path().join("b/c")).expect("mkdir");
        for f in ["z", "b/y", "b/c/x"] {
            std::fs::write(dir.path().join(f), b"").expect("write");
        }
        let found: Vec<String> = files_under(&[dir.path().to_path_buf()])
            .iter()
            .map(|p| {
                p.strip_prefix(dir.path())
                    .expect("inside")
                    .display()
                    .to_string()
            })
            .collect();
        assert_eq!(found, ["b/c/x", "b/y", "z"]);
        assert!(files_under(&[dir.path().join("missing")]).is_empty());
    }
}
