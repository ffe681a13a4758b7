//! Bad input to `spindle submit`: each gets a message naming the problem (and the fix), a
//! non-zero exit code, and leaves nothing submitted or staged behind.

mod common;
mod user;

use std::time::Duration;

use spindle_minicluster::MiniCluster;
use spindle_protocol::proto::yarn_service::GetApplicationsRequestProto;
use user::{Run, User, cluster_and_user, env_of, eventually};

/// The application every case tries to submit.
const PI: &str = "-- spindle example pi";

/// Nothing reached the ResourceManager and nothing stayed staged.
async fn nothing_left(cluster: &MiniCluster, me: &User, run: &Run) {
    let apps = common::client(cluster)
        .get_applications(&GetApplicationsRequestProto::default())
        .await
        .expect("getApplications")
        .applications;
    assert!(
        apps.is_empty(),
        "an application was submitted: {apps:?}\n{run}"
    );
    let staged = me.staged_applications();
    assert!(
        staged.is_empty(),
        "staged files were left: {staged:?}\n{run}"
    );
}

/// The command failed with `code` and said each of `says`.
fn assert_refused(run: &Run, code: i32, says: &[&str]) {
    assert_eq!(run.code, code, "{run}");
    for s in says {
        assert!(run.stderr.contains(s), "{s:?} missing: {run}");
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_unreadable_conf_dir_is_named() {
    let mut me = User::without_cluster();
    me.conf_dir = Some(me.home.path().join("no-such-conf"));
    let run = me.spindle(&format!("submit {PI}"), &[]).await;
    assert_refused(
        &run,
        1,
        &[
            "no-such-conf",
            "hint: point HADOOP_CONF_DIR at a readable folder",
        ],
    );
    let none = User::without_cluster()
        .spindle(&format!("submit --master yarn {PI}"), &[])
        .await;
    assert_refused(&none, 1, &["no cluster is configured", "HADOOP_CONF_DIR"]);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_unknown_master_is_a_usage_error() {
    let run = User::without_cluster()
        .spindle(&format!("submit --master local {PI}"), &[])
        .await;
    assert_refused(&run, 2, &["invalid value 'local'", "yarn, embedded"]);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn memory_above_the_clusters_maximum_is_refused_before_staging() {
    let (cluster, me) = cluster_and_user(1).await;
    let run = me
        .spindle(&format!("submit --executor-memory 100g {PI}"), &[])
        .await;
    assert_refused(
        &run,
        1,
        &[
            "102400 MB",
            "above the cluster's maximum",
            "4096 MB",
            "yarn.scheduler.maximum-allocation-mb",
        ],
    );
    let am = me
        .spindle(
            &format!("submit --conf spindle.yarn.am.memory=64g {PI}"),
            &[],
        )
        .await;
    assert_refused(&am, 1, &["ApplicationMaster's memory"]);
    nothing_left(&cluster, &me, &run).await;
    cluster.shutdown().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_driver_address_that_cannot_be_reached_submits_nothing() {
    let (cluster, me) = cluster_and_user(1).await;
    let host = "no-such-host.invalid";
    let run = me
        .spindle(
            &format!("submit --deploy-mode client --conf spindle.driver.host={host} {PI}"),
            &[],
        )
        .await;
    assert_refused(&run, 1, &[host, "cannot be reached", "spindle.driver.host"]);
    nothing_left(&cluster, &me, &run).await;
    // The driver that was started for it is gone too (it announced that host).
    let gone = eventually(Duration::from_secs(10), || {
        let left = std::fs::read_dir("/proc")
            .into_iter()
            .flatten()
            .flatten()
            .filter_map(|e| e.file_name().to_str()?.parse::<i32>().ok())
            .filter(|p| env_of(*p, "NM_HOST").as_deref() == Some(host))
            .count();
        (left == 0).then_some(())
    })
    .await;
    assert!(gone.is_some(), "the client-mode driver was left running");
    let missing = me
        .spindle("submit --deploy-mode client -- ./no/such/driver", &[])
        .await;
    assert_refused(
        &missing,
        1,
        &["the driver program ./no/such/driver does not exist"],
    );
    nothing_left(&cluster, &me, &missing).await;
    cluster.shutdown().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_spec_file_with_an_unknown_key_or_a_wrong_type_names_the_line() {
    let (cluster, me) = cluster_and_user(1).await;
    let home = me.home.path();
    std::fs::write(home.join("typo.toml"), "name = \"x\"\nnum_executor = 2\n").unwrap();
    std::fs::write(home.join("type.toml"), "num_executors = \"two\"\n").unwrap();
    let typo = me.spindle("submit --spec typo.toml", &[]).await;
    assert_refused(
        &typo,
        1,
        &[
            "typo.toml",
            "line 2",
            "unknown field `num_executor`",
            "num_executors",
        ],
    );
    let wrong = me.spindle("submit --spec type.toml", &[]).await;
    assert_refused(
        &wrong,
        1,
        &["type.toml", "line 1", "invalid type: string \"two\""],
    );
    let none = me.spindle("submit --spec missing.toml", &[]).await;
    assert_refused(&none, 1, &["cannot read the spec file missing.toml"]);
    nothing_left(&cluster, &me, &typo).await;
    cluster.shutdown().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_files_path_that_does_not_exist_stages_nothing() {
    let (cluster, me) = cluster_and_user(1).await;
    std::fs::write(me.home.path().join("real.txt"), "x").unwrap();
    let run = me
        .spindle(&format!("submit --files real.txt,missing.txt {PI}"), &[])
        .await;
    assert_refused(&run, 1, &["the file missing.txt cannot be read"]);
    let clash = me
        .spindle(&format!("submit --files real.txt,real.txt {PI}"), &[])
        .await;
    assert_refused(
        &clash,
        1,
        &["two resources would be linked as \"real.txt\"", "PATH#LINK"],
    );
    nothing_left(&cluster, &me, &run).await;
    cluster.shutdown().await;
}
