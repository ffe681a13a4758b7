//! `JavaYarnClients`: Hadoop's own `YarnClient`, `AMRMClient` and `NMClient` run against a server,
//! and the checks every YARN cluster must pass with them (the same for Hadoop's harness servers and
//! for ours).

use std::net::SocketAddr;
use std::path::PathBuf;
use std::process::ExitStatus;
use std::time::Duration;

use crate::error::Result;
use crate::process::{JavaCommand, JavaSetup};

/// Where Hadoop's clients find a YARN cluster.
#[derive(Debug, Clone)]
pub struct Endpoints {
    /// The RM's client port (ApplicationClientProtocol).
    pub client: SocketAddr,
    /// The RM's scheduler port (ApplicationMasterProtocol).
    pub scheduler: SocketAddr,
    /// A credentials file holding the AMRMToken of attempt 1 of application 1.
    pub token_file: PathBuf,
    /// What Hadoop's clients need for this cluster (`hadoop.rpc.protection`, Kerberos login).
    pub java: JavaSetup,
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

/// How long one run of `JavaYarnClients` may take.
const CLIENT_TIMEOUT: Duration = Duration::from_secs(120);

/// Every step of `JavaYarnClients`, in an order any real cluster passes: the wrong-password
/// client runs while the attempt is live (once it has finished, a real RM refuses its token
/// before looking at the password).
pub const EVERY_STEP: &[&str] = &[
    "yarnclient",
    "amrm",
    "nm",
    "notoken",
    "badtoken",
    "amrm-finish",
];

/// Runs `JavaYarnClients` with the given steps (see its usage) against `at`, with its token file as
/// `HADOOP_TOKEN_FILE_LOCATION`; waits at most two minutes.
pub async fn run_java_clients(at: &Endpoints, steps: &[&str]) -> Result<ClientRun> {
    let mut p = JavaCommand::new("spindle.interop.JavaYarnClients")
        .arg("--rm")
        .arg(at.client.to_string())
        .arg("--scheduler")
        .arg(at.scheduler.to_string())
        .arg("--steps")
        .arg(steps.join(","))
        .env("HADOOP_TOKEN_FILE_LOCATION", &at.token_file)
        .setup(&at.java)
        .spawn()
        .await?;
    let status = p.finish(CLIENT_TIMEOUT).await?;
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

/// Runs [`EVERY_STEP`] against `at` and holds the outcome to what a real RM and NM answer:
/// every step passes, the tokenless client is refused for having no AMRMToken (on a secure
/// cluster it cannot even authenticate: SIMPLE is off and it holds no token), the wrong
/// password fails DIGEST-MD5 as Hadoop's server fails it, and a container stopped by the AM
/// exits with -105. Returns the run for further checks; panics with its summary otherwise.
pub async fn assert_every_step_passes(at: &Endpoints) -> ClientRun {
    let run = run_java_clients(at, EVERY_STEP)
        .await
        .expect("run JavaYarnClients");
    run.assert_ok(&[
        "yarnclient.new",
        "yarnclient.submit",
        "yarnclient.report",
        "yarnclient.kill",
        "yarnclient.missing",
        "amrm.register",
        "amrm.allocate",
        "nm.start",
        "nm.status",
        "nm.stop",
        "amrm.completed",
        "amrm.finish",
        "notoken.refused",
        "badtoken.refused",
    ]);
    let detail = |step: &str| run.step(step).map(|s| s.detail.as_str()).unwrap_or("");
    let secure = at
        .java
        .hadoop_conf
        .iter()
        .any(|(k, v)| k == "hadoop.security.authentication" && v == "kerberos");
    let refusal = if secure {
        "Client cannot authenticate via:[TOKEN]"
    } else {
        "No AMRMToken found for user intruder"
    };
    assert!(
        detail("notoken.refused").contains(refusal),
        "{}",
        run.summary()
    );
    let bad = detail("badtoken.refused");
    assert!(
        bad.contains("DIGEST-MD5") && bad.contains("Mismatched response"),
        "a wrong AMRMToken password must fail SASL as Hadoop's server fails it:\n{}",
        run.summary()
    );
    assert_eq!(detail("nm.stop"), "exit=-105", "{}", run.summary());
    run
}

/// Registers an `AMRMClient` twice with the same token (two JVMs): the second registration must
/// be refused with the RM's exception class, as a real RM refuses it.
pub async fn assert_second_registration_refused(at: &Endpoints) {
    let first = run_java_clients(at, &["amrm"]).await.expect("first run");
    first.assert_ok(&["amrm.register", "amrm.allocate"]);
    let second = run_java_clients(at, &["amrm"]).await.expect("second run");
    let reg = second.step("amrm.register").expect("register step ran");
    assert!(
        !reg.ok,
        "re-registration was accepted:\n{}",
        second.summary()
    );
    assert!(
        reg.detail
            .contains("InvalidApplicationMasterRequestException")
            && reg.detail.contains("already registered"),
        "the Java client did not get the RM's exception class back:\n{}",
        second.summary()
    );
}
