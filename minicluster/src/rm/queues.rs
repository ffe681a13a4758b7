//! The queue hierarchy of the embedded RM: YARN's default CapacityScheduler layout, a parent
//! queue `root` holding one leaf, `default`, that gets the whole cluster. Applications run in
//! leaf queues; names resolve as the CapacityScheduler resolves them (`default` or its full path
//! `root.default`; `root` is the parent).

use spindle_protocol::ipc::ServiceError;
use spindle_protocol::proto::yarn::*;
use spindle_protocol::yarn::error::YARN_EXCEPTION;
use spindle_protocol::yarn::resources::Resources;

/// The root (parent) queue.
pub const ROOT_QUEUE: &str = "root";
/// The leaf queue every application runs in.
pub const DEFAULT_QUEUE: &str = "default";

/// A queue of the hierarchy.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Queue {
    /// `root`, the parent of every queue.
    Root,
    /// `root.default`, the one leaf.
    Default,
}

impl Queue {
    /// Every queue, parents before children.
    pub const ALL: [Queue; 2] = [Queue::Root, Queue::Default];

    /// The queue a name means: its short name or its full path.
    pub fn resolve(name: &str) -> Option<Queue> {
        match name.trim() {
            "root" => Some(Queue::Root),
            "default" | "root.default" => Some(Queue::Default),
            _ => None,
        }
    }

    /// The short name.
    pub fn name(self) -> &'static str {
        match self {
            Queue::Root => ROOT_QUEUE,
            Queue::Default => DEFAULT_QUEUE,
        }
    }

    /// The full path.
    pub fn path(self) -> &'static str {
        match self {
            Queue::Root => "root",
            Queue::Default => "root.default",
        }
    }

    /// Whether applications can run in it.
    pub fn is_leaf(self) -> bool {
        self == Queue::Default
    }

    /// Its children.
    pub fn children(self) -> &'static [Queue] {
        match self {
            Queue::Root => &[Queue::Default],
            Queue::Default => &[],
        }
    }

    /// The leaf a submission or a move names, or the CapacityScheduler's refusal
    /// (`YarnException`) for an unknown or parent queue.
    pub fn leaf(name: &str) -> Result<Queue, ServiceError> {
        match Queue::resolve(name) {
            Some(q) if q.is_leaf() => Ok(q),
            Some(q) => Err(ServiceError::new(
                YARN_EXCEPTION,
                format!("The specified Queue: {} is not a Leaf Queue.", q.name()),
            )),
            None => Err(ServiceError::new(
                YARN_EXCEPTION,
                format!("The specified Queue: {} doesn't exist", name.trim()),
            )),
        }
    }
}

/// What the leaf queue holds now (the root holds the same: it has one child).
#[derive(Debug, Clone, Default, PartialEq)]
pub struct QueueUsage {
    /// Applications submitted since the RM started.
    pub submitted: i64,
    /// Applications whose AM registered.
    pub running: i64,
    /// Applications waiting for their AM.
    pub pending: i64,
    /// Applications that ended (any final state).
    pub completed: i64,
    /// Killed applications.
    pub killed: i64,
    /// Failed applications.
    pub failed: i64,
    /// Users with applications not yet ended.
    pub active_users: i64,
    /// Resources of the usable nodes.
    pub total: Resources,
    /// Resources held by live containers.
    pub used: Resources,
    /// Resources outstanding asks want.
    pub pending_resources: Resources,
    /// Live containers.
    pub containers: i64,
}

impl QueueUsage {
    /// Used memory as a fraction of the total (what `QueueInfo.currentCapacity` holds).
    pub fn used_fraction(&self) -> f32 {
        if self.total.memory_mb > 0 {
            self.used.memory_mb as f32 / self.total.memory_mb as f32
        } else {
            0.0
        }
    }

