//! The `expect` step: every field named is compared with what the allocator and the runner
//! saw; the first difference is the failure message (`name: expected …, actual …`).

use std::collections::{BTreeMap, BTreeSet};
use std::fmt::Debug;

use serde::Serialize;
use serde_json::{Map, Value};

use super::format::{AskEntrySpec, AskSpec, CountSpec, ExitSpec, ExpectSpec};
use super::runner::{World, compare_localities, json, profile_key};
use crate::completion::ExecutorExit;
use crate::types::{ContainerId, ExecutorId, ProfileId, Resource};

/// A count the allocator keeps per profile.
type PerProfile<'a> = dyn Fn(ProfileId) -> u64 + 'a;

/// Returns the failure message of a check that failed.
macro_rules! check {
    ($failure:expr) => {
        if let Some(message) = $failure {
            return Ok(Some(message));
        }
    };
}

/// Checks every field of `e`; `Ok(Some(message))` for the first that differs, `Err` for a
/// check that names something the scenario does not declare.
pub(super) fn expect(w: &World, e: ExpectSpec) -> Result<Option<String>, String> {
    let a = &w.alloc;
    let ids: Vec<ProfileId> = a.profile_ids().collect();
    let counts: [(&str, &Option<CountSpec>, &PerProfile); 3] = [
        ("pending", &e.pending, &|p| a.pending(p) as u64),
        ("running", &e.running, &|p| u64::from(a.running(p))),
        ("starting", &e.starting, &|p| u64::from(a.starting(p))),
    ];
    for (name, spec, get) in counts {
        if let Some(spec) = spec {
            check!(check_count(name, spec, &ids, get)?);
        }
    }
    if let Some(expected) = &e.host_containers {
        let expected: BTreeMap<&str, u32> = expected
            .iter()
            .filter(|(_, n)| **n > 0)
            .map(|(h, n)| (h.as_str(), *n))
            .collect();
        let actual = a.host_containers();
        let actual: BTreeMap<&str, u32> = actual.iter().map(|(h, n)| (&**h, *n)).collect();
        check!(differ_json("host_containers", &expected, &actual));
    }
    for (c, eid) in e.executor_of.iter().flatten() {
        let actual = a
            .executor_of(&ContainerId::from(c.as_str()))
            .map(|x| x.to_string());
        check!(differ_json(
            &format!("executor_of[{c}]"),
            &Some(eid),
            &actual.as_ref()
        ));
    }
    if let Some(expected) = &e.released {
        let mut all: BTreeSet<String> = w.released_sent.iter().map(|c| c.to_string()).collect();
        all.extend(a.unsent_releases().iter().map(|c| c.to_string()));
        check!(exact_set("released", expected, all));
    }
    if let Some(n) = e.failed {
        check!(differ("failed", &n, &a.failures(w.now)));
    }
    for (h, n) in e.host_failures.iter().flatten() {
        check!(differ(
            &format!("host_failures[{h}]"),
            n,
            &a.host_failures(h, w.now)
        ));
    }
    if let Some(n) = e.unexpected_releases {
        check!(differ("unexpected_releases", &n, &a.unexpected_releases()));
    }
    if let Some(expected) = &e.excluded_nodes {
        check!(exact_set("excluded_nodes", expected, a.excluded_nodes()));
    }
    let sent = w.last_request.as_ref();
    let sent_sets = [
        (
            "blacklist_additions",
            &e.blacklist_additions,
            sent.map(|r| strings(&r.exclusions.additions)),
        ),
        (
            "blacklist_removals",
            &e.blacklist_removals,
            sent.map(|r| strings(&r.exclusions.removals)),
        ),
        (
            "sent_releases",
            &e.sent_releases,
            sent.map(|r| strings(&r.releases)),
        ),
    ];
    for (name, expected, actual) in sent_sets {
        if let Some(expected) = expected {
            check!(exact_set(name, expected, actual.unwrap_or_default()));
        }
    }
    if let Some(expected) = &e.pending_localities {
        let actual: Vec<Option<Vec<String>>> = a
            .pending_localities()
            .into_iter()
            .map(|(_, l)| l.map(|l| strings(&l)))
            .collect();
        if let Err(m) = compare_localities(expected, actual) {
            return Ok(Some(format!("pending_localities: {m}")));
        }
    }
    if let Some(ask) = &e.container_ask {
        let Some(actual) = a.container_ask(ask.profile) else {
            return Err(format!(
                "container_ask: profile {} is not declared",
                ask.profile
            ));
        };
        check!(container_ask(ask, actual));
    }
    if let Some(expected) = &e.removed_executors {
        let actual: Vec<(ExecutorId, Option<&ExecutorExit>)> =
            w.removed.iter().map(|(id, x)| (*id, Some(x))).collect();
        check!(match_exits("removed_executors", expected, &actual));
    }
    if let Some(expected) = &e.loss_reason_replies {
        let actual: Vec<(ExecutorId, Option<&ExecutorExit>)> = w
            .loss_replies
            .iter()
            .map(|r| match r {
                Ok((id, x)) => (*id, Some(x)),
                Err(id) => (*id, None),
            })
            .collect();
        check!(match_exits("loss_reason_replies", expected, &actual));
    }
    if let Some(expected) = &e.decommission_notices {
        check!(differ_json(
            "decommission_notices",
            expected,
            &w.decommissions
        ));
    }
    if let Some(expected) = &e.app_failed {
        check!(app_failed(expected.as_ref(), a.app_failed()));
    }
    if let Some(n) = e.next_heartbeat_ms {
        let actual = a.last_heartbeat_interval();
        check!(
            (actual != Some(n))
                .then(|| format!("next_heartbeat_ms: expected {n}, actual {}", json(&actual)))
        );
    }
    if let Some(expected) = &e.asks {
        let Some(r) = sent else {
            return Ok(Some("asks: no request was sent yet".into()));
        };
        for x in expected {
            check!(ask_sent(x, r));
        }
    }
    let ordered = [
        ("launch_timeouts", &e.launch_timeouts, &w.launch_timeouts),
        ("launched", &e.launched, &w.launched),
    ];
    for (name, expected, actual) in ordered {
        if let Some(expected) = expected {
            check!(differ_json(name, expected, &strings(actual)));
        }
    }
    if let Some(n) = e.notices {
        check!(differ("notices", &n, &w.notices));
    }
    Ok(None)
}

