//! The sans-IO DriverEndpoint + TaskScheduler, driven by a simulated cluster: jobs, retries,
//! executor loss, exclusion, refusals, liveness, allocation, and properties (free cores,
//! every task ends exactly once, delay scheduling order).

use std::collections::{BTreeMap, BTreeSet, HashMap};

use bytes::Bytes;
use proptest::prelude::*;
use spindle_scheduler::core::*;

fn reg(id: &str, host: &str, cores: u32) -> Registration {
    Registration {
        exec: id.into(),
        host: host.into(),
        cores,
        functions: ["work".to_string()].into(),
    }
}

fn work(i: u32) -> TaskSpec {
    TaskSpec::new(TaskKind::function(
        "work",
        Bytes::from(i.to_le_bytes().to_vec()),
    ))
}

fn config() -> EndpointConfig {
    EndpointConfig {
        scheduler: SchedulerConfig {
            locality_waits: LocalityWaits {
                process: 0,
                node: 0,
                rack: 0,
            },
            ..SchedulerConfig::default()
        },
        ..EndpointConfig::default()
    }
}

/// An endpoint at time 0 with these executors (id, host, cores) registered, and an observer
/// that has seen nothing yet.
fn started(cfg: EndpointConfig, execs: &[(&str, &str, u32)]) -> (DriverEndpoint, Observed) {
    let mut d = DriverEndpoint::new(cfg, 0);
    for (id, host, cores) in execs {
        d.register(reg(id, host, *cores), 0).unwrap();
    }
    (d, Observed::default())
}

/// What a simulated run observed.
#[derive(Default)]
struct Observed {
    ended: HashMap<(JobId, StageId, u32), Vec<TaskEnd>>,
    results: BTreeMap<(usize, u32), Bytes>,
    succeeded: Vec<JobId>,
    failed: Vec<(JobId, String)>,
    requests: Vec<TargetRequest>,
    kills: Vec<Vec<ExecId>>,
}

impl Observed {
    fn drain(&mut self, d: &mut DriverEndpoint) -> Vec<ExecId> {
        let mut wake = Vec::new();
        while let Some(a) = d.poll_action() {
            match a {
                Action::Wake(e) => wake.push(e),
                Action::Job(SchedEvent::TaskEnded {
                    job,
                    stage,
                    index,
                    end,
                }) => self.ended.entry((job, stage, index)).or_default().push(end),
                Action::Job(SchedEvent::TaskResult {
                    stage_index,
                    index,
                    result,
                    ..
                }) => {
                    self.results.insert((stage_index, index), result);
                }
                Action::Job(SchedEvent::JobSucceeded(j)) => self.succeeded.push(j),
                Action::Job(SchedEvent::JobFailed(j, m)) => self.failed.push((j, m)),
                Action::RequestExecutors(r) => self.requests.push(r),
                Action::KillExecutors(k) => self.kills.push(k),
                _ => {}
            }
        }
        wake
    }
}

/// Runs every launched task with `outcome` until no executor has commands.
fn run_all(
    d: &mut DriverEndpoint,
    obs: &mut Observed,
    now: Millis,
    mut outcome: impl FnMut(&ExecId, &Launch) -> TaskUpdate,
) {
    for _ in 0..10_000 {
        obs.drain(d);
        let execs: Vec<ExecId> = (1..=8).map(|i| ExecId::new(i.to_string())).collect();
        let mut any = false;
        for e in &execs {
            let Ok(Some(cmds)) = d.poll(e, now) else {
                continue;
            };
            any = true;
            let updates: Vec<(TaskId, TaskUpdate)> = cmds
                .launches
                .iter()
                .map(|l| (l.tid, outcome(e, l)))
                .collect();
            d.status_update(e, updates, now).unwrap();
        }
        if !any {
            obs.drain(d);
            return;
        }
    }
    panic!("did not settle");
}

fn echo(_: &ExecId, l: &Launch) -> TaskUpdate {
    match &l.kind {
        TaskKind::Function { input, .. } => TaskUpdate::Finished(input.clone()),
        TaskKind::Shell { .. } => TaskUpdate::Finished(Bytes::new()),
    }
}

