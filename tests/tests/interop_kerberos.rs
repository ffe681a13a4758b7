//! Kerberos (SASL GSSAPI) against Hadoop's own code and a real MIT KDC, at each
//! `hadoop.rpc.protection`:
//! * our `ApplicationClient` with Kerberos ⇄ Hadoop's Kerberized IPC server (logged in from the
//!   RM's keytab), from a `kinit` ticket cache and from a keytab;
//! * Hadoop's `YarnClient` with Kerberos, and its `AMRMClient` and `NMClient` with tokens ⇄
//!   our secure embedded cluster;
//! * the errors a user meets: no ticket, wrong server principal, mismatched protection.
//!
//! MIT's library reads `KRB5_CONFIG` from the environment only, so each test starts a KDC and
//! then re-runs itself in a child process pointed at that realm (`Kdc::rerun_test`); the child
//! does the work, the parent checks it passed. The KDC stops when the test ends.

use std::time::Duration;

use spindle_minicluster::{KerberosOptions, MiniCluster, MiniClusterOptions};
use spindle_protocol::credentials::Credentials;
use spindle_protocol::gssapi::KerberosCredentials;
use spindle_protocol::ids::ApplicationId;
use spindle_protocol::proto::security::{
    CancelDelegationTokenRequestProto, RenewDelegationTokenRequestProto,
};
use spindle_protocol::sasl::Qop;
use spindle_protocol::token::KIND_RM_DELEGATION_TOKEN;
use spindle_protocol::yarn::client::ApplicationClient;
use spindle_protocol::yarn::delegation::RmDelegationTokenIdentifier;
use spindle_tests::calls::{application_report, submit_unmanaged};
use spindle_tests::clients::{assert_every_step_passes, run_java_clients};
use spindle_tests::kdc::{RM_PRINCIPAL_PATTERN, TestRealm, in_realm};
use spindle_tests::ours::{OurCluster, Secure, assert_nodes_empty, run_java_app};
use spindle_tests::servers::JavaYarnServers;

const PROTECTIONS: [Qop; 3] = [Qop::Auth, Qop::AuthInt, Qop::AuthConf];

/// `options` made secure with the realm's RM principal, every port offering privacy only (a
/// connection that did not negotiate it fails).
fn private(realm: &TestRealm, options: MiniClusterOptions) -> MiniClusterOptions {
    MiniClusterOptions {
        kerberos: Some(rm_identity(realm)),
        rpc_protection: vec![Qop::AuthConf],
        ..options
    }
}

/// The RM's Kerberos identity in the test realm.
fn rm_identity(realm: &TestRealm) -> KerberosOptions {
    KerberosOptions {
        principal: RM_PRINCIPAL_PATTERN.into(),
        keytab: realm.rm_keytab.clone(),
    }
}

/// Our Kerberos client of the RM at `addr`.
fn kerberos_client(
    addr: std::net::SocketAddr,
    creds: KerberosCredentials,
    qop: Qop,
) -> ApplicationClient {
    ApplicationClient::kerberos(addr.to_string(), creds, RM_PRINCIPAL_PATTERN, &[qop])
}

/// Submits an unmanaged application through `client` and returns the user the RM recorded.
async fn submitted_user(client: &ApplicationClient) -> String {
    let id = submit_unmanaged(client, "kerberos-interop")
        .await
        .expect("submit");
    let report = application_report(client, id).await.expect("report");
    report.user.unwrap_or_default()
}

#[test]
fn our_kerberos_client_against_hadoops_kerberized_server() {
    in_realm(
        "our_kerberos_client_against_hadoops_kerberized_server",
        |realm| async move {
            for qop in PROTECTIONS {
                let server =
                    JavaYarnServers::start_configured(1, realm.java_server(qop.protection_name()))
                        .await
                        .expect("start Hadoop's Kerberized servers");
                let login = server
                    .process
                    .fact("kerberos_login")
                    .unwrap_or_default()
                    .to_string();
                assert!(login.starts_with(&realm.rm_principal), "{login}");
                // From the kinit ticket cache.
                let client =
                    kerberos_client(server.client_addr, KerberosCredentials::TicketCache, qop);
                assert_eq!(
                    submitted_user(&client).await,
                    "alice",
                    "{qop}: Hadoop's server maps alice@REALM to alice\n{}",
                    server.process.stderr_tail()
                );
                // From a keytab, without any ticket cache.
                let keytab = KerberosCredentials::Keytab {
                    principal: realm.user_principal.clone(),
                    keytab: realm.user_keytab.clone(),
                };
                let client = kerberos_client(server.client_addr, keytab, qop);
                assert_eq!(submitted_user(&client).await, "alice", "{qop}");
            }
        },
    );
}

