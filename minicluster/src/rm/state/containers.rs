//! The containers as the RM keeps them: created with their container token when placed,
//! started and completed as their NMs report, released by their AM, stopped when unused too long.

use spindle_launcher::StopReason;
use spindle_protocol::ids::{ApplicationAttemptId, ApplicationId, ContainerId};
use spindle_protocol::proto::security::ContainerTokenIdentifierProto;
use spindle_protocol::proto::yarn::*;
use spindle_protocol::proto::yarn_service::NMTokenProto;
use spindle_protocol::token::ContainerTokenIdentifier;
use spindle_protocol::yarn::records::exit_status;

use super::{Effect, RmState};
use crate::rm::apps::Usage;
use spindle_protocol::yarn::resources::Resources;

/// Where a container is, as the RM sees it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ContainerPhase {
    /// Allocated at this time (ms); not started yet.
    Allocated(i64),
    /// Started on its node.
    Running,
    /// Completed (kept so late reports are ignored).
    Completed,
}

/// A container as the RM keeps it.
#[derive(Debug, Clone)]
pub struct RmContainer {
    /// Its id.
    pub id: ContainerId,
    /// Its application.
    pub app: ApplicationId,
    /// The attempt it currently belongs to (changes when kept across attempts).
    pub owner: ApplicationAttemptId,
    /// Node index.
    pub node: usize,
    /// Allocated resources.
    pub resource: Resources,
    /// Whether it is an AM container.
    pub is_am: bool,
    /// The record given to the AM.
    pub proto: ContainerProto,
    /// Where it is.
    pub phase: ContainerPhase,
    /// When it was allocated (ms).
    pub created_ms: i64,
    /// When it completed (ms, 0 before).
    pub finished_ms: i64,
    /// Its exit status once completed (`INVALID`, -1000, before).
    pub exit_status: i32,
    /// Why it ended.
    pub diagnostics: String,
}

impl RmContainer {
    /// What it held up to `now_ms` (or its end).
    pub fn usage(&self, now_ms: i64) -> Usage {
        let end = if self.phase == ContainerPhase::Completed {
            self.finished_ms
        } else {
            now_ms
        };
        let held = (end - self.created_ms).max(0);
        Usage {
            memory_mb_ms: self.resource.memory_mb.saturating_mul(held),
            vcore_ms: self.resource.vcores.saturating_mul(held),
        }
    }
}

impl RmState {
    /// An NM started a container.
    pub fn container_started(&mut self, id: ContainerId) {
        if let Some(c) = self.containers.get_mut(&id)
            && matches!(c.phase, ContainerPhase::Allocated(_))
        {
            c.phase = ContainerPhase::Running;
        }
    }

    /// An NM reports a container's exit.
    pub fn container_exited(
        &mut self,
        id: ContainerId,
        exit_status: i32,
        diagnostics: String,
        now_ms: i64,
    ) {
        self.complete(id, exit_status, diagnostics, now_ms);
        self.schedule(now_ms);
    }

