//! The RM state machine driven directly, without sockets.

use spindle_launcher::StopReason;
use spindle_protocol::credentials::Credentials;
use spindle_protocol::ids::{ApplicationAttemptId, ApplicationId, ContainerId, NodeId};
use spindle_protocol::proto::yarn::*;
use spindle_protocol::proto::yarn_service::*;
use spindle_protocol::token::KIND_AMRM_TOKEN;
use spindle_protocol::yarn::error::*;

use super::{Effect, RmConfig, RmState};
use crate::rm::tokens::{ClusterSecrets, TokenIssuer};
use spindle_protocol::yarn::resources::Resources;

pub(super) const T0: i64 = 1_700_000_000_000;

pub(super) fn rm(nodes: usize) -> RmState {
    let mut rm = RmState::new(
        RmConfig {
            am_liveness_expiry_ms: 10_000,
            allocation_expiry_ms: 20_000,
            ..RmConfig::new(T0, Resources::new(128, 1), Resources::new(4096, 4))
        },
        TokenIssuer::new(ClusterSecrets::random()),
    );
    for i in 0..nodes {
        rm.add_node(
            NodeId::new(format!("127.0.0.{}", i + 1), 40000 + i as i32),
            if i % 2 == 0 {
                "/r0".into()
            } else {
                "/r1".into()
            },
            "x:0".into(),
            Resources::new(4096, 4),
            T0,
        );
    }
    rm
}

pub(super) fn submission(id: ApplicationId, keep: bool) -> ApplicationSubmissionContextProto {
    ApplicationSubmissionContextProto {
        application_id: Some(id.to_proto()),
        application_name: Some("t".into()),
        resource: Some(ResourceProto::new(512, 1)),
        am_container_spec: Some(ContainerLaunchContextProto {
            command: vec!["sleep 100".into()],
            ..Default::default()
        }),
        keep_containers_across_application_attempts: Some(keep),
        ..Default::default()
    }
}

/// Submits an app; returns its id, the AM container and the launch effect's CLC.
pub(super) fn submit(
    rm: &mut RmState,
    keep: bool,
) -> (ApplicationId, ContainerId, ContainerLaunchContextProto) {
    let id =
        ApplicationId::from_proto(rm.new_application().application_id.as_ref().unwrap()).unwrap();
    rm.submit("alice", submission(id, keep), T0).unwrap();
    let effects = rm.take_effects();
    let Some(Effect::LaunchAm { container, clc, .. }) = effects
        .into_iter()
        .find(|e| matches!(e, Effect::LaunchAm { .. }))
    else {
        panic!("no AM launch");
    };
    (id, container.container_id().unwrap(), *clc)
}

/// Submits an app and registers its first attempt; returns its id, AM container and attempt.
pub(super) fn registered(
    rm: &mut RmState,
    keep: bool,
) -> (ApplicationId, ContainerId, ApplicationAttemptId) {
    let (id, am, _) = submit(rm, keep);
    let a = am.application_attempt_id;
    rm.register(a, &Default::default(), T0).unwrap();
    (id, am, a)
}

pub(super) fn state(rm: &RmState, id: &ApplicationId) -> YarnApplicationStateProto {
    rm.report(id).unwrap().yarn_application_state()
}

pub(super) fn ask(p: i32, name: &str, mb: i64, n: i32) -> ResourceRequestProto {
    ResourceRequestProto::new(p, name, ResourceProto::new(mb, 1), n, 0)
}

pub(super) fn alloc(
    rm: &mut RmState,
    a: ApplicationAttemptId,
    rid: i32,
    asks: Vec<ResourceRequestProto>,
) -> AllocateResponseProto {
    rm.allocate(
        a,
        &AllocateRequestProto {
            ask: asks,
            response_id: Some(rid),
            ..Default::default()
        },
        T0 + 1,
    )
    .unwrap()
}

pub(super) fn class(e: &spindle_protocol::ipc::ServiceError) -> &str {
    &e.class_name
}

