//! Applications and attempts as the RM keeps them, and their client-facing reports.

use std::collections::{HashSet, VecDeque};

use spindle_protocol::ids::{ApplicationAttemptId, ApplicationId, ContainerId};
use spindle_protocol::proto::yarn::*;
use spindle_protocol::proto::yarn_service::AllocateResponseProto;
use spindle_protocol::token::Token;

use super::ask_table::AskTable;
use spindle_protocol::yarn::resources::Resources;

/// What an application's AM said of itself: where it is (registration), its tracking URL (any
/// call may update it) and its progress (heartbeats).
#[derive(Debug, Clone, PartialEq)]
pub struct AmReported {
    /// The host from the registration ("" before).
    pub host: String,
    /// The RPC port from the registration (-1 before).
    pub rpc_port: i32,
    /// The last tracking URL given.
    pub tracking_url: String,
    /// The last progress reported, 0 to 1.
    pub progress: f32,
}

impl Default for AmReported {
    fn default() -> Self {
        AmReported {
            host: String::new(),
            rpc_port: -1,
            tracking_url: String::new(),
            progress: 0.0,
        }
    }
}

impl AmReported {
    /// A registration: where the AM is, and maybe its tracking URL.
    pub fn register(&mut self, host: Option<&str>, rpc_port: Option<i32>, url: Option<&str>) {
        self.host = host.unwrap_or_default().to_string();
        self.rpc_port = rpc_port.unwrap_or(-1);
        self.track(url);
    }

    /// A tracking URL sent with any AM call: a missing or empty one keeps the last (an AM
    /// that sends none on unregistering keeps its page linked).
    pub fn track(&mut self, url: Option<&str>) {
        if let Some(url) = url.filter(|u| !u.is_empty()) {
            self.tracking_url = url.to_string();
        }
    }

    /// Progress from a heartbeat, clamped to 0..1 (not a number counts as 0).
    pub fn set_progress(&mut self, progress: f32) {
        self.progress = if progress.is_finite() {
            progress.clamp(0.0, 1.0)
        } else {
            0.0
        };
    }

    /// The host reports show: `N/A` until the current attempt's AM registered with one.
    pub fn shown_host(&self, registered: bool) -> String {
        if registered && !self.host.is_empty() {
            self.host.clone()
        } else {
            "N/A".into()
        }
    }

    /// The RPC port reports show: -1 until the current attempt's AM registered.
    pub fn shown_rpc_port(&self, registered: bool) -> i32 {
        if registered { self.rpc_port } else { -1 }
    }

    /// The tracking URL attempt reports show: empty until the attempt's AM registered.
    pub fn shown_tracking_url(&self, registered: bool) -> String {
        if registered {
            self.tracking_url.clone()
        } else {
            String::new()
        }
    }
}

/// Resources held over time: MB × ms and vcores × ms (reports give them in seconds).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Usage {
    /// MB × ms.
    pub memory_mb_ms: i64,
    /// Vcores × ms.
    pub vcore_ms: i64,
}

impl Usage {
    /// Both sums (saturating: a report must not wrap around).
    pub fn plus(self, other: Usage) -> Usage {
        Usage {
            memory_mb_ms: self.memory_mb_ms.saturating_add(other.memory_mb_ms),
            vcore_ms: self.vcore_ms.saturating_add(other.vcore_ms),
        }
    }

    /// (MB-seconds, vcore-seconds), as YARN's reports give them.
    pub fn seconds(self) -> (i64, i64) {
        (self.memory_mb_ms / 1000, self.vcore_ms / 1000)
    }
}

/// Where the aggregation of an application's logs is (YARN's `LogAggregationStatus`): off, not
/// started, running once the application has ended until every node has answered, then
/// succeeded, or failed if one node could not write its file.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct LogAggregation {
    status: LogAggregationStatusProto,
    // Nodes that have not yet said they aggregated the application's logs.
    pending_nodes: usize,
}

impl LogAggregation {
    /// Not started when the cluster aggregates logs, else disabled.
    pub fn new(enabled: bool) -> Self {
        LogAggregation {
            status: if enabled {
                LogAggregationStatusProto::LogNotStart
            } else {
                LogAggregationStatusProto::LogDisabled
            },
            pending_nodes: 0,
        }
    }

    /// The application ended: each of `nodes` nodes now aggregates its logs.
    pub fn start(&mut self, nodes: usize) {
        self.status = LogAggregationStatusProto::LogRunning;
        self.pending_nodes = nodes;
    }

