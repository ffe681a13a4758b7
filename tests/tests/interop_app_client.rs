//! Our ApplicationClientProtocol client (`ApplicationClient`, SIMPLE auth) against Hadoop's real
//! IPC server and the harness's RM handler.

use spindle_protocol::ids::ApplicationId;
use spindle_protocol::proto::yarn::FinalApplicationStatusProto::{AppKilled, AppUndefined};
use spindle_protocol::proto::yarn::YarnApplicationStateProto::{Accepted, Killed, Running};
use spindle_protocol::proto::yarn::{
    ApplicationReportProto, ApplicationSubmissionContextProto, ContainerLaunchContextProto,
    FinalApplicationStatusProto, PriorityProto, ResourceProto, YarnApplicationStateProto,
};
use spindle_protocol::proto::yarn_service::{
    GetApplicationReportRequestProto, GetApplicationsRequestProto, KillApplicationRequestProto,
    SubmitApplicationRequestProto,
};
use spindle_protocol::yarn::YarnError;
use spindle_protocol::yarn::client::ApplicationClient;
use spindle_tests::assert_yarn_error;
use spindle_tests::calls::{
    AM_RPC_PORT, AM_TRACKING_URL, USER, assert_remote_message, new_application_id, registered_am,
};
use spindle_tests::servers::{CLUSTER_TIMESTAMP, JavaYarnServers};

fn submission(id: ApplicationId) -> SubmitApplicationRequestProto {
    let mut clc = ContainerLaunchContextProto {
        command: vec!["sleep 1".into()],
        ..Default::default()
    };
    clc.add_env("SPINDLE_INTEROP", "1");
    SubmitApplicationRequestProto {
        application_submission_context: Some(ApplicationSubmissionContextProto {
            application_id: Some(id.to_proto()),
            application_name: Some("interop-rust-client".into()),
            queue: Some("default".into()),
            priority: Some(PriorityProto::new(0)),
            am_container_spec: Some(clc),
            resource: Some(ResourceProto::new(512, 1)),
            application_type: Some("SPINDLE".into()),
            ..Default::default()
        }),
    }
}

/// The report's (state, final status); unknown numbers fail the test.
fn states(r: &ApplicationReportProto) -> (YarnApplicationStateProto, FinalApplicationStatusProto) {
    let state = r
        .yarn_application_state
        .map(YarnApplicationStateProto::try_from);
    let status = r
        .final_application_status
        .map(FinalApplicationStatusProto::try_from);
    match (state, status) {
        (Some(Ok(state)), Some(Ok(status))) => (state, status),
        _ => panic!("a report without a known state and final status: {r:?}"),
    }
}

async fn report(
    client: &ApplicationClient,
    id: ApplicationId,
) -> Result<ApplicationReportProto, YarnError> {
    let r = client
        .get_application_report(&GetApplicationReportRequestProto {
            application_id: Some(id.to_proto()),
        })
        .await?;
    Ok(r.application_report.expect("a report"))
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn new_submit_report_kill() {
    let s = JavaYarnServers::started().await;
    let client = ApplicationClient::simple(s.client_addr.to_string(), USER);

    let new = client
        .get_new_application()
        .await
        .expect("getNewApplication");
    let id = ApplicationId::from_proto(new.application_id.as_ref().expect("application id"))
        .expect("id");
    assert_eq!(id, ApplicationId::new(CLUSTER_TIMESTAMP, 1));
    let max = new.maximum_capability.expect("maximum capability");
    assert_eq!(max.memory, Some(8192));

    client
        .submit_application(&submission(id))
        .await
        .expect("submitApplication");
    // Submitting the same application again is accepted (idempotent, as in the RM).
    client
        .submit_application(&submission(id))
        .await
        .expect("resubmit");

    let r = report(&client, id).await.expect("report");
    assert_eq!(states(&r), (Accepted, AppUndefined));
    assert_eq!(r.name.as_deref(), Some("interop-rust-client"));
    assert_eq!(r.application_type.as_deref(), Some("SPINDLE"));
    assert_eq!(
        r.user.as_deref(),
        Some("spindle"),
        "the SIMPLE user reached the server"
    );
    assert_eq!(r.host.as_deref(), Some("N/A"));

    // The report moves on when the AM registers (with the AMRMToken of this application).
    let _am = registered_am(s.am_addr, &s.am_token).await;
    let r = report(&client, id).await.expect("report after register");
    assert_eq!(states(&r), (Running, AppUndefined));
    assert_eq!(
        (r.host.as_deref(), r.rpc_port, r.tracking_url.as_deref()),
        (Some("127.0.0.1"), Some(AM_RPC_PORT), Some(AM_TRACKING_URL))
    );

    let all = client
        .get_applications(&GetApplicationsRequestProto::default())
        .await
        .expect("getApplications");
    assert_eq!(all.applications.len(), 1);

    let kill = client
        .force_kill_application(&KillApplicationRequestProto {
            application_id: Some(id.to_proto()),
            diagnostics: Some("killed by the interop test".into()),
        })
        .await
        .expect("forceKillApplication");
    assert_eq!(kill.is_kill_completed, Some(true));
    let r = report(&client, id).await.expect("report after kill");
    assert_eq!(states(&r), (Killed, AppKilled));
    assert_eq!(r.diagnostics.as_deref(), Some("killed by the interop test"));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn errors_keep_their_java_class() {
    let s = JavaYarnServers::started().await;
    let client = ApplicationClient::simple(s.client_addr.to_string(), USER);
    let missing = ApplicationId::new(CLUSTER_TIMESTAMP, 9999);
    // Unknown applications: the report and the kill fail with the RM's class.
    assert_yarn_error!(
        report(&client, missing).await,
        ApplicationNotFound,
        "application_1700000000000_9999"
    );
    assert_yarn_error!(
        client
            .force_kill_application(&KillApplicationRequestProto {
                application_id: Some(missing.to_proto()),
                diagnostics: None,
            })
            .await,
        ApplicationNotFound
    );
    // An id the RM never issued is refused.
    let err = client
        .submit_application(&submission(ApplicationId::new(CLUSTER_TIMESTAMP, 77)))
        .await
        .expect_err("unissued id");
    assert_eq!(
        err.class_name(),
        Some("org.apache.hadoop.yarn.exceptions.YarnException"),
        "{err:?}"
    );
    // An AM resource above the maximum is refused.
    let id = new_application_id(&client)
        .await
        .expect("getNewApplication");
    let mut big = submission(id);
    if let Some(ctx) = big.application_submission_context.as_mut() {
        ctx.resource = Some(ResourceProto::new(64 * 1024, 1));
    }
    assert_yarn_error!(
        client.submit_application(&big).await,
        InvalidResourceRequest
    );
    // Methods the harness does not serve answer with a YarnException, and the connection stays usable.
    let err = client
        .get_queue_info(&Default::default())
        .await
        .expect_err("getQueueInfo is not served");
    assert_remote_message(&err, "not served");
    client
        .get_cluster_metrics()
        .await
        .expect("getClusterMetrics on the same connection");
}
