//! The GSS-API layer (`spindle_protocol::gssapi`) against a real MIT KDC: a client context from
//! a `kinit` ticket cache and from a keytab, a server context from a keytab, wrap and unwrap
//! both ways, and the errors a user can act on.
//!
//! The library reads its configuration (`KRB5_CONFIG`) from the environment, so each test
//! starts a KDC, then re-runs itself in a child process with that environment
//! (`Kdc::rerun_test`); the child does the Kerberos work.

use spindle_protocol::gssapi::{
    AcceptorContext, AcceptorCredential, ClientCredential, InitiatorContext, KerberosCredentials,
    KerberosError,
};
use spindle_tests::kdc::{REALM, two_part_test};

fn env(name: &str) -> String {
    std::env::var(name).unwrap_or_else(|_| panic!("{name} not set for the inner run"))
}

/// Establishes a context from `client` to the RM principal and checks wrapping both ways.
fn handshake(client: &KerberosCredentials) {
    let cred = ClientCredential::acquire(client).expect("client credential");
    assert_eq!(cred.principal(), format!("alice@{REALM}"));
    let server_principal = format!("rm/localhost@{REALM}");
    let acceptor =
        AcceptorCredential::from_keytab(&server_principal, std::path::Path::new(&env("RM_KEYTAB")))
            .expect("acceptor credential");
    let mut client = InitiatorContext::new(&cred, &server_principal).expect("initiator");
    let mut server = AcceptorContext::new(&acceptor);
    let ap_req = client.step(&[]).expect("AP-REQ").expect("a first token");
    assert_eq!(
        &ap_req[..2],
        &[0x60, 0x82],
        "an RFC 2743 InitialContextToken"
    );
    let ap_rep = server.step(&ap_req).expect("accept");
    assert_eq!(
        server.client_principal(),
        Some(format!("alice@{REALM}").as_str())
    );
    assert_eq!(client.step(&ap_rep).expect("AP-REP"), None);
    assert!(client.is_complete());
    let (c, s) = (client.into_session(), server.into_session());
    for encrypt in [false, true] {
        let token = c.wrap(encrypt, b"hello server").unwrap();
        assert_eq!(&token[..2], &[0x05, 0x04], "an RFC 4121 wrap token");
        assert_eq!(
            s.unwrap(&token).unwrap(),
            (b"hello server".to_vec(), encrypt)
        );
        let token = s.wrap(encrypt, b"hello client").unwrap();
        assert_eq!(
            c.unwrap(&token).unwrap(),
            (b"hello client".to_vec(), encrypt)
        );
    }
    // A token unwrapped twice is a replay.
    let token = c.wrap(true, b"once").unwrap();
    s.unwrap(&token).unwrap();
    assert!(s.unwrap(&token).is_err());
}

#[test]
fn contexts_from_a_ticket_cache_and_from_a_keytab() {
    two_part_test(
        "contexts_from_a_ticket_cache_and_from_a_keytab",
        |kdc| {
            let (_, rm_keytab) = kdc.add_principal("rm/localhost").unwrap();
            let (alice, alice_keytab) = kdc.add_principal("alice").unwrap();
            let cache = kdc.kinit(&alice, &alice_keytab).unwrap();
            vec![
                ("KRB5CCNAME", cache),
                ("RM_KEYTAB", rm_keytab.display().to_string()),
                ("ALICE_KEYTAB", alice_keytab.display().to_string()),
            ]
        },
        || {
            handshake(&KerberosCredentials::TicketCache);
            handshake(&KerberosCredentials::Keytab {
                principal: format!("alice@{REALM}"),
                keytab: env("ALICE_KEYTAB").into(),
            });
        },
    );
}

#[test]
fn errors_say_what_to_do() {
    two_part_test(
        "errors_say_what_to_do",
        |kdc| {
            let (_, alice_keytab) = kdc.add_principal("alice").unwrap();
            vec![
                ("KRB5CCNAME", kdc.empty_cache()),
                ("ALICE_KEYTAB", alice_keytab.display().to_string()),
            ]
        },
        || {
            let err = ClientCredential::acquire(&KerberosCredentials::TicketCache).unwrap_err();
            assert!(matches!(err, KerberosError::NoTicket(_)), "{err:?}");
            assert!(err.to_string().contains("kinit"), "{err}");
            let missing = KerberosCredentials::Keytab {
                principal: format!("alice@{REALM}"),
                keytab: "/nonexistent.keytab".into(),
            };
            assert!(matches!(
                ClientCredential::acquire(&missing),
                Err(KerberosError::NoTicket(_))
            ));
            let cred = ClientCredential::acquire(&KerberosCredentials::Keytab {
                principal: format!("alice@{REALM}"),
                keytab: env("ALICE_KEYTAB").into(),
            })
            .unwrap();
            let wrong = format!("rm/elsewhere@{REALM}");
            let err = InitiatorContext::new(&cred, &wrong)
                .unwrap()
                .step(&[])
                .unwrap_err();
            assert!(
                matches!(&err, KerberosError::UnknownServer { principal, .. } if *principal == wrong),
                "{err:?}"
            );
            let err = AcceptorCredential::from_keytab(
                &format!("rm@{REALM}"),
                std::path::Path::new(&env("ALICE_KEYTAB")),
            )
            .unwrap_err();
            assert!(err.to_string().contains("three parts"), "{err}");
        },
    );
}

#[test]
fn an_expired_ticket_says_kinit_again() {
    two_part_test(
        "an_expired_ticket_says_kinit_again",
        |kdc| {
            let (alice, alice_keytab) = kdc.add_principal("alice").unwrap();
            // Tickets for alice live 2 s (the KDC caps them at her maximum).
            kdc.admin(&format!("modprinc -maxlife \"2 seconds\" {alice}"))
                .unwrap();
            let cache = kdc.kinit(&alice, &alice_keytab).unwrap();
            std::thread::sleep(std::time::Duration::from_secs(3));
            vec![("KRB5CCNAME", cache)]
        },
        || {
            let err = ClientCredential::acquire(&KerberosCredentials::TicketCache).unwrap_err();
            assert!(matches!(err, KerberosError::Expired(_)), "{err:?}");
            assert!(err.to_string().contains("run `kinit` again"), "{err}");
        },
    );
}
