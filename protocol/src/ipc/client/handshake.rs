//! Opening a client connection: TCP connect, preamble, SASL, connection context.

use futures::{SinkExt, StreamExt};
use tokio::io::AsyncWriteExt;
use tokio::net::TcpStream;
use tokio::net::tcp::{OwnedReadHalf, OwnedWriteHalf};
use tokio_util::codec::{FramedRead, FramedWrite};
use tracing::debug;

use super::config::{ClientAuth, ClientConfig};
use crate::gssapi::ClientCredential;
use crate::gssapi::principal::{canonical_host_here, replace_host};
use crate::ipc::error::{IpcError, RemoteError};
use crate::ipc::frame::{FrameCodec, FrameParts};
use crate::ipc::header::{self, AUTH_PROTOCOL_NONE, AUTH_PROTOCOL_SASL, SASL_CALL_ID};
use crate::proto::rpc::{
    IpcConnectionContextProto, RpcResponseHeaderProto, RpcSaslProto, RpcStatusProto,
    UserInformationProto,
};
use crate::sasl::{
    ClientStep, KerberosClient, SaslClient, SaslOutcome, SecurityLayer, TokenCredentials,
};

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
    let (sasl, user) = match auth {
        ClientAuth::Simple { user } => (None, user.clone()),
        ClientAuth::Token {
            identifier,
            password,
            user,
        } => {
            let token = TokenCredentials {
                identifier: identifier.clone(),
                password: password.clone(),
            };
            (
                Some(SaslClient::with_qop(Some(token), &config.qop)),
                user.clone(),
            )
        }
        ClientAuth::Kerberos {
            credentials,
            server_principal,
        } => {
            let kerberos = kerberos_client(&config.addr, credentials, server_principal).await?;
            let sasl = SaslClient::with_qop(None, &config.qop).with_kerberos(kerberos);
            (Some(sasl), String::new())
        }
    };
    let auth_byte = if sasl.is_some() {
        AUTH_PROTOCOL_SASL
    } else {
        AUTH_PROTOCOL_NONE
    };
    write_half.write_all(&header::preamble(auth_byte)).await?;
    // Responses are bounded by our limit; requests by the server's (default) one.
    let mut reader = FramedRead::new(read_half, FrameCodec::new(config.max_response_len));
    let mut writer = FramedWrite::new(write_half, FrameCodec::default());

    let (outcome, layer, principal) = match sasl {
        None => (SaslOutcome::Simple, None, None),
        Some(sasl) => negotiate(&mut reader, &mut writer, sasl).await?,
    };
    debug!(?outcome, "authenticated");
    let user_info = match outcome {
        SaslOutcome::Token => UserInformationProto::default(),
        SaslOutcome::Simple => UserInformationProto {
            effective_user: Some(user),
            real_user: None,
        },
        // As Hadoop's client: the full principal.
        SaslOutcome::Kerberos => UserInformationProto {
            effective_user: principal,
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

/// The Kerberos side of a client: its credential (acquired on a blocking thread: a keytab
/// login talks to the KDC) and the server principal with `_HOST` replaced by the canonical
/// name of the host in `addr`.
async fn kerberos_client(
    addr: &str,
    credentials: &crate::gssapi::KerberosCredentials,
    server_principal: &str,
) -> Result<KerberosClient, IpcError> {
    let source = credentials.clone();
    let credential = tokio::task::spawn_blocking(move || ClientCredential::acquire(&source))
        .await
        .map_err(|e| IpcError::Auth(format!("Kerberos login task failed: {e}")))?
        .map_err(crate::sasl::SaslError::from)?;
    let host = addr.rsplit_once(':').map_or(addr, |(h, _)| h);
    Ok(KerberosClient {
        credential,
        server_principal: replace_host(server_principal, &canonical_host_here(host)),
    })
}

/// One negotiation step; Kerberos steps run on a blocking thread (the first one asks the KDC
/// for a service ticket).
async fn step(
    mut sasl: SaslClient,
    reply: RpcSaslProto,
) -> Result<(SaslClient, ClientStep), IpcError> {
    if !sasl.may_block() {
        let next = sasl.step(&reply)?;
        return Ok((sasl, next));
    }
    tokio::task::spawn_blocking(move || {
        let next = sasl.step(&reply);
        next.map(|n| (sasl, n))
    })
    .await
    .map_err(|e| IpcError::Auth(format!("SASL task failed: {e}")))?
    .map_err(IpcError::from)
}

async fn negotiate(
    reader: &mut FramedRead<OwnedReadHalf, FrameCodec>,
    writer: &mut FramedWrite<OwnedWriteHalf, FrameCodec>,
    mut sasl: SaslClient,
) -> Result<(SaslOutcome, Option<SecurityLayer>, Option<String>), IpcError> {
    writer.send(header::sasl_request(&sasl.negotiate())).await?;
    for _ in 0..MAX_SASL_ROUNDS {
        let reply = read_sasl_reply(reader).await?;
        let (next_sasl, next) = step(sasl, reply).await?;
        sasl = next_sasl;
        match next {
            ClientStep::Send(msg) => writer.send(header::sasl_request(&msg)).await?,
            ClientStep::SendFinal(msg, outcome) => {
                writer.feed(header::sasl_request(&msg)).await?;
                return Ok((outcome, None, None));
            }
            ClientStep::Done(outcome) => {
                let principal = sasl.kerberos_principal().map(str::to_string);
                return Ok((outcome, sasl.take_security_layer(), principal));
            }
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
