//! End to end on the embedded cluster: the AM's tracking page in a real browser, and a killed
//! application that leaves no process behind.

mod common;

use std::time::Duration;

use common::*;
use spindle_protocol::proto::yarn::YarnApplicationStateProto;
use spindle_protocol::proto::yarn_service::KillApplicationRequestProto;
use tokio::io::{AsyncReadExt, AsyncWriteExt};

/// `GET url` with a plain HTTP/1.1 request; the body.
async fn http_get(url: &str) -> String {
    let rest = url.strip_prefix("http://").expect("http URL");
    let (authority, path) = rest
        .split_once('/')
        .map_or((rest, "/".to_string()), |(a, p)| (a, format!("/{p}")));
    let mut s = tokio::net::TcpStream::connect(authority)
        .await
        .expect("connect to the page");
    s.write_all(
        format!("GET {path} HTTP/1.1\r\nHost: {authority}\r\nConnection: close\r\n\r\n").as_bytes(),
    )
    .await
    .expect("send");
    let mut out = String::new();
    tokio::time::timeout(Duration::from_secs(10), s.read_to_string(&mut out))
        .await
        .expect("answer in time")
        .expect("read");
    out.split_once("\r\n\r\n")
        .map(|(_, b)| b.to_string())
        .unwrap_or_default()
}

/// The page's DOM after headless Chromium rendered it.
async fn render_in_chromium(url: &str) -> String {
    spindle_tests::tools::render_dom(url)
        .await
        .expect("headless Chromium rendered the page")
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_tracking_page_renders_and_a_killed_application_leaves_no_process() {
    let cluster = cluster(2).await;
    let (am, marker) = Am::shell("sleep 600", 3).marked(&unique(&cluster, "am-lifecycle"));
    let app = App::submit(&cluster, "tracked", &am).await;
    let r = app
        .wait_for("RUNNING with a tracking URL", |r| {
            r.yarn_application_state() == YarnApplicationStateProto::Running
                && r.original_tracking_url
                    .as_deref()
                    .is_some_and(|u| u.starts_with("http://"))
        })
        .await;
    let url = r.original_tracking_url.clone().expect("tracking URL");
    // The report's tracking URL is the RM's web proxy, which forwards to the AM's page.
    let proxied = r.tracking_url.clone().expect("proxy URL");
    assert!(
        proxied.contains(&format!("/proxy/{}/", app.id)),
        "{proxied}"
    );

    // The JSON says when all three executors run.
    let deadline = tokio::time::Instant::now() + WAIT;
    loop {
        let json: serde_json::Value =
            serde_json::from_str(&http_get(&format!("{url}json")).await).expect("JSON");
        let running = json["status"]["executors"]
            .as_array()
            .map(|e| e.iter().filter(|x| x["state"] == "RUNNING").count())
            .unwrap_or(0);
        if running == 3 {
            assert_eq!(json["status"]["profiles"][0]["target"], 3, "{json}");
            assert_eq!(
                json["application"]["attempt"],
                format!("{}", app.id).replace("application_", "appattempt_") + "_000001",
                "{json}"
            );
            break;
        }
        assert!(
            tokio::time::Instant::now() < deadline,
            "executors never all ran: {json}\n{}",
            app.logs()
        );
        tokio::time::sleep(Duration::from_millis(100)).await;
    }

    // What a user sees in a browser.
    let dom = render_in_chromium(&proxied).await;
    assert!(
        dom.contains("Spindle ApplicationMaster — appattempt_"),
        "{dom}"
    );
    assert!(dom.contains("<dd>REGISTERED</dd>"), "{dom}");
    assert!(
        dom.contains("distributed shell: 3 × sh -c \"sleep 600\""),
        "{dom}"
    );
    let executors = dom
        .split("id=\"executors\"")
        .nth(1)
        .expect("executors table");
    assert_eq!(
        executors
            .split("</table>")
            .next()
            .unwrap_or("")
            .matches("<td>RUNNING</td>")
            .count(),
        3,
        "{dom}"
    );
    assert!(dom.contains("registered; largest container"), "{dom}");

    // The AM and three executors (sh and sleep) carry the marker.
    let before = processes_with(&marker);
    assert!(before.len() >= 4, "{before:?}");

    app.client
        .force_kill_application(&KillApplicationRequestProto {
            application_id: Some(app.id.to_proto()),
            diagnostics: Some("killed by the test".into()),
        })
        .await
        .expect("forceKillApplication");
    app.killed_and_gone(&marker).await;
    cluster.shutdown().await;
}
