//! The scheduler's documents: `GET /ws/v1/cluster/scheduler` in the CapacityScheduler's shape
//! (the `root` queue and its leaf `default`, with what they hold), its configuration
//! (`scheduler-conf`, read-only here), and its activities (this scheduler places containers
//! as it is asked, so there is never a recorded cycle to show).

use bytes::Bytes;
use http_body_util::Full;
use hyper::{Response, StatusCode};
use serde::Serialize;
use spindle_protocol::ids::ApplicationId;

use super::error::{RestError, clip};
use super::json::ResourceInfo;
use super::routes::{RestContext, parse_app_id, report_of};
use crate::rm::queues::{Queue, QueueUsage};
use crate::webdoc::{Format, bare, document};

/// A queue's capacities in one partition (the default one, `""`).
#[derive(Debug, Clone, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct PartitionCapacities {
    /// The partition (node label; `""` is the default partition).
    pub partition_name: String,
    /// Guaranteed share of the parent (percent).
    pub capacity: f32,
    /// Used share of its guarantee (percent).
    pub used_capacity: f32,
    /// Maximum share of the parent (percent).
    pub max_capacity: f32,
    /// Guaranteed share of the cluster (percent).
    pub absolute_capacity: f32,
    /// Used share of the cluster (percent).
    pub absolute_used_capacity: f32,
    /// Maximum share of the cluster (percent).
    pub absolute_max_capacity: f32,
    /// Share of the queue AMs may take (percent).
    #[serde(rename = "maxAMLimitPercentage")]
    pub max_am_limit_percentage: f32,
}

/// The `capacities` object.
#[derive(Debug, Clone, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Capacities {
    /// Per partition.
    pub queue_capacities_by_partition: Vec<PartitionCapacities>,
}

/// One queue of the scheduler document.
#[derive(Debug, Clone, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct QueueDoc {
    /// `capacitySchedulerLeafQueueInfo` or `capacitySchedulerQueueInfo`.
    #[serde(rename = "type", skip_serializing_if = "Option::is_none")]
    pub kind: Option<&'static str>,
    /// Its name.
    pub queue_name: &'static str,
    /// Its path.
    pub queue_path: &'static str,
    /// Guaranteed share of the parent (percent).
    pub capacity: f32,
    /// Used share of its guarantee (percent).
    pub used_capacity: f32,
    /// Maximum share of the parent (percent).
    pub max_capacity: f32,
    /// Guaranteed share of the cluster (percent).
    pub absolute_capacity: f32,
    /// Maximum share of the cluster (percent).
    pub absolute_max_capacity: f32,
    /// Used share of the cluster (percent).
    pub absolute_used_capacity: f32,
    /// Weight (-1: capacities are percentages).
    pub weight: f32,
    /// Applications running at once at most.
    pub max_parallel_apps: i32,
    /// `RUNNING`.
    pub state: &'static str,
    /// Applications not ended.
    pub num_applications: i64,
    /// Applications whose AM registered.
    pub num_active_applications: i64,
    /// Applications waiting for their AM.
    pub num_pending_applications: i64,
    /// Live containers.
    pub num_containers: i64,
    /// Resources in use.
    pub resources_used: ResourceInfo,
    /// Node labels it may use.
    pub node_labels: Vec<&'static str>,
    /// Whether preemption is off.
    pub preemption_disabled: bool,
    /// Whether reservation queues are hidden.
    pub hide_reservation_queues: bool,
    /// Per-partition capacities.
    pub capacities: Capacities,
    /// Its children (parents only).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub queues: Option<QueueChildren>,
}

/// The `queues` object of a parent queue.
#[derive(Debug, Clone, Serialize)]
pub struct QueueChildren {
    /// The children.
    pub queue: Vec<QueueDoc>,
}

/// `schedulerInfo`: the root queue, with the scheduler's type.
#[derive(Debug, Clone, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct SchedulerInfo {
    /// `capacityScheduler`.
    #[serde(rename = "type")]
    pub kind: &'static str,
    /// The root queue's fields.
    #[serde(flatten)]
    pub root: QueueDoc,
}

/// `{"schedulerInfo":{…}}`.
#[derive(Debug, Clone, Serialize)]
pub struct SchedulerDoc {
    /// The body.
    #[serde(rename = "schedulerInfo")]
    pub scheduler_info: SchedulerInfo,
}

