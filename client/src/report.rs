//! [`AppReport`]: an application report as a client reads it, and the exit code a command that
//! followed the application ends with ([`AppReport::exit_code`]).

use std::fmt;

use spindle_protocol::ids::ApplicationId;
use spindle_protocol::proto::yarn::{
    ApplicationIdProto, ApplicationReportProto, FinalApplicationStatusProto,
    YarnApplicationStateProto,
};

use crate::error::ClientError;

/// The exit codes of a command that followed an application to its end, besides the
/// ApplicationMaster's own (Spark's 10–17) that a failed application passes on.
pub mod exit_code {
    /// The application succeeded.
    pub const SUCCEEDED: i32 = 0;
    /// The application failed and its ApplicationMaster's exit code is not known.
    pub const FAILED: i32 = 1;
    /// The application was killed.
    pub const KILLED: i32 = 3;
}

/// How `spindle am` appends its exit code to the diagnostics it unregisters with.
pub const AM_EXIT_MARKER: &str = "[exit code ";

/// The ApplicationMaster's exit code named in an application's diagnostics: the last
/// `[exit code N]` that `spindle am` appends when it unregisters, or else the last
/// `exitCode: N` a ResourceManager writes for an AM container that exited without
/// unregistering.
pub fn am_exit_code(diagnostics: &str) -> Option<i32> {
    let after = |marker: &str| -> Option<i32> {
        let start = diagnostics.rfind(marker)? + marker.len();
        let digits: String = diagnostics[start..]
            .trim_start()
            .chars()
            .take_while(|c| c.is_ascii_digit() || *c == '-')
            .collect();
        digits.parse().ok()
    };
    after(AM_EXIT_MARKER).or_else(|| after("exitCode:"))
}

/// An application's report.
#[derive(Debug, Clone, PartialEq)]
pub struct AppReport {
    /// The id.
    pub id: ApplicationId,
    /// Its name.
    pub name: String,
    /// Who submitted it.
    pub user: String,
    /// Its queue.
    pub queue: String,
    /// Its type (`SPINDLE` for Spindle's).
    pub application_type: String,
    /// YARN's state.
    pub state: YarnApplicationStateProto,
    /// The final status (UNDEFINED until it ends).
    pub final_status: FinalApplicationStatusProto,
    /// Progress, 0 to 1.
    pub progress: f32,
    /// The tracking URL (the AM's page while it runs).
    pub tracking_url: Option<String>,
    /// Diagnostics ("" when none).
    pub diagnostics: String,
    /// Start time, ms since the epoch.
    pub start_time_ms: i64,
    /// Finish time, ms since the epoch (0 while it runs).
    pub finish_time_ms: i64,
    /// The AM's host (`N/A` before it runs).
    pub am_host: Option<String>,
}

/// The application id in the ResourceManager's answer to `call`; an error when it is absent
/// or malformed.
pub(crate) fn application_id_sent(
    id: Option<&ApplicationIdProto>,
    call: &str,
) -> Result<ApplicationId, ClientError> {
    id.and_then(|id| ApplicationId::from_proto(id).ok())
        .ok_or_else(|| {
            ClientError::Invalid(format!(
                "the ResourceManager's answer to {call} holds no valid application id"
            ))
        })
}

impl AppReport {
    /// Reads a report from the wire, as the answer to `call` (named if the report has no id).
    pub fn from_proto(p: &ApplicationReportProto, call: &str) -> Result<Self, ClientError> {
        let id = application_id_sent(p.application_id.as_ref(), call)?;
        Ok(AppReport {
            id,
            name: p.name.clone().unwrap_or_default(),
            user: p.user.clone().unwrap_or_default(),
            queue: p.queue.clone().unwrap_or_default(),
            application_type: p.application_type.clone().unwrap_or_default(),
            state: p.yarn_application_state(),
            final_status: p.final_application_status(),
            progress: p.progress.unwrap_or(0.0).clamp(0.0, 1.0),
            tracking_url: p
                .tracking_url
                .clone()
                .filter(|u| !u.is_empty() && u != "N/A"),
            diagnostics: p.diagnostics.clone().unwrap_or_default(),
            start_time_ms: p.start_time.unwrap_or(0),
            finish_time_ms: p.finish_time.unwrap_or(0),
            am_host: p.host.clone().filter(|h| !h.is_empty() && h != "N/A"),
        })
    }

    /// Whether the application has ended (FINISHED, FAILED or KILLED).
    pub fn is_final(&self) -> bool {
        matches!(
            self.state,
            YarnApplicationStateProto::Finished
                | YarnApplicationStateProto::Failed
                | YarnApplicationStateProto::Killed
        )
    }

