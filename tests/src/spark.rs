//! Running Spark's own `spark-submit --master yarn` (the distribution inside the `pyspark` sdist)
//! against a YARN cluster: finding `SPARK_HOME` (`scripts/spark-deps.sh`), building the small
//! `SparkPi` job under `tests/interop/spark/`, and running `spark-submit` with a time limit.

use std::path::{Path, PathBuf};
use std::process::{ExitStatus, Stdio};
use std::time::{Duration, Instant};

use tokio::io::AsyncReadExt;
use tokio::process::Command;
use tokio::sync::OnceCell;

use crate::cache::{build_once, fingerprint, folder_from, interop_sources, run_tool};
use crate::error::{HarnessError, Result};

/// How long each step of building `SparkPi` (`javac`, `jar`) may take.
const BUILD_TIMEOUT: Duration = Duration::from_secs(300);
/// How much of each output stream of `spark-submit` is kept.
const OUTPUT_KEEP: usize = 512 * 1024;

static SPARK_HOME: OnceCell<PathBuf> = OnceCell::const_new();
static SPARK_PI: OnceCell<PathBuf> = OnceCell::const_new();

/// The Spark distribution's home: `$SPINDLE_SPARK_HOME` when set, otherwise whatever
/// `scripts/spark-deps.sh` prints (it extracts the distribution from the cached `pyspark` sdist
/// once, downloading the sdist and installing a JDK first when needed).
pub async fn spark_home() -> Result<PathBuf> {
    let find = || async {
        let script = "spark-deps.sh";
        check_spark_home(&folder_from("SPINDLE_SPARK_HOME", script, HarnessError::SparkHome).await?)
    };
    SPARK_HOME.get_or_try_init(find).await.cloned()
}

/// Checks that `dir` holds `bin/spark-submit` and a `jars/` folder with `spark-yarn_*.jar`;
/// returns it canonicalized.
pub fn check_spark_home(dir: &Path) -> Result<PathBuf> {
    let missing = |what: String| HarnessError::SparkHome(what);
    let dir = std::fs::canonicalize(dir).map_err(|e| missing(format!("{}: {e}", dir.display())))?;
    if !dir.join("bin").join("spark-submit").is_file() {
        return Err(missing(format!("no bin/spark-submit in {}", dir.display())));
    }
    let has_yarn = std::fs::read_dir(dir.join("jars"))
        .map_err(|e| missing(format!("{}/jars: {e}", dir.display())))?
        .filter_map(|e| e.ok())
        .any(|e| e.file_name().to_string_lossy().starts_with("spark-yarn_"));
    if !has_yarn {
        return Err(missing(format!(
            "no spark-yarn_*.jar in {}/jars",
            dir.display()
        )));
    }
    Ok(dir)
}

/// `sparkpi.jar` (main class `SparkPi`), built once per source hash and Spark distribution into
/// `<cache>/sparkpi/<sha1>/`; a file lock serialises concurrent test processes.
pub async fn spark_pi_jar() -> Result<PathBuf> {
    SPARK_PI.get_or_try_init(build_spark_pi).await.cloned()
}

async fn build_spark_pi() -> Result<PathBuf> {
    let home = spark_home().await?;
    let sources = interop_sources("spark");
    let source = sources.join("SparkPi.java");
    // The distribution is named by its core jar (path and size).
    let core_jar: Vec<PathBuf> = std::fs::read_dir(home.join("jars"))?
        .filter_map(|e| e.ok())
        .filter(|e| e.file_name().to_string_lossy().starts_with("spark-core_"))
        .map(|e| e.path())
        .collect();
    let key = fingerprint(&sources, std::slice::from_ref(&source), &core_jar)?;
    let dest = build_once("sparkpi", &key, |out| async move {
        let classes = out.join("classes");
        std::fs::create_dir_all(&classes)?;
        let mut javac = Command::new("javac");
        javac
            .args(["-encoding", "UTF-8", "-nowarn", "-d"])
            .arg(&classes)
            .arg("-cp")
            .arg(format!("{}/*", home.join("jars").display()))
            .arg(&source);
        run_tool("the SparkPi jar", javac, BUILD_TIMEOUT).await?;
        let mut pack = Command::new("jar");
        pack.arg("cf")
            .arg(out.join("sparkpi.jar"))
            .arg("-C")
            .arg(&classes)
            .arg(".");
        run_tool("the SparkPi jar", pack, BUILD_TIMEOUT).await
    })
    .await?;
    Ok(dest.join("sparkpi.jar"))
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
    /// Its stdout (the last 512 KiB at most).
    pub stdout: String,
    /// Its stderr (the last 512 KiB at most).
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
    pub async fn run(&self) -> Result<SubmitOutcome> {
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
        let mut child = cmd.spawn().map_err(|e| HarnessError::Spawn {
            program: program.display().to_string(),
            source: e,
        })?;
        let pid = child.id();
        let out = tokio::spawn(drain(
            child
                .stdout
                .take()
                .ok_or_else(|| HarnessError::Protocol("no stdout pipe".into()))?,
        ));
        let err = tokio::spawn(drain(
            child
                .stderr
                .take()
                .ok_or_else(|| HarnessError::Protocol("no stderr pipe".into()))?,
        ));
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