    #[allow(clippy::too_many_arguments)]
    /// Allocates a container of `resource` on `node` for attempt `owner`, with its container
    /// token; `None` if the application or node is gone.
    pub(super) fn new_container(
        &mut self,
        app_id: ApplicationId,
        owner: ApplicationAttemptId,
        node: usize,
        resource: Resources,
        priority: i32,
        allocation_request_id: i64,
        is_am: bool,
        now_ms: i64,
    ) -> Option<ContainerId> {
        let app = self.apps.get_mut(&app_id)?;
        let seq = app.next_container_seq;
        let user = app.user.clone();
        let id = ContainerId::new(owner, seq);
        self.nodes.get(node)?;
        app.next_container_seq += 1;
        app.containers.push(id);
        let n = self.nodes.get_mut(node)?;
        n.used.add(&resource);
        n.containers.insert(id);
        let ident = ContainerTokenIdentifierProto {
            container_id: Some(id.to_proto()),
            nm_host_addr: Some(n.id.to_string()),
            app_submitter: Some(user),
            resource: Some(resource.to_proto()),
            expiry_time_stamp: Some(now_ms + self.config.allocation_expiry_ms),
            master_key_id: Some(crate::rm::tokens::KEY_ID),
            rm_identifier: Some(self.config.cluster_timestamp),
            priority: Some(PriorityProto::new(priority)),
            creation_time: Some(now_ms),
            container_type: Some(if is_am {
                ContainerTypeProto::ApplicationMaster as i32
            } else {
                ContainerTypeProto::Task as i32
            }),
            execution_type: Some(ExecutionTypeProto::Guaranteed as i32),
            version: Some(0),
            allocation_request_id: Some(allocation_request_id),
            ..Default::default()
        };
        let token = ContainerTokenIdentifier::from_proto(ident)
            .map(|i| self.tokens.container_token(&i))
            .ok()?;
        let proto = ContainerProto {
            id: Some(id.to_proto()),
            node_id: Some(n.id.to_proto()),
            node_http_address: Some(n.http_address.clone()),
            resource: Some(resource.to_proto()),
            priority: Some(PriorityProto::new(priority)),
            container_token: Some((&token).into()),
            execution_type: Some(ExecutionTypeProto::Guaranteed as i32),
            allocation_request_id: Some(allocation_request_id),
            version: Some(0),
            ..Default::default()
        };
        self.containers.insert(
            id,
            RmContainer {
                id,
                app: app_id,
                owner,
                node,
                resource,
                is_am,
                proto,
                phase: if is_am {
                    ContainerPhase::Running
                } else {
                    ContainerPhase::Allocated(now_ms)
                },
                created_ms: now_ms,
                finished_ms: 0,
                exit_status: exit_status::INVALID,
                diagnostics: String::new(),
            },
        );
        Some(id)
    }

    /// Marks a container complete, frees its resources, reports it to its attempt, and handles
    /// an AM container's end.
    pub(super) fn complete(
        &mut self,
        id: ContainerId,
        status: i32,
        diagnostics: String,
        now_ms: i64,
    ) {
        let Some(c) = self.containers.get_mut(&id) else {
            return;
        };
        if c.phase == ContainerPhase::Completed {
            return;
        }
        c.phase = ContainerPhase::Completed;
        c.finished_ms = now_ms.max(c.created_ms);
        c.exit_status = status;
        c.diagnostics.clone_from(&diagnostics);
        let (app_id, owner, node, is_am) = (c.app, c.owner, c.node, c.is_am);
        let resource = c.resource.clone();
        let held = c.usage(now_ms);
        if let Some(app) = self.apps.get_mut(&app_id) {
            app.usage = app.usage.plus(held);
        }
        if let Some(n) = self.nodes.get_mut(node) {
            n.used.sub(&resource);
            n.containers.remove(&id);
        }
        let proto = ContainerStatusProto {
            container_id: Some(id.to_proto()),
            state: Some(ContainerStateProto::CComplete as i32),
            diagnostics: Some(diagnostics.clone()),
            exit_status: Some(status),
            capability: Some(resource.to_proto()),
            execution_type: Some(ExecutionTypeProto::Guaranteed as i32),
            ..Default::default()
        };
        if let Some(app) = self.apps.get_mut(&app_id)
            && let Some(a) = app.current_mut()
            && a.id == owner
            && !a.state.is_final()
            && !is_am
        {
            a.outbox.completed.push_back(proto);
        }
        if is_am {
            self.am_finished(owner, status, &diagnostics, now_ms);
        }
    }

    /// The AM's release of container `id` of its application `app` (its own AM container and
    /// other applications' containers are not its to release).
    pub(super) fn release(&mut self, app: ApplicationId, id: ContainerId, now_ms: i64) {
        if self
            .containers
            .get(&id)
            .is_some_and(|c| c.app == app && !c.is_am)
        {
            self.stop_container(
                id,
                StopReason::Released,
                "Container released by application".into(),
                now_ms,
            );
        }
    }

    /// Kills every live container of the application.
    pub(super) fn kill_app_containers(
        &mut self,
        app_id: ApplicationId,
        reason: StopReason,
        now_ms: i64,
    ) {
        let live: Vec<ContainerId> = self
            .app_containers(&app_id)
            .filter(|c| c.phase != ContainerPhase::Completed)
            .map(|c| c.id)
            .collect();
        for cid in live {
            self.stop_container(
                cid,
                reason,
                "Container of a completed attempt".into(),
                now_ms,
            );
        }
    }

