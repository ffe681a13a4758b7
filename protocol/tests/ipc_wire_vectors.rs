//! Byte-for-byte checks of our frame encoders and decoders against the frames captured
//! between real Hadoop 3.5 clients and servers (`shared/WIRE-CAPTURE.md` §2–§4).

use bytes::{Bytes, BytesMut};
use prost::Message;
use spindle_protocol::ipc::frame::{FrameCodec, FrameParts};
use spindle_protocol::ipc::{RemoteError, header};
use spindle_protocol::proto::rpc::{
    IpcConnectionContextProto, RequestHeaderProto, RpcRequestHeaderProto, RpcResponseHeaderProto,
    RpcSaslProto, RpcStatusProto, SaslState, UserInformationProto,
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

/// [0.024s] C>S frame: 4-byte length=92 (0x0000005c)
const SIMPLE_CONTEXT: &str = concat!(
    "0000005c1a08021000180522108752a66d6fe94ff9848aced3c34af76a28014012060a04726f6f741a366f72672e6170",
    "616368652e6861646f6f702e7961726e2e6170692e4170706c69636174696f6e436c69656e7450726f746f636f6c5042",
);
/// [0.024s] C>S frame: 4-byte length=106 (0x0000006a)
const SIMPLE_GET_CLUSTER_METRICS: &str = concat!(
    "0000006a1a08021000180022108752a66d6fe94ff9848aced3c34af76a28004d0a11676574436c75737465724d657472",
    "69637312366f72672e6170616368652e6861646f6f702e7961726e2e6170692e4170706c69636174696f6e436c69656e",
    "7450726f746f636f6c5042180100",
);
/// [0.034s] C>S frame: 4-byte length=14 (0x0000000e)
const SASL_NEGOTIATE_REQUEST: &str = "0000000e0a08021000184122002801021001";
/// [0.039s] S>C frame: 4-byte length=174 (0x000000ae)
const SASL_NEGOTIATE_REPLY: &str = concat!(
    "000000ae0e08dfffffff0f100018093a0040019d011001228c010a05544f4b454e120a4449474553542d4d44351a0022",
    "0764656661756c742a6c7265616c6d3d2264656661756c74222c6e6f6e63653d22304d324f64496a4c53376f6a35796a",
    "6c324d6876794d4d6e656e34467766736d3856575569326e33222c716f703d2261757468222c636861727365743d7574",
    "662d382c616c676f726974686d3d6d64352d73657373220a0a0653494d504c451200",
);
/// [0.064s] C>S frame: 4-byte length=312 (0x00000138)
const SASL_INITIATE: &str = concat!(
    "000001380a08021000184122002801ab0210021a8602636861727365743d7574662d382c757365726e616d653d224367",
    "304b43516742454944516c662b384d5241424541453d222c7265616c6d3d2264656661756c74222c6e6f6e63653d2230",
    "4d324f64496a4c53376f6a35796a6c324d6876794d4d6e656e34467766736d3856575569326e33222c6e633d30303030",
    "303030312c636e6f6e63653d2272635149357234732f763357756c3759694579306d356249456a774e595a6d7a787771",
    "3752386477222c6469676573742d7572693d222f64656661756c74222c6d61786275663d36353533362c726573706f6e",
    "73653d30343432636361626633306430636165646131316365666666393630376134622c716f703d61757468221e0a05",
    "544f4b454e120a4449474553542d4d44351a00220764656661756c74",
);
/// [0.079s] S>C frame: 4-byte length=60 (0x0000003c)
const SASL_SUCCESS: &str = concat!(
    "0000003c0e08dfffffff0f100018093a0040012c10001a28727370617574683d36393761616661303563656436623833",
    "65396365616137643962386665613961",
);
/// [0.088s] C>S frame: 4-byte length=86 (0x00000056)
const TOKEN_CONTEXT: &str = concat!(
    "000000561a0802100018052210b2d7cdc79f4d4886b774a58429565b6c28013a12001a366f72672e6170616368652e68",
    "61646f6f702e7961726e2e6170692e4170706c69636174696f6e4d617374657250726f746f636f6c5042",
);
/// [0.088s] C>S frame: 4-byte length=129 (0x00000081)
const REGISTER_CALL: &str = concat!(
    "000000811a0802100018002210b2d7cdc79f4d4886b774a58429565b6c2800550a1972656769737465724170706c6963",
    "6174696f6e4d617374657212366f72672e6170616368652e6861646f6f702e7961726e2e6170692e4170706c69636174",
    "696f6e4d617374657250726f746f636f6c504218010f0a093132372e302e302e3110001a00",
);
/// [0.120s] S>C frame: 4-byte length=84 (0x00000054)
const REGISTER_REPLY: &str = concat!(
    "000000541a0800100018093a10b2d7cdc79f4d4886b774a58429565b6c4000380a2b08804010041a140a096d656d6f72",
    "792d6d621080401a024d6920001a0e0a0676636f72657310041a0020002a0764656661756c743800",
);
/// [0.029s] S>C frame: 4-byte length=120 (0x00000078)
const SASL_FATAL_WRONG_PASSWORD: &str = concat!(
    "000000787708dfffffff0f1002180922216a617661782e73656375726974792e7361736c2e5361736c45786365707469",
    "6f6e2a424449474553542d4d44353a2064696765737420726573706f6e736520666f726d61742076696f6c6174696f6e",
    "2e204d69736d61746368656420726573706f6e73652e300f3a004001",
);

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
    assert_eq!(hex::encode(ours), SIMPLE_CONTEXT);
    let mut parts = body_of(SIMPLE_CONTEXT);
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
    assert_eq!(hex::encode(framed(ours)), SIMPLE_GET_CLUSTER_METRICS);
    let mut parts = body_of(SIMPLE_GET_CLUSTER_METRICS);
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
    assert_eq!(hex::encode(&ours), SASL_NEGOTIATE_REQUEST);
    // The SASL header bytes from PROTOCOL.md §1.7.
    assert_eq!(
        &ours[5..15],
        &[0x08, 0x02, 0x10, 0x00, 0x18, 0x41, 0x22, 0x00, 0x28, 0x01]
    );
}

