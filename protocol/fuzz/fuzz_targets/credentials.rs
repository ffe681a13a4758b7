//! The credentials (HDTS token storage) parser fed arbitrary bytes.
#![no_main]

use libfuzzer_sys::fuzz_target;
use spindle_protocol::credentials::Credentials;

fuzz_target!(|data: &[u8]| {
    if let Ok(creds) = Credentials::from_bytes(data) {
        // Whatever parses must serialize and parse back to the same thing.
        let bytes = creds.to_bytes();
        let again = Credentials::from_bytes(&bytes).expect("our own output parses");
        assert_eq!(again.to_bytes(), bytes);
    }
});
