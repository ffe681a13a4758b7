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

/// Nothing reached the ResourceManager and nothing stayed staged after `case`.
async fn nothing_left(cluster: &MiniCluster, me: &User, case: &str, run: &Run) {
    let apps = common::client(cluster)
        .get_applications(&GetApplicationsRequestProto::default())
        .await
        .expect("getApplications")
        .applications;
    assert!(
        apps.is_empty(),
        "{case}: an application was submitted: {apps:?}\n{run}"
    );
    let staged = me.staged_applications();
    assert!(
        staged.is_empty(),
        "{case}: staged files were left: {staged:?}\n{run}"
    );
}

/// A `spindle submit` without a usable cluster configuration, and how it is refused.
struct Unconfigured {
    case: &'static str,
    /// HADOOP_CONF_DIR, under the home folder (`None`: unset).
    conf_dir: Option<&'static str>,
    flags: &'static str,
    code: i32,
    says: &'static [&'static str],
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn without_a_usable_cluster_configuration_the_problem_is_named() {
    let cases = [
        Unconfigured {
            case: "an unreadable conf dir",
            conf_dir: Some("no-such-conf"),
            flags: "",
            code: 1,
            says: &[
                "no-such-conf",
                "hint: point HADOOP_CONF_DIR at a readable folder",
            ],
        },
        Unconfigured {
            case: "no cluster configured",
            conf_dir: None,
            flags: "--master yarn",
            code: 1,
            says: &["no cluster is configured", "HADOOP_CONF_DIR"],
        },
        Unconfigured {
            case: "an unknown master (a usage error)",
            conf_dir: None,
            flags: "--master local",
            code: 2,
            says: &["invalid value 'local'", "yarn, embedded"],
        },
    ];
    for c in cases {
        let mut me = User::without_cluster();
        me.conf_dir = c.conf_dir.map(|d| me.home.path().join(d));
        let run = me.spindle(&format!("submit {} {PI}", c.flags), &[]).await;
        run.assert_ended(c.case, c.code, c.says);
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn bad_input_is_refused_before_anything_is_staged_or_submitted() {
    let (cluster, me) = cluster_and_user(1).await;
    let home = me.home.path();
    std::fs::write(home.join("typo.toml"), "name = \"x\"\nnum_executor = 2\n").unwrap();
    std::fs::write(home.join("type.toml"), "num_executors = \"two\"\n").unwrap();
    std::fs::write(home.join("real.txt"), "x").unwrap();
    // (case, command line, what it says); each exits with 1.
    let cases: [(&str, String, &[&str]); 8] = [
        (
            "executor memory above the cluster's maximum",
            format!("submit --executor-memory 100g {PI}"),
            &[
                "102400 MB",
                "above the cluster's maximum",
                "4096 MB",
                "yarn.scheduler.maximum-allocation-mb",
            ],
        ),
        (
            "AM memory above the cluster's maximum",
            format!("submit --conf spindle.yarn.am.memory=64g {PI}"),
            &["ApplicationMaster's memory"],
        ),
        (
            "a client-mode driver program that does not exist",
            "submit --deploy-mode client -- ./no/such/driver".into(),
            &["the driver program ./no/such/driver does not exist"],
        ),
        (
            "a spec file with an unknown key",
            "submit --spec typo.toml".into(),
            &[
                "typo.toml",
                "line 2",
                "unknown field `num_executor`",
                "num_executors",
            ],
        ),
        (
            "a spec file with a wrong type",
            "submit --spec type.toml".into(),
            &["type.toml", "line 1", "invalid type: string \"two\""],
        ),
        (
            "a spec file that does not exist",
            "submit --spec missing.toml".into(),
            &["cannot read the spec file missing.toml"],
        ),
        (
            "a --files path that does not exist",
            format!("submit --files real.txt,missing.txt {PI}"),
            &["the file missing.txt cannot be read"],
        ),
        (
            "two --files linked under one name",
            format!("submit --files real.txt,real.txt {PI}"),
            &["two resources would be linked as \"real.txt\"", "PATH#LINK"],
        ),
    ];
    for (case, line, says) in cases {
        let run = me.spindle(&line, &[]).await;
        run.assert_ended(case, 1, says);
        nothing_left(&cluster, &me, case, &run).await;
    }
    cluster.shutdown().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_driver_address_that_cannot_be_reached_submits_nothing() {
    let (cluster, me) = cluster_and_user(1).await;
    let host = "no-such-host.invalid";
    let case = "an unreachable driver address";
    let run = me
        .spindle(
            &format!("submit --deploy-mode client --conf spindle.driver.host={host} {PI}"),
            &[],
        )
        .await;
    run.assert_ended(case, 1, &[host, "cannot be reached", "spindle.driver.host"]);
    nothing_left(&cluster, &me, case, &run).await;
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
    cluster.shutdown().await;
}
