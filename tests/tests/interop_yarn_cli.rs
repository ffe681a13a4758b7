//! Hadoop's own `yarn` command-line tools (`ApplicationCLI`, `NodeCLI`, `ClusterCLI`,
//! `QueueCLI`, `LogsCLI`, from the interop jars) against the embedded cluster while an
//! application written with Hadoop's client library runs on it: every read command answers
//! with data, the queue hierarchy and an unknown queue are answered at once, what clients may
//! change (priority, queue, lifetime, signals) is accepted; a container's stdout is read over
//! its node's HTTP log path (with a derived variable expanded right) and, after the application
//! ended, through `LogsCLI` from the aggregated logs.

use std::time::Duration;

use spindle_minicluster::{MiniCluster, MiniClusterOptions};
use spindle_protocol::proto::yarn::*;
use spindle_protocol::yarn::client::ApplicationClient;
use spindle_tests::ours::container_logs;
use spindle_tests::tools::{CliRun, ShellApp, YarnCli, app_report, http_get};

/// Upper bound of the waits for the application.
const WAIT: Duration = Duration::from_secs(180);
/// "At once": far below the 500 ms × 15 min retries a retriable error would cause.
const AT_ONCE_MS: u64 = 5_000;

async fn report(client: &ApplicationClient, app: &ShellApp) -> ApplicationReportProto {
    app_report(client, app.id).await.expect("report")
}

/// Polls until `done` holds for the application's report; panics with the cluster's logs after
/// [`WAIT`].
async fn wait_report(
    cluster: &MiniCluster,
    client: &ApplicationClient,
    app: &ShellApp,
    what: &str,
    done: impl Fn(&ApplicationReportProto) -> bool,
) -> ApplicationReportProto {
    let deadline = tokio::time::Instant::now() + WAIT;
    loop {
        let r = report(client, app).await;
        if done(&r) {
            return r;
        }
        assert!(
            tokio::time::Instant::now() < deadline,
            "{what}: never happened; report {r:?}\n{}",
            container_logs(cluster, 3000)
        );
        tokio::time::sleep(Duration::from_millis(200)).await;
    }
}

/// Runs a CLI command and checks it succeeded.
async fn ok(cli: &mut YarnCli, tool: &str, args: &[&str]) -> CliRun {
    let r = cli.run(tool, args).await.expect("the CLI ran");
    assert_eq!(r.rc, 0, "{tool} {args:?} failed:\n{}", r.out);
    r
}

fn has(run: &CliRun, wanted: &[&str]) {
    for w in wanted {
        assert!(run.out.contains(w), "{w:?} not in:\n{}", run.out);
    }
}

/// One CLI command: its tool, its arguments, and texts its output must hold.
type Check<'a> = (&'a str, &'a [&'a str], &'a [&'a str]);

