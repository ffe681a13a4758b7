//! Property tests: invariants of the allocator under random driver input and RM responses.

use std::collections::{BTreeSet, HashSet};

use proptest::prelude::*;
use spindle_allocator::{
    Action, AllocateRequest, AllocateResponse, Allocator, AllocatorConfig, CompletedContainer,
    Container, ContainerId, ExclusionConfig, ExecutorId, ExecutorSizing, FailureConfig, LaunchMode,
    NodeState, NodeUpdate, ProfileSpec, Resource, TargetUpdate,
};

#[derive(Debug, Clone)]
enum Op {
    Target {
        profile: u32,
        total: u32,
    },
    Hints {
        host: usize,
        tasks: u32,
    },
    Exclude {
        hosts: Vec<usize>,
    },
    Allocate {
        grants: Vec<(usize, i32, bool, bool)>,
        completions: Vec<(usize, i32)>,
        decommission: Option<usize>,
    },
    Kill(u64),
    LaunchOk(usize),
    LaunchFail(usize),
    Advance(u64),
    LossReason(u64),
}

const HOSTS: [&str; 6] = ["h0", "h1", "h2", "h3", "h4", "h5"];
const STATUSES: [i32; 9] = [0, 1, -100, -102, -104, -105, 137, -1000, -109];

fn op() -> impl Strategy<Value = Op> {
    prop_oneof![
        (0u32..3, 0u32..12).prop_map(|(profile, total)| Op::Target { profile, total }),
        (0usize..6, 0u32..10).prop_map(|(host, tasks)| Op::Hints { host, tasks }),
        proptest::collection::vec(0usize..6, 0..3).prop_map(|hosts| Op::Exclude { hosts }),
        (
            // (host, priority, big enough, repeat the previous grant)
            proptest::collection::vec(
                (
                    0usize..6,
                    -1i32..3,
                    proptest::bool::weighted(0.9),
                    proptest::bool::weighted(0.05)
                ),
                0..8
            ),
            proptest::collection::vec((0usize..64, 0usize..STATUSES.len()), 0..5),
            proptest::option::of(0usize..6),
        )
            .prop_map(|(grants, completions, decommission)| Op::Allocate {
                grants,
                completions: completions
                    .into_iter()
                    .map(|(i, s)| (i, STATUSES[s]))
                    .collect(),
                decommission,
            }),
        (1u64..20).prop_map(Op::Kill),
        (0usize..64).prop_map(Op::LaunchOk),
        (0usize..64).prop_map(Op::LaunchFail),
        (0u64..5000).prop_map(Op::Advance),
        (1u64..20).prop_map(Op::LossReason),
    ]
}

fn config(tracked: bool, exclusion: bool) -> AllocatorConfig {
    let defaults = AllocatorConfig::default();
    AllocatorConfig {
        profiles: vec![
            ProfileSpec {
                id: 0,
                sizing: ExecutorSizing::default(),
                initial_target: 2,
            },
            ProfileSpec {
                id: 1,
                sizing: ExecutorSizing {
                    memory_mb: 2048,
                    cores: 2,
                    ..Default::default()
                },
                initial_target: 0,
            },
        ],
        launch_mode: if tracked {
            LaunchMode::Tracked
        } else {
            LaunchMode::Immediate
        },
        exclusion: ExclusionConfig {
            launch_exclusion_enabled: exclusion,
            ..defaults.exclusion.clone()
        },
        failures: FailureConfig {
            max_executor_failures: Some(10),
            ..defaults.failures.clone()
        },
        decommission_enabled: true,
        ..defaults
    }
}

/// Everything observable from one run.
#[derive(Debug, PartialEq)]
struct Trace {
    requests: Vec<AllocateRequest>,
    actions: Vec<Action>,
}

