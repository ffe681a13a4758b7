//! DIGEST-MD5 challenge/response parsing: directive lists, the client answering an
//! arbitrary challenge and checking an arbitrary rspauth, the server checking an
//! arbitrary response.
#![no_main]

use libfuzzer_sys::fuzz_target;
use spindle_protocol::sasl::digest_md5::{DigestClient, DigestServer};
use spindle_protocol::sasl::directives::Directives;

fuzz_target!(|data: &[u8]| {
    if let Ok(d) = Directives::parse(data) {
        let _ = d.get("nonce");
        let _ = d.all("realm").count();
    }
    let mut client = DigestClient::new(b"identifier", b"password");
    if client.respond_with_cnonce(data, "cnonce").is_ok() {
        let _ = client.verify_rspauth(data);
    }
    let server = DigestServer::with_nonce("fixed-nonce");
    let _ = server.verify(data, |id| Ok(id.to_vec()));
});
