//! Allocator benchmarks.
//!
//! * `heartbeat/10000`: one heartbeat (reconcile + placement + request, then a response
//!   with 10,000 containers over 5,000 hosts) with locality hints for 50,000 tasks; the same at
//!   1k and 100k containers to show how the cost grows.
//! * `shifting_hints/400`: 400 heartbeats of an application with about 10,000 outstanding
//!   requests whose driver moves its locality hints every round (each round adds requests for
//!   50 new hosts and is granted 20 containers there), so requests spread over hundreds of
//!   node sets.
//! * `placement/4096`: the placement strategy alone for 4,096 containers and 32,768 tasks;
//!   the same at 1k, 10k and 100k containers.
//!
//! Run with `cargo bench -p spindle-allocator -- --warm-up-time 1 --measurement-time 3`.
//! On a loaded machine compare instruction counts (valgrind's callgrind) rather than times.

use std::collections::BTreeMap;

use std::hint::black_box;
use std::sync::Arc;

use criterion::{BatchSize, BenchmarkId, Criterion, Throughput, criterion_group, criterion_main};
use spindle_allocator::fasthash::FastMap;
use spindle_allocator::placement::{PlacementInput, place};
use spindle_allocator::{
    AllocateResponse, Allocator, AllocatorConfig, Container, ContainerId, ExecutorSizing, HostName,
    LaunchMode, ProfileSpec, StaticRackResolver, TargetUpdate,
};

fn host_name(i: usize) -> HostName {
    HostName::from(format!("node{i:06}.cluster.example.com"))
}

/// Tasks per host vary between 5 and 15 so that the placement produces several groups.
fn host_tasks(hosts: usize) -> BTreeMap<HostName, u32> {
    (0..hosts)
        .map(|i| (host_name(i), 5 + ((i * 7) % 11) as u32))
        .collect()
}

/// An allocator for 4 GiB, 1-core executors on `hosts` hosts, 40 to a rack.
fn allocator(hosts: usize, launch_mode: LaunchMode) -> Allocator {
    let racks = StaticRackResolver::new(
        (0..hosts).map(|i| (host_name(i), HostName::from(format!("/rack{:04}", i / 40)))),
    );
    let config = AllocatorConfig {
        profiles: vec![ProfileSpec::new(
            0,
            ExecutorSizing {
                memory_mb: 4096,
                cores: 1,
                ..Default::default()
            },
        )],
        launch_mode,
        ..AllocatorConfig::default()
    };
    Allocator::with_rack_resolver(config, Arc::new(racks)).expect("config")
}

/// An allocator wanting `containers` executors over `containers / 2` hosts (40 hosts per
/// rack) with hints for `5 × containers` tasks, and the response granting all of them.
fn heartbeat_setup(containers: usize) -> (Allocator, AllocateResponse) {
    let hosts = containers / 2;
    let mut alloc = allocator(hosts, LaunchMode::Tracked);
    let mut counts = host_tasks(hosts);
    // Scale the counts so that they add up to 5 × containers tasks.
    let sum: u32 = counts.values().sum();
    let want = (5 * containers) as u64;
    for v in counts.values_mut() {
        *v = ((u64::from(*v) * want) / u64::from(sum)).max(1) as u32;
    }
    let mut update = TargetUpdate::default();
    update.totals.insert(0, containers as u32);
    update.locality_aware_tasks.insert(0, counts.values().sum());
    update.host_task_counts.insert(0, counts);
    alloc.on_targets(update).expect("targets");
    let ask = alloc.container_ask(0).expect("profile 0").clone();
    let allocated = (0..containers)
        .map(|i| Container {
            id: ContainerId::from(format!("container_e01_1700000000000_0001_01_{i:07}")),
            host: host_name(i % hosts),
            resource: ask.clone(),
            priority: 0,
        })
        .collect();
    (
        alloc,
        AllocateResponse {
            allocated,
            cluster_nodes: Some(hosts as i32),
            ..Default::default()
        },
    )
}

