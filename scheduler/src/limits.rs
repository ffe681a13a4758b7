//! Every bound the scheduler protocols enforce, and the checks a receiver runs on each
//! message before acting on it. A message over a bound is refused with a [`LimitError`] that
//! names the field, the size and the limit.

use crate::proto::{
    DecommissionHostRequestProto, ExecutorLossReasonProto, GetExecutorLossReasonRequestProto,
    KillExecutorsRequestProto, LaunchTaskProto, PollCommandsResponseProto,
    RegisterClusterManagerRequestProto, RegisterExecutorRequestProto, RemoveExecutorRequestProto,
    RequestExecutorsRequestProto, StatusUpdateRequestProto, TaskKindProto, TaskStateProto,
    TaskStatusProto, UpdateDelegationTokensRequestProto,
};

/// Longest executor id (bytes).
pub const MAX_EXECUTOR_ID_LEN: usize = 64;
/// Longest host name (bytes; DNS allows 253).
pub const MAX_HOST_LEN: usize = 255;
/// Longest `host:port`, attempt id or container id (bytes).
pub const MAX_ADDRESS_LEN: usize = 512;
/// Most cores one executor may announce.
pub const MAX_EXECUTOR_CORES: u32 = 4096;
/// Most task function names one executor may announce, and longest name (bytes).
pub const MAX_FUNCTIONS: usize = 10_000;
/// Longest task function name (bytes).
pub const MAX_FUNCTION_NAME_LEN: usize = 256;
/// Nonce length of registrations.
pub const NONCE_LEN: usize = 16;
/// Longest error message or detail in a task error or loss reason (bytes); longer ones are
/// cut by the sender (see [`truncate_utf8`]) and refused by the receiver.
pub const MAX_ERROR_MESSAGE_LEN: usize = 64 << 10;
/// Most task status changes in one `statusUpdate` call.
pub const MAX_UPDATES_PER_CALL: usize = 10_000;
/// Most launches in one `pollCommands` reply (the driver sends the rest in the next one).
pub const MAX_LAUNCHES_PER_POLL: usize = 4096;
/// Most bytes of launches in one `pollCommands` reply (one larger task still goes alone).
pub const MAX_POLL_BYTES: usize = 32 << 20;
/// Largest serialized task the driver will send (default of `DriverConfig::max_task_bytes`).
pub const DEFAULT_MAX_TASK_BYTES: usize = 8 << 20;
/// Largest task result the driver accepts (default of `DriverConfig::max_result_bytes`).
pub const DEFAULT_MAX_RESULT_BYTES: usize = 16 << 20;
/// Hard ceiling of either limit: one IPC frame (128 MiB) minus room for headers.
pub const MAX_PAYLOAD_BYTES: usize = (128 << 20) - (64 << 10);
/// Longest shell command (bytes) and most environment entries of a shell task.
pub const MAX_SHELL_ENV: usize = 1024;
/// Longest poll wait an executor may ask for (ms).
pub const MAX_POLL_WAIT_MS: u32 = 60_000;
/// Most profiles, hosts per profile, excluded nodes or executor ids in one AM message.
pub const MAX_LIST_LEN: usize = 100_000;
/// Largest credentials blob forwarded to the AM.
pub const MAX_CREDENTIALS_BYTES: usize = 64 << 20;

/// A message field over its bound or otherwise invalid.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{field}: {problem}")]
pub struct LimitError {
    /// The field, e.g. `registerExecutor.executor_id`.
    pub field: &'static str,
    /// What is wrong with it.
    pub problem: String,
}

fn err(field: &'static str, problem: impl Into<String>) -> LimitError {
    LimitError {
        field,
        problem: problem.into(),
    }
}

/// A string or byte field's length against its bound.
fn check_len(field: &'static str, value: impl AsRef<[u8]>, max: usize) -> Result<(), LimitError> {
    let len = value.as_ref().len();
    if len > max {
        return Err(err(field, format!("{len} bytes, over the limit of {max}")));
    }
    Ok(())
}