#[test]
fn kerberos_errors_say_what_to_do() {
    in_realm("kerberos_errors_say_what_to_do", |realm| async move {
        let server = JavaYarnServers::start_configured(1, realm.java_server("privacy"))
            .await
            .expect("start Hadoop's Kerberized servers");
        let addr = server.client_addr.to_string();
        let call = |client: ApplicationClient| async move {
            client.get_new_application().await.unwrap_err().to_string()
        };
        // The server's principal is not the configured one: refused before sending anything.
        let err = call(ApplicationClient::kerberos(
            addr.clone(),
            KerberosCredentials::TicketCache,
            "rm/elsewhere@SPINDLE.TEST",
            &[Qop::AuthConf],
        ))
        .await;
        assert!(
            err.contains("Server has invalid Kerberos principal: rm/localhost@SPINDLE.TEST, expecting: rm/elsewhere@SPINDLE.TEST"),
            "{err}"
        );
        // Protection lists without a common element name both.
        let err = call(ApplicationClient::kerberos(
            addr.clone(),
            KerberosCredentials::TicketCache,
            RM_PRINCIPAL_PATTERN,
            &[Qop::Auth],
        ))
        .await;
        assert!(
            err.contains("ours is [authentication]") && err.contains("offers [privacy]"),
            "{err}"
        );
        // No ticket: say kinit.
        let missing = KerberosCredentials::Keytab {
            principal: realm.user_principal.clone(),
            keytab: "/nonexistent/alice.keytab".into(),
        };
        let err = call(ApplicationClient::kerberos(
            addr.clone(),
            missing,
            RM_PRINCIPAL_PATTERN,
            &[Qop::AuthConf],
        ))
        .await;
        assert!(err.contains("kinit"), "{err}");
    });
}

#[test]
fn hadoop_clients_against_our_secure_cluster() {
    in_realm(
        "hadoop_clients_against_our_secure_cluster",
        |realm| async move {
            for qop in PROTECTIONS {
                let secure = Secure {
                    rm: rm_identity(&realm),
                    submitter: KerberosCredentials::TicketCache,
                    java: realm.java_client(qop.protection_name()),
                };
                let ours = OurCluster::start_secure(&[qop], secure)
                    .await
                    .expect("start our secure cluster");
                // Our own Kerberos submission: the application's user is the short name.
                let client = kerberos_client(
                    ours.cluster.rm_address(),
                    KerberosCredentials::TicketCache,
                    qop,
                );
                let report = application_report(&client, ours.app).await.expect("report");
                assert_eq!(report.user.as_deref(), Some("alice"), "{qop}");
                // Hadoop's YarnClient with Kerberos; AMRMClient and NMClient with their tokens.
                assert_every_step_passes(&ours.endpoints()).await;
                // Hadoop's RM delegation token API: get it (and decode our identifier), use it
                // as another user, renew and cancel it.
                run_java_clients(&ours.endpoints(), &["dt"])
                    .await
                    .expect("run JavaYarnClients dt")
                    .assert_ok(&["dt.get", "dt.use", "dt.renew", "dt.cancel"]);
                // SIMPLE is refused on a secure cluster.
                let err =
                    ApplicationClient::simple(ours.cluster.rm_address().to_string(), "mallory")
                        .get_new_application()
                        .await
                        .unwrap_err()
                        .to_string();
                assert!(
                    err.contains("SIMPLE authentication is not enabled"),
                    "{err}"
                );
                ours.shutdown().await;
            }
        },
    );
}

