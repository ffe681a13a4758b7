//! [`YarnError`]: the failures of a YARN call, sorted into what callers react to while keeping
//! the Java exception class name of every remote error.

use crate::ipc::{IpcError, RemoteError};
use crate::java_class;

/// Declares the Java exception classes a YARN server throws as constants, and, for those a
/// caller reacts to, the [`YarnError`] variant they sort into (matched by simple class name).
macro_rules! java_classes {
    ($($(#[$doc:meta])* $name:ident = $class:expr $(=> $variant:ident)?;)*) => {
        $($(#[$doc])* pub const $name: &str = $class;)*

        /// The variant of a remote error whose simple class name is `simple`, if it is sorted.
        fn sorted_by_class(simple: &str) -> Option<fn(RemoteError) -> YarnError> {
            $($(
                if simple == simple_class_name($class) {
                    return Some(YarnError::$variant);
                }
            )?)*
            None
        }
    };
}

java_classes! {
    /// Java class of "the AM is not registered (any more)" (RM restart or failover).
    APPLICATION_MASTER_NOT_REGISTERED =
        "org.apache.hadoop.yarn.exceptions.ApplicationMasterNotRegisteredException"
        => NotRegistered;
    /// Java class of "the attempt is gone".
    APPLICATION_ATTEMPT_NOT_FOUND =
        "org.apache.hadoop.yarn.exceptions.ApplicationAttemptNotFoundException" => AttemptNotFound;
    /// Java class of "no such application".
    APPLICATION_NOT_FOUND =
        "org.apache.hadoop.yarn.exceptions.ApplicationNotFoundException" => ApplicationNotFound;
    /// Java class of a rejected resource request.
    INVALID_RESOURCE_REQUEST =
        "org.apache.hadoop.yarn.exceptions.InvalidResourceRequestException"
        => InvalidResourceRequest;
    /// Java class of a malformed AM request (bad response id, registered twice, ...).
    INVALID_APPLICATION_MASTER_REQUEST =
        "org.apache.hadoop.yarn.exceptions.InvalidApplicationMasterRequestException"
        => InvalidApplicationMasterRequest;
    /// Java class of a release of a container the AM does not own.
    INVALID_CONTAINER_RELEASE =
        "org.apache.hadoop.yarn.exceptions.InvalidContainerReleaseException"
        => InvalidContainerRelease;
    /// Java class of a token the server does not accept.
    INVALID_TOKEN = java_class::INVALID_TOKEN => InvalidToken;
    /// Java class of an authorization failure.
    ACCESS_CONTROL = java_class::ACCESS_CONTROL => AccessDenied;
    /// Java class of a refused protocol authorization (service-level ACLs).
    AUTHORIZATION = java_class::AUTHORIZATION => AccessDenied;
    /// Java class of a generic YARN failure.
    YARN_EXCEPTION = "org.apache.hadoop.yarn.exceptions.YarnException";
    /// Java class of a submission without an application id.
    APPLICATION_ID_NOT_PROVIDED =
        "org.apache.hadoop.yarn.exceptions.ApplicationIdNotProvidedException";
    /// Java class of an unknown container.
    CONTAINER_NOT_FOUND = "org.apache.hadoop.yarn.exceptions.ContainerNotFoundException";
    /// Java class of a call to a YARN feature that is switched off.
    FEATURE_NOT_ENABLED = "org.apache.hadoop.yarn.exceptions.YARNFeatureNotEnabledException";
}

/// A Java class name after its last `.` or `$` (`SecretManager$InvalidToken` → `InvalidToken`).
fn simple_class_name(class: &str) -> &str {
    class.rsplit(['.', '$']).next().unwrap_or_default()
}

/// Why a YARN call failed.
#[derive(Debug, thiserror::Error)]
pub enum YarnError {
    /// `ApplicationMasterNotRegisteredException`: register again, re-send all outstanding asks,
    /// releases and blacklist, then allocate again.
    #[error("application master not registered: {0}")]
    NotRegistered(RemoteError),
    /// `ApplicationAttemptNotFoundException`: the attempt is gone; the AM should exit.
    #[error("application attempt not found: {0}")]
    AttemptNotFound(RemoteError),
    /// `ApplicationNotFoundException`.
    #[error("application not found: {0}")]
    ApplicationNotFound(RemoteError),
    /// `InvalidResourceRequestException`.
    #[error("invalid resource request: {0}")]
    InvalidResourceRequest(RemoteError),
    /// `InvalidApplicationMasterRequestException` (e.g. wrong response id, registered twice).
    #[error("invalid application master request: {0}")]
    InvalidApplicationMasterRequest(RemoteError),
    /// `InvalidContainerReleaseException`.
    #[error("invalid container release: {0}")]
    InvalidContainerRelease(RemoteError),
    /// `SecretManager$InvalidToken`: the token was refused (expired, unknown key, ...).
    #[error("invalid token: {0}")]
    InvalidToken(RemoteError),
    /// `AccessControlException`, or the YarnException a real RM/NM throws for a caller with no
    /// AMRMToken / NMToken: the call needs other credentials.
    #[error("access denied: {0}")]
    AccessDenied(RemoteError),
    /// SASL authentication failed (wrong password, no acceptable mechanism, ...).
    #[error("authentication failed: {0}")]
    Authentication(IpcError),
    /// Any other exception the server reported.
    #[error("{0}")]
    Other(RemoteError),
    /// The credentials hold no token of the kind this protocol needs.
    #[error("no {kind} token in the credentials; YARN needs it for SASL TOKEN authentication")]
    NoToken {
        /// The token kind looked for.
        kind: &'static str,
    },
    /// The call did not complete: connect failure, timeout, connection lost, protocol error.
    #[error("{0}")]
    Transport(IpcError),
}

impl YarnError {
    /// The remote error, when the server reported one.
    pub fn remote(&self) -> Option<&RemoteError> {
        match self {
            YarnError::NotRegistered(r)
            | YarnError::AttemptNotFound(r)
            | YarnError::ApplicationNotFound(r)
            | YarnError::InvalidResourceRequest(r)
            | YarnError::InvalidApplicationMasterRequest(r)
            | YarnError::InvalidContainerRelease(r)
            | YarnError::InvalidToken(r)
            | YarnError::AccessDenied(r)
            | YarnError::Other(r) => Some(r),
            YarnError::Authentication(e) | YarnError::Transport(e) => e.remote(),
            YarnError::NoToken { .. } => None,
        }
    }

    /// The Java exception class name, when the server reported one.
    pub fn class_name(&self) -> Option<&str> {
        self.remote().map(|r| r.class_name.as_str())
    }

    /// Sorts a remote error by its class.
    pub fn from_remote(remote: RemoteError) -> YarnError {
        let simple = simple_class_name(&remote.class_name);
        if let Some(variant) = sorted_by_class(simple) {
            return variant(remote);
        }
        // Real RMs and NMs refuse a caller without the right token with a plain
        // YarnException; its message is the only thing that tells it apart.
        if simple == simple_class_name(YARN_EXCEPTION) && is_missing_token_message(&remote.message)
        {
            return YarnError::AccessDenied(remote);
        }
        YarnError::Other(remote)
    }

    /// Whether retrying the same call later may succeed (transport failures only; a FATAL
    /// remote error closed the connection but is not retriable by itself).
    pub fn is_transport(&self) -> bool {
        matches!(self, YarnError::Transport(_))
    }
}

/// Whether a YarnException's message is an RM's or NM's refusal of a caller that did not
/// authenticate with an AMRMToken / NMToken (`YarnServerSecurityUtils`, `ContainerManagerImpl`).
fn is_missing_token_message(message: &str) -> bool {
    message.starts_with("No AMRMToken found for user")
        || message.starts_with("Got exception while looking for AMRMToken")
        || message.starts_with("Invalid NMToken")
}

impl From<IpcError> for YarnError {
    fn from(e: IpcError) -> Self {
        if let IpcError::Remote(r) = &e {
            let sorted = YarnError::from_remote(r.clone());
            if !matches!(sorted, YarnError::Other(_)) {
                return sorted;
            }
        }
        if e.is_auth_failure() {
            return YarnError::Authentication(e);
        }
        match e {
            IpcError::Remote(r) => YarnError::Other(r),
            other => YarnError::Transport(other),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn remote(class: &str, code: Option<i32>, fatal: bool) -> RemoteError {
        RemoteError {
            class_name: class.into(),
            message: "msg".into(),
            code,
            fatal,
        }
    }

    #[test]
    fn sorts_by_class_and_keeps_it() {
        let e = YarnError::from(IpcError::Remote(remote(
            APPLICATION_MASTER_NOT_REGISTERED,
            Some(1),
            false,
        )));
        assert!(matches!(e, YarnError::NotRegistered(_)));
        assert_eq!(e.class_name(), Some(APPLICATION_MASTER_NOT_REGISTERED));
        let e = YarnError::from(IpcError::Remote(remote(INVALID_TOKEN, Some(15), true)));
        assert!(matches!(e, YarnError::InvalidToken(_)));
        let e = YarnError::from(IpcError::Remote(remote(
            "javax.security.sasl.SaslException",
            Some(15),
            true,
        )));
        assert!(matches!(e, YarnError::Authentication(_)));
        assert_eq!(e.class_name(), Some("javax.security.sasl.SaslException"));
        let e = YarnError::from(IpcError::Remote(remote(YARN_EXCEPTION, Some(1), false)));
        assert!(matches!(e, YarnError::Other(_)));
        let e = YarnError::from(IpcError::Protocol("bad frame".into()));
        assert!(e.is_transport());
        assert_eq!(e.class_name(), None);
        let e = YarnError::from(IpcError::Auth("no mechanism".into()));
        assert!(matches!(e, YarnError::Authentication(_)));
    }

    #[test]
    fn every_class_of_the_table_sorts_into_its_variant() {
        use std::mem::discriminant;
        type Variant = fn(RemoteError) -> YarnError;
        let cases: [(&str, &str, Variant); 10] = [
            (
                APPLICATION_ATTEMPT_NOT_FOUND,
                "",
                YarnError::AttemptNotFound,
            ),
            (APPLICATION_NOT_FOUND, "", YarnError::ApplicationNotFound),
            (
                INVALID_RESOURCE_REQUEST,
                "",
                YarnError::InvalidResourceRequest,
            ),
            (
                INVALID_APPLICATION_MASTER_REQUEST,
                "",
                YarnError::InvalidApplicationMasterRequest,
            ),
            (
                INVALID_CONTAINER_RELEASE,
                "",
                YarnError::InvalidContainerRelease,
            ),
            (ACCESS_CONTROL, "", YarnError::AccessDenied),
            (AUTHORIZATION, "", YarnError::AccessDenied),
            // By simple name: the package does not matter.
            (
                "com.example.AccessControlException",
                "",
                YarnError::AccessDenied,
            ),
            (
                YARN_EXCEPTION,
                "Invalid NMToken: no NMToken for u",
                YarnError::AccessDenied,
            ),
            (YARN_EXCEPTION, "boom", YarnError::Other),
        ];
        for (class, message, expected) in cases {
            let mut r = remote(class, None, false);
            r.message = message.into();
            let sorted = YarnError::from_remote(r.clone());
            assert_eq!(
                discriminant(&sorted),
                discriminant(&expected(r)),
                "{class} {message:?}: {sorted:?}"
            );
            assert_eq!(sorted.class_name(), Some(class));
        }
    }
}