    /// One node finished (`ok`: its file is written, or it had no logs of the application).
    pub fn node_done(&mut self, ok: bool) {
        if !ok {
            self.status = LogAggregationStatusProto::LogFailed;
        }
        self.pending_nodes = self.pending_nodes.saturating_sub(1);
        if self.pending_nodes == 0 && self.status == LogAggregationStatusProto::LogRunning {
            self.status = LogAggregationStatusProto::LogSucceeded;
        }
    }

    /// The status reports show.
    pub fn status(&self) -> LogAggregationStatusProto {
        self.status
    }
}

/// Where an application is (`YarnApplicationState` minus the transient NEW states).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum AppState {
    /// Submitted; waiting for its AM container or its AM to register.
    Accepted,
    /// The AM registered.
    Running,
    /// The AM unregistered (any final status).
    Finished,
    /// Every attempt failed (or the submission was refused after acceptance).
    Failed,
    /// Killed by a client.
    Killed,
}

impl AppState {
    /// The wire value.
    pub fn proto(self) -> YarnApplicationStateProto {
        match self {
            AppState::Accepted => YarnApplicationStateProto::Accepted,
            AppState::Running => YarnApplicationStateProto::Running,
            AppState::Finished => YarnApplicationStateProto::Finished,
            AppState::Failed => YarnApplicationStateProto::Failed,
            AppState::Killed => YarnApplicationStateProto::Killed,
        }
    }

    /// Whether the application has ended.
    pub fn is_final(self) -> bool {
        matches!(
            self,
            AppState::Finished | AppState::Failed | AppState::Killed
        )
    }
}

/// Where an attempt is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum AttemptState {
    /// Waiting for room for its AM container.
    Scheduled,
    /// The AM container was handed to its NM (or, unmanaged, the AM may register).
    Launched,
    /// The AM registered.
    Running,
    /// The AM unregistered; waiting for its container to exit.
    Finishing,
    /// Done after unregistering.
    Finished,
    /// The AM exited without unregistering, or expired.
    Failed,
    /// The application was killed.
    Killed,
}

impl AttemptState {
    /// The wire value.
    pub fn proto(self) -> YarnApplicationAttemptStateProto {
        match self {
            AttemptState::Scheduled => YarnApplicationAttemptStateProto::AppAttemptScheduled,
            AttemptState::Launched => YarnApplicationAttemptStateProto::AppAttemptLaunched,
            AttemptState::Running => YarnApplicationAttemptStateProto::AppAttemptRunning,
            AttemptState::Finishing => YarnApplicationAttemptStateProto::AppAttemptFinishing,
            AttemptState::Finished => YarnApplicationAttemptStateProto::AppAttemptFinished,
            AttemptState::Failed => YarnApplicationAttemptStateProto::AppAttemptFailed,
            AttemptState::Killed => YarnApplicationAttemptStateProto::AppAttemptKilled,
        }
    }

    /// Whether the attempt has ended.
    pub fn is_final(self) -> bool {
        matches!(
            self,
            AttemptState::Finished | AttemptState::Failed | AttemptState::Killed
        )
    }
}

/// One attempt of an application.
#[derive(Debug)]
pub struct Attempt {
    /// Its id.
    pub id: ApplicationAttemptId,
    /// Where it is.
    pub state: AttemptState,
    /// Its AM container (managed AMs).
    pub am_container: Option<ContainerId>,
    /// Its AMRMToken.
    pub amrm_token: Token,
    /// Its AM's conversation with the scheduler port.
    pub am: AmSession,
    /// Outstanding asks.
    pub asks: AskTable,
    /// Hosts and racks the AM asked to avoid.
    pub blacklist: HashSet<String>,
    /// What the AM has not been told yet.
    pub outbox: Outbox,
    /// Why it failed.
    pub diagnostics: String,
    /// Whether its failure counts towards the application's max attempts.
    pub counts_as_failure: bool,
    /// When it was created (ms).
    pub start_ms: i64,
}

impl Attempt {
    /// A new attempt.
    /// The master key id of the attempt's current AMRMToken.
    pub fn amrm_token_key_id(&self) -> Option<i32> {
        self.amrm_token.amrm_identifier().ok().map(|id| id.key_id)
    }

