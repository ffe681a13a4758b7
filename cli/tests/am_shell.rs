//! End to end on the embedded cluster: applications whose AM is `spindle am`, submitted with
//! our ApplicationClient, run to their final status.

use std::path::{Path, PathBuf};
use std::time::Duration;

use spindle_minicluster::{MiniCluster, MiniClusterOptions};
use spindle_protocol::ids::ApplicationId;
use spindle_protocol::proto::yarn::{
    ApplicationReportProto, ApplicationSubmissionContextProto, ContainerLaunchContextProto,
    FinalApplicationStatusProto, ResourceProto, YarnApplicationStateProto,
};
use spindle_protocol::proto::yarn_service::{
    GetApplicationReportRequestProto, SubmitApplicationRequestProto,
};
use spindle_protocol::yarn::client::ApplicationClient;

const USER: &str = "spindle";
const WAIT: Duration = Duration::from_secs(60);

async fn cluster(nodes: usize) -> MiniCluster {
    let mut o = MiniClusterOptions::with_nodes(nodes, 4096, 8);
    o.monitor_interval = Duration::from_millis(100);
    MiniCluster::start(o).await.expect("start the mini cluster")
}

/// The AM's launch context: `spindle am` with these flags.
fn am_context(flags: &[&str]) -> ContainerLaunchContextProto {
    let mut command = vec![env!("CARGO_BIN_EXE_spindle").to_string(), "am".to_string()];
    command.extend(
        flags
            .iter()
            .map(|f| format!("'{}'", f.replace('\'', r"'\''"))),
    );
    command.push("1><LOG_DIR>/stdout".into());
    command.push("2><LOG_DIR>/stderr".into());
    let mut clc = ContainerLaunchContextProto {
        command,
        ..Default::default()
    };
    clc.add_env("SPINDLE_LOG", "info");
    clc
}

async fn submit(
    client: &ApplicationClient,
    name: &str,
    clc: ContainerLaunchContextProto,
    max_attempts: i32,
) -> ApplicationId {
    let r = client
        .get_new_application()
        .await
        .expect("getNewApplication");
    let id = ApplicationId::from_proto(r.application_id.as_ref().expect("id")).expect("id");
    let context = ApplicationSubmissionContextProto {
        application_id: Some(id.to_proto()),
        application_name: Some(name.into()),
        queue: Some("default".into()),
        resource: Some(ResourceProto::new(256, 1)),
        am_container_spec: Some(clc),
        application_type: Some("SPINDLE".into()),
        max_app_attempts: Some(max_attempts),
        ..Default::default()
    };
    client
        .submit_application(&SubmitApplicationRequestProto {
            application_submission_context: Some(context),
        })
        .await
        .expect("submitApplication");
    id
}

async fn wait_finished(client: &ApplicationClient, id: ApplicationId) -> ApplicationReportProto {
    let deadline = tokio::time::Instant::now() + WAIT;
    loop {
        let r = client
            .get_application_report(&GetApplicationReportRequestProto {
                application_id: Some(id.to_proto()),
            })
            .await
            .expect("getApplicationReport")
            .application_report
            .expect("report");
        if matches!(
            r.yarn_application_state(),
            YarnApplicationStateProto::Finished
                | YarnApplicationStateProto::Failed
                | YarnApplicationStateProto::Killed
        ) {
            return r;
        }
        assert!(
            tokio::time::Instant::now() < deadline,
            "{id} did not finish: {r:?}"
        );
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
}

/// Every container log folder of `id` under the cluster's base folder.
fn container_logs(base: &Path, id: ApplicationId) -> Vec<PathBuf> {
    let mut out = Vec::new();
    let mut stack = vec![base.to_path_buf()];
    while let Some(dir) = stack.pop() {
        let Ok(entries) = std::fs::read_dir(&dir) else {
            continue;
        };
        for e in entries.flatten() {
            let p = e.path();
            if !p.is_dir() {
                continue;
            }
            let name = e.file_name().to_string_lossy().into_owned();
            let app_part = id.to_string().replacen("application_", "", 1);
            if name.starts_with("container_")
                && name.contains(&app_part)
                && dir.to_string_lossy().contains("log")
            {
                out.push(p);
            } else {
                stack.push(p);
            }
        }
    }
    out.sort();
    out
}

fn read(p: &Path) -> String {
    std::fs::read_to_string(p).unwrap_or_default()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_distributed_shell_of_eight_containers_succeeds() {
    let cluster = cluster(2).await;
    let client = ApplicationClient::simple(cluster.rm_address().to_string(), USER);
    let clc = am_context(&[
        "--shell",
        "echo hello from $CONTAINER_ID",
        "--num-executors",
        "8",
        "--executor-memory",
        "128m",
    ]);
    let id = submit(&client, "dshell", clc, 1).await;
    let report = wait_finished(&client, id).await;
    let logs = container_logs(cluster.base_dir(), id);
    let am_log = logs
        .iter()
        .find(|p| p.to_string_lossy().ends_with("000001"))
        .map(|p| read(&p.join("stderr")))
        .unwrap_or_default();
    assert_eq!(
        report.final_application_status(),
        FinalApplicationStatusProto::AppSucceeded,
        "{report:?}\nAM log:\n{am_log}"
    );
    // The AM's container plus eight executors, each of which said hello.
    let hellos: Vec<String> = logs
        .iter()
        .map(|p| read(&p.join("stdout")))
        .filter(|s| s.starts_with("hello from container_"))
        .collect();
    assert_eq!(hellos.len(), 8, "logs: {logs:?}\nAM log:\n{am_log}");
    cluster.shutdown().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_command_that_keeps_failing_fails_the_application_with_exit_11() {
    let cluster = cluster(2).await;
    let client = ApplicationClient::simple(cluster.rm_address().to_string(), USER);
    let clc = am_context(&[
        "--shell",
        "echo doomed >&2; exit 3",
        "--num-executors",
        "2",
        "--executor-memory",
        "128m",
        "--max-executor-failures",
        "3",
    ]);
    let id = submit(&client, "doomed", clc, 1).await;
    let report = wait_finished(&client, id).await;
    assert_eq!(
        report.final_application_status(),
        FinalApplicationStatusProto::AppFailed,
        "{report:?}"
    );
    let diagnostics = report.diagnostics.clone().unwrap_or_default();
    assert!(
        diagnostics.contains("Max number of executor failures (3) reached"),
        "{diagnostics}"
    );
    // The AM exited with Spark's code for it.
    let logs = container_logs(cluster.base_dir(), id);
    let am_log = read(&logs[0].join("stderr"));
    assert!(am_log.contains("(exit 11)"), "{am_log}");
    cluster.shutdown().await;
}