/// `name: expected …, actual …` when the values differ (shown with `{:?}`).
fn differ<T: PartialEq + Debug + ?Sized>(name: &str, expected: &T, actual: &T) -> Option<String> {
    (expected != actual).then(|| format!("{name}: expected {expected:?}, actual {actual:?}"))
}

/// `name: expected …, actual …` when the values differ (shown as JSON).
fn differ_json<T: PartialEq + Serialize + ?Sized>(
    name: &str,
    expected: &T,
    actual: &T,
) -> Option<String> {
    (expected != actual).then(|| {
        format!(
            "{name}: expected {}, actual {}",
            json(&expected),
            json(&actual)
        )
    })
}

fn strings<T: ToString>(v: &[T]) -> Vec<String> {
    v.iter().map(|s| s.to_string()).collect()
}

/// Compares the expected set (order and repeats ignored) with the actual entries (order
/// ignored; a repeated entry is a difference).
fn exact_set<T: ToString>(
    name: &str,
    expected: &[String],
    actual: impl IntoIterator<Item = T>,
) -> Option<String> {
    let mut e = expected.to_vec();
    e.sort();
    e.dedup();
    let mut a: Vec<String> = actual.into_iter().map(|s| s.to_string()).collect();
    a.sort();
    differ_json(name, &e, &a)
}

fn check_count(
    name: &str,
    spec: &CountSpec,
    ids: &[ProfileId],
    get: &PerProfile,
) -> Result<Option<String>, String> {
    match spec {
        CountSpec::Total(n) => {
            let actual: u64 = ids.iter().map(|&p| get(p)).sum();
            Ok(differ(name, n, &actual))
        }
        CountSpec::PerProfile(m) => {
            for (k, n) in m {
                let p = profile_key(k)?;
                if !ids.contains(&p) {
                    return Err(format!("{name}: profile {p} is not declared"));
                }
                check!(differ(&format!("{name}[{p}]"), n, &get(p)));
            }
            Ok(None)
        }
    }
}

fn container_ask(ask: &AskSpec, actual: &Resource) -> Option<String> {
    let memory = ask
        .memory_mb
        .and_then(|m| differ("container_ask.memory_mb", &m, &actual.memory_mb));
    let vcores = || {
        ask.vcores
            .and_then(|v| differ("container_ask.vcores", &v, &actual.vcores))
    };
    let resources = || {
        ask.resources.iter().flatten().find_map(|(k, v)| {
            let got = actual.custom.get(k).copied().unwrap_or(0);
            differ(&format!("container_ask.resources[{k}]"), v, &got)
        })
    };
    memory.or_else(vcores).or_else(resources)
}

