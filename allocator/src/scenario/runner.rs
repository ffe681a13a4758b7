//! Runs one scenario.

use std::collections::{BTreeMap, BTreeSet};
use std::sync::Arc;

use serde::de::DeserializeOwned;
use serde_json::Value;

use super::ScenarioError;
use super::format::*;
use crate::allocator::{
    Action, AllocateRequest, Allocator, LossReasonQuery, Notice, RecoveredContainer, TargetUpdate,
};
use crate::completion::ExecutorExit;
use crate::config::{
    AllocatorConfig, AskCap, ExclusionConfig, FailureConfig, HeartbeatConfig, LaunchMode,
    default_max_executor_failures,
};
use crate::placement::{PlacementInput, place};
use crate::profile::{
    DEFAULT_MIN_OVERHEAD_MB, DEFAULT_OVERHEAD_FACTOR, ExecutorSizing, ProfileSpec,
};
use crate::racks::StaticRackResolver;
use crate::types::{
    AllocateResponse, CompletedContainer, Container, ContainerId, ExecutorId, HostName, Millis,
    NodeState, NodeUpdate, ProfileId, Resource,
};

/// The result of a scenario that could be run.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Outcome {
    /// The scenario's name.
    pub name: String,
    /// `None` if every check passed; else the first failing step and what differed.
    pub failure: Option<(usize, String)>,
}

/// Parses and runs one scenario file's text.
pub fn run_scenario(text: &str) -> Result<Outcome, ScenarioError> {
    let value: Value =
        serde_json::from_str(text).map_err(|e| ScenarioError::Malformed(e.to_string()))?;
    let Some(obj) = value.as_object() else {
        return Err(ScenarioError::Malformed(
            "the file must hold one JSON object".into(),
        ));
    };
    if obj.contains_key("placement") {
        let file: PlacementFile = parse(value, "the placement scenario")?;
        run_placement(file)
    } else {
        let file: AllocatorFile = parse(value, "the allocator scenario")?;
        // Every step is read before the first runs, so a malformed file runs nothing.
        let steps = file
            .steps
            .into_iter()
            .enumerate()
            .map(|(step, v)| {
                Step::from_value(v).map_err(|message| ScenarioError::Step { step, message })
            })
            .collect::<Result<Vec<Step>, ScenarioError>>()?;
        run_allocator(file.name, &file.config, steps)
    }
}

fn parse<T: DeserializeOwned>(v: Value, what: &str) -> Result<T, ScenarioError> {
    typed(v).map_err(|e| ScenarioError::Malformed(format!("{what}: {e}")))
}

fn host(s: &str) -> HostName {
    HostName::from(s)
}

// ----- placement ------------------------------------------------------------------------------

/// The most requests a placement scenario may ask to place.
const MAX_PLACEMENT_CONTAINERS: usize = 1_000_000;

fn run_placement(f: PlacementFile) -> Result<Outcome, ScenarioError> {
    let p = &f.placement;
    if p.containers > MAX_PLACEMENT_CONTAINERS {
        return Err(ScenarioError::Malformed(format!(
            "placement.containers = {} exceeds the maximum of {MAX_PLACEMENT_CONTAINERS}",
            p.containers
        )));
    }
    if p.executor_cores == 0 || p.task_cpus == 0 {
        return Err(ScenarioError::Malformed(
            "placement: executor_cores and task_cpus must be at least 1".into(),
        ));
    }
    let counts: BTreeMap<HostName, u32> = p
        .host_task_counts
        .iter()
        .map(|(h, c)| (host(h), *c))
        .collect();
    let allocated = p.allocated.iter().map(|(h, c)| (host(h), *c)).collect();
    let lists: Vec<Vec<HostName>> = p
        .pending
        .iter()
        .map(|l| l.iter().map(|h| host(h)).collect())
        .collect();
    let pending: Vec<(&[HostName], usize)> = lists.iter().map(|l| (l.as_slice(), 1)).collect();
    let placement = place(&PlacementInput {
        containers: p.containers,
        locality_aware_tasks: p.locality_aware_tasks,
        host_task_counts: &counts,
        allocated: &allocated,
        pending: &pending,
        executor_cores: p.executor_cores,
        task_cpus: p.task_cpus,
    });
    let mut failure = None;
    let total = placement.localized() + placement.unlocalized;
    if let Some(n) = f.expect_count
        && n != total
    {
        failure = Some((0, format!("expect_count: expected {n}, actual {total}")));
    }
    if failure.is_none()
        && let Some(n) = f.expect_null_count
        && n != placement.unlocalized
    {
        failure = Some((
            0,
            format!(
                "expect_null_count: expected {n}, actual {}",
                placement.unlocalized
            ),
        ));
    }
    if failure.is_none()
        && let Some(expected) = &f.expect
    {
        let actual: Vec<Option<Vec<String>>> = placement
            .expand(&counts)
            .into_iter()
            .map(|o| o.map(|l| l.iter().map(|h| h.to_string()).collect()))
            .collect();
        if let Err(m) = compare_localities(expected, actual) {
            failure = Some((0, format!("expect: {m}")));
        }
    }
    if f.expect.is_none() && f.expect_count.is_none() && f.expect_null_count.is_none() {
        failure = Some((
            0,
            "a placement scenario needs expect, expect_count or expect_null_count".into(),
        ));
    }
    Ok(Outcome {
        name: f.name,
        failure,
    })
}