#[test]
fn two_stage_job_flows_results_from_parent_to_child() {
    let (mut d, mut obs) = started(config(), &[("1", "h1", 2), ("2", "h2", 2)]);
    let job = JobSpec {
        stages: vec![
            StageSpec::new((0..10).map(work).collect()),
            StageSpec::from_parents(vec![0], |parents| {
                let sum: u32 = parents[0]
                    .iter()
                    .map(|b| u32::from_le_bytes(b[..4].try_into().unwrap()))
                    .sum();
                Ok(vec![work(sum), work(sum + 1)])
            }),
        ],
        ..JobSpec::default()
    };
    let id = d.submit(job, 0).unwrap();
    run_all(&mut d, &mut obs, 1, echo);
    assert_eq!(obs.succeeded, vec![id]);
    let got: Vec<u32> = obs
        .results
        .values()
        .map(|b| u32::from_le_bytes(b[..4].try_into().unwrap()))
        .collect();
    assert_eq!(got, vec![45, 46], "stage 1 saw all of stage 0's results");
    assert_eq!(obs.ended.len(), 12);
    assert_eq!(d.free_cores(&"1".into()), Some(2));
    assert_eq!(d.free_cores(&"2".into()), Some(2));
}

#[test]
fn a_task_that_always_fails_fails_the_job_after_four_attempts_with_its_error() {
    let (mut d, mut obs) = started(config(), &[]);
    for i in 1..=4 {
        d.register(reg(&i.to_string(), &format!("h{i}"), 1), 0)
            .unwrap();
    }
    let id = d.submit(JobSpec::one_stage(vec![work(7)]), 0).unwrap();
    let mut where_ran = Vec::new();
    run_all(&mut d, &mut obs, 1, |e, l| {
        where_ran.push((e.clone(), l.attempt));
        TaskUpdate::Failed(TaskError::new("boom: division by zero"))
    });
    assert_eq!(obs.failed.len(), 1);
    let (job, msg) = &obs.failed[0];
    assert_eq!(*job, id);
    assert!(msg.contains("failed 4 times"), "{msg}");
    assert!(msg.contains("boom: division by zero"), "{msg}");
    assert_eq!(where_ran.len(), 4);
    let execs: BTreeSet<_> = where_ran.iter().map(|(e, _)| e.clone()).collect();
    assert_eq!(
        execs.len(),
        4,
        "each retry went to another executor: {where_ran:?}"
    );
    let ends: Vec<&Vec<TaskEnd>> = obs.ended.values().collect();
    assert_eq!(ends.len(), 1);
    assert!(matches!(ends[0][..], [TaskEnd::Failed(_)]), "{ends:?}");
}

#[test]
fn executor_loss_counts_only_when_the_app_is_to_blame() {
    let (mut d, mut obs) = started(config(), &[]);
    d.submit(JobSpec::one_stage(vec![work(1)]), 0).unwrap();
    // Six preemptions in a row: never counted, the job survives.
    for i in 1..=6 {
        let id = ExecId::new(i.to_string());
        d.register(reg(&i.to_string(), "h1", 1), 0).unwrap();
        obs.drain(&mut d);
        let cmds = d.poll(&id, 0).unwrap().unwrap();
        assert_eq!(cmds.launches.len(), 1);
        d.remove_executor(&id, LossReason::exited(-102, false, "preempted"), 0);
    }
    obs.drain(&mut d);
    assert!(obs.failed.is_empty());
    d.register(reg("7", "h1", 1), 0).unwrap();
    run_all(&mut d, &mut obs, 0, echo);
    assert_eq!(obs.succeeded.len(), 1);

    // Lost by the app's fault four times: the job fails.
    let (mut d, mut obs) = started(config(), &[]);
    d.submit(JobSpec::one_stage(vec![work(1)]), 0).unwrap();
    for i in 1..=4 {
        let id = ExecId::new(i.to_string());
        d.register(reg(&i.to_string(), &format!("h{i}"), 1), 0)
            .unwrap();
        obs.drain(&mut d);
        assert!(d.poll(&id, 0).unwrap().is_some());
        d.remove_executor(&id, LossReason::exited(137, true, "killed by signal 9"), 0);
    }
    obs.drain(&mut d);
    assert_eq!(obs.failed.len(), 1);
    assert!(
        obs.failed[0].1.contains("killed by signal 9"),
        "{}",
        obs.failed[0].1
    );
}