#[test]
fn a_whole_application_on_the_secure_cluster_with_privacy_everywhere() {
    in_realm(
        "a_whole_application_on_the_secure_cluster_with_privacy_everywhere",
        |realm| async move {
            let cluster =
                MiniCluster::start(private(&realm, MiniClusterOptions::with_nodes(2, 4096, 8)))
                    .await
                    .expect("start the cluster");
            // The client submits with Kerberos; the AM (a container) and its NM calls use the
            // AMRMToken and NMTokens the cluster issued, with the cluster's core-site.xml.
            let (p, report) = run_java_app(&cluster, 3, &realm.java_client("privacy")).await;
            assert!(
                p.fact("kerberos_login")
                    .unwrap_or_default()
                    .starts_with("alice@SPINDLE.TEST"),
                "{report}"
            );
            assert_eq!(p.fact("final_status").unwrap(), "SUCCEEDED", "{report}");
            assert!(
                p.fact("diagnostics")
                    .unwrap()
                    .contains("3/3 containers succeeded"),
                "{report}"
            );
            eprintln!(
                "secure cluster, privacy everywhere: submit→FINISHED {} ms, client JVM {} ms, login {}",
                p.fact("submit_to_finished_ms").unwrap_or("?"),
                p.fact("client_total_ms").unwrap_or("?"),
                p.fact("kerberos_login").unwrap_or("?"),
            );
            // The application belongs to the Kerberos caller's short name.
            let app = p.fact("app_id").unwrap().parse::<ApplicationId>().unwrap();
            let user = cluster.inspect(|rm| rm.report(&app).map(|r| r.user.unwrap_or_default()));
            assert_eq!(user.as_deref(), Ok("alice"), "{report}");
            assert_nodes_empty(&cluster, Duration::from_secs(30)).await;
            cluster.shutdown().await;
        },
    );
}

#[test]
fn rm_delegation_tokens_on_our_secure_cluster() {
    in_realm(
        "rm_delegation_tokens_on_our_secure_cluster",
        |realm| async move {
            let cluster = MiniCluster::start(private(&realm, MiniClusterOptions::default()))
                .await
                .expect("start the cluster");
            let rm = cluster.rm_address();
            let alice = kerberos_client(rm, KerberosCredentials::TicketCache, Qop::AuthConf);
            let token = alice
                .rm_delegation_token("alice")
                .await
                .expect("get a token");
            let id = RmDelegationTokenIdentifier::decode(&token.identifier).unwrap();
            assert_eq!(
                (
                    id.owner.as_str(),
                    id.renewer.as_str(),
                    token.service.clone()
                ),
                ("alice@SPINDLE.TEST", "alice", rm.to_string())
            );
            // Handed over in a credentials file, as to an AM, and used from there.
            let dir = tempfile::tempdir().unwrap();
            let file = dir.path().join("container_tokens");
            let mut creds = Credentials::new();
            creds.add_token(token.service.clone(), token.clone());
            creds.write_file(&file).unwrap();
            let read = Credentials::read_file(&file).unwrap();
            let from_file = read
                .token_by_kind(KIND_RM_DELEGATION_TOKEN)
                .unwrap()
                .clone();
            let holder = ApplicationClient::with_delegation_token(
                rm.to_string(),
                &from_file,
                &[Qop::AuthConf],
            );
            assert_eq!(
                submitted_user(&holder).await,
                "alice",
                "TOKEN auth with privacy acts as alice"
            );
            // A caller authenticated by a token cannot get another one.
            let err = holder
                .rm_delegation_token("alice")
                .await
                .unwrap_err()
                .to_string();
            assert!(err.contains("only with kerberos authentication"), "{err}");
            // The renewer renews; the owner cancels; then the token is refused.
            let expiry = alice
                .renew_delegation_token(&RenewDelegationTokenRequestProto {
                    token: token.to_proto(),
                })
                .await
                .expect("renew")
                .new_expiry_time;
            assert!(expiry as i64 > spindle_protocol::yarn::delegation::now_ms() + 3_600_000);
            alice
                .cancel_delegation_token(&CancelDelegationTokenRequestProto {
                    token: token.to_proto(),
                })
                .await
                .expect("cancel");
            let refused =
                ApplicationClient::with_delegation_token(rm.to_string(), &token, &[Qop::AuthConf])
                    .get_new_application()
                    .await
                    .unwrap_err();
            assert!(
                refused.to_string().contains("can't be found in cache"),
                "{refused}"
            );
            // The cluster's own unmanaged submission passes the secure client port (SIMPLE is
            // refused there) with a delegation token of its own, as the given user.
            let (app, _) = cluster
                .submit_unmanaged("bob", "secure-unmanaged")
                .await
                .expect("submit_unmanaged on a secure cluster");
            let user = cluster.inspect(|rm| rm.report(&app).map(|r| r.user.unwrap_or_default()));
            assert_eq!(user.as_deref(), Ok("bob"));
            cluster.shutdown().await;
        },
    );
}
