//! How much memory a process holds, as Linux reports it: the one reading the benchmarks and the
//! footprint tests take, so that their numbers compare.

/// The resident set size of process `pid` (`None`: this process) in kB, `VmRSS` of
/// `/proc/<pid>/status`; `None` where there is no such file or line (not Linux, the process is
/// gone).
pub fn resident_kb(pid: Option<u32>) -> Option<u64> {
    let path = match pid {
        Some(pid) => format!("/proc/{pid}/status"),
        None => "/proc/self/status".to_string(),
    };
    vm_rss_kb(&std::fs::read_to_string(path).ok()?)
}

/// The `VmRSS:` line of a `/proc/<pid>/status` text, kB.
fn vm_rss_kb(status: &str) -> Option<u64> {
    status
        .lines()
        .find_map(|l| l.strip_prefix("VmRSS:"))?
        .split_whitespace()
        .next()?
        .parse()
        .ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_the_vm_rss_line() {
        let status = "Name:\tx\nVmPeak:\t  9000 kB\nVmRSS:\t    8204 kB\nThreads:\t1\n";
        assert_eq!(vm_rss_kb(status), Some(8204));
        assert_eq!(vm_rss_kb("Name:\tx\n"), None);
        assert_eq!(vm_rss_kb("VmRSS:\tmany kB\n"), None);
    }

    #[test]
    fn this_process_holds_some_memory() {
        if cfg!(target_os = "linux") {
            assert!(resident_kb(None).is_some_and(|kb| kb > 0));
            assert_eq!(resident_kb(Some(u32::MAX)), None, "no such process");
        }
    }
}
