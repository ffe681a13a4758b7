//! The driver ↔ AM messages over real IPC: a test AM serves `AmProtocol`, registers with the
//! driver, receives the totals, kills and shutdown, and reports an executor loss with its
//! reason; only the application's secret gets in.

use std::sync::{Arc, Mutex};
use std::time::Duration;

use spindle_protocol::ipc::{IpcServer, ServiceError};
use spindle_scheduler::auth::{AppSecret, Role, new_nonce};
use spindle_scheduler::core::{JobSpec, TaskKind, TaskSpec};
use spindle_scheduler::driver::{Driver, DriverConfig, JobError};
use spindle_scheduler::executor::{ExecutorConfig, TaskRegistry, run_executor};
use spindle_scheduler::proto::*;
use spindle_scheduler::wire::{
    AmProtocol, AmProtocolService, Caller, driver_client, server_config,
};

#[derive(Default)]
struct TestAm {
    requests: Mutex<Vec<RequestExecutorsRequestProto>>,
    kills: Mutex<Vec<Vec<String>>>,
    shutdowns: Mutex<Vec<ShutdownRequestProto>>,
    callers: Mutex<Vec<String>>,
}

impl AmProtocol for TestAm {
    async fn request_executors(
        &self,
        caller: Caller,
        request: RequestExecutorsRequestProto,
    ) -> Result<RequestExecutorsResponseProto, ServiceError> {
        self.callers.lock().unwrap().push(caller.user);
        self.requests.lock().unwrap().push(request);
        Ok(RequestExecutorsResponseProto { accepted: true })
    }

    async fn kill_executors(
        &self,
        _caller: Caller,
        request: KillExecutorsRequestProto,
    ) -> Result<KillExecutorsResponseProto, ServiceError> {
        self.kills.lock().unwrap().push(request.executor_ids);
        Ok(KillExecutorsResponseProto::default())
    }

    async fn get_executor_loss_reason(
        &self,
        _caller: Caller,
        request: GetExecutorLossReasonRequestProto,
    ) -> Result<GetExecutorLossReasonResponseProto, ServiceError> {
        Err(ServiceError::new(
            "java.io.IOException",
            format!(
                "Fail to find loss reason for non-existent executor {}",
                request.executor_id
            ),
        ))
    }

    async fn shutdown(
        &self,
        _caller: Caller,
        request: ShutdownRequestProto,
    ) -> Result<EmptyProto, ServiceError> {
        self.shutdowns.lock().unwrap().push(request);
        Ok(EmptyProto {})
    }
}