#[test]
fn registration_refuses_duplicates_and_excluded_hosts() {
    let mut cfg = config();
    cfg.scheduler.health.max_failed_tasks_per_executor = 1;
    cfg.scheduler.health.max_failed_executors_per_node = 1;
    let (mut d, mut obs) = started(cfg, &[("1", "bad", 1), ("2", "good", 1)]);
    let e = d.register(reg("1", "h9", 1), 0).unwrap_err();
    assert_eq!(e.0, "Duplicate executor ID: 1");
    d.submit(JobSpec::one_stage((0..4).map(work).collect()), 0)
        .unwrap();
    let mut failed_once = false;
    run_all(&mut d, &mut obs, 0, |e, l| {
        if e.as_str() == "1" && !failed_once {
            failed_once = true;
            TaskUpdate::Failed(TaskError::new("disk error"))
        } else {
            echo(e, l)
        }
    });
    assert_eq!(obs.succeeded.len(), 1);
    let e = d.register(reg("3", "bad", 1), 0).unwrap_err();
    assert!(e.0.contains("excluded"), "{e}");
    let last = obs.requests.last().unwrap();
    assert!(
        last.excluded_hosts.contains("bad"),
        "the AM hears of it: {last:?}"
    );
}

#[test]
fn unknown_function_fails_the_job_with_a_clear_error() {
    let (mut d, mut obs) = started(config(), &[("1", "h1", 1)]);
    d.submit(
        JobSpec::one_stage(vec![TaskSpec::new(TaskKind::function(
            "nope",
            Bytes::new(),
        ))]),
        0,
    )
    .unwrap();
    obs.drain(&mut d);
    assert_eq!(obs.failed.len(), 1);
    assert!(obs.failed[0].1.contains("no task function named \"nope\""));
    assert_eq!(d.poll(&"1".into(), 0).unwrap(), None, "nothing was sent");
    assert_eq!(d.free_cores(&"1".into()), Some(1));
}

#[test]
fn oversized_tasks_are_refused_at_submission() {
    let mut cfg = config();
    cfg.scheduler.max_task_bytes = 100;
    let mut d = DriverEndpoint::new(cfg, 0);
    let e = d
        .submit(
            JobSpec::one_stage(vec![TaskSpec::new(TaskKind::shell("x".repeat(101)))]),
            0,
        )
        .unwrap_err();
    assert!(e.to_string().contains("over the limit of 100"), "{e}");
}

#[test]
fn silent_executors_are_removed_and_their_tasks_rerun() {
    let mut cfg = config();
    cfg.executor_timeout = 5000;
    cfg.poll_wait = 1000;
    let (mut d, mut obs) = started(cfg, &[("1", "h1", 1)]);
    d.submit(JobSpec::one_stage(vec![work(1)]), 0).unwrap();
    obs.drain(&mut d);
    assert!(d.poll(&"1".into(), 0).unwrap().is_some());
    // Holds a poll (the connection then dies): still alive at 5999, gone after 6000 + 1.
    assert_eq!(d.poll(&"1".into(), 10).unwrap(), None);
    d.tick(6010);
    assert_eq!(d.executor_count(), 1);
    d.tick(6011);
    assert_eq!(d.executor_count(), 0);
    d.register(reg("2", "h2", 1), 6011).unwrap();
    run_all(&mut d, &mut obs, 6012, echo);
    assert_eq!(obs.succeeded.len(), 1);
    assert!(
        d.poll(&"1".into(), 7000).is_err(),
        "the removed one must exit"
    );
}

