//! Hadoop IPC framing: `[u32 BE length N][N bytes of varint-length-delimited messages]`.
//!
//! [`FrameCodec`] turns a byte stream into frame bodies (the N bytes) and back. Lengths are
//! checked before anything is allocated: zero, negative (top bit set) and over-limit lengths
//! are errors. [`FrameParts`] splits a body into its delimited messages with bounds checks,
//! and [`FrameBuilder`] builds one. Connection code only ever uses these three.

use bytes::{Buf, BufMut, Bytes, BytesMut};
use prost::Message;
use tokio_util::codec::{Decoder, Encoder};

/// Default largest frame accepted (`ipc.maximum.data.length` / `ipc.maximum.response.length`).
pub const DEFAULT_MAX_FRAME_LEN: usize = 128 * 1024 * 1024;

/// Why a frame could not be read or written.
#[derive(Debug, thiserror::Error)]
pub enum FrameError {
    /// The peer announced a frame longer than we accept.
    #[error(
        "frame length {len} exceeds the limit of {max} bytes (raise the max frame length if the peer is legitimate)"
    )]
    TooLong {
        /// Announced length.
        len: u64,
        /// Configured maximum.
        max: usize,
    },
    /// The peer announced a zero or negative frame length.
    #[error("invalid frame length {0}: must be positive")]
    InvalidLength(i32),
    /// The stream ended inside a frame.
    #[error("connection closed mid-frame: got {have} of {need} bytes")]
    Truncated {
        /// Bytes received (including the 4-byte length when known).
        have: usize,
        /// Bytes needed to finish the frame.
        need: usize,
    },
    /// A delimited message inside a frame is malformed or runs past the frame's end.
    #[error("malformed frame: {0}")]
    Malformed(String),
    /// A message inside a frame could not be decoded.
    #[error("cannot decode {what}: {source}")]
    Decode {
        /// Which message.
        what: &'static str,
        /// The protobuf error.
        source: prost::DecodeError,
    },
    /// Reading or writing the socket failed.
    #[error("i/o error: {0}")]
    Io(#[from] std::io::Error),
}

/// tokio-util codec for Hadoop IPC frames. Items are frame bodies (without the length).
#[derive(Debug, Clone)]
pub struct FrameCodec {
    max_frame_len: usize,
}

impl FrameCodec {
    /// A codec accepting frames up to `max_frame_len` bytes (at most `i32::MAX`).
    pub fn new(max_frame_len: usize) -> Self {
        FrameCodec {
            max_frame_len: max_frame_len.min(i32::MAX as usize),
        }
    }

    /// The largest frame body this codec accepts.
    pub fn max_frame_len(&self) -> usize {
        self.max_frame_len
    }

    /// Changes the limit (e.g. once a connection has authenticated); at most `i32::MAX`.
    pub fn set_max_frame_len(&mut self, max_frame_len: usize) {
        self.max_frame_len = max_frame_len.min(i32::MAX as usize);
    }
}

impl Default for FrameCodec {
    fn default() -> Self {
        FrameCodec::new(DEFAULT_MAX_FRAME_LEN)
    }
}

impl Decoder for FrameCodec {
    type Item = Bytes;
    type Error = FrameError;

    fn decode(&mut self, src: &mut BytesMut) -> Result<Option<Bytes>, FrameError> {
        if src.len() < 4 {
            return Ok(None);
        }
        let len = i32::from_be_bytes([src[0], src[1], src[2], src[3]]);
        if len <= 0 {
            return Err(FrameError::InvalidLength(len));
        }
        let len = len as usize;
        if len > self.max_frame_len {
            return Err(FrameError::TooLong {
                len: len as u64,
                max: self.max_frame_len,
            });
        }
        if src.len() < 4 + len {
            // Safe to reserve: `len` is bounded above.
            src.reserve(4 + len - src.len());
            return Ok(None);
        }
        src.advance(4);
        Ok(Some(src.split_to(len).freeze()))
    }

    fn decode_eof(&mut self, src: &mut BytesMut) -> Result<Option<Bytes>, FrameError> {
        match self.decode(src)? {
            Some(frame) => Ok(Some(frame)),
            None if src.is_empty() => Ok(None),
            None => {
                let need = if src.len() >= 4 {
                    4 + i32::from_be_bytes([src[0], src[1], src[2], src[3]]) as usize
                } else {
                    4
                };
                Err(FrameError::Truncated {
                    have: src.len(),
                    need,
                })
            }
        }
    }
}