    /// The containers of `app` the RM still remembers, oldest first.
    pub fn app_containers<'a>(
        &'a self,
        app: &ApplicationId,
    ) -> impl Iterator<Item = &'a RmContainer> + 'a {
        self.apps
            .get(app)
            .map(|a| a.containers.as_slice())
            .unwrap_or_default()
            .iter()
            .filter_map(|id| self.containers.get(id))
    }

    /// Asks the NM of a live container to stop it. A container allocated but never started
    /// completes at once, ABORTED with `diagnostics` (no NM will report it); a started one
    /// completes when its NM reports the exit.
    pub(super) fn stop_container(
        &mut self,
        id: ContainerId,
        reason: StopReason,
        diagnostics: String,
        now_ms: i64,
    ) {
        let Some(c) = self.containers.get(&id) else {
            return;
        };
        let (node, phase) = (c.node, c.phase);
        if phase == ContainerPhase::Completed {
            return;
        }
        self.effects.push(Effect::StopContainer {
            node,
            container: id,
            reason,
        });
        if matches!(phase, ContainerPhase::Allocated(_)) {
            self.complete(id, exit_status::ABORTED, diagnostics, now_ms);
        }
    }

    /// The application's live containers: how many, and the resources they hold.
    pub(super) fn app_usage(&self, app: &ApplicationId) -> (i32, Resources) {
        let mut used = Resources::default();
        let mut n = 0;
        for c in self.app_containers(app) {
            if c.phase != ContainerPhase::Completed {
                n += 1;
                used.add(&c.resource);
            }
        }
        (n, used)
    }

    /// The application's (MB-seconds, vcore-seconds) so far: its completed containers' and its
    /// live ones' up to the RM's clock.
    pub(super) fn app_seconds(&self, app: &ApplicationId) -> (i64, i64) {
        let Some(a) = self.apps.get(app) else {
            return (0, 0);
        };
        self.app_containers(app)
            .filter(|c| c.phase != ContainerPhase::Completed)
            .fold(a.usage, |total, c| total.plus(c.usage(self.clock_ms)))
            .seconds()
    }

    /// Takes back the containers allocated longer ago than the allocation expiry and never
    /// started (YARN's ContainerAllocationExpirer).
    pub(super) fn expire_unused_allocations(&mut self, now_ms: i64) {
        let limit = self.config.allocation_expiry_ms;
        let stale: Vec<ContainerId> = self
            .containers
            .values()
            .filter(|c| matches!(c.phase, ContainerPhase::Allocated(at) if now_ms - at > limit))
            .map(|c| c.id)
            .collect();
        for cid in stale {
            let why = format!("Container expired since it was unused: {cid}");
            self.stop_container(cid, StopReason::Released, why, now_ms);
        }
    }

    /// Hands the still-live containers `ids` to attempt `attempt_id`: their records, and an
    /// NMToken for every node the attempt has none for yet (YARN sends an AM one NMToken per
    /// node, with its first container there).
    pub(super) fn hand_out(
        &mut self,
        attempt_id: ApplicationAttemptId,
        ids: Vec<ContainerId>,
    ) -> (Vec<ContainerProto>, Vec<NMTokenProto>) {
        let mut containers = Vec::new();
        let mut nm_tokens = Vec::new();
        let Some(app) = self.apps.get_mut(&attempt_id.application_id) else {
            return (containers, nm_tokens);
        };
        let user = app.user.as_str();
        let Some(attempt) = app.attempts.iter_mut().find(|a| a.id == attempt_id) else {
            return (containers, nm_tokens);
        };
        for cid in ids {
            let Some(c) = self.containers.get(&cid) else {
                continue;
            };
            if c.phase == ContainerPhase::Completed {
                continue;
            }
            containers.push(c.proto.clone());
            let node = &self.nodes[c.node].id;
            if attempt.am.nm_token_nodes.insert(node.to_string()) {
                nm_tokens.push(NMTokenProto {
                    node_id: Some(node.to_proto()),
                    token: Some((&self.tokens.nm_token(attempt_id, node, user)).into()),
                });
            }
        }
        (containers, nm_tokens)
    }
}
