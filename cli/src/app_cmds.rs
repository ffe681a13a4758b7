//! `spindle status`, `kill`, `logs` and `list`: queries of the cluster `HADOOP_CONF_DIR` names.

use spindle_client::{Client, ClientError};
use spindle_protocol::ids::ApplicationId;

use crate::app_args::{AppIdArgs, KillArgs, ListArgs, LogsArgs};
use crate::error::CliError;
use crate::submit_cmd::yarn_client;

/// Reads an application id, saying what one looks like when it is not.
fn app_id(text: &str) -> Result<ApplicationId, CliError> {
    text.trim().parse().map_err(|_| {
        CliError::Usage(format!(
            "{text:?} is not an application id: they look like application_1700000000000_0001 \
             (see `spindle list`)"
        ))
    })
}

/// `spindle status ID`: the report; exit 0 whatever the application's state.
pub async fn status(args: AppIdArgs) -> Result<(), CliError> {
    let id = app_id(&args.app_id)?;
    let client = yarn_client(&[])?;
    println!("{}", client.report(id).await?);
    Ok(())
}

/// `spindle kill ID`: kills it, waits until it is final, removes its staging folder.
pub async fn kill(args: KillArgs) -> Result<(), CliError> {
    let id = app_id(&args.app_id)?;
    let client = yarn_client(&[])?;
    let before = client.report(id).await?;
    if before.is_final() {
        println!("{id} had already ended: {}", before.verdict());
        return Ok(());
    }
    let report = client.kill(id, "killed with `spindle kill`").await?;
    remove_staging(&client, id);
    println!("{id} {}", report.verdict());
    Ok(())
}

/// The AM removes the staging folder when it ends cleanly; a killed one cannot.
fn remove_staging(client: &Client, id: ApplicationId) {
    let dir = client.config().staging_root.join(id.to_string());
    if let Err(e) = spindle_client::staging::remove(&dir) {
        eprintln!(
            "warning: cannot remove the staging folder {}: {e}",
            dir.display()
        );
    }
}

/// `spindle logs ID`: every container's log files (or the chosen ones), each under a header.
pub async fn logs(args: LogsArgs) -> Result<(), CliError> {
    let id = app_id(&args.app_id)?;
    let client = yarn_client(&[])?;
    let containers = client.logs(id).await?;
    let mut shown = 0;
    for c in containers.iter().filter(|c| {
        args.container
            .as_ref()
            .is_none_or(|want| *want == c.container)
    }) {
        for file in c
            .files()
            .into_iter()
            .filter(|f| args.file.as_ref().is_none_or(|want| want == f))
        {
            let text = c.read(&file, args.tail).await?;
            println!("=== {} {file} ===", c.container);
            print!("{text}");
            if !text.is_empty() && !text.ends_with('\n') {
                println!();
            }
            shown += 1;
        }
    }
    if shown == 0 {
        return Err(ClientError::Logs {
            what: id.to_string(),
            detail: "no log file matches --container / --file".into(),
        }
        .into());
    }
    Ok(())
}

/// `spindle list`: one line per application, newest first.
pub async fn list(args: ListArgs) -> Result<(), CliError> {
    let client = yarn_client(&[])?;
    let reports = client.list(args.all).await?;
    println!(
        "{:<32} {:<24} {:<10} {:<10} {:<10} {:<10} {:>5}  TRACKING URL",
        "APPLICATION", "NAME", "TYPE", "USER", "STATE", "FINAL", "DONE"
    );
    for r in &reports {
        let name: String = r.name.chars().take(24).collect();
        println!(
            "{:<32} {:<24} {:<10} {:<10} {:<10} {:<10} {:>4}%  {}",
            r.id.to_string(),
            name,
            r.application_type,
            r.user,
            r.state_name(),
            r.final_status_name(),
            (r.progress * 100.0).round(),
            r.tracking_url.as_deref().unwrap_or("N/A")
        );
    }
    eprintln!("{} application(s)", reports.len());
    Ok(())
}
