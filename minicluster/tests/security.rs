//! Bad input and security over real sockets: every refusal carries the error class a real
//! RM/NM uses, and the cluster keeps serving everyone else.

mod common;

use common::*;
use spindle_minicluster::{MiniCluster, MiniClusterOptions};
use spindle_protocol::ids::{ApplicationAttemptId, ApplicationId};
use spindle_protocol::proto::yarn::*;
use spindle_protocol::proto::yarn_service::*;
use spindle_protocol::token::Token;
use spindle_protocol::yarn::am::AmRmClient;
use spindle_protocol::yarn::error::*;
use spindle_protocol::yarn::nm::ContainerManagerClient;
use spindle_protocol::yarn::{
    APPLICATION_MASTER_PROTOCOL, CONTAINER_MANAGEMENT_PROTOCOL, YarnError, token_auth,
};

fn remote_class(e: &YarnError) -> String {
    e.class_name().unwrap_or("<none>").to_string()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn amrm_token_is_required_per_call() {
    let c = cluster(1).await;
    let (_, token) = submit_unmanaged(&client(&c)).await;
    // No token at all: SIMPLE is let in, the call is refused.
    let simple = AmRmClient::new(tokenless(
        c.scheduler_address().to_string(),
        APPLICATION_MASTER_PROTOCOL,
    ));
    let e = simple
        .register_application_master(&register_request())
        .await
        .unwrap_err();
    assert!(matches!(e, YarnError::AccessDenied(_)), "{e:?}");
    assert!(e.to_string().contains("No AMRMToken"), "{e}");
    // A token with a wrong password fails SASL.
    let mut forged = token.clone();
    forged.password = vec![0; 20];
    let e = AmRmClient::new(no_retry(
        c.scheduler_address().to_string(),
        APPLICATION_MASTER_PROTOCOL,
        token_auth(&forged, "x"),
    ))
    .register_application_master(&register_request())
    .await
    .unwrap_err();
    assert_handshake_refused(&e);
    // The real one still works, and allocate before register was refused properly.
    let am = am_client(&c, &token);
    let e = am.allocate(&allocate_request(0, vec![])).await.unwrap_err();
    assert_eq!(remote_class(&e), APPLICATION_MASTER_NOT_REGISTERED);
    am.register_application_master(&register_request())
        .await
        .unwrap();
    // Finishing unregisters; the token is then revoked for new connections.
    am.finish_application_master(&FinishApplicationMasterRequestProto {
        final_application_status: Some(FinalApplicationStatusProto::AppSucceeded as i32),
        ..Default::default()
    })
    .await
    .unwrap();
    let e = AmRmClient::new(no_retry(
        c.scheduler_address().to_string(),
        APPLICATION_MASTER_PROTOCOL,
        token_auth(&token, "x"),
    ))
    .allocate(&allocate_request(0, vec![]))
    .await
    .unwrap_err();
    assert_handshake_refused(&e);
    c.shutdown().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn bad_asks_and_unknown_ids() {
    let c = cluster(1).await;
    let client = client(&c);
    let (_, token) = submit_unmanaged(&client).await;
    let am = am_client(&c, &token);
    am.register_application_master(&register_request())
        .await
        .unwrap();
    let too_big = ask_anywhere(1_000_000, 1);
    let e = am
        .allocate(&allocate_request(0, vec![too_big]))
        .await
        .unwrap_err();
    assert_eq!(remote_class(&e), INVALID_RESOURCE_REQUEST);
    let negative = ask_anywhere(128, -2);
    let e = am
        .allocate(&allocate_request(0, vec![negative]))
        .await
        .unwrap_err();
    assert_eq!(remote_class(&e), INVALID_RESOURCE_REQUEST);
    let e = am.allocate(&allocate_request(5, vec![])).await.unwrap_err();
    assert_eq!(remote_class(&e), INVALID_APPLICATION_MASTER_REQUEST);
    let other = spindle_protocol::ids::ContainerId::new(
        ApplicationAttemptId::new(ApplicationId::new(1, 1), 1),
        5,
    );
    let e = am
        .allocate(&AllocateRequestProto {
            release: vec![other.to_proto()],
            ..allocate_request(0, vec![])
        })
        .await
        .unwrap_err();
    assert_eq!(remote_class(&e), INVALID_CONTAINER_RELEASE);
    let e = am
        .register_application_master(&register_request())
        .await
        .unwrap_err();
    assert_eq!(remote_class(&e), INVALID_APPLICATION_MASTER_REQUEST);

    let missing = ApplicationId::new(c.cluster_timestamp(), 999);
    let e = client
        .get_application_report(&GetApplicationReportRequestProto {
            application_id: Some(missing.to_proto()),
        })
        .await
        .unwrap_err();
    assert_eq!(remote_class(&e), APPLICATION_NOT_FOUND);
    let e = client
        .force_kill_application(&kill_request(missing))
        .await
        .unwrap_err();
    assert_eq!(remote_class(&e), APPLICATION_NOT_FOUND);
    let id = new_app(&client).await;
    let e = client
        .submit_application(&SubmitApplicationRequestProto {
            application_submission_context: Some(ApplicationSubmissionContextProto {
                application_id: Some(id.to_proto()),
                resource: Some(ResourceProto::new(64 * 1024, 1)),
                am_container_spec: Some(task("true")),
                ..Default::default()
            }),
        })
        .await
        .unwrap_err();
    assert_eq!(remote_class(&e), INVALID_RESOURCE_REQUEST);
    // An unknown queue is answered at once and without a queue, as a real RM answers (a remote
    // java.io.IOException would make Hadoop's client retry it for 15 minutes).
    let r = client
        .get_queue_info(&GetQueueInfoRequestProto {
            queue_name: Some("nope".into()),
            ..Default::default()
        })
        .await
        .expect("an unknown queue is not an error of the call");
    assert_eq!(r.queue_info, None);

    // Everyone else is still served.
    let q = client
        .get_queue_info(&GetQueueInfoRequestProto {
            queue_name: Some("default".into()),
            include_applications: Some(true),
            ..Default::default()
        })
        .await
        .unwrap()
        .queue_info
        .unwrap();
    assert_eq!(q.applications.len(), 1);
    let ok = ask_anywhere(128, 1);
    let r = am.allocate(&allocate_request(0, vec![ok])).await.unwrap();
    assert_eq!(r.allocated_containers.len(), 1);
    c.shutdown().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn nm_tokens_and_container_tokens_are_checked() {
    let c = cluster(2).await;
    let (_, ta) = submit_unmanaged(&client(&c)).await;
    let (_, tb) = submit_unmanaged(&client(&c)).await;
    let (aa, ab) = (attempt_of(&ta), attempt_of(&tb));
    let am_a = am_client(&c, &ta);
    let am_b = am_client(&c, &tb);
    am_a.register_application_master(&register_request())
        .await
        .unwrap();
    am_b.register_application_master(&register_request())
        .await
        .unwrap();
    // A: one 1.5 GiB container per node. B: one small container.
    let ra = am_a
        .allocate(&allocate_request(0, vec![ask_anywhere(1536, 2)]))
        .await
        .unwrap();
    assert_eq!(ra.allocated_containers.len(), 2);
    let rb = am_b
        .allocate(&allocate_request(0, vec![ask_anywhere(256, 1)]))
        .await
        .unwrap();
    let b_node = rb.allocated_containers[0].node().unwrap().to_string();
    let token_for = |tokens: &[NMTokenProto], node: &str| {
        tokens
            .iter()
            .map(|t| Token::from_proto(t.token.as_ref().unwrap()))
            .find(|t| t.service == node)
            .unwrap()
    };
    let a_on = |node: &str| {
        ra.allocated_containers
            .iter()
            .find(|c| c.node().unwrap().to_string() == node)
            .unwrap()
            .clone()
    };
    let nodes: Vec<String> = c.node_ids().iter().map(|n| n.to_string()).collect();
    let (n0, n1) = (&nodes[0], &nodes[1]);
    let a0 = token_for(&ra.nm_tokens, n0);

    // No NMToken: refused per call.
    let simple = ContainerManagerClient::new(tokenless(n0.clone(), CONTAINER_MANAGEMENT_PROTOCOL));
    let e = simple
        .start_containers(&start_request(task("true"), &a_on(n0)))
        .await
        .unwrap_err();
    assert!(matches!(e, YarnError::AccessDenied(_)), "{e:?}");
    assert!(e.to_string().contains("NMToken"), "{e}");
    // An NMToken for node 0 presented to node 1: SASL refuses it.
    let e = ContainerManagerClient::new(no_retry(
        n1.clone(),
        CONTAINER_MANAGEMENT_PROTOCOL,
        token_auth(&a0, aa.to_string()),
    ))
    .start_containers(&start_request(task("true"), &a_on(n1)))
    .await
    .unwrap_err();
    assert_handshake_refused(&e);
    // A container token for node 0 presented to node 1 (with a valid NMToken for node 1).
    let a1 = token_for(&ra.nm_tokens, n1);
    let nm1 = ContainerManagerClient::with_token(n1.clone(), &a1, aa.to_string());
    let r = nm1
        .start_containers(&start_request(task("true"), &a_on(n0)))
        .await
        .unwrap();
    assert!(r.succeeded_requests.is_empty());
    let ex = r.failed_requests[0].exception.as_ref().unwrap();
    assert_eq!(ex.class_name(), INVALID_TOKEN);
    assert!(
        ex.message().contains("not valid for current Node manager"),
        "{ex:?}"
    );
    // A tampered container token.
    let mut tampered = a_on(n1);
    tampered.container_token.as_mut().unwrap().password[0] ^= 0xff;
    let r = nm1
        .start_containers(&start_request(task("true"), &tampered))
        .await
        .unwrap();
    assert_eq!(
        r.failed_requests[0]
            .exception
            .as_ref()
            .unwrap()
            .class_name(),
        INVALID_TOKEN
    );
    // B's NMToken with A's container token on the same node: another application.
    let b_tok = token_for(&rb.nm_tokens, &b_node);
    let nm_b = ContainerManagerClient::with_token(b_node.clone(), &b_tok, ab.to_string());
    let r = nm_b
        .start_containers(&start_request(task("true"), &a_on(&b_node)))
        .await
        .unwrap();
    let ex = r.failed_requests[0].exception.as_ref().unwrap();
    assert_eq!(ex.class_name(), YARN_EXCEPTION);
    assert!(
        ex.message()
            .contains("Unauthorized request to start container"),
        "{ex:?}"
    );

    // A's own start works, and B may not look at or stop it.
    let r = nm1
        .start_containers(&start_request(task("sleep 30"), &a_on(n1)))
        .await
        .unwrap();
    assert_eq!(r.succeeded_requests.len(), 1, "{r:?}");
    let again = nm1
        .start_containers(&start_request(task("sleep 30"), &a_on(n1)))
        .await
        .unwrap();
    assert!(
        again.failed_requests[0]
            .exception
            .as_ref()
            .unwrap()
            .message()
            .contains("relaunch")
    );
    let a1_id = a_on(n1).id.unwrap();
    if b_node == *n1 {
        let s = nm_b
            .get_container_statuses(&GetContainerStatusesRequestProto {
                container_id: vec![a1_id.clone()],
            })
            .await
            .unwrap();
        assert!(s.status.is_empty());
        assert!(
            s.failed_requests[0]
                .exception
                .as_ref()
                .unwrap()
                .message()
                .contains("Unauthorized")
        );
    }
    let s = nm1
        .get_container_statuses(&GetContainerStatusesRequestProto {
            container_id: vec![a1_id.clone()],
        })
        .await
        .unwrap();
    assert_eq!(s.status[0].state(), ContainerStateProto::CRunning);
    let stop = nm1
        .stop_containers(&StopContainersRequestProto {
            container_id: vec![a1_id.clone()],
        })
        .await
        .unwrap();
    assert_eq!(stop.succeeded_requests.len(), 1);
    let s = nm1
        .get_container_statuses(&GetContainerStatusesRequestProto {
            container_id: vec![a1_id],
        })
        .await
        .unwrap();
    assert_eq!(s.status[0].state(), ContainerStateProto::CComplete);
    assert_eq!(s.status[0].exit_status(), -105, "stopped by the AM");
    c.shutdown().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn rm_restart_and_lost_nodes() {
    let mut o = MiniClusterOptions::with_nodes(2, 2048, 4);
    o.distinct_node_hosts = true;
    let c = MiniCluster::start(o).await.unwrap();
    let hosts: Vec<String> = c.node_ids().iter().map(|n| n.host.clone()).collect();
    assert_eq!(hosts, vec!["127.0.0.1", "127.0.0.2"]);
    let (_, token) = submit_unmanaged(&client(&c)).await;
    let am = am_client(&c, &token);
    am.register_application_master(&register_request())
        .await
        .unwrap();
    // Strictly on the second node.
    let asks = vec![
        ResourceRequestProto::new(1, "127.0.0.2", ResourceProto::new(256, 1), 1, 0),
        ResourceRequestProto::new(1, "/default-rack", ResourceProto::new(256, 1), 1, 0)
            .with_relax_locality(false),
        ResourceRequestProto::new(1, "*", ResourceProto::new(256, 1), 1, 0)
            .with_relax_locality(false),
    ];
    let r = am.allocate(&allocate_request(0, asks)).await.unwrap();
    assert_eq!(r.allocated_containers[0].node().unwrap().host, "127.0.0.2");
    let on_lost = r.allocated_containers[0].id.clone().unwrap();

    // RM down: calls fail; back up: the AM must register again.
    c.stop_rm().await.unwrap();
    let quick = AmRmClient::new(no_retry(
        c.scheduler_address().to_string(),
        APPLICATION_MASTER_PROTOCOL,
        token_auth(&token, "x"),
    ));
    let e = quick
        .allocate(&allocate_request(1, vec![]))
        .await
        .unwrap_err();
    assert!(e.is_transport(), "{e:?}");
    c.restart_rm().await.unwrap();
    // The client's connection from before the restart may still look open; a call on it fails
    // in transport, and the next one reconnects (as Hadoop's RMProxy retries such failures).
    let mut e = am.allocate(&allocate_request(1, vec![])).await.unwrap_err();
    for _ in 0..3 {
        if !e.is_transport() {
            break;
        }
        e = am.allocate(&allocate_request(1, vec![])).await.unwrap_err();
    }
    assert_eq!(remote_class(&e), APPLICATION_MASTER_NOT_REGISTERED, "{e:?}");
    am.register_application_master(&register_request())
        .await
        .unwrap();
    let r = am.allocate(&allocate_request(0, vec![])).await.unwrap();
    assert_eq!(r.response_id, Some(1));

    // Lose node 1: its container completes ABORTED, the node is LOST.
    c.lose_node(1).await.unwrap();
    let r = am.allocate(&allocate_request(1, vec![])).await.unwrap();
    assert_eq!(r.num_cluster_nodes, Some(1));
    let lost = r
        .completed_container_statuses
        .iter()
        .find(|s| s.container_id.as_ref() == Some(&on_lost))
        .expect("lost container reported");
    assert_eq!(lost.exit_status(), -100);
    assert!(lost.diagnostics().contains("lost"), "{lost:?}");
    assert!(
        r.updated_nodes
            .iter()
            .any(|n| n.node_state() == NodeStateProto::NsLost)
    );
    c.decommission_node(0).await.unwrap();
    let m = client(&c)
        .get_cluster_metrics()
        .await
        .unwrap()
        .cluster_metrics
        .unwrap();
    assert_eq!(
        (m.num_lost_nms, m.num_decommissioned_nms, m.num_active_nms),
        (Some(1), Some(1), Some(0))
    );
    let nodes = client(&c)
        .get_cluster_nodes(&GetClusterNodesRequestProto {
            node_states: vec![NodeStateProto::NsLost as i32],
        })
        .await
        .unwrap();
    assert_eq!(nodes.node_reports.len(), 1);
    c.shutdown().await;
}
