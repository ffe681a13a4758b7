//! Physical-memory enforcement: every check interval, the resident set of each limited container's
//! whole process tree is summed from `/proc`. As in YARN, a container is killed (−104) when its tree
//! uses more than twice its limit, or when the processes that were already there at the previous check
//! use more than the limit (so a short fork does not kill it).

use std::collections::HashSet;
use std::sync::Weak;
use std::sync::atomic::Ordering;

use super::procfs::{self, ProcInfo};
use super::{ContainerState, Inner, KillCause};

pub(super) async fn monitor(inner: Weak<Inner>) {
    let Some(interval) = inner.upgrade().map(|i| i.config.memory_check_interval) else {
        return;
    };
    let page = procfs::page_size();
    loop {
        tokio::time::sleep(interval).await;
        let Some(inner) = inner.upgrade() else { return };
        if inner.shutting_down.load(Ordering::SeqCst) {
            return;
        }
        let watched: Vec<(String, i32, u64)> = inner
            .lock_table()
            .entries
            .iter()
            .filter_map(|(id, e)| match e.state {
                ContainerState::Running { pid } if e.memory_limit_bytes > 0 => {
                    Some((id.clone(), pid, e.memory_limit_bytes))
                }
                _ => None,
            })
            .collect();
        if watched.is_empty() {
            continue;
        }
        let Ok(Ok(snapshot)) = tokio::task::spawn_blocking(procfs::snapshot).await else {
            continue;
        };
        for (id, leader, limit) in watched {
            let members = procfs::container_members(&snapshot, leader);
            let pids: HashSet<i32> = members.iter().map(|p| p.pid).collect();
            let previous = {
                let mut table = inner.lock_table();
                match table.entries.get_mut(&id) {
                    Some(entry) => std::mem::replace(&mut entry.seen_pids, pids),
                    None => continue,
                }
            };
            let total: u64 = members.iter().map(|p| p.rss_pages * page).sum();
            let aged: u64 = members
                .iter()
                .filter(|p| previous.contains(&p.pid))
                .map(|p| p.rss_pages * page)
                .sum();
            if total > limit.saturating_mul(2) || aged > limit {
                let diag = diagnostics(&id, leader, total, limit, &members);
                tracing::info!(container = %id, used = total, limit, "container over its physical memory limit");
                inner.request_kill(&id, KillCause::Memory(diag));
            }
        }
    }
}

/// YARN-style diagnostics: usage "X MB of Y MB physical memory used" and a dump of the process tree.
pub(super) fn diagnostics(
    id: &str,
    leader: i32,
    used: u64,
    limit: u64,
    members: &[&ProcInfo],
) -> String {
    let mut out = format!(
        "Container [pid={leader},containerID={id}] is running {}B beyond the 'PHYSICAL' memory limit. \
         Current usage: {} of {} physical memory used. Killing container.\n\
         Dump of the process-tree for {id} :\n\t|- PID PPID PGRPID SESSID CMD_NAME RSSMEM_USAGE(PAGES)\n",
        used.saturating_sub(limit),
        procfs::human_bytes(used),
        procfs::human_bytes(limit),
    );
    for p in members {
        out.push_str(&format!(
            "\t|- {} {} {} {} ({}) {}\n",
            p.pid, p.ppid, p.pgrp, p.session, p.comm, p.rss_pages
        ));
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn diagnostics_match_what_spark_parses() {
        let p = ProcInfo {
            pid: 7,
            comm: "tail".into(),
            state: 'R',
            ppid: 1,
            pgrp: 7,
            session: 7,
            rss_pages: 51200,
        };
        let text = diagnostics("container_1_0001_01_000002", 7, 200 << 20, 64 << 20, &[&p]);
        assert!(
            text.contains("200 MB of 64 MB physical memory used"),
            "{text}"
        );
        assert!(text.contains("\t|- 7 1 7 7 (tail) 51200"), "{text}");
    }
}
