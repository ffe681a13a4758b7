//! The AM loop with the in-process resource manager: the embedded cluster's own RM logic called
//! directly (no socket to the RM), executors started on its real NodeManagers.

use std::time::Duration;

use spindle_am::app::{
    AmOptions, Channels, LoopSetup, Workload, allocator_for, run, yarn_launches,
};
use spindle_am::master::{AmSettings, AmStatus};
use spindle_am::outcome::{FinalStatus, Mode, Outcome};
use spindle_am::yarn::YarnResourceManager;
use spindle_am::yarn::calls::InProcess;
use spindle_am::yarn::starter::YarnStarter;
use spindle_launcher::nm_client::{NmLauncher, NmLauncherConfig};
use spindle_minicluster::{MiniCluster, MiniClusterOptions};
use spindle_protocol::ids::ApplicationId;
use spindle_protocol::proto::yarn::{FinalApplicationStatusProto, YarnApplicationStateProto};
use spindle_protocol::proto::yarn_service::GetApplicationReportRequestProto;
use spindle_protocol::yarn::client::ApplicationClient;
use tokio::sync::{mpsc, watch};

async fn run_shell(
    cluster: &MiniCluster,
    command: &str,
    count: u32,
    max_failures: Option<u32>,
) -> (ApplicationId, spindle_am::outcome::Decision) {
    let (id, token) = cluster
        .submit_unmanaged("spindle", "in-process")
        .await
        .expect("unmanaged application");
    let calls = InProcess::new(cluster.rm_rpc(), &token).expect("in-process calls");
    let (nm, _) = NmLauncher::new(NmLauncherConfig::default());
    let rm = YarnResourceManager::new(calls, move |table| {
        YarnStarter::new(nm, table, 25, "spindle")
    });
    let mut options = AmOptions::new(Workload::Shell {
        command: command.into(),
        count,
    });
    options.executor.memory_mb = 128;
    options.max_executor_failures = max_failures;
    let allocator = allocator_for(&options, 0).expect("allocator");
    let launch_for = yarn_launches(&options, &id.to_string(), None, None).expect("launch context");
    let (status, _) = watch::channel(AmStatus::default());
    let (_stop, shutdown) = mpsc::channel(1);
    let mut channels = Channels::default();
    channels.spawn_shell(count);
    let setup = LoopSetup {
        settings: AmSettings::default(),
        outcome: Outcome::new(Mode::Cluster, 1, 1),
        status,
        launch_for,
        shutdown,
    };
    let decision =
        tokio::time::timeout(Duration::from_secs(60), run(rm, allocator, channels, setup))
            .await
            .expect("the AM finished in time");
    (id, decision)
}

async fn cluster() -> MiniCluster {
    let mut o = MiniClusterOptions::with_nodes(2, 4096, 8);
    o.monitor_interval = Duration::from_millis(100);
    MiniCluster::start(o).await.expect("cluster")
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_shell_application_succeeds_through_the_in_process_rm() {
    let cluster = cluster().await;
    let (id, decision) = run_shell(&cluster, "echo in-process", 4, None).await;
    assert_eq!(
        (decision.status, decision.exit_code),
        (FinalStatus::Succeeded, 0),
        "{decision:?}"
    );
    assert!(decision.unregister);
    // The RM recorded the unregistration.
    let client = ApplicationClient::simple(cluster.rm_address().to_string(), "spindle");
    let report = client
        .get_application_report(&GetApplicationReportRequestProto {
            application_id: Some(id.to_proto()),
        })
        .await
        .expect("report")
        .application_report
        .expect("report");
    assert_eq!(
        report.yarn_application_state(),
        YarnApplicationStateProto::Finished,
        "{report:?}"
    );
    assert_eq!(
        report.final_application_status(),
        FinalApplicationStatusProto::AppSucceeded
    );
    cluster.shutdown().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn failing_executors_end_the_attempt_with_exit_11_through_the_in_process_rm() {
    let cluster = cluster().await;
    let (_, decision) = run_shell(&cluster, "exit 7", 2, Some(2)).await;
    assert_eq!(
        (decision.status, decision.exit_code),
        (FinalStatus::Failed, 11),
        "{decision:?}"
    );
    assert!(
        decision
            .diagnostics
            .contains("Max number of executor failures (2) reached"),
        "{}",
        decision.diagnostics
    );
    cluster.shutdown().await;
}