    pub fn new(id: ApplicationAttemptId, amrm_token: Token, now_ms: i64, node_seq: u64) -> Self {
        Attempt {
            id,
            state: AttemptState::Scheduled,
            am_container: None,
            amrm_token,
            am: AmSession::new(now_ms, node_seq),
            asks: AskTable::default(),
            blacklist: HashSet::new(),
            outbox: Outbox::default(),
            diagnostics: String::new(),
            counts_as_failure: true,
            start_ms: now_ms,
        }
    }
}

/// What the RM remembers of an attempt's AM on the scheduler port.
#[derive(Debug)]
pub struct AmSession {
    /// Whether the AM is registered (cleared by an RM restart).
    pub registered: bool,
    /// Whether the AM ever registered (a re-registration after an RM restart is allowed).
    pub ever_registered: bool,
    /// Last sign of life of the AM (ms).
    pub last_heartbeat_ms: i64,
    /// The id of the last allocate response.
    pub last_response_id: i32,
    /// The last allocate response, resent when the AM repeats the request before it.
    pub last_response: Option<AllocateResponseProto>,
    /// Node-update sequence the AM has seen.
    pub seen_node_seq: u64,
    /// Nodes (`host:port`) this attempt already got an NMToken for.
    pub nm_token_nodes: HashSet<String>,
}

impl AmSession {
    /// An AM not registered yet, alive at `now_ms`, that has seen node updates up to `node_seq`.
    pub fn new(now_ms: i64, node_seq: u64) -> Self {
        AmSession {
            registered: false,
            ever_registered: false,
            last_heartbeat_ms: now_ms,
            last_response_id: 0,
            last_response: None,
            seen_node_seq: node_seq,
            nm_token_nodes: HashSet::new(),
        }
    }

    /// Forgets the allocate conversation: the next allocate must carry response id 0 (after a
    /// registration, and after an RM restart, which also unregisters).
    pub fn restart_responses(&mut self) {
        self.last_response_id = 0;
        self.last_response = None;
    }
}

/// What an attempt's AM has not been told yet.
#[derive(Debug, Default)]
pub struct Outbox {
    /// Containers allocated since the last allocate response.
    pub new_containers: Vec<ContainerId>,
    /// Completed statuses not yet reported.
    pub completed: VecDeque<ContainerStatusProto>,
    /// Containers of earlier attempts handed to this one (reported at registration).
    pub from_previous: Vec<ContainerId>,
}

/// One application.
#[derive(Debug)]
pub struct App {
    /// Its id.
    pub id: ApplicationId,
    /// The submitting user.
    pub user: String,
    /// The submission as received.
    pub submission: ApplicationSubmissionContextProto,
    /// Queue name.
    pub queue: String,
    /// Where it is.
    pub state: AppState,
    /// Final status (UNDEFINED until it ends).
    pub final_status: FinalApplicationStatusProto,
    /// Diagnostics.
    pub diagnostics: String,
    /// Attempts, oldest first.
    pub attempts: Vec<Attempt>,
    /// Attempt limit.
    pub max_attempts: i32,
    /// Whether running containers survive a failed attempt.
    pub keep_containers: bool,
    /// Whether the AM runs outside the cluster.
    pub unmanaged: bool,
    /// AM container resources (normalized).
    pub am_resource: Resources,
    /// AM container priority.
    pub am_priority: i32,
    /// Next container sequence number.
    pub next_container_seq: i64,
    /// Submission time (ms).
    pub submit_time_ms: i64,
    /// First AM launch time (ms, 0 before).
    pub launch_time_ms: i64,
    /// End time (ms, 0 before).
    pub finish_time_ms: i64,
    /// What its AM said of itself.
    pub am_reported: AmReported,
    /// Current priority (the submitted one, capped at the cluster's maximum; clients may change
    /// it).
    pub priority: i32,
    /// When the `LIFETIME` timeout kills it (ms), if it has one.
    pub lifetime_expiry_ms: Option<i64>,
    /// Every container it had that the RM still remembers, oldest first.
    pub containers: Vec<ContainerId>,
    /// What its completed containers held.
    pub usage: Usage,
    /// Where the aggregation of its logs is.
    pub logs: LogAggregation,
    /// Whether it has ended and its end was carried out (containers stopped, nodes told).
    pub ended: bool,
}

