//! [`Rm`]: the ResourceManager's client port (ApplicationClientProtocol), as the calls a client
//! makes. With ResourceManager HA (several addresses), a call that cannot reach one, or that a
//! standby answers, goes to the next; the one that answered is tried first next time.

use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::Duration;

use spindle_protocol::ids::{ApplicationAttemptId, ApplicationId};
use spindle_protocol::ipc::{ClientAuth, ClientConfig, RetryPolicy};
use spindle_protocol::proto::yarn::{
    ApplicationAttemptReportProto, ApplicationReportProto, ApplicationSubmissionContextProto,
    ContainerReportProto,
};
use spindle_protocol::proto::yarn_service::{
    GetApplicationAttemptsRequestProto, GetApplicationReportRequestProto,
    GetApplicationsRequestProto, GetContainersRequestProto, GetNewApplicationResponseProto,
    KillApplicationRequestProto, SubmitApplicationRequestProto,
};
use spindle_protocol::yarn::client::ApplicationClient;
use spindle_protocol::yarn::{APPLICATION_CLIENT_PROTOCOL, YarnError};

use crate::config::RmSecurity;
use crate::error::{ClientError, from_yarn};

/// How long connecting to a ResourceManager may take.
const CONNECT_TIMEOUT: Duration = Duration::from_secs(10);
/// How long one call may take.
const CALL_TIMEOUT: Duration = Duration::from_secs(60);

/// The ResourceManager, as its clients see it.
pub struct Rm {
    clients: Vec<(String, ApplicationClient)>,
    active: AtomicUsize,
}

impl std::fmt::Debug for Rm {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Rm")
            .field("addresses", &self.addresses())
            .finish()
    }
}

/// Whether another ResourceManager may serve a call this one could not.
fn try_next(error: &YarnError) -> bool {
    match error {
        YarnError::Transport(_) => true,
        other => other
            .remote()
            .is_some_and(|r| r.is("StandbyException") || r.is("RetriableException")),
    }
}

impl Rm {
    /// Clients of `addresses` (`host:port`, in failover order), acting as `user` (SIMPLE
    /// authentication, as Hadoop clients do on a cluster without Kerberos) or with the
    /// Kerberos identity of `security`, protected as it says.
    pub fn new(addresses: &[String], user: &str, security: &RmSecurity) -> Self {
        let ha = addresses.len() > 1;
        let clients = addresses
            .iter()
            .map(|addr| {
                let auth = match &security.kerberos {
                    Some((credentials, server_principal)) => ClientAuth::Kerberos {
                        credentials: credentials.clone(),
                        server_principal: server_principal.clone(),
                    },
                    None => ClientAuth::Simple {
                        user: user.to_string(),
                    },
                };
                let mut config = ClientConfig::new(addr.clone(), APPLICATION_CLIENT_PROTOCOL, auth);
                if !security.qop.is_empty() {
                    config.qop = security.qop.clone();
                }
                config.connect_timeout = CONNECT_TIMEOUT;
                config.call_timeout = CALL_TIMEOUT;
                // A person waits for the answer: a few quick retries, not Hadoop's ten. With
                // HA, a refused connection means "the next one" at once.
                config.retry = if ha {
                    RetryPolicy::none()
                } else {
                    RetryPolicy {
                        max_attempts: 3,
                        initial_backoff: Duration::from_millis(100),
                        max_backoff: Duration::from_secs(1),
                    }
                };
                (addr.clone(), ApplicationClient::new(config))
            })
            .collect();
        Rm {
            clients,
            active: AtomicUsize::new(0),
        }
    }

    /// The addresses, comma-separated (for messages).
    pub fn addresses(&self) -> String {
        self.clients
            .iter()
            .map(|(a, _)| a.as_str())
            .collect::<Vec<_>>()
            .join(", ")
    }

