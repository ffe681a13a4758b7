//! Running Spark's own `spark-submit --master yarn` (the distribution inside the `pyspark` sdist)
//! against a YARN cluster: finding `SPARK_HOME` (`scripts/spark-deps.sh`), building the small
//! `SparkPi` job under `tests/interop/spark/`, running `spark-submit` with a time limit, and
//! gathering container logs for failure reports.

use std::os::unix::fs::MetadataExt;
use std::path::{Path, PathBuf};
use std::process::{ExitStatus, Stdio};
use std::time::{Duration, Instant};

use nix::fcntl::{Flock, FlockArg};
use sha1::{Digest, Sha1};
use tokio::io::AsyncReadExt;
use tokio::process::Command;
use tokio::sync::OnceCell;

use crate::jars::repo_root;

/// How long `scripts/spark-deps.sh` may take (a cold cache downloads ~456 MB).
const DEPS_TIMEOUT: Duration = Duration::from_secs(20 * 60);
/// How long compiling and packaging `SparkPi` may take.
const BUILD_TIMEOUT: Duration = Duration::from_secs(300);
/// How long to wait for another test process building the same jar.
const LOCK_TIMEOUT: Duration = Duration::from_secs(400);
/// How much of each output stream of `spark-submit` is kept.
const OUTPUT_KEEP: usize = 512 * 1024;

/// What went wrong while preparing or running `spark-submit`.
#[derive(Debug, thiserror::Error)]
pub enum SparkError {
    /// No usable Spark distribution.
    #[error(
        "Spark distribution unavailable: {0} (set SPINDLE_SPARK_HOME to a folder holding bin/spark-submit and jars/, or run scripts/spark-deps.sh)"
    )]
    Home(String),
    /// A build step (`javac`, `jar`) failed.
    #[error("building the SparkPi jar failed at `{step}` ({status}):\n{output}")]
    Build {
        /// The failing step.
        step: String,
        /// Its exit status, or why it did not finish.
        status: String,
        /// Its combined output.
        output: String,
    },
    /// A program could not be started.
    #[error("could not start `{program}`: {source} (is a JDK 17+ installed?)")]
    Spawn {
        /// The program.
        program: String,
        /// The OS error.
        source: std::io::Error,
    },
    /// Another process held the build lock for too long.
    #[error("timed out waiting for the SparkPi build lock {0}")]
    Lock(PathBuf),
    /// A file-system error.
    #[error("I/O error: {0}")]
    Io(#[from] std::io::Error),
}

/// Result alias for this module.
pub type SparkResult<T> = std::result::Result<T, SparkError>;

static SPARK_HOME: OnceCell<PathBuf> = OnceCell::const_new();
static SPARK_PI: OnceCell<PathBuf> = OnceCell::const_new();

/// The cache root: `$SPINDLE_CACHE_DIR`, else `~/.cache/spindle` (as the deps scripts).
fn cache_root() -> PathBuf {
    if let Some(d) = std::env::var_os("SPINDLE_CACHE_DIR").filter(|d| !d.is_empty()) {
        return PathBuf::from(d);
    }
    match std::env::var_os("HOME").filter(|d| !d.is_empty()) {
        Some(h) => PathBuf::from(h).join(".cache").join("spindle"),
        None => std::env::temp_dir().join("spindle-cache"),
    }
}

/// The Spark distribution's home: `$SPINDLE_SPARK_HOME` when set, otherwise whatever
/// `scripts/spark-deps.sh` prints (it extracts the distribution from the cached `pyspark` sdist
/// once, downloading the sdist and installing a JDK first when needed).
pub async fn spark_home() -> SparkResult<PathBuf> {
    SPARK_HOME
        .get_or_try_init(|| async {
            let dir = match std::env::var_os("SPINDLE_SPARK_HOME") {
                Some(d) if !d.is_empty() => PathBuf::from(d),
                _ => run_deps_script().await?,
            };
            check_spark_home(&dir)
        })
        .await
        .cloned()
}

