//! Distributed shell: `dshell [COUNT] COMMAND…` runs the command with `sh -c` on COUNT executors
//! (default: the executors asked for) and prints each one's output as `[i] line`.

use std::process::ExitCode;

use spindle_examples::{app, dshell, registry};

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    app::main(registry(), |driver| async move {
        let parsed = dshell::DshellArgs::from_args(&args)?;
        let executors = app::executors_wanted()?;
        let count = parsed.count.unwrap_or(executors);
        let outputs = dshell::run(&driver, &parsed.command, count, executors).await?;
        print!("{}", dshell::render(&outputs));
        Ok(())
    })
}
