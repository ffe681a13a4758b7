//! Our ContainerManagementProtocol client (`ContainerManagerClient`) against Hadoop's real IPC
//! server with an NMToken secret manager and the harness's NM handler. Containers and tokens
//! come from the harness RM through our `AmRmClient`, as an AM gets them.

use spindle_protocol::ids::{ApplicationAttemptId, ApplicationId, ContainerId};
use spindle_protocol::proto::security::TokenProto;
use spindle_protocol::proto::yarn::{
    ContainerLaunchContextProto, ContainerProto, ContainerStateProto,
};
use spindle_protocol::proto::yarn_service::{
    GetContainerStatusesRequestProto, StartContainerRequestProto, StartContainersRequestProto,
    StopContainersRequestProto,
};
use spindle_protocol::token::Token;
use spindle_protocol::yarn::nm::ContainerManagerClient;
use spindle_tests::assert_yarn_error;
use spindle_tests::calls::{
    USER, allocate, assert_remote_message, registered_am, simple_nm_client,
};
use spindle_tests::servers::{CLUSTER_TIMESTAMP, JavaYarnServers};

/// Hadoop's servers, and one container allocated by their RM: (servers, container, its NMToken).
async fn one_container() -> (JavaYarnServers, ContainerProto, Token) {
    let s = JavaYarnServers::started().await;
    let am = registered_am(s.am_addr, &s.am_token).await;
    let r = allocate(&am, 1, 256).await;
    let c = r
        .allocated_containers
        .into_iter()
        .next()
        .expect("one container");
    let nm = r.nm_tokens.into_iter().next().expect("one NMToken");
    let nm_token = Token::from_proto(nm.token.as_ref().expect("NMToken token"));
    (s, c, nm_token)
}

/// Our NM client on Hadoop's NM server with `token`.
fn nm_client(s: &JavaYarnServers, token: &Token) -> ContainerManagerClient {
    ContainerManagerClient::with_token(s.nm_addr.to_string(), token, USER)
}

fn launch_context() -> ContainerLaunchContextProto {
    let mut clc = ContainerLaunchContextProto {
        command: vec!["sleep".into(), "30".into()],
        ..Default::default()
    };
    clc.add_env("SPINDLE_INTEROP", "1");
    clc
}

fn start_request(c: &ContainerProto, token: Option<TokenProto>) -> StartContainersRequestProto {
    StartContainersRequestProto {
        start_container_request: vec![StartContainerRequestProto {
            container_launch_context: Some(launch_context()),
            container_token: token.or_else(|| c.container_token.clone()),
        }],
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn start_status_stop() {
    let (s, c, nm_token) = one_container().await;
    let id = c.container_id().expect("container id");
    let nm = nm_client(&s, &nm_token);

    let started = nm
        .start_containers(&start_request(&c, None))
        .await
        .expect("startContainers");
    assert!(started.failed_requests.is_empty(), "{started:?}");
    let ok: Vec<ContainerId> = started
        .succeeded_requests
        .iter()
        .map(|p| ContainerId::from_proto(p).expect("id"))
        .collect();
    assert_eq!(ok, vec![id]);

    // Starting it twice is a per-container failure, not a call failure.
    let again = nm
        .start_containers(&start_request(&c, None))
        .await
        .expect("second start");
    assert!(again.succeeded_requests.is_empty());
    assert_eq!(again.failed_requests.len(), 1);
    let why = again.failed_requests[0]
        .exception
        .as_ref()
        .expect("exception");
    assert!(
        why.message
            .as_deref()
            .unwrap_or("")
            .contains("already is running"),
        "{why:?}"
    );

    let unknown = ContainerId::new(id.application_attempt_id, 999);
    let st = nm
        .get_container_statuses(&GetContainerStatusesRequestProto {
            container_id: vec![id.to_proto(), unknown.to_proto()],
        })
        .await
        .expect("getContainerStatuses");
    assert_eq!(st.status.len(), 1, "{st:?}");
    assert_eq!(st.status[0].id().expect("id"), id);
    assert_eq!(
        st.status[0].known_state(),
        Ok(ContainerStateProto::CRunning)
    );
    assert_eq!(st.failed_requests.len(), 1);
    assert_eq!(
        ContainerId::from_proto(st.failed_requests[0].container_id.as_ref().expect("id"))
            .expect("id"),
        unknown
    );

    let stopped = nm
        .stop_containers(&StopContainersRequestProto {
            container_id: vec![id.to_proto()],
        })
        .await
        .expect("stopContainers");
    assert_eq!(stopped.succeeded_requests.len(), 1, "{stopped:?}");
    let st = nm
        .get_container_statuses(&GetContainerStatusesRequestProto {
            container_id: vec![id.to_proto()],
        })
        .await
        .expect("getContainerStatuses after stop");
    assert_eq!(
        st.status[0].known_state(),
        Ok(ContainerStateProto::CComplete)
    );
    assert_eq!(st.status[0].exit_status, Some(-105));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn bad_tokens_are_refused() {
    let (s, c, nm_token) = one_container().await;

    // A wrong NMToken password fails SASL.
    let mut wrong = nm_token.clone();
    wrong.password[3] ^= 0x01;
    let nm = nm_client(&s, &wrong);
    assert_yarn_error!(
        nm.start_containers(&start_request(&c, None)).await,
        Authentication
    );

    // No NMToken at all: the handler refuses the call.
    let err = simple_nm_client(s.nm_addr, USER)
        .start_containers(&start_request(&c, None))
        .await
        .expect_err("no NMToken");
    assert_remote_message(&err, "Invalid NMToken");

    // A tampered container token is refused with InvalidToken.
    let nm = nm_client(&s, &nm_token);
    let mut ct = c.container_token.clone().expect("container token");
    ct.password[0] ^= 0xff;
    assert_yarn_error!(
        nm.start_containers(&start_request(&c, Some(ct))).await,
        InvalidToken
    );

    // The harness's pre-issued NMToken (app 1) cannot touch another application's containers.
    let other = ContainerId::new(
        ApplicationAttemptId::new(ApplicationId::new(CLUSTER_TIMESTAMP, 2), 1),
        2,
    );
    let nm = nm_client(&s, &s.nm_token);
    let st = nm
        .get_container_statuses(&GetContainerStatusesRequestProto {
            container_id: vec![other.to_proto()],
        })
        .await
        .expect("getContainerStatuses");
    assert!(st.status.is_empty());
    let why = st.failed_requests[0].exception.as_ref().expect("exception");
    assert!(
        why.message
            .as_deref()
            .unwrap_or("")
            .contains("Unauthorized"),
        "{why:?}"
    );
}
