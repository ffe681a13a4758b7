//! Calls per second over Kerberos (SASL GSSAPI) at each `hadoop.rpc.protection`: Hadoop's Java
//! client (`JavaBench`, logged in from a `kinit` ticket cache) and ours (`ApplicationClient`
//! with Kerberos) making the same sequential `getApplicationReport` calls on the same server,
//! for Hadoop's Kerberized server (`JavaYarnServers`) and our secure embedded cluster. With
//! integrity and privacy every frame goes through `gss_wrap`.
//!
//! The bench starts a real MIT KDC and re-runs itself with the realm's environment (MIT's
//! library reads `KRB5_CONFIG` from the environment only). Run with
//! `cargo bench -p spindle-tests --bench interop_kerberos_calls`.

use std::process::Command;
use std::time::Duration;

use spindle_minicluster::{KerberosOptions, MiniCluster, MiniClusterOptions};
use spindle_protocol::gssapi::KerberosCredentials;
use spindle_protocol::sasl::Qop;
use spindle_protocol::yarn::client::ApplicationClient;
use spindle_tests::bench::{BenchMode, print_result, run_java_bench_with, sequential};
use spindle_tests::calls::{application_report, submit_unmanaged};
use spindle_tests::kdc::{INNER_ENV, Kdc, RM_PRINCIPAL_PATTERN, TestRealm, is_inner_run};
use spindle_tests::servers::JavaYarnServers;

const WARMUP: Duration = Duration::from_secs(2);
const MEASURE: Duration = Duration::from_secs(4);

/// Our Kerberos client's loop on `rm`: submit one application, then report on it.
async fn ours(rm: std::net::SocketAddr, qop: Qop) -> spindle_tests::bench::BenchResult {
    let client = ApplicationClient::kerberos(
        rm.to_string(),
        KerberosCredentials::TicketCache,
        RM_PRINCIPAL_PATTERN,
        &[qop],
    );
    let id = submit_unmanaged(&client, "bench").await.expect("submit");
    sequential(WARMUP, MEASURE, || async {
        application_report(&client, id).await.expect("report");
    })
    .await
}

async fn measure(realm: TestRealm) {
    println!(
        "\nsequential getApplicationReport over Kerberos, one connection, {MEASURE:?} after {WARMUP:?} warm-up:"
    );
    for qop in [Qop::Auth, Qop::AuthInt, Qop::AuthConf] {
        let call = format!("report (Kerberos, {qop})");
        let java_client = realm.java_client(qop.protection_name());
        let java = JavaYarnServers::start_configured(1, realm.java_server(qop.protection_name()))
            .await
            .expect("start Hadoop's Kerberized servers");
        let cluster = MiniCluster::start(MiniClusterOptions {
            kerberos: Some(KerberosOptions {
                principal: RM_PRINCIPAL_PATTERN.into(),
                keytab: realm.rm_keytab.clone(),
            }),
            rpc_protection: vec![qop],
            rest: false,
            ..MiniClusterOptions::default()
        })
        .await
        .expect("start our secure cluster");
        for (server, rm) in [
            ("Java server", java.client_addr),
            ("our server", cluster.rm_address()),
        ] {
            let r = run_java_bench_with(BenchMode::Report, rm, None, WARMUP, MEASURE, &java_client)
                .await
                .unwrap_or_else(|e| panic!("Java client → {server} at {qop}: {e}"));
            print_result(&call, "Java client", server, &r);
            print_result(&call, "our client ", server, &ours(rm, qop).await);
        }
        cluster.shutdown().await;
        drop(java);
    }
}

fn main() {
    if is_inner_run() {
        let rt = tokio::runtime::Runtime::new().expect("tokio runtime");
        rt.block_on(measure(TestRealm::from_env()));
        return;
    }
    let kdc = Kdc::start().expect("start the KDC");
    let realm = kdc.test_realm().expect("test principals");
    let mut inner = Command::new(std::env::current_exe().expect("this bench's path"));
    inner.env(INNER_ENV, "1");
    for (k, v) in kdc.env() {
        inner.env(k, v);
    }
    for (k, v) in realm.env() {
        inner.env(k, v);
    }
    let status = inner.status().expect("run the measuring process");
    assert!(status.success(), "the measuring process failed: {status}");
}
