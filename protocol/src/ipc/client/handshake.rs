//! Opening a client connection: TCP connect, preamble, SASL, connection context.

use futures::{SinkExt, StreamExt};
use tokio::io::AsyncWriteExt;
use tokio::net::TcpStream;
use tokio::net::tcp::{OwnedReadHalf, OwnedWriteHalf};
use tokio_util::codec::{FramedRead, FramedWrite};
use tracing::debug;

use super::config::{ClientAuth, ClientConfig};
use crate::ipc::error::{IpcError, RemoteError};
use crate::ipc::frame::{FrameCodec, FrameParts};
use crate::ipc::header::{self, AUTH_PROTOCOL_NONE, AUTH_PROTOCOL_SASL, SASL_CALL_ID};
use crate::proto::rpc::{
    IpcConnectionContextProto, RpcResponseHeaderProto, RpcSaslProto, RpcStatusProto,
    UserInformationProto,
};
use crate::sasl::{ClientStep, Qop, SaslClient, SaslOutcome, SecurityLayer, TokenCredentials};

/// Most SASL round trips accepted before giving up (DIGEST-MD5 needs at most 3).
const MAX_SASL_ROUNDS: usize = 8;

/// A connection that finished its handshake and is ready for calls.
pub(crate) struct Established {
    pub(crate) reader: FramedRead<OwnedReadHalf, FrameCodec>,
    pub(crate) writer: FramedWrite<OwnedWriteHalf, FrameCodec>,
    pub(crate) outcome: SaslOutcome,
    /// The integrity/privacy layer, when one was negotiated.
    pub(crate) layer: Option<SecurityLayer>,
    /// The connection-context frame body, not yet sent: it goes out with the first call
    /// (through the layer, if any).
    pub(crate) context: bytes::Bytes,
}

/// Connects and authenticates. The caller bounds the whole thing with a timeout.
pub(crate) async fn establish(
    config: &ClientConfig,
    auth: &ClientAuth,
    client_id: &[u8],
) -> Result<Established, IpcError> {
    let stream = TcpStream::connect(&config.addr).await?;
    stream.set_nodelay(true)?;
    let (read_half, mut write_half) = stream.into_split();
    let (auth_byte, token, user) = match auth {
        ClientAuth::Simple { user } => (AUTH_PROTOCOL_NONE, None, user.clone()),
        ClientAuth::Token {
            identifier,
            password,
            user,
        } => (
            AUTH_PROTOCOL_SASL,
            Some(TokenCredentials {
                identifier: identifier.clone(),
                password: password.clone(),
            }),
            user.clone(),
        ),
    };
    write_half.write_all(&header::preamble(auth_byte)).await?;
    // Responses are bounded by our limit; requests by the server's (default) one.
    let mut reader = FramedRead::new(read_half, FrameCodec::new(config.max_response_len));
    let mut writer = FramedWrite::new(write_half, FrameCodec::default());

    let (outcome, layer) = match token {
        None => (SaslOutcome::Simple, None),
        Some(token) => negotiate(&mut reader, &mut writer, token, &config.qop).await?,
    };
    debug!(?outcome, "authenticated");
    let user_info = match outcome {
        SaslOutcome::Token => UserInformationProto::default(),
        SaslOutcome::Simple => UserInformationProto {
            effective_user: Some(user),
            real_user: None,
        },
    };
    let context = IpcConnectionContextProto {
        user_info: Some(user_info),
        protocol: Some(config.protocol.clone()),
    };
    Ok(Established {
        reader,
        writer,
        outcome,
        layer,
        context: header::context_request(client_id, &context),
    })
}

async fn negotiate(
    reader: &mut FramedRead<OwnedReadHalf, FrameCodec>,
    writer: &mut FramedWrite<OwnedWriteHalf, FrameCodec>,
    token: TokenCredentials,
    qop: &[Qop],
) -> Result<(SaslOutcome, Option<SecurityLayer>), IpcError> {
    let mut sasl = SaslClient::with_qop(Some(token), qop);
    writer.send(header::sasl_request(&sasl.negotiate())).await?;
    for _ in 0..MAX_SASL_ROUNDS {
        let reply = read_sasl_reply(reader).await?;
        match sasl.step(&reply)? {
            ClientStep::Send(msg) => writer.send(header::sasl_request(&msg)).await?,
            ClientStep::SendFinal(msg, outcome) => {
                writer.feed(header::sasl_request(&msg)).await?;
                return Ok((outcome, None));
            }
            ClientStep::Done(outcome) => return Ok((outcome, sasl.take_security_layer())),
        }
    }
    Err(IpcError::Protocol(format!(
        "SASL negotiation did not finish within {MAX_SASL_ROUNDS} round trips"
    )))
}

async fn read_sasl_reply(
    reader: &mut FramedRead<OwnedReadHalf, FrameCodec>,
) -> Result<RpcSaslProto, IpcError> {
    let body = reader.next().await.ok_or_else(|| {
        IpcError::ConnectionLost("server closed the connection during SASL negotiation".into())
    })??;
    let mut parts = FrameParts::new(body);
    let header: RpcResponseHeaderProto = parts.expect("RpcResponseHeaderProto")?;
    match RpcStatusProto::try_from(header.status) {
        Ok(RpcStatusProto::Success) => {}
        Ok(_) => return Err(IpcError::Remote(RemoteError::from_header(&header))),
        Err(_) => {
            return Err(IpcError::Protocol(format!(
                "unknown response status {} during SASL",
                header.status
            )));
        }
    }
    if header.call_id as i32 != SASL_CALL_ID {
        return Err(IpcError::Protocol(format!(
            "expected a SASL reply (call id {SASL_CALL_ID}), got call id {}",
            header.call_id as i32
        )));
    }
    Ok(parts.expect("RpcSaslProto")?)
}
