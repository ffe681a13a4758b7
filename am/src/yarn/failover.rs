//! ResourceManager HA for the AM: several scheduler addresses, tried in turn.
//!
//! As Hadoop's `ConfiguredRMFailoverProxyProvider` with `failoverOnNetworkException`: a call
//! that cannot reach the active ResourceManager (connection refused, timeout, connection lost)
//! or that a standby answers with `StandbyException` moves on to the next address; the first
//! failover is immediate, later ones wait an exponentially growing, jittered time between
//! `sleep_base` and `sleep_max`; after `max_failovers` the call fails. Every other answer
//! (success or a real error) comes back as it is. The address that answered stays active for
//! later calls.

use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::Duration;

use spindle_conf::Configuration;
use spindle_conf::yarn::{RmService, rm_addresses};
use spindle_protocol::ipc::{ClientConfig, RetryPolicy};
use spindle_protocol::sasl::qop::{Qop, parse_protection};
use spindle_protocol::token::Token;
use spindle_protocol::yarn::am::AmRmClient;
use spindle_protocol::yarn::{APPLICATION_MASTER_PROTOCOL, YarnError, token_auth};

use super::calls::AmRmCalls;

/// The SASL protection the cluster's RPC asks for (`hadoop.rpc.protection`: authentication,
/// integrity, privacy, or a list of them).
pub fn rpc_protection(conf: &Configuration) -> Result<Vec<Qop>, spindle_conf::ConfError> {
    let key = "hadoop.rpc.protection";
    let value = conf
        .get_trimmed(key)
        .unwrap_or_else(|| "authentication".into());
    parse_protection(&value).map_err(|e| conf.invalid(key, &value, &e.to_string()))
}

/// How long and how often to fail over.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FailoverPolicy {
    /// Failovers one call may make before it fails.
    pub max_failovers: u32,
    /// The wait before the second failover; it doubles after each one.
    pub sleep_base: Duration,
    /// The longest wait.
    pub sleep_max: Duration,
}

impl FailoverPolicy {
    /// Hadoop's policy from the configuration: `yarn.client.failover-max-attempts` (else
    /// `connect.max-wait.ms / connect.retry-interval.ms`), `yarn.client.failover-sleep-base-ms`
    /// and `-sleep-max-ms` (both else `connect.retry-interval.ms`).
    pub fn from_conf(conf: &Configuration) -> Result<Self, spindle_conf::ConfError> {
        let retry = conf.get_u64_or("yarn.resourcemanager.connect.retry-interval.ms", 30_000)?;
        let max_wait = conf.get_u64_or("yarn.resourcemanager.connect.max-wait.ms", 900_000)?;
        let derived = max_wait.checked_div(retry).unwrap_or(1).max(1);
        let max_failovers = conf.get_u64_or("yarn.client.failover-max-attempts", derived)?;
        Ok(FailoverPolicy {
            max_failovers: u32::try_from(max_failovers).unwrap_or(u32::MAX),
            sleep_base: Duration::from_millis(
                conf.get_u64_or("yarn.client.failover-sleep-base-ms", retry)?,
            ),
            sleep_max: Duration::from_millis(
                conf.get_u64_or("yarn.client.failover-sleep-max-ms", retry)?,
            ),
        })
    }

    /// The wait before failover number `n` (0-based): none for the first, then exponential
    /// from `sleep_base` with ±50% jitter, capped at `sleep_max`.
    pub fn sleep_before(&self, n: u32, jitter: f64) -> Duration {
        if n == 0 {
            return Duration::ZERO;
        }
        let exp = self
            .sleep_base
            .saturating_mul(1u32.checked_shl(n - 1).unwrap_or(u32::MAX))
            .min(self.sleep_max);
        exp.mul_f64(0.5 + jitter.clamp(0.0, 1.0))
            .min(self.sleep_max)
    }
}

/// Whether `error` means "this ResourceManager cannot serve the call; try another".
pub fn is_failover_error(error: &YarnError) -> bool {
    match error {
        YarnError::Transport(_) => true,
        other => other
            .remote()
            .is_some_and(|r| r.is("StandbyException") || r.is("RetriableException")),
    }
}

/// One AM client per ResourceManager, used in turn.
pub struct Failover {
    clients: Vec<AmRmClient>,
    active: AtomicUsize,
    policy: FailoverPolicy,
}

