//! The allocator's public API at its edges: bad driver input, launch outcomes, loss reasons,
//! adoption, heartbeat timing, resync and the rack resolver.

use std::collections::BTreeSet;
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};

use spindle_allocator::{
    Action, AdoptError, AllocateResponse, Allocator, AllocatorConfig, CompletedContainer,
    Container, ContainerId, ExecutorId, ExecutorSizing, HostName, LaunchError, LaunchMode,
    LossReasonQuery, Notice, ProfileSpec, RackName, RackResolver, RecoveredContainer, Resource,
    TargetError, TargetUpdate,
};

fn config(initial: u32) -> AllocatorConfig {
    let mut c = AllocatorConfig::default();
    c.profiles[0].initial_target = initial;
    c
}

fn container(id: &str, host: &str) -> Container {
    Container {
        id: id.into(),
        host: host.into(),
        resource: Resource::new(4096, 1),
        priority: 0,
    }
}

fn grant(a: &mut Allocator, now: u64, containers: Vec<Container>) {
    a.next_request(now);
    a.on_response(
        AllocateResponse {
            allocated: containers,
            ..Default::default()
        },
        now,
    );
}

fn complete(a: &mut Allocator, now: u64, id: &str, status: i32) {
    a.next_request(now);
    let completed = vec![CompletedContainer {
        id: id.into(),
        exit_status: status,
        diagnostics: String::new(),
    }];
    a.on_response(
        AllocateResponse {
            completed,
            ..Default::default()
        },
        now,
    );
}

fn drain(a: &mut Allocator) -> Vec<Action> {
    std::iter::from_fn(|| a.poll_action()).collect()
}

#[test]
fn invalid_targets_change_nothing() {
    let mut a = Allocator::new(config(1)).unwrap();
    let mut u = TargetUpdate::default();
    u.totals.insert(0, 5);
    u.totals.insert(7, 1);
    u.scheduler_excluded = Some(BTreeSet::from([HostName::from("h1")]));
    assert_eq!(a.on_targets(u), Err(TargetError::UnknownProfile(7)));
    assert_eq!(a.target(0), Some(1));
    assert!(a.excluded_nodes().is_empty());
    let mut u = TargetUpdate::default();
    u.totals.insert(0, u32::MAX);
    assert!(matches!(
        a.on_targets(u),
        Err(TargetError::TooLarge { profile: 0, .. })
    ));
    let mut u = TargetUpdate::default();
    u.host_task_counts.insert(3, Default::default());
    assert_eq!(a.on_targets(u), Err(TargetError::UnknownProfile(3)));
}

#[test]
fn profiles_can_be_added_at_run_time() {
    let mut a = Allocator::new(config(0)).unwrap();
    assert!(
        a.add_profile(ProfileSpec::new(0, ExecutorSizing::default()))
            .is_err()
    );
    a.add_profile(ProfileSpec::new(
        4,
        ExecutorSizing {
            memory_mb: 8192,
            cores: 2,
            ..Default::default()
        },
    ))
    .unwrap();
    let mut u = TargetUpdate::default();
    u.totals.insert(4, 2);
    assert_eq!(a.on_targets(u), Ok(true));
    let req = a.next_request(0);
    let any = req
        .asks
        .iter()
        .find(|k| k.profile == 4 && &*k.resource_name == "*")
        .unwrap();
    assert_eq!(
        (any.priority, any.num_containers, any.capability.memory_mb),
        (4, 2, 8192 + 819)
    );
}

