//! Read-only views of the RM for clients: container reports (live and completed, while their
//! application is remembered), the queue hierarchy with what it holds, and the cluster's
//! resource types. Node labels and attributes are not configured here, so their views are
//! empty, as a YARN cluster without them answers.

use spindle_protocol::ids::{ApplicationAttemptId, ApplicationId, ContainerId};
use spindle_protocol::ipc::ServiceError;
use spindle_protocol::proto::yarn::*;
use spindle_protocol::proto::yarn_service::*;
use spindle_protocol::yarn::error::APPLICATION_ATTEMPT_NOT_FOUND;

use super::{CONTAINER_NOT_FOUND, ContainerPhase, RmContainer, RmState, app_not_found, err};
use crate::rm::apps::{AppState, ReportInputs};
use crate::rm::queues::{Queue, QueueUsage, queue_info};

impl RmState {
    /// What a report of application `id` needs besides the application.
    pub(super) fn report_inputs(&self, id: &ApplicationId) -> ReportInputs {
        let pending = self
            .apps
            .get(id)
            .and_then(|a| a.current())
            .map(|a| a.asks.pending())
            .unwrap_or_default();
        ReportInputs {
            live: self.app_usage(id),
            pending,
            seconds: self.app_seconds(id),
            proxy_base: self.config.proxy_base.clone(),
            now_ms: self.clock_ms,
        }
    }

    /// The report of a container (`getContainerReport`): its resources, node, state, exit and
    /// the URL of its logs on its node.
    pub fn container_report(&self, c: &RmContainer) -> ContainerReportProto {
        let node = self.nodes.get(c.node);
        let http = node.map(|n| n.http_address.clone()).unwrap_or_default();
        let user = self.apps.get(&c.app).map(|a| a.user.as_str()).unwrap_or("");
        let done = c.phase == ContainerPhase::Completed;
        ContainerReportProto {
            container_id: Some(c.id.to_proto()),
            resource: Some(c.resource.to_proto()),
            node_id: node.map(|n| n.id.to_proto()),
            priority: c.proto.priority.clone(),
            creation_time: Some(c.created_ms),
            finish_time: Some(c.finished_ms),
            diagnostics_info: Some(c.diagnostics.clone()),
            log_url: Some(format!("http://{http}/node/containerlogs/{}/{user}", c.id)),
            container_exit_status: Some(c.exit_status),
            container_state: Some(if done {
                ContainerStateProto::CComplete as i32
            } else {
                ContainerStateProto::CRunning as i32
            }),
            node_http_address: Some(format!("http://{http}")),
            execution_type: Some(ExecutionTypeProto::Guaranteed as i32),
            exposed_ports: None,
        }
    }

    /// `getContainerReport`.
    pub fn container_report_of(
        &self,
        id: ContainerId,
    ) -> Result<ContainerReportProto, ServiceError> {
        let attempt = id.application_attempt_id;
        let app = self
            .apps
            .get(&attempt.application_id)
            .ok_or_else(|| app_not_found(&attempt.application_id))?;
        if !app.attempts.iter().any(|a| a.id == attempt) {
            return Err(attempt_missing(attempt));
        }
        let c = self.containers.get(&id).ok_or_else(|| {
            err(
                CONTAINER_NOT_FOUND,
                format!("Container with id '{id}' doesn't exist in RM."),
            )
        })?;
        Ok(self.container_report(c))
    }

    /// `getContainers` of an attempt: the containers it held (live and completed).
    pub fn container_reports(
        &self,
        attempt: ApplicationAttemptId,
    ) -> Result<Vec<ContainerReportProto>, ServiceError> {
        let app_id = attempt.application_id;
        let app = self
            .apps
            .get(&app_id)
            .ok_or_else(|| app_not_found(&app_id))?;
        if !app.attempts.iter().any(|a| a.id == attempt) {
            return Err(attempt_missing(attempt));
        }
        Ok(self
            .app_containers(&app_id)
            .filter(|c| c.owner == attempt)
            .map(|c| self.container_report(c))
            .collect())
    }

    /// What the leaf queue (and so the root) holds now.
    pub fn queue_usage(&self) -> QueueUsage {
        let mut u = QueueUsage {
            submitted: self.totals.submitted,
            completed: self.totals.finished + self.totals.failed + self.totals.killed,
            killed: self.totals.killed,
            failed: self.totals.failed,
            ..Default::default()
        };
        let mut users = std::collections::HashSet::new();
        for app in self.apps.values().filter(|a| !a.state.is_final()) {
            users.insert(app.user.as_str());
            match app.state {
                AppState::Running => u.running += 1,
                _ => u.pending += 1,
            }
            if let Some(a) = app.current() {
                u.pending_resources.add(&a.asks.pending());
            }
        }
        u.active_users = users.len() as i64;
        for n in self.nodes.iter().filter(|n| n.usable()) {
            u.total.add(&n.capability);
            u.used.add(&n.used);
            u.containers += n.containers.len() as i64;
        }
        u
    }

    /// `getQueueInfo`: the named queue (`None` for an unknown name: YARN answers without a queue
    /// then, and clients say the queue does not exist), with the reports of its applications
    /// that have not ended when asked for.
    pub fn queue_info(&self, req: &GetQueueInfoRequestProto) -> Option<QueueInfoProto> {
        let name = req
            .queue_name
            .as_deref()
            .unwrap_or(crate::rm::queues::DEFAULT_QUEUE);
        let queue = Queue::resolve(name)?;
        let applications = if req.include_applications.unwrap_or(false) {
            self.order
                .iter()
                .filter(|id| self.apps.get(id).is_some_and(|a| !a.state.is_final()))
                .filter_map(|id| self.report(id).ok())
                .collect()
        } else {
            Vec::new()
        };
        Some(queue_info(
            queue,
            &self.queue_usage(),
            req.include_child_queues.unwrap_or(false),
            req.recursive.unwrap_or(false),
            applications,
        ))
    }

    /// `getQueueUserAcls`: every queue allows every user to submit and administer (YARN's
    /// default ACL `*`).
    pub fn queue_user_acls(&self) -> Vec<QueueUserACLInfoProto> {
        Queue::ALL
            .iter()
            .map(|q| QueueUserACLInfoProto {
                queue_name: Some(q.name().into()),
                user_acls: vec![
                    QueueACLProto::QaclSubmitApplications as i32,
                    QueueACLProto::QaclAdministerQueue as i32,
                ],
            })
            .collect()
    }

    /// `getResourceTypeInfo`: memory (MB, as `Mi`), vcores and the nodes' custom resources.
    pub fn resource_types(&self) -> Vec<ResourceTypeInfoProto> {
        let mut types = vec![
            ResourceTypeInfoProto {
                name: "memory-mb".into(),
                units: Some("Mi".into()),
                r#type: Some(ResourceTypesProto::Countable as i32),
            },
            ResourceTypeInfoProto {
                name: "vcores".into(),
                units: Some(String::new()),
                r#type: Some(ResourceTypesProto::Countable as i32),
            },
        ];
        for name in self.config.max_allocation.custom.keys() {
            types.push(ResourceTypeInfoProto {
                name: name.clone(),
                units: Some(String::new()),
                r#type: Some(ResourceTypesProto::Countable as i32),
            });
        }
        types
    }
}

fn attempt_missing(attempt: ApplicationAttemptId) -> ServiceError {
    err(
        APPLICATION_ATTEMPT_NOT_FOUND,
        format!("ApplicationAttempt with id '{attempt}' doesn't exist in RM."),
    )
}