pub(super) fn compare_localities(
    expected: &[Option<Vec<String>>],
    actual: Vec<Option<Vec<String>>>,
) -> Result<(), String> {
    let norm = |v: &[Option<Vec<String>>]| {
        let mut v: Vec<Option<Vec<String>>> = v
            .iter()
            .map(|o| {
                o.clone().map(|mut l| {
                    l.sort();
                    l
                })
            })
            .collect();
        v.sort();
        v
    };
    let e = norm(expected);
    let a = norm(&actual);
    if e == a {
        Ok(())
    } else {
        Err(format!("expected {}, actual {}", json(&e), json(&a)))
    }
}

pub(super) fn json<T: serde::Serialize>(v: &T) -> String {
    serde_json::to_string(v).unwrap_or_else(|_| "?".into())
}

// ----- allocator ------------------------------------------------------------------------------

fn build_config(
    c: &ScenarioConfig,
) -> Result<(AllocatorConfig, StaticRackResolver), ScenarioError> {
    let factor = c.memory_overhead_factor.unwrap_or(DEFAULT_OVERHEAD_FACTOR);
    let min_overhead = c.min_memory_overhead_mb.unwrap_or(DEFAULT_MIN_OVERHEAD_MB);
    let spec = |p: &ProfileEntry, initial_target: u32| ProfileSpec {
        id: p.id,
        sizing: ExecutorSizing {
            memory_mb: p.executor_memory_mb.unwrap_or(1024),
            cores: p.executor_cores.unwrap_or(1),
            memory_overhead_mb: p.memory_overhead_mb,
            memory_overhead_factor: factor,
            min_memory_overhead_mb: min_overhead,
            off_heap_mb: p.off_heap_mb,
            pyspark_memory_mb: 0,
            resources: p.resources.clone(),
        },
        initial_target,
    };
    // Profile 0 is described by the config's own keys.
    let default_profile = ProfileEntry {
        id: 0,
        executor_memory_mb: c.executor_memory_mb,
        executor_cores: c.executor_cores,
        resources: c.executor_resources.clone(),
        memory_overhead_mb: c.memory_overhead_mb,
        off_heap_mb: c.off_heap_mb,
    };
    let profiles = std::iter::once(spec(&default_profile, c.initial_executors))
        .chain(c.profiles.iter().map(|p| spec(p, 0)))
        .collect();
    let le = c.launch_exclusion.as_ref();
    let defaults = ExclusionConfig::default();
    let config = AllocatorConfig {
        profiles,
        task_cpus: c.task_cpus.unwrap_or(1),
        failures: FailureConfig {
            max_executor_failures: Some(
                c.max_executor_failures
                    .unwrap_or_else(|| default_max_executor_failures(c.initial_executors)),
            ),
            validity_ms: c.failures_validity_ms,
            max_failures_per_minute: c.max_failures_per_minute,
        },
        exclusion: ExclusionConfig {
            launch_exclusion_enabled: le.is_some_and(|l| l.enabled),
            max_failed_executors_per_node: le
                .and_then(|l| l.max_failed_executors_per_node)
                .unwrap_or(defaults.max_failed_executors_per_node),
            timeout_ms: le.and_then(|l| l.timeout_ms).unwrap_or(defaults.timeout_ms),
            static_excluded: c.excluded_nodes.iter().map(|h| host(h)).collect(),
            release_on_excluded_hosts: c.release_on_excluded_hosts,
        },
        heartbeat: HeartbeatConfig {
            interval_ms: c.heartbeat_interval_ms.unwrap_or(3000),
            initial_allocation_interval_ms: c.initial_allocation_interval_ms.unwrap_or(200),
            am_expiry_interval_ms: c.am_expiry_interval_ms.unwrap_or(900_000),
        },
        decommission_enabled: c.decommission_enabled,
        decommission_memory: 10_000,
        launch_mode: match c.launch {
            LaunchSpec::Immediate => LaunchMode::Immediate,
            LaunchSpec::Manual => LaunchMode::Tracked,
        },
        launch_timeout_ms: c.launch_timeout_ms,
        ask_cap: AskCap {
            max_pending: c.max_pending_requests,
            by_headroom: c.cap_by_headroom,
        },
        node_label: c.node_label.clone(),
        last_executor_id: c.last_executor_id,
        max_stored_loss_reasons: 100_000,
    };
    let racks = StaticRackResolver::new(
        c.racks
            .iter()
            .map(|(h, r)| (host(h), HostName::from(r.as_str()))),
    );
    Ok((config, racks))
}

