//! The driver's single owner: one tokio task holding the [`DriverEndpoint`], fed by the RPC
//! handlers and the API, acting on the endpoint's actions (answering held polls, routing job
//! events, talking to the AM).

use std::collections::HashMap;
use std::time::Duration;

use tokio::sync::{mpsc, oneshot};
use tokio::time::Instant;
use tracing::{debug, info, warn};

use super::msg::{Msg, PollReply};
use super::{ExecutorRequest, JobEvent};
use crate::auth::AppSecret;
use crate::core::{
    Action, Commands, DriverEndpoint, ExecId, JobId, Millis, SchedEvent, TargetRequest,
};
use crate::proto::{KillExecutorsRequestProto, ShutdownRequestProto};
use crate::wire::convert::target_to_proto;
use crate::wire::{AmClient, am_client};

struct Waiter {
    reply: oneshot::Sender<PollReply>,
    deadline: Millis,
}

pub(crate) struct EventLoop {
    pub(crate) core: DriverEndpoint,
    pub(crate) rx: mpsc::UnboundedReceiver<Msg>,
    pub(crate) start: Instant,
    pub(crate) secret: AppSecret,
    pub(crate) am_call_timeout: Duration,
    pub(crate) requests: mpsc::UnboundedSender<ExecutorRequest>,
    waiters: HashMap<ExecId, Waiter>,
    jobs: HashMap<JobId, mpsc::UnboundedSender<JobEvent>>,
    am: Option<AmClient>,
    /// The calls telling the AM that the driver stops; `stop` returns once they are done, so a
    /// driver process that exits right after it has still said goodbye.
    am_goodbye: Option<tokio::task::JoinHandle<()>>,
}

/// The longest a stopping driver waits for the AM to take its goodbye.
const AM_GOODBYE_WAIT: Duration = Duration::from_secs(3);

impl EventLoop {
    pub(crate) fn new(
        core: DriverEndpoint,
        rx: mpsc::UnboundedReceiver<Msg>,
        secret: AppSecret,
        am_call_timeout: Duration,
        requests: mpsc::UnboundedSender<ExecutorRequest>,
    ) -> Self {
        EventLoop {
            core,
            rx,
            start: Instant::now(),
            secret,
            am_call_timeout,
            requests,
            waiters: HashMap::new(),
            jobs: HashMap::new(),
            am: None,
            am_goodbye: None,
        }
    }

    fn now(&self) -> Millis {
        self.start.elapsed().as_millis() as Millis
    }

    pub(crate) async fn run(mut self) {
        let mut stop: Option<(oneshot::Sender<()>, Instant)> = None;
        loop {
            let next = self
                .waiters
                .values()
                .map(|w| w.deadline)
                .min()
                .map_or(self.core.next_timeout(), |d| {
                    d.min(self.core.next_timeout())
                });
            let wake_at = self.start + Duration::from_millis(next);
            tokio::select! {
                msg = self.rx.recv() => {
                    let Some(msg) = msg else { break };
                    self.handle(msg, &mut stop);
                    // Take whatever else queued up before acting, so one reply carries many
                    // launches.
                    for _ in 0..256 {
                        match self.rx.try_recv() {
                            Ok(msg) => self.handle(msg, &mut stop),
                            Err(_) => break,
                        }
                    }
                }
                _ = tokio::time::sleep_until(wake_at) => {
                    let now = self.now();
                    self.core.tick(now);
                    self.expire_waiters(now);
                }
            }
            self.act();
            if let Some((_, deadline)) = &stop {
                // Stop once every executor took its stop command, or after a grace period.
                if self.core.undelivered_stops() == 0 || Instant::now() >= *deadline {
                    if let Some(goodbye) = self.am_goodbye.take() {
                        let _ = tokio::time::timeout(AM_GOODBYE_WAIT, goodbye).await;
                    }
                    let (reply, _) = stop.take().expect("checked");
                    let _ = reply.send(());
                    break;
                }
            }
        }
        for (_, w) in self.waiters.drain() {
            let _ = w.reply.send(Err("the driver stopped".into()));
        }
    }

    fn expire_waiters(&mut self, now: Millis) {
        let expired: Vec<ExecId> = self
            .waiters
            .iter()
            .filter(|(_, w)| w.deadline <= now || w.reply.is_closed())
            .map(|(e, _)| e.clone())
            .collect();
        for exec in expired {
            let w = self.waiters.remove(&exec).expect("listed above");
            let _ = w.reply.send(Ok(Commands::default()));
            self.core.poll_ended(&exec, now);
        }
    }

