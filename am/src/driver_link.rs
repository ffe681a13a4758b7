//! The AM's side of the driver ↔ AM messages (`docs/scheduler-protocol.md`): the AM serves
//! `AmProtocol` on its RPC port (the driver's executor targets, kills, loss-reason questions and
//! shutdown become [`Input`]s of the AM loop) and calls the driver's `DriverProtocol`
//! (registration as its cluster manager, lost executors, decommissioned hosts).
//!
//! In client mode the link also decides the ending: a clean `shutdown` from the driver ends the
//! attempt with the driver's verdict; a driver that cannot be reached for `disconnect_grace`
//! ends it as FAILED (exit 17), as Spark's ExecutorLauncher does. In cluster mode the driver is
//! the AM's child and its exit decides instead ([`crate::driver_child`]).

use std::net::SocketAddr;
use std::sync::Arc;
use std::time::Duration;

use spindle_allocator::{ExecutorExit, ExecutorId, HostName, TargetUpdate};
use spindle_protocol::ipc::{IpcServer, ServiceError};
use spindle_scheduler::auth::{AppSecret, Role, new_nonce};
use spindle_scheduler::limits;
use spindle_scheduler::proto::*;
use spindle_scheduler::wire::{
    AmProtocol, AmProtocolService, Caller, DriverClient, bad_request, driver_client, server_config,
};
use tokio::sync::{mpsc, oneshot};
use tokio::time::Instant;

use crate::master::{AmEvent, Input};
use crate::outcome::{Ending, Mode};

/// The most host entries one target may carry: the bound of every list in an AM message.
const MAX_HOSTS: usize = limits::MAX_LIST_LEN;

/// Turns the driver's `requestExecutors` into the allocator's target update (profile 0 only:
/// the AM's executors have the size it was submitted with).
pub fn targets_from_proto(req: &RequestExecutorsRequestProto) -> Result<TargetUpdate, String> {
    let mut update = TargetUpdate::default();
    if req.targets.is_empty() {
        // The driver is stopping: nothing is wanted any more.
        update.totals.insert(0, 0);
    }
    for t in &req.targets {
        if t.profile_id != 0 {
            return Err(format!(
                "resource profile {} is not known to this AM (it runs profile 0 only)",
                t.profile_id
            ));
        }
        if t.host_task_counts.len() > MAX_HOSTS {
            return Err(format!(
                "{} host task counts; at most {MAX_HOSTS}",
                t.host_task_counts.len()
            ));
        }
        update.totals.insert(0, t.total);
        update
            .locality_aware_tasks
            .insert(0, t.locality_aware_tasks);
        update.host_task_counts.insert(
            0,
            t.host_task_counts
                .iter()
                .map(|h| (HostName::from(h.host.as_str()), h.tasks))
                .collect(),
        );
    }
    if req.excluded_nodes.len() > MAX_HOSTS {
        return Err(format!(
            "{} excluded nodes; at most {MAX_HOSTS}",
            req.excluded_nodes.len()
        ));
    }
    update.scheduler_excluded = Some(
        req.excluded_nodes
            .iter()
            .map(|h| HostName::from(h.as_str()))
            .collect(),
    );
    Ok(update)
}

/// An executor's end as the driver hears it.
pub fn loss_to_proto(exit: &ExecutorExit, host: Option<&str>) -> ExecutorLossReasonProto {
    ExecutorLossReasonProto {
        kind: LossKindProto::Exited as i32,
        exit_status: Some(exit.exit_status),
        exit_caused_by_app: exit.exit_caused_by_app,
        message: exit.message.clone(),
        host: host.map(str::to_string),
    }
}

/// The executor a `getExecutorLossReason` asks about: a valid executor id (the documented
/// bound) that this AM numbered.
fn loss_reason_executor(
    req: &GetExecutorLossReasonRequestProto,
) -> Result<ExecutorId, ServiceError> {
    limits::check_get_loss_reason(req).map_err(bad_request)?;
    let text = &req.executor_id;
    text.parse::<u64>().map(ExecutorId).map_err(|_| {
        ServiceError::bad_request(
            "executor_id",
            format!("{text:?} is not an executor id of this AM"),
        )
    })
}