#[test]
fn dynamic_allocation_grows_with_the_backlog_and_releases_idle_executors() {
    let mut cfg = config();
    cfg.executor_cores = 2;
    cfg.allocation = AllocationConfig {
        dynamic: true,
        initial: 0,
        min: 0,
        max: 5,
        idle_timeout: 10_000,
        ..AllocationConfig::default()
    };
    let (mut d, mut obs) = started(cfg, &[]);
    d.submit(
        JobSpec::one_stage(
            (0..20)
                .map(|i| work(i).on_hosts([format!("h{}", i % 2)]))
                .collect(),
        ),
        0,
    )
    .unwrap();
    for t in [500, 1000, 2000, 3000] {
        d.tick(t);
    }
    obs.drain(&mut d);
    let mut totals: Vec<u32> = obs.requests.iter().map(|r| r.total).collect();
    totals.dedup();
    assert_eq!(totals, vec![0, 1, 3, 5], "exponential ramp capped at max");
    let last = obs.requests.last().unwrap();
    assert_eq!(last.locality_aware_tasks, 20);
    assert_eq!(last.host_task_counts.get("h0"), Some(&10));
    d.register(reg("1", "h0", 2), 3000).unwrap();
    run_all(&mut d, &mut obs, 3000, echo);
    assert_eq!(obs.succeeded.len(), 1);
    d.tick(12_999);
    obs.drain(&mut d);
    assert!(obs.kills.is_empty());
    d.tick(13_000);
    obs.drain(&mut d);
    assert_eq!(obs.kills, vec![vec![ExecId::from("1")]]);
}

#[test]
fn stop_cancels_jobs_and_stops_every_executor() {
    let (mut d, mut obs) = started(config(), &[("1", "h1", 1), ("2", "h2", 1)]);
    d.submit(JobSpec::one_stage((0..5).map(work).collect()), 0)
        .unwrap();
    obs.drain(&mut d);
    let first = d.poll(&"1".into(), 0).unwrap().unwrap();
    assert_eq!(first.launches.len(), 1);
    d.stop("application finished", 1);
    obs.drain(&mut d);
    assert_eq!(obs.failed.len(), 1);
    let c1 = d.poll(&"1".into(), 1).unwrap().unwrap();
    assert_eq!(c1.kills.len(), 1, "the running task is killed");
    assert!(c1.stop.is_some());
    let c2 = d.poll(&"2".into(), 1).unwrap().unwrap();
    assert!(c2.launches.is_empty(), "a launch never sent is dropped");
    assert!(c2.stop.is_some());
    assert_eq!(obs.requests.last().unwrap().total, 0);
    assert_eq!(obs.ended.len(), 5);
    assert!(obs.ended.values().all(|v| v == &vec![TaskEnd::Killed]));
    assert!(d.register(reg("3", "h3", 1), 2).is_err());
}

#[test]
fn fair_pools_share_offers_by_weight() {
    let mut cfg = config();
    cfg.scheduler.mode = SchedulingMode::Fair;
    cfg.scheduler.pools = vec![
        PoolConfig {
            name: "big".into(),
            weight: 3,
            min_share: 0,
        },
        PoolConfig::new("small"),
    ];
    let (mut d, mut obs) = started(cfg, &[]);
    for pool in ["small", "big"] {
        d.submit(
            JobSpec {
                pool: Some(pool.into()),
                ..JobSpec::one_stage((0..100).map(work).collect())
            },
            0,
        )
        .unwrap();
    }
    // Spark orders task sets once per offer round: one-core executors joining one by one
    // show the shares (weight 3 : 1).
    let mut per_job = BTreeMap::new();
    for i in 1..=8 {
        let id = i.to_string();
        d.register(reg(&id, "h1", 1), 0).unwrap();
        obs.drain(&mut d);
        for l in d.poll(&id.as_str().into(), 0).unwrap().unwrap().launches {
            *per_job.entry(l.job).or_insert(0) += 1;
        }
    }
    assert_eq!(per_job.values().copied().collect::<Vec<_>>(), vec![2, 6]);
}

