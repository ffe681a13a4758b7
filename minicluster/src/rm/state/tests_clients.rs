//! The RM state machine driven directly: what clients read and change besides submissions
//! (queues, containers, priority, moves, lifetimes, signals, usage) and the bounds that keep a
//! long-running RM small.

use spindle_protocol::ids::{ApplicationAttemptId, ContainerId};
use spindle_protocol::proto::yarn::*;
use spindle_protocol::proto::yarn_service::*;
use spindle_protocol::yarn::error::*;

use super::tests::*;
use super::{CONTAINER_NOT_FOUND, Effect, RmConfig, RmState};
use crate::rm::state::app_updates::LIFETIME_EXCEEDED;
use crate::rm::tokens::{ClusterSecrets, TokenIssuer};
use crate::time::format_iso8601;
use spindle_protocol::yarn::resources::Resources;

/// One node of 4096 MB / 4 vcores and the settings `change` makes.
fn configured(change: impl FnOnce(&mut RmConfig)) -> RmState {
    let mut config = RmConfig::new(T0, Resources::new(128, 1), Resources::new(4096, 4));
    change(&mut config);
    let mut rm = RmState::new(config, TokenIssuer::new(ClusterSecrets::random()));
    rm.add_node(
        spindle_protocol::ids::NodeId::new("127.0.0.1", 1),
        "/r".into(),
        "127.0.0.1:2".into(),
        Resources::new(4096, 4),
        T0,
    );
    rm
}

fn queue(rm: &RmState, name: &str, children: bool) -> Option<QueueInfoProto> {
    rm.queue_info(&GetQueueInfoRequestProto {
        queue_name: Some(name.into()),
        include_child_queues: Some(children),
        include_applications: Some(true),
        ..Default::default()
    })
}

#[test]
fn queues_root_default_and_unknown() {
    let mut rm = rm(1);
    let (id, _, _) = registered(&mut rm, false);
    let root = queue(&rm, "root", true).expect("root");
    assert_eq!(root.queue_path.as_deref(), Some("root"));
    assert_eq!(root.child_queues.len(), 1);
    assert_eq!(root.child_queues[0].queue_name.as_deref(), Some("default"));
    assert_eq!(
        root.applications.len(),
        1,
        "root holds its child's applications"
    );
    let leaf = queue(&rm, "root.default", false).expect("default by its path");
    assert_eq!(leaf.queue_name.as_deref(), Some("default"));
    assert!(
        leaf.current_capacity.unwrap() > 0.0,
        "the AM container is in use"
    );
    let stats = leaf.queue_statistics.unwrap();
    assert_eq!(
        (stats.num_apps_submitted, stats.num_apps_running),
        (Some(1), Some(1))
    );
    assert_eq!(
        queue(&rm, "nope", true),
        None,
        "unknown: no queue, no error"
    );
    // Finished applications leave the queue's application list.
    rm.kill(&id, None, T0 + 1).unwrap();
    assert!(
        queue(&rm, "default", false)
            .unwrap()
            .applications
            .is_empty()
    );
    assert_eq!(rm.queue_user_acls().len(), 2);
}

#[test]
fn submissions_to_other_queues_fail_the_application() {
    let mut rm = rm(1);
    for (q, why) in [
        ("etl", "unknown queue: etl"),
        ("root", "non-leaf queue: root"),
    ] {
        let id = spindle_protocol::ids::ApplicationId::from_proto(
            rm.new_application().application_id.as_ref().unwrap(),
        )
        .unwrap();
        let mut s = submission(id, false);
        s.queue = Some(q.into());
        rm.submit("alice", s, T0).expect("the call succeeds");
        let r = rm.report(&id).unwrap();
        assert_eq!(
            r.yarn_application_state(),
            YarnApplicationStateProto::Failed,
            "{q}"
        );
        assert!(r.diagnostics().contains(why), "{}", r.diagnostics());
    }
    let (id, _, _) = submit(&mut rm, false);
    assert_eq!(rm.report(&id).unwrap().queue(), "default");
}

/// Attempt `a`'s first allocate, asking one task container of `mb` MB; the container's id.
fn one_task(rm: &mut RmState, a: ApplicationAttemptId, mb: i64) -> ContainerId {
    let r = alloc(rm, a, 0, vec![ask(1, "*", mb, 1)]);
    ContainerId::from_proto(r.allocated_containers[0].id.as_ref().unwrap()).unwrap()
}