/// The executors a `killExecutors` names (within the documented bounds): those this AM could
/// have numbered, and the other ids, which are unknown to it.
fn executors_to_kill(
    req: KillExecutorsRequestProto,
) -> Result<(Vec<ExecutorId>, Vec<String>), ServiceError> {
    limits::check_kill_executors(&req).map_err(bad_request)?;
    let mut known = Vec::new();
    let mut unknown = Vec::new();
    for id in req.executor_ids {
        match id.parse::<u64>() {
            Ok(n) => known.push(ExecutorId(n)),
            Err(_) => unknown.push(id),
        }
    }
    Ok((known, unknown))
}

/// `AmProtocol` as the AM answers it.
struct AmEndpoint {
    inputs: mpsc::Sender<Input>,
    mode: Mode,
}

impl AmEndpoint {
    async fn send(&self, input: Input) -> Result<(), ServiceError> {
        self.inputs
            .send(input)
            .await
            .map_err(|_| ServiceError::new(REFUSED, "the ApplicationMaster is shutting down"))
    }
}

const REFUSED: &str = "spindle.am.AmStoppingException";

impl AmProtocol for AmEndpoint {
    async fn request_executors(
        &self,
        _: Caller,
        req: RequestExecutorsRequestProto,
    ) -> Result<RequestExecutorsResponseProto, ServiceError> {
        let update = targets_from_proto(&req)
            .map_err(|e| ServiceError::bad_request("requestExecutors", e))?;
        self.send(Input::Targets(update)).await?;
        Ok(RequestExecutorsResponseProto { accepted: true })
    }

    async fn kill_executors(
        &self,
        _: Caller,
        req: KillExecutorsRequestProto,
    ) -> Result<KillExecutorsResponseProto, ServiceError> {
        let (known, mut unknown) = executors_to_kill(req)?;
        let (reply, answer) = oneshot::channel();
        self.send(Input::Kill {
            executors: known,
            reply,
        })
        .await?;
        let more = answer.await.unwrap_or_default();
        unknown.extend(more.into_iter().map(|e| e.to_string()));
        Ok(KillExecutorsResponseProto {
            unknown_executor_ids: unknown,
        })
    }

    async fn get_executor_loss_reason(
        &self,
        _: Caller,
        req: GetExecutorLossReasonRequestProto,
    ) -> Result<GetExecutorLossReasonResponseProto, ServiceError> {
        let executor = loss_reason_executor(&req)?;
        let (reply, answer) = oneshot::channel();
        self.send(Input::LossReason { executor, reply }).await?;
        match answer.await {
            Ok(Ok(exit)) => Ok(GetExecutorLossReasonResponseProto {
                reason: Some(loss_to_proto(&exit, None)),
            }),
            Ok(Err(why)) => Err(ServiceError::new(REFUSED, why)),
            Err(_) => Err(ServiceError::new(
                REFUSED,
                "the ApplicationMaster is shutting down",
            )),
        }
    }

    async fn shutdown(
        &self,
        _: Caller,
        req: ShutdownRequestProto,
    ) -> Result<EmptyProto, ServiceError> {
        self.send(Input::DriverShutdown).await?;
        if self.mode == Mode::Client {
            self.send(Input::End(Ending::DriverShutdown {
                succeeded: req.succeeded,
                message: req.diagnostics,
            }))
            .await?;
        }
        Ok(EmptyProto {})
    }

    async fn update_delegation_tokens(
        &self,
        _: Caller,
        req: UpdateDelegationTokensRequestProto,
    ) -> Result<EmptyProto, ServiceError> {
        // The AM's own calls use the AMRMToken, which the RM rolls itself; renewed delegation
        // tokens only matter to executors started later, which get the AM's credentials.
        tracing::info!(
            bytes = req.credentials.len(),
            "the driver sent renewed delegation tokens"
        );
        Ok(EmptyProto {})
    }
}

/// The AM's `AmProtocol` port.
pub struct AmServer {
    server: IpcServer,
}

impl AmServer {
    /// Serves `AmProtocol` on `bind` for the driver holding `secret`; requests go to `inputs`.
    pub async fn start(
        bind: SocketAddr,
        secret: &AppSecret,
        inputs: mpsc::Sender<Input>,
        mode: Mode,
    ) -> std::io::Result<AmServer> {
        let endpoint = Arc::new(AmEndpoint { inputs, mode });
        let server = IpcServer::bind(
            server_config(bind, secret, vec![Role::Driver]),
            vec![Arc::new(AmProtocolService::new(endpoint))],
        )
        .await?;
        Ok(AmServer { server })
    }

