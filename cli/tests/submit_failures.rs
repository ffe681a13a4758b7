//! `spindle submit` when things go wrong, as a person sees it: an executor SIGKILLed mid-job is
//! replaced and the job finishes; too many executor failures end FAILED with exit code 11 and
//! the reason; `spindle kill` ends the application KILLED with no process of it left; a driver
//! command that does not exist fails with a diagnostic saying what to do.

mod common;
mod user;

use std::time::Duration;

use nix::sys::signal::{Signal, kill};
use nix::unistd::Pid;
use spindle_minicluster::MiniCluster;
use user::{Run, Submission, User, cluster_and_user, cmdline, env_of, eventually, processes_of};

/// On a cluster of two nodes, a user's `spindle submit` of two 128 MB executors with the
/// program `what` (the last words of the command line) and then `command`, started and named.
async fn two_executors_running(what: &str, command: &str) -> (MiniCluster, User, Submission) {
    let (cluster, me) = cluster_and_user(2).await;
    let line = format!("submit --num-executors 2 --executor-memory 128m {what}");
    let submission = me.submit(&line, &[command]).await;
    (cluster, me, submission)
}

/// On a cluster of one node, a user's `spindle submit FLAGS… LAST` with a single application
/// attempt (so the first failure is final), run to its end.
async fn submitted_once(flags: &str, last: &str) -> (MiniCluster, User, Run) {
    let (cluster, me) = cluster_and_user(1).await;
    let line = format!("submit --conf spindle.yarn.maxAppAttempts=1 {flags}");
    let run = me.spindle(&line, &[last]).await;
    (cluster, me, run)
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_executor_killed_mid_job_is_replaced_and_the_job_finishes() {
    let (cluster, _me, submission) =
        two_executors_running("-- spindle example dshell 20", "sleep 1; echo done").await;
    let app = submission.id.clone();
    // Executor 1 of the application, once it runs one of the tasks.
    let victim = submission
        .processes_until("executor 1 running a task", |pids| {
            let busy = pids.iter().any(|p| {
                cmdline(*p).iter().any(|w| w == "sleep")
                    && env_of(*p, "SPINDLE_EXECUTOR_ID").as_deref() == Some("1")
            });
            pids.into_iter().filter(|_| busy).find(|p| {
                let words = cmdline(*p);
                words.first().is_some_and(|w| w.ends_with("spindle"))
                    && words.get(1).is_some_and(|w| w == "executor")
                    && env_of(*p, "SPINDLE_EXECUTOR_ID").as_deref() == Some("1")
            })
        })
        .await;
    kill(Pid::from_raw(victim), Signal::SIGKILL).expect("SIGKILL the executor");
    let run = submission.finish().await;
    assert_eq!(run.code, 0, "{run}");
    let done = run.stdout.lines().filter(|l| l.ends_with("] done")).count();
    assert_eq!(done, 20, "every task's output: {run}");
    let handle = common::App {
        cluster: &cluster,
        client: common::client(&cluster),
        id: app.parse().expect("application id"),
    };
    let executors = handle
        .containers()
        .iter()
        .filter(|p| !p.to_string_lossy().ends_with("000001"))
        .count();
    assert!(
        executors >= 3,
        "a third executor replaced the killed one ({executors} executor containers)\n{}",
        handle.logs()
    );
    cluster.shutdown().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn too_many_executor_failures_fail_the_application_with_exit_code_11() {
    let (cluster, me, run) = submitted_once(
        "--num-executors 2 --executor-memory 128m --max-executor-failures 2 --shell",
        "echo 'no disk for me' >&2; exit 3",
    )
    .await;
    run.assert_ended(
        "executors that keep failing",
        11,
        &[
            "FAILED (exit code 11)",
            "Max number of executor failures (2) reached",
            "hint: the executors kept failing",
        ],
    );
    assert!(me.staged_applications().is_empty());
    cluster.shutdown().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn spindle_kill_ends_the_application_killed_with_no_process_left() {
    let (cluster, me, submission) = two_executors_running("--shell", "sleep 300").await;
    let app = submission.id.clone();
    submission
        .processes_until("both containers running their command", |pids| {
            let sleeping = pids
                .into_iter()
                .filter(|p| cmdline(*p).first().is_some_and(|w| w == "sleep"))
                .count();
            (sleeping == 2).then_some(())
        })
        .await;

    let killed = me.spindle(&format!("kill {app}"), &[]).await;
    assert_eq!(killed.code, 0, "{killed}");
    assert_eq!(killed.stdout.trim(), format!("{app} KILLED"), "{killed}");

    let run = submission.finish().await;
    assert_eq!(
        run.code, 3,
        "the follower exits with the killed code: {run}"
    );
    assert!(run.stderr.contains("KILLED"), "{run}");
    let left = eventually(Duration::from_secs(30), || {
        let left = processes_of(&app);
        left.is_empty().then_some(())
    })
    .await;
    assert!(
        left.is_some(),
        "processes of {app} are left: {:?}",
        processes_of(&app)
            .iter()
            .map(|p| cmdline(*p))
            .collect::<Vec<_>>()
    );
    assert!(me.staged_applications().is_empty());
    let again = me.spindle(&format!("kill {app}"), &[]).await;
    assert_eq!(again.code, 0, "{again}");
    assert!(
        again.stdout.contains("had already ended: KILLED"),
        "{again}"
    );
    cluster.shutdown().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_driver_command_that_does_not_exist_fails_with_what_to_do() {
    let (cluster, _me, run) = submitted_once("-- no-such-driver-program", "--flag").await;
    // Exit 13: the driver never started; the AM's stderr is shown.
    run.assert_ended(
        "a driver program that does not exist",
        13,
        &[
            "exited with code 127",
            "no-such-driver-program: not found",
            "hint: the driver's program was not found in the container",
        ],
    );
    cluster.shutdown().await;
}