#[test]
fn containers_are_reported_live_and_completed() {
    let mut rm = rm(1);
    let (id, am, a) = registered(&mut rm, false);
    let c = one_task(&mut rm, a, 256);
    rm.container_started(c);
    let all = rm.container_reports(a).unwrap();
    assert_eq!(all.len(), 2, "the AM container and the task");
    assert_eq!(all[0].container_id.as_ref().unwrap(), &am.to_proto());
    let one = rm.container_report_of(c).unwrap();
    assert_eq!(one.container_state(), ContainerStateProto::CRunning);
    assert!(
        one.log_url()
            .ends_with(&format!("/node/containerlogs/{c}/alice"))
    );
    rm.container_exited(c, 3, "boom".into(), T0 + 2_001);
    let done = rm.container_report_of(c).unwrap();
    assert_eq!(
        (
            done.container_state(),
            done.container_exit_status(),
            done.diagnostics_info()
        ),
        (ContainerStateProto::CComplete, 3, "boom")
    );
    assert_eq!(done.finish_time(), T0 + 2_001);
    let missing = ContainerId::new(a, 99);
    assert_eq!(
        class(&rm.container_report_of(missing).unwrap_err()),
        CONTAINER_NOT_FOUND
    );
    let no_attempt = ApplicationAttemptId::new(id, 7);
    assert_eq!(
        class(&rm.container_reports(no_attempt).unwrap_err()),
        APPLICATION_ATTEMPT_NOT_FOUND
    );
    let no_app = ApplicationAttemptId::new(spindle_protocol::ids::ApplicationId::new(T0, 77), 1);
    assert_eq!(
        class(&rm.container_reports(no_app).unwrap_err()),
        APPLICATION_NOT_FOUND
    );
}

#[test]
fn usage_counts_mb_and_vcore_seconds() {
    let mut rm = rm(1);
    let (id, am, a) = registered(&mut rm, false);
    let c = one_task(&mut rm, a, 1024);
    // The 1024 MB task lives 10 s (allocated at T0 + 1); the 512 MB AM from T0.
    rm.container_exited(c, 0, String::new(), T0 + 10_001);
    rm.advance_clock(T0 + 20_000);
    let usage = rm.report(&id).unwrap().app_resource_usage.unwrap();
    assert_eq!(usage.memory_seconds, Some(1024 * 10 + 512 * 20));
    assert_eq!(usage.vcore_seconds, Some(10 + 20));
    rm.finish(a, &Default::default(), T0 + 29_000).unwrap();
    rm.container_exited(am, 0, String::new(), T0 + 30_000);
    rm.advance_clock(T0 + 99_000);
    let usage = rm.report(&id).unwrap().app_resource_usage.unwrap();
    assert_eq!(
        usage.memory_seconds,
        Some(1024 * 10 + 512 * 30),
        "ended: no more"
    );
}

#[test]
fn priority_is_capped_and_moves_stay_in_the_leaf() {
    let mut rm = configured(|c| c.max_application_priority = 5);
    let (id, _, a) = registered(&mut rm, false);
    assert_eq!(rm.update_priority(&id, 3).unwrap(), 3);
    assert_eq!(
        rm.update_priority(&id, 50).unwrap(),
        5,
        "capped at the cluster maximum"
    );
    assert_eq!(
        alloc(&mut rm, a, 0, vec![])
            .application_priority
            .unwrap()
            .priority,
        Some(5)
    );
    assert_eq!(rm.report(&id).unwrap().priority.unwrap().priority, Some(5));
    rm.move_to_queue(&id, "default").unwrap();
    rm.move_to_queue(&id, "root.default").unwrap();
    for (target, says) in [("root", "not a Leaf Queue"), ("etl", "doesn't exist")] {
        let e = rm.move_to_queue(&id, target).unwrap_err();
        assert_eq!(class(&e), YARN_EXCEPTION);
        assert!(e.message.contains(says), "{e}");
    }
    let gone = spindle_protocol::ids::ApplicationId::new(T0, 404);
    assert_eq!(
        class(&rm.update_priority(&gone, 1).unwrap_err()),
        APPLICATION_NOT_FOUND
    );
    assert_eq!(
        class(&rm.move_to_queue(&gone, "default").unwrap_err()),
        APPLICATION_NOT_FOUND
    );
    rm.kill(&id, None, T0 + 1).unwrap();
    assert_eq!(
        rm.update_priority(&id, 1).unwrap(),
        5,
        "an ended application keeps its own"
    );
    let e = rm.move_to_queue(&id, "default").unwrap_err();
    assert!(
        e.message.contains("App in KILLED state cannot be moved"),
        "{e}"
    );
}

fn lifetime(
    id: spindle_protocol::ids::ApplicationId,
    at: &str,
) -> UpdateApplicationTimeoutsRequestProto {
    UpdateApplicationTimeoutsRequestProto {
        application_id: id.to_proto(),
        application_timeouts: vec![ApplicationUpdateTimeoutMapProto {
            application_timeout_type: Some(ApplicationTimeoutTypeProto::AppTimeoutLifetime as i32),
            expire_time: Some(at.into()),
        }],
    }
}