#[test]
fn sasl_negotiate_reply_encodes_and_drives_our_client() {
    let mut token = token_auth();
    token.challenge = Some(DigestServer::with_nonce(NONCE).challenge());
    let msg = RpcSaslProto {
        version: None,
        state: SaslState::Negotiate as i32,
        token: None,
        auths: vec![token, simple_auth()],
    };
    let ours = framed(header::sasl_response(&msg));
    assert_eq!(hex::encode(&ours), SASL_NEGOTIATE_REPLY);
    // Response header callId −33 as a 5-byte uint32 varint.
    assert_eq!(&ours[5..11], &[0x08, 0xdf, 0xff, 0xff, 0xff, 0x0f]);

    let mut parts = body_of(SASL_NEGOTIATE_REPLY);
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
    let msg = RpcSaslProto {
        version: None,
        state: SaslState::Initiate as i32,
        token: Some(token),
        auths: vec![token_auth()],
    };
    assert_eq!(
        hex::encode(framed(header::sasl_request(&msg))),
        SASL_INITIATE
    );
}

#[test]
fn sasl_success_frame() {
    let msg = RpcSaslProto {
        version: None,
        state: SaslState::Success as i32,
        token: Some(b"rspauth=697aafa05ced6b83e9ceaa7d9b8fea9a".to_vec()),
        auths: vec![],
    };
    assert_eq!(
        hex::encode(framed(header::sasl_response(&msg))),
        SASL_SUCCESS
    );
}

#[test]
fn token_context_has_empty_user_info() {
    let ctx = IpcConnectionContextProto {
        user_info: Some(UserInformationProto::default()),
        protocol: Some(AMP.into()),
    };
    let ours = framed(header::context_request(&unhex(TOKEN_CLIENT_ID), &ctx));
    assert_eq!(hex::encode(&ours), TOKEN_CONTEXT);
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
    assert_eq!(hex::encode(framed(ours)), REGISTER_CALL);
}

#[test]
fn register_reply_decodes_and_reencodes() {
    let mut parts = body_of(REGISTER_REPLY);
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
    assert_eq!(hex::encode(framed(ours)), REGISTER_REPLY);
}

#[test]
fn sasl_fatal_reply() {
    let mut parts = body_of(SASL_FATAL_WRONG_PASSWORD);
    let h: RpcResponseHeaderProto = parts.expect("header").unwrap();
    assert!(parts.is_empty(), "FATAL replies are header-only");
    assert_eq!(h.call_id as i32, -33);
    let remote = RemoteError::from_header(&h);
    assert!(remote.fatal);
    assert_eq!(remote.class_name, "javax.security.sasl.SaslException");
    assert!(remote.is("SaslException"));
    assert_eq!(remote.code, Some(15));
    let ours = header::error_response(-33, true, &[], -1, &remote.class_name, &remote.message, 15);
    assert_eq!(hex::encode(framed(ours)), SASL_FATAL_WRONG_PASSWORD);
    // Header-level: the encoded header round-trips through prost unchanged.
    assert_eq!(
        RpcResponseHeaderProto::decode(&h.encode_to_vec()[..]).unwrap(),
        h
    );
}
