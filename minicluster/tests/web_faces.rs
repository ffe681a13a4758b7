//! A running application seen through every web face of the embedded cluster, over real HTTP:
//! the RM's web services (read side and PUTs, JSON and XML), its web UI, its web proxy in front
//! of the AM's own page, and a NodeManager's web server with the container's logs; then, once the
//! application ended, its logs aggregated in Hadoop's format. Also: the bound on completed
//! applications seen through REST.

mod common;

use std::collections::HashMap;
use std::net::SocketAddr;
use std::sync::Arc;
use std::time::Duration;

use bytes::Bytes;
use common::http::*;
use common::*;
use http_body_util::Full;
use serde_json::json;
use spindle_http::hyper::body::Incoming;
use spindle_http::hyper::{Request, Response, StatusCode};
use spindle_http::{Handler, HttpConfig, HttpServer};
use spindle_minicluster::{MiniCluster, MiniClusterOptions};
use spindle_protocol::ids::{ApplicationId, ContainerId};
use spindle_protocol::proto::yarn::*;
use spindle_protocol::proto::yarn_service::*;
use spindle_protocol::token::Token;
use spindle_protocol::yarn::nm::ContainerManagerClient;

/// The AM's own web page, as the proxy's other end: `/` (HTML), `/json`, `/redir` (302 to
/// `/json`), `/echo` (what arrived: path, query, the proxy-user cookie and the user agent).
struct AmPage;

