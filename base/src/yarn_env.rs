//! The environment YARN gives every container (Hadoop's `ApplicationConstants.Environment`):
//! what the NodeManager's runner (`spindle-launcher`) and the ResourceManager
//! (`spindle-minicluster`, for AM containers) set, and what the ApplicationMaster
//! (`spindle-am`) and executors (`spindle-scheduler`) read. The names are YARN's; one list, so
//! no side misspells them.

/// The container's id (`container_e17_…`).
pub const CONTAINER_ID: &str = "CONTAINER_ID";
/// The host of the NodeManager running the container.
pub const NM_HOST: &str = "NM_HOST";
/// The NodeManager's RPC port.
pub const NM_PORT: &str = "NM_PORT";
/// The NodeManager's web port.
pub const NM_HTTP_PORT: &str = "NM_HTTP_PORT";
/// The application's scratch folders on this node, comma-separated (one per disk).
pub const LOCAL_DIRS: &str = "LOCAL_DIRS";
/// The user's cache folders on this node, comma-separated, each ending in `/`.
pub const LOCAL_USER_DIRS: &str = "LOCAL_USER_DIRS";
/// The container's log folders, comma-separated.
pub const LOG_DIRS: &str = "LOG_DIRS";
/// The user the container runs as.
pub const USER: &str = "USER";
/// The same user, as login programs name it.
pub const LOGNAME: &str = "LOGNAME";
/// The user's home folder.
pub const HOME: &str = "HOME";
/// The container's working folder (where its local resources are linked).
pub const PWD: &str = "PWD";
/// The container's credentials file (tokens and secrets).
pub const HADOOP_TOKEN_FILE_LOCATION: &str = "HADOOP_TOKEN_FILE_LOCATION";
/// AM containers: the path under which the RM's web proxy serves the AM's pages.
pub const APPLICATION_WEB_PROXY_BASE: &str = "APPLICATION_WEB_PROXY_BASE";
/// AM containers: when the application was submitted, ms since the epoch.
pub const APP_SUBMIT_TIME_ENV: &str = "APP_SUBMIT_TIME_ENV";
/// AM containers: how many attempts the application has.
pub const MAX_APP_ATTEMPTS: &str = "MAX_APP_ATTEMPTS";