/// What the runner saw of the allocator's output.
pub(super) struct World {
    pub(super) alloc: Allocator,
    pub(super) now: Millis,
    pub(super) last_request: Option<AllocateRequest>,
    pub(super) released_sent: BTreeSet<ContainerId>,
    pub(super) removed: Vec<(ExecutorId, ExecutorExit)>,
    pub(super) decommissions: Vec<String>,
    pub(super) loss_replies: Vec<Result<(ExecutorId, ExecutorExit), ExecutorId>>,
    pub(super) launch_timeouts: Vec<ExecutorId>,
    pub(super) launched: Vec<ExecutorId>,
    pub(super) notices: usize,
}

impl World {
    fn drain(&mut self) {
        while let Some(a) = self.alloc.poll_action() {
            match a {
                Action::Launch { executor_id, .. } => self.launched.push(executor_id),
                Action::ExecutorLost {
                    executor_id, exit, ..
                } => self.removed.push((executor_id, exit)),
                Action::LossReason { executor_id, exit } => {
                    self.loss_replies.push(Ok((executor_id, exit)))
                }
                Action::DecommissionHost { host } => self.decommissions.push(host.to_string()),
                Action::LaunchTimedOut { executor_id, .. } => {
                    self.launch_timeouts.push(executor_id)
                }
                Action::FailApplication { .. } => {}
                // The default-rack warning is about the configuration, not odd input.
                Action::Notice(Notice::DefaultRackCollapse) => {}
                Action::Notice(_) => self.notices += 1,
            }
        }
    }
}

fn run_allocator(
    name: String,
    config: &ScenarioConfig,
    steps: Vec<Step>,
) -> Result<Outcome, ScenarioError> {
    let (config, racks) = build_config(config)?;
    let alloc = Allocator::with_rack_resolver(config, Arc::new(racks))
        .map_err(|e| ScenarioError::Malformed(format!("config: {e}")))?;
    let mut w = World {
        alloc,
        now: 0,
        last_request: None,
        released_sent: BTreeSet::new(),
        removed: Vec::new(),
        decommissions: Vec::new(),
        loss_replies: Vec::new(),
        launch_timeouts: Vec::new(),
        launched: Vec::new(),
        notices: 0,
    };
    w.drain();
    for (i, step) in steps.into_iter().enumerate() {
        let err = |message: String| ScenarioError::Step { step: i, message };
        if let Some(mismatch) = run_step(&mut w, step).map_err(err)? {
            return Ok(Outcome {
                name,
                failure: Some((i, mismatch)),
            });
        }
        w.drain();
    }
    Ok(Outcome {
        name,
        failure: None,
    })
}

fn set_clock(w: &mut World, at: Option<u64>) -> Result<(), String> {
    let Some(at) = at else { return Ok(()) };
    if at < w.now {
        return Err(format!(
            "at_ms {at} goes back in time (the clock is at {})",
            w.now
        ));
    }
    w.now = at;
    Ok(())
}

pub(super) fn profile_key(k: &str) -> Result<ProfileId, String> {
    k.parse::<ProfileId>()
        .map_err(|_| format!("profile id {k:?} is not a non-negative integer"))
}