impl Handler for AmPage {
    async fn handle(&self, req: Request<Incoming>) -> Response<Full<Bytes>> {
        let header = |n: &str| {
            req.headers()
                .get(n)
                .and_then(|v| v.to_str().ok())
                .unwrap_or("")
                .to_string()
        };
        match req.uri().path() {
            "/" => spindle_http::response(
                StatusCode::OK,
                "text/html",
                "<html><body><h1>test AM page</h1></body></html>",
            ),
            "/json" => spindle_http::response(StatusCode::OK, "application/json", r#"{"am":"ok"}"#),
            "/redir" => spindle_http::redirect("/json"),
            "/echo" => spindle_http::response(
                StatusCode::OK,
                "text/plain",
                format!(
                    "path={} query={} cookie={} agent={} secret={}",
                    req.uri().path(),
                    req.uri().query().unwrap_or(""),
                    header("cookie"),
                    header("user-agent"),
                    header("x-secret"),
                ),
            ),
            _ => spindle_http::response(StatusCode::NOT_FOUND, "text/plain", "no such AM page"),
        }
    }
}

fn options() -> MiniClusterOptions {
    let mut o = MiniClusterOptions::with_nodes(1, 4096, 4);
    o.monitor_interval = Duration::from_millis(100);
    o.max_application_priority = 10;
    o
}

/// GET with extra request headers.
async fn get_with(addr: SocketAddr, path: &str, headers: &[(&str, &str)]) -> Http {
    let mut req = format!("GET {path} HTTP/1.1\r\nHost: {addr}\r\nConnection: close\r\n");
    for (k, v) in headers {
        req.push_str(&format!("{k}: {v}\r\n"));
    }
    req.push_str("\r\n");
    raw(addr, req.as_bytes()).await
}

fn node_http(c: &MiniCluster) -> SocketAddr {
    c.node(0)
        .expect("node 0")
        .http_address()
        .parse()
        .expect("node web address")
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_running_application_seen_through_every_web_face() {
    let c = MiniCluster::start(options()).await.expect("cluster");
    let web = c.rest_address().expect("the RM web server");
    let nm_web = node_http(&c);
    let client = client(&c);

    // The AM registers with its own page as tracking URL.
    let am_page = HttpServer::bind(
        "127.0.0.1:0".parse().unwrap(),
        HttpConfig::default(),
        Arc::new(AmPage),
    )
    .await
    .expect("the AM's page");
    let (id, am) = submit_script_am(&client, "web-faces").await;
    let (env, amrm) = am.wait_started().await;
    assert_eq!(
        env_of(&env, "NM_HTTP_PORT"),
        Some(nm_web.port().to_string().as_str()),
        "containers learn their node's web port"
    );
    let attempt = attempt_of(&amrm);
    let am_client = am_client(&c, &amrm);
    am_client
        .register_application_master(&RegisterApplicationMasterRequestProto {
            host: Some("127.0.0.1".into()),
            rpc_port: Some(4242),
            tracking_url: Some(format!("http://{}/", am_page.local_addr())),
            ..Default::default()
        })
        .await
        .expect("register");

    // One task container whose environment arrives with the derived variable first.
    let mut rid = 0;
    let mut asks = vec![ask_anywhere(256, 1)];
    let (task, nm_token) = loop {
        let r = am_client
            .allocate(&allocate_request(rid, std::mem::take(&mut asks)))
            .await
            .expect("allocate");
        rid = r.response_id();
        if let Some(t) = r.allocated_containers.first() {
            let tok = Token::from_proto(r.nm_tokens[0].token.as_ref().unwrap());
            break (t.clone(), tok);
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    };
    let cid: ContainerId = task.container_id().unwrap();
    let mut clc =
        common::task("echo B=$MY_DERIVED; echo hello-stdout; echo to-stderr >&2; exec sleep 60");
    clc.add_env("MY_DERIVED", "{{MY_BASE}}/sub");
    clc.add_env("MY_BASE", "/base");
    let node = task.node().unwrap().to_string();
    let nm = ContainerManagerClient::with_token(node, &nm_token, attempt.to_string());
    let started = nm
        .start_containers(&start_request(clc, &task))
        .await
        .unwrap();
    assert!(started.failed_requests.is_empty(), "{started:?}");

    // The NM serves the container's stdout (and the derived variable expanded right).
    let log_path = format!("/ws/v1/node/containerlogs/{cid}/stdout");
    wait_until("the container's stdout over HTTP", || async {
        get(nm_web, &log_path).await.text().contains("hello-stdout")
    })
    .await;
    let stdout = get(nm_web, &log_path).await;
    assert_eq!(stdout.status, 200);
    assert!(
        stdout.text().starts_with("B=/base/sub\n"),
        "{}",
        stdout.text()
    );
    let last = get(nm_web, &format!("{log_path}?size=-13")).await;
    assert_eq!(last.text(), "hello-stdout\n");

    nm_services(nm_web, id, cid).await;
    rm_services(web, id, attempt, cid).await;
    web_ui(web, id, cid).await;
    proxy(&c, web, &client, id).await;

    // A signal through the RM reaches the container: SIGTERM ends the sleep.
    let r = http(
        web,
        "POST",
        &format!("/ws/v1/cluster/containers/{cid}/signal/GRACEFUL_SHUTDOWN"),
        None,
    )
    .await;
    assert_eq!(r.status, 200, "{}", r.text());
    let path = format!("/ws/v1/cluster/apps/{id}/appattempts/{attempt}/containers/{cid}");
    wait_until("the signalled container to end", || async {
        get(web, &path).await.json()["container"]["containerState"] == "COMPLETE"
    })
    .await;
    let done = get(web, &path).await.json();
    assert_eq!(done["container"]["containerExitStatus"], 143, "{done}");
    let bad = http(
        web,
        "POST",
        &format!("/ws/v1/cluster/containers/{cid}/signal/EXPLODE"),
        None,
    )
    .await;
    assert_eq!(bad.status, 400);

    // The application ends; its logs are aggregated in Hadoop's format.
    am_client
        .finish_application_master(&FinishApplicationMasterRequestProto {
            diagnostics: Some("done".into()),
            final_application_status: Some(FinalApplicationStatusProto::AppSucceeded as i32),
            tracking_url: None,
        })
        .await
        .expect("unregister");
    am.exit(0);
    wait_until("log aggregation to succeed", || async {
        report(&client, id).await.log_aggregation_status()
            == LogAggregationStatusProto::LogSucceeded
    })
    .await;
    let file = spindle_minicluster::logs::remote_app_dir(&c.base_dir().join("app-logs"), USER, &id)
        .join(spindle_minicluster::logs::node_file_name(
            c.node(0).unwrap().node_id(),
        ));
    let logs = spindle_minicluster::logs::read_aggregated(&std::fs::read(&file).expect("file"))
        .expect("Hadoop's aggregated-log format");
    assert_eq!(logs.owner, USER);
    let task_logs: HashMap<String, String> = logs
        .containers
        .iter()
        .find(|(c, _)| *c == cid.to_string())
        .expect("the task's logs")
        .1
        .iter()
        .map(|(n, b)| (n.clone(), String::from_utf8_lossy(b).into_owned()))
        .collect();
    assert!(
        task_logs["stdout"].contains("hello-stdout"),
        "{task_logs:?}"
    );
    assert_eq!(task_logs["stderr"], "to-stderr\n");
    assert!(
        logs.containers
            .iter()
            .any(|(c, _)| c.ends_with("_01_000001")),
        "the AM's too"
    );

    // An ended application's proxy link sends the browser to its tracking URL.
    let r = get(web, &format!("/proxy/{id}/json")).await;
    assert_eq!(r.status, 302);
    assert_eq!(
        r.header("location"),
        Some(format!("http://{}/json", am_page.local_addr()).as_str())
    );
    c.shutdown().await;
}

/// The NodeManager's web services and pages, and what they refuse.
async fn nm_services(nm: SocketAddr, app: ApplicationId, cid: ContainerId) {
    let info = get(nm, "/ws/v1/node/info").await.json();
    assert_eq!(info["nodeInfo"]["nodeHealthy"], true, "{info}");
    let apps = get(nm, "/ws/v1/node/apps").await.json();
    assert_eq!(apps["apps"]["app"][0]["id"], app.to_string(), "{apps}");
    assert_eq!(apps["apps"]["app"][0]["state"], "RUNNING");
    let one = get(nm, &format!("/ws/v1/node/apps/{app}")).await.json();
    assert_eq!(one["app"]["user"], USER);
    let containers = get(nm, "/ws/v1/node/containers").await.json();
    assert_eq!(
        containers["containers"]["container"]
            .as_array()
            .map(Vec::len),
        Some(2)
    );
    let c = get(nm, &format!("/ws/v1/node/containers/{cid}"))
        .await
        .json();
    assert_eq!(c["container"]["state"], "RUNNING", "{c}");
    assert_eq!(c["container"]["totalMemoryNeededMB"], 256);
    assert!(
        c["container"]["containerLogsLink"]
            .as_str()
            .unwrap()
            .ends_with(&format!("/node/containerlogs/{cid}/{USER}"))
    );
    let files = get(nm, &format!("/ws/v1/node/containers/{cid}/logs"))
        .await
        .json();
    let names: Vec<&str> = files["containerLogsInfo"]["containerLogInfo"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| f["fileName"].as_str().unwrap())
        .collect();
    assert!(
        names.contains(&"stdout") && names.contains(&"stderr"),
        "{files}"
    );
    let xml = get_with(nm, "/ws/v1/node/info", &[("Accept", "application/xml")]).await;
    assert!(xml.text().contains("<nodeInfo>"), "{}", xml.text());
    // The log page of every YARN log link.
    let page = get(nm, &format!("/node/containerlogs/{cid}/{USER}")).await;
    assert!(page.text().contains(">stdout</a>"), "{}", page.text());
    let page = get(nm, &format!("/node/containerlogs/{cid}/{USER}/stdout")).await;
    assert!(page.text().contains("hello-stdout"), "{}", page.text());
    for (path, status) in [
        (
            format!("/ws/v1/node/containerlogs/{cid}/..%2F..%2F..%2Fetc%2Fpasswd"),
            400,
        ),
        (format!("/ws/v1/node/containerlogs/{cid}/.."), 400),
        (
            format!("/ws/v1/node/containerlogs/{cid}/launch_container.sh"),
            404,
        ),
        (
            "/ws/v1/node/containerlogs/..%2F..%2Fx/stdout".to_string(),
            400,
        ),
        (
            "/ws/v1/node/containerlogs/container_1_0001_01_000001/stdout".to_string(),
            404,
        ),
        (format!("/node/containerlogs/{cid}/{USER}/..%2Fstdout"), 400),
        ("/ws/v1/node/apps/application_nope".to_string(), 400),
        (
            "/ws/v1/node/containers/container_1_0001_01_000009".to_string(),
            404,
        ),
        ("/ws/v1/node/nothing".to_string(), 404),
    ] {
        let r = get(nm, &path).await;
        assert_eq!(r.status, status, "{path}: {}", r.text());
        assert!(!r.text().contains("root:"), "{path}");
    }
    let huge = format!(
        "/ws/v1/node/containerlogs/{cid}/stdout?size={}",
        "9".repeat(5000)
    );
    assert_eq!(get(nm, &huge).await.status, 400);
}

/// The RM web services' read side and PUTs for a running application.
async fn rm_services(
    web: SocketAddr,
    id: ApplicationId,
    attempt: spindle_protocol::ids::ApplicationAttemptId,
    cid: ContainerId,
) {
    let s = get(web, "/ws/v1/cluster/scheduler").await.json();
    let root = &s["scheduler"]["schedulerInfo"];
    assert_eq!(
        (root["type"].as_str(), root["queueName"].as_str()),
        (Some("capacityScheduler"), Some("root"))
    );
    let leaf = &root["queues"]["queue"][0];
    assert_eq!(leaf["queueName"], "default");
    assert_eq!(leaf["numApplications"], 1);
    assert_eq!(
        leaf["capacities"]["queueCapacitiesByPartition"][0]["partitionName"],
        ""
    );
    let xml = get_with(
        web,
        "/ws/v1/cluster/scheduler",
        &[("Accept", "application/xml")],
    )
    .await;
    assert!(
        xml.text().contains("<queueName>default</queueName>"),
        "{}",
        xml.text()
    );

    let nodes = get(web, "/ws/v1/cluster/nodes").await.json();
    let node_id = nodes["nodes"]["node"][0]["id"]
        .as_str()
        .unwrap()
        .to_string();
    let node = get(web, &format!("/ws/v1/cluster/nodes/{node_id}"))
        .await
        .json();
    assert_eq!(node["node"]["numContainers"], 2, "{node}");
    assert!(
        !node["node"]["nodeHTTPAddress"]
            .as_str()
            .unwrap()
            .ends_with(":0")
    );
    assert_eq!(
        get(web, "/ws/v1/cluster/nodes/127.0.0.1:1").await.status,
        404
    );
    assert_eq!(get(web, "/ws/v1/cluster/nodes/nonsense").await.status, 400);

    let attempts = get(web, &format!("/ws/v1/cluster/apps/{id}/appattempts"))
        .await
        .json();
    let a = &attempts["appAttempts"]["appAttempt"][0];
    assert_eq!(a["appAttemptId"], attempt.to_string(), "{attempts}");
    assert_eq!(a["appAttemptState"], "RUNNING");
    assert!(
        a["logsLink"]
            .as_str()
            .unwrap()
            .contains("/node/containerlogs/")
    );
    let one = get(
        web,
        &format!("/ws/v1/cluster/apps/{id}/appattempts/{attempt}"),
    )
    .await
    .json();
    assert_eq!(one["appAttempt"]["host"], "127.0.0.1");
    let list = get(
        web,
        &format!("/ws/v1/cluster/apps/{id}/appattempts/{attempt}/containers"),
    )
    .await
    .json();
    assert_eq!(
        list["containers"]["container"].as_array().map(Vec::len),
        Some(2),
        "{list}"
    );
    let c = get(
        web,
        &format!("/ws/v1/cluster/apps/{id}/appattempts/{attempt}/containers/{cid}"),
    )
    .await
    .json();
    assert_eq!(c["container"]["allocatedMB"], 256, "{c}");
    assert_eq!(c["container"]["containerState"], "RUNNING");

    let stats = get(web, "/ws/v1/cluster/appstatistics?states=running,finished")
        .await
        .json();
    let items = stats["appStatInfo"]["statItem"].as_array().unwrap();
    assert_eq!(items.len(), 2);
    assert_eq!(
        (items[0]["state"].as_str(), items[0]["count"].as_i64()),
        (Some("RUNNING"), Some(1))
    );
    let r = get(web, "/ws/v1/cluster/appstatistics?applicationTypes=a,b").await;
    assert_eq!(r.status, 400);

    // Priority, queue and timeouts, read and changed.
    let app = format!("/ws/v1/cluster/apps/{id}");
    // (part, body to PUT or None to GET, the answer, why)
    for (part, body, want, why) in [
        ("priority", None, json!({"priority": 0}), "read"),
        (
            "priority",
            Some(json!({"priority": 7})),
            json!({"priority": 7}),
            "changed",
        ),
        (
            "priority",
            Some(json!({"priority": 70})),
            json!({"priority": 10}),
            "capped at the cluster maximum",
        ),
        ("queue", None, json!({"queue": "default"}), "read"),
        (
            "queue",
            Some(json!({"queue": "root.default"})),
            json!({"queue": "default"}),
            "moved to its own queue by full path",
        ),
    ] {
        let path = format!("{app}/{part}");
        let r = match &body {
            None => get(web, &path).await,
            Some(body) => send_json(web, "PUT", &path, body).await,
        };
        assert_eq!(r.json(), want, "{part} {body:?}: {why}");
    }
    let r = send_json(
        web,
        "PUT",
        &format!("{app}/queue"),
        &json!({"queue": "etl"}),
    )
    .await;
    assert_eq!(r.status, 400);
    assert!(
        r.remote_exception().2.contains("etl doesn't exist"),
        "{}",
        r.text()
    );
    let t = get(web, &format!("{app}/timeouts")).await.json();
    assert_eq!(
        t["timeouts"]["timeout"][0]["expiryTime"], "UNLIMITED",
        "{t}"
    );
    let expiry = spindle_minicluster::time::format_iso8601(
        spindle_minicluster::cluster::now_ms() + 3_600_000,
    );
    let r = send_json(
        web,
        "PUT",
        &format!("{app}/timeout"),
        &json!({"timeout": {"type": "LIFETIME", "expiryTime": expiry}}),
    )
    .await;
    assert_eq!(r.status, 200, "{}", r.text());
    let t = get(web, &format!("{app}/timeouts/LIFETIME")).await.json();
    assert_eq!(t["timeout"]["expiryTime"], expiry.as_str());
    assert!(t["timeout"]["remainingTimeInSeconds"].as_i64().unwrap() > 3500);
    let r = send_json(
        web,
        "PUT",
        &format!("{app}/timeout"),
        &json!({"timeout": {"type": "LIFETIME", "expiryTime": "2001-01-01T00:00:00.000+0000"}}),
    )
    .await;
    assert_eq!(r.status, 400);
    let v = get(web, &app).await.json();
    assert_eq!(v["app"]["priority"], 10);
    assert!(v["app"]["memorySeconds"].as_i64().unwrap() >= 0);

    // Unknown and malformed parts.
    let other = ApplicationId::new(id.cluster_timestamp, 999);
    for (path, status) in [
        (
            format!(
                "{app}/appattempts/appattempt_{}_{:04}_000001",
                other.cluster_timestamp, 999
            ),
            400,
        ),
        (
            format!(
                "{app}/appattempts/{}_000009",
                attempt.to_string().trim_end_matches("_000001")
            ),
            404,
        ),
        (
            format!("{app}/appattempts/{attempt}/containers/container_bogus"),
            400,
        ),
        (
            format!(
                "{app}/appattempts/{attempt}/containers/{}",
                ContainerId::new(attempt, 99)
            ),
            404,
        ),
        (format!("/ws/v1/cluster/apps/{other}/priority"), 404),
        (format!("/ws/v1/cluster/apps/{other}/appattempts"), 404),
        ("/ws/v1/cluster/apps/application_1/queue".to_string(), 400),
        (format!("{app}/timeouts/FOREVER"), 400),
        // Another cluster's application, and a huge query value.
        ("/ws/v1/cluster/apps/application_1_0001".to_string(), 404),
        (
            format!("/ws/v1/cluster/apps?limit={}", "9".repeat(3000)),
            400,
        ),
    ] {
        let r = get(web, &path).await;
        assert_eq!(r.status, status, "{path}: {}", r.text());
    }
    assert_eq!(
        get(web, "/ws/v1/cluster/reservation/list").await.json(),
        json!({"reservations": []})
    );
    let r = http(
        web,
        "POST",
        "/ws/v1/cluster/reservation/new-reservation",
        None,
    )
    .await;
    assert_eq!(r.status, 400);
    assert!(
        r.remote_exception()
            .2
            .contains("Reservation is not enabled")
    );
    let r = get(web, "/ws/v1/cluster/scheduler-conf").await.json();
    assert!(
        r["property"]
            .as_array()
            .unwrap()
            .iter()
            .any(|p| p["name"] == "yarn.scheduler.capacity.root.queues")
    );
    let r = get(
        web,
        &format!("/ws/v1/cluster/scheduler/app-activities/{id}"),
    )
    .await
    .json();
    assert_eq!(r["appActivities"]["applicationId"], id.to_string());
}

/// The web UI's pages for the running application.
async fn web_ui(web: SocketAddr, id: ApplicationId, cid: ContainerId) {
    let apps = get(web, "/cluster").await;
    assert_eq!(apps.status, 200);
    assert!(
        apps.text().contains(&format!("href=\"/cluster/app/{id}\"")),
        "{}",
        apps.text()
    );
    let running = get(web, "/cluster/apps/RUNNING").await.text();
    assert!(running.contains(&id.to_string()));
    assert!(
        !get(web, "/cluster/apps/KILLED")
            .await
            .text()
            .contains(&id.to_string())
    );
    let app = get(web, &format!("/cluster/app/{id}")).await.text();
    for want in [
        "id=\"attempts\"",
        "id=\"containers\"",
        "RUNNING",
        &cid.to_string(),
        "/node/containerlogs/",
        "/proxy/",
    ] {
        assert!(app.contains(want), "{want} in {app}");
    }
    assert!(
        get(web, "/cluster/nodes")
            .await
            .text()
            .contains("id=\"nodes\"")
    );
    assert!(
        get(web, "/cluster/scheduler")
            .await
            .text()
            .contains("root.default")
    );
    assert_eq!(get(web, "/cluster/apps/SLEEPING").await.status, 400);
    assert_eq!(get(web, "/cluster/app/application_nope").await.status, 400);
    assert_eq!(
        get(
            web,
            &format!(
                "/cluster/app/{}",
                ApplicationId::new(id.cluster_timestamp, 999)
            )
        )
        .await
        .status,
        404
    );
    assert_eq!(get(web, "/cluster/nothing").await.status, 404);
    assert_eq!(get(web, "/").await.status, 302);
}

/// The web proxy in front of the AM's page.
async fn proxy(
    c: &MiniCluster,
    web: SocketAddr,
    client: &spindle_protocol::yarn::client::ApplicationClient,
    id: ApplicationId,
) {
    let r = report(client, id).await;
    assert_eq!(r.tracking_url(), format!("http://{web}/proxy/{id}/"));
    let page = get(web, &format!("/proxy/{id}/")).await;
    assert_eq!(page.status, 200);
    assert!(page.text().contains("test AM page"), "{}", page.text());
    let json = get(web, &format!("/proxy/{id}/redir")).await;
    assert_eq!(
        (json.status, json.text().as_str()),
        (200, r#"{"am":"ok"}"#),
        "redirects within the AM are followed"
    );
    let echo = get_with(
        web,
        &format!("/proxy/{id}/echo?x=1&y=2"),
        &[
            ("User-Agent", "spindle-test"),
            ("X-Secret", "not for the AM"),
        ],
    )
    .await;
    assert_eq!(
        echo.text(),
        "path=/echo query=x=1&y=2 cookie=proxy-user=dr.who agent=spindle-test secret=",
        "only YARN's pass-through headers reach the AM"
    );
    let r = http(web, "POST", &format!("/proxy/{id}/"), None).await;
    assert_eq!(r.status, 405);
    assert_eq!(
        get(web, &format!("/proxy/{id}/missing")).await.status,
        404,
        "the AM's own 404"
    );
    for (path, says) in [
        ("/proxy/".to_string(), "formatted incorrectly"),
        (
            "/proxy/application_bogus/".to_string(),
            "formatted incorrectly",
        ),
        (
            format!("/proxy/{}/", ApplicationId::new(id.cluster_timestamp, 999)),
            "could not be found",
        ),
    ] {
        let r = get(web, &path).await;
        assert_eq!(r.status, 404, "{path}");
        assert!(r.text().contains(says), "{path}: {}", r.text());
    }
    // An application whose AM has given no tracking URL yet: its RM page.
    let (waiting, _am) = submit_script_am(client, "no-tracking-url").await;
    let r = get(web, &format!("/proxy/{waiting}/")).await;
    assert_eq!(r.status, 302);
    assert_eq!(
        r.header("location"),
        Some(format!("http://{web}/cluster/app/{waiting}").as_str())
    );
    client
        .force_kill_application(&kill_request(waiting))
        .await
        .unwrap();
    let _ = c;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn completed_applications_are_kept_up_to_the_bound() {
    let mut o = options();
    o.max_completed_apps = 3;
    let c = MiniCluster::start(o).await.expect("cluster");
    let web = c.rest_address().unwrap();
    let client = client(&c);
    for _ in 0..8 {
        let (id, _) = submit_unmanaged(&client).await;
        client
            .force_kill_application(&kill_request(id))
            .await
            .unwrap();
    }
    let apps = get(web, "/ws/v1/cluster/apps").await.json();
    assert_eq!(
        apps["apps"]["app"].as_array().map(Vec::len),
        Some(3),
        "{apps}"
    );
    let m = get(web, "/ws/v1/cluster/metrics").await.json();
    assert_eq!(
        (
            m["clusterMetrics"]["appsSubmitted"].as_i64(),
            m["clusterMetrics"]["appsKilled"].as_i64()
        ),
        (Some(8), Some(8))
    );
    let stats = get(web, "/ws/v1/cluster/appstatistics?states=KILLED")
        .await
        .json();
    assert_eq!(
        stats["appStatInfo"]["statItem"][0]["count"], 3,
        "the RM lists what it keeps"
    );
    c.shutdown().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn hadoop_settings_reach_containers_and_clients() {
    let mut o = options();
    o.container_env = vec![("HADOOP_YARN_HOME".into(), "/opt/hadoop".into())];
    o.application_classpath = Some("$HADOOP_CONF_DIR,/opt/hadoop/share/hadoop/common/*".into());
    let c = MiniCluster::start(o).await.expect("cluster");
    let yarn_site = std::fs::read_to_string(c.conf_dir().join("yarn-site.xml")).unwrap();
    assert!(
        yarn_site.contains("<value>$HADOOP_CONF_DIR,/opt/hadoop/share/hadoop/common/*</value>"),
        "{yarn_site}"
    );
    assert!(yarn_site.contains("<name>yarn.log-aggregation-enable</name>"));
    let (_, am) = submit_script_am(&client(&c), "hadoop-home").await;
    let (env, _) = am.wait_started().await;
    assert_eq!(env_of(&env, "HADOOP_YARN_HOME"), Some("/opt/hadoop"));
    am.exit(0);
    c.shutdown().await;
}
