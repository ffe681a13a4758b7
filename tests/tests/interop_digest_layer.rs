//! Our DIGEST-MD5 client and its security layer against the JDK's own DIGEST-MD5 server (the
//! mechanism Hadoop's IPC server runs for TOKEN authentication), for integrity and for privacy
//! with each cipher: Hadoop's JDK client picks 3des when offered everything (that path runs in
//! `interop_protection.rs`), so here the JDK server offers one cipher at a time. Messages go
//! both ways, several in a row (the CBC and RC4 state runs on), of lengths around the block
//! and padding boundaries.

use std::time::Duration;

use spindle_protocol::sasl::Qop;
use spindle_protocol::sasl::digest_layer::Cipher;
use spindle_protocol::sasl::digest_md5::DigestClient;
use spindle_tests::process::{JavaCommand, JavaProcess, READY_TIMEOUT};

const IDENTIFIER: &[u8] = b"\x0a\x0d\x0a\x09\x08\x01\x10\x80token-identifier";
const PASSWORD: &[u8] = b"\x50\xfe\xe2\x81password-bytes";
const LINE: Duration = Duration::from_secs(30);

/// Sends `line` and returns the reply's argument after `expect ` (panicking on `ERROR`).
async fn ask(pipe: &mut JavaProcess, line: String, expect: &str) -> String {
    let reply = pipe
        .request(&line, LINE)
        .await
        .expect("a reply from DigestPipe");
    reply
        .strip_prefix(expect)
        .and_then(|r| r.strip_prefix(' '))
        .unwrap_or_else(|| panic!("expected {expect}, got `{reply}`\n{}", pipe.stderr_tail()))
        .to_string()
}

async fn round_trips(qop: Qop, cipher: Cipher) {
    let mut pipe = JavaCommand::new("spindle.interop.DigestPipe")
        .arg(qop.sasl_name())
        .arg(cipher.name())
        .arg(hex::encode(IDENTIFIER))
        .arg(hex::encode(PASSWORD))
        .spawn()
        .await
        .expect("start DigestPipe");
    pipe.wait_for("READY", READY_TIMEOUT).await.expect("READY");
    let challenge = hex::decode(ask(&mut pipe, "CHALLENGE".into(), "CHALLENGE").await).unwrap();
    let mut client = DigestClient::with_qop(IDENTIFIER, PASSWORD, &[qop]);
    let response = client.respond(&challenge).expect("respond");
    let reply = ask(
        &mut pipe,
        format!("RESPONSE {}", hex::encode(response)),
        "RSPAUTH",
    )
    .await;
    let (rspauth, negotiated) = reply.split_once(' ').expect("rspauth and qop");
    assert_eq!(negotiated, qop.sasl_name());
    client
        .verify_rspauth(&hex::decode(rspauth).unwrap())
        .expect("the JDK's rspauth");
    let mut layer = client.security_layer().unwrap().expect("a security layer");
    for len in [0usize, 1, 5, 6, 7, 8, 13, 14, 15, 16, 100, 1000, 5000] {
        let msg: Vec<u8> = (0..len).map(|i| (i * 31 + len) as u8).collect();
        let token = layer.wrap.wrap(&msg).unwrap();
        let plain = ask(
            &mut pipe,
            format!("UNWRAP {}", hex::encode(&token)),
            "PLAIN",
        )
        .await;
        assert_eq!(
            plain,
            hex::encode(&msg),
            "{qop} {cipher:?}: JDK unwrap of {len} bytes"
        );
        let token = ask(&mut pipe, format!("WRAP {}", hex::encode(&msg)), "TOKEN").await;
        let back = layer
            .unwrap
            .unwrap(&hex::decode(token).unwrap())
            .expect("unwrap the JDK's");
        assert_eq!(back, msg, "{qop} {cipher:?}: our unwrap of {len} bytes");
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn integrity_and_every_cipher_against_the_jdk() {
    round_trips(Qop::AuthInt, Cipher::TripleDes).await;
    for cipher in Cipher::ALL {
        round_trips(Qop::AuthConf, cipher).await;
    }
}
