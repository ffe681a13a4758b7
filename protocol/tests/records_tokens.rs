//! Property tests of tokens and credentials: every form round-trips, and no input makes the
//! readers panic (they return typed errors instead).

use proptest::prelude::*;
use spindle_protocol::credentials::{Credentials, CredentialsError};
use spindle_protocol::token::{Token, hmac_sha1_password};

fn token() -> impl Strategy<Value = Token> {
    (
        proptest::collection::vec(any::<u8>(), 0..64),
        proptest::collection::vec(any::<u8>(), 0..24),
        "[A-Za-z_]{0,20}",
        "[0-9.:,]{0,30}",
    )
        .prop_map(|(i, p, k, s)| Token::new(i, p, k, s))
}

fn credentials() -> impl Strategy<Value = Credentials> {
    (
        proptest::collection::vec(("[a-z0-9:.]{0,12}", token()), 0..4),
        proptest::collection::vec(
            ("[a-z]{0,8}", proptest::collection::vec(any::<u8>(), 0..16)),
            0..3,
        ),
    )
        .prop_map(|(tokens, secrets)| {
            let mut c = Credentials::new();
            for (alias, t) in tokens {
                c.add_token(alias, t);
            }
            for (alias, s) in secrets {
                c.add_secret(alias, s);
            }
            c
        })
}

proptest! {
    #[test]
    fn token_forms_round_trip(t in token()) {
        prop_assert_eq!(Token::from_writable_bytes(&t.to_writable_bytes()).unwrap(), t.clone());
        let url = t.encode_url_string();
        prop_assert!(url.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_'));
        prop_assert_eq!(Token::decode_url_string(&url).unwrap(), t.clone());
        prop_assert_eq!(Token::from_proto(&t.to_proto()), t);
    }

    #[test]
    fn issued_tokens_verify(id in proptest::collection::vec(any::<u8>(), 0..64),
                            key in proptest::collection::vec(any::<u8>(), 1..80)) {
        let t = Token::issue(id.clone(), &key, "K", "");
        prop_assert_eq!(t.password.len(), 20);
        prop_assert_eq!(&t.password, &hmac_sha1_password(&key, &id));
        prop_assert!(t.verify(&key));
        let mut other = key.clone();
        other[0] ^= 1;
        prop_assert!(!t.verify(&other));
    }

    #[test]
    fn credentials_round_trip_in_both_formats(c in credentials(), pad in 0usize..40) {
        let mut w = c.to_bytes();
        prop_assert_eq!(&w[..5], b"HDTS\x00");
        w.resize(w.len() + pad, 0);
        prop_assert_eq!(Credentials::from_bytes(&w).unwrap(), c.clone());
        let mut p = c.to_protobuf_bytes();
        p.resize(p.len() + pad, 0);
        prop_assert_eq!(Credentials::from_bytes(&p).unwrap(), c);
    }

    #[test]
    fn readers_never_panic_on_garbage(data in proptest::collection::vec(any::<u8>(), 0..96)) {
        let _ = Token::from_writable_bytes(&data);
        let mut with_magic = b"HDTS".to_vec();
        with_magic.extend_from_slice(&data);
        let _ = Credentials::from_bytes(&with_magic);
        let _ = Credentials::from_bytes(&data);
    }

    #[test]
    fn mutated_credentials_give_errors_not_panics(c in credentials(), at in any::<prop::sample::Index>(), byte in any::<u8>()) {
        let mut w = c.to_bytes();
        let i = at.index(w.len());
        let changed = w[i] != byte;
        w[i] = byte;
        match Credentials::from_bytes(&w) {
            Ok(_) => prop_assert!(!(i < 4 && changed), "a changed magic must be refused"),
            Err(e) => {
                // Every error renders a message that says what was wrong.
                prop_assert!(!e.to_string().is_empty());
                let bad_magic = matches!(e, CredentialsError::BadMagic { .. });
                prop_assert_eq!(bad_magic, i < 4 && changed, "{}", e);
            }
        }
    }
}