    async fn call<'a, T, F, Fut>(&'a self, name: &'static str, call: F) -> Result<T, ClientError>
    where
        F: Fn(&'a ApplicationClient) -> Fut,
        Fut: std::future::Future<Output = Result<T, YarnError>>,
    {
        let n = self.clients.len();
        if n == 0 {
            return Err(ClientError::Invalid(
                "no ResourceManager address is configured".into(),
            ));
        }
        let first = self.active.load(Ordering::Relaxed) % n;
        let mut last = None;
        for step in 0..n {
            let index = (first + step) % n;
            match call(&self.clients[index].1).await {
                Ok(reply) => {
                    self.active.store(index, Ordering::Relaxed);
                    return Ok(reply);
                }
                Err(e) if n > 1 && try_next(&e) => {
                    tracing::warn!(call = name, rm = %self.clients[index].0, error = %e, "trying the next ResourceManager");
                    last = Some(e);
                }
                Err(e) => return Err(from_yarn(name, &self.addresses(), e)),
            }
        }
        let error = last.expect("n > 0 calls were made");
        Err(from_yarn(name, &self.addresses(), error))
    }

    /// `getNewApplication`: a new id and the largest container the cluster allows.
    pub async fn new_application(&self) -> Result<GetNewApplicationResponseProto, ClientError> {
        self.call("getNewApplication", |c| c.get_new_application())
            .await
    }

    /// `submitApplication`.
    pub async fn submit(
        &self,
        context: ApplicationSubmissionContextProto,
    ) -> Result<(), ClientError> {
        let request = SubmitApplicationRequestProto {
            application_submission_context: Some(context),
        };
        self.call("submitApplication", |c| c.submit_application(&request))
            .await
            .map(|_| ())
    }

    /// `getApplicationReport`.
    pub async fn report(&self, id: ApplicationId) -> Result<ApplicationReportProto, ClientError> {
        let request = GetApplicationReportRequestProto {
            application_id: Some(id.to_proto()),
        };
        let reply = self
            .call("getApplicationReport", |c| {
                c.get_application_report(&request)
            })
            .await?;
        // A reply without a report is what an RM that lost the application would send.
        reply
            .application_report
            .ok_or_else(|| ClientError::NotFound(id.to_string()))
    }

    /// `forceKillApplication` once; `true` when the kill is complete.
    pub async fn kill(&self, id: ApplicationId, why: &str) -> Result<bool, ClientError> {
        let request = KillApplicationRequestProto {
            application_id: Some(id.to_proto()),
            diagnostics: Some(why.to_string()),
        };
        let reply = self
            .call("forceKillApplication", |c| {
                c.force_kill_application(&request)
            })
            .await?;
        Ok(reply.is_kill_completed.unwrap_or(false))
    }

    /// `getApplications`.
    pub async fn applications(
        &self,
        request: GetApplicationsRequestProto,
    ) -> Result<Vec<ApplicationReportProto>, ClientError> {
        Ok(self
            .call("getApplications", |c| c.get_applications(&request))
            .await?
            .applications)
    }

    /// `getApplicationAttempts`.
    pub async fn attempts(
        &self,
        id: ApplicationId,
    ) -> Result<Vec<ApplicationAttemptReportProto>, ClientError> {
        let request = GetApplicationAttemptsRequestProto {
            application_id: Some(id.to_proto()),
        };
        Ok(self
            .call("getApplicationAttempts", |c| {
                c.get_application_attempts(&request)
            })
            .await?
            .application_attempts)
    }

    /// `getContainers` of an attempt: the containers the ResourceManager still remembers.
    pub async fn containers(
        &self,
        attempt: ApplicationAttemptId,
    ) -> Result<Vec<ContainerReportProto>, ClientError> {
        let request = GetContainersRequestProto {
            application_attempt_id: Some(attempt.to_proto()),
        };
        Ok(self
            .call("getContainers", |c| c.get_containers(&request))
            .await?
            .containers)
    }
}
