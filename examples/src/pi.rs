//! Monte-Carlo pi (Spark's `SparkPi`): each task throws `samples` random points at the unit
//! square and counts those inside the quarter circle; pi ≈ 4 × hits / samples.
//!
//! The task is a Rust function ([`sample`], registered as [`TASK`]), so the executors must be a
//! binary that registered it: the example binary itself, or `spindle` (which registers every
//! example's functions).

use std::fmt;
use std::time::{Duration, Instant};

use spindle_scheduler::core::{JobSpec, StageSpec, TaskKind, TaskSpec};
use spindle_scheduler::driver::Driver;
use spindle_scheduler::executor::TaskContext;

use crate::number_in;

/// The task function's registered name.
pub const TASK: &str = "pi_sample";
/// The most samples one task may be asked for (a task of this size runs for minutes).
pub const MAX_SAMPLES_PER_SLICE: u64 = 10_000_000_000;
/// The most slices (tasks) of one run.
pub const MAX_SLICES: u32 = 100_000;

/// How a pi run is split.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct PiSettings {
    /// Tasks.
    pub slices: u32,
    /// Points each task throws.
    pub samples_per_slice: u64,
}

impl Default for PiSettings {
    fn default() -> Self {
        PiSettings {
            slices: 16,
            samples_per_slice: 1_000_000,
        }
    }
}

impl PiSettings {
    /// Reads `[SLICES [SAMPLES_PER_SLICE]]` (the example's command line; trailing arguments a
    /// launcher appends are ignored only if they start with `--`).
    pub fn from_args(args: &[String]) -> Result<Self, String> {
        let mut settings = PiSettings::default();
        let mut numbers = args.iter().take_while(|a| !a.starts_with("--"));
        if let Some(s) = numbers.next() {
            settings.slices = number_in("SLICES", s, 1..=MAX_SLICES)?;
        }
        if let Some(s) = numbers.next() {
            settings.samples_per_slice =
                number_in("SAMPLES_PER_SLICE", s, 1..=MAX_SAMPLES_PER_SLICE)?;
        }
        if let Some(extra) = numbers.next() {
            return Err(format!(
                "unexpected argument {extra:?}: the arguments are [SLICES [SAMPLES_PER_SLICE]]"
            ));
        }
        Ok(settings)
    }
}

/// The estimate and how it was made.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct PiResult {
    /// 4 × hits / samples.
    pub estimate: f64,
    /// Points thrown.
    pub samples: u64,
    /// Points inside the quarter circle.
    pub hits: u64,
    /// Tasks.
    pub slices: u32,
    /// From submitting the job to its last result.
    pub elapsed: Duration,
}

impl fmt::Display for PiResult {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "Pi is roughly {:.6} ({} samples in {} tasks, {} ms)",
            self.estimate,
            self.samples,
            self.slices,
            self.elapsed.as_millis()
        )
    }
}

/// A task's input: its seed and its number of samples.
fn encode_input(seed: u64, samples: u64) -> Vec<u8> {
    let mut input = Vec::with_capacity(16);
    input.extend_from_slice(&seed.to_le_bytes());
    input.extend_from_slice(&samples.to_le_bytes());
    input
}

fn read_u64(bytes: &[u8]) -> Option<u64> {
    Some(u64::from_le_bytes(bytes.try_into().ok()?))
}

/// SplitMix64: a small, fast generator; each task seeds its own, so results do not depend on
/// which executor ran which task.
fn next_random(state: &mut u64) -> u64 {
    *state = state.wrapping_add(0x9E37_79B9_7F4A_7C15);
    let mut z = *state;
    z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
    z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
    z ^ (z >> 31)
}

/// A uniform number in [0, 1) from the top 53 bits.
fn unit(r: u64) -> f64 {
    (r >> 11) as f64 / (1u64 << 53) as f64
}

