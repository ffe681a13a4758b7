//! The ResourceManager's REST API (`/ws/v1/cluster/...`, JSON only), served over HTTP/1.1 next
//! to the RPC ports and through the same RM state and state-machine methods as the IPC
//! ApplicationClientProtocol face:
//!
//! | request | answer |
//! |---|---|
//! | `GET /ws/v1/cluster`, `GET /ws/v1/cluster/info` | `{"clusterInfo":{…}}` |
//! | `GET /ws/v1/cluster/metrics` | `{"clusterMetrics":{…}}` |
//! | `GET /ws/v1/cluster/nodes[?states=…]` | `{"nodes":{"node":[…]}}` |
//! | `GET /ws/v1/cluster/apps[?states,user,queue,limit,applicationTypes,applicationTags,finalStatus,startedTimeBegin/End,finishedTimeBegin/End,name]` | `{"apps":{"app":[…]}}` |
//! | `POST /ws/v1/cluster/apps/new-application` | `{"application-id":…,"maximum-resource-capability":{…}}` |
//! | `POST /ws/v1/cluster/apps[?user.name=…]` with an `application-submission-context` | 202, `Location: …/apps/<id>` |
//! | `GET /ws/v1/cluster/apps/{id}` | `{"app":{…}}` |
//! | `GET /ws/v1/cluster/apps/{id}/state` | `{"state":"RUNNING"}` |
//! | `PUT /ws/v1/cluster/apps/{id}/state` with `{"state":"KILLED"}` | 200 once killed (202 while in progress), 400 for other targets |
//!
//! Errors are `{"RemoteException":{"exception","message","javaClassName"}}` documents: 404 for
//! unknown applications and paths, 400 for bad ids, parameters and bodies, 405 for a wrong
//! method (with `Allow`), 408/413/415 for slow, large or non-JSON bodies. Requests without
//! `user.name` act as `dr.who`, Hadoop's static web user.
//!
//! Layout: [`server`] (listener and limits), [`routes`] (router and handlers), [`json`]
//! (answer documents), [`submission`] (the submission body), [`error`].

pub mod error;
pub mod json;
pub mod routes;
pub mod server;
pub mod submission;

pub use error::RestError;
pub use server::{RestConfig, RestServer};
