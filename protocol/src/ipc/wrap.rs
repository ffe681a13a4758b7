//! Frames under a SASL security layer (QOP `auth-int` / `auth-conf`), as Hadoop sends them.
//!
//! Once integrity or privacy is negotiated, every frame goes inside an `RpcSaslProto{WRAP}`:
//! * client → server: the client treats its output as a byte stream (each frame with its
//!   4-byte length), cuts it into pieces no larger than the peer accepts, and sends each piece
//!   as `[len][RpcRequestHeaderProto{callId −33}][RpcSaslProto{WRAP, token = wrap(piece)}]`. One
//!   frame may be split across tokens and one token may hold several frames.
//! * server → client: each response frame (with its length) is wrapped whole, in
//!   `[len][RpcResponseHeaderProto{callId −33, SUCCESS}][RpcSaslProto{WRAP, token}]`.
//!
//! Either side unwraps tokens into a byte stream and reads frames out of it with
//! [`Unwrapped`]. The other side must never send an unwrapped frame once wrapping is on.

use bytes::{BufMut, Bytes, BytesMut};
use tokio_util::codec::Decoder;

use crate::ipc::frame::{FrameBuilder, FrameCodec, FrameError, FrameParts};
use crate::ipc::header::{self, SASL_CALL_ID};
use crate::proto::rpc::{RpcResponseHeaderProto, RpcSaslProto, RpcStatusProto, SaslState};
use crate::sasl::{SaslError, Unwrap, Wrap};

fn wrap_message(token: Vec<u8>) -> RpcSaslProto {
    RpcSaslProto {
        version: None,
        state: SaslState::Wrap as i32,
        token: Some(token),
        auths: Vec::new(),
    }
}

/// Appends `body` to `out` as a whole frame (4-byte big-endian length, then the body).
pub fn put_frame(out: &mut BytesMut, body: &[u8]) {
    out.reserve(4 + body.len());
    out.put_u32(body.len() as u32);
    out.extend_from_slice(body);
}

/// Wraps a client's byte stream `plain` into WRAP request frame bodies, each carrying at most
/// what the peer accepts in one token.
pub fn wrap_requests(wrap: &mut dyn Wrap, plain: &[u8]) -> Result<Vec<Bytes>, SaslError> {
    plain
        .chunks(wrap.max_plain_len().max(1))
        .map(|piece| Ok(header::sasl_request(&wrap_message(wrap.wrap(piece)?))))
        .collect()
}

/// Wraps one response frame body (its length is added here) into a WRAP response frame body.
pub fn wrap_response(wrap: &mut dyn Wrap, body: &[u8]) -> Result<Bytes, SaslError> {
    let mut plain = BytesMut::with_capacity(body.len() + 4);
    put_frame(&mut plain, body);
    let token = wrap.wrap(&plain)?;
    // Hadoop's server writes a bare header here: call id and status only.
    let header = RpcResponseHeaderProto {
        call_id: SASL_CALL_ID as u32,
        status: RpcStatusProto::Success as i32,
        ..Default::default()
    };
    Ok(FrameBuilder::new()
        .message(&header)
        .message(&wrap_message(token))
        .finish())
}

/// The token of a WRAP message, or an error naming what came instead.
pub fn wrap_token(parts: &mut FrameParts) -> Result<Vec<u8>, FrameError> {
    let msg: RpcSaslProto = parts.expect("RpcSaslProto")?;
    if msg.state != SaslState::Wrap as i32 {
        return Err(FrameError::Malformed(format!(
            "expected a SASL WRAP message while wrapping is on, got SASL state {}",
            msg.state
        )));
    }
    msg.token
        .ok_or_else(|| FrameError::Malformed("SASL WRAP message without a token".into()))
}

/// Reassembles frames from unwrapped tokens.
#[derive(Debug)]
pub struct Unwrapped {
    buf: BytesMut,
    codec: FrameCodec,
}

impl Unwrapped {
    /// A reassembler accepting inner frames up to `max_frame_len` bytes.
    pub fn new(max_frame_len: usize) -> Self {
        Unwrapped {
            buf: BytesMut::new(),
            codec: FrameCodec::new(max_frame_len),
        }
    }

    /// Unwraps `token` and appends the result to the stream.
    pub fn push(&mut self, unwrap: &mut dyn Unwrap, token: &[u8]) -> Result<(), SaslError> {
        let plain = unwrap.unwrap(token)?;
        self.buf.extend_from_slice(&plain);
        Ok(())
    }

    /// The next complete inner frame body, if the stream holds one.
    pub fn next_frame(&mut self) -> Result<Option<Bytes>, FrameError> {
        self.codec.decode(&mut self.buf)
    }

    /// Bytes of an incomplete inner frame waiting for the next token.
    pub fn pending(&self) -> usize {
        self.buf.len()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::proto::rpc::RpcRequestHeaderProto;
    use crate::sasl::Qop;
    use crate::sasl::digest_layer::{Cipher, layer_pair};

    #[test]
    fn a_stream_cut_into_small_tokens_comes_back_frame_by_frame() {
        let ha1 = [7u8; 16];
        let (mut client, mut server) = layer_pair(&ha1, Qop::AuthConf, Some(Cipher::TripleDes), 64);
        let mut stream = BytesMut::new();
        let frames: Vec<Vec<u8>> = (1..20).map(|n| vec![n as u8; n * 7]).collect();
        for f in &frames {
            put_frame(&mut stream, f);
        }
        let requests = wrap_requests(client.wrap.as_mut(), &stream).unwrap();
        assert!(requests.len() > 5, "64-byte peer buffer forces many tokens");
        let mut inbound = Unwrapped::new(1024);
        let mut got = Vec::new();
        for body in requests {
            let mut parts = FrameParts::new(body);
            let h: RpcRequestHeaderProto = parts.expect("header").unwrap();
            assert_eq!(h.call_id, SASL_CALL_ID);
            let token = wrap_token(&mut parts).unwrap();
            inbound.push(server.unwrap.as_mut(), &token).unwrap();
            while let Some(f) = inbound.next_frame().unwrap() {
                got.push(f.to_vec());
            }
        }
        assert_eq!(got, frames);
        assert_eq!(inbound.pending(), 0);
        // And one response back, wrapped whole.
        let body = wrap_response(server.wrap.as_mut(), b"reply").unwrap();
        let mut parts = FrameParts::new(body);
        let h: RpcResponseHeaderProto = parts.expect("header").unwrap();
        assert_eq!(h.call_id as i32, SASL_CALL_ID);
        assert_eq!(h.server_ipc_version_num, None);
        let token = wrap_token(&mut parts).unwrap();
        let mut back = Unwrapped::new(1024);
        back.push(client.unwrap.as_mut(), &token).unwrap();
        assert_eq!(&back.next_frame().unwrap().unwrap()[..], b"reply");
    }

    #[test]
    fn a_non_wrap_message_or_oversized_inner_frame_is_an_error() {
        let negotiate = RpcSaslProto {
            state: SaslState::Negotiate as i32,
            ..Default::default()
        };
        let body = |m: &RpcSaslProto| FrameBuilder::new().message(m).finish();
        let mut parts = FrameParts::new(body(&negotiate));
        assert!(wrap_token(&mut parts).is_err());
        let mut parts = FrameParts::new(body(&wrap_message(Vec::new())));
        assert_eq!(wrap_token(&mut parts).unwrap(), Vec::<u8>::new());
        let mut u = Unwrapped::new(8);
        u.buf.extend_from_slice(&[0, 0, 0, 9]);
        assert!(matches!(u.next_frame(), Err(FrameError::TooLong { .. })));
    }
}