#[test]
fn am_launch_gets_amrm_token_and_env() {
    let mut rm = rm(1);
    let (id, am, clc) = submit(&mut rm, false);
    assert_eq!(state(&rm, &id), YarnApplicationStateProto::Accepted);
    assert_eq!(am.sequence(), 1);
    let creds = Credentials::from_bytes(clc.tokens.as_ref().unwrap()).unwrap();
    let t = creds
        .token_by_kind(KIND_AMRM_TOKEN)
        .expect("AMRMToken in the AM's tokens");
    assert_eq!(
        t.amrm_identifier().unwrap().attempt_id,
        am.application_attempt_id
    );
    assert_eq!(
        clc.env("APPLICATION_WEB_PROXY_BASE"),
        Some(format!("/proxy/{id}").as_str())
    );
    assert_eq!(clc.env("MAX_APP_ATTEMPTS"), Some("2"));
    assert_eq!(
        clc.env("APP_SUBMIT_TIME_ENV"),
        Some(T0.to_string().as_str())
    );
}

#[test]
fn asks_are_totals_and_response_ids_replay() {
    let mut rm = rm(2);
    let (id, am, _) = submit(&mut rm, false);
    let a = am.application_attempt_id;
    let err = rm
        .allocate(a, &AllocateRequestProto::default(), T0)
        .unwrap_err();
    assert_eq!(class(&err), APPLICATION_MASTER_NOT_REGISTERED);
    let reg = rm
        .register(a, &RegisterApplicationMasterRequestProto::default(), T0)
        .unwrap();
    assert_eq!(reg.maximum_capability.unwrap().memory, Some(4096));
    assert_eq!(state(&rm, &id), YarnApplicationStateProto::Running);
    let err = rm
        .register(a, &RegisterApplicationMasterRequestProto::default(), T0)
        .unwrap_err();
    assert_eq!(class(&err), INVALID_APPLICATION_MASTER_REQUEST);

    let r1 = alloc(&mut rm, a, 0, vec![ask(1, "*", 1000, 3)]);
    assert_eq!(r1.response_id, Some(1));
    assert_eq!(r1.allocated_containers.len(), 3);
    assert_eq!(r1.num_cluster_nodes, Some(2));
    // normalized up to a multiple of 128
    assert_eq!(
        r1.allocated_containers[0].resource.as_ref().unwrap().memory,
        Some(1024)
    );
    assert_eq!(r1.nm_tokens.len(), 2, "one NMToken per node, once");
    // A retry of id 0 returns the same reply.
    let again = alloc(&mut rm, a, 0, vec![]);
    assert_eq!(again, r1);
    // A stale id is refused.
    let err = rm
        .allocate(
            a,
            &AllocateRequestProto {
                response_id: Some(7),
                ..Default::default()
            },
            T0,
        )
        .unwrap_err();
    assert_eq!(class(&err), INVALID_APPLICATION_MASTER_REQUEST);
    // Re-sending the original total over-allocates, as in YARN.
    let r2 = alloc(&mut rm, a, 1, vec![ask(1, "*", 1000, 3)]);
    assert_eq!(r2.allocated_containers.len(), 3);
    assert!(r2.nm_tokens.is_empty(), "no NMToken twice for a node");
    // Nothing left: 6 GiB allocated + the 512 MB AM on 8 GiB; a 2 GiB ask waits.
    let r3 = alloc(&mut rm, a, 2, vec![ask(1, "*", 2048, 1)]);
    assert!(r3.allocated_containers.is_empty());
    // Cancel it with a zero total, release one container: it completes ABORTED.
    let victim = r1.allocated_containers[0].id.clone().unwrap();
    let r4 = rm
        .allocate(
            a,
            &AllocateRequestProto {
                ask: vec![ask(1, "*", 2048, 0)],
                release: vec![victim.clone()],
                response_id: Some(3),
                ..Default::default()
            },
            T0 + 5,
        )
        .unwrap();
    assert_eq!(r4.completed_container_statuses.len(), 1);
    assert_eq!(r4.completed_container_statuses[0].exit_status, Some(-100));
    assert!(
        r4.allocated_containers.is_empty(),
        "the cancelled ask stays cancelled"
    );
}

