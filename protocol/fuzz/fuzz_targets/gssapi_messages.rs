//! What Spindle itself decodes of Kerberos (the GSS tokens are MIT's to decode): RFC 4752
//! security-layer messages, principal names, `_HOST` substitution, the canonical host from a
//! hosts file, and the DEFAULT auth_to_local rule. Errors only, never a panic; what encodes
//! decodes back.
#![no_main]

use libfuzzer_sys::fuzz_target;
use spindle_protocol::gssapi::Principal;
use spindle_protocol::gssapi::principal::{canonical_host, replace_host};
use spindle_protocol::sasl::gssapi::{decode_layers, encode_layers, qops_of_mask, short_name};

fuzz_target!(|data: &[u8]| {
    if let Ok((mask, max, authzid)) = decode_layers(data) {
        assert_eq!(&encode_layers(mask, max)[..], &data[..4]);
        assert_eq!(authzid, &data[4..]);
        assert!(qops_of_mask(mask).len() <= 3);
    }
    let text = String::from_utf8_lossy(data);
    if let Ok(p) = Principal::parse(&text) {
        assert_eq!(Principal::parse(&p.to_string()), Ok(p.clone()));
        let _ = p.short_name_default("SPINDLE.TEST");
    }
    let _ = short_name(&text, "SPINDLE.TEST");
    let mid = (0..=text.len() / 2)
        .rev()
        .find(|i| text.is_char_boundary(*i))
        .unwrap_or(0);
    let (host, pattern) = text.split_at(mid);
    let _ = replace_host(pattern, host);
    let _ = canonical_host(host, pattern);
});
