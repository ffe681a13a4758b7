//! The `yarn-api-client` Python package (PyPI; the REST client Jupyter Enterprise Gateway and
//! many scripts use), installed unpatched into a virtual environment by
//! `scripts/yarn-api-client.sh`, against the embedded cluster while an application runs: its
//! `ResourceManager` constructs (it probes the RM's web UI at `/cluster` first) and every GET
//! method of its `ResourceManager` and `NodeManager` answers with the data expected.

use std::time::Duration;

use spindle_minicluster::{MiniCluster, MiniClusterOptions};
use spindle_protocol::ids::ApplicationAttemptId;
use spindle_protocol::proto::yarn::*;
use spindle_protocol::proto::yarn_service::{
    GetApplicationReportRequestProto, GetContainersRequestProto, KillApplicationRequestProto,
};
use spindle_protocol::yarn::client::ApplicationClient;
use spindle_tests::cache::interop_sources;
use spindle_tests::error::within;
use spindle_tests::ours::container_logs;
use spindle_tests::tools::{ShellApp, python};

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn yarn_api_client_reads_everything_unpatched() {
    let python = python().await.expect("a Python with yarn-api-client");
    let cluster = MiniCluster::start(MiniClusterOptions::with_nodes(1, 4096, 8))
        .await
        .expect("cluster");
    let client = ApplicationClient::simple(cluster.rm_address().to_string(), "spindle");
    let app = ShellApp::submit(&cluster, "echo started; exec sleep 600", 1)
        .await
        .expect("submit the Java application");

    // Wait until the AM and its task container run.
    let deadline = tokio::time::Instant::now() + Duration::from_secs(120);
    let (attempt, task) = loop {
        let r = client
            .get_application_report(&GetApplicationReportRequestProto {
                application_id: Some(app.id.to_proto()),
            })
            .await
            .expect("report")
            .application_report
            .expect("report");
        if r.yarn_application_state() == YarnApplicationStateProto::Running
            && let Some(a) = r.current_application_attempt_id.clone()
        {
            let containers = client
                .get_containers(&GetContainersRequestProto {
                    application_attempt_id: Some(a.clone()),
                })
                .await
                .expect("getContainers")
                .containers;
            if let Some(task) = containers.iter().find(|c| {
                c.container_state() == ContainerStateProto::CRunning
                    && c.container_id.as_ref().is_none_or(|i| i.id != Some(1))
            }) {
                break (ApplicationAttemptId::from_proto(&a).unwrap(), task.clone());
            }
        }
        assert!(
            tokio::time::Instant::now() < deadline,
            "the application never ran its task: {r:?}\n{}",
            container_logs(&cluster, 3000)
        );
        tokio::time::sleep(Duration::from_millis(200)).await;
    };
    let container =
        spindle_protocol::ids::ContainerId::from_proto(task.container_id.as_ref().unwrap())
            .unwrap()
            .to_string();
    let node = spindle_protocol::ids::NodeId::from_proto(task.node_id.as_ref().unwrap())
        .unwrap()
        .to_string();
    let rm_url = format!("http://{}", cluster.rest_address().expect("RM web"));
    let nm_url = task.node_http_address().to_string();

    let script = interop_sources("python").join("yarn_api_client_check.py");
    let run = tokio::process::Command::new(&python)
        .arg(&script)
        .args([
            &rm_url,
            &nm_url,
            &app.id.to_string(),
            &attempt.to_string(),
            &container,
            &node,
        ])
        .env("HADOOP_CONF_DIR", cluster.conf_dir())
        .kill_on_drop(true)
        .output();
    let out = within(Duration::from_secs(120), || "the Python checks".into(), run)
        .await
        .unwrap_or_else(|e| panic!("{e}"));
    let stdout = String::from_utf8_lossy(&out.stdout);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        out.status.success() && stdout.contains("DONE 0"),
        "yarn-api-client failed ({}):\n{stdout}\n{stderr}",
        out.status
    );
    // Every method was called (a check that silently ran nothing would pass the line above).
    let oks = stdout.lines().filter(|l| l.starts_with("OK ")).count();
    assert_eq!(oks, 1 + 27 + 6, "{stdout}");

    client
        .force_kill_application(&KillApplicationRequestProto {
            application_id: Some(app.id.to_proto()),
            diagnostics: None,
        })
        .await
        .expect("kill");
    cluster.shutdown().await;
}