/// What a report needs besides the application itself.
#[derive(Debug, Clone, Default)]
pub struct ReportInputs {
    /// Live containers and the resources they hold.
    pub live: (i32, Resources),
    /// Resources its outstanding asks want.
    pub pending: Resources,
    /// (MB-seconds, vcore-seconds) used so far, live containers included.
    pub seconds: (i64, i64),
    /// The RM web proxy's base (`http://host:port`), when the RM serves one.
    pub proxy_base: Option<String>,
    /// The time of the report (ms).
    pub now_ms: i64,
}

impl App {
    /// The report of one of its attempts (`getApplicationAttemptReport`).
    pub fn attempt_report(&self, attempt: &Attempt) -> ApplicationAttemptReportProto {
        let is_current = self.current().is_some_and(|a| a.id == attempt.id);
        let registered = is_current && attempt.am.ever_registered;
        ApplicationAttemptReportProto {
            application_attempt_id: Some(attempt.id.to_proto()),
            host: Some(self.am_reported.shown_host(registered)),
            rpc_port: Some(self.am_reported.shown_rpc_port(registered)),
            tracking_url: Some(self.am_reported.shown_tracking_url(registered)),
            diagnostics: Some(attempt.diagnostics.clone()),
            yarn_application_attempt_state: Some(attempt.state.proto() as i32),
            am_container_id: attempt.am_container.map(|c| c.to_proto()),
            original_tracking_url: Some(self.am_reported.shown_tracking_url(registered)),
            start_time: Some(attempt.start_ms),
            finish_time: Some(if attempt.state.is_final() && is_current {
                self.finish_time_ms
            } else {
                0
            }),
        }
    }

    /// The current (last) attempt.
    pub fn current(&self) -> Option<&Attempt> {
        self.attempts.last()
    }

    /// The current attempt, mutably.
    pub fn current_mut(&mut self) -> Option<&mut Attempt> {
        self.attempts.last_mut()
    }

    /// The attempt with this id.
    pub fn attempt_mut(&mut self, id: ApplicationAttemptId) -> Option<&mut Attempt> {
        self.attempts.iter_mut().find(|a| a.id == id)
    }

    /// Failed attempts that count towards the limit.
    pub fn counted_failures(&self) -> i32 {
        self.attempts
            .iter()
            .filter(|a| a.state == AttemptState::Failed && a.counts_as_failure)
            .count() as i32
    }

    /// The application type (default `YARN`).
    pub fn app_type(&self) -> &str {
        self.submission
            .application_type
            .as_deref()
            .unwrap_or("YARN")
    }

    /// The application name (default `N/A`).
    pub fn name(&self) -> &str {
        self.submission.application_name.as_deref().unwrap_or("N/A")
    }

    /// The tracking URL clients see: the RM web proxy's `/proxy/<id>/` for managed
    /// applications when the RM serves one (as YARN's RM reports it), else what the AM gave.
    pub fn tracking_url(&self, proxy_base: Option<&str>) -> String {
        match proxy_base {
            Some(base) if !self.unmanaged => format!("{base}/proxy/{}/", self.id),
            _ => self.am_reported.tracking_url.clone(),
        }
    }

    /// The `LIFETIME` timeout as reports show it: expiry (ISO 8601 or `UNLIMITED`) and seconds
    /// left (-1 when unlimited).
    pub fn lifetime(&self, now_ms: i64) -> (String, i64) {
        match self.lifetime_expiry_ms {
            None => ("UNLIMITED".into(), -1),
            Some(at) => {
                let until = if self.state.is_final() {
                    at.min(self.finish_time_ms)
                } else {
                    now_ms
                };
                (
                    crate::time::format_iso8601(at),
                    ((at - until) / 1000).max(0),
                )
            }
        }
    }