#[test]
fn lifetimes_are_set_shown_and_enforced() {
    let mut rm = rm(1);
    // A lifetime given at submission.
    let id = spindle_protocol::ids::ApplicationId::from_proto(
        rm.new_application().application_id.as_ref().unwrap(),
    )
    .unwrap();
    let mut s = submission(id, false);
    s.application_timeouts = vec![ApplicationTimeoutMapProto {
        application_timeout_type: Some(ApplicationTimeoutTypeProto::AppTimeoutLifetime as i32),
        timeout: Some(30),
    }];
    rm.submit("alice", s, T0).unwrap();
    rm.advance_clock(T0 + 10_000);
    let t = rm.report(&id).unwrap().app_timeouts[0]
        .application_timeout
        .clone()
        .unwrap();
    assert_eq!(t.expire_time(), format_iso8601(T0 + 30_000));
    assert_eq!(t.remaining_time(), 20);
    // Moved later, then enforced.
    rm.update_timeouts(&lifetime(id, &format_iso8601(T0 + 60_000)), T0 + 10_000)
        .unwrap();
    rm.tick(T0 + 59_000);
    assert_eq!(state(&rm, &id), YarnApplicationStateProto::Accepted);
    rm.tick(T0 + 60_000);
    let r = rm.report(&id).unwrap();
    assert_eq!(
        r.yarn_application_state(),
        YarnApplicationStateProto::Killed
    );
    assert_eq!(r.diagnostics(), LIFETIME_EXCEEDED);
    // Bad updates.
    let (id2, _, _) = submit(&mut rm, false);
    for (req, says) in [
        (lifetime(id2, "tomorrow"), "ISO8601"),
        (lifetime(id2, &format_iso8601(T0)), "less than current time"),
        (
            UpdateApplicationTimeoutsRequestProto {
                application_id: id2.to_proto(),
                application_timeouts: vec![],
            },
            "At least one",
        ),
    ] {
        let e = rm.update_timeouts(&req, T0 + 100_000).unwrap_err();
        assert_eq!(class(&e), YARN_EXCEPTION);
        assert!(e.message.contains(says), "{e}");
    }
    let none = rm.report(&id2).unwrap().app_timeouts[0]
        .application_timeout
        .clone()
        .unwrap();
    assert_eq!(
        (none.expire_time(), none.remaining_time()),
        ("UNLIMITED", -1)
    );
    let mut zero = submission(
        spindle_protocol::ids::ApplicationId::from_proto(
            rm.new_application().application_id.as_ref().unwrap(),
        )
        .unwrap(),
        false,
    );
    zero.application_timeouts = vec![ApplicationTimeoutMapProto {
        application_timeout_type: Some(ApplicationTimeoutTypeProto::AppTimeoutLifetime as i32),
        timeout: Some(0),
    }];
    assert_eq!(
        class(&rm.submit("alice", zero, T0).unwrap_err()),
        YARN_EXCEPTION
    );
}

#[test]
fn signals_go_to_the_containers_node() {
    let mut rm = rm(2);
    let (_, am, _) = registered(&mut rm, false);
    rm.take_effects();
    rm.signal_container(am, SignalContainerCommandProto::OutputThreadDump as i32)
        .unwrap();
    let node = rm.container(&am).unwrap().node;
    assert!(rm.take_effects().iter().any(|e| matches!(
        e,
        Effect::SignalContainer { node: n, container, command: SignalContainerCommandProto::OutputThreadDump }
            if *n == node && *container == am
    )));
    let e = rm
        .signal_container(ContainerId::new(am.application_attempt_id, 50), 1)
        .unwrap_err();
    assert!(e.message.contains("absent container"), "{e}");
    assert!(rm.signal_container(am, 99).is_err(), "unknown command");
}

#[test]
fn completed_applications_are_kept_up_to_the_bound() {
    let mut rm = configured(|c| c.max_completed_apps = 3);
    let mut ids = Vec::new();
    for i in 0..10 {
        let (id, am, a) = registered(&mut rm, false);
        alloc(&mut rm, a, 0, vec![ask(1, "*", 256, 1)]);
        rm.kill(&id, None, T0 + i).unwrap();
        // The node reports the exits.
        for c in rm.app_containers(&id).map(|c| c.id).collect::<Vec<_>>() {
            rm.container_exited(c, -107, String::new(), T0 + i);
        }
        let _ = am;
        ids.push(id);
    }
    assert_eq!(rm.completed_apps(), 3);
    assert_eq!(
        rm.container_records(),
        3 * 2,
        "AM and task of the three kept"
    );
    assert_eq!(
        class(&rm.report(&ids[0]).unwrap_err()),
        APPLICATION_NOT_FOUND
    );
    assert!(rm.report(&ids[9]).is_ok());
    assert_eq!(rm.totals().killed, 10, "the counts outlive the records");
    assert!(rm.nodes()[0].containers.is_empty());
    assert!(rm.nodes()[0].used.memory_mb == 0);
}
