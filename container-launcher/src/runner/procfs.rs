//! Reading the process table from `/proc`: who belongs to a container and how much memory it uses.

use std::collections::{HashMap, HashSet};

/// One process as `/proc/<pid>/stat` describes it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ProcInfo {
    /// Process id.
    pub pid: i32,
    /// The command name (at most 15 bytes, from the kernel).
    pub comm: String,
    /// State letter (`R`, `S`, `Z` …).
    pub state: char,
    /// Parent process id.
    pub ppid: i32,
    /// Process group id.
    pub pgrp: i32,
    /// Session id.
    pub session: i32,
    /// Resident set size in pages.
    pub rss_pages: u64,
}

impl ProcInfo {
    /// Whether the process has exited and only waits to be reaped.
    pub fn is_zombie(&self) -> bool {
        self.state == 'Z' || self.state == 'X'
    }
}

/// Parses the text of `/proc/<pid>/stat`. The command name is in parentheses and may itself contain
/// spaces and parentheses, so the fields after it are found from the last `)`.
pub fn parse_stat(text: &str) -> Option<ProcInfo> {
    let open = text.find('(')?;
    let close = text.rfind(')')?;
    if close < open {
        return None;
    }
    let pid = text[..open].trim().parse().ok()?;
    let comm = text[open + 1..close].to_string();
    let rest: Vec<&str> = text[close + 1..].split_whitespace().collect();
    // rest[0] = state (field 3), rest[1] = ppid (4), rest[2] = pgrp (5), rest[3] = session (6),
    // rest[21] = rss (24).
    let state = rest.first()?.chars().next()?;
    Some(ProcInfo {
        pid,
        comm,
        state,
        ppid: rest.get(1)?.parse().ok()?,
        pgrp: rest.get(2)?.parse().ok()?,
        session: rest.get(3)?.parse().ok()?,
        rss_pages: rest.get(21)?.parse().ok()?,
    })
}

/// Reads one process; `None` when it is gone (or unreadable).
pub fn read_process(pid: i32) -> Option<ProcInfo> {
    let text = std::fs::read_to_string(format!("/proc/{pid}/stat")).ok()?;
    parse_stat(&text)
}

/// A snapshot of every process on the machine. Processes that vanish while being read are skipped.
pub fn snapshot() -> std::io::Result<Vec<ProcInfo>> {
    let mut out = Vec::with_capacity(256);
    for entry in std::fs::read_dir("/proc")? {
        let Ok(entry) = entry else { continue };
        let name = entry.file_name();
        let Some(pid) = name.to_str().and_then(|s| s.parse::<i32>().ok()) else {
            continue;
        };
        if let Some(info) = read_process(pid) {
            out.push(info);
        }
    }
    Ok(out)
}

/// The page size in bytes (4096 when the system does not say).
pub fn page_size() -> u64 {
    match nix::unistd::sysconf(nix::unistd::SysconfVar::PAGE_SIZE) {
        Ok(Some(n)) if n > 0 => n as u64,
        _ => 4096,
    }
}

/// The processes of a container whose session leader is `leader`: everything in its session or
/// process group, plus every descendant of those (which catches children that started their own
/// session). Zombies are left out.
pub fn container_members(snapshot: &[ProcInfo], leader: i32) -> Vec<&ProcInfo> {
    let mut children: HashMap<i32, Vec<&ProcInfo>> = HashMap::new();
    for p in snapshot {
        children.entry(p.ppid).or_default().push(p);
    }
    let mut seen: HashSet<i32> = HashSet::new();
    let mut stack: Vec<&ProcInfo> = snapshot
        .iter()
        .filter(|p| p.session == leader || p.pgrp == leader || p.pid == leader)
        .collect();
    let mut out = Vec::new();
    while let Some(p) = stack.pop() {
        if !seen.insert(p.pid) {
            continue;
        }
        if let Some(kids) = children.get(&p.pid) {
            stack.extend(kids.iter().copied());
        }
        if !p.is_zombie() {
            out.push(p);
        }
    }
    out.sort_by_key(|p| p.pid);
    out
}

/// Formats a byte count the way YARN's memory diagnostics do: `64 MB`, `200.5 MB`, `1.2 GB`.
pub fn human_bytes(bytes: u64) -> String {
    const UNITS: [&str; 6] = ["B", "KB", "MB", "GB", "TB", "PB"];
    let mut unit = 0;
    let mut scale = 1u64;
    while unit + 1 < UNITS.len() && bytes >= scale * 1024 {
        scale *= 1024;
        unit += 1;
    }
    if unit == 0 {
        return format!("{bytes} B");
    }
    let tenths = ((bytes as u128 * 10 + scale as u128 / 2) / scale as u128) as u64;
    if tenths.is_multiple_of(10) {
        format!("{} {}", tenths / 10, UNITS[unit])
    } else {
        format!("{}.{} {}", tenths / 10, tenths % 10, UNITS[unit])
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn proc(pid: i32, ppid: i32, pgrp: i32, session: i32, rss: u64) -> ProcInfo {
        ProcInfo {
            pid,
            comm: format!("p{pid}"),
            state: 'S',
            ppid,
            pgrp,
            session,
            rss_pages: rss,
        }
    }

    #[test]
    fn stat_with_odd_command_names_parses() {
        let text = "4242 (we ird) (x)) S 1 4242 4242 0 -1 4194560 100 0 0 0 0 0 0 0 20 0 1 0 12345 1000000 777 18446744073709551615 1 1 0 0 0 0 0 0 0 0 0 0 17 0 0 0 0 0 0";
        let p = parse_stat(text).unwrap();
        assert_eq!(p.pid, 4242);
        assert_eq!(p.comm, "we ird) (x)");
        assert_eq!((p.state, p.ppid, p.pgrp, p.session), ('S', 1, 4242, 4242));
        assert_eq!(p.rss_pages, 777);
        assert_eq!(parse_stat("12 (x"), None);
        assert_eq!(parse_stat("12 (x) S 1"), None);
    }

    #[test]
    fn own_process_is_readable() {
        let me = read_process(std::process::id() as i32).unwrap();
        assert!(me.rss_pages > 0);
        assert!(snapshot().unwrap().iter().any(|p| p.pid == me.pid));
    }

    #[test]
    fn members_include_session_group_and_escaped_descendants() {
        let snap = vec![
            proc(1, 0, 1, 1, 10),
            proc(100, 1, 100, 100, 1),   // leader
            proc(101, 100, 100, 100, 2), // child in group
            proc(102, 101, 102, 102, 4), // grandchild that called setsid
            proc(103, 102, 102, 102, 8), // its child
            proc(200, 1, 200, 200, 16),  // unrelated
        ];
        let pids: Vec<i32> = container_members(&snap, 100)
            .iter()
            .map(|p| p.pid)
            .collect();
        assert_eq!(pids, vec![100, 101, 102, 103]);
    }

    #[test]
    fn bytes_print_like_yarn() {
        assert_eq!(human_bytes(64 << 20), "64 MB");
        assert_eq!(human_bytes((200 << 20) + (1 << 19)), "200.5 MB");
        assert_eq!(human_bytes(512), "512 B");
        assert_eq!(human_bytes(3 << 30), "3 GB");
    }
}