/// Checks that `dir` holds `bin/spark-submit` and a `jars/` folder with `spark-yarn_*.jar`;
/// returns it canonicalized.
pub fn check_spark_home(dir: &Path) -> SparkResult<PathBuf> {
    let dir = std::fs::canonicalize(dir)
        .map_err(|e| SparkError::Home(format!("{}: {e}", dir.display())))?;
    if !dir.join("bin").join("spark-submit").is_file() {
        return Err(SparkError::Home(format!(
            "no bin/spark-submit in {}",
            dir.display()
        )));
    }
    let has_yarn = std::fs::read_dir(dir.join("jars"))
        .map_err(|e| SparkError::Home(format!("{}/jars: {e}", dir.display())))?
        .filter_map(|e| e.ok())
        .any(|e| e.file_name().to_string_lossy().starts_with("spark-yarn_"));
    if !has_yarn {
        return Err(SparkError::Home(format!(
            "no spark-yarn_*.jar in {}/jars",
            dir.display()
        )));
    }
    Ok(dir)
}

async fn run_deps_script() -> SparkResult<PathBuf> {
    let script = repo_root().join("scripts").join("spark-deps.sh");
    let mut cmd = Command::new("bash");
    cmd.arg(&script).kill_on_drop(true);
    let out = tokio::time::timeout(DEPS_TIMEOUT, cmd.output())
        .await
        .map_err(|_| SparkError::Home(format!("{} took over {DEPS_TIMEOUT:?}", script.display())))?
        .map_err(|e| SparkError::Home(format!("cannot run {}: {e}", script.display())))?;
    if !out.status.success() {
        return Err(SparkError::Home(format!(
            "{} failed ({}): {}",
            script.display(),
            out.status,
            String::from_utf8_lossy(&out.stderr)
        )));
    }
    let stdout = String::from_utf8_lossy(&out.stdout);
    let line = stdout
        .lines()
        .rev()
        .find(|l| !l.trim().is_empty())
        .unwrap_or("")
        .trim()
        .to_string();
    if line.is_empty() {
        return Err(SparkError::Home(format!(
            "{} printed no folder",
            script.display()
        )));
    }
    Ok(PathBuf::from(line))
}

/// The folder holding the `SparkPi` job's sources.
pub fn spark_source_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("interop")
        .join("spark")
}

/// `sparkpi.jar` (main class `SparkPi`), built once per source hash and Spark distribution into
/// `<cache>/sparkpi/<sha1>/`; a file lock serialises concurrent test processes.
pub async fn spark_pi_jar() -> SparkResult<PathBuf> {
    SPARK_PI.get_or_try_init(build_spark_pi).await.cloned()
}

async fn build_spark_pi() -> SparkResult<PathBuf> {
    let home = spark_home().await?;
    let source = spark_source_dir().join("SparkPi.java");
    let mut h = Sha1::new();
    h.update(std::fs::read(&source)?);
    h.update(home.to_string_lossy().as_bytes());
    let core_jar = std::fs::read_dir(home.join("jars"))?
        .filter_map(|e| e.ok())
        .find(|e| e.file_name().to_string_lossy().starts_with("spark-core_"))
        .map(|e| e.path());
    if let Some(j) = core_jar {
        h.update(j.to_string_lossy().as_bytes());
        h.update(std::fs::metadata(&j)?.size().to_le_bytes());
    }
    let key = hex::encode(h.finalize().as_slice());
    let root = cache_root().join("sparkpi");
    std::fs::create_dir_all(&root)?;
    let dest = root.join(&key);
    let jar = dest.join("sparkpi.jar");
    if dest.join(".complete").exists() {
        return Ok(jar);
    }
    let _lock = lock_file(&root.join(".lock")).await?;
    if dest.join(".complete").exists() {
        return Ok(jar);
    }
    let tmp = root.join(format!("{key}.tmp-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&tmp);
    let classes = tmp.join("classes");
    std::fs::create_dir_all(&classes)?;
    let classpath = format!("{}/*", home.join("jars").display());
    let mut javac = Command::new("javac");
    javac
        .args(["-encoding", "UTF-8", "-nowarn", "-d"])
        .arg(&classes)
        .arg("-cp")
        .arg(&classpath)
        .arg(&source);
    run_build_step("javac", javac).await?;
    let mut pack = Command::new("jar");
    pack.arg("cf")
        .arg(tmp.join("sparkpi.jar"))
        .arg("-C")
        .arg(&classes)
        .arg(".");
    run_build_step("jar", pack).await?;
    std::fs::write(tmp.join(".complete"), b"")?;
    let _ = std::fs::remove_dir_all(&dest);
    std::fs::rename(&tmp, &dest)?;
    Ok(jar)
}

async fn run_build_step(step: &str, mut cmd: Command) -> SparkResult<()> {
    cmd.kill_on_drop(true);
    let out = match tokio::time::timeout(BUILD_TIMEOUT, cmd.output()).await {
        Err(_) => {
            return Err(SparkError::Build {
                step: step.into(),
                status: format!("did not finish within {BUILD_TIMEOUT:?}"),
                output: String::new(),
            });
        }
        Ok(Err(e)) => {
            return Err(SparkError::Spawn {
                program: step.into(),
                source: e,
            });
        }
        Ok(Ok(out)) => out,
    };
    if !out.status.success() {
        return Err(SparkError::Build {
            step: step.into(),
            status: out.status.to_string(),
            output: format!(
                "{}{}",
                String::from_utf8_lossy(&out.stdout),
                String::from_utf8_lossy(&out.stderr)
            ),
        });
    }
    Ok(())
}

/// Takes an exclusive `flock` on `path`, polling so the wait is bounded.
async fn lock_file(path: &Path) -> SparkResult<Flock<std::fs::File>> {
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
                return Err(SparkError::Lock(path.to_path_buf()));
            }
            Err((_, e)) => return Err(SparkError::Io(std::io::Error::from(e))),
        }
    }
}