impl Encoder<Bytes> for FrameCodec {
    type Error = FrameError;

    fn encode(&mut self, body: Bytes, dst: &mut BytesMut) -> Result<(), FrameError> {
        if body.is_empty() {
            return Err(FrameError::InvalidLength(0));
        }
        if body.len() > self.max_frame_len {
            return Err(FrameError::TooLong {
                len: body.len() as u64,
                max: self.max_frame_len,
            });
        }
        dst.reserve(4 + body.len());
        dst.put_u32(body.len() as u32);
        dst.extend_from_slice(&body);
        Ok(())
    }
}

/// Builds a frame body out of varint-length-delimited messages.
#[derive(Debug, Default)]
pub struct FrameBuilder {
    buf: BytesMut,
}

impl FrameBuilder {
    /// An empty body.
    pub fn new() -> Self {
        FrameBuilder::default()
    }

    /// Appends `msg` as a delimited message (`varint(len) bytes`).
    pub fn message<M: Message>(mut self, msg: &M) -> Self {
        msg.encode_length_delimited(&mut self.buf)
            .expect("BytesMut grows as needed");
        self
    }

    /// Appends already-encoded message bytes as a delimited message.
    pub fn raw(mut self, encoded: &[u8]) -> Self {
        prost::encoding::encode_varint(encoded.len() as u64, &mut self.buf);
        self.buf.extend_from_slice(encoded);
        self
    }

    /// The finished body (pass it to [`FrameCodec`] to add the length).
    pub fn finish(self) -> Bytes {
        self.buf.freeze()
    }
}

/// Reads the delimited messages of one frame body in order, never past its end.
#[derive(Debug, Clone)]
pub struct FrameParts {
    rest: Bytes,
}

impl FrameParts {
    /// Starts reading `body`.
    pub fn new(body: Bytes) -> Self {
        FrameParts { rest: body }
    }

    /// Whether every byte has been consumed.
    pub fn is_empty(&self) -> bool {
        self.rest.is_empty()
    }

    /// Bytes not yet consumed.
    pub fn remaining(&self) -> usize {
        self.rest.len()
    }

    /// The next delimited part's bytes, or `None` at the end of the body.
    pub fn next_raw(&mut self) -> Result<Option<Bytes>, FrameError> {
        if self.rest.is_empty() {
            return Ok(None);
        }
        let len = prost::encoding::decode_varint(&mut self.rest)
            .map_err(|e| FrameError::Malformed(format!("bad length prefix: {e}")))?;
        if len > self.rest.len() as u64 {
            return Err(FrameError::Malformed(format!(
                "delimited message of {len} bytes but only {} bytes left in the frame",
                self.rest.len()
            )));
        }
        Ok(Some(self.rest.split_to(len as usize)))
    }

    /// The next part's bytes; an error naming `what` if the body has ended.
    pub fn expect_raw(&mut self, what: &'static str) -> Result<Bytes, FrameError> {
        self.next_raw()?
            .ok_or_else(|| FrameError::Malformed(format!("frame ends before the {what}")))
    }

