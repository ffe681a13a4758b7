//! [`Submission`]: the application's submission context (Spark's `Client.createApplicationSubmissionContext`):
//! name, queue, type, tags, attempts, the AM's resources, priority, containers kept across
//! attempts and the attempt-failure window; and the check that the containers asked for fit
//! the cluster's largest.
//!
//! | key | default | field |
//! |---|---|---|
//! | `spindle.app.name` | `spindle` | name |
//! | `spindle.yarn.queue` | `default` | queue |
//! | `spindle.yarn.applicationType` | `SPINDLE` | type (YARN keeps 20 characters) |
//! | `spindle.yarn.tags` | — | tags (comma-separated; trimmed, lower-cased by YARN, de-duplicated) |
//! | `spindle.yarn.maxAppAttempts` | the cluster's `yarn.resourcemanager.am.max-attempts` | attempts |
//! | `spindle.yarn.am.memory` | `512m` | the AM container's memory |
//! | `spindle.yarn.am.cores` | `1` | the AM container's vcores |
//! | `spindle.yarn.priority` | — | priority |
//! | `spindle.yarn.keepContainersAcrossAttempts` | `false` | executors survive an AM restart |
//! | `spindle.yarn.am.attemptFailuresValidityInterval` | — | only AM failures this recent count |

use std::time::Duration;

use spindle_conf::Configuration;
use spindle_protocol::ids::ApplicationId;
use spindle_protocol::proto::yarn::{
    ApplicationSubmissionContextProto, ContainerLaunchContextProto, PriorityProto, ResourceProto,
};

use crate::error::ClientError;
use crate::memory::parse_memory_mb;

/// YARN's application type limit (longer types are cut).
pub const MAX_TYPE_CHARS: usize = 20;
/// The application type Spindle's applications carry.
pub const DEFAULT_TYPE: &str = "SPINDLE";

/// The submission context's settings.
#[derive(Debug, Clone, PartialEq)]
pub struct Submission {
    /// The application's name.
    pub name: String,
    /// The queue.
    pub queue: String,
    /// The type.
    pub application_type: String,
    /// Tags.
    pub tags: Vec<String>,
    /// Attempts (`None`: the cluster's default).
    pub max_attempts: Option<i32>,
    /// The AM container's memory, MB.
    pub am_memory_mb: i64,
    /// The AM container's vcores.
    pub am_vcores: i32,
    /// The priority.
    pub priority: Option<i32>,
    /// Whether executors survive an AM restart.
    pub keep_containers: bool,
    /// Only AM failures within this window count toward the attempts.
    pub attempt_failures_validity_interval: Option<Duration>,
}

impl Default for Submission {
    fn default() -> Self {
        Submission {
            name: "spindle".into(),
            queue: "default".into(),
            application_type: DEFAULT_TYPE.into(),
            tags: Vec::new(),
            max_attempts: None,
            am_memory_mb: 512,
            am_vcores: 1,
            priority: None,
            keep_containers: false,
            attempt_failures_validity_interval: None,
        }
    }
}

/// Tags as YARN keeps them: split at commas, trimmed, lower-cased, empty ones dropped, each
/// once, in first-seen order.
pub fn normalize_tags(tags: &[String]) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    for tag in tags.iter().flat_map(|t| t.split(',')) {
        let tag = tag.trim().to_lowercase();
        if !tag.is_empty() && !out.contains(&tag) {
            out.push(tag);
        }
    }
    out
}

impl Submission {
    /// The settings from the `spindle.*` keys of `conf` (see the module documentation).
    pub fn from_conf(conf: &Configuration) -> Result<Self, ClientError> {
        let d = Submission::default();
        let am_memory_mb = match conf.get_trimmed("spindle.yarn.am.memory") {
            None => d.am_memory_mb,
            Some(v) => parse_memory_mb(&v)
                .map_err(|e| ClientError::Invalid(format!("spindle.yarn.am.memory: {e}")))?,
        };
        let am_vcores = conf
            .get_parsed::<i32>("spindle.yarn.am.cores")?
            .unwrap_or(d.am_vcores);
        if am_vcores < 1 {
            return Err(ClientError::Invalid(format!(
                "spindle.yarn.am.cores = {am_vcores}: the AM needs at least 1 vcore"
            )));
        }
        let max_attempts = conf.get_parsed::<i32>("spindle.yarn.maxAppAttempts")?;
        if let Some(n) = max_attempts
            && n < 1
        {
            return Err(ClientError::Invalid(format!(
                "spindle.yarn.maxAppAttempts = {n}: give 1 or more"
            )));
        }
        Ok(Submission {
            name: conf.get_trimmed("spindle.app.name").unwrap_or(d.name),
            queue: conf.get_trimmed("spindle.yarn.queue").unwrap_or(d.queue),
            application_type: conf
                .get_trimmed("spindle.yarn.applicationType")
                .unwrap_or(d.application_type),
            tags: normalize_tags(&conf.get_list("spindle.yarn.tags")),
            max_attempts,
            am_memory_mb,
            am_vcores,
            priority: conf.get_parsed::<i32>("spindle.yarn.priority")?,
            keep_containers: conf
                .get_bool_or("spindle.yarn.keepContainersAcrossAttempts", false)?,
            attempt_failures_validity_interval: conf.get_duration(
                "spindle.yarn.am.attemptFailuresValidityInterval",
                Duration::from_millis(1),
            )?,
        })
    }