/// Where the Spark driver runs.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DeployMode {
    /// In the ApplicationMaster's container.
    Cluster,
    /// In the `spark-submit` process.
    Client,
}

impl DeployMode {
    /// The `--deploy-mode` value.
    pub fn as_str(self) -> &'static str {
        match self {
            DeployMode::Cluster => "cluster",
            DeployMode::Client => "client",
        }
    }
}

/// One `spark-submit --master yarn` run, with the flags that run Spark on a loopback-only
/// cluster without HDFS: `SPARK_LOCAL_IP=127.0.0.1` for the client, the AM and the executors,
/// a `file://` staging dir, `spark.yarn.jars=local:$SPARK_HOME/jars/*` (no 400 MB upload).
#[derive(Debug, Clone)]
pub struct SparkSubmit {
    /// `SPARK_HOME`.
    pub spark_home: PathBuf,
    /// `HADOOP_CONF_DIR` (holding `yarn-site.xml`).
    pub hadoop_conf_dir: PathBuf,
    /// Scratch folder: staging dir, `SPARK_LOCAL_DIRS`, an empty `SPARK_CONF_DIR`.
    pub scratch: PathBuf,
    /// Deploy mode.
    pub deploy_mode: DeployMode,
    /// Main class.
    pub class: String,
    /// Application jar.
    pub jar: PathBuf,
    /// Application arguments.
    pub args: Vec<String>,
    /// Extra `--conf k=v` settings.
    pub conf: Vec<(String, String)>,
    /// Number of executors.
    pub executors: u32,
    /// Driver and executor memory (`512m`).
    pub memory: String,
    /// Kill `spark-submit` after this long.
    pub timeout: Duration,
}

/// What a `spark-submit` run did.
#[derive(Debug, Clone)]
pub struct SubmitOutcome {
    /// Exit status, `None` when it was killed at the time limit (or could not be waited for).
    pub status: Option<ExitStatus>,
    /// Its stdout (the last [`OUTPUT_KEEP`] bytes).
    pub stdout: String,
    /// Its stderr (the last [`OUTPUT_KEEP`] bytes).
    pub stderr: String,
    /// From start to exit (or kill).
    pub wall: Duration,
    /// Whether it hit the time limit.
    pub timed_out: bool,
}

impl SubmitOutcome {
    /// Whether it exited with status 0.
    pub fn succeeded(&self) -> bool {
        self.status.is_some_and(|s| s.success())
    }

    /// A printable summary: status, wall time, stdout and stderr.
    pub fn report(&self) -> String {
        format!(
            "spark-submit {} after {:.1} s\n--- spark-submit stdout\n{}\n--- spark-submit stderr\n{}",
            match (&self.status, self.timed_out) {
                (_, true) => "timed out (killed)".to_string(),
                (Some(s), false) => format!("exited ({s})"),
                (None, false) => "status unknown".to_string(),
            },
            self.wall.as_secs_f64(),
            self.stdout,
            self.stderr
        )
    }
}

fn keep_tail(buf: &mut Vec<u8>) {
    if buf.len() > 2 * OUTPUT_KEEP {
        let cut = buf.len() - OUTPUT_KEEP;
        buf.drain(..cut);
    }
}

