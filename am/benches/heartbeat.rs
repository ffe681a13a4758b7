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

use criterion::{BatchSize, BenchmarkId, Criterion, Throughput, criterion_group, criterion_main};
use spindle_allocator::{
    Allocator, AllocatorConfig, ExecutorSizing, HostName, LaunchMode, ProfileSpec,
    StaticRackResolver, TargetUpdate,
};
use spindle_am::rm::{ExecutorStarter, Registration, ResourceManager};
use spindle_am::yarn::YarnResourceManager;
use spindle_am::yarn::calls::InProcess;
use spindle_am::yarn::rm::{NodeTokens, SharedTable};
use spindle_protocol::ids::{ApplicationAttemptId, ApplicationId, ContainerId, NodeId};
use spindle_protocol::ipc::ServiceError;
use spindle_protocol::proto::security::TokenProto;
use spindle_protocol::proto::yarn::{ContainerProto, PriorityProto, ResourceProto};
use spindle_protocol::proto::yarn_service::*;
use spindle_protocol::token::{AmRmTokenIdentifier, Token};
use spindle_protocol::yarn::server::{AmCaller, ApplicationMasterProtocol};

/// Answers every allocate with the prepared reply.
struct PreparedRm {
    reply: AllocateResponseProto,
}

impl ApplicationMasterProtocol for PreparedRm {
    async fn register_application_master(
        &self,
        _: AmCaller,
        _: RegisterApplicationMasterRequestProto,
    ) -> Result<RegisterApplicationMasterResponseProto, ServiceError> {
        Ok(RegisterApplicationMasterResponseProto {
            maximum_capability: Some(ResourceProto::new(65536, 32)),
            ..Default::default()
        })
    }

    async fn allocate(
        &self,
        _: AmCaller,
        request: AllocateRequestProto,
    ) -> Result<AllocateResponseProto, ServiceError> {
        black_box(&request);
        Ok(self.reply.clone())
    }

    async fn finish_application_master(
        &self,
        _: AmCaller,
        _: FinishApplicationMasterRequestProto,
    ) -> Result<FinishApplicationMasterResponseProto, ServiceError> {
        Ok(FinishApplicationMasterResponseProto {
            is_unregistered: Some(true),
        })
    }
}

/// Starts nothing: the launches are not part of the heartbeat.
#[derive(Clone)]
struct NoStarts;

impl NodeTokens for NoStarts {
    fn update_tokens(&self, _: &[NMTokenProto]) {}
}

impl ExecutorStarter for NoStarts {
    type Launch = ();
    async fn start(&self, _: &spindle_allocator::Container, _: &()) -> Result<(), String> {
        Ok(())
    }
    async fn stop(&self, _: &spindle_allocator::ContainerId) -> Result<(), String> {
        Ok(())
    }
}

fn host(i: usize) -> String {
    format!("node{i:06}.cluster.example.com")
}

fn attempt() -> ApplicationAttemptId {
    ApplicationAttemptId::new(ApplicationId::new(1_700_000_000_000, 1), 1)
}

fn reply(containers: usize) -> AllocateResponseProto {
    let hosts = containers / 2;
    let token = TokenProto {
        identifier: vec![7; 120],
        password: vec![9; 20],
        kind: "ContainerToken".into(),
        service: "10.0.0.1:45454".into(),
    };
    AllocateResponseProto {
        response_id: Some(1),
        allocated_containers: (0..containers)
            .map(|i| ContainerProto {
                id: Some(ContainerId::new(attempt(), i as i64 + 2).to_proto()),
                node_id: Some(NodeId::new(host(i % hosts), 45454).to_proto()),
                node_http_address: Some(format!("{}:8042", host(i % hosts))),
                resource: Some(ResourceProto::new(4096, 1)),
                priority: Some(PriorityProto::new(0)),
                container_token: Some(token.clone()),
                ..Default::default()
            })
            .collect(),
        num_cluster_nodes: Some(hosts as i32),
        ..Default::default()
    }
}

fn allocator(containers: usize) -> Allocator {
    let hosts = containers / 2;
    let racks = StaticRackResolver::new((0..hosts).map(|i| {
        (
            HostName::from(host(i)),
            HostName::from(format!("/rack{:04}", i / 40)),
        )
    }));
    let config = AllocatorConfig {
        profiles: vec![ProfileSpec {
            id: 0,
            sizing: ExecutorSizing {
                memory_mb: 4096,
                cores: 1,
                memory_overhead_mb: Some(0),
                ..Default::default()
            },
            initial_target: 0,
        }],
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

fn amrm_token() -> Token {
    AmRmTokenIdentifier {
        attempt_id: attempt(),
        key_id: 1,
    }
    .issue(b"key")
}

type Rm = YarnResourceManager<InProcess<PreparedRm>, NoStarts>;

fn rm(containers: usize, runtime: &tokio::runtime::Runtime) -> Rm {
    let calls = InProcess::new(
        Arc::new(PreparedRm {
            reply: reply(containers),
        }),
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
                    let mut actions = 0usize;
                    while a.poll_action().is_some() {
                        actions += 1;
                    }
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