    /// The submission context of application `id` whose AM runs `am`.
    pub fn context(
        &self,
        id: ApplicationId,
        am: ContainerLaunchContextProto,
    ) -> ApplicationSubmissionContextProto {
        ApplicationSubmissionContextProto {
            application_id: Some(id.to_proto()),
            application_name: Some(self.name.clone()),
            queue: Some(self.queue.clone()),
            priority: self.priority.map(|p| PriorityProto { priority: Some(p) }),
            am_container_spec: Some(am),
            max_app_attempts: self.max_attempts,
            resource: Some(ResourceProto::new(self.am_memory_mb, self.am_vcores)),
            application_type: Some(self.application_type.chars().take(MAX_TYPE_CHARS).collect()),
            keep_containers_across_application_attempts: Some(self.keep_containers),
            application_tags: normalize_tags(&self.tags),
            attempt_failures_validity_interval: self
                .attempt_failures_validity_interval
                .map(|d| i64::try_from(d.as_millis()).unwrap_or(i64::MAX)),
            ..ApplicationSubmissionContextProto::default()
        }
    }
}

/// Checks that a container of `memory_mb` and `vcores` fits the cluster's largest (Spark's
/// `verifyClusterResources`): `what` names the container in the error.
pub fn check_fits(
    what: &str,
    memory_mb: i64,
    vcores: i64,
    max: &ResourceProto,
) -> Result<(), ClientError> {
    let max_mb = max.memory.unwrap_or(i64::MAX);
    let max_vcores = i64::from(max.virtual_cores.unwrap_or(i32::MAX));
    if memory_mb > max_mb {
        return Err(ClientError::Unfit {
            what: format!("{what} memory ({memory_mb} MB) is above the cluster's maximum"),
            detail: format!(
                "the largest container this cluster allows has {max_mb} MB (yarn.scheduler.maximum-allocation-mb)"
            ),
        });
    }
    if vcores > max_vcores {
        return Err(ClientError::Unfit {
            what: format!("{what} cores ({vcores}) are above the cluster's maximum"),
            detail: format!(
                "the largest container this cluster allows has {max_vcores} vcores (yarn.scheduler.maximum-allocation-vcores)"
            ),
        });
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tags_are_normalized_like_yarn_does() {
        let tags = vec![" A,b ".to_string(), "a".into(), ",,c".into()];
        assert_eq!(normalize_tags(&tags), vec!["a", "b", "c"]);
    }

    #[test]
    fn settings_come_from_spindle_keys_and_fill_the_context() {
        let mut conf = Configuration::with_env(|_| None);
        for (k, v) in [
            ("spindle.app.name", "pi"),
            ("spindle.yarn.queue", "q1"),
            (
                "spindle.yarn.applicationType",
                "A-VERY-LONG-APPLICATION-TYPE",
            ),
            ("spindle.yarn.tags", "x, Y"),
            ("spindle.yarn.maxAppAttempts", "1"),
            ("spindle.yarn.am.memory", "1g"),
            ("spindle.yarn.priority", "5"),
            ("spindle.yarn.keepContainersAcrossAttempts", "true"),
            ("spindle.yarn.am.attemptFailuresValidityInterval", "10s"),
        ] {
            conf.set(k, v, "test");
        }
        let s = Submission::from_conf(&conf).unwrap();
        let c = s.context(
            ApplicationId::new(7, 3),
            ContainerLaunchContextProto::default(),
        );
        assert_eq!(c.application_name.as_deref(), Some("pi"));
        assert_eq!(c.queue.as_deref(), Some("q1"));
        assert_eq!(c.application_type.as_deref(), Some("A-VERY-LONG-APPLICAT"));
        assert_eq!(c.application_tags, vec!["x", "y"]);
        assert_eq!(c.max_app_attempts, Some(1));
        assert_eq!(c.resource, Some(ResourceProto::new(1024, 1)));
        assert_eq!(c.priority.and_then(|p| p.priority), Some(5));
        assert_eq!(c.keep_containers_across_application_attempts, Some(true));
        assert_eq!(c.attempt_failures_validity_interval, Some(10_000));
        conf.set("spindle.yarn.am.memory", "lots", "test");
        assert!(Submission::from_conf(&conf).is_err());
        conf.set("spindle.yarn.am.memory", "1g", "test");
        conf.set("spindle.yarn.maxAppAttempts", "0", "test");
        assert!(Submission::from_conf(&conf).is_err());
    }

    #[test]
    fn containers_above_the_maximum_are_refused_with_the_numbers() {
        let max = ResourceProto::new(8192, 8);
        assert!(check_fits("executor", 8192, 8, &max).is_ok());
        let e = check_fits("executor", 102_400, 1, &max)
            .unwrap_err()
            .to_string();
        assert!(e.contains("102400 MB") && e.contains("8192 MB"), "{e}");
        assert!(check_fits("AM", 512, 9, &max).is_err());
    }
}
