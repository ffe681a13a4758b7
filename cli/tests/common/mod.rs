//! Helpers of the end-to-end tests: an embedded cluster, `spindle am` submissions, waits and
//! the containers' log folders.
#![allow(dead_code)]

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

/// The user every test submits as.
pub const USER: &str = "spindle";
/// Upper bound of every wait.
pub const WAIT: Duration = Duration::from_secs(60);

/// A cluster of `nodes` nodes of 4 GiB and 8 vcores with a fast liveness clock.
pub async fn cluster(nodes: usize) -> MiniCluster {
    cluster_with(nodes, |_| {}).await
}

/// The same, with more options changed.
pub async fn cluster_with(
    nodes: usize,
    change: impl FnOnce(&mut MiniClusterOptions),
) -> MiniCluster {
    let mut o = MiniClusterOptions::with_nodes(nodes, 4096, 8);
    o.monitor_interval = Duration::from_millis(100);
    change(&mut o);
    MiniCluster::start(o).await.expect("start the mini cluster")
}

/// A client of the cluster's ResourceManager.
pub fn client(cluster: &MiniCluster) -> ApplicationClient {
    ApplicationClient::simple(cluster.rm_address().to_string(), USER)
}

/// The AM's launch context: `spindle am` with these flags (each quoted for the launch script).
pub fn am_context(flags: &[&str]) -> ContainerLaunchContextProto {
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

/// Submits an application whose AM runs `clc`.
pub async fn submit(
    client: &ApplicationClient,
    name: &str,
    clc: ContainerLaunchContextProto,
    max_attempts: i32,
) -> ApplicationId {
    submit_with(client, name, clc, |c| {
        c.max_app_attempts = Some(max_attempts)
    })
    .await
}

/// Submits with more of the submission context changed.
pub async fn submit_with(
    client: &ApplicationClient,
    name: &str,
    clc: ContainerLaunchContextProto,
    change: impl FnOnce(&mut ApplicationSubmissionContextProto),
) -> ApplicationId {
    let r = client
        .get_new_application()
        .await
        .expect("getNewApplication");
    let id = ApplicationId::from_proto(r.application_id.as_ref().expect("id")).expect("id");
    submit_as(client, id, name, clc, change).await;
    id
}

/// Submits application `id` (from an earlier getNewApplication) with one attempt.
pub async fn submit_existing(
    client: &ApplicationClient,
    id: ApplicationId,
    name: &str,
    clc: ContainerLaunchContextProto,
) {
    submit_as(client, id, name, clc, |c| c.max_app_attempts = Some(1)).await;
}

async fn submit_as(
    client: &ApplicationClient,
    id: ApplicationId,
    name: &str,
    clc: ContainerLaunchContextProto,
    change: impl FnOnce(&mut ApplicationSubmissionContextProto),
) {
    let mut context = ApplicationSubmissionContextProto {
        application_id: Some(id.to_proto()),
        application_name: Some(name.into()),
        queue: Some("default".into()),
        resource: Some(ResourceProto::new(256, 1)),
        am_container_spec: Some(clc),
        application_type: Some("SPINDLE".into()),
        ..Default::default()
    };
    change(&mut context);
    client
        .submit_application(&SubmitApplicationRequestProto {
            application_submission_context: Some(context),
        })
        .await
        .expect("submitApplication");
}

/// The application's report. A call on a connection the RM closed (it was restarted) fails in
/// transport; it is repeated, as Hadoop's RM proxy repeats such calls.
pub async fn report(client: &ApplicationClient, id: ApplicationId) -> ApplicationReportProto {
    let request = GetApplicationReportRequestProto {
        application_id: Some(id.to_proto()),
    };
    let mut attempts = 0;
    loop {
        match client.get_application_report(&request).await {
            Ok(r) => return r.application_report.expect("report"),
            Err(e) if e.is_transport() && attempts < 3 => attempts += 1,
            Err(e) => panic!("getApplicationReport: {e:?}"),
        }
    }
}

/// Polls the report until `done` holds (or panics after [`WAIT`]).
pub async fn wait_for(
    client: &ApplicationClient,
    id: ApplicationId,
    what: &str,
    done: impl Fn(&ApplicationReportProto) -> bool,
) -> ApplicationReportProto {
    let deadline = tokio::time::Instant::now() + WAIT;
    loop {
        let r = report(client, id).await;
        if done(&r) {
            return r;
        }
        assert!(
            tokio::time::Instant::now() < deadline,
            "{id} never got {what}: {r:?}"
        );
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
}

/// Waits until the application is FINISHED, FAILED or KILLED.
pub async fn wait_finished(
    client: &ApplicationClient,
    id: ApplicationId,
) -> ApplicationReportProto {
    wait_for(client, id, "a final state", |r| {
        matches!(
            r.yarn_application_state(),
            YarnApplicationStateProto::Finished
                | YarnApplicationStateProto::Failed
                | YarnApplicationStateProto::Killed
        )
    })
    .await
}

/// Waits until `id` ends and checks its final status is `want`; returns the report and the
/// AM's logs (shown on failure).
pub async fn wait_final(
    cluster: &MiniCluster,
    client: &ApplicationClient,
    id: ApplicationId,
    want: FinalApplicationStatusProto,
) -> (ApplicationReportProto, String) {
    let r = wait_finished(client, id).await;
    let logs = am_logs(cluster.base_dir(), id);
    assert_eq!(r.final_application_status(), want, "{r:?}\n{logs}");
    (r, logs)
}

/// Waits until `id` is KILLED and every process carrying `marker` in its environment is gone.
pub async fn wait_killed_and_gone(client: &ApplicationClient, id: ApplicationId, marker: &str) {
    let r = wait_finished(client, id).await;
    assert_eq!(
        r.yarn_application_state(),
        YarnApplicationStateProto::Killed,
        "{r:?}"
    );
    let deadline = tokio::time::Instant::now() + Duration::from_secs(15);
    while !processes_with(marker).is_empty() {
        assert!(
            tokio::time::Instant::now() < deadline,
            "processes of the killed application remain: {:?}",
            processes_with(marker)
        );
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
}

/// Every container log folder of `id` under the cluster's base folder, sorted (the AM's
/// container, `…_000001`, first within an attempt).
pub fn container_logs(base: &Path, id: ApplicationId) -> Vec<PathBuf> {
    let app_part = id.to_string().replacen("application_", "", 1);
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

/// A file's text ("" when missing).
pub fn read(p: &Path) -> String {
    std::fs::read_to_string(p).unwrap_or_default()
}

/// The stderr of every AM container of `id` (all attempts; a later attempt's AM container is
/// not always `…_000001`), for failure messages.
pub fn am_logs(base: &Path, id: ApplicationId) -> String {
    container_logs(base, id)
        .iter()
        .filter(|p| {
            p.to_string_lossy().ends_with("000001")
                || read(&p.join("stderr")).contains("ApplicationMaster starting")
        })
        .map(|p| format!("--- {}\n{}", p.display(), read(&p.join("stderr"))))
        .collect()
}

/// Processes of this user whose environment holds `marker` (`KEY=VALUE`).
pub fn processes_with(marker: &str) -> Vec<i32> {
    let Ok(entries) = std::fs::read_dir("/proc") else {
        return Vec::new();
    };
    let me = std::process::id() as i32;
    entries
        .flatten()
        .filter_map(|e| e.file_name().to_str()?.parse::<i32>().ok())
        .filter(|pid| *pid != me)
        .filter(|pid| {
            std::fs::read(format!("/proc/{pid}/environ"))
                .map(|env| env.split(|b| *b == 0).any(|kv| kv == marker.as_bytes()))
                .unwrap_or(false)
        })
        .collect()
}
