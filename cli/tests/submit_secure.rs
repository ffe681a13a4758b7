//! `spindle submit` on a secure embedded cluster, as on a company cluster: a real MIT KDC,
//! Kerberos on the ResourceManager's client port (the user has a ticket from `kinit`), and
//! `hadoop.rpc.protection=privacy` on every port. The client submits with Kerberos, the AM
//! talks to the RM and the NodeManagers with its tokens, everything wrapped; Monte-Carlo pi runs
//! in cluster mode and the application belongs to the Kerberos user.

mod common;
mod user;

use spindle_minicluster::{KerberosOptions, MiniCluster, MiniClusterOptions};
use spindle_protocol::sasl::qop::Qop;
use spindle_tests::kdc::{RM_PRINCIPAL_PATTERN, in_realm};
use user::User;

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
            let run = me.submits_pi("").await;
            let id = run.application_id().parse().expect("an application id");
            // The application is the Kerberos caller's (short name), not the Unix user's.
            let user = cluster.inspect(|rm| rm.report(&id).map(|r| r.user.unwrap_or_default()));
            assert_eq!(user.as_deref(), Ok("alice"), "{run}");
            cluster.shutdown().await;
        },
    );
}