    fn handle(&mut self, msg: Msg, stop: &mut Option<(oneshot::Sender<()>, Instant)>) {
        let now = self.now();
        match msg {
            Msg::Register { reg, reply } => {
                let _ = reply.send(self.core.register(reg, now).map_err(|e| e.0));
            }
            Msg::Poll {
                exec,
                max_wait_ms,
                reply,
            } => match self.core.poll(&exec, now) {
                Ok(Some(commands)) => {
                    if let Err(Ok(back)) = reply.send(Ok(commands)) {
                        self.core.requeue(&exec, back);
                    }
                }
                Ok(None) => {
                    let waiter = Waiter {
                        reply,
                        deadline: now + max_wait_ms,
                    };
                    if let Some(old) = self.waiters.insert(exec, waiter) {
                        let _ = old.reply.send(Ok(Commands::default()));
                    }
                }
                Err(e) => {
                    let _ = reply.send(Err(e.to_string()));
                }
            },
            Msg::Status {
                exec,
                updates,
                reply,
            } => {
                // The reply carries whatever the freed cores were given at once, saving the
                // executor a poll round trip per batch.
                let answer = match self.core.status_update(&exec, updates, now) {
                    Ok(()) => Ok(self.core.take_commands(&exec, now).unwrap_or_default()),
                    Err(e) => Err(e.to_string()),
                };
                if let Err(Ok(back)) = reply.send(answer) {
                    self.core.requeue(&exec, back);
                }
            }
            Msg::RegisterAm {
                address,
                attempt,
                peer,
            } => {
                info!(%address, %attempt, %peer, "ApplicationMaster registered");
                self.am = Some(am_client(&address, &self.secret, self.am_call_timeout));
                self.core.am_registered();
            }
            Msg::RemoveExecutor { exec, reason } => self.core.remove_executor(&exec, reason, now),
            Msg::Decommission { host } => self.core.decommission_host(&host, now),
            Msg::LastExecutorId { reply } => {
                let _ = reply.send(self.core.last_executor_id());
            }
            Msg::Submit { job, events, reply } => {
                let r = self.core.submit(job, now);
                if let Ok(id) = &r {
                    self.jobs.insert(*id, events);
                }
                let _ = reply.send(r);
            }
            Msg::Cancel { job, reason } => {
                self.core.cancel(job, &reason, now);
            }
            Msg::RequestTotal(n) => self.core.request_total_executors(n),
            Msg::Executors { reply } => {
                let _ = reply.send(self.core.executor_count());
            }
            Msg::Stop {
                reason,
                succeeded,
                reply,
            } => {
                info!(%reason, "driver stopping");
                self.core.stop(&reason, now);
                if let Some(am) = self.am.clone() {
                    // Target 0 first (pending requests cancelled, SPARK-12009), then shutdown,
                    // in that order.
                    let cfg = self.core.config();
                    let zero = target_to_proto(
                        &TargetRequest::default(),
                        cfg.executor_cores,
                        cfg.executor_memory_mb,
                        cfg.cpus_per_task,
                    );
                    let request = ShutdownRequestProto {
                        succeeded,
                        diagnostics: reason,
                    };
                    self.am_goodbye = Some(tokio::spawn(async move {
                        if let Err(e) = am.request_executors(&zero).await {
                            warn!(error = %e, "could not set the AM's target to 0");
                        }
                        if let Err(e) = am.shutdown(&request).await {
                            warn!(error = %e, "could not tell the AM we stopped");
                        }
                    }));
                }
                *stop = Some((reply, Instant::now() + Duration::from_secs(2)));
            }
        }
    }

    fn act(&mut self) {
        let now = self.now();
        while let Some(action) = self.core.poll_action() {
            match action {
                Action::Wake(exec) => {
                    let Some(w) = self.waiters.remove(&exec) else {
                        continue;
                    };
                    let Some(commands) = self.core.take_commands(&exec, now) else {
                        self.waiters.insert(exec, w);
                        continue;
                    };
                    if let Err(Ok(back)) = w.reply.send(Ok(commands)) {
                        // The poll is gone (its connection closed): keep the commands for the
                        // next poll.
                        self.core.requeue(&exec, back);
                        self.core.poll_ended(&exec, now);
                    }
                }
                Action::Job(ev) => self.route(ev),
                Action::RequestExecutors(t) => {
                    let _ = self.requests.send(ExecutorRequest::Total(t.clone()));
                    if let Some(am) = self.am.clone() {
                        let cfg = self.core.config();
                        let request = target_to_proto(
                            &t,
                            cfg.executor_cores,
                            cfg.executor_memory_mb,
                            cfg.cpus_per_task,
                        );
                        tokio::spawn(async move {
                            match am.request_executors(&request).await {
                                Ok(r) if !r.accepted => {
                                    debug!(
                                        "the AM cannot take targets yet; resent on the next change"
                                    )
                                }
                                Ok(_) => {}
                                Err(e) => warn!(error = %e, "requestExecutors to the AM failed"),
                            }
                        });
                    }
                }
                Action::KillExecutors(ids) => {
                    let _ = self.requests.send(ExecutorRequest::Kill(ids.clone()));
                    if let Some(am) = self.am.clone() {
                        let request = KillExecutorsRequestProto {
                            executor_ids: ids.iter().map(|e| e.as_str().to_string()).collect(),
                        };
                        tokio::spawn(async move {
                            if let Err(e) = am.kill_executors(&request).await {
                                warn!(error = %e, "killExecutors to the AM failed");
                            }
                        });
                    }
                }
                Action::ExecutorAdded { exec, host } => {
                    info!(%exec, %host, "executor registered");
                }
                Action::ExecutorRemoved { exec, reason } => {
                    if let Some(w) = self.waiters.remove(&exec) {
                        let _ = w.reply.send(Err(format!(
                            "executor {exec} was removed: {reason}; it must exit"
                        )));
                    }
                }
            }
        }
    }

    fn route(&mut self, ev: SchedEvent) {
        let (job, event, last) = match ev {
            SchedEvent::TaskEnded {
                job,
                stage,
                index,
                end,
            } => (job, JobEvent::TaskEnded { stage, index, end }, false),
            SchedEvent::TaskResult {
                job,
                stage_index,
                index,
                result,
            } => (
                job,
                JobEvent::Result {
                    stage_index,
                    index,
                    result,
                },
                false,
            ),
            SchedEvent::JobSucceeded(job) => (job, JobEvent::Succeeded, true),
            SchedEvent::JobFailed(job, message) => (job, JobEvent::Failed(message), true),
            SchedEvent::KillTask { .. } | SchedEvent::ExclusionChanged => return,
        };
        if let Some(tx) = self.jobs.get(&job) {
            let _ = tx.send(event);
        }
        if last {
            self.jobs.remove(&job);
        }
    }
}
