//! Every protobuf message Spindle defines, checked against Hadoop's own generated class:
//! Hadoop builds a fully populated sample (every field set, repeated fields twice, nested messages
//! filled, enums non-default, 64-bit values above 32 bits, bytes that are not UTF-8), we decode it
//! with our prost struct and encode it again, and Hadoop parses our bytes with the real class. A
//! field our struct lacks or types differently comes back dropped, changed or unknown: a DIFF.

use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;

use spindle_protocol::proto::{rpc, security, yarn, yarn_service};
use spindle_tests::roundtrip::{ProtoRoundTrip, Verdict};

/// Decodes bytes with our type `T` and encodes the result again.
type Reencode = fn(&[u8]) -> Result<Vec<u8>, prost::DecodeError>;

fn reencode<T: prost::Message + Default>(bytes: &[u8]) -> Result<Vec<u8>, prost::DecodeError> {
    Ok(T::decode(bytes)?.encode_to_vec())
}

/// `(Hadoop's full message name, our type)` pairs.
macro_rules! messages {
    ($(($name:literal, $module:ident :: $ty:ident)),* $(,)?) => {
        &[$(($name, concat!(stringify!($module), "::", stringify!($ty)), reencode::<$module::$ty> as Reencode)),*]
    };
}

/// Every message in `spindle_protocol::proto::{rpc, security, yarn, yarn_service}`.
const MESSAGES: &[(&str, &str, Reencode)] = messages![
    ("hadoop.common.RPCTraceInfoProto", rpc::RpcTraceInfoProto),
    (
        "hadoop.common.RPCCallerContextProto",
        rpc::RpcCallerContextProto
    ),
    (
        "hadoop.common.RpcRequestHeaderProto",
        rpc::RpcRequestHeaderProto
    ),
    (
        "hadoop.common.RpcResponseHeaderProto",
        rpc::RpcResponseHeaderProto
    ),
    ("hadoop.common.RpcSaslProto.SaslAuth", rpc::SaslAuth),
    ("hadoop.common.RpcSaslProto", rpc::RpcSaslProto),
    (
        "hadoop.common.UserInformationProto",
        rpc::UserInformationProto
    ),
    (
        "hadoop.common.IpcConnectionContextProto",
        rpc::IpcConnectionContextProto
    ),
    ("hadoop.common.RequestHeaderProto", rpc::RequestHeaderProto),
    ("hadoop.common.TokenProto", security::TokenProto),
    (
        "hadoop.common.CredentialsKVProto",
        security::CredentialsKVProto
    ),
    ("hadoop.common.CredentialsProto", security::CredentialsProto),
    (
        "hadoop.common.GetDelegationTokenRequestProto",
        security::GetDelegationTokenRequestProto
    ),
    (
        "hadoop.common.GetDelegationTokenResponseProto",
        security::GetDelegationTokenResponseProto
    ),
    (
        "hadoop.common.RenewDelegationTokenRequestProto",
        security::RenewDelegationTokenRequestProto
    ),
    (
        "hadoop.common.RenewDelegationTokenResponseProto",
        security::RenewDelegationTokenResponseProto
    ),
    (
        "hadoop.common.CancelDelegationTokenRequestProto",
        security::CancelDelegationTokenRequestProto
    ),
    (
        "hadoop.common.CancelDelegationTokenResponseProto",
        security::CancelDelegationTokenResponseProto
    ),
    (
        "hadoop.yarn.NMTokenIdentifierProto",
        security::NMTokenIdentifierProto
    ),
    (
        "hadoop.yarn.AMRMTokenIdentifierProto",
        security::AMRMTokenIdentifierProto
    ),
    (
        "hadoop.yarn.ContainerTokenIdentifierProto",
        security::ContainerTokenIdentifierProto
    ),
    (
        "hadoop.yarn.ClientToAMTokenIdentifierProto",
        security::ClientToAMTokenIdentifierProto
    ),
    (
        "hadoop.yarn.YARNDelegationTokenIdentifierProto",
        security::YARNDelegationTokenIdentifierProto
    ),
    (
        "hadoop.yarn.DockerCredentialTokenIdentifierProto",
        security::DockerCredentialTokenIdentifierProto
    ),
    (
        "hadoop.yarn.SerializedExceptionProto",
        yarn::SerializedExceptionProto
    ),
    ("hadoop.yarn.ApplicationIdProto", yarn::ApplicationIdProto),
    (
        "hadoop.yarn.ApplicationAttemptIdProto",
        yarn::ApplicationAttemptIdProto
    ),
    ("hadoop.yarn.ContainerIdProto", yarn::ContainerIdProto),
    ("hadoop.yarn.NodeIdProto", yarn::NodeIdProto),
    ("hadoop.yarn.PriorityProto", yarn::PriorityProto),
    ("hadoop.yarn.ReservationIdProto", yarn::ReservationIdProto),
    (
        "hadoop.yarn.ResourceInformationProto",
        yarn::ResourceInformationProto
    ),
    (
        "hadoop.yarn.ResourceTypeInfoProto",
        yarn::ResourceTypeInfoProto
    ),
    ("hadoop.yarn.ResourceProto", yarn::ResourceProto),
    (
        "hadoop.yarn.ResourceUtilizationProto",
        yarn::ResourceUtilizationProto
    ),
    ("hadoop.yarn.ResourceOptionProto", yarn::ResourceOptionProto),
    (
        "hadoop.yarn.ResourceProfileEntry",
        yarn::ResourceProfileEntry
    ),
    (
        "hadoop.yarn.ResourceProfilesProto",
        yarn::ResourceProfilesProto
    ),
    (
        "hadoop.yarn.NodeResourceMapProto",
        yarn::NodeResourceMapProto
    ),
    ("hadoop.yarn.ContainerProto", yarn::ContainerProto),
    (
        "hadoop.yarn.ContainerReportProto",
        yarn::ContainerReportProto
    ),
    ("hadoop.yarn.URLProto", yarn::URLProto),
    ("hadoop.yarn.LocalResourceProto", yarn::LocalResourceProto),
    ("hadoop.yarn.StringLongMapProto", yarn::StringLongMapProto),
    ("hadoop.yarn.StringFloatMapProto", yarn::StringFloatMapProto),
    (
        "hadoop.yarn.ApplicationResourceUsageReportProto",
        yarn::ApplicationResourceUsageReportProto
    ),
    (
        "hadoop.yarn.ApplicationReportProto",
        yarn::ApplicationReportProto
    ),
    ("hadoop.yarn.AppTimeoutsMapProto", yarn::AppTimeoutsMapProto),
    (
        "hadoop.yarn.ApplicationTimeoutProto",
        yarn::ApplicationTimeoutProto
    ),
    (
        "hadoop.yarn.ApplicationAttemptReportProto",
        yarn::ApplicationAttemptReportProto
    ),
    ("hadoop.yarn.NodeReportProto", yarn::NodeReportProto),
    ("hadoop.yarn.NodeIdToLabelsProto", yarn::NodeIdToLabelsProto),
    (
        "hadoop.yarn.LabelsToNodeIdsProto",
        yarn::LabelsToNodeIdsProto
    ),
    ("hadoop.yarn.NodeLabelProto", yarn::NodeLabelProto),
    (
        "hadoop.yarn.NodeAttributeKeyProto",
        yarn::NodeAttributeKeyProto
    ),
    ("hadoop.yarn.NodeAttributeProto", yarn::NodeAttributeProto),
    (
        "hadoop.yarn.NodeAttributeInfoProto",
        yarn::NodeAttributeInfoProto
    ),
    (
        "hadoop.yarn.NodeToAttributeValueProto",
        yarn::NodeToAttributeValueProto
    ),
    (
        "hadoop.yarn.AttributeToNodesProto",
        yarn::AttributeToNodesProto
    ),
    (
        "hadoop.yarn.NodeToAttributesProto",
        yarn::NodeToAttributesProto
    ),
    (
        "hadoop.yarn.ResourceRequestProto",
        yarn::ResourceRequestProto
    ),
    (
        "hadoop.yarn.ExecutionTypeRequestProto",
        yarn::ExecutionTypeRequestProto
    ),
    (
        "hadoop.yarn.SchedulingRequestProto",
        yarn::SchedulingRequestProto
    ),
    ("hadoop.yarn.ResourceSizingProto", yarn::ResourceSizingProto),
    (
        "hadoop.yarn.RejectedSchedulingRequestProto",
        yarn::RejectedSchedulingRequestProto
    ),
    (
        "hadoop.yarn.PreemptionMessageProto",
        yarn::PreemptionMessageProto
    ),
    (
        "hadoop.yarn.StrictPreemptionContractProto",
        yarn::StrictPreemptionContractProto
    ),
    (
        "hadoop.yarn.PreemptionContractProto",
        yarn::PreemptionContractProto
    ),
    (
        "hadoop.yarn.PreemptionContainerProto",
        yarn::PreemptionContainerProto
    ),
    (
        "hadoop.yarn.PreemptionResourceRequestProto",
        yarn::PreemptionResourceRequestProto
    ),
    (
        "hadoop.yarn.ResourceBlacklistRequestProto",
        yarn::ResourceBlacklistRequestProto
    ),
    (
        "hadoop.yarn.ApplicationSubmissionContextProto",
        yarn::ApplicationSubmissionContextProto
    ),
    (
        "hadoop.yarn.ApplicationTimeoutMapProto",
        yarn::ApplicationTimeoutMapProto
    ),
    (
        "hadoop.yarn.ApplicationUpdateTimeoutMapProto",
        yarn::ApplicationUpdateTimeoutMapProto
    ),
    (
        "hadoop.yarn.LogAggregationContextProto",
        yarn::LogAggregationContextProto
    ),
    (
        "hadoop.yarn.ApplicationACLMapProto",
        yarn::ApplicationACLMapProto
    ),
    (
        "hadoop.yarn.YarnClusterMetricsProto",
        yarn::YarnClusterMetricsProto
    ),
    (
        "hadoop.yarn.QueueStatisticsProto",
        yarn::QueueStatisticsProto
    ),
    ("hadoop.yarn.QueueInfoProto", yarn::QueueInfoProto),
    (
        "hadoop.yarn.QueueConfigurationsProto",
        yarn::QueueConfigurationsProto
    ),
    (
        "hadoop.yarn.QueueConfigurationsMapProto",
        yarn::QueueConfigurationsMapProto
    ),
    (
        "hadoop.yarn.QueueUserACLInfoProto",
        yarn::QueueUserACLInfoProto
    ),
    (
        "hadoop.yarn.PlacementConstraintProto",
        yarn::PlacementConstraintProto
    ),
    (
        "hadoop.yarn.SimplePlacementConstraintProto",
        yarn::SimplePlacementConstraintProto
    ),
    (
        "hadoop.yarn.PlacementConstraintTargetProto",
        yarn::PlacementConstraintTargetProto
    ),
    (
        "hadoop.yarn.TimedPlacementConstraintProto",
        yarn::TimedPlacementConstraintProto
    ),
    (
        "hadoop.yarn.CompositePlacementConstraintProto",
        yarn::CompositePlacementConstraintProto
    ),
    (
        "hadoop.yarn.PlacementConstraintMapEntryProto",
        yarn::PlacementConstraintMapEntryProto
    ),
    (
        "hadoop.yarn.ContainerLaunchContextProto",
        yarn::ContainerLaunchContextProto
    ),
    (
        "hadoop.yarn.ContainerStatusProto",
        yarn::ContainerStatusProto
    ),
    (
        "hadoop.yarn.ContainerRetryContextProto",
        yarn::ContainerRetryContextProto
    ),
    (
        "hadoop.yarn.StringLocalResourceMapProto",
        yarn::StringLocalResourceMapProto
    ),
    (
        "hadoop.yarn.StringStringMapProto",
        yarn::StringStringMapProto
    ),
    ("hadoop.yarn.StringBytesMapProto", yarn::StringBytesMapProto),
    ("hadoop.yarn.CollectorInfoProto", yarn::CollectorInfoProto),
    (
        "hadoop.yarn.RegisterApplicationMasterRequestProto",
        yarn_service::RegisterApplicationMasterRequestProto
    ),
    (
        "hadoop.yarn.RegisterApplicationMasterResponseProto",
        yarn_service::RegisterApplicationMasterResponseProto
    ),
    (
        "hadoop.yarn.FinishApplicationMasterRequestProto",
        yarn_service::FinishApplicationMasterRequestProto
    ),
    (
        "hadoop.yarn.FinishApplicationMasterResponseProto",
        yarn_service::FinishApplicationMasterResponseProto
    ),
    (
        "hadoop.yarn.UpdateContainerRequestProto",
        yarn_service::UpdateContainerRequestProto
    ),
    (
        "hadoop.yarn.UpdateContainerErrorProto",
        yarn_service::UpdateContainerErrorProto
    ),
    (
        "hadoop.yarn.AllocateRequestProto",
        yarn_service::AllocateRequestProto
    ),
    ("hadoop.yarn.NMTokenProto", yarn_service::NMTokenProto),
    (
        "hadoop.yarn.UpdatedContainerProto",
        yarn_service::UpdatedContainerProto
    ),
    (
        "hadoop.yarn.EnhancedHeadroomProto",
        yarn_service::EnhancedHeadroomProto
    ),
    (
        "hadoop.yarn.AllocateResponseProto",
        yarn_service::AllocateResponseProto
    ),
    (
        "hadoop.yarn.GetNewApplicationRequestProto",
        yarn_service::GetNewApplicationRequestProto
    ),
    (
        "hadoop.yarn.GetNewApplicationResponseProto",
        yarn_service::GetNewApplicationResponseProto
    ),
    (
        "hadoop.yarn.GetApplicationReportRequestProto",
        yarn_service::GetApplicationReportRequestProto
    ),
    (
        "hadoop.yarn.GetApplicationReportResponseProto",
        yarn_service::GetApplicationReportResponseProto
    ),
    (
        "hadoop.yarn.SubmitApplicationRequestProto",
        yarn_service::SubmitApplicationRequestProto
    ),
    (
        "hadoop.yarn.SubmitApplicationResponseProto",
        yarn_service::SubmitApplicationResponseProto
    ),
    (
        "hadoop.yarn.FailApplicationAttemptRequestProto",
        yarn_service::FailApplicationAttemptRequestProto
    ),
    (
        "hadoop.yarn.FailApplicationAttemptResponseProto",
        yarn_service::FailApplicationAttemptResponseProto
    ),
    (
        "hadoop.yarn.KillApplicationRequestProto",
        yarn_service::KillApplicationRequestProto
    ),
    (
        "hadoop.yarn.KillApplicationResponseProto",
        yarn_service::KillApplicationResponseProto
    ),
    (
        "hadoop.yarn.GetClusterMetricsRequestProto",
        yarn_service::GetClusterMetricsRequestProto
    ),
    (
        "hadoop.yarn.GetClusterMetricsResponseProto",
        yarn_service::GetClusterMetricsResponseProto
    ),
    (
        "hadoop.yarn.MoveApplicationAcrossQueuesRequestProto",
        yarn_service::MoveApplicationAcrossQueuesRequestProto
    ),
    (
        "hadoop.yarn.MoveApplicationAcrossQueuesResponseProto",
        yarn_service::MoveApplicationAcrossQueuesResponseProto
    ),
    (
        "hadoop.yarn.GetApplicationsRequestProto",
        yarn_service::GetApplicationsRequestProto
    ),
    (
        "hadoop.yarn.GetApplicationsResponseProto",
        yarn_service::GetApplicationsResponseProto
    ),
    (
        "hadoop.yarn.GetClusterNodesRequestProto",
        yarn_service::GetClusterNodesRequestProto
    ),
    (
        "hadoop.yarn.GetClusterNodesResponseProto",
        yarn_service::GetClusterNodesResponseProto
    ),
    (
        "hadoop.yarn.GetQueueInfoRequestProto",
        yarn_service::GetQueueInfoRequestProto
    ),
    (
        "hadoop.yarn.GetQueueInfoResponseProto",
        yarn_service::GetQueueInfoResponseProto
    ),
    (
        "hadoop.yarn.GetQueueUserAclsInfoRequestProto",
        yarn_service::GetQueueUserAclsInfoRequestProto
    ),
    (
        "hadoop.yarn.GetQueueUserAclsInfoResponseProto",
        yarn_service::GetQueueUserAclsInfoResponseProto
    ),
    (
        "hadoop.yarn.GetNodesToLabelsRequestProto",
        yarn_service::GetNodesToLabelsRequestProto
    ),
    (
        "hadoop.yarn.GetNodesToLabelsResponseProto",
        yarn_service::GetNodesToLabelsResponseProto
    ),
    (
        "hadoop.yarn.GetLabelsToNodesRequestProto",
        yarn_service::GetLabelsToNodesRequestProto
    ),
    (
        "hadoop.yarn.GetLabelsToNodesResponseProto",
        yarn_service::GetLabelsToNodesResponseProto
    ),
    (
        "hadoop.yarn.GetClusterNodeLabelsRequestProto",
        yarn_service::GetClusterNodeLabelsRequestProto
    ),
    (
        "hadoop.yarn.GetClusterNodeLabelsResponseProto",
        yarn_service::GetClusterNodeLabelsResponseProto
    ),
    (
        "hadoop.yarn.GetClusterNodeAttributesRequestProto",
        yarn_service::GetClusterNodeAttributesRequestProto
    ),
    (
        "hadoop.yarn.GetClusterNodeAttributesResponseProto",
        yarn_service::GetClusterNodeAttributesResponseProto
    ),
    (
        "hadoop.yarn.GetAttributesToNodesRequestProto",
        yarn_service::GetAttributesToNodesRequestProto
    ),
    (
        "hadoop.yarn.GetAttributesToNodesResponseProto",
        yarn_service::GetAttributesToNodesResponseProto
    ),
    (
        "hadoop.yarn.GetNodesToAttributesRequestProto",
        yarn_service::GetNodesToAttributesRequestProto
    ),
    (
        "hadoop.yarn.GetNodesToAttributesResponseProto",
        yarn_service::GetNodesToAttributesResponseProto
    ),
    (
        "hadoop.yarn.UpdateApplicationPriorityRequestProto",
        yarn_service::UpdateApplicationPriorityRequestProto
    ),
    (
        "hadoop.yarn.UpdateApplicationPriorityResponseProto",
        yarn_service::UpdateApplicationPriorityResponseProto
    ),
    (
        "hadoop.yarn.SignalContainerRequestProto",
        yarn_service::SignalContainerRequestProto
    ),
    (
        "hadoop.yarn.SignalContainerResponseProto",
        yarn_service::SignalContainerResponseProto
    ),
    (
        "hadoop.yarn.UpdateApplicationTimeoutsRequestProto",
        yarn_service::UpdateApplicationTimeoutsRequestProto
    ),
    (
        "hadoop.yarn.UpdateApplicationTimeoutsResponseProto",
        yarn_service::UpdateApplicationTimeoutsResponseProto
    ),
    (
        "hadoop.yarn.GetAllResourceProfilesRequestProto",
        yarn_service::GetAllResourceProfilesRequestProto
    ),
    (
        "hadoop.yarn.GetAllResourceProfilesResponseProto",
        yarn_service::GetAllResourceProfilesResponseProto
    ),
    (
        "hadoop.yarn.GetResourceProfileRequestProto",
        yarn_service::GetResourceProfileRequestProto
    ),
    (
        "hadoop.yarn.GetResourceProfileResponseProto",
        yarn_service::GetResourceProfileResponseProto
    ),
    (
        "hadoop.yarn.GetAllResourceTypeInfoRequestProto",
        yarn_service::GetAllResourceTypeInfoRequestProto
    ),
    (
        "hadoop.yarn.GetAllResourceTypeInfoResponseProto",
        yarn_service::GetAllResourceTypeInfoResponseProto
    ),
    (
        "hadoop.yarn.GetApplicationAttemptReportRequestProto",
        yarn_service::GetApplicationAttemptReportRequestProto
    ),
    (
        "hadoop.yarn.GetApplicationAttemptReportResponseProto",
        yarn_service::GetApplicationAttemptReportResponseProto
    ),
    (
        "hadoop.yarn.GetApplicationAttemptsRequestProto",
        yarn_service::GetApplicationAttemptsRequestProto
    ),
    (
        "hadoop.yarn.GetApplicationAttemptsResponseProto",
        yarn_service::GetApplicationAttemptsResponseProto
    ),
    (
        "hadoop.yarn.GetContainerReportRequestProto",
        yarn_service::GetContainerReportRequestProto
    ),
    (
        "hadoop.yarn.GetContainerReportResponseProto",
        yarn_service::GetContainerReportResponseProto
    ),
    (
        "hadoop.yarn.GetContainersRequestProto",
        yarn_service::GetContainersRequestProto
    ),
    (
        "hadoop.yarn.GetContainersResponseProto",
        yarn_service::GetContainersResponseProto
    ),
    (
        "hadoop.yarn.StartContainerRequestProto",
        yarn_service::StartContainerRequestProto
    ),
    (
        "hadoop.yarn.StartContainerResponseProto",
        yarn_service::StartContainerResponseProto
    ),
    (
        "hadoop.yarn.StopContainerRequestProto",
        yarn_service::StopContainerRequestProto
    ),
    (
        "hadoop.yarn.StopContainerResponseProto",
        yarn_service::StopContainerResponseProto
    ),
    (
        "hadoop.yarn.ResourceLocalizationRequestProto",
        yarn_service::ResourceLocalizationRequestProto
    ),
    (
        "hadoop.yarn.ResourceLocalizationResponseProto",
        yarn_service::ResourceLocalizationResponseProto
    ),
    (
        "hadoop.yarn.ReInitializeContainerRequestProto",
        yarn_service::ReInitializeContainerRequestProto
    ),
    (
        "hadoop.yarn.ReInitializeContainerResponseProto",
        yarn_service::ReInitializeContainerResponseProto
    ),
    (
        "hadoop.yarn.RestartContainerResponseProto",
        yarn_service::RestartContainerResponseProto
    ),
    (
        "hadoop.yarn.RollbackResponseProto",
        yarn_service::RollbackResponseProto
    ),
    (
        "hadoop.yarn.CommitResponseProto",
        yarn_service::CommitResponseProto
    ),
    (
        "hadoop.yarn.StartContainersRequestProto",
        yarn_service::StartContainersRequestProto
    ),
    (
        "hadoop.yarn.ContainerExceptionMapProto",
        yarn_service::ContainerExceptionMapProto
    ),
    (
        "hadoop.yarn.StartContainersResponseProto",
        yarn_service::StartContainersResponseProto
    ),
    (
        "hadoop.yarn.StopContainersRequestProto",
        yarn_service::StopContainersRequestProto
    ),
    (
        "hadoop.yarn.StopContainersResponseProto",
        yarn_service::StopContainersResponseProto
    ),
    (
        "hadoop.yarn.GetContainerStatusesRequestProto",
        yarn_service::GetContainerStatusesRequestProto
    ),
    (
        "hadoop.yarn.GetContainerStatusesResponseProto",
        yarn_service::GetContainerStatusesResponseProto
    ),
    (
        "hadoop.yarn.IncreaseContainersResourceRequestProto",
        yarn_service::IncreaseContainersResourceRequestProto
    ),
    (
        "hadoop.yarn.IncreaseContainersResourceResponseProto",
        yarn_service::IncreaseContainersResourceResponseProto
    ),
    (
        "hadoop.yarn.ContainerUpdateRequestProto",
        yarn_service::ContainerUpdateRequestProto
    ),
    (
        "hadoop.yarn.ContainerUpdateResponseProto",
        yarn_service::ContainerUpdateResponseProto
    ),
    (
        "hadoop.yarn.GetLocalizationStatusesRequestProto",
        yarn_service::GetLocalizationStatusesRequestProto
    ),
    (
        "hadoop.yarn.LocalizationStatusProto",
        yarn_service::LocalizationStatusProto
    ),
    (
        "hadoop.yarn.ContainerLocalizationStatusesProto",
        yarn_service::ContainerLocalizationStatusesProto
    ),
    (
        "hadoop.yarn.GetLocalizationStatusesResponseProto",
        yarn_service::GetLocalizationStatusesResponseProto
    ),
];

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
        let sample = match rt.sample(name).await {
            Ok(s) => s,
            Err(e) => {
                failures.push(format!("{ours} ({name}): no sample from Hadoop: {e}"));
                continue;
            }
        };
        let bytes = match reencode(&sample) {
            Ok(b) => b,
            Err(e) => {
                failures.push(format!(
                    "{ours} ({name}): our decoder rejects Hadoop's sample: {e}"
                ));
                continue;
            }
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

/// `module::Struct` of every prost message struct in our proto source files.
fn our_message_structs() -> BTreeSet<String> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("../protocol/src/proto");
    let mut found = BTreeSet::new();
    for module in ["rpc", "security", "yarn", "yarn_service"] {
        let path = dir.join(format!("{module}.rs"));
        let src =
            std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
        let mut derives_message = false;
        let mut nested: Option<String> = None;
        for line in src.lines() {
            let t = line.trim();
            if let Some(m) = line
                .strip_prefix("pub mod ")
                .and_then(|r| r.strip_suffix(" {"))
            {
                nested = Some(m.to_string());
                continue;
            }
            if line == "}" {
                nested = None;
            }
            if t.starts_with("#[derive(") {
                derives_message = t.contains("prost::Message");
            } else if let Some(rest) = t.strip_prefix("pub struct ") {
                let name: String = rest
                    .chars()
                    .take_while(|c| c.is_alphanumeric() || *c == '_')
                    .collect();
                if derives_message {
                    match &nested {
                        Some(m) => found.insert(format!("{module}::{m}::{name}")),
                        None => found.insert(format!("{module}::{name}")),
                    };
                }
                derives_message = false;
            }
        }
    }
    found
}