#[test]
fn launch_outcomes_need_a_starting_container() {
    let mut a = Allocator::new(config(1)).unwrap();
    let c1 = ContainerId::from("c1");
    assert_eq!(
        a.on_launch_succeeded(&c1),
        Err(LaunchError::NotStarting(c1.clone()))
    );
    grant(&mut a, 0, vec![container("c1", "h1")]);
    let launches: Vec<Action> = drain(&mut a)
        .into_iter()
        .filter(|x| matches!(x, Action::Launch { .. }))
        .collect();
    assert!(matches!(
        launches.as_slice(),
        [Action::Launch {
            executor_id: ExecutorId(1),
            profile: 0,
            ..
        }]
    ));
    assert_eq!(
        a.request_loss_reason(ExecutorId(1)).unwrap_err().0,
        ExecutorId(1),
        "a starting executor is unknown to the driver"
    );
    a.on_launch_succeeded(&c1).unwrap();
    assert_eq!(
        a.on_launch_succeeded(&c1),
        Err(LaunchError::NotStarting(c1.clone()))
    );
    assert_eq!(a.on_launch_failed(&c1), Err(LaunchError::NotStarting(c1)));
    assert_eq!(a.running(0), 1);
}

#[test]
fn timed_out_launches_refuse_late_outcomes() {
    let mut c = config(1);
    c.launch_timeout_ms = Some(100);
    let mut a = Allocator::new(c).unwrap();
    grant(&mut a, 0, vec![container("c1", "h1")]);
    drain(&mut a);
    let req = a.next_request(100);
    assert_eq!(req.releases, vec![ContainerId::from("c1")]);
    assert!(drain(&mut a).contains(&Action::LaunchTimedOut {
        executor_id: ExecutorId(1),
        container_id: "c1".into()
    }));
    assert!(a.on_launch_succeeded(&"c1".into()).is_err());
    assert_eq!(a.running(0), 0);
    assert_eq!(a.pending(0), 1);
}

#[test]
fn loss_reasons_are_kept_within_a_bound() {
    let mut c = config(2);
    c.launch_mode = LaunchMode::Immediate;
    c.max_stored_loss_reasons = 1;
    let mut a = Allocator::new(c).unwrap();
    grant(
        &mut a,
        0,
        vec![container("c1", "h1"), container("c2", "h2")],
    );
    complete(&mut a, 0, "c1", -102);
    complete(&mut a, 0, "c2", 1);
    assert!(
        a.request_loss_reason(ExecutorId(1)).is_err(),
        "evicted by the bound"
    );
    match a.request_loss_reason(ExecutorId(2)) {
        Ok(LossReasonQuery::Ready(exit)) => {
            assert!(exit.exit_caused_by_app && exit.exit_status == 1)
        }
        other => panic!("unexpected {other:?}"),
    }
}

#[test]
fn adoption_refuses_duplicates_and_unknown_priorities() {
    let mut a = Allocator::new(config(2)).unwrap();
    let rec = |id: &str, priority: i32| RecoveredContainer {
        container: Container {
            priority,
            ..container(id, "h1")
        },
        executor_id: Some(ExecutorId(3)),
    };
    let out = a.adopt_containers(vec![rec("p1", 0), rec("p1", 0), rec("p2", 0), rec("p3", 5)]);
    assert_eq!(out[0].1, Ok(ExecutorId(3)));
    assert_eq!(out[1].1, Err(AdoptError::Duplicate("p1".into())));
    assert_eq!(
        out[2].1,
        Ok(ExecutorId(4)),
        "id 3 is taken, so a new one is given"
    );
    assert!(matches!(
        out[3].1,
        Err(AdoptError::UnknownPriority { priority: 5, .. })
    ));
    assert_eq!(a.running(0), 2);
    assert_eq!(a.next_request(0).releases, vec![ContainerId::from("p3")]);
    grant(&mut a, 0, vec![]);
    assert_eq!(a.pending(0), 0);
}

#[test]
fn heartbeat_wakes_early_on_a_new_target() {
    let mut a = Allocator::new(config(1)).unwrap();
    assert_eq!(a.next_heartbeat(7), 7);
    grant(&mut a, 1000, vec![]);
    assert_eq!(a.next_heartbeat(1000), 1200);
    grant(&mut a, 1200, vec![container("c1", "h1")]);
    a.on_launch_succeeded(&"c1".into()).unwrap();
    grant(&mut a, 1300, vec![]);
    assert_eq!(a.next_heartbeat(1300), 4300, "idle: the steady 3 s");
    let mut u = TargetUpdate::default();
    u.totals.insert(0, 2);
    assert_eq!(a.on_targets(u.clone()), Ok(true));
    assert_eq!(
        a.next_heartbeat(1310),
        1500,
        "woken, but not before the initial interval"
    );
    assert_eq!(a.next_heartbeat(2000), 2000, "never in the past");
    assert_eq!(a.on_targets(u), Ok(false), "same total: no change");
}

