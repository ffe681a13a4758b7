//! The RM REST API over real HTTP on loopback: cluster info, metrics and nodes; new-application
//! and submission by REST seen by the IPC ApplicationClient with the same state (and the other
//! way round); kill by `PUT …/state`; the error answers (404, 400, 405, 408, 413, 415) and that
//! garbage leaves the server serving.

mod common;

use std::net::SocketAddr;
use std::time::Duration;

use common::http::*;
use common::*;
use serde_json::{Value, json};
use spindle_minicluster::{MiniCluster, MiniClusterOptions};
use spindle_protocol::ids::ApplicationId;
use spindle_protocol::proto::yarn::*;
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpStream;

/// `PUT {app}/state` with target state `state`.
async fn put_state(addr: SocketAddr, app: &str, state: &str) -> Http {
    send_json(
        addr,
        "PUT",
        &format!("{app}/state"),
        &json!({ "state": state }),
    )
    .await
}

fn rest(c: &MiniCluster) -> SocketAddr {
    c.rest_address().expect("REST is on by default")
}

/// The submission body (Hadoop's JSON form) of the test's script AM.
fn script_submission(am: &ScriptAm, id: &str) -> Value {
    let dir = am.dir.to_string_lossy();
    json!({
        "application-id": id,
        "application-name": "rest-app",
        "queue": "default",
        "am-container-spec": {
            "commands": {"command": format!("/bin/bash {dir}/am.sh {dir} 1><LOG_DIR>/stdout 2><LOG_DIR>/stderr")},
            "environment": {"entry": [{"key": "SPINDLE_TEST_AM", "value": "1"}]},
            "credentials": {"secrets": {"entry": {"key": "s1", "value": "c2VjcmV0MQ"}}}
        },
        "unmanaged-AM": false,
        "max-app-attempts": 1,
        "resource": {"memory": 256, "vCores": 1},
        "application-type": "SPINDLE-REST",
        "application-tags": {"tag": ["Alpha", "beta"]}
    })
}

async fn rest_state(addr: SocketAddr, id: ApplicationId) -> String {
    let r = get(addr, &format!("/ws/v1/cluster/apps/{id}/state")).await;
    assert_eq!(r.status, 200, "{:?}", String::from_utf8_lossy(&r.body));
    r.json()["state"].as_str().expect("state").to_string()
}

