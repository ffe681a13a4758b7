//! Core values ⇄ wire messages. Every conversion lives here.

use bytes::Bytes;

use crate::core::{
    Commands, Launch, LossKind, LossReason, TargetRequest, TaskError, TaskId, TaskKind, TaskUpdate,
};
use crate::limits::{MAX_ERROR_MESSAGE_LEN, truncate_utf8};
use crate::proto::*;

/// A core launch as sent.
pub fn launch_to_proto(l: &Launch) -> LaunchTaskProto {
    LaunchTaskProto {
        task_id: l.tid.0,
        job_id: l.job.0,
        stage_id: l.stage.0,
        index: l.index,
        attempt: l.attempt,
        kind: Some(match &l.kind {
            TaskKind::Shell { command, env } => TaskKindProto::Shell(ShellTaskProto {
                command: command.clone(),
                env: env.clone(),
            }),
            TaskKind::Function { name, input } => TaskKindProto::Function(FunctionTaskProto {
                name: name.clone(),
                input: input.to_vec(),
            }),
        }),
        cpus: l.cpus,
    }
}

/// Drained commands as a poll reply.
pub fn commands_to_proto(c: &Commands) -> PollCommandsResponseProto {
    PollCommandsResponseProto {
        launches: c.launches.iter().map(launch_to_proto).collect(),
        kills: c
            .kills
            .iter()
            .map(|(tid, reason)| KillTaskProto {
                task_id: tid.0,
                reason: reason.clone(),
            })
            .collect(),
        stop: c.stop.as_ref().map(|s| StopExecutorProto {
            reason: s.reason.clone(),
            graceful: s.graceful,
        }),
    }
}

fn error_from_proto(e: Option<TaskErrorProto>, fallback: &str) -> TaskError {
    match e {
        Some(e) => TaskError {
            message: e.message,
            detail: e.detail,
            exit_code: e.exit_code,
        },
        None => TaskError::new(fallback),
    }
}

/// An error as sent (bounded).
pub fn error_to_proto(e: &TaskError) -> TaskErrorProto {
    TaskErrorProto {
        message: truncate_utf8(e.message.clone(), MAX_ERROR_MESSAGE_LEN),
        detail: truncate_utf8(e.detail.clone(), MAX_ERROR_MESSAGE_LEN),
        exit_code: e.exit_code,
    }
}

/// A received status (already checked by `limits::check_task_status`).
pub fn status_from_proto(s: TaskStatusProto) -> (TaskId, TaskUpdate) {
    let state = TaskStateProto::try_from(s.state).unwrap_or(TaskStateProto::Unspecified);
    let update = match state {
        TaskStateProto::Running => TaskUpdate::Running,
        TaskStateProto::Finished => TaskUpdate::Finished(Bytes::from(s.result.unwrap_or_default())),
        TaskStateProto::Killed => TaskUpdate::Killed(
            s.error
                .map(|e| e.message)
                .unwrap_or_else(|| "killed".to_string()),
        ),
        TaskStateProto::Lost => TaskUpdate::Lost(error_from_proto(s.error, "lost by the executor")),
        TaskStateProto::Failed | TaskStateProto::Unspecified => {
            TaskUpdate::Failed(error_from_proto(s.error, "failed without a message"))
        }
    };
    (TaskId(s.task_id), update)
}

/// A loss reason from the AM.
pub fn loss_from_proto(r: &ExecutorLossReasonProto) -> LossReason {
    let kind = match LossKindProto::try_from(r.kind).unwrap_or(LossKindProto::Unknown) {
        LossKindProto::Exited => LossKind::Exited(r.exit_status.unwrap_or(-1)),
        LossKindProto::ProcessLost => LossKind::ProcessLost,
        LossKindProto::KilledByDriver => LossKind::KilledByDriver,
        LossKindProto::Decommissioned => LossKind::Decommissioned,
        LossKindProto::Unknown => LossKind::Unknown,
    };
    // Only the AM's word decides blame, except for kinds that are never the app's fault.
    let caused_by_app = r.exit_caused_by_app
        && !matches!(kind, LossKind::KilledByDriver | LossKind::Decommissioned);
    LossReason {
        kind,
        caused_by_app,
        message: r.message.clone(),
    }
}

/// A loss reason as sent.
pub fn loss_to_proto(r: &LossReason, host: Option<&str>) -> ExecutorLossReasonProto {
    let (kind, exit_status) = match r.kind {
        LossKind::Exited(s) => (LossKindProto::Exited, Some(s)),
        LossKind::ProcessLost => (LossKindProto::ProcessLost, None),
        LossKind::KilledByDriver => (LossKindProto::KilledByDriver, None),
        LossKind::Decommissioned => (LossKindProto::Decommissioned, None),
        LossKind::Unknown => (LossKindProto::Unknown, None),
    };
    ExecutorLossReasonProto {
        kind: kind as i32,
        exit_status,
        exit_caused_by_app: r.caused_by_app,
        message: truncate_utf8(r.message.clone(), MAX_ERROR_MESSAGE_LEN),
        host: host.map(str::to_string),
    }
}

/// The driver's totals for the AM (default profile 0).
pub fn target_to_proto(
    t: &TargetRequest,
    cores: u32,
    memory_mb: u64,
    cpus_per_task: u32,
) -> RequestExecutorsRequestProto {
    RequestExecutorsRequestProto {
        targets: vec![ProfileTargetProto {
            profile_id: 0,
            total: t.total,
            locality_aware_tasks: t.locality_aware_tasks,
            host_task_counts: t
                .host_task_counts
                .iter()
                .map(|(host, tasks)| HostTaskCountProto {
                    host: host.clone(),
                    tasks: *tasks,
                })
                .collect(),
        }],
        excluded_nodes: t.excluded_hosts.iter().cloned().collect(),
        profiles: vec![ResourceProfileProto {
            id: 0,
            cores,
            memory_mb,
            resources: Vec::new(),
            cpus_per_task,
        }],
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn loss_reasons_round_trip_and_driver_kills_never_count() {
        let r = LossReason::exited(137, true, "killed");
        assert_eq!(loss_from_proto(&loss_to_proto(&r, Some("h"))), r);
        let mut p = loss_to_proto(&LossReason::killed_by_driver("idle"), None);
        p.exit_caused_by_app = true;
        assert!(!loss_from_proto(&p).caused_by_app);
    }

    #[test]
    fn statuses_map_to_updates() {
        let s = TaskStatusProto {
            task_id: 5,
            state: TaskStateProto::Finished as i32,
            result: Some(b"x".to_vec()),
            error: None,
        };
        assert_eq!(
            status_from_proto(s),
            (TaskId(5), TaskUpdate::Finished(Bytes::from_static(b"x")))
        );
    }
}