async fn eventually(what: &str, mut ok: impl FnMut() -> bool) {
    let deadline = tokio::time::Instant::now() + Duration::from_secs(10);
    while !ok() {
        assert!(
            tokio::time::Instant::now() < deadline,
            "timed out waiting for {what}"
        );
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_am_registers_gets_targets_reports_losses_and_hears_shutdown() {
    let secret = AppSecret::generate("application_1_0042");
    let mut config = DriverConfig::new("127.0.0.1:0".parse().unwrap(), secret.clone());
    config.endpoint.executor_cores = 2;
    config.endpoint.poll_wait = 300;
    let driver = Driver::start(config).await.unwrap();

    let am = Arc::new(TestAm::default());
    let am_server = IpcServer::bind(
        server_config("127.0.0.1:0".parse().unwrap(), &secret, vec![Role::Driver]),
        vec![Arc::new(AmProtocolService::new(am.clone()))],
    )
    .await
    .unwrap();
    let to_driver = driver_client(
        &driver.address().to_string(),
        &secret,
        Role::Am,
        "appattempt_1_0042_000001",
        Duration::from_secs(10),
    );
    let nonce = new_nonce();
    let reply = to_driver
        .register_cluster_manager(&RegisterClusterManagerRequestProto {
            am_address: am_server.local_addr().to_string(),
            attempt_id: "appattempt_1_0042_000001".into(),
            nonce: nonce.clone(),
            container_id: None,
        })
        .await
        .unwrap();
    assert!(secret.verify_proof(&nonce, &reply.driver_proof));
    assert_eq!(reply.app_id, "application_1_0042");

    // Registration sends the current totals (the initial 2) with the default profile.
    eventually("the first requestExecutors", || {
        !am.requests.lock().unwrap().is_empty()
    })
    .await;
    {
        let first = am.requests.lock().unwrap()[0].clone();
        assert_eq!(first.targets[0].total, 2);
        assert_eq!(first.profiles[0].cores, 2);
        assert_eq!(am.callers.lock().unwrap()[0], "driver/driver");
    }
    driver.request_executors(5);
    eventually("total 5", || {
        am.requests.lock().unwrap().last().unwrap().targets[0].total == 5
    })
    .await;

    // An executor registers as id 7; the AM reads the last id back.
    let exec = tokio::spawn(run_executor(
        ExecutorConfig::new(driver.address().to_string(), "7", 1, secret.clone()),
        TaskRegistry::new(),
    ));
    assert_eq!(
        driver.wait_for_executors(1, Duration::from_secs(10)).await,
        1
    );
    let last = to_driver
        .retrieve_last_allocated_executor_id()
        .await
        .unwrap();
    assert_eq!(last.last_executor_id, 7);

    // A long task runs on it; the AM reports the container preempted (not the app's fault):
    // the executor is removed and its task goes back to pending, not counted.
    let mut job = driver
        .submit(JobSpec::one_stage(vec![TaskSpec::new(TaskKind::shell(
            "sleep 30",
        ))]))
        .await
        .unwrap();
    let first = tokio::time::timeout(Duration::from_secs(1), job.next_event()).await;
    assert!(first.is_err(), "the task is still running: {first:?}");
    to_driver
        .remove_executor(&RemoveExecutorRequestProto {
            executor_id: "7".into(),
            reason: Some(ExecutorLossReasonProto {
                kind: LossKindProto::Exited as i32,
                exit_status: Some(-102),
                exit_caused_by_app: false,
                message: "Container preempted".into(),
                host: Some("localhost".into()),
            }),
        })
        .await
        .unwrap();
    let deadline = tokio::time::Instant::now() + Duration::from_secs(10);
    while driver.executor_count().await != 0 {
        assert!(
            tokio::time::Instant::now() < deadline,
            "the executor was not removed"
        );
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
    // The removed executor is told so on its next poll and exits.
    let exited = tokio::time::timeout(Duration::from_secs(10), exec)
        .await
        .unwrap()
        .unwrap();
    assert!(exited.unwrap_err().to_string().contains("removed"));

    // Bad input from the AM is refused with the field named.
    let err = to_driver
        .remove_executor(&RemoveExecutorRequestProto {
            executor_id: "".into(),
            reason: None,
        })
        .await
        .unwrap_err();
    assert!(
        err.to_string().contains("removeExecutor.executor_id"),
        "{err}"
    );

    // Stopping: the job fails as cancelled, the AM hears total 0 and shutdown.
    job.cancel("test over");
    assert!(matches!(job.wait().await, Err(JobError::Failed(_))));
    driver.stop("application finished", true).await;
    eventually("shutdown", || !am.shutdowns.lock().unwrap().is_empty()).await;
    let s = am.shutdowns.lock().unwrap()[0].clone();
    assert!(s.succeeded);
    assert_eq!(s.diagnostics, "application finished");
    let zero_before_shutdown = am
        .requests
        .lock()
        .unwrap()
        .iter()
        .any(|r| r.targets[0].total == 0);
    assert!(zero_before_shutdown, "the target went to 0 before shutdown");
    am_server.shutdown().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn only_the_applications_secret_may_drive_the_am_or_register_as_one() {
    let secret = AppSecret::generate("application_1_0043");
    let am_server = IpcServer::bind(
        server_config("127.0.0.1:0".parse().unwrap(), &secret, vec![Role::Driver]),
        vec![Arc::new(AmProtocolService::new(
            Arc::new(TestAm::default()),
        ))],
    )
    .await
    .unwrap();
    let stranger = AppSecret::generate("application_1_0043");
    let client = spindle_scheduler::wire::am_client(
        &am_server.local_addr().to_string(),
        &stranger,
        Duration::from_secs(5),
    );
    let err = client
        .shutdown(&ShutdownRequestProto::default())
        .await
        .unwrap_err();
    assert!(err.to_string().to_lowercase().contains("digest"), "{err}");
    // An executor's token is the right secret but the wrong role for the AM's server.
    let as_executor = spindle_scheduler::wire::AmClient::new({
        let mut c = spindle_protocol::ipc::ClientConfig::new(
            am_server.local_addr().to_string(),
            "",
            secret.client_auth(Role::Executor, "1"),
        );
        c.retry = spindle_protocol::ipc::RetryPolicy::none();
        c
    });
    let err = as_executor
        .shutdown(&ShutdownRequestProto::default())
        .await
        .unwrap_err();
    assert!(err.to_string().contains("may not call"), "{err}");
    am_server.shutdown().await;
}