/// Runs each command in turn, checking it succeeded and printed its wanted texts (a failure
/// names the command); returns the runs in the table's order.
async fn checked(cli: &mut YarnCli, table: &[Check<'_>]) -> Vec<CliRun> {
    let mut runs = Vec::new();
    for &(tool, args, wanted) in table {
        let run = ok(cli, tool, args).await;
        for w in wanted {
            assert!(
                run.out.contains(w),
                "{tool} {args:?}: {w:?} not in:\n{}",
                run.out
            );
        }
        runs.push(run);
    }
    runs
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn hadoop_yarn_cli_reads_and_changes_a_running_application() {
    let mut options = MiniClusterOptions::with_nodes(2, 4096, 8);
    options.max_application_priority = 10;
    let cluster = MiniCluster::start(options).await.expect("cluster");
    let client = ApplicationClient::simple(cluster.rm_address().to_string(), "spindle");
    let app = ShellApp::submit(
        &cluster,
        "echo B=$MY_DERIVED; echo hello-from-$CONTAINER_ID",
        2,
    )
    .await
    .expect("submit the Java application");
    let id = app.id.to_string();
    let r = wait_report(
        &cluster,
        &client,
        &app,
        "RUNNING with its containers done",
        |r| {
            r.yarn_application_state() == YarnApplicationStateProto::Running
                && r.app_resource_usage
                    .as_ref()
                    .and_then(|u| u.num_used_containers)
                    == Some(1)
        },
    )
    .await;
    let attempt = spindle_protocol::ids::ApplicationAttemptId::from_proto(
        r.current_application_attempt_id.as_ref().unwrap(),
    )
    .unwrap()
    .to_string();

    let mut cli = YarnCli::start(cluster.conf_dir())
        .await
        .expect("the CLI JVM");

    // ApplicationCLI: applications, attempts, containers.
    let app_id = format!("Application-Id : {id}");
    let containers = checked(
        &mut cli,
        &[
            // (the list shows the AM's own tracking URL, as YARN's CLI prints the original one)
            (
                "ApplicationCLI",
                &["application", "-list"],
                &[
                    "Total number of applications",
                    &id,
                    "RUNNING",
                    "http://127.0.0.1:",
                ],
            ),
            (
                "ApplicationCLI",
                &["application", "-list", "-appStates", "ALL"],
                &[&id],
            ),
            (
                "ApplicationCLI",
                &["application", "-status", &id],
                &[
                    "Application Report",
                    &app_id,
                    "Queue : default",
                    "State : RUNNING",
                    "Aggregate Resource Allocation",
                    "Log Aggregation Status : NOT_START",
                    "TimeoutType : LIFETIME\tExpiryTime : UNLIMITED",
                ],
            ),
            (
                "ApplicationCLI",
                &["applicationattempt", "-list", &id],
                &[
                    "Total number of application attempts :1",
                    &attempt,
                    "RUNNING",
                ],
            ),
            (
                "ApplicationCLI",
                &["applicationattempt", "-status", &attempt],
                &["Application Attempt Report", &attempt, "AMContainer :"],
            ),
            (
                "ApplicationCLI",
                &["container", "-list", &attempt],
                &["Total number of containers :3", "/node/containerlogs/"],
            ),
        ],
    )
    .await
    .pop()
    .expect("the container list");
    let task = containers
        .out
        .split_whitespace()
        .find(|w| w.starts_with("container_") && !w.ends_with("_000001"))
        .expect("a task container")
        .to_string();

    // The task container, NodeCLI, ClusterCLI, and QueueCLI's hierarchy.
    let node_id = cluster.node_ids()[0].to_string();
    let node_id_line = format!("Node-Id : {node_id}");
    let runs = checked(
        &mut cli,
        &[
            (
                "ApplicationCLI",
                &["container", "-status", &task],
                &[
                    "Container Report",
                    &task,
                    "State : COMPLETE",
                    "LOG-URL : http://127.0.0.1:",
                ],
            ),
            ("NodeCLI", &["-list"], &["Total Nodes:2", "RUNNING"]),
            ("NodeCLI", &["-list", "-all"], &[]),
            ("NodeCLI", &["-list", "-showDetails"], &[]),
            (
                "NodeCLI",
                &["-status", &node_id],
                &[
                    "Node Report",
                    &node_id_line,
                    "Node-State : RUNNING",
                    "Node-Http-Address : 127.0.0.1:",
                ],
            ),
            ("ClusterCLI", &["-lnl"], &["Node Labels:"]),
            ("ClusterCLI", &["-lna"], &[]),
            (
                "QueueCLI",
                &["-status", "root"],
                &["Queue Name : root", "State : RUNNING"],
            ),
            (
                "QueueCLI",
                &["-status", "default"],
                &[
                    "Queue Name : default",
                    "Queue Path : root.default",
                    "Capacity : 100.00%",
                ],
            ),
            ("QueueCLI", &["-list", "root"], &["default"]),
            ("QueueCLI", &["-list", "all"], &[]),
        ],
    )
    .await;
    let node = &runs[4]; // NodeCLI -status
    assert!(
        !node.out.contains("Node-Http-Address : 127.0.0.1:0\n"),
        "{}",
        node.out
    );
    // The root queue is answered at once; so, below, is an unknown one.
    let root = &runs[7]; // QueueCLI -status root
    assert!(root.ms < AT_ONCE_MS, "root took {} ms", root.ms);
    let unknown = cli
        .run("QueueCLI", &["-status", "nosuchqueue"])
        .await
        .unwrap();
    assert!(
        unknown.ms < AT_ONCE_MS,
        "an unknown queue took {} ms:\n{}",
        unknown.ms,
        unknown.out
    );
    has(
        &unknown,
        &["Cannot get queue from RM by queueName = nosuchqueue"],
    );

    // What a client may change.
    let p = ok(
        &mut cli,
        "ApplicationCLI",
        &["application", "-appId", &id, "-updatePriority", "5"],
    )
    .await;
    has(&p, &["Successfully updated"]);
    assert_eq!(
        report(&client, &app).await.priority.unwrap().priority,
        Some(5)
    );
    ok(
        &mut cli,
        "ApplicationCLI",
        &["application", "-appId", &id, "-changeQueue", "default"],
    )
    .await;
    let moved = cli
        .run(
            "ApplicationCLI",
            &["application", "-appId", &id, "-changeQueue", "etl"],
        )
        .await
        .unwrap();
    assert_ne!(moved.rc, 0, "{}", moved.out);
    has(&moved, &["etl doesn't exist"]);
    ok(
        &mut cli,
        "ApplicationCLI",
        &["application", "-appId", &id, "-updateLifetime", "3600"],
    )
    .await;
    let t = report(&client, &app).await.app_timeouts[0]
        .application_timeout
        .clone()
        .unwrap();
    assert!(
        t.remaining_time() > 3500 && t.remaining_time() <= 3600,
        "{t:?}"
    );
    let am = r
        .current_application_attempt_id
        .as_ref()
        .map(|_| attempt.replace("appattempt_", "container_") + "_000001")
        .unwrap();
    ok(
        &mut cli,
        "ApplicationCLI",
        &["container", "-signal", &am, "OUTPUT_THREAD_DUMP"],
    )
    .await;

    // The container's stdout over its node's HTTP log path.
    let report_c = ok(&mut cli, "ApplicationCLI", &["container", "-status", &task]).await;
    let log_url = report_c
        .out
        .lines()
        .find_map(|l| l.trim().strip_prefix("LOG-URL : "))
        .expect("a log URL")
        .to_string();
    let (nm_base, _) = log_url
        .split_once("/node/containerlogs/")
        .expect("an NM log URL");
    let (status, stdout) = http_get(&format!("{nm_base}/ws/v1/node/containerlogs/{task}/stdout"))
        .await
        .expect("the NM's log path");
    assert_eq!(status, 200, "{stdout}");
    assert_eq!(
        stdout,
        format!("B=/base/sub\nhello-from-{task}\n"),
        "the derived variable expands right"
    );

    // The application ends; LogsCLI reads its aggregated logs.
    app.stop().unwrap();
    wait_report(
        &cluster,
        &client,
        &app,
        "FINISHED with logs aggregated",
        |r| {
            r.yarn_application_state() == YarnApplicationStateProto::Finished
                && r.log_aggregation_status() == LogAggregationStatusProto::LogSucceeded
        },
    )
    .await;
    // `yarn logs`: LogsCLI reads the aggregated logs (its web client, which the client jars
    // cannot build, is a stand-in that fails any request: see YarnCliBatch.Logs).
    let logs = ok(&mut cli, "LogsCLI", &["-applicationId", &id]).await;
    has(
        &logs,
        &[
            "LogType:stdout",
            &format!("hello-from-{task}"),
            "B=/base/sub",
            "registered with tracking URL",
        ],
    );
    let one = ok(
        &mut cli,
        "LogsCLI",
        &[
            "-applicationId",
            &id,
            "-containerId",
            &task,
            "-log_files",
            "stdout",
        ],
    )
    .await;
    has(&one, &[&format!("hello-from-{task}")]);
    assert!(
        !one.out.contains("registered with tracking URL"),
        "only the task's stdout:\n{}",
        one.out
    );
    let final_status = ok(&mut cli, "ApplicationCLI", &["application", "-status", &id]).await;
    has(
        &final_status,
        &[
            "State : FINISHED",
            "Final-State : SUCCEEDED",
            "Log Aggregation Status : SUCCEEDED",
        ],
    );
    cluster.shutdown().await;
}