/// A list field's number of entries against its bound.
fn check_count<T>(field: &'static str, list: &[T], max: usize) -> Result<(), LimitError> {
    let len = list.len();
    if len > max {
        return Err(err(
            field,
            format!("{len} entries, over the limit of {max}"),
        ));
    }
    Ok(())
}

/// An executor id: 1..=64 bytes of printable ASCII without spaces.
pub fn check_executor_id(field: &'static str, id: &str) -> Result<(), LimitError> {
    if id.is_empty() {
        return Err(err(field, "empty executor id"));
    }
    check_len(field, id, MAX_EXECUTOR_ID_LEN)?;
    if !id.bytes().all(|b| b.is_ascii_graphic()) {
        return Err(err(
            field,
            format!("executor id {id:?} has characters other than printable ASCII"),
        ));
    }
    Ok(())
}

/// A registration's nonce: exactly [`NONCE_LEN`] bytes.
fn check_nonce(field: &'static str, nonce: &[u8]) -> Result<(), LimitError> {
    if nonce.len() != NONCE_LEN {
        return Err(err(
            field,
            format!("{} bytes; must be {NONCE_LEN}", nonce.len()),
        ));
    }
    Ok(())
}

fn check_host(field: &'static str, host: &str) -> Result<(), LimitError> {
    if host.is_empty() {
        return Err(err(field, "empty host"));
    }
    check_len(field, host, MAX_HOST_LEN)
}

/// `registerExecutor`.
pub fn check_register_executor(r: &RegisterExecutorRequestProto) -> Result<(), LimitError> {
    check_executor_id("registerExecutor.executor_id", &r.executor_id)?;
    check_host("registerExecutor.host", &r.host)?;
    if r.cores == 0 || r.cores > MAX_EXECUTOR_CORES {
        return Err(err(
            "registerExecutor.cores",
            format!("{} cores; must be 1..={MAX_EXECUTOR_CORES}", r.cores),
        ));
    }
    if let Some(c) = &r.container_id {
        check_len("registerExecutor.container_id", c, MAX_ADDRESS_LEN)?;
    }
    check_nonce("registerExecutor.nonce", &r.nonce)?;
    check_count("registerExecutor.functions", &r.functions, MAX_FUNCTIONS)?;
    for f in &r.functions {
        check_len("registerExecutor.functions", f, MAX_FUNCTION_NAME_LEN)?;
    }
    Ok(())
}

/// One task status.
pub fn check_task_status(s: &TaskStatusProto, max_result: usize) -> Result<(), LimitError> {
    let state = TaskStateProto::try_from(s.state)
        .ok()
        .filter(|s| *s != TaskStateProto::Unspecified)
        .ok_or_else(|| {
            err(
                "statusUpdate.updates.state",
                format!("unknown task state {}", s.state),
            )
        })?;
    if let Some(result) = &s.result {
        check_len("statusUpdate.updates.result", result, max_result)?;
        if state != TaskStateProto::Finished {
            return Err(err(
                "statusUpdate.updates.result",
                format!("a result with state {state:?}; only FINISHED carries one"),
            ));
        }
    }
    if let Some(e) = &s.error {
        check_len(
            "statusUpdate.updates.error.message",
            &e.message,
            MAX_ERROR_MESSAGE_LEN,
        )?;
        check_len(
            "statusUpdate.updates.error.detail",
            &e.detail,
            MAX_ERROR_MESSAGE_LEN,
        )?;
    }
    Ok(())
}

/// `statusUpdate`.
pub fn check_status_update(
    r: &StatusUpdateRequestProto,
    max_result: usize,
) -> Result<(), LimitError> {
    check_executor_id("statusUpdate.executor_id", &r.executor_id)?;
    check_count("statusUpdate.updates", &r.updates, MAX_UPDATES_PER_CALL)?;
    r.updates
        .iter()
        .try_for_each(|s| check_task_status(s, max_result))
}

