//! The ResourceManager's web server (`yarn.resourcemanager.webapp.address`), on `spindle-http`'s
//! bounded HTTP/1.1 server, serving from the same RM state and state-machine methods as the IPC
//! ApplicationClientProtocol face:
//!
//! * the web services, `/ws/v1/cluster/...` ([`routes`], documents in [`json`], [`app_parts`],
//!   [`scheduler`]):
//!
//! | request | answer |
//! |---|---|
//! | `GET /ws/v1/cluster`, `GET /ws/v1/cluster/info` | `{"clusterInfo":{…}}` |
//! | `GET /ws/v1/cluster/metrics` | `{"clusterMetrics":{…}}` |
//! | `GET /ws/v1/cluster/scheduler` | `{"scheduler":{"schedulerInfo":{…}}}` (CapacityScheduler shape) |
//! | `GET /ws/v1/cluster/scheduler-conf`, `…/scheduler/activities`, `…/scheduler/app-activities/{id}` | the scheduler's settings; its activities (none recorded) |
//! | `GET /ws/v1/cluster/nodes[?states=…]`, `GET /ws/v1/cluster/nodes/{node}` | `{"nodes":{"node":[…]}}`, `{"node":{…}}` |
//! | `GET /ws/v1/cluster/apps[?states,user,queue,limit,applicationTypes,applicationTags,finalStatus,startedTimeBegin/End,finishedTimeBegin/End,name]` | `{"apps":{"app":[…]}}` |
//! | `GET /ws/v1/cluster/appstatistics[?states,applicationTypes]` | `{"appStatInfo":{"statItem":[…]}}` |
//! | `POST /ws/v1/cluster/apps/new-application` | `{"application-id":…,"maximum-resource-capability":{…}}` |
//! | `POST /ws/v1/cluster/apps[?user.name=…]` with an `application-submission-context` | 202, `Location: …/apps/<id>` |
//! | `GET /ws/v1/cluster/apps/{id}` | `{"app":{…}}` |
//! | `GET`/`PUT /ws/v1/cluster/apps/{id}/state` | `{"state":…}`; PUT `{"state":"KILLED"}` kills |
//! | `GET`/`PUT /ws/v1/cluster/apps/{id}/priority`, `…/queue` | `{"priority":n}`, `{"queue":…}` |
//! | `GET …/apps/{id}/timeouts`, `…/timeouts/LIFETIME`; `PUT …/apps/{id}/timeout` | `{"timeouts":{"timeout":[…]}}`, `{"timeout":{…}}` |
//! | `GET …/apps/{id}/appattempts[/{attempt}[/containers[/{container}]]]` | attempts and their containers |
//! | `POST /ws/v1/cluster/containers/{container}/signal/{command}` | signals the container |
//! | `GET …/reservation/list` | `{"reservations":[]}`: there are none |
//! | `POST …/reservation/…`, `…/delegation-token…` | YARN's refusals on a cluster without a reservation system or Kerberos |
//!
//! * the web UI, `/cluster/...` ([`ui`]);
//! * the web proxy, `/proxy/<application>/...` ([`proxy`]).
//!
//! Documents are JSON, or XML when `Accept` asks for it. Errors are `RemoteException` documents:
//! 404 for unknown applications and paths, 400 for bad ids, parameters and bodies, 405 for a
//! wrong method (with `Allow`), 406 when neither JSON nor XML is acceptable, 408/413/415 for
//! slow, large or non-JSON bodies. Requests without `user.name` act as `dr.who`, Hadoop's static
//! web user.

pub mod app_parts;
pub mod error;
pub mod json;
pub mod proxy;
pub mod routes;
pub mod scheduler;
pub mod server;
pub mod submission;
pub mod ui;

pub use error::RestError;
pub use server::{RestConfig, RestServer};