/// Runs the ops, checking the invariants after every step.
fn run(ops: &[Op], tracked: bool, exclusion: bool) -> Result<Trace, TestCaseError> {
    let mut a = Allocator::new(config(tracked, exclusion)).expect("valid config");
    let mut now = 0u64;
    let mut issued: Vec<ContainerId> = Vec::new();
    let mut released_ever: HashSet<ContainerId> = HashSet::new();
    let mut executor_ids: HashSet<ExecutorId> = HashSet::new();
    let mut trace = Trace {
        requests: Vec::new(),
        actions: Vec::new(),
    };
    let mut hints = std::collections::BTreeMap::new();
    for op in ops {
        match op {
            Op::Target { profile, total } => {
                let mut u = TargetUpdate::default();
                u.totals.insert(*profile, *total);
                let r = a.on_targets(u);
                prop_assert_eq!(r.is_err(), *profile == 2, "profile 2 is unknown");
            }
            Op::Hints { host, tasks } => {
                hints.insert(HOSTS[*host].into(), *tasks);
                let mut u = TargetUpdate::default();
                u.locality_aware_tasks.insert(0, hints.values().sum());
                u.host_task_counts.insert(0, hints.clone());
                a.on_targets(u).expect("known profile");
            }
            Op::Exclude { hosts } => {
                let set: BTreeSet<_> = hosts.iter().map(|h| HOSTS[*h].into()).collect();
                a.on_targets(TargetUpdate {
                    scheduler_excluded: Some(set),
                    ..Default::default()
                })
                .expect("ok");
            }
            Op::Allocate {
                grants,
                completions,
                decommission,
            } => {
                let req = a.next_request(now);
                // Σ asks never exceeds target − running − starting.
                for p in a.profile_ids().collect::<Vec<_>>() {
                    let target = i64::from(a.target(p).unwrap());
                    let room = (target - i64::from(a.running(p)) - i64::from(a.starting(p))).max(0);
                    prop_assert_eq!(a.pending(p) as i64, room, "profile {} pending vs room", p);
                    let any = req
                        .asks
                        .iter()
                        .find(|k| k.profile == p && &*k.resource_name == "*");
                    if let Some(k) = any {
                        prop_assert!(i64::from(k.num_containers) <= room);
                    }
                }
                released_ever.extend(req.releases.iter().cloned());
                trace.requests.push(req);
                let mut resp = AllocateResponse::default();
                for (host, priority, big, reuse) in grants {
                    // A duplicate inside one response (a grant repeated by a buggy RM).
                    let id = if let (true, Some(prev)) = (*reuse, resp.allocated.last()) {
                        prev.id.clone()
                    } else {
                        let id = ContainerId::from(format!("c{}", issued.len()));
                        issued.push(id.clone());
                        id
                    };
                    let memory_mb = if *big { 4096 } else { 10 };
                    resp.allocated.push(Container {
                        id,
                        host: HOSTS[*host].into(),
                        resource: Resource::new(memory_mb, 2),
                        priority: *priority,
                    });
                }
                for (i, status) in completions {
                    let id = issued
                        .get(*i)
                        .cloned()
                        .unwrap_or_else(|| ContainerId::from("never-issued"));
                    resp.completed.push(CompletedContainer {
                        id,
                        exit_status: *status,
                        diagnostics: String::new(),
                    });
                }
                if let Some(h) = decommission {
                    resp.updated_nodes.push(NodeUpdate {
                        host: HOSTS[*h].into(),
                        state: NodeState::Decommissioning,
                    });
                }
                resp.cluster_nodes = Some(6);
                a.on_response(resp, now);
            }
            Op::Kill(e) => {
                a.kill_executor(ExecutorId(*e));
            }
            Op::LaunchOk(i) => {
                if let Some(id) = issued.get(*i) {
                    let _ = a.on_launch_succeeded(id);
                }
            }
            Op::LaunchFail(i) => {
                if let Some(id) = issued.get(*i) {
                    let _ = a.on_launch_failed(id);
                }
            }
            Op::Advance(ms) => now += ms,
            Op::LossReason(e) => {
                let _ = a.request_loss_reason(ExecutorId(*e));
            }
        }
        released_ever.extend(a.unsent_releases().iter().cloned());
        while let Some(act) = a.poll_action() {
            if let Action::Launch { executor_id, .. } = &act {
                // Executor ids are unique.
                prop_assert!(
                    executor_ids.insert(*executor_id),
                    "executor id {} reused",
                    executor_id
                );
            }
            trace.actions.push(act);
        }
        // A released container never counts as running, and the counts agree with the records.
        let running: Vec<_> = a.running_containers().collect();
        for (id, _) in &running {
            prop_assert!(
                !released_ever.contains(*id),
                "released container {} counts as running",
                id
            );
        }
        let total_running: u32 = a.profile_ids().map(|p| a.running(p)).sum();
        prop_assert_eq!(total_running as usize, running.len());
        let ids: HashSet<ExecutorId> = running.iter().map(|(_, e)| *e).collect();
        prop_assert_eq!(ids.len(), running.len());
    }
    Ok(trace)
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 256, ..ProptestConfig::default() })]

    #[test]
    fn invariants_hold(ops in proptest::collection::vec(op(), 0..60), tracked in any::<bool>(), exclusion in any::<bool>()) {
        run(&ops, tracked, exclusion)?;
    }

    #[test]
    fn identical_inputs_give_identical_outputs(ops in proptest::collection::vec(op(), 0..40), tracked in any::<bool>()) {
        let first = run(&ops, tracked, true)?;
        let second = run(&ops, tracked, true)?;
        prop_assert_eq!(first, second);
    }
}

/// Arbitrary JSON made mostly of scenario vocabulary, so that parsing gets deep.
fn json_value() -> impl Strategy<Value = serde_json::Value> {
    use serde_json::Value;
    const KEYS: &[&str] = &[
        "name",
        "config",
        "steps",
        "placement",
        "expect",
        "allocate",
        "targets",
        "allocated",
        "completed",
        "id",
        "host",
        "exit_status",
        "priority",
        "memory_mb",
        "kill_executor",
        "launch_succeeded",
        "launch_failed",
        "advance_ms",
        "at_ms",
        "pending",
        "running",
        "initial_executors",
        "launch",
        "containers",
        "executor_cores",
        "locality_aware_tasks",
        "host_task_counts",
        "0",
        "1",
        "loss_reason",
        "adopt",
        "x",
    ];
    let leaf = prop_oneof![
        Just(Value::Null),
        any::<bool>().prop_map(Value::from),
        (-3i64..2000).prop_map(Value::from),
        any::<i64>().prop_map(Value::from),
        proptest::sample::select(KEYS).prop_map(Value::from),
        Just(Value::from("manual")),
    ];
    leaf.prop_recursive(5, 64, 6, |inner| {
        prop_oneof![
            proptest::collection::vec(inner.clone(), 0..5).prop_map(Value::Array),
            proptest::collection::vec((proptest::sample::select(KEYS), inner), 0..5).prop_map(
                |kv| Value::Object(kv.into_iter().map(|(k, v)| (k.to_string(), v)).collect())
            ),
        ]
    })
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 2000, ..ProptestConfig::default() })]

    /// Whatever the file says, the runner answers with a result or an error, never a panic.
    #[test]
    fn scenario_runner_never_panics(v in json_value(), raw in "\\PC{0,40}") {
        let _ = spindle_allocator::scenario::run_scenario(&v.to_string());
        let _ = spindle_allocator::scenario::run_scenario(&raw);
    }
}