/// `registerClusterManager`.
pub fn check_register_cluster_manager(
    r: &RegisterClusterManagerRequestProto,
) -> Result<(), LimitError> {
    if r.am_address.is_empty() {
        return Err(err("registerClusterManager.am_address", "empty address"));
    }
    check_len(
        "registerClusterManager.am_address",
        &r.am_address,
        MAX_ADDRESS_LEN,
    )?;
    check_len(
        "registerClusterManager.attempt_id",
        &r.attempt_id,
        MAX_ADDRESS_LEN,
    )?;
    if let Some(c) = &r.container_id {
        check_len("registerClusterManager.container_id", c, MAX_ADDRESS_LEN)?;
    }
    check_nonce("registerClusterManager.nonce", &r.nonce)?;
    Ok(())
}

/// A loss reason (from the AM).
pub fn check_loss_reason(
    field: &'static str,
    r: &ExecutorLossReasonProto,
) -> Result<(), LimitError> {
    crate::proto::LossKindProto::try_from(r.kind)
        .map_err(|_| err(field, format!("unknown loss kind {}", r.kind)))?;
    check_len(field, &r.message, MAX_ERROR_MESSAGE_LEN)?;
    if let Some(h) = &r.host {
        check_host(field, h)?;
    }
    Ok(())
}

/// `removeExecutor`.
pub fn check_remove_executor(r: &RemoveExecutorRequestProto) -> Result<(), LimitError> {
    check_executor_id("removeExecutor.executor_id", &r.executor_id)?;
    match &r.reason {
        Some(reason) => check_loss_reason("removeExecutor.reason", reason),
        None => Err(err("removeExecutor.reason", "missing")),
    }
}

/// `decommissionExecutorsOnHost`.
pub fn check_decommission(r: &DecommissionHostRequestProto) -> Result<(), LimitError> {
    check_host("decommissionExecutorsOnHost.host", &r.host)
}

/// `requestExecutors`.
pub fn check_request_executors(r: &RequestExecutorsRequestProto) -> Result<(), LimitError> {
    check_count("requestExecutors.targets", &r.targets, MAX_LIST_LEN)?;
    check_count("requestExecutors.profiles", &r.profiles, MAX_LIST_LEN)?;
    check_count(
        "requestExecutors.excluded_nodes",
        &r.excluded_nodes,
        MAX_LIST_LEN,
    )?;
    for t in &r.targets {
        check_count(
            "requestExecutors.targets.host_task_counts",
            &t.host_task_counts,
            MAX_LIST_LEN,
        )?;
        for h in &t.host_task_counts {
            check_host("requestExecutors.targets.host_task_counts.host", &h.host)?;
        }
    }
    for h in &r.excluded_nodes {
        check_host("requestExecutors.excluded_nodes", h)?;
    }
    for p in &r.profiles {
        if p.cores == 0 || p.cores > MAX_EXECUTOR_CORES {
            return Err(err(
                "requestExecutors.profiles.cores",
                format!("profile {} has {} cores", p.id, p.cores),
            ));
        }
        check_count(
            "requestExecutors.profiles.resources",
            &p.resources,
            MAX_FUNCTIONS,
        )?;
    }
    Ok(())
}

/// `killExecutors`.
pub fn check_kill_executors(r: &KillExecutorsRequestProto) -> Result<(), LimitError> {
    check_count("killExecutors.executor_ids", &r.executor_ids, MAX_LIST_LEN)?;
    r.executor_ids
        .iter()
        .try_for_each(|id| check_executor_id("killExecutors.executor_ids", id))
}

/// `getExecutorLossReason`.
pub fn check_get_loss_reason(r: &GetExecutorLossReasonRequestProto) -> Result<(), LimitError> {
    check_executor_id("getExecutorLossReason.executor_id", &r.executor_id)
}

