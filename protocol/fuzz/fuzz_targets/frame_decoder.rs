//! The frame codec fed arbitrary bytes in arbitrary chunks, then every decoded frame parsed
//! as a response (header, RemoteError, payload) and as a request (header, parts).
#![no_main]

use bytes::BytesMut;
use libfuzzer_sys::fuzz_target;
use spindle_protocol::ipc::RemoteError;
use spindle_protocol::ipc::frame::{FrameCodec, FrameParts};
use spindle_protocol::proto::rpc::{
    IpcConnectionContextProto, RequestHeaderProto, RpcRequestHeaderProto, RpcResponseHeaderProto,
    RpcSaslProto,
};
use tokio_util::codec::Decoder;

fn parse(frame: bytes::Bytes) {
    let mut parts = FrameParts::new(frame.clone());
    if let Ok(h) = parts.expect::<RpcResponseHeaderProto>("response header") {
        let _ = RemoteError::from_header(&h).to_string();
        let _ = parts.expect::<RpcSaslProto>("sasl");
    }
    let mut parts = FrameParts::new(frame);
    if parts
        .expect::<RpcRequestHeaderProto>("request header")
        .is_ok()
    {
        let mut ctx = parts.clone();
        let _ = ctx.expect::<IpcConnectionContextProto>("context");
        let _ = parts.expect::<RequestHeaderProto>("request header");
        while let Ok(Some(_)) = parts.next_raw() {}
    }
}

fuzz_target!(|data: &[u8]| {
    let Some((&split, data)) = data.split_first() else {
        return;
    };
    let mut codec = FrameCodec::new(64 * 1024);
    let mut buf = BytesMut::new();
    let chunk = usize::from(split).max(1);
    for piece in data.chunks(chunk) {
        buf.extend_from_slice(piece);
        loop {
            match codec.decode(&mut buf) {
                Ok(Some(frame)) => parse(frame),
                Ok(None) => break,
                Err(_) => return,
            }
        }
    }
    while let Ok(Some(frame)) = codec.decode_eof(&mut buf) {
        parse(frame);
    }
});
