//! `JavaBench`: sequential small-call throughput of Hadoop's Java IPC client, and the same
//! measuring loop for our clients ([`sequential`]).

use std::future::Future;
use std::net::SocketAddr;
use std::path::Path;
use std::time::{Duration, Instant};

use crate::clients::Endpoints;
use crate::error::{HarnessError, Result};
use crate::process::{JavaCommand, JavaSetup};

/// Which call to repeat.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum BenchMode {
    /// `allocate` with an empty ask over SASL TOKEN auth (needs the AMRMToken file).
    Allocate,
    /// `getApplicationReport` over SIMPLE auth.
    Report,
}

/// One benchmark run's numbers.
#[derive(Debug, Clone, PartialEq)]
pub struct BenchResult {
    /// Calls made in the measured period.
    pub calls: u64,
    /// Length of the measured period.
    pub seconds: f64,
    /// Throughput.
    pub calls_per_s: f64,
    /// Median latency, microseconds.
    pub p50_us: f64,
    /// 99th percentile latency, microseconds.
    pub p99_us: f64,
}

/// Runs `JavaBench` against `addr` (warm-up, then `seconds` of sequential calls).
pub async fn run_java_bench(
    mode: BenchMode,
    addr: SocketAddr,
    token_file: Option<&Path>,
    warmup: Duration,
    seconds: Duration,
) -> Result<BenchResult> {
    run_java_bench_with(
        mode,
        addr,
        token_file,
        warmup,
        seconds,
        &JavaSetup::default(),
    )
    .await
}

/// [`run_java_bench`] with `java` applied to the JVM (e.g. `hadoop.rpc.protection`).
pub async fn run_java_bench_with(
    mode: BenchMode,
    addr: SocketAddr,
    token_file: Option<&Path>,
    warmup: Duration,
    seconds: Duration,
    java: &JavaSetup,
) -> Result<BenchResult> {
    let mut cmd = JavaCommand::new("spindle.interop.JavaBench")
        .arg(match mode {
            BenchMode::Allocate => "allocate",
            BenchMode::Report => "report",
        })
        .arg(addr.to_string());
    cmd.jvm_flags = vec!["-Xmx384m".into(), "-Djava.net.preferIPv4Stack=true".into()];
    cmd = cmd.setup(java);
    if let Some(t) = token_file {
        cmd = cmd.arg(t);
    }
    let mut p = cmd
        .arg("--warmup-s")
        .arg(warmup.as_secs_f64().to_string())
        .arg("--seconds")
        .arg(seconds.as_secs_f64().to_string())
        .spawn()
        .await?;
    let line = p
        .wait_for("RESULT ", warmup + seconds + Duration::from_secs(90))
        .await?;
    parse_result(&line)
}

/// Hadoop's IPC client driving `at` call after call, both ways: token-auth `allocate` (every call
/// must answer the next response id; `JavaBench` fails on the first error) and SIMPLE
/// `getApplicationReport`. Prints the numbers; panics unless both loops made calls and measured
/// sane latencies.
pub async fn assert_java_bench_runs(at: &Endpoints, warmup: Duration, measure: Duration) {
    let token_file = Some(at.token_file.as_path());
    let alloc = run_java_bench(
        BenchMode::Allocate,
        at.scheduler,
        token_file,
        warmup,
        measure,
    )
    .await
    .expect("JavaBench allocate");
    let report = run_java_bench(BenchMode::Report, at.client, None, warmup, measure)
        .await
        .expect("JavaBench getApplicationReport");
    println!(
        "Java client: allocate (token) {:.0} calls/s p50 {:.0} µs p99 {:.0} µs; \
         getApplicationReport (SIMPLE) {:.0} calls/s p50 {:.0} µs p99 {:.0} µs",
        alloc.calls_per_s,
        alloc.p50_us,
        alloc.p99_us,
        report.calls_per_s,
        report.p50_us,
        report.p99_us
    );
    for r in [&alloc, &report] {
        assert!(r.calls > 0 && r.seconds > 0.0, "{r:?}");
        assert!(r.p50_us > 0.0 && r.p50_us <= r.p99_us, "{r:?}");
    }
}

/// The Java client's measuring loop, for our clients: `warmup` of calls, then `measure` of
/// sequential calls, timed one by one.
pub async fn sequential<F, Fut>(warmup: Duration, measure: Duration, mut call: F) -> BenchResult
where
    F: FnMut() -> Fut,
    Fut: Future<Output = ()>,
{
    let end = Instant::now() + warmup;
    while Instant::now() < end {
        call().await;
    }
    let mut lat = Vec::with_capacity(1 << 16);
    let start = Instant::now();
    let end = start + measure;
    let mut now = start;
    while now < end {
        let t0 = Instant::now();
        call().await;
        now = Instant::now();
        lat.push(now - t0);
    }
    let secs = (now - start).as_secs_f64();
    lat.sort();
    let pct =
        |q: f64| lat[((lat.len() as f64 * q) as usize).min(lat.len() - 1)].as_secs_f64() * 1e6;
    BenchResult {
        calls: lat.len() as u64,
        seconds: secs,
        calls_per_s: lat.len() as f64 / secs,
        p50_us: pct(0.5),
        p99_us: pct(0.99),
    }
}

/// Prints one result line: `call  client → server  N calls/s  p50  p99`.
pub fn print_result(call: &str, client: &str, server: &str, r: &BenchResult) {
    println!(
        "{:<58} {:>8.0} calls/s   p50 {:>6.0} µs   p99 {:>6.0} µs",
        format!("{call}  {client} → {server}"),
        r.calls_per_s,
        r.p50_us,
        r.p99_us
    );
}

/// Parses `RESULT mode=.. calls=.. seconds=.. calls_per_s=.. p50_us=.. p99_us=..`.
pub fn parse_result(line: &str) -> Result<BenchResult> {
    let get = |k: &str| -> Result<f64> {
        line.split_whitespace()
            .find_map(|kv| kv.strip_prefix(k).and_then(|v| v.strip_prefix('=')))
            .and_then(|v| v.parse::<f64>().ok())
            .ok_or_else(|| HarnessError::Protocol(format!("no numeric {k} in `{line}`")))
    };
    Ok(BenchResult {
        calls: get("calls")? as u64,
        seconds: get("seconds")?,
        calls_per_s: get("calls_per_s")?,
        p50_us: get("p50_us")?,
        p99_us: get("p99_us")?,
    })
}

#[cfg(test)]
mod tests {
    use super::parse_result;

    #[test]
    fn parses_the_result_line() {
        let r = parse_result(
            "RESULT mode=allocate calls=12305 seconds=5.000 calls_per_s=2461 p50_us=252.6 p99_us=4085.3",
        )
        .expect("valid line");
        assert_eq!(r.calls, 12305);
        assert_eq!(r.calls_per_s, 2461.0);
        assert_eq!((r.p50_us, r.p99_us), (252.6, 4085.3));
        assert!(parse_result("RESULT mode=allocate calls=x").is_err());
    }
}