#[test]
fn unknown_pool_is_refused() {
    let mut d = DriverEndpoint::new(config(), 0);
    let e = d
        .submit(
            JobSpec {
                pool: Some("nope".into()),
                ..JobSpec::one_stage(vec![work(0)])
            },
            0,
        )
        .unwrap_err();
    assert_eq!(e, SubmitError::UnknownPool("nope".into()));
}

// ---------------------------------------------------------------------------------------
// Properties
// ---------------------------------------------------------------------------------------

#[derive(Clone, Debug)]
enum Step {
    /// Executor i (0..4) polls and finishes, fails or loses the tasks it got.
    Run { exec: usize, fail: bool, lost: bool },
    /// Executor i is removed.
    Remove { exec: usize, by_app: bool },
    /// Executor i (re-)registers under a new id.
    Join { exec: usize, cores: u32 },
    /// Cancel job j.
    Cancel { job: u32 },
    /// Time passes.
    Tick { ms: u64 },
}

fn step() -> impl Strategy<Value = Step> {
    prop_oneof![
        6 => (0..4usize, prop::bool::weighted(0.3), prop::bool::weighted(0.1))
            .prop_map(|(exec, fail, lost)| Step::Run { exec, fail, lost }),
        1 => (0..4usize, any::<bool>()).prop_map(|(exec, by_app)| Step::Remove { exec, by_app }),
        1 => (0..4usize, 1..4u32).prop_map(|(exec, cores)| Step::Join { exec, cores }),
        1 => (0..3u32).prop_map(|job| Step::Cancel { job }),
        1 => (0..3000u64).prop_map(|ms| Step::Tick { ms }),
    ]
}

