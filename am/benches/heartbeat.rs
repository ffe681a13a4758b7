//! One AM heartbeat with 10,000 containers granted over 5,000 hosts, through the in-process
//! resource manager path, conversions included: the allocator's request → `AllocateRequestProto`
//! → an in-process `ApplicationMasterProtocol` → `AllocateResponseProto` with 10,000
//! `ContainerProto`s (tokens and node addresses) → the allocator's types and the container table
//! → matching → 10,000 launch actions. The same at 1,000 and 100,000 containers, to show growth.
//!
//! The server side answers with a reply prepared before timing (what the RM would send), so the
//! figure is the AM's cost. Run with `cargo bench -p spindle-am --bench heartbeat`.

use std::collections::BTreeMap;
use std::hint::black_box;
use std::sync::Arc;

mod fixtures;

use criterion::{BatchSize, BenchmarkId, Criterion, Throughput, criterion_group, criterion_main};
use fixtures::{NoStarts, PreparedRm, amrm_token, host, reply};
use spindle_allocator::{
    Allocator, AllocatorConfig, ExecutorSizing, HostName, LaunchMode, ProfileSpec,
    StaticRackResolver, TargetUpdate,
};
use spindle_am::rm::{Registration, ResourceManager};
use spindle_am::yarn::YarnResourceManager;
use spindle_am::yarn::calls::InProcess;
use spindle_am::yarn::rm::SharedTable;

fn allocator(containers: usize) -> Allocator {
    let hosts = containers / 2;
    let racks = StaticRackResolver::new((0..hosts).map(|i| {
        (
            HostName::from(host(i)),
            HostName::from(format!("/rack{:04}", i / 40)),
        )
    }));
    let config = AllocatorConfig {
        profiles: vec![ProfileSpec::new(
            0,
            ExecutorSizing {
                memory_mb: 4096,
                cores: 1,
                memory_overhead_mb: Some(0),
                ..Default::default()
            },
        )],
        launch_mode: LaunchMode::Tracked,
        ..AllocatorConfig::default()
    };
    let mut a = Allocator::with_rack_resolver(config, Arc::new(racks)).expect("config");
    // Locality hints for 5 × containers tasks over every host.
    let per_host = 10u32;
    let counts: BTreeMap<HostName, u32> = (0..hosts)
        .map(|i| (HostName::from(host(i)), per_host))
        .collect();
    let mut update = TargetUpdate::default();
    update.totals.insert(0, containers as u32);
    update.locality_aware_tasks.insert(0, counts.values().sum());
    update.host_task_counts.insert(0, counts);
    a.on_targets(update).expect("targets");
    a
}

type Rm = YarnResourceManager<InProcess<PreparedRm>, NoStarts>;

fn rm(containers: usize, runtime: &tokio::runtime::Runtime) -> Rm {
    let calls = InProcess::new(
        Arc::new(PreparedRm::always(reply(containers))),
        &amrm_token(),
    )
    .expect("calls");
    let mut rm = YarnResourceManager::new(calls, |_: SharedTable| NoStarts);
    runtime
        .block_on(rm.register(&Registration::default()))
        .expect("register");
    rm
}

fn bench_heartbeat(c: &mut Criterion) {
    let runtime = tokio::runtime::Builder::new_current_thread()
        .build()
        .expect("runtime");
    let mut group = c.benchmark_group("am_heartbeat");
    group.sample_size(10);
    for n in [1_000usize, 10_000, 100_000] {
        let template = allocator(n);
        // Sanity: the heartbeat really launches every container.
        {
            let (mut a, mut r) = (template.clone(), rm(n, &runtime));
            let req = a.next_request(0);
            let got = runtime.block_on(r.allocate(&req)).expect("allocate");
            a.on_response(got.response, 0);
            assert_eq!(a.starting(0) as usize, n, "every container is matched");
        }
        group.throughput(Throughput::Elements(n as u64));
        group.bench_with_input(BenchmarkId::from_parameter(n), &n, |b, &n| {
            b.iter_batched(
                || (template.clone(), rm(n, &runtime)),
                |(mut a, mut r)| {
                    let req = a.next_request(0);
                    let got = runtime.block_on(r.allocate(&req)).expect("allocate");
                    a.on_response(got.response, 0);
                    let actions = std::iter::from_fn(|| a.poll_action()).count();
                    black_box((actions, a, r))
                },
                BatchSize::LargeInput,
            )
        });
    }
    group.finish();
}

criterion_group!(benches, bench_heartbeat);
criterion_main!(benches);
