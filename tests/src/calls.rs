//! Our clients as an AM uses them, for the tests that drive a server with them: the requests an
//! AM sends, registration, one-shot allocation, and clients that authenticate with SIMPLE only
//! (no token), which a real RM and NM must refuse per call.

use std::net::SocketAddr;

use spindle_protocol::ipc::{ClientAuth, ClientConfig};
use spindle_protocol::proto::yarn::{ResourceProto, ResourceRequestProto};
use spindle_protocol::proto::yarn_service::{
    AllocateRequestProto, AllocateResponseProto, RegisterApplicationMasterRequestProto,
};
use spindle_protocol::token::Token;
use spindle_protocol::yarn::am::AmRmClient;
use spindle_protocol::yarn::nm::ContainerManagerClient;
use spindle_protocol::yarn::records::ANY_RESOURCE_NAME;
use spindle_protocol::yarn::{APPLICATION_MASTER_PROTOCOL, CONTAINER_MANAGEMENT_PROTOCOL};

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

/// The first heartbeat of a registered AM, asking for `count` containers of `memory_mb` MB and
/// one vcore anywhere (priority 1). Panics when the call fails.
pub async fn allocate(am: &AmRmClient, count: i32, memory_mb: i64) -> AllocateResponseProto {
    let ask = ResourceRequestProto::new(
        1,
        ANY_RESOURCE_NAME,
        ResourceProto::new(memory_mb, 1),
        count,
        0,
    );
    am.allocate(&AllocateRequestProto {
        ask: vec![ask],
        ..heartbeat(0)
    })
    .await
    .expect("allocate")
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
