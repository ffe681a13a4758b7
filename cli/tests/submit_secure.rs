//! `spindle submit` on a secure embedded cluster, as on a company cluster: a real MIT KDC,
//! Kerberos on the ResourceManager's client port (the user has a ticket from `kinit`), and
//! `hadoop.rpc.protection=privacy` on every port. The client submits with Kerberos, the AM
//! talks to the RM and the NodeManagers with its tokens, everything wrapped; Monte-Carlo pi runs
//! in cluster mode and the application belongs to the Kerberos user.

mod common;
mod user;

use spindle_minicluster::{KerberosOptions, MiniCluster, MiniClusterOptions};
use spindle_protocol::sasl::qop::Qop;
use spindle_tests::kdc::{Kdc, RM_PRINCIPAL_PATTERN, TestRealm, is_inner_run};
use user::User;

const PI: &str = "--num-executors 2 --executor-memory 128m -- spindle example pi 4 20000";

/// Runs `inner` in a child run of this test with a fresh KDC's environment (Kerberos reads its
/// configuration from the environment at start).
fn in_realm<F: std::future::Future<Output = ()>>(name: &str, inner: impl FnOnce(TestRealm) -> F) {
    if is_inner_run() {
        let rt = tokio::runtime::Builder::new_multi_thread()
            .worker_threads(2)
            .enable_all()
            .build()
            .expect("runtime");
        rt.block_on(inner(TestRealm::from_env()));
        return;
    }
    let kdc = Kdc::start().expect("start the KDC");
    let realm = kdc.test_realm().expect("test principals");
    let out = kdc
        .rerun_test(name, &realm.env())
        .unwrap_or_else(|e| panic!("{e}"));
    println!("{out}");
}

#[test]
fn spindle_submit_with_kerberos_and_privacy_everywhere() {
    in_realm(
        "spindle_submit_with_kerberos_and_privacy_everywhere",
        |realm| async move {
            let options = MiniClusterOptions {
                kerberos: Some(KerberosOptions {
                    principal: RM_PRINCIPAL_PATTERN.into(),
                    keytab: realm.rm_keytab.clone(),
                }),
                rpc_protection: vec![Qop::AuthConf],
                ..MiniClusterOptions::with_nodes(2, 4096, 8)
            };
            let cluster = MiniCluster::start(options)
                .await
                .expect("start the secure cluster");
            let me = User::of(cluster.conf_dir());
            let run = me.spindle(&format!("submit {PI}"), &[]).await;
            assert_eq!(run.code, 0, "{run}");
            assert!(run.stdout.contains("Pi is roughly 3.1"), "{run}");
            let id = run
                .stderr
                .split_whitespace()
                .find(|w| w.starts_with("application_"))
                .expect("the application id is printed")
                .trim_end_matches(|c: char| !c.is_ascii_alphanumeric())
                .parse()
                .expect("an application id");
            // The application is the Kerberos caller's (short name), not the Unix user's.
            let user = cluster.inspect(|rm| rm.report(&id).map(|r| r.user.unwrap_or_default()));
            assert_eq!(user.as_deref(), Ok("alice"), "{run}");
            cluster.shutdown().await;
        },
    );
}