fn ask_sent(x: &AskEntrySpec, r: &crate::AllocateRequest) -> Option<String> {
    let found = r
        .asks
        .iter()
        .find(|k| k.profile == x.profile && *k.resource_name == *x.location);
    let at = format!("asks[{} @ {}]", x.profile, x.location);
    let Some(k) = found.filter(|k| k.num_containers == x.count) else {
        return Some(format!(
            "{at}: expected {} sent, actual {}",
            x.count,
            found.map_or("no entry".to_string(), |k| k.num_containers.to_string())
        ));
    };
    let label = x.node_label.as_ref()?;
    differ_json(&format!("{at}.node_label"), label, &k.node_label)
}

fn app_failed(
    expected: Option<&super::format::AppFailedSpec>,
    actual: Option<&crate::AppFailure>,
) -> Option<String> {
    let ok = match (expected, actual) {
        (None, None) => true,
        (Some(x), Some(f)) => {
            x.exit_code.is_none_or(|c| c == f.exit_code)
                && x.message_contains
                    .as_ref()
                    .is_none_or(|m| f.message.contains(m.as_str()))
        }
        _ => false,
    };
    if ok {
        return None;
    }
    let actual =
        actual.map(|f| format!("{{exit_code: {}, message: {:?}}}", f.exit_code, f.message));
    let expected = expected.map(|x| {
        format!(
            "{{exit_code: {:?}, message_contains: {:?}}}",
            x.exit_code, x.message_contains
        )
    });
    Some(format!(
        "app_failed: expected {}, actual {}",
        expected.unwrap_or_else(|| "null".into()),
        actual.unwrap_or_else(|| "null".into())
    ))
}

fn exit_matches(spec: &ExitSpec, id: ExecutorId, exit: Option<&ExecutorExit>) -> bool {
    if let Some(e) = &spec.executor
        && *e != id.to_string()
    {
        return false;
    }
    match exit {
        None => spec.error == Some(true),
        Some(exit) => {
            spec.error != Some(true)
                && spec.exit_status.is_none_or(|s| s == exit.exit_status)
                && spec
                    .exit_caused_by_app
                    .is_none_or(|b| b == exit.exit_caused_by_app)
                && spec
                    .message_contains
                    .as_ref()
                    .is_none_or(|m| exit.message.contains(m.as_str()))
        }
    }
}

fn describe_exits(v: &[(ExecutorId, Option<&ExecutorExit>)]) -> String {
    let parts: Vec<String> = v
        .iter()
        .map(|(id, e)| match e {
            Some(e) => format!(
                "{{executor: {id}, exit_status: {}, exit_caused_by_app: {}}}",
                e.exit_status, e.exit_caused_by_app
            ),
            None => format!("{{executor: {id}, error: true}}"),
        })
        .collect();
    format!("[{}]", parts.join(", "))
}

/// Multiset match of partial specs against actual entries (most specific specs first).
fn match_exits(
    name: &str,
    expected: &[ExitSpec],
    actual: &[(ExecutorId, Option<&ExecutorExit>)],
) -> Option<String> {
    let fail = || {
        Some(format!(
            "{name}: expected {}, actual {}",
            json_exits(expected),
            describe_exits(actual)
        ))
    };
    if expected.len() != actual.len() {
        return fail();
    }
    let mut order: Vec<&ExitSpec> = expected.iter().collect();
    let named = |s: &ExitSpec| {
        [
            s.executor.is_some(),
            s.exit_status.is_some(),
            s.exit_caused_by_app.is_some(),
            s.message_contains.is_some(),
        ]
        .iter()
        .filter(|b| **b)
        .count()
    };
    order.sort_by_key(|s| std::cmp::Reverse(named(s)));
    let mut used = vec![false; actual.len()];
    for spec in order {
        let Some(i) =
            (0..actual.len()).find(|&i| !used[i] && exit_matches(spec, actual[i].0, actual[i].1))
        else {
            return fail();
        };
        used[i] = true;
    }
    None
}

fn json_exits(v: &[ExitSpec]) -> String {
    let parts: Vec<String> = v
        .iter()
        .map(|s| {
            let mut m = Map::new();
            if let Some(e) = &s.executor {
                m.insert("executor".into(), e.clone().into());
            }
            if let Some(e) = s.exit_status {
                m.insert("exit_status".into(), e.into());
            }
            if let Some(e) = s.exit_caused_by_app {
                m.insert("exit_caused_by_app".into(), e.into());
            }
            if let Some(e) = &s.message_contains {
                m.insert("message_contains".into(), e.clone().into());
            }
            if let Some(e) = s.error {
                m.insert("error".into(), e.into());
            }
            Value::Object(m).to_string()
        })
        .collect();
    format!("[{}]", parts.join(", "))
}
