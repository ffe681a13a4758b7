//! # spindle-examples
//!
//! Small real applications on Spindle. Each is a library module (its task functions and its
//! driver logic, so other programs such as `spindle demo` can run it) and a thin binary in this
//! folder:
//!
//! * [`dshell`] — a distributed shell: a command on N executors, their outputs collected by the
//!   driver (`cargo run -p spindle-examples --example dshell -- 4 'hostname; uptime'`).
//! * [`pi`] — Monte-Carlo pi with a Rust function as the task: the same binary is the driver
//!   and, started again by the cluster, its executors
//!   (`cargo run -p spindle-examples --example pi -- 16 1000000`).
//! * [`wordcount`] — word count over input files in two stages: map tasks count the words of
//!   one file each and split the counts into buckets, reduce tasks add up one bucket each
//!   (`cargo run -p spindle-examples --example wordcount -- README.md docs/*.md`).
//!
//! Run directly, an example starts its driver and its executors as local processes. Submitted
//! with `spindle submit`, it finds the application secret in its container and gets its
//! executors from the ApplicationMaster:
//!
//! ```text
//! cargo build -p spindle-examples --examples
//! spindle submit --executor-program target/debug/examples/pi -- target/debug/examples/pi 16 1000000
//! ```
//!
//! [`app`] is the harness that decides which of the three roles (executor, submitted driver,
//! local driver) a process plays.

#![forbid(unsafe_code)]
#![warn(missing_docs)]

pub mod app;
pub mod dshell;
pub mod pi;
pub mod wordcount;

use std::ops::RangeInclusive;

use spindle_scheduler::executor::TaskRegistry;

/// Every task function of the examples, by the names their drivers use.
pub fn registry() -> TaskRegistry {
    let mut registry = TaskRegistry::new();
    registry.register(pi::TASK, pi::sample);
    registry.register(wordcount::MAP_TASK, wordcount::map);
    registry.register(wordcount::REDUCE_TASK, wordcount::reduce);
    registry
}

/// Reads the argument `name` (an example's command line or a task's input) as a whole number
/// within `range`; the error names the argument, the range and what was given.
pub fn number_in<N>(name: &str, text: &str, range: RangeInclusive<N>) -> Result<N, String>
where
    N: std::str::FromStr + PartialOrd + std::fmt::Display,
{
    text.parse()
        .ok()
        .filter(|n| range.contains(n))
        .ok_or_else(|| {
            format!(
                "{name} must be a number from {} to {}, got {text:?}",
                range.start(),
                range.end()
            )
        })
}
