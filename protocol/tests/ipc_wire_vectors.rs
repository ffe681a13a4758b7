//! Byte-for-byte checks of our frame encoders and decoders against the frames captured
//! between real Hadoop 3.5 clients and servers (`data/hadoop_frames.txt`; docs/wire.md
//! describes the frames).

use bytes::{Bytes, BytesMut};
use prost::Message;
use spindle_protocol::ipc::frame::{FrameCodec, FrameParts};
use spindle_protocol::ipc::{RemoteError, header};
use spindle_protocol::proto::rpc::{
    IpcConnectionContextProto, RequestHeaderProto, RpcRequestHeaderProto, RpcResponseHeaderProto,
    RpcSaslProto, RpcStatusProto, SaslAuth, SaslState, UserInformationProto,
};
use spindle_protocol::sasl::digest_md5::{DigestClient, DigestServer};
use spindle_protocol::sasl::server::{simple_auth, token_auth};
use spindle_protocol::sasl::{ClientStep, SaslClient, TokenCredentials};
use tokio_util::codec::{Decoder, Encoder};

const ACP: &str = "org.apache.hadoop.yarn.api.ApplicationClientProtocolPB";
const AMP: &str = "org.apache.hadoop.yarn.api.ApplicationMasterProtocolPB";
const SIMPLE_CLIENT_ID: &str = "8752a66d6fe94ff9848aced3c34af76a";
const TOKEN_CLIENT_ID: &str = "b2d7cdc79f4d4886b774a58429565b6c";
const IDENTIFIER: &str = "0a0d0a0908011080d095ffbc3110011001";
const PASSWORD: &str = "50fee28159547a92ad2eca2baf88edf1f6a7cf69";
const NONCE: &str = "0M2OdIjLS7oj5yjl2MhvyMMnen4Fwfsm8VWUi2n3";
const CNONCE: &str = "rcQI5r4s/v3Wul7YiEy0m5bIEjwNYZmzxwq7R8dw";

/// An empty request message (e.g. GetClusterMetricsRequestProto).
#[derive(Clone, PartialEq, prost::Message)]
struct Empty {}

/// The fields of RegisterApplicationMasterRequestProto the capture uses.
#[derive(Clone, PartialEq, prost::Message)]
struct RegisterRequest {
    #[prost(string, optional, tag = "1")]
    host: Option<String>,
    #[prost(int32, optional, tag = "2")]
    rpc_port: Option<i32>,
    #[prost(string, optional, tag = "3")]
    tracking_url: Option<String>,
}

/// The captured frame `name` (hex), from `data/hadoop_frames.txt`.
fn frame(name: &str) -> &'static str {
    include_str!("data/hadoop_frames.txt")
        .lines()
        .filter(|l| !l.starts_with('#'))
        .find_map(|l| {
            let fields: Vec<&'static str> = l.split_whitespace().collect();
            (fields.first() == Some(&name)).then(|| fields[fields.len() - 1])
        })
        .unwrap_or_else(|| panic!("no captured frame {name}"))
}

/// A SASL message without a version.
fn sasl(state: SaslState, token: Option<Vec<u8>>, auths: Vec<SaslAuth>) -> RpcSaslProto {
    RpcSaslProto {
        version: None,
        state: state as i32,
        token,
        auths,
    }
}

fn unhex(s: &str) -> Vec<u8> {
    hex::decode(s).unwrap()
}

/// Adds the 4-byte length with our codec.
fn framed(body: Bytes) -> Vec<u8> {
    let mut out = BytesMut::new();
    FrameCodec::default().encode(body, &mut out).unwrap();
    out.to_vec()
}

/// Decodes exactly one frame with our codec.
fn body_of(frame_hex: &str) -> FrameParts {
    let mut buf = BytesMut::from(&unhex(frame_hex)[..]);
    let body = FrameCodec::default().decode_eof(&mut buf).unwrap().unwrap();
    assert!(buf.is_empty(), "exactly one frame");
    FrameParts::new(body)
}

