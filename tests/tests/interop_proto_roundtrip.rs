//! Every protobuf message Spindle defines, checked against Hadoop's own generated class:
//! Hadoop builds a fully populated sample (every field set, repeated fields twice, nested messages
//! filled, enums non-default, 64-bit values above 32 bits, bytes that are not UTF-8), we decode it
//! with our prost struct and encode it again, and Hadoop parses our bytes with the real class. A
//! field our struct lacks or types differently comes back dropped, changed or unknown: a DIFF.

use std::collections::BTreeSet;

use spindle_protocol::proto::{rpc, security, yarn, yarn_service};
use spindle_tests::proto_source::ProtoSource;
use spindle_tests::roundtrip::{ProtoRoundTrip, Verdict};

/// Decodes bytes with our type `T` and encodes the result again.
type Reencode = fn(&[u8]) -> Result<Vec<u8>, prost::DecodeError>;

fn reencode<T: prost::Message + Default>(bytes: &[u8]) -> Result<Vec<u8>, prost::DecodeError> {
    Ok(T::decode(bytes)?.encode_to_vec())
}

/// `(Hadoop's full message name, our type, its re-encoder)` for every message, written as
/// `module in "hadoop.package" { Type, ... }`; a type whose Hadoop name is not its own name gives
/// that name after `=`.
macro_rules! messages {
    ($($module:ident in $package:literal { $($ty:ident $(= $hadoop:literal)?),* $(,)? })*) => {
        &[$($((
            concat!($package, ".", messages!(@name $ty $($hadoop)?)),
            concat!(stringify!($module), "::", stringify!($ty)),
            reencode::<$module::$ty> as Reencode,
        )),*),*]
    };
    (@name $ty:ident) => { stringify!($ty) };
    (@name $ty:ident $hadoop:literal) => { $hadoop };
}