/// `updateDelegationTokens`.
pub fn check_update_tokens(r: &UpdateDelegationTokensRequestProto) -> Result<(), LimitError> {
    check_len(
        "updateDelegationTokens.credentials",
        &r.credentials,
        MAX_CREDENTIALS_BYTES,
    )
}

/// One launch, checked by the executor before it runs anything.
pub fn check_launch(l: &LaunchTaskProto, max_task: usize) -> Result<(), LimitError> {
    match &l.kind {
        None => Err(err("pollCommands.launches.kind", "missing task kind")),
        Some(TaskKindProto::Shell(s)) => {
            check_len("pollCommands.launches.shell.command", &s.command, max_task)?;
            check_count("pollCommands.launches.shell.env", &s.env, MAX_SHELL_ENV)?;
            if s.env.iter().any(|kv| !kv.contains('=')) {
                return Err(err(
                    "pollCommands.launches.shell.env",
                    "an entry without '=' (expected NAME=value)",
                ));
            }
            Ok(())
        }
        Some(TaskKindProto::Function(f)) => {
            check_len(
                "pollCommands.launches.function.name",
                &f.name,
                MAX_FUNCTION_NAME_LEN,
            )?;
            check_len("pollCommands.launches.function.input", &f.input, max_task)
        }
    }
}

/// A whole poll reply, checked by the executor.
pub fn check_poll_response(r: &PollCommandsResponseProto) -> Result<(), LimitError> {
    check_count("pollCommands.launches", &r.launches, MAX_LAUNCHES_PER_POLL)?;
    check_count("pollCommands.kills", &r.kills, MAX_LIST_LEN)?;
    for k in &r.kills {
        check_len(
            "pollCommands.kills.reason",
            &k.reason,
            MAX_ERROR_MESSAGE_LEN,
        )?;
    }
    Ok(())
}

/// Cuts `s` to at most `max` bytes on a character boundary, marking the cut.
pub fn truncate_utf8(mut s: String, max: usize) -> String {
    const MARK: &str = "…[truncated]";
    if s.len() <= max {
        return s;
    }
    let mut end = max.saturating_sub(MARK.len());
    while end > 0 && !s.is_char_boundary(end) {
        end -= 1;
    }
    s.truncate(end);
    s.push_str(MARK);
    s
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn truncation_keeps_utf8_and_bound() {
        let s = "é".repeat(100);
        let t = truncate_utf8(s, 51);
        assert!(t.len() <= 51);
        assert!(t.ends_with("[truncated]"));
        assert_eq!(truncate_utf8("short".into(), 51), "short");
    }

    #[test]
    fn executor_ids_are_checked() {
        assert!(check_executor_id("f", "12").is_ok());
        assert!(check_executor_id("f", "").is_err());
        assert!(check_executor_id("f", "a b").is_err());
        let long = "x".repeat(MAX_EXECUTOR_ID_LEN + 1);
        let e = check_executor_id("f", &long).unwrap_err();
        assert!(e.problem.contains("over the limit"), "{e}");
    }

    #[test]
    fn status_needs_a_known_state_and_bounded_result() {
        let mut s = TaskStatusProto {
            task_id: 1,
            state: 9,
            result: None,
            error: None,
        };
        assert!(check_task_status(&s, 10).is_err());
        s.state = TaskStateProto::Finished as i32;
        s.result = Some(vec![0; 11]);
        let e = check_task_status(&s, 10).unwrap_err();
        assert_eq!(e.field, "statusUpdate.updates.result");
        s.result = Some(vec![0; 10]);
        assert!(check_task_status(&s, 10).is_ok());
        s.state = TaskStateProto::Failed as i32;
        assert!(
            check_task_status(&s, 10).is_err(),
            "only FINISHED has a result"
        );
    }
}
