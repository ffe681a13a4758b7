//! The SASL negotiation state machines fed arbitrary message sequences: the input is read
//! as varint-delimited RpcSaslProto messages, each given to a server (with a secret manager
//! and SIMPLE) and to a client holding a token.
#![no_main]

use std::sync::Arc;

use bytes::Bytes;
use libfuzzer_sys::fuzz_target;
use spindle_protocol::ipc::frame::FrameParts;
use spindle_protocol::proto::rpc::RpcSaslProto;
use spindle_protocol::sasl::{
    InvalidToken, SaslClient, SaslServer, SecretManager, TokenCredentials, TokenIdentity,
};

struct Echo;
impl SecretManager for Echo {
    fn retrieve_password(&self, identifier: &[u8]) -> Result<TokenIdentity, InvalidToken> {
        if identifier.first() == Some(&0) {
            return Err(InvalidToken("rejected".into()));
        }
        Ok(TokenIdentity {
            password: identifier.to_vec(),
            user: "u".into(),
        })
    }
}

fuzz_target!(|data: &[u8]| {
    let Some((&flags, data)) = data.split_first() else {
        return;
    };
    let mut server = SaslServer::new(Some(Arc::new(Echo)), flags & 1 == 1);
    let token = TokenCredentials {
        identifier: b"id".to_vec(),
        password: b"pw".to_vec(),
    };
    let mut client = SaslClient::new((flags & 2 == 2).then_some(token));
    client.negotiate();
    let mut parts = FrameParts::new(Bytes::copy_from_slice(data));
    let mut server_alive = true;
    let mut client_alive = true;
    for _ in 0..16 {
        let Ok(Some(raw)) = parts.next_raw() else {
            break;
        };
        let Ok(msg) = <RpcSaslProto as prost::Message>::decode(raw) else {
            continue;
        };
        if server_alive {
            server_alive = server.step(&msg).is_ok();
        }
        if client_alive {
            client_alive = client.step(&msg).is_ok();
        }
    }
});