/// A queue as the scheduler document shows it.
pub fn queue_doc(queue: Queue, u: &QueueUsage) -> QueueDoc {
    let used = u.used_fraction() * 100.0;
    QueueDoc {
        kind: queue.is_leaf().then_some("capacitySchedulerLeafQueueInfo"),
        queue_name: queue.name(),
        queue_path: queue.path(),
        capacity: 100.0,
        used_capacity: used,
        max_capacity: 100.0,
        absolute_capacity: 100.0,
        absolute_max_capacity: 100.0,
        absolute_used_capacity: used,
        weight: -1.0,
        max_parallel_apps: i32::MAX,
        state: "RUNNING",
        num_applications: u.running + u.pending,
        num_active_applications: u.running,
        num_pending_applications: u.pending,
        num_containers: u.containers,
        resources_used: ResourceInfo {
            memory: u.used.memory_mb,
            v_cores: u.used.vcores,
        },
        node_labels: vec!["*"],
        preemption_disabled: true,
        hide_reservation_queues: false,
        capacities: Capacities {
            queue_capacities_by_partition: vec![PartitionCapacities {
                partition_name: String::new(),
                capacity: 100.0,
                used_capacity: used,
                max_capacity: 100.0,
                absolute_capacity: 100.0,
                absolute_used_capacity: used,
                absolute_max_capacity: 100.0,
                max_am_limit_percentage: 10.0,
            }],
        },
        queues: (!queue.is_leaf()).then(|| QueueChildren {
            queue: queue.children().iter().map(|c| queue_doc(*c, u)).collect(),
        }),
    }
}

/// `GET /ws/v1/cluster/scheduler`.
pub(crate) fn scheduler(ctx: &RestContext, f: Format) -> Response<Full<Bytes>> {
    let usage = ctx.core.with_rm(|rm, _| rm.queue_usage());
    let doc = SchedulerDoc {
        scheduler_info: SchedulerInfo {
            kind: "capacityScheduler",
            root: queue_doc(Queue::Root, &usage),
        },
    };
    document(StatusCode::OK, f, "scheduler", &doc)
}

/// One `property` of the scheduler configuration.
#[derive(Debug, Clone, Serialize)]
pub struct Property {
    /// Its name.
    pub name: &'static str,
    /// Its value.
    pub value: String,
}

/// The scheduler configuration (`ConfInfo`).
#[derive(Debug, Clone, Serialize)]
pub struct ConfDoc {
    /// Its properties.
    pub property: Vec<Property>,
}

/// `GET /ws/v1/cluster/scheduler-conf`: the CapacityScheduler settings this RM's queues have.
pub(crate) fn scheduler_conf(ctx: &RestContext, f: Format) -> Response<Full<Bytes>> {
    let max_priority = ctx
        .core
        .with_rm(|rm, _| rm.config().max_application_priority);
    let p = |name: &'static str, value: &str| Property {
        name,
        value: value.to_string(),
    };
    let doc = ConfDoc {
        property: vec![
            p("yarn.scheduler.capacity.root.queues", "default"),
            p("yarn.scheduler.capacity.root.default.capacity", "100"),
            p(
                "yarn.scheduler.capacity.root.default.maximum-capacity",
                "100",
            ),
            p("yarn.scheduler.capacity.root.default.state", "RUNNING"),
            p(
                "yarn.scheduler.capacity.root.default.user-limit-factor",
                "1",
            ),
            p(
                "yarn.scheduler.capacity.root.default.acl_submit_applications",
                "*",
            ),
            p(
                "yarn.scheduler.capacity.root.default.acl_administer_queue",
                "*",
            ),
            p("yarn.scheduler.capacity.maximum-am-resource-percent", "0.1"),
            p(
                "yarn.cluster.max-application-priority",
                &max_priority.to_string(),
            ),
        ],
    };
    bare(StatusCode::OK, f, "configuration", &doc)
}

/// `{"activities":{…}}` / `{"appActivities":{…}}`.
#[derive(Debug, Clone, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Activities {
    /// The application (app activities only).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub application_id: Option<String>,
    /// The node asked about.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub node_id: Option<String>,
    /// When (ms).
    pub timestamp: i64,
    /// When, readable.
    pub date_time: String,
    /// What there is to say.
    pub diagnostic: &'static str,
}

const NO_ACTIVITIES: &str = "No scheduling activities were recorded: this scheduler places \
containers as their asks arrive, without scheduling cycles to record.";

/// `GET /ws/v1/cluster/scheduler/activities[?nodeId=…]`.
pub(crate) fn activities(
    _ctx: &RestContext,
    params: &[(String, String)],
    f: Format,
) -> Result<Response<Full<Bytes>>, RestError> {
    let now = crate::cluster::now_ms();
    let node = spindle_http::query::param(params, "nodeId").map(|n| clip(n, 200));
    Ok(document(
        StatusCode::OK,
        f,
        "activities",
        &Activities {
            application_id: None,
            node_id: node,
            timestamp: now,
            date_time: crate::time::format_readable(now),
            diagnostic: NO_ACTIVITIES,
        },
    ))
}

/// `GET /ws/v1/cluster/scheduler/app-activities/{app}`.
pub(crate) fn app_activities(
    ctx: &RestContext,
    raw: &str,
    f: Format,
) -> Result<Response<Full<Bytes>>, RestError> {
    let id: ApplicationId = parse_app_id(raw)?;
    ctx.core.with_rm(|rm, _| report_of(rm, &id))?;
    let now = crate::cluster::now_ms();
    Ok(document(
        StatusCode::OK,
        f,
        "appActivities",
        &Activities {
            application_id: Some(id.to_string()),
            node_id: None,
            timestamp: now,
            date_time: crate::time::format_readable(now),
            diagnostic: NO_ACTIVITIES,
        },
    ))
}
