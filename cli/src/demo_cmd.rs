//! `spindle demo`: an embedded cluster in this process, Monte-Carlo pi in cluster mode (the
//! driver in the ApplicationMaster's container) and then in client mode (the driver in this
//! process), with their results, timings and tracking URLs; then everything stops.

use std::process::ExitCode;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use spindle_client::logs::ContainerLogs;
use spindle_client::{AppReport, AppRequest, Client, ClientConfig, Executors, Progress, Workload};
use spindle_examples::pi;
use spindle_minicluster::MiniCluster;
use spindle_protocol::proto::yarn::YarnApplicationStateProto;

use crate::app_args::DemoArgs;
use crate::error::CliError;
use crate::signals::Interrupt;
use crate::submit_cmd::{client_mode_in_process, start_embedded, this_binary};

/// Memory of each demo executor.
const EXECUTOR_MB: i64 = 256;
/// How long the client-mode driver waits for its executors.
const EXECUTOR_WAIT: Duration = Duration::from_secs(60);

/// What the client-mode driver saw: the pi line, executors registered after, the job's time,
/// the tracking URL.
type ClientModeSeen = (String, Duration, Duration, String);

/// One run's numbers.
struct RunSummary {
    result: String,
    tracking_url: String,
    timings: Vec<(&'static str, Duration)>,
    ok: bool,
}

impl RunSummary {
    fn print(&self, title: &str) {
        println!("{title}");
        println!("  result:       {}", self.result);
        for (what, d) in &self.timings {
            println!("  {what:<13} {:>7.0} ms", d.as_secs_f64() * 1000.0);
        }
        println!("  tracking URL: {}", self.tracking_url);
    }
}

/// Runs the demo to the end.
pub async fn run(args: DemoArgs) -> Result<ExitCode, CliError> {
    let started = Instant::now();
    let mut interrupt = Interrupt::install().map_err(CliError::Signals)?;
    println!(
        "Spindle demo: an embedded YARN-compatible cluster in this process, then Monte-Carlo pi \
         ({} tasks × {} samples on {} executors) in cluster mode and in client mode.",
        args.slices, args.samples, args.executors
    );
    let cluster = start_embedded(args.nodes).await?;
    println!(
        "cluster up in {} ms: {} NodeManagers, ResourceManager at {}{}",
        started.elapsed().as_millis(),
        args.nodes,
        cluster.rm_address(),
        cluster
            .rest_address()
            .map(|a| format!(", web UI at http://{a}/cluster"))
            .unwrap_or_default()
    );
    let staging = tempfile::Builder::new()
        .prefix("spindle-demo-staging-")
        .tempdir()
        .map_err(|e| CliError::Usage(format!("cannot make a staging folder: {e}")))?;
    let result = tokio::select! {
        r = runs(&cluster, &args, staging.path(), interrupt.clone()) => r,
        signal = interrupt.wait() => Err(CliError::Interrupted(signal)),
    };
    cluster.shutdown().await;
    let ok = result?;
    println!(
        "cluster stopped; the demo took {:.2} s in all",
        started.elapsed().as_secs_f64()
    );
    Ok(if ok {
        ExitCode::SUCCESS
    } else {
        ExitCode::FAILURE
    })
}

async fn runs(
    cluster: &MiniCluster,
    args: &DemoArgs,
    staging: &std::path::Path,
    interrupt: Interrupt,
) -> Result<bool, CliError> {
    let overrides = vec![
        (
            "spindle.yarn.report.interval".to_string(),
            "50ms".to_string(),
        ),
        (
            "spindle.yarn.stagingDir".to_string(),
            format!("file://{}", staging.display()),
        ),
    ];
    let config = ClientConfig::from_dir(cluster.conf_dir(), &overrides)?;
    let client = Client::new(config, overrides);
    let cluster_mode = cluster_mode(&client, args).await?;
    cluster_mode.print("\ncluster mode (the driver runs in the ApplicationMaster's container):");
    let client_mode = client_mode(&client, args, interrupt).await?;
    client_mode.print("\nclient mode (the driver runs in this process):");
    println!();
    Ok(cluster_mode.ok && client_mode.ok)
}

fn request(args: &DemoArgs, name: &str, workload: Workload) -> Result<AppRequest, CliError> {
    let mut request = AppRequest::new(workload, this_binary()?);
    request.submission.name = name.into();
    request.executors = Executors {
        count: args.executors,
        memory_mb: EXECUTOR_MB,
        ..Executors::default()
    };
    Ok(request)
}

/// Whether a pi line is close to pi.
fn good_pi(line: &str) -> bool {
    line.strip_prefix("Pi is roughly ")
        .and_then(|rest| rest.split_whitespace().next())
        .and_then(|n| n.parse::<f64>().ok())
        .is_some_and(|v| (v - std::f64::consts::PI).abs() < 0.05)
}

async fn cluster_mode(client: &Client, args: &DemoArgs) -> Result<RunSummary, CliError> {
    let argv = vec![
        "spindle".to_string(),
        "example".into(),
        "pi".into(),
        args.slices.to_string(),
        args.samples.to_string(),
    ];
    let request = request(
        args,
        "demo: pi in cluster mode",
        Workload::ClusterDriver { argv },
    )?;
    let started = Instant::now();
    let app = client.new_application().await?;
    let submitted = client.submit(&app, &request).await?;
    let submit_time = started.elapsed();
    let mut progress = Progress::new(false);
    let running = client
        .follow_until(submitted.id, &mut progress, |r| {
            r.state == YarnApplicationStateProto::Running
        })
        .await?;
    let running_at = started.elapsed();
    let report = client.follow(submitted.id, &mut progress).await?;
    let finished_at = started.elapsed();
    progress.finish();
    client.clean_up(&submitted);
    let logs = client.logs(submitted.id).await.unwrap_or_default();
    let stdout = read_am(&logs, "stdout").await;
    let line = stdout
        .lines()
        .find(|l| l.starts_with("Pi is roughly"))
        .map(str::to_string);
    let ok = report.succeeded() && line.as_deref().is_some_and(good_pi);
    let result = match line {
        Some(l) => l,
        None => failure_text(&report, &read_am(&logs, "stderr").await),
    };
    Ok(RunSummary {
        result,
        tracking_url: running.tracking_url.unwrap_or_else(|| "N/A".into()),
        timings: vec![
            ("submit:", submit_time),
            ("→ RUNNING:", running_at),
            ("→ FINISHED:", finished_at),
        ],
        ok,
    })
}

/// The first container's (the AM's) log file.
async fn read_am(logs: &[ContainerLogs], file: &str) -> String {
    match logs.first() {
        Some(am) => am.read(file, 1024 * 1024).await.unwrap_or_default(),
        None => String::new(),
    }
}

fn failure_text(report: &AppReport, stderr: &str) -> String {
    let tail: Vec<&str> = stderr.lines().rev().take(10).collect();
    format!(
        "{} ({}): {}\n{}",
        report.verdict(),
        report.exit_code().unwrap_or(1),
        report.diagnostics,
        tail.into_iter().rev().collect::<Vec<_>>().join("\n")
    )
}

async fn client_mode(
    client: &Client,
    args: &DemoArgs,
    interrupt: Interrupt,
) -> Result<RunSummary, CliError> {
    let request = request(
        args,
        "demo: pi in client mode",
        Workload::ClientDriver { url: String::new() },
    )?;
    let started = Instant::now();
    let app = client.new_application().await?;
    let id = app.id;
    let executors = args.executors as usize;
    let settings = pi::PiSettings {
        slices: args.slices,
        samples_per_slice: args.samples,
    };
    let seen: Arc<Mutex<Option<ClientModeSeen>>> = Arc::new(Mutex::new(None));
    let record = seen.clone();
    let (driver_result, report) = client_mode_in_process(
        client,
        request,
        &app,
        "127.0.0.1".into(),
        Progress::new(false),
        interrupt,
        |driver| async move {
            let n = driver.wait_for_executors(executors, EXECUTOR_WAIT).await;
            let registered = started.elapsed();
            if n < executors {
                return Err(format!("only {n} of {executors} executors registered"));
            }
            let tracking = client
                .report(id)
                .await
                .ok()
                .and_then(|r| r.tracking_url)
                .unwrap_or_else(|| "N/A".into());
            let result = pi::run(&driver, settings).await?;
            *record.lock().unwrap_or_else(|p| p.into_inner()) =
                Some((result.to_string(), registered, result.elapsed, tracking));
            Ok(())
        },
    )
    .await?;
    let finished_at = started.elapsed();
    let seen = seen.lock().unwrap_or_else(|p| p.into_inner()).clone();
    let ok = driver_result.is_ok()
        && report.succeeded()
        && seen.as_ref().is_some_and(|(line, ..)| good_pi(line));
    let (result, registered, job, tracking) = seen.unwrap_or_else(|| {
        (
            format!(
                "{}: {}",
                driver_result.err().unwrap_or_default(),
                report.diagnostics
            ),
            Duration::ZERO,
            Duration::ZERO,
            "N/A".into(),
        )
    });
    Ok(RunSummary {
        result,
        tracking_url: tracking,
        timings: vec![
            ("→ executors:", registered),
            ("pi job:", job),
            ("→ FINISHED:", finished_at),
        ],
        ok,
    })
}