fn ipc_state_name(r: &ApplicationReportProto) -> String {
    format!("{:?}", r.yarn_application_state()).to_uppercase()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn cluster_info_nodes_and_metrics() {
    let c = cluster(2).await;
    let addr = rest(&c);

    let yarn_site = std::fs::read_to_string(c.conf_dir().join("yarn-site.xml")).expect("yarn-site");
    assert!(
        yarn_site.contains(&format!(
            "<name>yarn.resourcemanager.webapp.address</name>\n    <value>{addr}</value>"
        )),
        "{yarn_site}"
    );

    for path in [
        "/ws/v1/cluster/info",
        "/ws/v1/cluster",
        "/ws/v1/cluster/info/",
    ] {
        let r = get(addr, path).await;
        assert_eq!(r.status, 200, "{path}");
        assert!(
            r.header("content-type")
                .is_some_and(|t| t.starts_with("application/json")),
            "{:?}",
            r.headers
        );
        let v = r.json();
        let info = &v["clusterInfo"];
        assert_fields(
            info,
            &[
                ("/id", json!(c.cluster_timestamp())),
                ("/startedOn", json!(c.cluster_timestamp())),
                ("/state", json!("STARTED")),
                ("/haState", json!("ACTIVE")),
            ],
        );
        assert!(
            info["resourceManagerVersion"]
                .as_str()
                .is_some_and(|s| s.starts_with('3'))
        );
        assert!(info["hadoopVersion"].is_string());
    }

    let v = get(addr, "/ws/v1/cluster/nodes").await.json();
    let nodes = v["nodes"]["node"].as_array().expect("node list");
    assert_eq!(nodes.len(), 2);
    let ids: Vec<String> = c.node_ids().iter().map(|n| n.to_string()).collect();
    for n in nodes {
        assert!(
            ids.contains(&n["id"].as_str().expect("id").to_string()),
            "{n}"
        );
        assert_fields(
            n,
            &[
                ("/state", json!("RUNNING")),
                ("/rack", json!("/default-rack")),
                ("/nodeHostName", json!("127.0.0.1")),
                ("/totalResource/memory", json!(2048)),
                ("/totalResource/vCores", json!(4)),
                ("/availMemoryMB", json!(2048)),
                ("/usedMemoryMB", json!(0)),
                ("/numContainers", json!(0)),
            ],
        );
    }

    assert_eq!(
        get(addr, "/ws/v1/cluster/nodes?states=LOST").await.body,
        br#"{"nodes":{}}"#
    );
    c.lose_node(1).await.expect("lose node 1");
    let v = get(addr, "/ws/v1/cluster/nodes?states=lost").await.json();
    let lost = v["nodes"]["node"].as_array().expect("lost list");
    assert_eq!(lost.len(), 1);
    assert_fields(
        &lost[0],
        &[("/id", json!(ids[1])), ("/state", json!("LOST"))],
    );
    let r = get(addr, "/ws/v1/cluster/nodes?states=SLEEPY").await;
    assert_eq!(r.status, 400);
    assert_eq!(r.remote_exception().0, "BadRequestException");

    let v = get(addr, "/ws/v1/cluster/metrics").await.json();
    let m = &v["clusterMetrics"];
    assert_fields(
        m,
        &[
            ("/totalNodes", json!(2)),
            ("/activeNodes", json!(1)),
            ("/lostNodes", json!(1)),
            ("/totalMB", json!(2048)),
            ("/appsSubmitted", json!(0)),
        ],
    );
    assert_eq!(
        get(addr, "/ws/v1/cluster/apps").await.body,
        br#"{"apps":{}}"#
    );
    c.shutdown().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn submit_by_rest_seen_by_ipc_then_killed_by_put() {
    let c = cluster(1).await;
    let addr = rest(&c);
    let client = client(&c);

    let r = http(addr, "POST", "/ws/v1/cluster/apps/new-application", None).await;
    assert_eq!(r.status, 200);
    let v = r.json();
    let id: ApplicationId = v["application-id"]
        .as_str()
        .expect("application-id")
        .parse()
        .expect("an application id");
    assert_eq!(id.cluster_timestamp, c.cluster_timestamp());
    assert_eq!(
        v["maximum-resource-capability"],
        json!({"memory": 2048, "vCores": 4})
    );

    let am = ScriptAm::new();
    let r = send_json(
        addr,
        "POST",
        &format!("/ws/v1/cluster/apps?user.name={USER}"),
        &script_submission(&am, &id.to_string()),
    )
    .await;
    assert_eq!(r.status, 202, "{}", String::from_utf8_lossy(&r.body));
    assert!(r.body.is_empty());
    let location = r.header("location").expect("Location").to_string();
    assert_eq!(location, format!("http://{addr}/ws/v1/cluster/apps/{id}"));

    // The same application, as the IPC face reports it.
    let report = report(&client, id).await;
    assert_eq!(report.user.as_deref(), Some(USER));
    assert_eq!(report.name.as_deref(), Some("rest-app"));
    assert_eq!(report.application_type.as_deref(), Some("SPINDLE-REST"));
    assert_eq!(report.application_tags, vec!["alpha", "beta"]);
    assert_eq!(
        rest_state(addr, id).await,
        ipc_state_name(&report),
        "REST and IPC agree on the state"
    );

    // The AM starts, gets the submitted secret, and registers: RUNNING both ways.
    let (env, token) = am.wait_started().await;
    assert_eq!(env_of(&env, "SPINDLE_TEST_AM"), Some("1"));
    let creds = spindle_protocol::credentials::Credentials::read_file(am.dir.join("am.tokens"))
        .expect("tokens file");
    assert_eq!(creds.secret("s1"), Some(&b"secret1"[..]));
    am_client(&c, &token)
        .register_application_master(&register_request())
        .await
        .expect("register");
    let running = wait_state(&client, id, YarnApplicationStateProto::Running).await;
    let path = location
        .strip_prefix(&format!("http://{addr}"))
        .expect("local path");
    let v = get(addr, path).await.json();
    let app = &v["app"];
    assert_fields(
        app,
        &[
            ("/id", json!(id.to_string())),
            ("/state", json!("RUNNING")),
            ("/user", json!(USER)),
            ("/finalStatus", json!("UNDEFINED")),
            ("/trackingUI", json!("ApplicationMaster")),
            // YARN reports its web proxy as the tracking URL of a managed application.
            ("/trackingUrl", json!(format!("http://{addr}/proxy/{id}/"))),
            ("/amRPCAddress", json!("127.0.0.1:4242")),
            ("/applicationType", json!("SPINDLE-REST")),
            ("/applicationTags", json!("alpha,beta")),
            ("/clusterId", json!(c.cluster_timestamp())),
            ("/runningContainers", json!(1)),
            ("/allocatedMB", json!(256)),
        ],
    );
    assert_eq!(app["state"], ipc_state_name(&running).as_str());
    assert!(
        app["amContainerLogs"]
            .as_str()
            .is_some_and(|l| l.contains("_01_000001"))
    );

    // The list and its filters.
    let list = |q: &'static str| async move {
        let v = get(addr, &format!("/ws/v1/cluster/apps{q}")).await.json();
        v["apps"]["app"]
            .as_array()
            .map(|a| {
                a.iter()
                    .map(|x| x["id"].as_str().unwrap_or("").to_string())
                    .collect::<Vec<_>>()
            })
            .unwrap_or_default()
    };
    let me = vec![id.to_string()];
    assert_eq!(list("").await, me);
    assert_eq!(list("?states=running,accepted").await, me);
    assert_eq!(list("?states=RUNNING&limit=1").await, me);
    assert_eq!(list("?user=spindle").await, me);
    assert_eq!(list("?queue=default").await, me);
    assert_eq!(list("?applicationTypes=spindle-rest,other").await, me);
    assert_eq!(list("?applicationTags=beta").await, me);
    assert_eq!(list("?finalStatus=UNDEFINED").await, me);
    assert!(list("?states=FINISHED,KILLED").await.is_empty());
    assert!(list("?user=nobody").await.is_empty());
    assert!(list("?applicationTypes=MAPREDUCE").await.is_empty());
    assert!(list("?finalStatus=KILLED").await.is_empty());

    // Only KILLED is a valid target.
    let r = put_state(addr, path, "FINISHED").await;
    assert_eq!(r.status, 400);
    let (exception, class, message) = r.remote_exception();
    assert_eq!(exception, "BadRequestException");
    assert_eq!(class, "org.apache.hadoop.yarn.webapp.BadRequestException");
    assert_eq!(message, "Only 'KILLED' is allowed as a target state.");
    let r = put_state(addr, path, "RUNNING").await;
    assert_eq!(
        (r.status, r.json()["state"].as_str()),
        (200, Some("RUNNING"))
    );

    // Kill: the kill completes inside the RM, so the answer is 200 with KILLED at once.
    let r = put_state(addr, path, "KILLED").await;
    assert_eq!(r.status, 200, "{}", String::from_utf8_lossy(&r.body));
    assert_eq!(r.json(), json!({"state": "KILLED"}));
    let killed = common::report(&client, id).await;
    assert_eq!(
        killed.yarn_application_state(),
        YarnApplicationStateProto::Killed
    );
    assert_eq!(
        killed.final_application_status(),
        FinalApplicationStatusProto::AppKilled
    );
    let v = get(addr, path).await.json();
    assert_fields(
        &v,
        &[
            ("/app/state", json!("KILLED")),
            ("/app/finalStatus", json!("KILLED")),
            ("/app/trackingUI", json!("History")),
        ],
    );
    assert!(v["app"]["finishedTime"].as_i64().is_some_and(|t| t > 0));
    assert_eq!(list("?states=KILLED&finalStatus=killed").await, me);
    // Again: already in the target state.
    let r = put_state(addr, path, "KILLED").await;
    assert_eq!(
        (r.status, r.json()["state"].as_str()),
        (200, Some("KILLED"))
    );

    // The AM process goes away.
    wait_gone(am.pid(), "the AM survived the kill").await;
    c.shutdown().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn ipc_submission_seen_by_rest_and_kill_diagnostics() {
    let c = cluster(1).await;
    let addr = rest(&c);
    let client = client(&c);
    let (id, _am) = submit_script_am(&client, "ipc-app").await;
    let v = get(addr, &format!("/ws/v1/cluster/apps/{id}")).await.json();
    assert_fields(
        &v,
        &[
            ("/app/name", json!("ipc-app")),
            ("/app/user", json!(USER)),
            ("/app/applicationType", json!("SPINDLE-TEST")),
        ],
    );
    assert_eq!(
        v["app"]["state"],
        ipc_state_name(&report(&client, id).await).as_str()
    );
    let r = send_json(
        addr,
        "PUT",
        &format!("/ws/v1/cluster/apps/{id}/state"),
        &json!({"state": "KILLED", "diagnostics": "stopped from REST"}),
    )
    .await;
    assert_eq!(r.status, 200);
    let killed = report(&client, id).await;
    assert_eq!(
        killed.yarn_application_state(),
        YarnApplicationStateProto::Killed
    );
    assert_eq!(killed.diagnostics.as_deref(), Some("stopped from REST"));
    c.shutdown().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn errors_are_remote_exceptions_and_never_break_the_server() {
    let c = cluster(1).await;
    let addr = rest(&c);
    let unknown = ApplicationId::new(c.cluster_timestamp(), 9999);

    // 404: unknown application (GET, state GET and PUT) and unknown path.
    for (method, path, body) in [
        ("GET", format!("/ws/v1/cluster/apps/{unknown}"), None),
        ("GET", format!("/ws/v1/cluster/apps/{unknown}/state"), None),
        (
            "PUT",
            format!("/ws/v1/cluster/apps/{unknown}/state"),
            Some(json!({"state": "KILLED"})),
        ),
    ] {
        let r = match body {
            Some(b) => send_json(addr, method, &path, &b).await,
            None => http(addr, method, &path, None).await,
        };
        assert_eq!(r.status, 404, "{method} {path}");
        let (e, class, msg) = r.remote_exception();
        assert_eq!(e, "NotFoundException");
        assert_eq!(class, "org.apache.hadoop.yarn.webapp.NotFoundException");
        assert_eq!(msg, format!("app with id: {unknown} not found"));
    }
    let r = get(addr, "/ws/v1/cluster/nope").await;
    assert_eq!(
        (r.status, r.remote_exception().0.as_str()),
        (404, "NotFoundException")
    );
    // The web UI's root sends browsers to the applications page, as YARN's RM does.
    let root = get(addr, "/").await;
    assert_eq!(
        (root.status, root.header("location")),
        (302, Some("/cluster"))
    );

    // 400: a malformed id.
    let r = get(addr, "/ws/v1/cluster/apps/application_x_1").await;
    assert_eq!(
        (r.status, r.remote_exception().0.as_str()),
        (400, "BadRequestException")
    );

    // 405 with Allow.
    for (method, path, allow) in [
        ("DELETE", "/ws/v1/cluster/apps", "GET, POST"),
        ("GET", "/ws/v1/cluster/apps/new-application", "POST"),
        ("POST", "/ws/v1/cluster/info", "GET"),
        ("POST", "/ws/v1/cluster/nodes", "GET"),
    ] {
        let r = http(addr, method, path, None).await;
        assert_eq!(r.status, 405, "{method} {path}");
        assert_eq!(r.header("allow"), Some(allow), "{method} {path}");
        assert_eq!(r.remote_exception().0, "NotAllowedException");
    }

    // 400: bad bodies and parameters; garbage never panics.
    let id = {
        let r = http(addr, "POST", "/ws/v1/cluster/apps/new-application", None).await;
        r.json()["application-id"].as_str().expect("id").to_string()
    };
    let bad_bodies: Vec<Vec<u8>> = vec![
        b"{not json".to_vec(),
        b"[]".to_vec(),
        b"".to_vec(),
        b"null".to_vec(),
        vec![0xff, 0xfe, 0x00, 0x7b],
        br#"{"application-name":"no id"}"#.to_vec(),
        br#"{"application-id":"application_1"}"#.to_vec(),
        format!(r#"{{"application-id":"{id}","resource":{{"memory":"lots"}}}}"#).into_bytes(),
        format!(r#"{{"application-id":"{id}","am-container-spec":{{"local-resources":{{"entry":{{"key":"x","value":{{"resource":"nowhere"}}}}}}}}}}"#).into_bytes(),
        "{\"application-id\":\"\u{1F600}\"}".as_bytes().to_vec(),
        "{".repeat(10_000).into_bytes(),
    ];
    for body in &bad_bodies {
        let r = http(
            addr,
            "POST",
            "/ws/v1/cluster/apps",
            Some(("application/json", body)),
        )
        .await;
        assert_eq!(r.status, 400, "{:?}", String::from_utf8_lossy(body));
        assert_eq!(r.remote_exception().0, "BadRequestException");
    }
    // The RM's own checks: too large an AM, then a duplicate submission.
    let too_big = json!({
        "application-id": id,
        "am-container-spec": {"commands": {"command": "true"}},
        "resource": {"memory": 999999, "vCores": 1}
    });
    let r = send_json(addr, "POST", "/ws/v1/cluster/apps", &too_big).await;
    assert_eq!(r.status, 400);
    assert!(
        r.remote_exception()
            .2
            .contains("maximum allowed allocation"),
        "{r:?}"
    );
    let ok = json!({
        "application-id": id,
        "unmanaged-AM": true
    });
    let r = send_json(addr, "POST", "/ws/v1/cluster/apps?user.name=..%2Fetc", &ok).await;
    assert_eq!(r.status, 400);
    assert!(r.remote_exception().2.contains("user.name"), "{r:?}");
    assert_eq!(
        send_json(addr, "POST", "/ws/v1/cluster/apps", &ok)
            .await
            .status,
        202
    );
    let r = send_json(addr, "POST", "/ws/v1/cluster/apps", &ok).await;
    assert_eq!(r.status, 400);
    assert!(r.remote_exception().2.contains("already present"), "{r:?}");
    let v = get(addr, &format!("/ws/v1/cluster/apps/{id}")).await.json();
    assert_eq!(v["app"]["user"], "dr.who");
    assert_eq!(v["app"]["unmanagedApplication"], true);

    for body in [&b"garbage"[..], b"{\"state\":7}", b"{}"] {
        let r = http(
            addr,
            "PUT",
            &format!("/ws/v1/cluster/apps/{id}/state"),
            Some(("application/json", body)),
        )
        .await;
        assert_eq!(r.status, 400, "{:?}", String::from_utf8_lossy(body));
    }
    for q in [
        "states=SLEEPING",
        "limit=0",
        "limit=-3",
        "startedTimeBegin=yesterday",
    ] {
        let r = get(addr, &format!("/ws/v1/cluster/apps?{q}")).await;
        assert_eq!(r.status, 400, "{q}");
        assert_eq!(r.remote_exception().0, "BadRequestException");
    }

    // XML when asked for; 406: neither JSON nor XML wanted; 415: not JSON.
    let info = raw(
        addr,
        b"GET /ws/v1/cluster/info HTTP/1.1\r\nHost: x\r\nConnection: close\r\nAccept: application/xml\r\n\r\n",
    )
    .await;
    assert_eq!(info.status, 200);
    assert!(
        String::from_utf8_lossy(&info.body).contains("<clusterInfo><id>"),
        "{info:?}"
    );
    let xml = "<application-submission-context/>";
    for (request, status, exception) in [
        (
            "GET /ws/v1/cluster/info HTTP/1.1\r\nHost: x\r\nConnection: close\r\nAccept: text/plain\r\n\r\n".to_string(),
            406,
            "NotAcceptableException",
        ),
        (
            format!(
                "POST /ws/v1/cluster/apps HTTP/1.1\r\nHost: x\r\nConnection: close\r\nContent-Type: application/xml\r\nContent-Length: {}\r\n\r\n{xml}",
                xml.len()
            ),
            415,
            "NotSupportedException",
        ),
    ] {
        let r = raw(addr, request.as_bytes()).await;
        assert_eq!(
            (r.status, r.remote_exception().0.as_str()),
            (status, exception),
            "{request}"
        );
    }

    // 413: announced larger than the limit (the server answers without reading it).
    let r = raw(
        addr,
        b"POST /ws/v1/cluster/apps HTTP/1.1\r\nHost: x\r\nConnection: close\r\nContent-Type: application/json\r\nContent-Length: 104857600\r\n\r\n{",
    )
    .await;
    assert_eq!(r.status, 413);
    // Chunked bodies that grow past the limit are cut off too.
    let mut chunked = b"POST /ws/v1/cluster/apps HTTP/1.1\r\nHost: x\r\nConnection: close\r\nContent-Type: application/json\r\nTransfer-Encoding: chunked\r\n\r\n".to_vec();
    let chunk = vec![b' '; 1 << 20];
    for _ in 0..5 {
        chunked.extend_from_slice(format!("{:x}\r\n", chunk.len()).as_bytes());
        chunked.extend_from_slice(&chunk);
        chunked.extend_from_slice(b"\r\n");
    }
    chunked.extend_from_slice(b"0\r\n\r\n");
    // (the server may reset the connection before the answer is read: then there is none)
    let status = raw_lenient(addr, &chunked).await;
    assert!(matches!(status, Some(413) | None), "{status:?}");

    // Not HTTP at all: the connection is closed (or answered 400), nothing else happens.
    let _ = raw_lenient(addr, b"\x16\x03\x01\x00\xa5garbage\r\n\r\n").await;

    // Still serving, and the state is intact.
    assert_eq!(get(addr, "/ws/v1/cluster/info").await.status, 200);
    let v = get(addr, "/ws/v1/cluster/apps").await.json();
    assert_eq!(v["apps"]["app"].as_array().map(Vec::len), Some(1));
    c.shutdown().await;
}

/// Like [`raw`], but tolerates the server closing before the whole request was written; returns
/// the status if an answer came.
async fn raw_lenient(addr: SocketAddr, bytes: &[u8]) -> Option<u16> {
    let mut s = TcpStream::connect(addr).await.expect("connect");
    let _ = s.write_all(bytes).await;
    let mut out = Vec::new();
    let _ = tokio::time::timeout(WAIT, s.read_to_end(&mut out)).await;
    let text = String::from_utf8_lossy(&out);
    text.strip_prefix("HTTP/1.1 ")
        .and_then(|t| t.get(..3))
        .and_then(|s| s.parse().ok())
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn slow_bodies_time_out_and_rest_can_be_off() {
    let c = cluster(1).await;
    let addr = rest(&c);
    // A body that never completes: 408 after the body timeout, the server keeps serving.
    let mut s = TcpStream::connect(addr).await.expect("connect");
    s.write_all(b"POST /ws/v1/cluster/apps HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: 100\r\n\r\n{\"appl")
        .await
        .expect("write");
    let mut out = Vec::new();
    tokio::time::timeout(WAIT, s.read_to_end(&mut out))
        .await
        .expect("the server gives up on the body in time")
        .expect("read");
    let r = parse_response(&out);
    assert_eq!(r.status, 408, "{r:?}");
    assert_eq!(get(addr, "/ws/v1/cluster/info").await.status, 200);
    c.shutdown().await;
    assert!(
        TcpStream::connect(addr).await.is_err(),
        "the REST port closes at shutdown"
    );

    let mut o = MiniClusterOptions::with_nodes(1, 1024, 1);
    o.rest = false;
    let quiet = MiniCluster::start(o).await.expect("start");
    assert!(quiet.rest_address().is_none());
    let site = std::fs::read_to_string(quiet.conf_dir().join("yarn-site.xml")).expect("site");
    assert!(!site.contains("webapp.address"));
    quiet.shutdown().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn expect_continue_and_port_closed_on_drop() {
    let c = cluster(1).await;
    let addr = rest(&c);
    let id = http(addr, "POST", "/ws/v1/cluster/apps/new-application", None)
        .await
        .json()["application-id"]
        .as_str()
        .expect("id")
        .to_string();
    // curl sends larger bodies only after `100 Continue`.
    let body = serde_json::to_vec(&json!({
        "application-id": id,
        "application-name": "x".repeat(2000),
        "unmanaged-AM": true
    }))
    .expect("json");
    let mut s = TcpStream::connect(addr).await.expect("connect");
    s.write_all(
        format!(
            "POST /ws/v1/cluster/apps HTTP/1.1\r\nHost: {addr}\r\nConnection: close\r\nContent-Type: application/json\r\nContent-Length: {}\r\nExpect: 100-continue\r\n\r\n",
            body.len()
        )
        .as_bytes(),
    )
    .await
    .expect("write head");
    let mut interim = [0u8; 25];
    tokio::time::timeout(WAIT, s.read_exact(&mut interim))
        .await
        .expect("100 Continue in time")
        .expect("read");
    assert_eq!(&interim, b"HTTP/1.1 100 Continue\r\n\r\n");
    s.write_all(&body).await.expect("write body");
    let mut out = Vec::new();
    tokio::time::timeout(WAIT, s.read_to_end(&mut out))
        .await
        .expect("answer in time")
        .expect("read");
    assert_eq!(parse_response(&out).status, 202);
    let v = get(addr, &format!("/ws/v1/cluster/apps/{id}")).await.json();
    assert_eq!(v["app"]["name"].as_str().map(str::len), Some(2000));

    // Dropping the cluster (no shutdown) closes the REST port too.
    drop(c);
    let deadline = tokio::time::Instant::now() + WAIT;
    while TcpStream::connect(addr).await.is_ok() {
        assert!(
            tokio::time::Instant::now() < deadline,
            "the REST port stayed open after drop"
        );
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
}