/// Checks that no executor holds more cores in tasks than it has: tasks it runs plus cores
/// still free never exceed its cores (launches queued for its next poll are the rest), and
/// right after a poll drained its queue they add up exactly.
fn check_cores(
    d: &DriverEndpoint,
    ids: &[(ExecId, u32)],
    held: &HashMap<ExecId, u32>,
    drained: Option<&ExecId>,
) {
    for (id, cores) in ids {
        if let Some(free) = d.free_cores(id) {
            let used = held.get(id).copied().unwrap_or(0);
            assert!(
                free + used <= *cores,
                "free {free} + running {used} > cores {cores} on {id}"
            );
            if drained == Some(id) {
                assert_eq!(
                    free + used,
                    *cores,
                    "free + running != cores on {id} after a poll"
                );
            }
        }
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(200))]

    #[test]
    fn offers_never_exceed_free_cores_and_every_task_ends_exactly_once(
        jobs in prop::collection::vec((1..12usize, 1..3u32), 1..4),
        steps in prop::collection::vec(step(), 1..80),
    ) {
        let mut cfg = config();
        cfg.scheduler.health.enabled = false;
        let (mut d, mut obs) = started(cfg, &[]);
        let mut now = 0;
        let mut generation = [0u32; 4];
        let mut current: Vec<(ExecId, u32)> = Vec::new();
        let mut held: HashMap<ExecId, u32> = HashMap::new();
        let mut running: HashMap<ExecId, Vec<(TaskId, u32)>> = HashMap::new();
        let mut job_ids = Vec::new();
        for (n, cpus) in &jobs {
            let tasks = (0..*n as u32).map(|i| work(i).on_hosts([format!("h{}", i % 3)])).collect();
            job_ids.push(d.submit(JobSpec { cpus_per_task: *cpus, ..JobSpec::one_stage(tasks) }, now).unwrap());
        }
        let id_of = |slot: usize, g: u32| ExecId::new(format!("{}", slot * 1000 + g as usize));
        for slot in 0..4 {
            let id = id_of(slot, 0);
            d.register(reg(id.as_str(), &format!("h{slot}"), 2), now).unwrap();
            current.push((id, 2));
        }
        let mut steps = steps;
        // Finish with enough successful rounds on fresh executors to drain every job.
        for slot in 0..4 { steps.push(Step::Join { exec: slot, cores: 3 }); }
        for _ in 0..60 { for exec in 0..4 { steps.push(Step::Run { exec, fail: false, lost: false }); } }
        for s in steps {
            now += 1;
            match s {
                Step::Run { exec, fail, lost } => {
                    let id = current[exec].0.clone();
                    if let Ok(Some(cmds)) = d.poll(&id, now) {
                        let r = running.entry(id.clone()).or_default();
                        for l in &cmds.launches {
                            *held.entry(id.clone()).or_default() += l.cpus;
                            r.push((l.tid, l.cpus));
                        }
                        for (tid, _) in &cmds.kills {
                            if let Some(pos) = r.iter().position(|(t, _)| t == tid) {
                                let (_, cpus) = r.remove(pos);
                                *held.get_mut(&id).unwrap() -= cpus;
                                d.status_update(&id, [(*tid, TaskUpdate::Killed("asked".into()))], now).unwrap();
                            }
                        }
                        check_cores(&d, &current, &held, Some(&id));
                    }
                    let done: Vec<(TaskId, u32)> = running.get_mut(&id).map(std::mem::take).unwrap_or_default();
                    let mut updates = Vec::new();
                    for (tid, cpus) in done {
                        *held.get_mut(&id).unwrap() -= cpus;
                        let u = if lost { TaskUpdate::Lost(TaskError::new("lost")) }
                            else if fail { TaskUpdate::Failed(TaskError::new("bad")) }
                            else { TaskUpdate::Finished(Bytes::from_static(b"ok")) };
                        updates.push((tid, u));
                    }
                    if d.status_update(&id, updates, now).is_ok() {
                        check_cores(&d, &current, &held, None);
                    }
                }
                Step::Remove { exec, by_app } => {
                    let id = current[exec].0.clone();
                    d.remove_executor(&id, LossReason::exited(1, by_app, "gone"), now);
                    running.remove(&id);
                    held.remove(&id);
                }
                Step::Join { exec, cores } => {
                    let old = current[exec].0.clone();
                    d.remove_executor(&old, LossReason::killed_by_driver("replaced"), now);
                    running.remove(&old);
                    held.remove(&old);
                    generation[exec] += 1;
                    let id = id_of(exec, generation[exec]);
                    d.register(reg(id.as_str(), &format!("h{exec}"), cores), now).unwrap();
                    current[exec] = (id, cores);
                }
                Step::Cancel { job } => {
                    if let Some(j) = job_ids.get(job as usize) { d.cancel(*j, "test", now); }
                }
                Step::Tick { ms } => { now += ms; d.tick(now); }
            }
            obs.drain(&mut d);
            check_cores(&d, &current, &held, None);
        }
        // Every job ended, once, and every task of every job ended exactly once.
        prop_assert_eq!(obs.succeeded.len() + obs.failed.len(), jobs.len());
        let mut per_job: HashMap<JobId, usize> = HashMap::new();
        for ((job, _, _), ends) in &obs.ended {
            prop_assert_eq!(ends.len(), 1, "a task ended twice: {:?}", ends);
            *per_job.entry(*job).or_default() += 1;
        }
        for (i, (n, _)) in jobs.iter().enumerate() {
            prop_assert_eq!(per_job.get(&job_ids[i]).copied().unwrap_or(0), *n);
        }
        for (job, _) in &obs.failed {
            prop_assert!(!obs.succeeded.contains(job));
        }
    }

    #[test]
    fn delay_scheduling_reaches_each_locality_level_in_order(
        process in 0..5000u64, node in 0..5000u64, rack in 0..5000u64,
        steps in prop::collection::vec(0..800u64, 1..60),
    ) {
        use spindle_scheduler::core::locality::DelayTimer;
        let waits = LocalityWaits { process, node, rack };
        let mut timer = DelayTimer::new(Locality::ALL.to_vec(), 0);
        let mut now = 0;
        let mut last = Locality::Process;
        for step in steps {
            now += step;
            let level = timer.allowed(now, &waits, |_| true);
            let expected = if now < process { Locality::Process }
                else if now < process + node { Locality::Node }
                else if now < process + node + rack { Locality::Rack }
                else { Locality::Any };
            prop_assert_eq!(level, expected, "at {}", now);
            prop_assert!(level >= last, "went back from {:?} to {:?}", last, level);
            last = level;
        }
    }

    #[test]
    fn a_local_task_waits_for_its_level_then_takes_the_closest_offer(
        process in 1..3000u64, node in 1..3000u64,
        steps in prop::collection::vec(1..400u64, 1..40),
    ) {
        // The task prefers executor "1" on host "a", which is busy. "2" shares host "a";
        // "3" is on the same rack, "4" on another. Far offers are made first each round.
        let racks: HashMap<String, String> = [("a", "/r1"), ("b", "/r1"), ("c", "/r2")]
            .into_iter().map(|(h, r)| (h.to_string(), r.to_string())).collect();
        let waits = LocalityWaits { process, node, rack: 3000 };
        let mut s = TaskScheduler::new(SchedulerConfig { locality_waits: waits, racks, ..SchedulerConfig::default() });
        for (e, h) in [("1", "a"), ("2", "a"), ("3", "b"), ("4", "c")] {
            s.executor_added(e.into(), h, 0);
        }
        s.submit(JobSpec::one_stage(vec![TaskSpec::new(TaskKind::shell("true")).on_executors(["1"]).on_hosts(["a"])]), 0).unwrap();
        let mut now = 0;
        for step in steps {
            now += step;
            let mut placed = None;
            for (e, h) in [("4", "c"), ("3", "b"), ("2", "a")] {
                let mut o = [Offer { exec: e.into(), host: h.into(), free: 1 }];
                if let Some(l) = s.resource_offers(&mut o, now, |_, _| Ok(())).first() {
                    placed = Some((e, l.locality));
                    break;
                }
            }
            if now < process {
                prop_assert_eq!(placed, None, "placed before the process wait at {}", now);
            } else if now < process + node {
                prop_assert_eq!(placed, Some(("2", Some(Locality::Node))), "at {}", now);
                break;
            } else {
                // Node's wait ran out too: the same-rack executor, offered first, takes it.
                prop_assert_eq!(placed, Some(("3", Some(Locality::Rack))), "at {}", now);
                break;
            }
        }
    }
}