#[test]
fn simple_context_frame() {
    let ctx = IpcConnectionContextProto {
        user_info: Some(UserInformationProto {
            effective_user: Some("root".into()),
            real_user: None,
        }),
        protocol: Some(ACP.into()),
    };
    let ours = framed(header::context_request(&unhex(SIMPLE_CLIENT_ID), &ctx));
    assert_eq!(hex::encode(ours), frame("SIMPLE_CONTEXT"));
    let mut parts = body_of(frame("SIMPLE_CONTEXT"));
    let h: RpcRequestHeaderProto = parts.expect("header").unwrap();
    assert_eq!((h.call_id, h.retry_count), (-3, Some(-1)));
    assert_eq!(
        parts.expect::<IpcConnectionContextProto>("ctx").unwrap(),
        ctx
    );
    assert!(parts.is_empty());
}

#[test]
fn simple_call_frame_with_empty_request() {
    let ours = header::call_request(
        0,
        &unhex(SIMPLE_CLIENT_ID),
        0,
        "getClusterMetrics",
        ACP,
        1,
        &Empty {},
    );
    assert_eq!(
        hex::encode(framed(ours)),
        frame("SIMPLE_GET_CLUSTER_METRICS")
    );
    let mut parts = body_of(frame("SIMPLE_GET_CLUSTER_METRICS"));
    let h: RpcRequestHeaderProto = parts.expect("header").unwrap();
    assert_eq!(
        (h.call_id, h.retry_count, h.client_id.len()),
        (0, Some(0), 16)
    );
    let rh: RequestHeaderProto = parts.expect("request header").unwrap();
    assert_eq!(rh.method_name, "getClusterMetrics");
    assert_eq!(parts.expect_raw("request").unwrap().len(), 0);
}

#[test]
fn preambles() {
    assert_eq!(
        header::preamble(header::AUTH_PROTOCOL_NONE),
        *b"hrpc\x09\x00\x00"
    );
    assert_eq!(
        header::preamble(header::AUTH_PROTOCOL_SASL),
        *b"hrpc\x09\x00\xdf"
    );
}

#[test]
fn sasl_negotiate_request() {
    let mut client = SaslClient::new(None);
    let ours = framed(header::sasl_request(&client.negotiate()));
    assert_eq!(hex::encode(&ours), frame("SASL_NEGOTIATE_REQUEST"));
    // The SASL request header: rpcKind 2, rpcOp 0, callId zigzag(−33), empty clientId,
    // retryCount zigzag(−1) (docs/wire.md §3).
    assert_eq!(
        &ours[5..15],
        &[0x08, 0x02, 0x10, 0x00, 0x18, 0x41, 0x22, 0x00, 0x28, 0x01]
    );
}

#[test]
fn sasl_negotiate_reply_encodes_and_drives_our_client() {
    let mut token = token_auth();
    token.challenge = Some(DigestServer::with_nonce(NONCE).challenge());
    let msg = sasl(SaslState::Negotiate, None, vec![token, simple_auth()]);
    let ours = framed(header::sasl_response(&msg));
    assert_eq!(hex::encode(&ours), frame("SASL_NEGOTIATE_REPLY"));
    // Response header callId −33 as a 5-byte uint32 varint.
    assert_eq!(&ours[5..11], &[0x08, 0xdf, 0xff, 0xff, 0xff, 0x0f]);

    let mut parts = body_of(frame("SASL_NEGOTIATE_REPLY"));
    let h: RpcResponseHeaderProto = parts.expect("header").unwrap();
    assert_eq!(h.call_id as i32, -33);
    assert_eq!(h.status, RpcStatusProto::Success as i32);
    let reply: RpcSaslProto = parts.expect("sasl").unwrap();
    let mut client = SaslClient::new(Some(TokenCredentials {
        identifier: unhex(IDENTIFIER),
        password: unhex(PASSWORD),
    }));
    client.negotiate();
    let ClientStep::Send(init) = client.step(&reply).unwrap() else {
        panic!("expected INITIATE")
    };
    assert_eq!(init.state, SaslState::Initiate as i32);
    assert_eq!(init.auths, vec![token_auth()]);
}