/// Every message in `spindle_protocol::proto::{rpc, security, yarn, yarn_service}`.
const MESSAGES: &[(&str, &str, Reencode)] = messages! {
    rpc in "hadoop.common" {
        RpcTraceInfoProto = "RPCTraceInfoProto", RpcCallerContextProto = "RPCCallerContextProto",
        RpcRequestHeaderProto, RpcResponseHeaderProto, SaslAuth = "RpcSaslProto.SaslAuth",
        RpcSaslProto, UserInformationProto, IpcConnectionContextProto, RequestHeaderProto,
    }
    security in "hadoop.common" {
        TokenProto, CredentialsKVProto, CredentialsProto, GetDelegationTokenRequestProto,
        GetDelegationTokenResponseProto, RenewDelegationTokenRequestProto,
        RenewDelegationTokenResponseProto, CancelDelegationTokenRequestProto,
        CancelDelegationTokenResponseProto,
    }
    security in "hadoop.yarn" {
        NMTokenIdentifierProto, AMRMTokenIdentifierProto, ContainerTokenIdentifierProto,
        ClientToAMTokenIdentifierProto, YARNDelegationTokenIdentifierProto,
        DockerCredentialTokenIdentifierProto,
    }
    yarn in "hadoop.yarn" {
        SerializedExceptionProto, ApplicationIdProto, ApplicationAttemptIdProto, ContainerIdProto,
        NodeIdProto, PriorityProto, ReservationIdProto, ResourceInformationProto,
        ResourceTypeInfoProto, ResourceProto, ResourceUtilizationProto, ResourceOptionProto,
        ResourceProfileEntry, ResourceProfilesProto, NodeResourceMapProto, ContainerProto,
        ContainerReportProto, URLProto, LocalResourceProto, StringLongMapProto,
        StringFloatMapProto, ApplicationResourceUsageReportProto, ApplicationReportProto,
        AppTimeoutsMapProto, ApplicationTimeoutProto, ApplicationAttemptReportProto,
        NodeReportProto, NodeIdToLabelsProto, LabelsToNodeIdsProto, NodeLabelProto,
        NodeAttributeKeyProto, NodeAttributeProto, NodeAttributeInfoProto,
        NodeToAttributeValueProto, AttributeToNodesProto, NodeToAttributesProto,
        ResourceRequestProto, ExecutionTypeRequestProto, SchedulingRequestProto,
        ResourceSizingProto, RejectedSchedulingRequestProto, PreemptionMessageProto,
        StrictPreemptionContractProto, PreemptionContractProto, PreemptionContainerProto,
        PreemptionResourceRequestProto, ResourceBlacklistRequestProto,
        ApplicationSubmissionContextProto, ApplicationTimeoutMapProto,
        ApplicationUpdateTimeoutMapProto, LogAggregationContextProto, ApplicationACLMapProto,
        YarnClusterMetricsProto, QueueStatisticsProto, QueueInfoProto, QueueConfigurationsProto,
        QueueConfigurationsMapProto, QueueUserACLInfoProto, PlacementConstraintProto,
        SimplePlacementConstraintProto, PlacementConstraintTargetProto,
        TimedPlacementConstraintProto, CompositePlacementConstraintProto,
        PlacementConstraintMapEntryProto, ContainerLaunchContextProto, ContainerStatusProto,
        ContainerRetryContextProto, StringLocalResourceMapProto, StringStringMapProto,
        StringBytesMapProto, CollectorInfoProto,
    }
    yarn_service in "hadoop.yarn" {
        RegisterApplicationMasterRequestProto, RegisterApplicationMasterResponseProto,
        FinishApplicationMasterRequestProto, FinishApplicationMasterResponseProto,
        UpdateContainerRequestProto, UpdateContainerErrorProto, AllocateRequestProto, NMTokenProto,
        UpdatedContainerProto, EnhancedHeadroomProto, AllocateResponseProto,
        GetNewApplicationRequestProto, GetNewApplicationResponseProto,
        GetApplicationReportRequestProto, GetApplicationReportResponseProto,
        SubmitApplicationRequestProto, SubmitApplicationResponseProto,
        FailApplicationAttemptRequestProto, FailApplicationAttemptResponseProto,
        KillApplicationRequestProto, KillApplicationResponseProto, GetClusterMetricsRequestProto,
        GetClusterMetricsResponseProto, MoveApplicationAcrossQueuesRequestProto,
        MoveApplicationAcrossQueuesResponseProto, GetApplicationsRequestProto,
        GetApplicationsResponseProto, GetClusterNodesRequestProto, GetClusterNodesResponseProto,
        GetQueueInfoRequestProto, GetQueueInfoResponseProto, GetQueueUserAclsInfoRequestProto,
        GetQueueUserAclsInfoResponseProto, GetNodesToLabelsRequestProto,
        GetNodesToLabelsResponseProto, GetLabelsToNodesRequestProto, GetLabelsToNodesResponseProto,
        GetClusterNodeLabelsRequestProto, GetClusterNodeLabelsResponseProto,
        GetClusterNodeAttributesRequestProto, GetClusterNodeAttributesResponseProto,
        GetAttributesToNodesRequestProto, GetAttributesToNodesResponseProto,
        GetNodesToAttributesRequestProto, GetNodesToAttributesResponseProto,
        UpdateApplicationPriorityRequestProto, UpdateApplicationPriorityResponseProto,
        SignalContainerRequestProto, SignalContainerResponseProto,
        UpdateApplicationTimeoutsRequestProto, UpdateApplicationTimeoutsResponseProto,
        GetAllResourceProfilesRequestProto, GetAllResourceProfilesResponseProto,
        GetResourceProfileRequestProto, GetResourceProfileResponseProto,
        GetAllResourceTypeInfoRequestProto, GetAllResourceTypeInfoResponseProto,
        GetApplicationAttemptReportRequestProto, GetApplicationAttemptReportResponseProto,
        GetApplicationAttemptsRequestProto, GetApplicationAttemptsResponseProto,
        GetContainerReportRequestProto, GetContainerReportResponseProto, GetContainersRequestProto,
        GetContainersResponseProto, StartContainerRequestProto, StartContainerResponseProto,
        StopContainerRequestProto, StopContainerResponseProto, ResourceLocalizationRequestProto,
        ResourceLocalizationResponseProto, ReInitializeContainerRequestProto,
        ReInitializeContainerResponseProto, RestartContainerResponseProto, RollbackResponseProto,
        CommitResponseProto, StartContainersRequestProto, ContainerExceptionMapProto,
        StartContainersResponseProto, StopContainersRequestProto, StopContainersResponseProto,
        GetContainerStatusesRequestProto, GetContainerStatusesResponseProto,
        IncreaseContainersResourceRequestProto, IncreaseContainersResourceResponseProto,
        ContainerUpdateRequestProto, ContainerUpdateResponseProto,
        GetLocalizationStatusesRequestProto, LocalizationStatusProto,
        ContainerLocalizationStatusesProto, GetLocalizationStatusesResponseProto,
    }
};

/// The value, or `None` after noting in `failures` that `what` went wrong for `ours` (`name`).
fn noted<T, E: std::fmt::Display>(
    r: Result<T, E>,
    failures: &mut Vec<String>,
    what: &str,
    ours: &str,
    name: &str,
) -> Option<T> {
    r.map_err(|e| failures.push(format!("{ours} ({name}): {what}: {e}")))
        .ok()
}

