//! The SASL security layer: DIGEST-MD5 integrity and privacy (every cipher) and the WRAP
//! framing of `ipc::wrap`.
//!
//! * arbitrary tokens given to `unwrap` (fresh layer each time) and to the WRAP frame reader
//!   must give an error, never a panic;
//! * whatever a layer wraps, its peer unwraps to the same bytes, in order, and the stream
//!   reassembler gives back the same frames however the stream was cut.
#![no_main]

use bytes::{Bytes, BytesMut};
use libfuzzer_sys::fuzz_target;
use spindle_protocol::ipc::frame::FrameParts;
use spindle_protocol::ipc::wrap::{Unwrapped, put_frame, wrap_requests, wrap_token};
use spindle_protocol::sasl::Qop;
use spindle_protocol::sasl::digest_layer::{Cipher, Side, security_layer};

fuzz_target!(|data: &[u8]| {
    let Some((&pick, rest)) = data.split_first() else {
        return;
    };
    let (qop, cipher) = match pick % 6 {
        0 => (Qop::AuthInt, None),
        n => (Qop::AuthConf, Some(Cipher::ALL[usize::from(n) - 1])),
    };
    let ha1 = [pick; 16];
    // Hostile tokens: errors only.
    let mut server = security_layer(&ha1, qop, cipher, Side::Server, 65536).unwrap();
    let _ = server.unwrap.unwrap(rest);
    let _ = wrap_token(&mut FrameParts::new(Bytes::copy_from_slice(rest)));
    let mut stream = Unwrapped::new(1 << 16);
    if stream.push(server.unwrap.as_mut(), rest).is_ok() {
        while let Ok(Some(_)) = stream.next_frame() {}
    }

    // Round trip: `rest` cut into frames by its own bytes, wrapped in small tokens.
    let peer_max = 64 + u32::from(pick) * 4;
    let mut client = security_layer(&ha1, qop, cipher, Side::Client, peer_max).unwrap();
    let mut server = security_layer(&ha1, qop, cipher, Side::Server, peer_max).unwrap();
    let frames: Vec<&[u8]> = rest.split(|b| *b == 0).filter(|f| !f.is_empty()).collect();
    let mut plain = BytesMut::new();
    for f in &frames {
        put_frame(&mut plain, f);
    }
    let requests = wrap_requests(client.wrap.as_mut(), &plain).expect("wrap");
    let mut inbound = Unwrapped::new(1 << 16);
    let mut got: Vec<Vec<u8>> = Vec::new();
    for body in requests {
        let mut parts = FrameParts::new(body);
        parts.next_raw().expect("header");
        let token = wrap_token(&mut parts).expect("a WRAP message");
        inbound.push(server.unwrap.as_mut(), &token).expect("unwrap");
        while let Some(f) = inbound.next_frame().expect("inner frame") {
            got.push(f.to_vec());
        }
    }
    assert_eq!(got, frames.iter().map(|f| f.to_vec()).collect::<Vec<_>>());
    assert_eq!(inbound.pending(), 0);
    let back = server.wrap.wrap(rest).expect("wrap back");
    assert_eq!(client.unwrap.unwrap(&back).expect("unwrap back"), rest);
});