    /// Decodes the next part as `M`; an error naming `what` if it is missing or malformed.
    pub fn expect<M: Message + Default>(&mut self, what: &'static str) -> Result<M, FrameError> {
        let raw = self.expect_raw(what)?;
        M::decode(raw).map_err(|source| FrameError::Decode { what, source })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::proto::rpc::{RpcSaslProto, SaslState};

    fn decode_all(codec: &mut FrameCodec, bytes: &[u8]) -> Result<Vec<Bytes>, FrameError> {
        let mut buf = BytesMut::from(bytes);
        let mut out = Vec::new();
        while let Some(f) = codec.decode_eof(&mut buf)? {
            out.push(f);
        }
        Ok(out)
    }

    #[test]
    fn round_trip_two_frames() {
        let mut codec = FrameCodec::default();
        let mut buf = BytesMut::new();
        codec.encode(Bytes::from_static(b"abc"), &mut buf).unwrap();
        codec.encode(Bytes::from_static(b"de"), &mut buf).unwrap();
        assert_eq!(&buf[..], b"\0\0\0\x03abc\0\0\0\x02de");
        let frames = decode_all(&mut codec, &buf).unwrap();
        assert_eq!(
            frames,
            vec![Bytes::from_static(b"abc"), Bytes::from_static(b"de")]
        );
    }

    #[test]
    fn partial_frame_waits_then_completes() {
        let mut codec = FrameCodec::default();
        let mut buf = BytesMut::from(&b"\0\0\0\x05ab"[..]);
        assert!(codec.decode(&mut buf).unwrap().is_none());
        buf.extend_from_slice(b"cde");
        assert_eq!(codec.decode(&mut buf).unwrap().unwrap(), &b"abcde"[..]);
    }

    #[test]
    fn truncated_frame_at_eof_is_an_error() {
        let mut codec = FrameCodec::default();
        let err = decode_all(&mut codec, b"\0\0\0\x05ab").unwrap_err();
        assert!(
            matches!(err, FrameError::Truncated { have: 6, need: 9 }),
            "{err}"
        );
        let err = decode_all(&mut codec, b"\0\0").unwrap_err();
        assert!(
            matches!(err, FrameError::Truncated { have: 2, need: 4 }),
            "{err}"
        );
    }

    #[test]
    fn over_limit_length_rejected_before_allocating() {
        let mut codec = FrameCodec::new(1024);
        let mut buf = BytesMut::from(&b"\x00\x00\x04\x01"[..]);
        let err = codec.decode(&mut buf).unwrap_err();
        assert!(matches!(
            err,
            FrameError::TooLong {
                len: 1025,
                max: 1024
            }
        ));
        assert!(
            buf.capacity() < 1024,
            "must not reserve for a rejected frame"
        );
    }

    #[test]
    fn zero_and_negative_lengths_rejected() {
        let mut codec = FrameCodec::default();
        let err = decode_all(&mut codec, b"\0\0\0\0").unwrap_err();
        assert!(matches!(err, FrameError::InvalidLength(0)));
        let err = decode_all(&mut codec, b"\xff\xff\xff\xfe").unwrap_err();
        assert!(matches!(err, FrameError::InvalidLength(-2)));
    }

    #[test]
    fn encoder_enforces_limit() {
        let mut codec = FrameCodec::new(2);
        let mut buf = BytesMut::new();
        assert!(codec.encode(Bytes::from_static(b"abc"), &mut buf).is_err());
        assert!(codec.encode(Bytes::new(), &mut buf).is_err());
    }

    #[test]
    fn parts_bounds_checked() {
        // Claims 5 bytes but only 2 follow.
        let mut parts = FrameParts::new(Bytes::from_static(b"\x05ab"));
        assert!(matches!(parts.next_raw(), Err(FrameError::Malformed(_))));
        // Varint that never ends.
        let mut parts = FrameParts::new(Bytes::from_static(b"\xff\xff\xff"));
        assert!(parts.next_raw().is_err());
        // Missing part.
        let mut parts = FrameParts::new(Bytes::from_static(b"\x00"));
        assert_eq!(parts.expect_raw("header").unwrap(), Bytes::new());
        assert!(parts.expect_raw("payload").is_err());
    }

    #[test]
    fn garbage_protobuf_is_a_decode_error() {
        // Field 2 (state) with wire type 7 (invalid).
        let mut parts = FrameParts::new(Bytes::from_static(b"\x02\x17\x01"));
        let err = parts.expect::<RpcSaslProto>("sasl message").unwrap_err();
        assert!(
            matches!(
                err,
                FrameError::Decode {
                    what: "sasl message",
                    ..
                }
            ),
            "{err}"
        );
    }

    #[test]
    fn builder_writes_delimited_parts() {
        let sasl = RpcSaslProto {
            state: SaslState::Negotiate as i32,
            ..Default::default()
        };
        let body = FrameBuilder::new().message(&sasl).raw(&[]).finish();
        assert_eq!(&body[..], &[0x02, 0x10, 0x01, 0x00]);
        let mut parts = FrameParts::new(body);
        assert_eq!(parts.expect::<RpcSaslProto>("sasl").unwrap(), sasl);
        assert_eq!(parts.expect_raw("empty").unwrap().len(), 0);
        assert!(parts.is_empty());
    }
}
