//! Reading and checking the 7-byte connection preamble on the server.

use bytes::{BufMut, BytesMut};
use tokio::io::{AsyncRead, AsyncReadExt};

use crate::ipc::header::{
    AUTH_PROTOCOL_NONE, AUTH_PROTOCOL_SASL, AUTHORIZATION_FAILED_CALL_ID, IPC_VERSION, MAGIC,
    error_response,
};
use crate::java_class;
use crate::proto::rpc::RpcErrorCodeProto;

/// The reply to an HTTP request sent to the IPC port.
pub const HTTP_REPLY: &str = "HTTP/1.1 404 Not Found\r\nContent-type: text/plain\r\n\r\n\
This is a Hadoop IPC port, not an HTTP port: use the web interface port of this daemon instead.\r\n";

/// How the client wants to authenticate.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum AuthProtocol {
    /// Byte 0: plain SIMPLE.
    None,
    /// Byte 0xDF: SASL negotiation follows.
    Sasl,
}

/// What the preamble said.
#[derive(Debug)]
pub(crate) enum Preamble {
    /// A valid v9 preamble.
    Ok(AuthProtocol),
    /// Someone sent an HTTP GET: reply with [`HTTP_REPLY`] and close.
    HttpGet,
    /// Wrong magic or version: send this (length-prefixed) FATAL frame and close.
    Reject(BytesMut, String),
    /// Valid, but an auth protocol we do not know: FATAL frame and close.
    UnknownAuth(BytesMut, u8),
}

fn with_length(body: bytes::Bytes) -> BytesMut {
    let mut out = BytesMut::with_capacity(body.len() + 4);
    out.put_u32(body.len() as u32);
    out.extend_from_slice(&body);
    out
}

/// The FATAL `RPC$VersionMismatch` frame Hadoop sends for a bad preamble.
pub fn version_mismatch_frame(client_version: u8) -> BytesMut {
    let msg = format!(
        "Server IPC version {IPC_VERSION} cannot communicate with client version {client_version}"
    );
    with_length(error_response(
        AUTHORIZATION_FAILED_CALL_ID,
        true,
        &[],
        -1,
        java_class::VERSION_MISMATCH,
        &msg,
        RpcErrorCodeProto::FatalVersionMismatch as i32,
    ))
}

/// Reads the preamble (4 bytes, then 3 more unless it is an HTTP GET).
pub(crate) async fn read_preamble<R: AsyncRead + Unpin>(
    reader: &mut R,
) -> std::io::Result<Preamble> {
    let mut magic = [0u8; 4];
    reader.read_exact(&mut magic).await?;
    if &magic == b"GET " {
        return Ok(Preamble::HttpGet);
    }
    let mut rest = [0u8; 3];
    reader.read_exact(&mut rest).await?;
    let [version, _service_class, auth] = rest;
    if magic != MAGIC || version != IPC_VERSION {
        let why = if magic != MAGIC {
            format!("bad magic {:02x?}", magic)
        } else {
            format!("client IPC version {version}")
        };
        return Ok(Preamble::Reject(version_mismatch_frame(version), why));
    }
    Ok(match auth {
        AUTH_PROTOCOL_NONE => Preamble::Ok(AuthProtocol::None),
        AUTH_PROTOCOL_SASL => Preamble::Ok(AuthProtocol::Sasl),
        other => Preamble::UnknownAuth(
            with_length(error_response(
                AUTHORIZATION_FAILED_CALL_ID,
                true,
                &[],
                -1,
                java_class::IPC,
                &format!("Unknown auth protocol:{}", other as i8),
                RpcErrorCodeProto::FatalUnauthorized as i32,
            )),
            other,
        ),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    async fn read(bytes: &[u8]) -> std::io::Result<Preamble> {
        let mut r = bytes;
        read_preamble(&mut r).await
    }

    #[tokio::test]
    async fn preamble_variants() {
        assert!(matches!(
            read(b"hrpc\x09\x00\x00").await.unwrap(),
            Preamble::Ok(AuthProtocol::None)
        ));
        assert!(matches!(
            read(b"hrpc\x09\x00\xdf").await.unwrap(),
            Preamble::Ok(AuthProtocol::Sasl)
        ));
        assert!(matches!(
            read(b"GET / HTTP/1.1").await.unwrap(),
            Preamble::HttpGet
        ));
        assert!(matches!(
            read(b"hrpc\x08\x00\x00").await.unwrap(),
            Preamble::Reject(..)
        ));
        assert!(matches!(
            read(b"xrpc\x09\x00\x00").await.unwrap(),
            Preamble::Reject(..)
        ));
        assert!(matches!(
            read(b"hrpc\x09\x00\x51").await.unwrap(),
            Preamble::UnknownAuth(_, 0x51)
        ));
        assert!(read(b"hrp").await.is_err());
    }
}