#[test]
fn sasl_initiate_frame() {
    let mut digest = DigestClient::new(&unhex(IDENTIFIER), &unhex(PASSWORD));
    let challenge = DigestServer::with_nonce(NONCE).challenge();
    let token = digest.respond_with_cnonce(&challenge, CNONCE).unwrap();
    let msg = sasl(SaslState::Initiate, Some(token), vec![token_auth()]);
    assert_eq!(
        hex::encode(framed(header::sasl_request(&msg))),
        frame("SASL_INITIATE")
    );
}

#[test]
fn sasl_success_frame() {
    let rspauth = b"rspauth=697aafa05ced6b83e9ceaa7d9b8fea9a".to_vec();
    let msg = sasl(SaslState::Success, Some(rspauth), vec![]);
    assert_eq!(
        hex::encode(framed(header::sasl_response(&msg))),
        frame("SASL_SUCCESS")
    );
}

#[test]
fn token_context_has_empty_user_info() {
    let ctx = IpcConnectionContextProto {
        user_info: Some(UserInformationProto::default()),
        protocol: Some(AMP.into()),
    };
    let ours = framed(header::context_request(&unhex(TOKEN_CLIENT_ID), &ctx));
    assert_eq!(hex::encode(&ours), frame("TOKEN_CONTEXT"));
    assert_eq!(&ours[0x20..0x22], &[0x12, 0x00]);
}

#[test]
fn register_call_frame() {
    let req = RegisterRequest {
        host: Some("127.0.0.1".into()),
        rpc_port: Some(0),
        tracking_url: Some(String::new()),
    };
    let ours = header::call_request(
        0,
        &unhex(TOKEN_CLIENT_ID),
        0,
        "registerApplicationMaster",
        AMP,
        1,
        &req,
    );
    assert_eq!(hex::encode(framed(ours)), frame("REGISTER_CALL"));
}

#[test]
fn register_reply_decodes_and_reencodes() {
    let mut parts = body_of(frame("REGISTER_REPLY"));
    let h: RpcResponseHeaderProto = parts.expect("header").unwrap();
    assert_eq!(h.call_id, 0);
    assert_eq!(h.status, RpcStatusProto::Success as i32);
    assert_eq!(h.server_ipc_version_num, Some(9));
    assert_eq!(h.client_id, Some(unhex(TOKEN_CLIENT_ID)));
    assert_eq!(h.retry_count, Some(0));
    let payload = parts.expect_raw("response").unwrap();
    assert_eq!(payload.len(), 56);
    assert!(parts.is_empty());
    let ours = header::success_response(0, &unhex(TOKEN_CLIENT_ID), 0, &payload);
    assert_eq!(hex::encode(framed(ours)), frame("REGISTER_REPLY"));
}

#[test]
fn sasl_fatal_reply() {
    let mut parts = body_of(frame("SASL_FATAL_WRONG_PASSWORD"));
    let h: RpcResponseHeaderProto = parts.expect("header").unwrap();
    assert!(parts.is_empty(), "FATAL replies are header-only");
    assert_eq!(h.call_id as i32, -33);
    let remote = RemoteError::from_header(&h);
    assert!(remote.fatal);
    assert_eq!(remote.class_name, "javax.security.sasl.SaslException");
    assert!(remote.is("SaslException"));
    assert_eq!(remote.code, Some(15));
    let ours = header::error_response(-33, true, &[], -1, &remote.class_name, &remote.message, 15);
    assert_eq!(
        hex::encode(framed(ours)),
        frame("SASL_FATAL_WRONG_PASSWORD")
    );
    // Header-level: the encoded header round-trips through prost unchanged.
    assert_eq!(
        RpcResponseHeaderProto::decode(&h.encode_to_vec()[..]).unwrap(),
        h
    );
}
