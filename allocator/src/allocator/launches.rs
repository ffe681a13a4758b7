//! Launching matched containers, the shell's launch outcomes, launches that take too long,
//! and containers adopted from a previous attempt.

use super::containers::{ContainerRecord, ContainerState};
use super::{Action, AdoptError, Allocator, LaunchError, RecoveredContainer};
use crate::config::LaunchMode;
use crate::types::{Container, ContainerId, ExecutorId, Millis, ProfileId};

impl Allocator {
    /// The launch of a starting container succeeded. If YARN already reported the container
    /// completed, it does not become running (SPARK-43510).
    pub fn on_launch_succeeded(&mut self, container: &ContainerId) -> Result<(), LaunchError> {
        let (profile, completed) = self.take_starting(container)?;
        if completed {
            self.containers.remove(container);
            return Ok(());
        }
        let Some(rec) = self.containers.get_mut(container) else {
            return Ok(());
        };
        rec.state = ContainerState::Running;
        let host = rec.container.host.clone();
        if let Some(p) = self.profiles.get_mut(&profile) {
            p.start_running(&host);
        }
        Ok(())
    }

    /// The launch of a starting container failed: the container is released at once (unless
    /// it already completed) and its completion will count nothing.
    pub fn on_launch_failed(&mut self, container: &ContainerId) -> Result<(), LaunchError> {
        let (_, completed) = self.take_starting(container)?;
        self.containers.remove(container);
        if !completed {
            self.containers.release(container.clone());
        }
        Ok(())
    }

    /// Ends the starting phase of a container: its profile and whether YARN already reported
    /// it completed.
    fn take_starting(&mut self, container: &ContainerId) -> Result<(ProfileId, bool), LaunchError> {
        let Some(rec) = self.containers.get(container) else {
            return Err(LaunchError::NotStarting(container.clone()));
        };
        let ContainerState::Starting { completed, .. } = rec.state else {
            return Err(LaunchError::NotStarting(container.clone()));
        };
        let profile = rec.profile;
        if let Some(p) = self.profiles.get_mut(&profile) {
            p.starting = p.starting.saturating_sub(1);
        }
        Ok((profile, completed))
    }

    /// Adopts containers that survived from a previous attempt as running executors
    /// (work-preserving AM restart). Executor ids the shell passes are kept when free; the
    /// counter moves past them so new ids never collide.
    pub fn adopt_containers(
        &mut self,
        recovered: Vec<RecoveredContainer>,
    ) -> Vec<(ContainerId, Result<ExecutorId, AdoptError>)> {
        let mut out = Vec::with_capacity(recovered.len());
        for r in recovered {
            let c = r.container;
            let id = c.id.clone();
            if self.containers.is_known(&id) {
                out.push((id.clone(), Err(AdoptError::Duplicate(id))));
                continue;
            }
            let Some((profile, _)) = self.profile_of_priority(c.priority) else {
                self.containers.release(id.clone());
                out.push((
                    id.clone(),
                    Err(AdoptError::UnknownPriority {
                        container: id,
                        priority: c.priority,
                    }),
                ));
                continue;
            };
            let executor = match r.executor_id {
                Some(e) if self.containers.id_of(e).is_none() => {
                    self.last_executor_id = self.last_executor_id.max(e.0);
                    e
                }
                _ => self.next_executor_id(),
            };
            if let Some(p) = self.profiles.get_mut(&profile) {
                p.start_running(&c.host);
            }
            self.containers.insert(ContainerRecord {
                container: c,
                profile,
                executor,
                state: ContainerState::Running,
            });
            out.push((id, Ok(executor)));
        }
        out
    }

    fn next_executor_id(&mut self) -> ExecutorId {
        self.last_executor_id += 1;
        ExecutorId(self.last_executor_id)
    }

    /// Gives a matched container an executor id and asks the shell to launch it, if its
    /// profile still wants an executor; otherwise hands the container back.
    pub(super) fn launch(
        &mut self,
        c: Container,
        profile: ProfileId,
        now: Millis,
    ) -> Result<(), Container> {
        let immediate = self.config.launch_mode == LaunchMode::Immediate;
        let Some(p) = self.profiles.get_mut(&profile).filter(|p| p.wants_more()) else {
            return Err(c);
        };
        let state = if immediate {
            p.start_running(&c.host);
            ContainerState::Running
        } else {
            p.starting += 1;
            ContainerState::Starting {
                since: now,
                completed: false,
            }
        };
        let executor = self.next_executor_id();
        if !immediate && self.config.launch_timeout_ms.is_some() {
            self.launch_deadlines.push_back((now, c.id.clone()));
        }
        self.containers.insert(ContainerRecord {
            container: c.clone(),
            profile,
            executor,
            state,
        });
        self.actions.push_back(Action::Launch {
            executor_id: executor,
            profile,
            container: c,
        });
        Ok(())
    }

    /// Abandons launches that have taken the launch timeout or longer.
    pub(super) fn expire_launches(&mut self, now: Millis) {
        let Some(timeout) = self.config.launch_timeout_ms else {
            return;
        };
        while let Some((since, cid)) = self.launch_deadlines.front().cloned() {
            let state = self.containers.get(&cid).map(|r| r.state.clone());
            match state {
                Some(ContainerState::Starting {
                    since: s,
                    completed,
                }) if s == since => {
                    if now.saturating_sub(since) < timeout {
                        break;
                    }
                    self.launch_deadlines.pop_front();
                    let _ = self.take_starting(&cid);
                    let Some(rec) = self.containers.remove(&cid) else {
                        continue;
                    };
                    if !completed {
                        self.containers.release(cid.clone());
                    }
                    self.actions.push_back(Action::LaunchTimedOut {
                        executor_id: rec.executor,
                        container_id: cid,
                    });
                }
                _ => {
                    self.launch_deadlines.pop_front();
                }
            }
        }
    }
}