    /// The client-facing report (`getApplicationReport`).
    pub fn report(&self, inputs: &ReportInputs) -> ApplicationReportProto {
        let current = self.current();
        let registered = current.is_some_and(|a| a.am.ever_registered);
        let (expiry, remaining) = self.lifetime(inputs.now_ms);
        ApplicationReportProto {
            application_id: Some(self.id.to_proto()),
            user: Some(self.user.clone()),
            queue: Some(self.queue.clone()),
            name: Some(self.name().to_string()),
            host: Some(self.am_reported.shown_host(registered)),
            rpc_port: Some(self.am_reported.shown_rpc_port(registered)),
            client_to_am_token: None,
            yarn_application_state: Some(self.state.proto() as i32),
            tracking_url: Some(self.tracking_url(inputs.proxy_base.as_deref())),
            diagnostics: Some(self.diagnostics.clone()),
            start_time: Some(self.submit_time_ms),
            finish_time: Some(self.finish_time_ms),
            final_application_status: Some(self.final_status as i32),
            app_resource_usage: Some(ApplicationResourceUsageReportProto {
                num_used_containers: Some(inputs.live.0),
                num_reserved_containers: Some(0),
                used_resources: Some(inputs.live.1.to_proto()),
                reserved_resources: Some(Resources::default().to_proto()),
                needed_resources: Some(inputs.pending.to_proto()),
                memory_seconds: Some(inputs.seconds.0),
                vcore_seconds: Some(inputs.seconds.1),
                preempted_memory_seconds: Some(0),
                preempted_vcore_seconds: Some(0),
                ..Default::default()
            }),
            original_tracking_url: Some(self.am_reported.tracking_url.clone()),
            current_application_attempt_id: current.map(|a| a.id.to_proto()),
            progress: Some(if self.state == AppState::Finished {
                1.0
            } else {
                self.am_reported.progress
            }),
            application_type: Some(self.app_type().to_string()),
            am_rm_token: if self.unmanaged && !self.state.is_final() {
                current.map(|a| (&a.amrm_token).into())
            } else {
                None
            },
            application_tags: self.submission.application_tags.clone(),
            log_aggregation_status: Some(self.logs.status() as i32),
            unmanaged_application: Some(self.unmanaged),
            priority: Some(PriorityProto::new(self.priority)),
            app_timeouts: vec![AppTimeoutsMapProto {
                application_timeout_type: Some(
                    ApplicationTimeoutTypeProto::AppTimeoutLifetime as i32,
                ),
                application_timeout: Some(ApplicationTimeoutProto {
                    application_timeout_type: ApplicationTimeoutTypeProto::AppTimeoutLifetime
                        as i32,
                    expire_time: Some(expiry),
                    remaining_time: Some(remaining),
                }),
            }],
            launch_time: Some(self.launch_time_ms),
            submit_time: Some(self.submit_time_ms),
            ..Default::default()
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use LogAggregationStatusProto::*;

    #[test]
    fn log_aggregation_succeeds_once_every_node_answered_and_fails_if_one_could_not() {
        assert_eq!(LogAggregation::new(false).status(), LogDisabled);
        let mut logs = LogAggregation::new(true);
        assert_eq!(logs.status(), LogNotStart);
        logs.start(2);
        logs.node_done(true);
        assert_eq!(logs.status(), LogRunning);
        logs.node_done(true);
        assert_eq!(logs.status(), LogSucceeded);

        let mut logs = LogAggregation::new(true);
        logs.start(2);
        logs.node_done(false);
        logs.node_done(true);
        assert_eq!(logs.status(), LogFailed);
        // A late answer changes nothing.
        logs.node_done(true);
        assert_eq!(logs.status(), LogFailed);
    }

    #[test]
    fn reports_show_what_the_am_said_once_it_registered() {
        let mut am = AmReported::default();
        assert_eq!(
            (am.shown_host(false), am.shown_rpc_port(false)),
            ("N/A".to_string(), -1)
        );
        am.register(Some("h"), Some(7), None);
        assert_eq!(
            (am.shown_host(true), am.shown_rpc_port(true)),
            ("h".to_string(), 7)
        );
        assert_eq!(am.shown_host(false), "N/A");
        // A registration without a host still shows N/A.
        am.register(None, Some(8), Some("http://a/"));
        assert_eq!(
            (am.shown_host(true), am.shown_rpc_port(true)),
            ("N/A".to_string(), 8)
        );
        // A missing or empty URL keeps the last one given.
        am.track(Some(""));
        am.track(None);
        assert_eq!(am.shown_tracking_url(true), "http://a/");
        assert_eq!(am.shown_tracking_url(false), "");
        for (given, kept) in [(0.5, 0.5), (7.0, 1.0), (-1.0, 0.0), (f32::NAN, 0.0)] {
            am.set_progress(given);
            assert_eq!(am.progress, kept, "progress {given}");
        }
    }

    #[test]
    fn usage_adds_up_without_wrapping_and_reports_whole_seconds() {
        let a = Usage {
            memory_mb_ms: 2_500,
            vcore_ms: 1_999,
        };
        assert_eq!(a.plus(a).seconds(), (5, 3));
        let full = Usage {
            memory_mb_ms: i64::MAX,
            vcore_ms: i64::MAX,
        };
        assert_eq!(full.plus(a), full);
    }
}