/// Runs a step; `Ok(Some(msg))` is a failed check.
fn run_step(w: &mut World, step: Step) -> Result<Option<String>, String> {
    set_clock(w, step.at_ms)?;
    match step.action {
        StepAction::Targets(t) => targets(w, t)?,
        StepAction::Allocate(spec) => allocate(w, spec)?,
        StepAction::KillExecutor(id) => {
            // An id that is no number names no executor: nothing to kill.
            if let Ok(n) = id.parse::<u64>() {
                w.alloc.kill_executor(ExecutorId(n));
            }
        }
        StepAction::LaunchSucceeded(id) => w
            .alloc
            .on_launch_succeeded(&ContainerId::from(id.as_str()))
            .map_err(|e| e.to_string())?,
        StepAction::LaunchFailed(id) => w
            .alloc
            .on_launch_failed(&ContainerId::from(id.as_str()))
            .map_err(|e| e.to_string())?,
        StepAction::AdvanceMs(ms) => {
            w.now = w
                .now
                .checked_add(ms)
                .ok_or("advance_ms overflows the clock")?;
        }
        StepAction::Expect(spec) => {
            w.drain();
            return super::expect::expect(w, *spec);
        }
        StepAction::DriverShutdown(yes) => {
            if yes {
                w.alloc.on_driver_shutdown();
            }
        }
        StepAction::Resync(yes) => {
            if yes {
                w.alloc.resync();
            }
        }
        StepAction::LossReason(id) => {
            // An id that is no number is an executor nobody knows.
            let eid = ExecutorId(id.parse::<u64>().unwrap_or(u64::MAX));
            match w.alloc.request_loss_reason(eid) {
                Ok(LossReasonQuery::Ready(exit)) => w.loss_replies.push(Ok((eid, exit))),
                Ok(LossReasonQuery::Pending) => {}
                Err(_) => w.loss_replies.push(Err(eid)),
            }
        }
        StepAction::Adopt(specs) => {
            let mut rec = Vec::new();
            for s in specs {
                let executor_id = match &s.executor {
                    Some(e) => {
                        Some(ExecutorId(e.parse().map_err(|_| {
                            format!("adopt: executor {e:?} is not a number")
                        })?))
                    }
                    None => None,
                };
                rec.push(RecoveredContainer {
                    container: container_of(w, &s),
                    executor_id,
                });
            }
            w.alloc.adopt_containers(rec);
        }
    }
    Ok(None)
}

fn targets(w: &mut World, t: TargetsSpec) -> Result<(), String> {
    let mut update = TargetUpdate::default();
    for (k, v) in &t.targets {
        let p = profile_key(k)?;
        let v = u32::try_from(*v)
            .map_err(|_| format!("target {v} for profile {p} is not a valid count"))?;
        update.totals.insert(p, v);
    }
    if let Some(m) = &t.locality_aware_tasks {
        for (k, v) in m {
            update.locality_aware_tasks.insert(profile_key(k)?, *v);
        }
    }
    if let Some(m) = &t.host_task_counts {
        for (k, hosts) in m {
            update.host_task_counts.insert(
                profile_key(k)?,
                hosts.iter().map(|(h, c)| (host(h), *c)).collect(),
            );
        }
    }
    update.scheduler_excluded = t
        .scheduler_excluded
        .map(|v| v.iter().map(|h| host(h)).collect());
    w.alloc
        .on_targets(update)
        .map(|_| ())
        .map_err(|e| e.to_string())
}

fn container_of(w: &World, s: &ContainerSpec) -> Container {
    let ask = u32::try_from(s.priority)
        .ok()
        .and_then(|p| w.alloc.container_ask(p).cloned())
        .unwrap_or_default();
    Container {
        id: ContainerId::from(s.id.as_str()),
        host: host(&s.host),
        resource: Resource {
            memory_mb: s.memory_mb.unwrap_or(ask.memory_mb),
            vcores: s.vcores.unwrap_or(ask.vcores),
            custom: ask.custom,
        },
        priority: s.priority,
    }
}

fn allocate(w: &mut World, spec: AllocateSpec) -> Result<(), String> {
    let mut response = AllocateResponse {
        cluster_nodes: spec.cluster_nodes,
        available_resources: spec
            .available_resources
            .map(|r| Resource::new(r.memory_mb, r.vcores)),
        ..Default::default()
    };
    for n in &spec.updated_nodes {
        let state = NodeState::parse(&n.state)
            .ok_or_else(|| format!("unknown node state {:?}", n.state))?;
        response.updated_nodes.push(NodeUpdate {
            host: host(&n.host),
            state,
        });
    }
    for c in &spec.allocated {
        response.allocated.push(container_of(w, c));
    }
    for c in spec.completed {
        response.completed.push(CompletedContainer {
            id: ContainerId::from(c.id.as_str()),
            exit_status: c.exit_status,
            diagnostics: c.diagnostics,
        });
    }
    let request = w.alloc.next_request(w.now);
    w.released_sent.extend(request.releases.iter().cloned());
    w.last_request = Some(request);
    w.alloc.on_response(response, w.now);
    Ok(())
}
