//! Monte-Carlo pi: `pi [SLICES [SAMPLES_PER_SLICE]]` (default 16 × 1,000,000).
//!
//! One binary is the driver and its executors: run by hand it starts its executors as local
//! processes; submitted (`spindle submit --executor-program PATH -- PATH 16 1000000`) the
//! ApplicationMaster starts this binary again in executor containers.

use std::process::ExitCode;

use spindle_examples::{app, pi, registry};

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    app::main(registry(), |driver| async move {
        let settings = pi::PiSettings::from_args(&args)?;
        let result = pi::run(&driver, settings).await?;
        println!("{result}");
        Ok(())
    })
}
