//! The embedded RM's web UI as a user sees it: headless Chromium (Debian's `chromium`) renders
//! each page while an application written with Hadoop's client library runs — the applications
//! (all and by state), one application with its attempts, its containers and the links to their
//! logs, a container's log page on its node, the nodes, the scheduler's queues — and the page a
//! user opens from the tracking URL: the AM's own page through the RM's web proxy.

use std::time::Duration;

use spindle_minicluster::{MiniCluster, MiniClusterOptions};
use spindle_protocol::proto::yarn::*;
use spindle_protocol::yarn::client::ApplicationClient;
use spindle_tests::ours::container_logs;
use spindle_tests::tools::{ShellApp, app_report, render_dom};

/// The cells of table `id` in a rendered DOM, row by row.
fn table(dom: &str, id: &str) -> Vec<Vec<String>> {
    let Some(t) = dom.split(&format!("id=\"{id}\"")).nth(1) else {
        panic!("no table {id} in {dom}");
    };
    let body = t.split("</table>").next().unwrap_or("");
    body.split("<tr>")
        .skip(1)
        .map(|row| {
            row.split("<td>")
                .skip(1)
                .map(|c| {
                    let cell = c.split("</td>").next().unwrap_or("");
                    // The text of the cell, without tags.
                    let mut text = String::new();
                    let mut inside = false;
                    for ch in cell.chars() {
                        match ch {
                            '<' => inside = true,
                            '>' => inside = false,
                            c if !inside => text.push(c),
                            _ => {}
                        }
                    }
                    text
                })
                .collect()
        })
        .filter(|r: &Vec<String>| !r.is_empty())
        .collect()
}

async fn report(client: &ApplicationClient, app: &ShellApp) -> ApplicationReportProto {
    app_report(client, app.id).await.expect("report")
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_web_ui_renders_in_a_browser() {
    let cluster = MiniCluster::start(MiniClusterOptions::with_nodes(2, 4096, 8))
        .await
        .expect("cluster");
    let web = format!("http://{}", cluster.rest_address().expect("RM web"));
    let client = ApplicationClient::simple(cluster.rm_address().to_string(), "spindle");
    let app = ShellApp::submit(&cluster, "echo browser-visible-line", 2)
        .await
        .expect("submit the Java application");
    let id = app.id.to_string();
    let deadline = tokio::time::Instant::now() + Duration::from_secs(120);
    let r = loop {
        let r = report(&client, &app).await;
        // Running, with both task containers done.
        if r.yarn_application_state() == YarnApplicationStateProto::Running
            && r.app_resource_usage
                .as_ref()
                .and_then(|u| u.num_used_containers)
                == Some(1)
        {
            break r;
        }
        assert!(
            tokio::time::Instant::now() < deadline,
            "never ran: {r:?}\n{}",
            container_logs(&cluster, 3000)
        );
        tokio::time::sleep(Duration::from_millis(200)).await;
    };

    // The applications.
    let dom = render_dom(&format!("{web}/cluster")).await.expect("render");
    assert!(dom.contains("<title>All applications</title>"), "{dom}");
    let apps = table(&dom, "apps");
    assert_eq!(apps.len(), 1, "{apps:?}");
    assert_eq!(apps[0][0], id);
    assert_eq!(
        (apps[0][3].as_str(), apps[0][8].as_str()),
        ("SPINDLE-INTEROP", "RUNNING")
    );
    assert_eq!(apps[0][12], "ApplicationMaster", "the tracking link");
    let running = render_dom(&format!("{web}/cluster/apps/RUNNING"))
        .await
        .unwrap();
    assert_eq!(table(&running, "apps").len(), 1);
    let finished = render_dom(&format!("{web}/cluster/apps/FINISHED"))
        .await
        .unwrap();
    assert!(finished.contains("No applications."), "{finished}");

    // One application: its attempts and containers, and the links to their logs.
    let dom = render_dom(&format!("{web}/cluster/app/{id}"))
        .await
        .unwrap();
    assert!(
        dom.contains(&format!("href=\"{web}/proxy/{id}/\"")),
        "tracking link: {dom}"
    );
    let attempts = table(&dom, "attempts");
    assert_eq!(attempts.len(), 1, "{attempts:?}");
    assert_eq!(attempts[0][1], "RUNNING");
    assert_eq!(attempts[0][4], "Logs");
    let containers = table(&dom, "containers");
    assert_eq!(containers.len(), 3, "the AM and two tasks: {containers:?}");
    let done: Vec<&Vec<String>> = containers.iter().filter(|c| c[3] == "COMPLETE").collect();
    assert_eq!(done.len(), 2, "{containers:?}");
    assert!(done.iter().all(|c| c[4] == "0"), "{containers:?}");
    let task = done[0][0].clone();
    let log_link = dom
        .split("href=\"")
        .filter_map(|s| s.split('"').next())
        .find(|h| h.contains(&format!("/node/containerlogs/{task}/")))
        .expect("a link to the task's logs")
        .to_string();

    // The log page on the task's node, then its stdout.
    let logs = render_dom(&log_link).await.unwrap();
    let files = table(&logs, "log-files");
    assert!(files.iter().any(|f| f[0] == "stdout"), "{files:?}");
    let stdout = render_dom(&format!("{log_link}/stdout")).await.unwrap();
    assert!(stdout.contains("browser-visible-line"), "{stdout}");

    // Nodes and queues.
    let nodes = table(
        &render_dom(&format!("{web}/cluster/nodes")).await.unwrap(),
        "nodes",
    );
    assert_eq!(nodes.len(), 2, "{nodes:?}");
    assert!(nodes.iter().all(|n| n[1] == "RUNNING"), "{nodes:?}");
    let queues = table(
        &render_dom(&format!("{web}/cluster/scheduler"))
            .await
            .unwrap(),
        "queues",
    );
    assert_eq!(queues[1][0], "root.default", "{queues:?}");
    assert_eq!(queues[1][6], "1", "one application in the leaf: {queues:?}");

    // The page a user opens from the tracking URL: the AM's own page through the proxy.
    assert_eq!(r.tracking_url(), format!("{web}/proxy/{id}/"));
    let am = render_dom(r.tracking_url()).await.unwrap();
    assert!(am.contains("<title>ShellApp AM</title>"), "{am}");
    assert!(am.contains("ShellApp AM page"), "{am}");

    app.stop().unwrap();
    let deadline = tokio::time::Instant::now() + Duration::from_secs(120);
    while report(&client, &app).await.yarn_application_state()
        != YarnApplicationStateProto::Finished
    {
        assert!(tokio::time::Instant::now() < deadline, "never finished");
        tokio::time::sleep(Duration::from_millis(200)).await;
    }
    let finished = render_dom(&format!("{web}/cluster/apps/FINISHED"))
        .await
        .unwrap();
    assert_eq!(table(&finished, "apps")[0][9], "SUCCEEDED");
    cluster.shutdown().await;
}