    /// The state's name (`RUNNING`).
    pub fn state_name(&self) -> &'static str {
        self.state.java_name()
    }

    /// The final status's name (`SUCCEEDED`).
    pub fn final_status_name(&self) -> &'static str {
        self.final_status.java_name()
    }

    /// Whether it ended killed.
    pub fn was_killed(&self) -> bool {
        self.state == YarnApplicationStateProto::Killed
            || self.final_status == FinalApplicationStatusProto::AppKilled
    }

    /// Whether it ended successfully.
    pub fn succeeded(&self) -> bool {
        self.state == YarnApplicationStateProto::Finished
            && self.final_status == FinalApplicationStatusProto::AppSucceeded
    }

    /// The exit code for a command that followed it: `None` while it runs; 0 when it
    /// succeeded; [`exit_code::KILLED`] when killed; when it failed, its ApplicationMaster's
    /// exit code if the diagnostics name one (11: too many executor failures, 13: the driver
    /// never started, 15: the driver failed, …), else [`exit_code::FAILED`].
    pub fn exit_code(&self) -> Option<i32> {
        if !self.is_final() {
            return None;
        }
        Some(if self.succeeded() {
            exit_code::SUCCEEDED
        } else if self.was_killed() {
            exit_code::KILLED
        } else {
            am_exit_code(&self.diagnostics)
                .filter(|c| *c > 0 && *c < 256)
                .unwrap_or(exit_code::FAILED)
        })
    }

    /// The final state in one word: `SUCCEEDED`, `FAILED`, `KILLED`, or the state while it runs.
    pub fn verdict(&self) -> &'static str {
        if !self.is_final() {
            self.state_name()
        } else if self.succeeded() {
            "SUCCEEDED"
        } else if self.was_killed() {
            "KILLED"
        } else {
            "FAILED"
        }
    }
}

impl fmt::Display for AppReport {
    /// The lines `spindle status` prints.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        writeln!(f, "Application: {}", self.id)?;
        writeln!(f, "  name: {}", self.name)?;
        writeln!(f, "  type: {}", self.application_type)?;
        writeln!(f, "  user: {}", self.user)?;
        writeln!(f, "  queue: {}", self.queue)?;
        writeln!(f, "  state: {}", self.state_name())?;
        writeln!(f, "  final status: {}", self.final_status_name())?;
        writeln!(f, "  progress: {:.0}%", self.progress * 100.0)?;
        writeln!(
            f,
            "  ApplicationMaster host: {}",
            self.am_host.as_deref().unwrap_or("N/A")
        )?;
        writeln!(
            f,
            "  tracking URL: {}",
            self.tracking_url.as_deref().unwrap_or("N/A")
        )?;
        writeln!(f, "  start time: {}", self.start_time_ms)?;
        if self.finish_time_ms > 0 {
            writeln!(f, "  finish time: {}", self.finish_time_ms)?;
        }
        let diagnostics = if self.diagnostics.is_empty() {
            "N/A"
        } else {
            &self.diagnostics
        };
        write!(f, "  diagnostics: {diagnostics}")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn report(
        state: YarnApplicationStateProto,
        fin: FinalApplicationStatusProto,
        diag: &str,
    ) -> AppReport {
        AppReport {
            id: ApplicationId::new(1, 1),
            name: "x".into(),
            user: "u".into(),
            queue: "default".into(),
            application_type: "SPINDLE".into(),
            state,
            final_status: fin,
            progress: 1.0,
            tracking_url: None,
            diagnostics: diag.into(),
            start_time_ms: 1,
            finish_time_ms: 2,
            am_host: None,
        }
    }

    #[test]
    fn the_am_exit_code_is_read_from_either_marker() {
        assert_eq!(
            am_exit_code("Max number of executor failures (2) reached [exit code 11]"),
            Some(11)
        );
        assert_eq!(
            am_exit_code(
                "Application a failed 1 times due to AM Container for b exited with  exitCode: 13\nFailing"
            ),
            Some(13)
        );
        assert_eq!(am_exit_code("no code here"), None);
    }

    #[test]
    fn exit_codes_follow_the_ending() {
        use FinalApplicationStatusProto as F;
        use YarnApplicationStateProto as S;
        assert_eq!(report(S::Running, F::AppUndefined, "").exit_code(), None);
        assert_eq!(
            report(S::Finished, F::AppSucceeded, "").exit_code(),
            Some(0)
        );
        assert_eq!(report(S::Killed, F::AppKilled, "").exit_code(), Some(3));
        assert_eq!(
            report(S::Finished, F::AppFailed, "too many [exit code 11]").exit_code(),
            Some(11)
        );
        assert_eq!(
            report(S::Failed, F::AppFailed, "crashed").exit_code(),
            Some(1)
        );
        assert_eq!(report(S::Finished, F::AppFailed, "x").verdict(), "FAILED");
    }
}
