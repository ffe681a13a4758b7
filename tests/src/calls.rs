//! Our clients as an AM and a submitting client use them, for the tests that drive a server with
//! them: the requests an AM sends, registration, one-shot allocation, new unmanaged applications,
//! and clients that authenticate with SIMPLE only (no token), which a real RM and NM must refuse
//! per call.

use std::net::SocketAddr;

use spindle_protocol::ids::ApplicationId;
use spindle_protocol::ipc::{ClientAuth, ClientConfig};
use spindle_protocol::proto::yarn::{
    ApplicationReportProto, ApplicationSubmissionContextProto, ResourceProto, ResourceRequestProto,
};
use spindle_protocol::proto::yarn_service::{
    AllocateRequestProto, AllocateResponseProto, GetApplicationReportRequestProto,
    RegisterApplicationMasterRequestProto, SubmitApplicationRequestProto,
};
use spindle_protocol::token::Token;
use spindle_protocol::yarn::am::AmRmClient;
use spindle_protocol::yarn::client::ApplicationClient;
use spindle_protocol::yarn::nm::ContainerManagerClient;
use spindle_protocol::yarn::records::ANY_RESOURCE_NAME;
use spindle_protocol::yarn::{
    APPLICATION_MASTER_PROTOCOL, CONTAINER_MANAGEMENT_PROTOCOL, YarnError,
};

use crate::error::{HarnessError, Result};

/// The user our clients call as.
pub const USER: &str = "spindle";
/// The AM's RPC port in [`register_request`] (reported back in application reports).
pub const AM_RPC_PORT: i32 = 4242;
/// The AM's tracking URL in [`register_request`].
pub const AM_TRACKING_URL: &str = "http://127.0.0.1:4243";

/// An AM's registration: host 127.0.0.1, [`AM_RPC_PORT`], [`AM_TRACKING_URL`].
pub fn register_request() -> RegisterApplicationMasterRequestProto {
    RegisterApplicationMasterRequestProto {
        host: Some("127.0.0.1".into()),
        rpc_port: Some(AM_RPC_PORT),
        tracking_url: Some(AM_TRACKING_URL.into()),
        ..Default::default()
    }
}

/// A heartbeat with no asks and no releases.
pub fn heartbeat(response_id: i32) -> AllocateRequestProto {
    AllocateRequestProto {
        response_id: Some(response_id),
        progress: Some(0.5),
        ..Default::default()
    }
}

/// An AM client on `addr` with `token`, registered. Panics when registration fails.
pub async fn registered_am(addr: SocketAddr, token: &Token) -> AmRmClient {
    let am = AmRmClient::with_token(addr.to_string(), token, USER);
    am.register_application_master(&register_request())
        .await
        .expect("register the AM");
    am
}

/// An ask for `count` containers of `memory_mb` MB and one vcore anywhere, at priority 1.
pub fn any_ask(memory_mb: i64, count: i32, allocation_request_id: i64) -> ResourceRequestProto {
    let capability = ResourceProto::new(memory_mb, 1);
    ResourceRequestProto::new(
        1,
        ANY_RESOURCE_NAME,
        capability,
        count,
        allocation_request_id,
    )
}

/// A heartbeat carrying `asks`.
pub fn asking(response_id: i32, asks: Vec<ResourceRequestProto>) -> AllocateRequestProto {
    AllocateRequestProto {
        ask: asks,
        ..heartbeat(response_id)
    }
}

/// The first heartbeat of a registered AM, asking for `count` containers of `memory_mb` MB
/// (see [`any_ask`]). Panics when the call fails.
pub async fn allocate(am: &AmRmClient, count: i32, memory_mb: i64) -> AllocateResponseProto {
    am.allocate(&asking(0, vec![any_ask(memory_mb, count, 0)]))
        .await
        .expect("allocate")
}

/// A new application id from the RM behind `client`.
pub async fn new_application_id(client: &ApplicationClient) -> Result<ApplicationId> {
    let new = client.get_new_application().await?;
    let id = new
        .application_id
        .as_ref()
        .ok_or_else(|| HarnessError::Protocol("getNewApplication gave no id".into()))?;
    ApplicationId::from_proto(id).map_err(|e| HarnessError::Protocol(e.to_string()))
}

/// The report of application `id` from the RM behind `client`.
pub async fn application_report(
    client: &ApplicationClient,
    id: ApplicationId,
) -> Result<ApplicationReportProto> {
    client
        .get_application_report(&GetApplicationReportRequestProto {
            application_id: Some(id.to_proto()),
        })
        .await?
        .application_report
        .ok_or_else(|| HarnessError::Protocol(format!("no report for {id}")))
}

/// A new unmanaged-AM application named `name` (the RM launches no AM container; the caller is
/// its AM).
pub async fn submit_unmanaged(client: &ApplicationClient, name: &str) -> Result<ApplicationId> {
    let id = new_application_id(client).await?;
    let context = ApplicationSubmissionContextProto {
        application_id: Some(id.to_proto()),
        application_name: Some(name.into()),
        unmanaged_am: Some(true),
        ..Default::default()
    };
    client
        .submit_application(&SubmitApplicationRequestProto {
            application_submission_context: Some(context),
        })
        .await?;
    Ok(id)
}

fn simple(addr: SocketAddr, protocol: &str, user: &str) -> ClientConfig {
    ClientConfig::new(
        addr.to_string(),
        protocol,
        ClientAuth::Simple { user: user.into() },
    )
}

/// An AM client that presents no AMRMToken, only a SIMPLE user.
pub fn simple_am_client(addr: SocketAddr, user: &str) -> AmRmClient {
    AmRmClient::new(simple(addr, APPLICATION_MASTER_PROTOCOL, user))
}

/// An NM client that presents no NMToken, only a SIMPLE user.
pub fn simple_nm_client(addr: SocketAddr, user: &str) -> ContainerManagerClient {
    ContainerManagerClient::new(simple(addr, CONTAINER_MANAGEMENT_PROTOCOL, user))
}

/// Panics unless `err` came from the server with a message containing `text`.
pub fn assert_remote_message(err: &YarnError, text: &str) {
    assert!(
        err.remote().is_some_and(|r| r.message.contains(text)),
        "expected a remote error saying `{text}`, got {err:?}"
    );
}

/// Asserts that a call's result is the `YarnError` variant named (e.g. `AccessDenied`) and, when
/// a text is given, that the server's message contains it; evaluates to the error.
#[macro_export]
macro_rules! assert_yarn_error {
    ($result:expr, $variant:ident $(, $text:expr)?) => {{
        let err = $result.expect_err(concat!("the call fails with ", stringify!($variant)));
        assert!(
            matches!(err, ::spindle_protocol::yarn::YarnError::$variant(_)),
            "expected {}, got {err:?}",
            stringify!($variant)
        );
        $($crate::calls::assert_remote_message(&err, $text);)?
        err
    }};
}
