//! A whole application on the embedded cluster, driven with Spindle's own typed clients over
//! real sockets: submit → the AM container is launched by an NM's runner → register →
//! allocate → start containers through the NMs with NMTokens → completed statuses → finish →
//! FINISHED.

mod common;

use std::collections::HashMap;
use std::time::Duration;

use common::*;
use spindle_minicluster::MiniCluster;
use spindle_protocol::ids::ApplicationId;
use spindle_protocol::proto::yarn::*;
use spindle_protocol::proto::yarn_service::*;
use spindle_protocol::token::Token;
use spindle_protocol::yarn::client::ApplicationClient;
use spindle_protocol::yarn::nm::ContainerManagerClient;

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn submit_register_allocate_start_finish() {
    let c = cluster(2).await;
    let yarn_site = std::fs::read_to_string(c.conf_dir().join("yarn-site.xml")).unwrap();
    assert!(yarn_site.contains(&c.rm_address().to_string()));
    assert!(yarn_site.contains(&c.scheduler_address().to_string()));

    let client = client(&c);
    let metrics = client.get_cluster_metrics().await.unwrap();
    assert_eq!(metrics.cluster_metrics.unwrap().num_active_nms, Some(2));
    let nodes = client
        .get_cluster_nodes(&GetClusterNodesRequestProto::default())
        .await
        .unwrap();
    assert_eq!(nodes.node_reports.len(), 2);

    let new = client.get_new_application().await.unwrap();
    let max = new.maximum_capability.clone().unwrap();
    assert_eq!((max.memory, max.virtual_cores), (Some(2048), Some(4)));
    let (id, am) = submit_script_am(&client, "lifecycle").await;
    let r = report(&client, id).await;
    assert_eq!(
        r.yarn_application_state(),
        YarnApplicationStateProto::Accepted
    );
    assert_eq!(r.user(), USER);
    assert_eq!(r.application_type(), "SPINDLE-TEST");

    // The NM's runner launched the AM with what a real NM gives it.
    let (env, amrm) = am.wait_started().await;
    let attempt = attempt_of(&amrm);
    assert_eq!(attempt.application_id, id);
    let container_id = env_of(&env, "CONTAINER_ID").unwrap();
    assert!(container_id.ends_with("_01_000001"), "{container_id}");
    assert_eq!(
        env_of(&env, "APPLICATION_WEB_PROXY_BASE"),
        Some(format!("/proxy/{id}").as_str())
    );
    assert_eq!(env_of(&env, "MAX_APP_ATTEMPTS"), Some("2"));
    assert!(env_of(&env, "APP_SUBMIT_TIME_ENV").is_some());
    assert_eq!(env_of(&env, "SPINDLE_TEST_AM"), Some("1"));
    assert_eq!(env_of(&env, "USER"), Some(USER));
    assert_eq!(
        env_of(&env, "HADOOP_CONF_DIR"),
        Some(c.conf_dir().to_str().unwrap())
    );
    assert!(env_of(&env, "LOCAL_DIRS").is_some() && env_of(&env, "LOG_DIRS").is_some());
    assert!(
        amrm.service.is_empty(),
        "the RM issues AMRMTokens with an empty service"
    );

    // Register: RUNNING, with host, port and tracking URL.
    let am_client = am_client(&c, &amrm);
    let reg = am_client
        .register_application_master(&register_request())
        .await
        .unwrap();
    assert_eq!(reg.queue.as_deref(), Some("default"));
    let r = report(&client, id).await;
    assert_eq!(
        r.yarn_application_state(),
        YarnApplicationStateProto::Running
    );
    assert_eq!((r.host(), r.rpc_port()), ("127.0.0.1", 4242));
    // The tracking URL clients see is the RM's web proxy; the AM's own is the original.
    assert_eq!(
        r.tracking_url(),
        format!("http://{}/proxy/{id}/", c.rest_address().unwrap())
    );
    assert_eq!(r.original_tracking_url(), "http://127.0.0.1:4243/ui");
    assert_eq!(
        r.current_application_attempt_id.clone().unwrap(),
        attempt.to_proto()
    );

    // Allocate three containers.
    let ask = ask_anywhere(256, 3);
    let mut rid = 0;
    let mut containers = Vec::new();
    let mut nm_tokens: HashMap<String, Token> = HashMap::new();
    let mut asks = vec![ask];
    let deadline = tokio::time::Instant::now() + WAIT;
    while containers.len() < 3 {
        assert!(tokio::time::Instant::now() < deadline, "no containers");
        let r = am_client
            .allocate(&allocate_request(rid, std::mem::take(&mut asks)))
            .await
            .unwrap();
        rid = r.response_id();
        assert_eq!(r.num_cluster_nodes, Some(2));
        for t in &r.nm_tokens {
            let tok = Token::from_proto(t.token.as_ref().unwrap());
            assert!(
                nm_tokens.insert(tok.service.clone(), tok).is_none(),
                "NMToken sent twice for a node"
            );
        }
        containers.extend(r.allocated_containers);
    }
    assert_eq!(containers.len(), 3);

    // Start them through their NMs: two succeed, one fails with exit 3.
    let commands = ["exit 0", "echo hello; exit 0", "exit 3"];
    let mut expected = HashMap::new();
    for (cont, cmd) in containers.iter().zip(commands) {
        let node = cont.node().unwrap().to_string();
        let token = nm_tokens
            .get(&node)
            .expect("an NMToken for every node used");
        let nm = ContainerManagerClient::with_token(node.clone(), token, attempt.to_string());
        let reply = nm
            .start_containers(&start_request(task(cmd), cont))
            .await
            .unwrap();
        assert!(reply.failed_requests.is_empty(), "{reply:?}");
        assert_eq!(reply.succeeded_requests, vec![cont.id.clone().unwrap()]);
        expected.insert(
            cont.container_id().unwrap(),
            if cmd.ends_with('3') { 3 } else { 0 },
        );
    }

    // Their exits come back as completed statuses.
    let mut done = HashMap::new();
    let deadline = tokio::time::Instant::now() + WAIT;
    while done.len() < 3 {
        assert!(
            tokio::time::Instant::now() < deadline,
            "completions missing: {done:?}"
        );
        let r = am_client
            .allocate(&allocate_request(rid, vec![]))
            .await
            .unwrap();
        rid = r.response_id();
        for s in r.completed_container_statuses {
            done.insert(s.id().unwrap(), s.exit_status());
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    assert_eq!(done, expected);

    // Unregister: FINISHED / SUCCEEDED at once; the AM then exits.
    let fin = am_client
        .finish_application_master(&FinishApplicationMasterRequestProto {
            diagnostics: Some("all good".into()),
            final_application_status: Some(FinalApplicationStatusProto::AppSucceeded as i32),
            tracking_url: None,
        })
        .await
        .unwrap();
    assert_eq!(fin.is_unregistered, Some(true));
    let pid = am.pid();
    am.exit(0);
    let r = wait_state(&client, id, YarnApplicationStateProto::Finished).await;
    assert_eq!(
        r.final_application_status(),
        FinalApplicationStatusProto::AppSucceeded
    );
    assert_eq!(r.diagnostics(), "all good");
    assert_eq!(r.progress(), 1.0);
    wait_gone(pid, "AM process still alive").await;
    let apps = client
        .get_applications(&GetApplicationsRequestProto {
            application_types: vec!["spindle-test".into()],
            ..Default::default()
        })
        .await
        .unwrap();
    assert_eq!(apps.applications.len(), 1);
    c.shutdown().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn am_exit_without_unregister_retries_then_fails() {
    let c = cluster(1).await;
    let client = client(&c);
    let (id, am) = submit_script_am(&client, "crashy").await;
    let (_, t1) = am.wait_started().await;
    assert_eq!(attempt_of(&t1).attempt_id, 1);
    am_client(&c, &t1)
        .register_application_master(&register_request())
        .await
        .unwrap();
    am.exit(7);
    // Attempt 2 starts by itself.
    wait_until("a second attempt", || async {
        let r = report(&client, id).await;
        r.current_application_attempt_id.and_then(|a| a.attempt_id) == Some(2)
    })
    .await;
    am.reset();
    am.exit(9);
    let r = wait_state(&client, id, YarnApplicationStateProto::Failed).await;
    assert_eq!(
        r.final_application_status(),
        FinalApplicationStatusProto::AppFailed
    );
    assert!(
        r.diagnostics().contains("failed 2 times"),
        "{}",
        r.diagnostics()
    );
    assert!(
        r.diagnostics().contains("exitCode: 9"),
        "{}",
        r.diagnostics()
    );
    // The first attempt's token no longer works.
    let err = am_client(&c, &t1)
        .allocate(&allocate_request(0, vec![]))
        .await
        .unwrap_err();
    assert!(
        err.class_name().is_some()
            || err.is_transport()
            || matches!(err, spindle_protocol::yarn::YarnError::Authentication(_)),
        "{err:?}"
    );
    c.shutdown().await;
}

/// A one-node cluster running the script AM of a fresh application named `name`.
async fn running_script_am(
    name: &str,
) -> (MiniCluster, ApplicationClient, ApplicationId, ScriptAm) {
    let c = cluster(1).await;
    let client = client(&c);
    let (id, am) = submit_script_am(&client, name).await;
    am.wait_started().await;
    assert!(alive(am.pid()));
    (c, client, id, am)
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn kill_stops_the_am_process() {
    let (c, client, id, am) = running_script_am("victim").await;
    let k = client
        .force_kill_application(&kill_request(id))
        .await
        .unwrap();
    assert_eq!(k.is_kill_completed, Some(true));
    let r = report(&client, id).await;
    assert_eq!(
        r.yarn_application_state(),
        YarnApplicationStateProto::Killed
    );
    assert_eq!(
        r.final_application_status(),
        FinalApplicationStatusProto::AppKilled
    );
    wait_gone(am.pid(), "AM still alive after kill").await;
    c.shutdown().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn drop_kills_every_container() {
    let (c, _, _, am) = running_script_am("orphan?").await;
    drop(c);
    wait_gone(am.pid(), "AM outlived the cluster").await;
}