#[test]
fn the_table_covers_every_message_we_define() {
    let ours = our_message_structs();
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

/// `(module::Enum, the proto name its doc names (or the Rust name), value numbers)` of every
/// `prost::Enumeration` in our proto source files.
fn our_enums() -> Vec<(String, String, BTreeSet<i32>)> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("../protocol/src/proto");
    let mut out = Vec::new();
    for module in ["rpc", "security", "yarn", "yarn_service"] {
        let path = dir.join(format!("{module}.rs"));
        let src =
            std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
        let mut doc_first: Option<String> = None;
        let mut in_doc = false;
        let mut current: Option<(String, String, BTreeSet<i32>)> = None;
        for line in src.lines() {
            let t = line.trim();
            if let Some((name, proto, values)) = current.as_mut() {
                if t == "}" {
                    out.push((
                        format!("{module}::{name}"),
                        proto.clone(),
                        std::mem::take(values),
                    ));
                    current = None;
                } else if let Some((_, rhs)) = t.split_once(" = ") {
                    let n = rhs.trim_end_matches(',').trim();
                    values.insert(
                        n.parse()
                            .unwrap_or_else(|e| panic!("{module}: enum value `{t}`: {e}")),
                    );
                }
                continue;
            }
            if let Some(d) = t.strip_prefix("///") {
                if !in_doc {
                    doc_first = d
                        .trim()
                        .strip_prefix('`')
                        .and_then(|r| r.split_once('`'))
                        .map(|(name, _)| name.to_string())
                        .filter(|n| {
                            n.chars()
                                .all(|c| c.is_alphanumeric() || c == '_' || c == '.')
                        });
                    in_doc = true;
                }
                continue;
            }
            in_doc = false;
            if let Some(rest) = t.strip_prefix("pub enum ") {
                let name: String = rest
                    .chars()
                    .take_while(|c| c.is_alphanumeric() || *c == '_')
                    .collect();
                let proto = doc_first.take().unwrap_or_else(|| name.clone());
                current = Some((name, proto, BTreeSet::new()));
            } else if !t.starts_with("#[") {
                doc_first = None;
            }
        }
    }
    out
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn every_enum_has_exactly_hadoops_values() {
    let mut rt = ProtoRoundTrip::start().await.expect("start ProtoRoundTrip");
    let hadoop = rt.enums().await.expect("ENUMS");
    assert!(
        hadoop.contains_key("hadoop.yarn.ContainerStateProto"),
        "{hadoop:?}"
    );
    let ours = our_enums();
    assert!(
        ours.len() > 30,
        "found only {} enums: is the source layout different?",
        ours.len()
    );
    let mut failures = Vec::new();
    for (rust, proto, values) in &ours {
        let suffix = format!(".{proto}");
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

/// One field of one of our prost structs, from its `#[prost(...)]` attribute.
#[derive(Debug)]
struct OurField {
    tag: u32,
    ty: String,
    label: String,
    packed: bool,
    rust_name: String,
}

/// `module::Struct` → fields, for every prost message struct in our proto source files.
fn our_struct_fields() -> BTreeMap<String, Vec<OurField>> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("../protocol/src/proto");
    let mut out = BTreeMap::new();
    for module in ["rpc", "security", "yarn", "yarn_service"] {
        let path = dir.join(format!("{module}.rs"));
        let src =
            std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
        let mut derives_message = false;
        let mut current: Option<(String, Vec<OurField>)> = None;
        let mut attr: Option<String> = None;
        let mut pending: Option<(u32, String, String, bool)> = None;
        for line in src.lines() {
            let t = line.trim();
            if current.is_none() {
                if t.starts_with("#[derive(") {
                    derives_message = t.contains("prost::Message");
                } else if let Some(rest) = t.strip_prefix("pub struct ") {
                    let name: String = rest
                        .chars()
                        .take_while(|c| c.is_alphanumeric() || *c == '_')
                        .collect();
                    if derives_message && rest.trim_end().ends_with("{}") {
                        out.insert(format!("{module}::{name}"), Vec::new());
                    } else if derives_message && rest.trim_end().ends_with('{') {
                        current = Some((format!("{module}::{name}"), Vec::new()));
                    }
                    derives_message = false;
                }
                continue;
            }
            if t == "}" {
                if let Some((name, fields)) = current.take() {
                    out.insert(name, fields);
                }
                continue;
            }
            if let Some(a) = attr.as_mut() {
                a.push(' ');
                a.push_str(t);
            } else if t.starts_with("#[prost(") {
                attr = Some(t.to_string());
            }
            if let Some(a) = attr.as_ref().filter(|a| a.ends_with(")]")) {
                let inner = a.trim_start_matches("#[prost(").trim_end_matches(")]");
                let items: Vec<&str> = inner
                    .split(',')
                    .map(str::trim)
                    .filter(|s| !s.is_empty())
                    .collect();
                let ty = match items.first().copied().unwrap_or("") {
                    s if s.starts_with("bytes") => "bytes".to_string(),
                    s if s.starts_with("enumeration") => "enum".to_string(),
                    s => s.to_string(),
                };
                let label = ["required", "optional", "repeated"]
                    .into_iter()
                    .find(|l| items.contains(l))
                    .unwrap_or("singular")
                    .to_string();
                let tag = items
                    .iter()
                    .find_map(|i| i.strip_prefix("tag = \""))
                    .and_then(|v| v.trim_end_matches('"').parse().ok())
                    .unwrap_or(0);
                let packable = !matches!(ty.as_str(), "string" | "bytes" | "message");
                let packed =
                    label == "repeated" && packable && !items.contains(&"packed = \"false\"");
                pending = Some((tag, ty, label, packed));
                attr = None;
                continue;
            }
            if attr.is_none()
                && let Some(rest) = t.strip_prefix("pub ")
                && let Some((field, _)) = rest.split_once(':')
                && let Some((tag, ty, label, packed)) = pending.take()
                && let Some((_, fields)) = current.as_mut()
            {
                fields.push(OurField {
                    tag,
                    ty,
                    label,
                    packed,
                    rust_name: field.trim().to_string(),
                });
            }
        }
    }
    out
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn every_message_declares_hadoops_field_numbers_types_and_labels() {
    let ours = our_struct_fields();
    let mut rt = ProtoRoundTrip::start().await.expect("start ProtoRoundTrip");
    let mut failures = Vec::new();
    let mut checked_fields = 0;
    for (name, rust, _) in MESSAGES {
        let Some(fields) = ours.get(*rust) else {
            failures.push(format!("{rust}: struct not found in the source"));
            continue;
        };
        let theirs = match rt.schema(name).await {
            Ok(s) => s,
            Err(e) => {
                failures.push(format!("{rust} ({name}): {e}"));
                continue;
            }
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
