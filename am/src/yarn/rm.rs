//! [`YarnResourceManager`]: the [`ResourceManager`] of a YARN cluster, over any
//! [`AmRmCalls`] transport.
//!
//! It keeps what the YARN protocol needs between calls and the AM's loop should not see: the
//! response id (the last one received, 0 after each registration; a failed call is retried with
//! the same id, which the ResourceManager answers from its cache if it had handled it), the
//! records of granted containers (for the NodeManagers), and the NMTokens that come with them.

use std::sync::{Arc, Mutex};
use std::time::Duration;

use spindle_allocator::AllocateRequest;
use spindle_protocol::proto::yarn::{AMCommandProto, FinalApplicationStatusProto};
use spindle_protocol::proto::yarn_service::{
    FinishApplicationMasterRequestProto, NMTokenProto, RegisterApplicationMasterRequestProto,
};
use spindle_protocol::yarn::YarnError;

use super::calls::AmRmCalls;
use super::edge::{self, ContainerTable, EdgeNote};
use crate::outcome::FinalStatus;
use crate::rm::{
    Allocation, ExecutorStarter, Registered, Registration, ResourceManager, RmError, Unregistration,
};

/// How often `finishApplicationMaster` is asked before giving up, and the wait between asks
/// (the RM answers `is_unregistered = false` until it has recorded the final status).
const UNREGISTER_ATTEMPTS: u32 = 50;
const UNREGISTER_WAIT: Duration = Duration::from_millis(100);

/// What receives the NMTokens the ResourceManager hands out (the NodeManager client).
pub trait NodeTokens: Send + Sync + 'static {
    /// New or replaced tokens, one per node.
    fn update_tokens(&self, tokens: &[NMTokenProto]);
}

/// The records of the containers granted and not yet ended, shared between the
/// ResourceManager side (which fills it) and the starter (which reads it).
pub type SharedTable = Arc<Mutex<ContainerTable>>;

/// A YARN ResourceManager reached through `C`, with executors started by `St`.
pub struct YarnResourceManager<C, St> {
    calls: C,
    starter: St,
    table: SharedTable,
    response_id: i32,
    // The last registration, repeated when the ResourceManager forgot the AM.
    registration: Registration,
}

impl<C: AmRmCalls, St: ExecutorStarter + NodeTokens> YarnResourceManager<C, St> {
    /// Drives `calls`; `starter` is built around the shared container table.
    pub fn new(calls: C, starter: impl FnOnce(SharedTable) -> St) -> Self {
        let table = SharedTable::default();
        YarnResourceManager {
            calls,
            starter: starter(table.clone()),
            table,
            response_id: 0,
            registration: Registration::default(),
        }
    }

    /// The transport.
    pub fn calls(&self) -> &C {
        &self.calls
    }

    /// The response id the next allocate sends.
    pub fn response_id(&self) -> i32 {
        self.response_id
    }

    fn table(&self) -> std::sync::MutexGuard<'_, ContainerTable> {
        self.table.lock().unwrap_or_else(|p| p.into_inner())
    }
}

/// Sorts a YARN failure by what the AM does next.
pub fn rm_error(error: YarnError) -> RmError {
    let text = error.to_string();
    match error {
        YarnError::NotRegistered(_) => RmError::NotRegistered(text),
        YarnError::AttemptNotFound(_) | YarnError::ApplicationNotFound(_) => {
            RmError::AttemptGone(text)
        }
        YarnError::InvalidToken(_)
        | YarnError::AccessDenied(_)
        | YarnError::Authentication(_)
        | YarnError::NoToken { .. }
        | YarnError::InvalidResourceRequest(_)
        | YarnError::InvalidApplicationMasterRequest(_)
        | YarnError::InvalidContainerRelease(_) => RmError::Refused(text),
        YarnError::Transport(_) | YarnError::Other(_) => RmError::Unavailable(text),
    }
}

fn status_proto(status: FinalStatus) -> FinalApplicationStatusProto {
    match status {
        FinalStatus::Succeeded => FinalApplicationStatusProto::AppSucceeded,
        FinalStatus::Failed => FinalApplicationStatusProto::AppFailed,
        FinalStatus::Killed => FinalApplicationStatusProto::AppKilled,
    }
}