    /// The bound address.
    pub fn local_addr(&self) -> SocketAddr {
        self.server.local_addr()
    }

    /// Stops serving.
    pub async fn shutdown(self) {
        self.server.shutdown().await;
    }
}

/// How the AM talks to its driver.
#[derive(Debug, Clone)]
pub struct LinkConfig {
    /// The driver's `host:port`.
    pub driver_url: String,
    /// The application secret.
    pub secret: AppSecret,
    /// Where the driver reaches this AM (`host:port` of [`AmServer`]).
    pub am_address: String,
    /// This attempt (also the AM's name in its token).
    pub attempt: String,
    /// The AM's container.
    pub container_id: Option<String>,
    /// Where the driver runs.
    pub mode: Mode,
    /// The longest one call may take.
    pub call_timeout: Duration,
    /// How long the driver may be unreachable before a client-mode attempt fails.
    pub disconnect_grace: Duration,
    /// How often the link checks the driver is there.
    pub ping_interval: Duration,
}

/// Why the AM could not become the driver's cluster manager.
#[derive(Debug, thiserror::Error)]
pub enum LinkError {
    /// The driver could not be reached in time.
    #[error("cannot reach the driver at {url}: {detail}")]
    Unreachable {
        /// The driver's address.
        url: String,
        /// The last error.
        detail: String,
    },
    /// The driver ended before the AM could register with it.
    #[error("the driver ended before the AM registered with it: {0:?}")]
    Gone(Ending),
    /// Something answered that does not know the application secret.
    #[error(
        "the process at {0} could not prove it knows the application secret; it is not this application's driver"
    )]
    BadProof(String),
}

/// A registered link to the driver.
pub struct DriverLink {
    client: DriverClient,
    config: LinkConfig,
    /// The largest executor id the driver knows (so a new attempt continues the numbering).
    pub last_executor_id: u64,
}

impl DriverLink {
    /// Registers this AM as the driver's cluster manager, retrying until `wait` has passed (or
    /// `gone` says the driver is gone), and reads the driver's last executor id.
    pub async fn connect(
        config: LinkConfig,
        wait: Duration,
        mut gone: impl FnMut() -> Option<Ending>,
    ) -> Result<DriverLink, LinkError> {
        let client = driver_client(
            &config.driver_url,
            &config.secret,
            Role::Am,
            &config.attempt,
            config.call_timeout,
        );
        let deadline = Instant::now() + wait;
        let unreachable = |detail: String| LinkError::Unreachable {
            url: config.driver_url.clone(),
            detail,
        };
        loop {
            let nonce = new_nonce();
            let request = RegisterClusterManagerRequestProto {
                am_address: config.am_address.clone(),
                attempt_id: config.attempt.clone(),
                nonce: nonce.clone(),
                container_id: config.container_id.clone(),
            };
            match client.register_cluster_manager(&request).await {
                Ok(reply) => {
                    if !config.secret.verify_proof(&nonce, &reply.driver_proof) {
                        return Err(LinkError::BadProof(config.driver_url.clone()));
                    }
                    let last = client
                        .retrieve_last_allocated_executor_id()
                        .await
                        .map_err(|e| unreachable(e.to_string()))?;
                    return Ok(DriverLink {
                        client,
                        config,
                        last_executor_id: last.last_executor_id,
                    });
                }
                Err(_) if let Some(ending) = gone() => return Err(LinkError::Gone(ending)),
                Err(e) if Instant::now() < deadline => {
                    tracing::info!(error = %e, "the driver does not answer yet; trying again");
                    tokio::time::sleep(Duration::from_millis(200)).await;
                }
                Err(e) => return Err(unreachable(e.to_string())),
            }
        }
    }