#[test]
fn delay_scheduling_walks_node_rack_any_when_nothing_closer_frees_up() {
    let racks: HashMap<String, String> = [("a", "/r1"), ("b", "/r1"), ("c", "/r2")]
        .into_iter()
        .map(|(h, r)| (h.to_string(), r.to_string()))
        .collect();
    let waits = LocalityWaits {
        process: 100,
        node: 200,
        rack: 300,
    };
    let mut s = TaskScheduler::new(SchedulerConfig {
        locality_waits: waits,
        racks,
        ..SchedulerConfig::default()
    });
    for (e, h) in [("1", "a"), ("3", "b"), ("4", "c")] {
        s.executor_added(e.into(), h, 0);
    }
    let task = |_| {
        TaskSpec::new(TaskKind::shell("true"))
            .on_executors(["1"])
            .on_hosts(["a"])
    };
    s.submit(JobSpec::one_stage((0..3).map(task).collect()), 0)
        .unwrap();
    let offer = |s: &mut TaskScheduler, e: &str, h: &str, now| {
        let mut o = [Offer {
            exec: e.into(),
            host: h.into(),
            free: 1,
        }];
        s.resource_offers(&mut o, now, |_, _| Ok(()))
            .first()
            .map(|l| l.locality)
    };
    // Executor 1 is process-local: immediate.
    assert_eq!(offer(&mut s, "1", "a", 0), Some(Some(Locality::Process)));
    // Host "a" has no other executor; rack /r1 waits process + node; "c" waits for Any.
    assert_eq!(offer(&mut s, "4", "c", 50), None);
    assert_eq!(offer(&mut s, "3", "b", 250), None);
    assert_eq!(offer(&mut s, "3", "b", 300), Some(Some(Locality::Rack)));
    assert_eq!(offer(&mut s, "4", "c", 599), None);
    assert_eq!(offer(&mut s, "4", "c", 600), Some(Some(Locality::Any)));
}
