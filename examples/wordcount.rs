//! Word count: `wordcount FILE…` counts the words of the files in two stages (map per file,
//! reduce per bucket) and prints the 20 most frequent words.

use std::process::ExitCode;

use spindle_examples::{app, registry, wordcount};

fn main() -> ExitCode {
    let files: Vec<String> = std::env::args().skip(1).collect();
    app::main(registry(), |driver| async move {
        let counts = wordcount::run(&driver, &files, 4).await?;
        print!("{}", counts.summary(20, files.len()));
        Ok(())
    })
}