    /// Forwards the AM's events to the driver and watches it, until the attempt ends.
    pub async fn run(
        self,
        mut events: mpsc::UnboundedReceiver<AmEvent>,
        inputs: mpsc::Sender<Input>,
    ) {
        let DriverLink { client, config, .. } = self;
        let mut hosts: std::collections::HashMap<ExecutorId, String> = Default::default();
        let mut ping = tokio::time::interval(config.ping_interval);
        ping.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
        let mut last_contact = Instant::now();
        let mut reported = false;
        loop {
            tokio::select! {
                event = events.recv() => {
                    let Some(event) = event else { return };
                    let result = match event {
                        AmEvent::ExecutorStarted { executor, container } => {
                            hosts.insert(executor, container.host.to_string());
                            Ok(())
                        }
                        AmEvent::ExecutorLost { executor, exit, .. } => {
                            let host = hosts.remove(&executor);
                            client
                                .remove_executor(&RemoveExecutorRequestProto {
                                    executor_id: executor.to_string(),
                                    reason: Some(loss_to_proto(&exit, host.as_deref())),
                                })
                                .await
                                .map(|_| ())
                        }
                        AmEvent::DecommissionHost(host) => client
                            .decommission_executors_on_host(&DecommissionHostRequestProto {
                                host: host.to_string(),
                            })
                            .await
                            .map(|_| ()),
                        AmEvent::Finished(_) => return,
                        AmEvent::Registered => Ok(()),
                    };
                    match result {
                        Ok(()) => last_contact = Instant::now(),
                        Err(e) => tracing::warn!(error = %e, "could not tell the driver"),
                    }
                }
                _ = ping.tick() => {
                    match client.retrieve_last_allocated_executor_id().await {
                        Ok(_) => last_contact = Instant::now(),
                        Err(e) if config.mode == Mode::Client
                            && !reported
                            && last_contact.elapsed() >= config.disconnect_grace =>
                        {
                            reported = true;
                            inputs
                                .send(Input::End(Ending::DriverDisconnected { reason: e.to_string() }))
                                .await
                                .ok();
                        }
                        Err(e) => tracing::debug!(error = %e, "the driver did not answer a ping"),
                    }
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The driver's calls are held to the bounds `scheduler::limits` documents for AM messages.
    #[tokio::test]
    async fn driver_calls_over_the_documented_bounds_are_refused() {
        let (inputs, _loop) = mpsc::channel(1);
        let am = AmEndpoint {
            inputs,
            mode: Mode::Client,
        };
        let caller = || Caller {
            user: "driver/app".into(),
            peer: "127.0.0.1:1".parse().unwrap(),
        };
        let kill = KillExecutorsRequestProto {
            executor_ids: vec!["not an id".into()],
        };
        let e = am.kill_executors(caller(), kill).await.unwrap_err();
        assert!(e.message.contains("killExecutors.executor_ids"), "{e:?}");
        let loss = GetExecutorLossReasonRequestProto {
            executor_id: String::new(),
        };
        let e = am
            .get_executor_loss_reason(caller(), loss)
            .await
            .unwrap_err();
        assert!(e.message.contains("empty executor id"), "{e:?}");
    }

    /// Valid ids this AM did not number (a driver's own names) come back as unknown; the
    /// numbered ones are killed.
    #[test]
    fn ids_within_the_bounds_split_into_known_and_unknown() {
        let req = KillExecutorsRequestProto {
            executor_ids: vec!["3".into(), "exec-7".into(), "12".into()],
        };
        let (known, unknown) = executors_to_kill(req).unwrap();
        assert_eq!(known, vec![ExecutorId(3), ExecutorId(12)]);
        assert_eq!(unknown, vec!["exec-7".to_string()]);
    }

    #[test]
    fn targets_convert_and_empty_means_zero() {
        let req = RequestExecutorsRequestProto {
            targets: vec![ProfileTargetProto {
                profile_id: 0,
                total: 5,
                locality_aware_tasks: 12,
                host_task_counts: vec![HostTaskCountProto {
                    host: "h1".into(),
                    tasks: 12,
                }],
            }],
            excluded_nodes: vec!["bad".into()],
            profiles: Vec::new(),
        };
        let u = targets_from_proto(&req).unwrap();
        assert_eq!(u.totals.get(&0), Some(&5));
        assert_eq!(u.locality_aware_tasks.get(&0), Some(&12));
        assert_eq!(u.host_task_counts[&0].get("h1"), Some(&12));
        assert!(u.scheduler_excluded.unwrap().contains("bad"));
        let stop = targets_from_proto(&RequestExecutorsRequestProto::default()).unwrap();
        assert_eq!(stop.totals.get(&0), Some(&0));
        let other = RequestExecutorsRequestProto {
            targets: vec![ProfileTargetProto {
                profile_id: 3,
                ..Default::default()
            }],
            ..Default::default()
        };
        assert!(
            targets_from_proto(&other)
                .unwrap_err()
                .contains("profile 3")
        );
    }
}