#[test]
fn bad_asks_and_releases_are_refused() {
    let mut rm = rm(1);
    let (_, _, a) = registered(&mut rm, false);
    let other = ContainerId::new(ApplicationAttemptId::new(ApplicationId::new(T0, 99), 1), 2);
    for (what, bad, class_name) in [
        (
            "larger than the maximum",
            AllocateRequestProto {
                ask: vec![ask(1, "*", 100_000, 1)],
                ..Default::default()
            },
            INVALID_RESOURCE_REQUEST,
        ),
        (
            "a negative count",
            AllocateRequestProto {
                ask: vec![ask(1, "*", 100, -1)],
                ..Default::default()
            },
            INVALID_RESOURCE_REQUEST,
        ),
        (
            "another application's container",
            AllocateRequestProto {
                release: vec![other.to_proto()],
                ..Default::default()
            },
            INVALID_CONTAINER_RELEASE,
        ),
    ] {
        let bad = AllocateRequestProto {
            response_id: Some(0),
            ..bad
        };
        let e = rm.allocate(a, &bad, T0).unwrap_err();
        assert_eq!(class(&e), class_name, "{what}");
    }
    // Still serving after all that.
    assert_eq!(
        alloc(&mut rm, a, 0, vec![ask(1, "*", 100, 1)])
            .allocated_containers
            .len(),
        1
    );
    // Unknown applications.
    let missing = ApplicationId::new(T0, 4242);
    assert_eq!(
        class(&rm.report(&missing).unwrap_err()),
        APPLICATION_NOT_FOUND
    );
    assert_eq!(
        class(&rm.kill(&missing, None, T0).unwrap_err()),
        APPLICATION_NOT_FOUND
    );
    let e = rm
        .register(
            ApplicationAttemptId::new(missing, 1),
            &Default::default(),
            T0,
        )
        .unwrap_err();
    assert_eq!(class(&e), APPLICATION_ATTEMPT_NOT_FOUND);
    // A submission larger than the maximum.
    let id =
        ApplicationId::from_proto(rm.new_application().application_id.as_ref().unwrap()).unwrap();
    let mut s = submission(id, false);
    s.resource = Some(ResourceProto::new(1, 99));
    assert_eq!(
        class(&rm.submit("bob", s, T0).unwrap_err()),
        INVALID_RESOURCE_REQUEST
    );
}

#[test]
fn locality_node_rack_any_and_blacklist() {
    let mut rm = rm(3); // 127.0.0.1 /r0, 127.0.0.2 /r1, 127.0.0.3 /r0
    let (_, _, a) = registered(&mut rm, false);
    // Strict: only 127.0.0.2.
    let r = alloc(
        &mut rm,
        a,
        0,
        vec![
            ask(1, "127.0.0.2", 1024, 1),
            ask(1, "/r1", 1024, 1).with_relax_locality(false),
            ask(1, "*", 1024, 1).with_relax_locality(false),
        ],
    );
    assert_eq!(r.allocated_containers.len(), 1);
    assert_eq!(r.allocated_containers[0].node().unwrap().host, "127.0.0.2");
    // Rack /r0 only, with 127.0.0.1 blacklisted: must land on 127.0.0.3.
    let r = rm
        .allocate(
            a,
            &AllocateRequestProto {
                ask: vec![
                    ask(2, "/r0", 1024, 1),
                    ask(2, "*", 1024, 1).with_relax_locality(false),
                ],
                blacklist_request: Some(ResourceBlacklistRequestProto {
                    blacklist_additions: vec!["127.0.0.1".into()],
                    blacklist_removals: vec![],
                }),
                response_id: Some(1),
                ..Default::default()
            },
            T0,
        )
        .unwrap();
    assert_eq!(r.allocated_containers[0].node().unwrap().host, "127.0.0.3");
}

