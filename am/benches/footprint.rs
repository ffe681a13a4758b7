//! The AM's resident memory while it tracks 10,000 running executors over 5,000 hosts: the
//! whole AM loop (allocator, container table, status page state) runs in this process against
//! an in-process resource manager that grants the 10,000 containers in one reply; the starter
//! starts nothing (every launch succeeds at once). Prints the process's RSS before and after.
//!
//! Run with `cargo bench -p spindle-am --bench footprint`.

mod fixtures;

use std::sync::Arc;
use std::time::Duration;

use fixtures::{NoStarts, PreparedRm, amrm_token, reply};
use spindle_allocator::TargetUpdate;
use spindle_am::app::{AmOptions, Channels, DriverSpec, LoopSetup, Workload, allocator_for, run};
use spindle_am::master::{AmSettings, AmStatus, Input};
use spindle_am::outcome::{Ending, Mode, Outcome};
use spindle_am::yarn::YarnResourceManager;
use spindle_am::yarn::calls::InProcess;
use spindle_am::yarn::rm::SharedTable;
use spindle_base::memory::resident_kb;
use tokio::sync::{mpsc, watch};

const EXECUTORS: u32 = 10_000;

fn main() {
    let quick = !std::env::args().any(|a| a == "--bench");
    let executors = if quick { 500 } else { EXECUTORS };
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .expect("runtime");
    let before = resident_kb(None).unwrap_or(0);
    let (after, running) = runtime.block_on(async {
        let calls = InProcess::new(
            Arc::new(PreparedRm::once(reply(executors as usize))),
            &amrm_token(),
        )
        .expect("calls");
        let rm = YarnResourceManager::new(calls, |_: SharedTable| NoStarts);
        let mut options = AmOptions::new(Workload::Driver {
            driver: DriverSpec::Remote {
                url: "in-process".into(),
            },
            executor: vec!["executor".into()],
            initial_executors: 0,
        });
        options.executor.memory_mb = 4096;
        let allocator = allocator_for(&options, 0).expect("allocator");
        let channels = Channels::default();
        let inputs = channels.inputs.clone();
        let (status, mut status_rx) = watch::channel(AmStatus::default());
        let (_stop, shutdown) = mpsc::channel(1);
        let setup = LoopSetup {
            settings: AmSettings::default(),
            outcome: Outcome::new(Mode::Client, 1, 1),
            status,
            launch_for: |_, _, _: &spindle_allocator::Container| (),
            shutdown,
        };
        let am = tokio::spawn(run(rm, allocator, channels, setup));
        let mut update = TargetUpdate::default();
        update.totals.insert(0, executors);
        inputs.send(Input::Targets(update)).await.expect("targets");
        let running = tokio::time::timeout(Duration::from_secs(120), async {
            loop {
                let running = status_rx.borrow().profiles.first().map_or(0, |p| p.running);
                if running >= executors {
                    return running;
                }
                status_rx.changed().await.expect("status");
            }
        })
        .await
        .expect("every executor runs");
        let after = resident_kb(None).unwrap_or(0);
        inputs
            .send(Input::End(Ending::DriverShutdown {
                succeeded: true,
                message: String::new(),
            }))
            .await
            .expect("end");
        am.await.expect("AM");
        (after, running)
    });
    println!(
        "AM tracking {running} running executors: RSS {} kB (process before the AM: {before} kB; the AM's share {} kB)",
        after,
        after.saturating_sub(before)
    );
}