/// The task: input = seed (u64, little-endian) + samples (u64); output = hits (u64). Stops
/// early (with an error) when the driver kills it.
pub fn sample(ctx: &TaskContext, input: &[u8]) -> Result<Vec<u8>, String> {
    if input.len() != 16 {
        return Err(format!(
            "{TASK} takes 16 bytes (seed, samples), got {}",
            input.len()
        ));
    }
    let (seed, samples) = match (read_u64(&input[..8]), read_u64(&input[8..])) {
        (Some(seed), Some(samples)) => (seed, samples),
        _ => return Err(format!("{TASK}: unreadable input")),
    };
    if samples > MAX_SAMPLES_PER_SLICE {
        return Err(format!(
            "{TASK}: {samples} samples is over the limit of {MAX_SAMPLES_PER_SLICE}"
        ));
    }
    let mut state = seed;
    let mut hits = 0u64;
    for i in 0..samples {
        // Checking the kill flag costs an atomic load: every 64 Ki samples is often enough.
        if i % 65_536 == 0 && ctx.is_killed() {
            return Err(format!("{TASK} killed after {i} samples"));
        }
        let x = unit(next_random(&mut state));
        let y = unit(next_random(&mut state));
        if x * x + y * y <= 1.0 {
            hits += 1;
        }
    }
    Ok(hits.to_le_bytes().to_vec())
}

/// Runs one pi job on `driver` and adds up its results.
pub async fn run(driver: &Driver, settings: PiSettings) -> Result<PiResult, String> {
    let tasks = (0..settings.slices)
        .map(|slice| {
            // Distinct, spread-out seeds per slice.
            let seed = u64::from(slice).wrapping_mul(0xD1B5_4A32_D192_ED03) ^ 0x5EED;
            TaskSpec::new(TaskKind::function(
                TASK,
                encode_input(seed, settings.samples_per_slice),
            ))
        })
        .collect();
    let job = JobSpec {
        stages: vec![StageSpec::new(tasks)],
        ..JobSpec::default()
    };
    let started = Instant::now();
    let output = driver.run(job).await.map_err(|e| e.to_string())?;
    let elapsed = started.elapsed();
    let mut hits = 0u64;
    for (slice, result) in output.stage(0).iter().enumerate() {
        hits += read_u64(result)
            .ok_or_else(|| format!("slice {slice} returned {} bytes, not 8", result.len()))?;
    }
    let samples = settings.samples_per_slice * u64::from(settings.slices);
    Ok(PiResult {
        estimate: 4.0 * hits as f64 / samples as f64,
        samples,
        hits,
        slices: settings.slices,
        elapsed,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn arguments_are_checked() {
        let args = |a: &[&str]| a.iter().map(|s| s.to_string()).collect::<Vec<_>>();
        assert_eq!(
            PiSettings::from_args(&args(&["4", "100"])),
            Ok(PiSettings {
                slices: 4,
                samples_per_slice: 100
            })
        );
        assert_eq!(
            PiSettings::from_args(&args(&["--driver-url", "x"])),
            Ok(PiSettings::default())
        );
        assert!(PiSettings::from_args(&args(&["0"])).is_err());
        assert!(PiSettings::from_args(&args(&["many"])).is_err());
        assert!(PiSettings::from_args(&args(&["1", "2", "3"])).is_err());
    }

    #[test]
    fn the_generator_is_uniform_enough_to_find_pi() {
        let mut state = 42;
        let n = 200_000u64;
        let mut hits = 0;
        for _ in 0..n {
            let (x, y) = (unit(next_random(&mut state)), unit(next_random(&mut state)));
            assert!((0.0..1.0).contains(&x) && (0.0..1.0).contains(&y));
            if x * x + y * y <= 1.0 {
                hits += 1;
            }
        }
        let estimate = 4.0 * hits as f64 / n as f64;
        assert!((estimate - std::f64::consts::PI).abs() < 0.02, "{estimate}");
    }
}
