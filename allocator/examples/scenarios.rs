//! Runs allocator scenario files.
//!
//! `cargo run -p spindle-allocator --example scenarios -- <file-or-folder>...`
//!
//! Prints one line per scenario, then `N passed, N failed`; exits non-zero if any failed
//! (a malformed file counts as failed).

use std::path::{Path, PathBuf};
use std::process::ExitCode;

use spindle_allocator::scenario::run_scenario;

/// Files larger than this are refused rather than read.
const MAX_FILE_BYTES: u64 = 64 << 20;

fn collect(path: &Path, out: &mut Vec<PathBuf>) -> Result<(), String> {
    let meta = std::fs::metadata(path).map_err(|e| format!("{}: {e}", path.display()))?;
    if meta.is_dir() {
        let mut entries: Vec<PathBuf> = std::fs::read_dir(path)
            .map_err(|e| format!("{}: {e}", path.display()))?
            .filter_map(|e| e.ok().map(|e| e.path()))
            .collect();
        entries.sort();
        for p in entries {
            if p.is_dir() {
                collect(&p, out)?;
            } else if p.extension().is_some_and(|e| e == "json") {
                out.push(p);
            }
        }
    } else {
        out.push(path.to_path_buf());
    }
    Ok(())
}

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    if args.is_empty() {
        eprintln!("usage: scenarios <file-or-folder>...");
        return ExitCode::from(2);
    }
    let mut files = Vec::new();
    for a in &args {
        if let Err(e) = collect(Path::new(a), &mut files) {
            eprintln!("error: {e}");
            return ExitCode::from(2);
        }
    }
    let (mut passed, mut failed) = (0usize, 0usize);
    for f in &files {
        let text = match std::fs::metadata(f) {
            Ok(m) if m.len() > MAX_FILE_BYTES => Err(format!("larger than {MAX_FILE_BYTES} bytes")),
            _ => std::fs::read_to_string(f).map_err(|e| e.to_string()),
        };
        let result = text.and_then(|t| run_scenario(&t).map_err(|e| e.to_string()));
        match result {
            Ok(o) => match o.failure {
                None => {
                    passed += 1;
                    println!("ok    {}: {}", f.display(), o.name);
                }
                Some((step, msg)) => {
                    failed += 1;
                    println!("FAIL  {}: {}: step {step}: {msg}", f.display(), o.name);
                }
            },
            Err(e) => {
                failed += 1;
                println!("ERROR {}: {e}", f.display());
            }
        }
    }
    println!("{passed} passed, {failed} failed");
    if failed > 0 {
        ExitCode::FAILURE
    } else {
        ExitCode::SUCCESS
    }
}