async fn drain(mut r: impl tokio::io::AsyncRead + Unpin) -> Vec<u8> {
    let mut out = Vec::new();
    let mut chunk = [0u8; 8192];
    while let Ok(n) = r.read(&mut chunk).await {
        if n == 0 {
            break;
        }
        out.extend_from_slice(&chunk[..n]);
        keep_tail(&mut out);
    }
    out
}

impl SparkSubmit {
    /// A run of `class` from `jar` with the loopback flags, 1 executor, 512m, 240 s limit.
    pub fn new(
        spark_home: &Path,
        hadoop_conf_dir: &Path,
        scratch: &Path,
        deploy_mode: DeployMode,
        class: &str,
        jar: &Path,
    ) -> Self {
        SparkSubmit {
            spark_home: spark_home.to_path_buf(),
            hadoop_conf_dir: hadoop_conf_dir.to_path_buf(),
            scratch: scratch.to_path_buf(),
            deploy_mode,
            class: class.to_string(),
            jar: jar.to_path_buf(),
            args: Vec::new(),
            conf: Vec::new(),
            executors: 1,
            memory: "512m".into(),
            timeout: Duration::from_secs(240),
        }
    }

    /// The full argument list after `spark-submit`.
    pub fn arguments(&self) -> Vec<String> {
        let staging = self.scratch.join("staging");
        let mut conf: Vec<(String, String)> = vec![
            (
                "spark.yarn.stagingDir".into(),
                format!("file://{}", staging.display()),
            ),
            (
                "spark.yarn.jars".into(),
                format!("local:{}/jars/*", self.spark_home.display()),
            ),
            (
                "spark.yarn.appMasterEnv.SPARK_LOCAL_IP".into(),
                "127.0.0.1".into(),
            ),
            (
                "spark.executorEnv.SPARK_LOCAL_IP".into(),
                "127.0.0.1".into(),
            ),
            (
                "spark.executor.instances".into(),
                self.executors.to_string(),
            ),
            ("spark.ui.enabled".into(), "false".into()),
        ];
        conf.extend(self.conf.iter().cloned());
        let mut a = vec![
            "--master".to_string(),
            "yarn".into(),
            "--deploy-mode".into(),
            self.deploy_mode.as_str().into(),
            "--class".into(),
            self.class.clone(),
        ];
        for (k, v) in conf {
            a.push("--conf".into());
            a.push(format!("{k}={v}"));
        }
        a.extend([
            "--executor-memory".into(),
            self.memory.clone(),
            "--driver-memory".into(),
            self.memory.clone(),
        ]);
        a.push(self.jar.to_string_lossy().into_owned());
        a.extend(self.args.iter().cloned());
        a
    }

    /// Runs `spark-submit` to its exit, killing it (its whole process group) at the time limit.
    pub async fn run(&self) -> SparkResult<SubmitOutcome> {
        let local_dirs = self.scratch.join("local");
        let conf_dir = self.scratch.join("spark-conf");
        for d in [&local_dirs, &conf_dir, &self.scratch.join("staging")] {
            std::fs::create_dir_all(d)?;
        }
        let program = self.spark_home.join("bin").join("spark-submit");
        let mut cmd = Command::new(&program);
        cmd.args(self.arguments())
            .env("SPARK_HOME", &self.spark_home)
            .env("SPARK_CONF_DIR", &conf_dir)
            .env("HADOOP_CONF_DIR", &self.hadoop_conf_dir)
            .env("YARN_CONF_DIR", &self.hadoop_conf_dir)
            .env("SPARK_LOCAL_IP", "127.0.0.1")
            .env("SPARK_LOCAL_DIRS", &local_dirs)
            .current_dir(&self.scratch)
            .stdin(Stdio::null())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .process_group(0)
            .kill_on_drop(true);
        let started = Instant::now();
        let mut child = cmd.spawn().map_err(|e| SparkError::Spawn {
            program: program.display().to_string(),
            source: e,
        })?;
        let pid = child.id();
        let out =
            tokio::spawn(drain(child.stdout.take().ok_or_else(|| {
                SparkError::Io(std::io::Error::other("no stdout pipe"))
            })?));
        let err =
            tokio::spawn(drain(child.stderr.take().ok_or_else(|| {
                SparkError::Io(std::io::Error::other("no stderr pipe"))
            })?));
        let (status, timed_out) = match tokio::time::timeout(self.timeout, child.wait()).await {
            Ok(s) => (Some(s?), false),
            Err(_) => {
                if let Some(pid) = pid.and_then(|p| i32::try_from(p).ok()) {
                    // The whole group: spark-submit's JVM and anything it started.
                    let _ = std::process::Command::new("kill")
                        .args(["-KILL", "--", &format!("-{pid}")])
                        .status();
                }
                let _ = child.start_kill();
                let _ = tokio::time::timeout(Duration::from_secs(10), child.wait()).await;
                (None, true)
            }
        };
        let wall = started.elapsed();
        let collect = |h: tokio::task::JoinHandle<Vec<u8>>| async move {
            match tokio::time::timeout(Duration::from_secs(10), h).await {
                Ok(Ok(b)) => String::from_utf8_lossy(&b).into_owned(),
                _ => "(output not collected)".to_string(),
            }
        };
        Ok(SubmitOutcome {
            status,
            stdout: collect(out).await,
            stderr: collect(err).await,
            wall,
            timed_out,
        })
    }
}