fn bench_heartbeat(c: &mut Criterion) {
    let mut group = c.benchmark_group("heartbeat");
    group.sample_size(10);
    for n in [1_000usize, 10_000, 100_000] {
        let (alloc, response) = heartbeat_setup(n);
        // Sanity: the heartbeat really launches every container.
        {
            let (mut a, r) = (alloc.clone(), response.clone());
            a.next_request(0);
            a.on_response(r, 0);
            assert_eq!(a.starting(0) as usize, n, "every container is matched");
        }
        group.throughput(Throughput::Elements(n as u64));
        group.bench_with_input(BenchmarkId::from_parameter(n), &n, |b, _| {
            b.iter_batched(
                || (alloc.clone(), response.clone()),
                |(mut a, r)| {
                    let req = a.next_request(0);
                    a.on_response(r, 0);
                    let actions = std::iter::from_fn(|| a.poll_action()).count();
                    black_box((req, actions, a))
                },
                BatchSize::LargeInput,
            )
        });
    }
    group.finish();
}

/// One round of `shifting_hints`: the driver's update and the RM's response.
type Round = (TargetUpdate, AllocateResponse);

/// The allocator and the inputs of `rounds` heartbeats.
fn shifting_setup(rounds: usize, hosts: usize) -> (Allocator, Vec<Round>) {
    let alloc = allocator(hosts, LaunchMode::Immediate);
    let ask = alloc.container_ask(0).expect("profile 0").clone();
    let mut next_id = 0usize;
    let inputs = (0..rounds)
        .map(|r| {
            let window = |k: usize| host_name((r * 50 + k) % hosts);
            let mut update = TargetUpdate::default();
            update.totals.insert(0, 10_000 + 20 * r as u32);
            update.locality_aware_tasks.insert(0, 150);
            update
                .host_task_counts
                .insert(0, (0..50).map(|k| (window(k), 3)).collect());
            let allocated = (0..20)
                .map(|k| {
                    next_id += 1;
                    Container {
                        id: ContainerId::from(format!(
                            "container_e01_1700000000000_0001_01_{next_id:07}"
                        )),
                        host: window(k),
                        resource: ask.clone(),
                        priority: 0,
                    }
                })
                .collect();
            let response = AllocateResponse {
                allocated,
                ..Default::default()
            };
            (update, response)
        })
        .collect();
    (alloc, inputs)
}

fn bench_shifting_hints(c: &mut Criterion) {
    let mut group = c.benchmark_group("shifting_hints");
    group.sample_size(10);
    let rounds = 400;
    let (alloc, inputs) = shifting_setup(rounds, 5_000);
    let run = |mut a: Allocator, inputs: Vec<Round>| {
        for (now, (update, response)) in inputs.into_iter().enumerate() {
            a.on_targets(update).expect("targets");
            black_box(a.next_request(now as u64));
            a.on_response(response, now as u64);
            while a.poll_action().is_some() {}
        }
        a
    };
    // Sanity: every grant is launched and the requests really pile up.
    let a = run(alloc.clone(), inputs.clone());
    assert_eq!(a.running(0) as usize, 20 * rounds);
    assert!(a.pending(0) > 9_000);
    group.throughput(Throughput::Elements(rounds as u64));
    group.bench_with_input(BenchmarkId::from_parameter(rounds), &rounds, |b, _| {
        b.iter_batched(
            || (alloc.clone(), inputs.clone()),
            |(a, inputs)| black_box(run(a, inputs)),
            BatchSize::LargeInput,
        )
    });
    group.finish();
}

fn bench_placement(c: &mut Criterion) {
    let mut group = c.benchmark_group("placement");
    group.sample_size(10);
    for n in [1_000usize, 4_096, 10_000, 100_000] {
        let hosts = (n / 2).max(1);
        let counts = host_tasks(hosts);
        let allocated: FastMap<HostName, u32> =
            (0..hosts / 4).map(|i| (host_name(i * 4), 1)).collect();
        let tasks = (8 * n) as u32;
        group.throughput(Throughput::Elements(n as u64));
        group.bench_with_input(BenchmarkId::from_parameter(n), &n, |b, &n| {
            b.iter(|| {
                let p = place(&PlacementInput {
                    containers: n,
                    locality_aware_tasks: tasks,
                    host_task_counts: &counts,
                    allocated: &allocated,
                    pending: &[],
                    executor_cores: 4,
                    task_cpus: 1,
                });
                black_box(p)
            })
        });
    }
    group.finish();
}

criterion_group!(
    benches,
    bench_heartbeat,
    bench_shifting_hints,
    bench_placement
);
criterion_main!(benches);