    /// `QueueStatistics`.
    pub fn statistics(&self) -> QueueStatisticsProto {
        let free = self.total.minus(&self.used);
        QueueStatisticsProto {
            num_apps_submitted: Some(self.submitted),
            num_apps_running: Some(self.running),
            num_apps_pending: Some(self.pending),
            num_apps_completed: Some(self.completed),
            num_apps_killed: Some(self.killed),
            num_apps_failed: Some(self.failed),
            num_active_users: Some(self.active_users),
            available_memory_mb: Some(free.memory_mb.max(0)),
            allocated_memory_mb: Some(self.used.memory_mb),
            pending_memory_mb: Some(self.pending_resources.memory_mb),
            reserved_memory_mb: Some(0),
            available_v_cores: Some(free.vcores.max(0)),
            allocated_v_cores: Some(self.used.vcores),
            pending_v_cores: Some(self.pending_resources.vcores),
            reserved_v_cores: Some(0),
            allocated_containers: Some(self.containers),
            pending_containers: Some(0),
            reserved_containers: Some(0),
        }
    }
}

/// `QueueInfo` of `queue`: with its children when `children` (and theirs when `recursive`),
/// with `applications` (the reports of the applications it holds) as given.
pub fn queue_info(
    queue: Queue,
    usage: &QueueUsage,
    children: bool,
    recursive: bool,
    applications: Vec<ApplicationReportProto>,
) -> QueueInfoProto {
    let child_queues = if children {
        queue
            .children()
            .iter()
            .map(|c| queue_info(*c, usage, recursive, recursive, Vec::new()))
            .collect()
    } else {
        Vec::new()
    };
    QueueInfoProto {
        queue_name: Some(queue.name().into()),
        queue_path: Some(queue.path().into()),
        capacity: Some(1.0),
        maximum_capacity: Some(1.0),
        current_capacity: Some(usage.used_fraction()),
        state: Some(QueueStateProto::QRunning as i32),
        child_queues,
        applications,
        accessible_node_labels: vec!["*".into()],
        default_node_label_expression: Some(String::new()),
        queue_statistics: Some(usage.statistics()),
        preemption_disabled: Some(true),
        intra_queue_preemption_disabled: Some(true),
        weight: Some(-1.0),
        max_parallel_apps: Some(i32::MAX),
        scheduler_type: Some("CapacityScheduler".into()),
        ..Default::default()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_resolve_like_the_capacity_scheduler() {
        assert_eq!(Queue::resolve("root"), Some(Queue::Root));
        assert_eq!(Queue::resolve("default"), Some(Queue::Default));
        assert_eq!(Queue::resolve("root.default"), Some(Queue::Default));
        assert_eq!(Queue::resolve("nope"), None);
        assert!(Queue::leaf("root.default").is_ok());
        let parent = Queue::leaf("root").unwrap_err();
        assert_eq!(parent.class_name, YARN_EXCEPTION);
        assert!(parent.message.contains("not a Leaf Queue"), "{parent}");
        let unknown = Queue::leaf("etl").unwrap_err();
        assert!(unknown.message.contains("etl doesn't exist"), "{unknown}");
    }

    #[test]
    fn root_lists_its_child_when_asked() {
        let usage = QueueUsage {
            total: Resources::new(4096, 4),
            used: Resources::new(1024, 1),
            ..Default::default()
        };
        let root = queue_info(Queue::Root, &usage, true, false, Vec::new());
        assert_eq!(root.queue_name.as_deref(), Some("root"));
        assert_eq!(root.child_queues.len(), 1);
        assert_eq!(
            root.child_queues[0].queue_path.as_deref(),
            Some("root.default")
        );
        assert_eq!(root.current_capacity, Some(0.25));
        let bare = queue_info(Queue::Root, &usage, false, false, Vec::new());
        assert!(bare.child_queues.is_empty());
        let stats = bare.queue_statistics.unwrap();
        assert_eq!(stats.available_memory_mb, Some(3072));
    }
}