/// Every file under `roots` (recursively) with the last `tail` characters of its text, for
/// failure reports: container `stdout`, `stderr`, `prelaunch.err`, launch scripts.
pub fn container_logs(roots: &[PathBuf], tail: usize) -> String {
    let mut files = Vec::new();
    let mut stack: Vec<PathBuf> = roots.to_vec();
    while let Some(d) = stack.pop() {
        let Ok(rd) = std::fs::read_dir(&d) else {
            continue;
        };
        for e in rd.flatten() {
            let p = e.path();
            if p.is_dir() {
                stack.push(p);
            } else {
                files.push(p);
            }
        }
    }
    files.sort();
    let mut out = String::new();
    for p in files {
        let text = match std::fs::read(&p) {
            Ok(b) => String::from_utf8_lossy(&b).into_owned(),
            Err(e) => format!("(unreadable: {e})"),
        };
        let chars: Vec<char> = text.chars().collect();
        let start = chars.len().saturating_sub(tail);
        let shown: String = chars[start..].iter().collect();
        out.push_str(&format!("--- {}\n{shown}\n", p.display()));
    }
    out
}

/// The text of the first file named `name` found under `root` (recursively), if any.
pub fn find_file_text(root: &Path, name: &str) -> Option<String> {
    let mut stack = vec![root.to_path_buf()];
    while let Some(d) = stack.pop() {
        let Ok(rd) = std::fs::read_dir(&d) else {
            continue;
        };
        for e in rd.flatten() {
            let p = e.path();
            if p.is_dir() {
                stack.push(p);
            } else if p.file_name().is_some_and(|n| n == name) {
                return std::fs::read_to_string(&p).ok();
            }
        }
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_folder_without_spark_submit_is_a_clear_error() {
        let dir = tempfile::tempdir().expect("tempdir");
        let err = check_spark_home(dir.path()).expect_err("empty folder");
        assert!(err.to_string().contains("spark-submit"), "{err}");
        std::fs::create_dir_all(dir.path().join("bin")).expect("mkdir");
        std::fs::write(dir.path().join("bin").join("spark-submit"), b"").expect("write");
        std::fs::create_dir_all(dir.path().join("jars")).expect("mkdir");
        let err = check_spark_home(dir.path()).expect_err("no yarn jar");
        assert!(err.to_string().contains("spark-yarn_"), "{err}");
        std::fs::write(
            dir.path().join("jars").join("spark-yarn_2.13-4.3.0.jar"),
            b"",
        )
        .expect("write");
        assert!(check_spark_home(dir.path()).is_ok());
    }

    #[test]
    fn arguments_carry_the_loopback_flags() {
        let s = SparkSubmit::new(
            Path::new("/spark"),
            Path::new("/conf"),
            Path::new("/scratch"),
            DeployMode::Client,
            "SparkPi",
            Path::new("/x/sparkpi.jar"),
        );
        let a = s.arguments();
        let joined = a.join(" ");
        assert!(joined.contains("--deploy-mode client"), "{joined}");
        assert!(joined.contains("spark.yarn.jars=local:/spark/jars/*"));
        assert!(joined.contains("spark.yarn.stagingDir=file:///scratch/staging"));
        assert!(joined.contains("spark.executorEnv.SPARK_LOCAL_IP=127.0.0.1"));
        assert_eq!(a.last().map(String::as_str), Some("/x/sparkpi.jar"));
    }
}
