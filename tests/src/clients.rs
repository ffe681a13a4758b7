//! `JavaYarnClients`: Hadoop's own `YarnClient`, `AMRMClient` and `NMClient` run against a server.

use std::net::SocketAddr;
use std::path::{Path, PathBuf};
use std::process::ExitStatus;
use std::time::Duration;

use crate::error::Result;
use crate::process::JavaCommand;

/// Where Hadoop's clients find a YARN cluster.
#[derive(Debug, Clone)]
pub struct Endpoints {
    /// The RM's client port (ApplicationClientProtocol).
    pub client: SocketAddr,
    /// The RM's scheduler port (ApplicationMasterProtocol).
    pub scheduler: SocketAddr,
    /// A credentials file holding the AMRMToken of attempt 1 of application 1.
    pub token_file: PathBuf,
}

/// The outcome of one step (`OK <step> [detail]` or `FAIL <step> <reason>`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StepOutcome {
    /// Step name, e.g. `amrm.allocate`.
    pub name: String,
    /// Whether it succeeded.
    pub ok: bool,
    /// What the step reported (a detail on success, the reason on failure).
    pub detail: String,
}

/// A finished run of `JavaYarnClients`.
#[derive(Debug)]
pub struct ClientRun {
    /// Step outcomes in order.
    pub steps: Vec<StepOutcome>,
    /// The JVM's exit status (non-zero when a step failed).
    pub status: ExitStatus,
    /// The JVM's stderr (tail), for diagnosing failures.
    pub stderr: String,
}

impl ClientRun {
    /// The outcome of the named step, if it ran.
    pub fn step(&self, name: &str) -> Option<&StepOutcome> {
        self.steps.iter().find(|s| s.name == name)
    }

    /// A readable summary of every step, for assertion messages.
    pub fn summary(&self) -> String {
        let mut s = String::new();
        for st in &self.steps {
            s.push_str(&format!(
                "{} {} {}\n",
                if st.ok { "OK  " } else { "FAIL" },
                st.name,
                st.detail
            ));
        }
        s.push_str(&format!(
            "exit: {}\nstderr (tail):\n{}",
            self.status, self.stderr
        ));
        s
    }

    /// Panics with the whole summary unless every `expected` step ran and succeeded and the JVM
    /// exited with 0.
    pub fn assert_ok(&self, expected: &[&str]) {
        for name in expected {
            match self.step(name) {
                Some(s) if s.ok => {}
                Some(_) => panic!("step {name} failed:\n{}", self.summary()),
                None => panic!("step {name} did not run:\n{}", self.summary()),
            }
        }
        assert!(
            self.status.success(),
            "JavaYarnClients failed:\n{}",
            self.summary()
        );
    }
}

/// Runs `JavaYarnClients` with the given steps (see its usage) against an RM client port and
/// scheduler port, with `token_file` as `HADOOP_TOKEN_FILE_LOCATION`; waits at most `timeout`.
pub async fn run_java_clients(
    rm: SocketAddr,
    scheduler: SocketAddr,
    token_file: &Path,
    steps: &[&str],
    timeout: Duration,
) -> Result<ClientRun> {
    let mut p = JavaCommand::new("spindle.interop.JavaYarnClients")
        .arg("--rm")
        .arg(rm.to_string())
        .arg("--scheduler")
        .arg(scheduler.to_string())
        .arg("--steps")
        .arg(steps.join(","))
        .env("HADOOP_TOKEN_FILE_LOCATION", token_file)
        .spawn()
        .await?;
    let status = p.finish(timeout).await?;
    let steps = p
        .output()
        .iter()
        .filter_map(|l| {
            let (ok, rest) = if let Some(r) = l.strip_prefix("OK ") {
                (true, r)
            } else {
                (false, l.strip_prefix("FAIL ")?)
            };
            let (name, detail) = rest.split_once(' ').unwrap_or((rest, ""));
            Some(StepOutcome {
                name: name.to_string(),
                ok,
                detail: detail.to_string(),
            })
        })
        .collect();
    Ok(ClientRun {
        steps,
        status,
        stderr: p.stderr_tail(),
    })
}