/// Our declarations, read from the protocol crate's source.
fn ours() -> ProtoSource {
    ProtoSource::read().expect("read protocol/src/proto")
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn every_message_round_trips_through_hadoops_class() {
    let mut rt = ProtoRoundTrip::start().await.expect("start ProtoRoundTrip");
    let hadoop: BTreeSet<String> = rt.names().await.expect("LIST").into_iter().collect();
    let mut failures = Vec::new();
    for (name, ours, reencode) in MESSAGES {
        if !hadoop.contains(*name) {
            failures.push(format!("{ours}: Hadoop's jar has no message {name}"));
            continue;
        }
        let sample = rt.sample(name).await;
        let Some(sample) = noted(sample, &mut failures, "no sample from Hadoop", ours, name) else {
            continue;
        };
        let bytes = reencode(&sample);
        let why = "our decoder rejects Hadoop's sample";
        let Some(bytes) = noted(bytes, &mut failures, why, ours, name) else {
            continue;
        };
        match rt.check(name, &bytes).await.expect("CHECK") {
            Verdict::Same => {}
            Verdict::Diff(d) => failures.push(format!("{ours} ({name}): {d}")),
        }
    }
    assert!(
        failures.is_empty(),
        "{} of {} messages do not round-trip through Hadoop's classes:\n{}",
        failures.len(),
        MESSAGES.len(),
        failures.join("\n")
    );
}

#[test]
fn the_table_covers_every_message_we_define() {
    let ours: BTreeSet<String> = ours().messages.into_keys().collect();
    assert!(
        ours.len() > 100,
        "found only {} message structs: is the source layout different?",
        ours.len()
    );
    let table: BTreeSet<String> = MESSAGES.iter().map(|(_, t, _)| t.to_string()).collect();
    let missing: Vec<_> = ours.difference(&table).collect();
    assert!(
        missing.is_empty(),
        "messages missing from MESSAGES in tests/tests/interop_proto_roundtrip.rs (add them with \
         Hadoop's full name): {missing:?}"
    );
    let names: BTreeSet<&str> = MESSAGES.iter().map(|(n, _, _)| *n).collect();
    assert_eq!(
        names.len(),
        MESSAGES.len(),
        "a Hadoop name appears twice in MESSAGES"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn every_enum_has_exactly_hadoops_values() {
    let mut rt = ProtoRoundTrip::start().await.expect("start ProtoRoundTrip");
    let hadoop = rt.enums().await.expect("ENUMS");
    assert!(
        hadoop.contains_key("hadoop.yarn.ContainerStateProto"),
        "{hadoop:?}"
    );
    let ours = ours().enums;
    assert!(
        ours.len() > 30,
        "found only {} enums: is the source layout different?",
        ours.len()
    );
    let mut failures = Vec::new();
    for e in &ours {
        let (rust, values) = (&e.rust, &e.values);
        let suffix = format!(".{}", e.proto);
        let matches: Vec<_> = hadoop
            .iter()
            .filter(|(n, _)| n.ends_with(&suffix))
            .collect();
        let [(name, theirs)] = matches.as_slice() else {
            failures.push(format!(
                "{rust}: {} Hadoop enums are named *{suffix} (name the proto enum in the doc comment's first backticks)",
                matches.len()
            ));
            continue;
        };
        let theirs: BTreeSet<i32> = theirs.iter().copied().collect();
        let missing: Vec<_> = theirs.difference(values).collect();
        let extra: Vec<_> = values.difference(&theirs).collect();
        if !missing.is_empty() || !extra.is_empty() {
            failures.push(format!(
                "{rust} ({name}): lacks {missing:?}, has extra {extra:?}"
            ));
        }
    }
    assert!(
        failures.is_empty(),
        "enums that differ from Hadoop's:\n{}",
        failures.join("\n")
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn every_message_declares_hadoops_field_numbers_types_and_labels() {
    let ours = ours().messages;
    let mut rt = ProtoRoundTrip::start().await.expect("start ProtoRoundTrip");
    let mut failures = Vec::new();
    let mut checked_fields = 0;
    for (name, rust, _) in MESSAGES {
        let Some(fields) = ours.get(*rust) else {
            failures.push(format!("{rust}: struct not found in the source"));
            continue;
        };
        let theirs = rt.schema(name).await;
        let Some(theirs) = noted(theirs, &mut failures, "no schema", rust, name) else {
            continue;
        };
        for f in &theirs {
            let Some(o) = fields.iter().find(|o| o.tag == f.number) else {
                failures.push(format!(
                    "{rust}: lacks field {} `{}` ({} {})",
                    f.number, f.name, f.label, f.ty
                ));
                continue;
            };
            checked_fields += 1;
            if o.ty != f.ty {
                failures.push(format!(
                    "{rust}.{}: type {} but Hadoop's field {} `{}` is {}",
                    o.rust_name, o.ty, f.number, f.name, f.ty
                ));
            }
            if o.label != f.label {
                failures.push(format!(
                    "{rust}.{}: {} but Hadoop's field {} `{}` is {}",
                    o.rust_name, o.label, f.number, f.name, f.label
                ));
            }
            if f.label == "repeated" && o.packed != f.packed {
                failures.push(format!(
                    "{rust}.{}: packed={} but Hadoop's field {} `{}` has packed={}",
                    o.rust_name, o.packed, f.number, f.name, f.packed
                ));
            }
        }
        for o in fields {
            if !theirs.iter().any(|f| f.number == o.tag) {
                failures.push(format!(
                    "{rust}.{}: tag {} is not a field of {name}",
                    o.rust_name, o.tag
                ));
            }
        }
    }
    assert!(
        checked_fields > 500,
        "only {checked_fields} fields compared: is the source layout different?"
    );
    assert!(
        failures.is_empty(),
        "{} declarations differ from Hadoop's:\n{}",
        failures.len(),
        failures.join("\n")
    );
}