#[test]
fn failing_the_application_is_announced_once() {
    let mut c = config(1);
    c.launch_mode = LaunchMode::Immediate;
    c.failures.max_executor_failures = Some(1);
    let mut a = Allocator::new(c).unwrap();
    grant(&mut a, 0, vec![container("c1", "h1")]);
    complete(&mut a, 0, "c1", 1);
    grant(&mut a, 0, vec![]);
    let fails = drain(&mut a)
        .into_iter()
        .filter(|x| matches!(x, Action::FailApplication { .. }))
        .count();
    assert_eq!(fails, 1);
    assert_eq!(a.app_failed().unwrap().exit_code, 11);
}

#[test]
fn resync_resends_asks_and_exclusions() {
    let mut c = config(2);
    c.exclusion.static_excluded = BTreeSet::from([HostName::from("bad")]);
    let mut a = Allocator::new(c).unwrap();
    let first = a.next_request(0);
    assert_eq!(first.exclusions.additions, vec![HostName::from("bad")]);
    assert_eq!(first.asks.len(), 1);
    let second = a.next_request(0);
    assert!(second.asks.is_empty() && second.exclusions.is_empty());
    a.resync();
    let third = a.next_request(0);
    assert_eq!(third.asks, first.asks);
    assert_eq!(third.exclusions.additions, vec![HostName::from("bad")]);
}

#[derive(Debug, Default)]
struct CountingResolver(AtomicUsize);

impl RackResolver for CountingResolver {
    fn resolve(&self, hosts: &[HostName]) -> Vec<Option<RackName>> {
        self.0.fetch_add(hosts.len(), Ordering::Relaxed);
        hosts
            .iter()
            .map(|h| Some(RackName::from(if h.ends_with('1') { "/r1" } else { "/r2" })))
            .collect()
    }
}

#[test]
fn rack_resolver_is_asked_once_per_host() {
    let resolver = Arc::new(CountingResolver::default());
    let mut a = Allocator::with_rack_resolver(config(0), resolver.clone()).unwrap();
    let mut u = TargetUpdate::default();
    u.totals.insert(0, 4);
    u.locality_aware_tasks.insert(0, 4);
    u.host_task_counts.insert(
        0,
        [("h1".into(), 2), ("h2".into(), 2)].into_iter().collect(),
    );
    a.on_targets(u).unwrap();
    let req = a.next_request(0);
    let racks: BTreeSet<&str> = req
        .asks
        .iter()
        .map(|k| &*k.resource_name)
        .filter(|n| n.starts_with('/'))
        .collect();
    assert_eq!(racks, BTreeSet::from(["/r1", "/r2"]));
    grant(
        &mut a,
        0,
        vec![container("c1", "h3"), container("c2", "h1")],
    );
    grant(&mut a, 0, vec![container("c3", "h3")]);
    assert_eq!(
        resolver.0.load(Ordering::Relaxed),
        3,
        "h1, h2, then h3 once"
    );
    assert!(
        !drain(&mut a)
            .iter()
            .any(|x| matches!(x, Action::Notice(Notice::DefaultRackCollapse)))
    );
}

#[test]
fn default_rack_collapse_is_reported_once() {
    let mut a = Allocator::new(config(2)).unwrap();
    let mut u = TargetUpdate::default();
    u.locality_aware_tasks.insert(0, 2);
    u.host_task_counts
        .insert(0, [("h1".into(), 2)].into_iter().collect());
    a.on_targets(u).unwrap();
    grant(&mut a, 0, vec![container("c1", "h9")]);
    grant(&mut a, 0, vec![container("c2", "h8")]);
    let n = drain(&mut a)
        .iter()
        .filter(|x| matches!(x, Action::Notice(Notice::DefaultRackCollapse)))
        .count();
    assert_eq!(n, 1);
}
