//! Our ApplicationMasterProtocol client (`AmRmClient`) against Hadoop's real IPC server with an
//! AMRMToken secret manager (SASL TOKEN / DIGEST-MD5) and the harness's RM handler.

use spindle_protocol::credentials::Credentials;
use spindle_protocol::ids::{ApplicationAttemptId, ApplicationId, ContainerId, NodeId};
use spindle_protocol::proto::yarn::{ContainerStateProto, FinalApplicationStatusProto};
use spindle_protocol::proto::yarn_service::{
    AllocateRequestProto, FinishApplicationMasterRequestProto,
};
use spindle_protocol::token::Token;
use spindle_protocol::yarn::am::AmRmClient;
use spindle_tests::assert_yarn_error;
use spindle_tests::calls::{USER, any_ask, asking, heartbeat, register_request, simple_am_client};
use spindle_tests::servers::{
    AMRM_KEY, CLUSTER_TIMESTAMP, CONTAINER_KEY, JavaYarnServers, NMTOKEN_KEY,
};

fn attempt1() -> ApplicationAttemptId {
    ApplicationAttemptId::new(ApplicationId::new(CLUSTER_TIMESTAMP, 1), 1)
}

/// Our AM client on Hadoop's AM server with `token`.
fn am_client(s: &JavaYarnServers, token: &Token) -> AmRmClient {
    AmRmClient::with_token(s.am_addr.to_string(), token, USER)
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn register_allocate_release_finish() {
    let s = JavaYarnServers::started().await;
    let am = am_client(&s, &s.am_token);

    // Like a real RM: no allocate before register.
    assert_yarn_error!(am.allocate(&heartbeat(0)).await, NotRegistered);

    let reg = am
        .register_application_master(&register_request())
        .await
        .expect("register");
    let max = reg.maximum_capability.expect("maximum capability");
    assert_eq!((max.memory, max.virtual_cores), (Some(8192), Some(4)));
    assert_eq!(reg.queue.as_deref(), Some("default"));

    // Like a real RM: one registration per attempt.
    assert_yarn_error!(
        am.register_application_master(&register_request()).await,
        InvalidApplicationMasterRequest,
        "already registered"
    );

    // An ask above the maximum is refused.
    assert_yarn_error!(
        am.allocate(&asking(0, vec![any_ask(100_000, 1, 0)])).await,
        InvalidResourceRequest
    );

    // Ask for two containers: both come at once, with container tokens and one NMToken.
    let r1 = am
        .allocate(&asking(0, vec![any_ask(256, 2, 7)]))
        .await
        .expect("allocate with ask");
    assert_eq!(r1.response_id, Some(1));
    assert_eq!(r1.num_cluster_nodes, Some(1));
    assert_eq!(r1.allocated_containers.len(), 2, "{r1:?}");
    let node = NodeId::new("127.0.0.1", i32::from(s.nm_addr.port()));
    let mut ids = Vec::new();
    for c in &r1.allocated_containers {
        let id = c.container_id().expect("container id");
        assert_eq!(id.application_attempt_id, attempt1());
        assert_eq!(c.node().expect("node"), node);
        assert_eq!(c.allocation_request_id, Some(7));
        let res = c.resource.as_ref().expect("resource");
        assert_eq!((res.memory, res.virtual_cores), (Some(256), Some(1)));
        let token = Token::from_proto(c.container_token.as_ref().expect("container token"));
        assert_eq!(token.kind, "ContainerToken");
        assert!(
            token.verify(CONTAINER_KEY),
            "container token password is not HMAC-SHA1 of the container key"
        );
        let ident = token
            .container_identifier()
            .expect("container token identifier");
        assert_eq!(ident.container_id, id);
        assert_eq!(ident.nm_host_addr(), s.nm_addr.to_string());
        ids.push(id);
    }
    assert_ne!(ids[0], ids[1]);
    assert_eq!(r1.nm_tokens.len(), 1, "one NMToken for the one node");
    let nm = &r1.nm_tokens[0];
    assert_eq!(
        NodeId::from_proto(nm.node_id.as_ref().expect("NMToken node")).expect("node id"),
        node
    );
    let nm_token = Token::from_proto(nm.token.as_ref().expect("NMToken token"));
    assert_eq!(nm_token.kind, "NMToken");
    assert_eq!(nm_token.service, s.nm_addr.to_string());
    assert!(nm_token.verify(NMTOKEN_KEY));
    let nm_ident = nm_token.nm_identifier().expect("NMToken identifier");
    assert_eq!(nm_ident.attempt_id, attempt1());
    assert_eq!(nm_ident.node_id, node);

    // Release one: the next heartbeat reports it complete (ABORTED), with no new NMToken.
    let r2 = am
        .allocate(&AllocateRequestProto {
            release: vec![ids[1].to_proto()],
            ..heartbeat(1)
        })
        .await
        .expect("heartbeat with release");
    assert_eq!(r2.response_id, Some(2));
    assert!(
        r2.allocated_containers.is_empty() && r2.nm_tokens.is_empty(),
        "{r2:?}"
    );
    let r3 = am.allocate(&heartbeat(2)).await.expect("heartbeat");
    let done: Vec<(ContainerId, i32, Option<i32>)> = r2
        .completed_container_statuses
        .iter()
        .chain(&r3.completed_container_statuses)
        .map(|st| {
            (
                st.id().expect("status id"),
                st.state.unwrap_or(0),
                st.exit_status,
            )
        })
        .collect();
    assert_eq!(
        done,
        vec![(ids[1], ContainerStateProto::CComplete as i32, Some(-100))]
    );

    // Response ids: a stale one is refused; re-sending the previous one repeats the last answer.
    assert_yarn_error!(
        am.allocate(&heartbeat(1)).await,
        InvalidApplicationMasterRequest,
        "expect responseId to be 3"
    );
    let again = am.allocate(&heartbeat(2)).await.expect("resent heartbeat");
    assert_eq!(again.response_id, Some(3));

    let fin = am
        .finish_application_master(&FinishApplicationMasterRequestProto {
            diagnostics: Some("interop done".into()),
            tracking_url: Some(String::new()),
            final_application_status: Some(FinalApplicationStatusProto::AppSucceeded as i32),
        })
        .await
        .expect("finish");
    assert_eq!(fin.is_unregistered, Some(true));
    // allocate after finish
    assert_yarn_error!(am.allocate(&heartbeat(3)).await, AttemptNotFound);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn wrong_token_password_fails_with_an_auth_error() {
    let s = JavaYarnServers::started().await;
    let mut token = s.am_token.clone();
    token.password[0] ^= 0x5a;
    let am = am_client(&s, &token);
    let err = assert_yarn_error!(
        am.register_application_master(&register_request()).await,
        Authentication
    );
    let text = err.to_string();
    // e.g. "authentication failed: server fatal: javax.security.sasl.SaslException: DIGEST-MD5:
    // digest response format violation. Mismatched response. (FatalUnauthorized)"
    assert!(
        text.contains("authentication failed") && text.contains("SaslException"),
        "unclear error: {text}"
    );

    // The right token still works afterwards (the server is fine, only that connection failed).
    let good = am_client(&s, &s.am_token);
    good.register_application_master(&register_request())
        .await
        .expect("register with the right token");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn simple_auth_is_refused_per_call_like_a_real_rm() {
    let s = JavaYarnServers::started().await;
    assert_yarn_error!(
        simple_am_client(s.am_addr, "intruder")
            .register_application_master(&register_request())
            .await,
        AccessDenied,
        "No AMRMToken found for user intruder"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn we_read_the_token_file_hadoop_writes() {
    let s = JavaYarnServers::started().await;
    let creds = Credentials::read_file(&s.token_file).expect("read Hadoop's HDTS file");
    let am = creds
        .token_by_kind("YARN_AM_RM_TOKEN")
        .expect("AMRMToken in the file");
    assert_eq!(*am, s.am_token);
    assert!(am.verify(AMRM_KEY));
    assert_eq!(
        am.amrm_identifier().expect("AMRM identifier").attempt_id,
        attempt1()
    );
    let nm = creds.token_by_kind("NMToken").expect("NMToken in the file");
    assert_eq!(*nm, s.nm_token);
    // Our writer reproduces Hadoop's bytes for the same tokens (HDTS format 0).
    let java_bytes = std::fs::read(&s.token_file).expect("read token file");
    assert_eq!(creds.to_bytes(), java_bytes);
}
