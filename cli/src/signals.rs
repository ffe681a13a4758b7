//! [`StopSignals`]: Ctrl-C (SIGINT) and SIGTERM as one async stream of stop requests.

use tokio::signal::unix::{Signal, SignalKind, signal};

/// Listens for SIGINT and SIGTERM. Installed before the cluster starts, so a signal sent
/// while it starts is not lost.
#[derive(Debug)]
pub struct StopSignals {
    interrupt: Signal,
    terminate: Signal,
}

impl StopSignals {
    /// Installs the handlers (must run inside a tokio runtime).
    pub fn install() -> std::io::Result<StopSignals> {
        Ok(StopSignals {
            interrupt: signal(SignalKind::interrupt())?,
            terminate: signal(SignalKind::terminate())?,
        })
    }

    /// Waits for the next SIGINT or SIGTERM and returns its name.
    pub async fn next(&mut self) -> &'static str {
        tokio::select! {
            Some(()) = self.interrupt.recv() => "SIGINT",
            Some(()) = self.terminate.recv() => "SIGTERM",
            // Both streams ended (the runtime is going away): no signal will ever come.
            else => std::future::pending().await,
        }
    }
}

/// Ctrl-C / SIGTERM as a value many waits can share: [`Interrupt::wait`] returns once a signal
/// came (at once if one already did).
#[derive(Debug, Clone)]
pub struct Interrupt(tokio::sync::watch::Receiver<Option<&'static str>>);

impl Interrupt {
    /// Listens for SIGINT and SIGTERM from now on (must run inside a tokio runtime).
    pub fn install() -> std::io::Result<Interrupt> {
        let mut signals = StopSignals::install()?;
        let (tx, rx) = tokio::sync::watch::channel(None);
        tokio::spawn(async move {
            let name = signals.next().await;
            tx.send_replace(Some(name));
            // Later signals change nothing; keep the handlers so they do not kill the process.
            loop {
                signals.next().await;
            }
        });
        Ok(Interrupt(rx))
    }

    /// The name of the signal that came, once one did.
    pub async fn wait(&mut self) -> &'static str {
        match self.0.wait_for(Option::is_some).await {
            Ok(name) => name.unwrap_or("a signal"),
            // The listener is gone (the runtime is stopping): no signal will come.
            Err(_) => std::future::pending().await,
        }
    }
}
