//! ApplicationClientProtocol (the RM client port): its table, which generates the server trait
//! [`ApplicationClientProtocol`], the adapter [`ClientService`] and the client
//! [`ApplicationClient`] used to submit, watch and kill applications and to query the cluster.

use crate::ipc::{CallContext, ClientAuth, ClientConfig, any_caller};
use crate::proto::security::{
    CancelDelegationTokenRequestProto, CancelDelegationTokenResponseProto,
    GetDelegationTokenRequestProto, GetDelegationTokenResponseProto,
    RenewDelegationTokenRequestProto, RenewDelegationTokenResponseProto,
};
use crate::proto::yarn_service::*;
use crate::yarn::server::unsupported;
use crate::yarn::{APPLICATION_CLIENT_PROTOCOL, YARN_PROTOCOL_VERSION, YarnError};

crate::ipc_protocol! {
    /// The RM side of ApplicationClientProtocol. Any authenticated caller may call it (SIMPLE
    /// included). The calls a client needs are required; the others answer "not supported"
    /// unless implemented.
    pub trait ApplicationClientProtocol {
        name: APPLICATION_CLIENT_PROTOCOL,
        version: YARN_PROTOCOL_VERSION,
        caller: CallContext = any_caller,
        unsupported: unsupported,
        service: ClientService,
        /// ApplicationClientProtocol client. Cheap to clone.
        client: ApplicationClient -> YarnError,
    }
    required {
        /// `getNewApplication`: a new application id and the largest container.
        fn get_new_application("getNewApplication", empty GetNewApplicationRequestProto)
            -> GetNewApplicationResponseProto;
        /// `submitApplication`; then poll `getApplicationReport` while the state is NEW,
        /// NEW_SAVING or SUBMITTED.
        fn submit_application("submitApplication", SubmitApplicationRequestProto)
            -> SubmitApplicationResponseProto;
        /// `getApplicationReport`.
        fn get_application_report("getApplicationReport", GetApplicationReportRequestProto)
            -> GetApplicationReportResponseProto;
        /// `getApplications`.
        fn get_applications("getApplications", GetApplicationsRequestProto)
            -> GetApplicationsResponseProto;
        /// `forceKillApplication`: repeat until `is_kill_completed` is true.
        fn force_kill_application("forceKillApplication", KillApplicationRequestProto)
            -> KillApplicationResponseProto;
        /// `getClusterMetrics`.
        fn get_cluster_metrics("getClusterMetrics", empty GetClusterMetricsRequestProto)
            -> GetClusterMetricsResponseProto;
        /// `getClusterNodes` (empty `node_states` = all states).
        fn get_cluster_nodes("getClusterNodes", GetClusterNodesRequestProto)
            -> GetClusterNodesResponseProto;
        /// `getQueueInfo`.
        fn get_queue_info("getQueueInfo", GetQueueInfoRequestProto) -> GetQueueInfoResponseProto;
    }
    optional {
        /// `getApplicationAttemptReport`.
        fn get_application_attempt_report(
            "getApplicationAttemptReport",
            GetApplicationAttemptReportRequestProto
        ) -> GetApplicationAttemptReportResponseProto;
        /// `getApplicationAttempts`.
        fn get_application_attempts("getApplicationAttempts", GetApplicationAttemptsRequestProto)
            -> GetApplicationAttemptsResponseProto;
        /// `getContainerReport`.
        fn get_container_report("getContainerReport", GetContainerReportRequestProto)
            -> GetContainerReportResponseProto;
        /// `getContainers`.
        fn get_containers("getContainers", GetContainersRequestProto) -> GetContainersResponseProto;
        /// `failApplicationAttempt`.
        fn fail_application_attempt("failApplicationAttempt", FailApplicationAttemptRequestProto)
            -> FailApplicationAttemptResponseProto;
        /// `moveApplicationAcrossQueues`.
        fn move_application_across_queues(
            "moveApplicationAcrossQueues",
            MoveApplicationAcrossQueuesRequestProto
        ) -> MoveApplicationAcrossQueuesResponseProto;
        /// `updateApplicationPriority`.
        fn update_application_priority(
            "updateApplicationPriority",
            UpdateApplicationPriorityRequestProto
        ) -> UpdateApplicationPriorityResponseProto;
        /// `signalToContainer`.
        fn signal_to_container("signalToContainer", SignalContainerRequestProto)
            -> SignalContainerResponseProto;
        /// `getQueueUserAcls`.
        fn get_queue_user_acls("getQueueUserAcls", GetQueueUserAclsInfoRequestProto)
            -> GetQueueUserAclsInfoResponseProto;
        /// `updateApplicationTimeouts`.
        fn update_application_timeouts(
            "updateApplicationTimeouts",
            UpdateApplicationTimeoutsRequestProto
        ) -> UpdateApplicationTimeoutsResponseProto;
        /// `getNodeToLabels`.
        fn get_node_to_labels("getNodeToLabels", empty GetNodesToLabelsRequestProto)
            -> GetNodesToLabelsResponseProto;
        /// `getLabelsToNodes`.
        fn get_labels_to_nodes("getLabelsToNodes", GetLabelsToNodesRequestProto)
            -> GetLabelsToNodesResponseProto;
        /// `getClusterNodeLabels`.
        fn get_cluster_node_labels("getClusterNodeLabels", empty GetClusterNodeLabelsRequestProto)
            -> GetClusterNodeLabelsResponseProto;
        /// `getClusterNodeAttributes`.
        fn get_cluster_node_attributes(
            "getClusterNodeAttributes",
            empty GetClusterNodeAttributesRequestProto
        ) -> GetClusterNodeAttributesResponseProto;
        /// `getAttributesToNodes`.
        fn get_attributes_to_nodes("getAttributesToNodes", GetAttributesToNodesRequestProto)
            -> GetAttributesToNodesResponseProto;
        /// `getNodesToAttributes`.
        fn get_nodes_to_attributes("getNodesToAttributes", GetNodesToAttributesRequestProto)
            -> GetNodesToAttributesResponseProto;
        /// `getResourceProfiles`.
        fn get_resource_profiles("getResourceProfiles", empty GetAllResourceProfilesRequestProto)
            -> GetAllResourceProfilesResponseProto;
        /// `getResourceProfile`.
        fn get_resource_profile("getResourceProfile", GetResourceProfileRequestProto)
            -> GetResourceProfileResponseProto;
        /// `getResourceTypeInfo`.
        fn get_resource_type_info(
            "getResourceTypeInfo",
            empty GetAllResourceTypeInfoRequestProto
        ) -> GetAllResourceTypeInfoResponseProto;
        /// `getDelegationToken` (an RM delegation token; Kerberos-authenticated callers only).
        fn get_delegation_token("getDelegationToken", GetDelegationTokenRequestProto)
            -> GetDelegationTokenResponseProto;
        /// `renewDelegationToken`.
        fn renew_delegation_token("renewDelegationToken", RenewDelegationTokenRequestProto)
            -> RenewDelegationTokenResponseProto;
        /// `cancelDelegationToken`.
        fn cancel_delegation_token("cancelDelegationToken", CancelDelegationTokenRequestProto)
            -> CancelDelegationTokenResponseProto;
        /// `getNewReservation` (the reservation system; see [`UnreadMessage`]).
        fn get_new_reservation("getNewReservation", UnreadMessage) -> UnreadMessage;
        /// `submitReservation`.
        fn submit_reservation("submitReservation", UnreadMessage) -> UnreadMessage;
        /// `updateReservation`.
        fn update_reservation("updateReservation", UnreadMessage) -> UnreadMessage;
        /// `deleteReservation`.
        fn delete_reservation("deleteReservation", UnreadMessage) -> UnreadMessage;
        /// `listReservations`.
        fn list_reservations("listReservations", UnreadMessage) -> UnreadMessage;
    }
}

/// A message this crate does not read: the requests and replies of the reservation-system
/// methods, which a ResourceManager without a reservation system (YARN's default) refuses before
/// looking at the request. Decoding skips every field; encoding writes none.
#[derive(Clone, PartialEq, prost::Message)]
pub struct UnreadMessage {}

impl ApplicationClient {
    /// A SIMPLE-auth client for the RM at `addr` (`host:port`) acting as `user`.
    pub fn simple(addr: impl Into<String>, user: impl Into<String>) -> Self {
        ApplicationClient::new(ClientConfig::new(
            addr,
            APPLICATION_CLIENT_PROTOCOL,
            ClientAuth::Simple { user: user.into() },
        ))
    }
}