impl Failover {
    /// Clients for every scheduler address the configuration names (one without HA).
    pub fn from_conf(
        conf: &Configuration,
        amrm_token: &Token,
        user: &str,
    ) -> Result<Self, spindle_conf::ConfError> {
        let addresses = rm_addresses(conf, RmService::Scheduler)?;
        let ha = addresses.len() > 1;
        // Hadoop's IPC client settings: retries after the first attempt, the connect timeout.
        let retries = conf.get_u64_or("ipc.client.connect.max.retries", 10)?;
        let connect_timeout = conf
            .get_duration("ipc.client.connect.timeout", Duration::from_millis(1))?
            .unwrap_or(Duration::from_secs(20));
        let qop = rpc_protection(conf)?;
        let clients = addresses
            .iter()
            .map(|a| {
                let mut config = ClientConfig::new(
                    a.host_port(),
                    APPLICATION_MASTER_PROTOCOL,
                    token_auth(amrm_token, user),
                );
                // With several RMs, a refused connection means "try the next one" at once
                // (Hadoop sets ipc.client.connect.max.retries to 0 under HA), not ten retries.
                config.connect_timeout = connect_timeout;
                config.qop = qop.clone();
                config.retry.max_attempts =
                    u32::try_from(retries.saturating_add(1)).unwrap_or(u32::MAX);
                if ha {
                    config.retry = RetryPolicy::none();
                }
                let client = AmRmClient::new(config);
                client.set_amrm_token(amrm_token);
                client
            })
            .collect();
        Ok(Failover::new(clients, FailoverPolicy::from_conf(conf)?))
    }

    /// Uses `clients` in this order.
    pub fn new(clients: Vec<AmRmClient>, policy: FailoverPolicy) -> Self {
        Failover {
            clients,
            active: AtomicUsize::new(0),
            policy,
        }
    }

    /// The index of the client calls go to first.
    pub fn active(&self) -> usize {
        self.active.load(Ordering::Relaxed)
    }

    async fn call<'a, T, F, Fut>(&'a self, name: &str, call: F) -> Result<T, YarnError>
    where
        F: Fn(&'a AmRmClient) -> Fut,
        Fut: std::future::Future<Output = Result<T, YarnError>>,
    {
        let n = self.clients.len();
        let mut failovers = 0u32;
        loop {
            let index = self.active.load(Ordering::Relaxed) % n.max(1);
            let client = &self.clients[index];
            match call(client).await {
                Err(e)
                    if n > 1 && is_failover_error(&e) && failovers < self.policy.max_failovers =>
                {
                    let next = (index + 1) % n;
                    let wait = self.policy.sleep_before(failovers, rand::random::<f64>());
                    tracing::warn!(
                        call = name, from = index, to = next, ?wait, error = %e,
                        "failing over to the next ResourceManager"
                    );
                    // Only move on if no concurrent call already did.
                    let _ = self.active.compare_exchange(
                        index,
                        next,
                        Ordering::Relaxed,
                        Ordering::Relaxed,
                    );
                    tokio::time::sleep(wait).await;
                    failovers += 1;
                }
                Ok(reply) => {
                    self.share_rolled_token(client);
                    return Ok(reply);
                }
                Err(e) => return Err(e),
            }
        }
    }

    // A rolled-over AMRMToken reached one client; the others need it for their next connection.
    fn share_rolled_token(&self, from: &AmRmClient) {
        let Some(token) = from.current_amrm_token() else {
            return;
        };
        for c in &self.clients {
            if c.current_amrm_token().as_ref() != Some(&token) {
                c.set_amrm_token(&token);
            }
        }
    }
}

macro_rules! failover {
    ($self:ident, $target:ident, $request:ident) => {
        $self
            .call(stringify!($target), |c| c.$target($request))
            .await
    };
}

impl AmRmCalls for Failover {
    super::calls::am_rm_calls!(failover);
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn waits_grow_from_nothing_to_the_cap() {
        let p = FailoverPolicy {
            max_failovers: 10,
            sleep_base: Duration::from_millis(100),
            sleep_max: Duration::from_millis(1000),
        };
        assert_eq!(p.sleep_before(0, 0.5), Duration::ZERO);
        assert_eq!(p.sleep_before(1, 0.5), Duration::from_millis(100));
        assert_eq!(p.sleep_before(2, 0.5), Duration::from_millis(200));
        assert_eq!(p.sleep_before(3, 0.0), Duration::from_millis(200));
        assert_eq!(p.sleep_before(30, 1.0), Duration::from_millis(1000));
        assert_eq!(p.sleep_before(64, 0.5), Duration::from_millis(1000));
    }

    #[test]
    fn policy_follows_hadoops_derivation() {
        let mut conf = Configuration::with_env(|_| None);
        let p = FailoverPolicy::from_conf(&conf).unwrap();
        assert_eq!(p.max_failovers, 30);
        assert_eq!(p.sleep_base, Duration::from_secs(30));
        conf.set("yarn.client.failover-max-attempts", "3", "test");
        conf.set("yarn.client.failover-sleep-base-ms", "10", "test");
        conf.set("yarn.client.failover-sleep-max-ms", "40", "test");
        let p = FailoverPolicy::from_conf(&conf).unwrap();
        assert_eq!(
            (p.max_failovers, p.sleep_base, p.sleep_max),
            (3, Duration::from_millis(10), Duration::from_millis(40))
        );
    }
}