fn note_text(notes: Vec<EdgeNote>) -> Vec<String> {
    notes.into_iter().map(|n| format!("{n:?}")).collect()
}

impl<C: AmRmCalls, St: ExecutorStarter + NodeTokens> ResourceManager
    for YarnResourceManager<C, St>
{
    type Starter = St;

    async fn register(&mut self, registration: &Registration) -> Result<Registered, RmError> {
        let request = RegisterApplicationMasterRequestProto {
            host: Some(registration.host.clone()),
            rpc_port: Some(registration.rpc_port.map_or(-1, i32::from)),
            tracking_url: registration.tracking_url.clone(),
            ..Default::default()
        };
        let reply = self.calls.register(&request).await.map_err(rm_error)?;
        self.response_id = 0;
        self.registration = registration.clone();
        self.starter
            .update_tokens(&reply.nm_tokens_from_previous_attempts);
        let mut previous_containers = Vec::new();
        {
            let mut table = self.table();
            for proto in &reply.containers_from_previous_attempts {
                match edge::container_from_proto(proto) {
                    Ok(c) => {
                        table.insert(c.id.clone(), proto.clone());
                        previous_containers.push(c);
                    }
                    Err(e) => {
                        tracing::warn!(error = %e, "ignoring a container from a previous attempt")
                    }
                }
            }
        }
        Ok(Registered {
            max_capability: reply
                .maximum_capability
                .as_ref()
                .map(edge::resource_from_proto)
                .unwrap_or_default(),
            queue: reply.queue.clone(),
            previous_containers,
        })
    }

    async fn allocate(&mut self, request: &AllocateRequest) -> Result<Allocation, RmError> {
        let mut notes = Vec::new();
        let proto = edge::request_to_proto(request, self.response_id, &mut notes);
        let reply = self.calls.allocate(&proto).await.map_err(rm_error)?;
        match reply
            .a_m_command
            .and_then(|c| AMCommandProto::try_from(c).ok())
        {
            Some(AMCommandProto::AmResync) => {
                return Err(RmError::NotRegistered(
                    "the ResourceManager asked the AM to resync".into(),
                ));
            }
            Some(AMCommandProto::AmShutdown) => {
                return Err(RmError::AttemptGone(
                    "the ResourceManager asked the AM to shut down".into(),
                ));
            }
            None => {}
        }
        if let Some(id) = reply.response_id {
            self.response_id = id;
        }
        self.starter.update_tokens(&reply.nm_tokens);
        let response = edge::response_from_proto(reply, &mut self.table(), &mut notes);
        Ok(Allocation {
            response,
            notes: note_text(notes),
        })
    }

    async fn unregister(&mut self, unregistration: &Unregistration) -> Result<(), RmError> {
        let request = FinishApplicationMasterRequestProto {
            diagnostics: Some(unregistration.diagnostics.clone()),
            tracking_url: unregistration.tracking_url.clone(),
            final_application_status: Some(status_proto(unregistration.status) as i32),
        };
        let mut reregistered = false;
        for _ in 0..UNREGISTER_ATTEMPTS {
            match self.calls.finish(&request).await {
                Ok(reply) if reply.is_unregistered.unwrap_or(false) => return Ok(()),
                Ok(_) => tokio::time::sleep(UNREGISTER_WAIT).await,
                // After an RM restart the new RM must know the AM before it takes its final
                // status (as Hadoop's AMRMClient does).
                Err(YarnError::NotRegistered(_)) if !reregistered => {
                    reregistered = true;
                    let registration = self.registration.clone();
                    self.register(&registration).await?;
                }
                Err(e) => return Err(rm_error(e)),
            }
        }
        Err(RmError::Unavailable(format!(
            "the ResourceManager did not confirm the unregistration after {UNREGISTER_ATTEMPTS} asks"
        )))
    }

    fn starter(&self) -> St {
        self.starter.clone()
    }
}