#[test]
fn am_failure_retries_then_fails_the_app() {
    let mut rm = rm(1);
    let (id, am1, _) = submit(&mut rm, false);
    rm.container_exited(am1, 1, "boom".into(), T0 + 10);
    let effects = rm.take_effects();
    let Some(Effect::LaunchAm { container, .. }) = effects
        .iter()
        .find(|e| matches!(e, Effect::LaunchAm { .. }))
        .cloned()
    else {
        panic!("no second attempt: {effects:?}");
    };
    let am2 = container.container_id().unwrap();
    assert_eq!(am2.application_attempt_id.attempt_id, 2);
    assert_eq!(state(&rm, &id), YarnApplicationStateProto::Accepted);
    // The first attempt's token is no longer accepted for calls.
    let e = rm
        .register(am1.application_attempt_id, &Default::default(), T0)
        .unwrap_err();
    assert_eq!(class(&e), APPLICATION_ATTEMPT_NOT_FOUND);
    rm.container_exited(am2, 3, "again".into(), T0 + 20);
    let r = rm.report(&id).unwrap();
    assert_eq!(
        r.yarn_application_state(),
        YarnApplicationStateProto::Failed
    );
    assert_eq!(
        r.final_application_status(),
        FinalApplicationStatusProto::AppFailed
    );
    // YARN's wording, which clients show (the double space is YARN's too).
    let a2 = am2.application_attempt_id;
    assert_eq!(
        r.diagnostics(),
        format!(
            "Application {id} failed 2 times due to AM Container for {a2} exited with  exitCode: 3\nFailing this attempt.Diagnostics: again. Failing the application."
        )
    );
}

#[test]
fn keep_containers_across_attempts() {
    let mut rm = rm(1);
    let (_, am1, a1) = registered(&mut rm, true);
    let r = alloc(&mut rm, a1, 0, vec![ask(1, "*", 256, 2)]);
    let kept: Vec<ContainerId> = r
        .allocated_containers
        .iter()
        .map(|c| c.container_id().unwrap())
        .collect();
    for c in &kept {
        rm.container_started(*c);
    }
    rm.container_exited(am1, 1, "crash".into(), T0 + 10);
    let effects = rm.take_effects();
    assert!(
        !effects.iter().any(
            |e| matches!(e, Effect::StopContainer { container, .. } if kept.contains(container))
        ),
        "kept containers must not be stopped: {effects:?}"
    );
    let a2 = ApplicationAttemptId::new(am1.application_id(), 2);
    let reg = rm.register(a2, &Default::default(), T0 + 11).unwrap();
    let got: Vec<ContainerId> = reg
        .containers_from_previous_attempts
        .iter()
        .map(|c| c.container_id().unwrap())
        .collect();
    assert_eq!(got, kept);
    assert_eq!(reg.nm_tokens_from_previous_attempts.len(), 1);
    // Their completion now goes to attempt 2.
    rm.container_exited(kept[0], 0, String::new(), T0 + 12);
    let r = alloc(&mut rm, a2, 0, vec![]);
    assert_eq!(r.completed_container_statuses.len(), 1);
}

#[test]
fn finish_kill_liveness_and_lost_nodes() {
    let mut rm = rm(2);
    // Finish: FINISHED at once, containers killed when the AM exits.
    let (id, am, a) = registered(&mut rm, false);
    alloc(&mut rm, a, 0, vec![ask(1, "*", 256, 1)]);
    let fin = rm
        .finish(
            a,
            &FinishApplicationMasterRequestProto {
                final_application_status: Some(FinalApplicationStatusProto::AppSucceeded as i32),
                diagnostics: Some("ok".into()),
                ..Default::default()
            },
            T0 + 3,
        )
        .unwrap();
    assert_eq!(fin.is_unregistered, Some(true));
    let r = rm.report(&id).unwrap();
    assert_eq!(
        r.yarn_application_state(),
        YarnApplicationStateProto::Finished
    );
    assert_eq!(
        r.final_application_status(),
        FinalApplicationStatusProto::AppSucceeded
    );
    rm.take_effects();
    rm.container_exited(am, 0, String::new(), T0 + 4);
    let effects = rm.take_effects();
    assert!(
        effects
            .iter()
            .any(|e| matches!(e, Effect::FinishApplication { app, .. } if *app == id))
    );

    // Kill.
    let (id2, _, _) = submit(&mut rm, false);
    assert!(rm.kill(&id2, None, T0 + 5).unwrap());
    assert_eq!(state(&rm, &id2), YarnApplicationStateProto::Killed);
    let effects = rm.take_effects();
    assert!(effects.iter().any(|e| matches!(
        e,
        Effect::StopContainer {
            reason: StopReason::AfterAppCompletion,
            ..
        }
    )));

    // Liveness: an AM silent past the expiry fails its attempt.
    let (id3, am3, _) = submit(&mut rm, false);
    rm.register(am3.application_attempt_id, &Default::default(), T0)
        .unwrap();
    rm.tick(T0 + 5_000);
    assert_eq!(state(&rm, &id3), YarnApplicationStateProto::Running);
    rm.tick(T0 + 20_000);
    let r = rm.report(&id3).unwrap();
    assert_eq!(
        r.current_application_attempt_id.unwrap().attempt_id,
        Some(2),
        "expired → new attempt"
    );

    // A lost node: its containers complete ABORTED, the node shows LOST.
    let node_of_am = rm.container(&am3).unwrap().node;
    rm.lose_node(node_of_am, T0 + 21_000);
    assert_eq!(rm.nodes()[node_of_am].state, NodeStateProto::NsLost);
    assert_eq!(rm.cluster_metrics().num_lost_nms, Some(1));
    assert_eq!(rm.cluster_metrics().num_active_nms, Some(1));
}

#[test]
fn attempt_reports_and_fail_attempt() {
    let mut rm = rm(1);
    let (id, am1, _) = submit(&mut rm, false);
    let a1 = am1.application_attempt_id;
    rm.register(
        a1,
        &RegisterApplicationMasterRequestProto {
            host: Some("h".into()),
            rpc_port: Some(7),
            ..Default::default()
        },
        T0,
    )
    .unwrap();
    let r = rm.attempt_report(a1).unwrap();
    assert_eq!(
        r.yarn_application_attempt_state(),
        YarnApplicationAttemptStateProto::AppAttemptRunning
    );
    assert_eq!((r.host(), r.rpc_port()), ("h", 7));
    assert_eq!(r.am_container_id.unwrap(), am1.to_proto());
    rm.fail_attempt(a1, T0 + 1).unwrap();
    let all = rm.attempt_reports(&id).unwrap();
    assert_eq!(all.len(), 2);
    assert_eq!(
        all[0].yarn_application_attempt_state(),
        YarnApplicationAttemptStateProto::AppAttemptFailed
    );
    assert!(all[0].diagnostics().contains("failed by user"));
    assert_eq!(
        all[1].yarn_application_attempt_state(),
        YarnApplicationAttemptStateProto::AppAttemptLaunched
    );
    let e = rm.fail_attempt(a1, T0 + 2).unwrap_err();
    assert_eq!(class(&e), APPLICATION_ATTEMPT_NOT_FOUND);
    let e = rm
        .attempt_report(ApplicationAttemptId::new(id, 9))
        .unwrap_err();
    assert_eq!(class(&e), APPLICATION_ATTEMPT_NOT_FOUND);
    // The second failure ends the application (max attempts 2).
    let a2 = ApplicationAttemptId::new(id, 2);
    rm.fail_attempt(a2, T0 + 3).unwrap();
    assert_eq!(state(&rm, &id), YarnApplicationStateProto::Failed);
}

#[test]
fn response_ids_wrap_past_i32_max() {
    let mut rm = rm(1);
    let (id, _, a) = registered(&mut rm, false);
    // Jump to the top of the range instead of making 2^31 calls.
    let attempt = rm.apps.get_mut(&id).unwrap().current_mut().unwrap();
    attempt.am.last_response_id = i32::MAX;
    let top = alloc(&mut rm, a, i32::MAX, vec![ask(1, "*", 256, 1)]);
    assert_eq!(top.response_id, Some(0), "i32::MAX is followed by 0");
    assert_eq!(top.allocated_containers.len(), 1);
    // The repeat of the request before the wrap is a retry: the same answer again.
    assert_eq!(alloc(&mut rm, a, i32::MAX, vec![]), top);
    assert_eq!(alloc(&mut rm, a, 0, vec![]).response_id, Some(1));
}
