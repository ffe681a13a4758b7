//! The `application-submission-context` JSON body of `POST /ws/v1/cluster/apps`, with Hadoop's
//! field names (`application-id`, `am-container-spec`, `local-resources.entry[]`, …), and its
//! conversion to the [`ApplicationSubmissionContextProto`] the IPC face receives.
//!
//! Reading is lenient where Jackson is (a one-element list may be a single object, numbers may
//! come as strings, `null` means absent, unknown fields are ignored) and strict where the RM is
//! (unknown enum names, bad ids, bad base64, tag limits): those are [`BodyError`]s.

use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD_INDIFFERENT;
use serde::{Deserialize, Deserializer};
use spindle_protocol::credentials::Credentials;
use spindle_protocol::ids::ApplicationId;
use spindle_protocol::proto::yarn::*;
use spindle_protocol::token::Token;

use super::json::ResourceInfo;
use crate::resources::Resources;

/// At most this many application tags (`YarnConfiguration.APPLICATION_MAX_TAGS`).
pub const MAX_TAGS: usize = 10;
/// At most this many characters per tag (`YarnConfiguration.APPLICATION_MAX_TAG_LENGTH`).
pub const MAX_TAG_LENGTH: usize = 100;

/// Why a submission body cannot become a submission context.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("invalid '{field}' in the application-submission-context: {reason}")]
pub struct BodyError {
    /// The JSON field (dotted path).
    pub field: String,
    /// What is wrong with it.
    pub reason: String,
}

fn body_err(field: impl Into<String>, reason: impl Into<String>) -> BodyError {
    BodyError {
        field: field.into(),
        reason: reason.into(),
    }
}

// ---------------------------------------------------------------------------------------------
// Lenient scalars
// ---------------------------------------------------------------------------------------------

#[derive(Deserialize)]
#[serde(untagged)]
enum Scalar {
    Str(String),
    Int(i64),
    Float(f64),
    Bool(bool),
}

impl Scalar {
    fn into_string(self) -> String {
        match self {
            Scalar::Str(s) => s,
            Scalar::Int(i) => i.to_string(),
            Scalar::Float(f) => f.to_string(),
            Scalar::Bool(b) => b.to_string(),
        }
    }
}

/// A string that may arrive as any JSON scalar (Jackson coerces them).
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct LenientString(pub String);

impl<'de> Deserialize<'de> for LenientString {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        Ok(LenientString(Scalar::deserialize(d)?.into_string()))
    }
}

fn lenient_i64<'de, D: Deserializer<'de>>(d: D) -> Result<Option<i64>, D::Error> {
    match Option::<Scalar>::deserialize(d)? {
        None => Ok(None),
        Some(Scalar::Int(i)) => Ok(Some(i)),
        Some(Scalar::Str(s)) if s.trim().is_empty() => Ok(None),
        Some(Scalar::Str(s)) => s
            .trim()
            .parse()
            .map(Some)
            .map_err(|_| serde::de::Error::custom(format!("'{s}' is not an integer"))),
        Some(Scalar::Float(f)) if f.fract() == 0.0 && f.abs() < 9.0e15 => Ok(Some(f as i64)),
        Some(other) => Err(serde::de::Error::custom(format!(
            "'{}' is not an integer",
            other.into_string()
        ))),
    }
}

fn lenient_bool<'de, D: Deserializer<'de>>(d: D) -> Result<Option<bool>, D::Error> {
    match Option::<Scalar>::deserialize(d)? {
        None => Ok(None),
        Some(Scalar::Bool(b)) => Ok(Some(b)),
        Some(Scalar::Str(s)) if s.trim().eq_ignore_ascii_case("true") => Ok(Some(true)),
        Some(Scalar::Str(s)) if s.trim().eq_ignore_ascii_case("false") => Ok(Some(false)),
        Some(other) => Err(serde::de::Error::custom(format!(
            "'{}' is not a boolean",
            other.into_string()
        ))),
    }
}

fn lenient_string<'de, D: Deserializer<'de>>(d: D) -> Result<Option<String>, D::Error> {
    Ok(Option::<Scalar>::deserialize(d)?.map(Scalar::into_string))
}

/// One value or a list of them (Jersey's JSON writes a one-element list as the element).
#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(untagged)]
pub enum OneOrMany<T> {
    /// A list.
    Many(Vec<T>),
    /// A single value.
    One(T),
}

impl<T> OneOrMany<T> {
    fn into_vec(self) -> Vec<T> {
        match self {
            OneOrMany::Many(v) => v,
            OneOrMany::One(t) => vec![t],
        }
    }
}

/// A JAXB map: `{"entry":[{"key":…,"value":…}, …]}`.
#[derive(Debug, Clone, PartialEq, Deserialize)]
pub struct Entries<V> {
    /// The entries.
    #[serde(default = "none")]
    pub entry: Option<OneOrMany<Entry<V>>>,
}

fn none<T>() -> Option<T> {
    None
}

/// One map entry.
#[derive(Debug, Clone, PartialEq, Deserialize)]
pub struct Entry<V> {
    /// The key.
    pub key: LenientString,
    /// The value.
    pub value: Option<V>,
}

impl<V> Entries<V> {
    fn into_pairs(self) -> Vec<(String, Option<V>)> {
        self.entry
            .map(OneOrMany::into_vec)
            .unwrap_or_default()
            .into_iter()
            .map(|e| (e.key.0, e.value))
            .collect()
    }
}

fn pairs<V>(e: Option<Entries<V>>) -> Vec<(String, Option<V>)> {
    e.map(Entries::into_pairs).unwrap_or_default()
}

// ---------------------------------------------------------------------------------------------
// The body
// ---------------------------------------------------------------------------------------------

/// `ApplicationSubmissionContextInfo`.
#[derive(Debug, Clone, Default, PartialEq, Deserialize)]
#[serde(default)]
pub struct SubmissionInfo {
    /// `application-id` (required).
    #[serde(rename = "application-id", deserialize_with = "lenient_string")]
    pub application_id: Option<String>,
    /// `application-name`.
    #[serde(rename = "application-name", deserialize_with = "lenient_string")]
    pub application_name: Option<String>,
    /// `queue`.
    #[serde(deserialize_with = "lenient_string")]
    pub queue: Option<String>,
    /// `priority`.
    #[serde(deserialize_with = "lenient_i64")]
    pub priority: Option<i64>,
    /// `am-container-spec`.
    #[serde(rename = "am-container-spec")]
    pub am_container_spec: Option<LaunchContextInfo>,
    /// `unmanaged-AM`.
    #[serde(rename = "unmanaged-AM", deserialize_with = "lenient_bool")]
    pub unmanaged_am: Option<bool>,
    /// `cancel-tokens-when-complete`.
    #[serde(
        rename = "cancel-tokens-when-complete",
        deserialize_with = "lenient_bool"
    )]
    pub cancel_tokens_when_complete: Option<bool>,
    /// `max-app-attempts`.
    #[serde(rename = "max-app-attempts", deserialize_with = "lenient_i64")]
    pub max_app_attempts: Option<i64>,
    /// `resource` of the AM container.
    pub resource: Option<ResourceInfo>,
    /// `application-type`.
    #[serde(rename = "application-type", deserialize_with = "lenient_string")]
    pub application_type: Option<String>,
    /// `keep-containers-across-application-attempts`.
    #[serde(
        rename = "keep-containers-across-application-attempts",
        deserialize_with = "lenient_bool"
    )]
    pub keep_containers: Option<bool>,
    /// `application-tags`: `{"tag":[…]}`.
    #[serde(rename = "application-tags")]
    pub application_tags: Option<TagsInfo>,
    /// `app-node-label-expression`.
    #[serde(
        rename = "app-node-label-expression",
        deserialize_with = "lenient_string"
    )]
    pub app_node_label_expression: Option<String>,
    /// `am-container-node-label-expression`.
    #[serde(
        rename = "am-container-node-label-expression",
        deserialize_with = "lenient_string"
    )]
    pub am_container_node_label_expression: Option<String>,
    /// `log-aggregation-context`.
    #[serde(rename = "log-aggregation-context")]
    pub log_aggregation_context: Option<LogAggregationInfo>,
    /// `attempt-failures-validity-interval` (ms).
    #[serde(
        rename = "attempt-failures-validity-interval",
        deserialize_with = "lenient_i64"
    )]
    pub attempt_failures_validity_interval: Option<i64>,
    /// `reservation-id`.
    #[serde(rename = "reservation-id", deserialize_with = "lenient_string")]
    pub reservation_id: Option<String>,
}

/// `{"tag":[…]}`.
#[derive(Debug, Clone, PartialEq, Deserialize)]
pub struct TagsInfo {
    /// The tags.
    pub tag: Option<OneOrMany<LenientString>>,
}

/// `LogAggregationContextInfo`.
#[derive(Debug, Clone, Default, PartialEq, Deserialize)]
#[serde(default)]
pub struct LogAggregationInfo {
    /// `log-include-pattern`.
    #[serde(rename = "log-include-pattern")]
    pub include_pattern: Option<String>,
    /// `log-exclude-pattern`.
    #[serde(rename = "log-exclude-pattern")]
    pub exclude_pattern: Option<String>,
    /// `rolled-log-include-pattern`.
    #[serde(rename = "rolled-log-include-pattern")]
    pub rolled_include_pattern: Option<String>,
    /// `rolled-log-exclude-pattern`.
    #[serde(rename = "rolled-log-exclude-pattern")]
    pub rolled_exclude_pattern: Option<String>,
    /// `log-aggregation-policy-class-name`.
    #[serde(rename = "log-aggregation-policy-class-name")]
    pub policy_class_name: Option<String>,
    /// `log-aggregation-policy-parameters`.
    #[serde(rename = "log-aggregation-policy-parameters")]
    pub policy_parameters: Option<String>,
}

/// `ContainerLaunchContextInfo`.
#[derive(Debug, Clone, Default, PartialEq, Deserialize)]
#[serde(default)]
pub struct LaunchContextInfo {
    /// `local-resources`: link name → resource.
    #[serde(rename = "local-resources")]
    pub local_resources: Option<Entries<LocalResourceInfo>>,
    /// `environment`.
    pub environment: Option<Entries<LenientString>>,
    /// `commands`: `{"command": "…" | ["…", …]}`.
    pub commands: Option<CommandsInfo>,
    /// `service-data`: aux service → base64.
    #[serde(rename = "service-data")]
    pub service_data: Option<Entries<LenientString>>,
    /// `credentials`.
    pub credentials: Option<CredentialsInfo>,
    /// `application-acls`: `VIEW_APP`/`MODIFY_APP` → users.
    #[serde(rename = "application-acls")]
    pub application_acls: Option<Entries<LenientString>>,
}

/// `{"command": …}`.
#[derive(Debug, Clone, PartialEq, Deserialize)]
pub struct CommandsInfo {
    /// The commands.
    pub command: Option<OneOrMany<LenientString>>,
}

/// `CredentialsInfo`.
#[derive(Debug, Clone, Default, PartialEq, Deserialize)]
#[serde(default)]
pub struct CredentialsInfo {
    /// alias → `Token.encodeToUrlString` form.
    pub tokens: Option<Entries<LenientString>>,
    /// alias → base64 secret.
    pub secrets: Option<Entries<LenientString>>,
}

/// `LocalResourceInfo`.
#[derive(Debug, Clone, Default, PartialEq, Deserialize)]
#[serde(default)]
pub struct LocalResourceInfo {
    /// `resource`: the URI.
    #[serde(deserialize_with = "lenient_string")]
    pub resource: Option<String>,
    /// `type`: `FILE`, `ARCHIVE` or `PATTERN`.
    #[serde(rename = "type", deserialize_with = "lenient_string")]
    pub kind: Option<String>,
    /// `visibility`: `PUBLIC`, `PRIVATE` or `APPLICATION`.
    #[serde(deserialize_with = "lenient_string")]
    pub visibility: Option<String>,
    /// `size` in bytes.
    #[serde(deserialize_with = "lenient_i64")]
    pub size: Option<i64>,
    /// `timestamp` (ms).
    #[serde(deserialize_with = "lenient_i64")]
    pub timestamp: Option<i64>,
    /// `pattern` (PATTERN resources).
    #[serde(deserialize_with = "lenient_string")]
    pub pattern: Option<String>,
}

// ---------------------------------------------------------------------------------------------
// Conversion
// ---------------------------------------------------------------------------------------------

/// Decodes base64 the way commons-codec's URL-safe decoder does: either alphabet, padding
/// optional, whitespace ignored.
pub fn decode_base64(s: &str) -> Result<Vec<u8>, String> {
    let clean: String = s
        .chars()
        .filter(|c| !c.is_whitespace())
        .map(|c| match c {
            '+' => '-',
            '/' => '_',
            c => c,
        })
        .collect();
    URL_SAFE_NO_PAD_INDIFFERENT
        .decode(clean.trim_end_matches('='))
        .map_err(|e| format!("not base64: {e}"))
}

fn i32_field(field: &str, v: i64) -> Result<i32, BodyError> {
    i32::try_from(v).map_err(|_| body_err(field, format!("{v} does not fit in 32 bits")))
}

fn local_resource(name: &str, l: LocalResourceInfo) -> Result<LocalResourceProto, BodyError> {
    let field = |f: &str| format!("am-container-spec.local-resources[{name}].{f}");
    let uri = l
        .resource
        .filter(|r| !r.trim().is_empty())
        .ok_or_else(|| body_err(field("resource"), "missing; give the URI to localize"))?;
    let url =
        URLProto::from_uri(uri.trim()).map_err(|e| body_err(field("resource"), e.to_string()))?;
    let kind = l.kind.as_deref().map(str::trim);
    let kind = kind
        .and_then(LocalResourceTypeProto::from_java_name)
        .ok_or_else(|| {
            body_err(
                field("type"),
                format!("{kind:?} is not one of FILE, ARCHIVE, PATTERN"),
            )
        })?;
    let visibility = l.visibility.as_deref().map(str::trim);
    let visibility = visibility
        .and_then(LocalResourceVisibilityProto::from_java_name)
        .ok_or_else(|| {
            body_err(
                field("visibility"),
                format!("{visibility:?} is not one of PUBLIC, PRIVATE, APPLICATION"),
            )
        })?;
    let size = l.size.unwrap_or(0);
    if size <= 0 {
        return Err(body_err(field("size"), "size must be greater than 0"));
    }
    let timestamp = l.timestamp.unwrap_or(0);
    if timestamp <= 0 {
        return Err(body_err(
            field("timestamp"),
            "timestamp must be greater than 0",
        ));
    }
    let mut p = LocalResourceProto::new(url, size, timestamp, kind, visibility);
    p.pattern = l.pattern.filter(|s| !s.is_empty());
    Ok(p)
}

fn credentials(c: CredentialsInfo) -> Result<Credentials, BodyError> {
    let mut creds = Credentials::new();
    for (alias, value) in pairs(c.tokens) {
        let field = format!("am-container-spec.credentials.tokens[{alias}]");
        let value = value.ok_or_else(|| body_err(&field, "no token"))?;
        let token = Token::decode_url_string(&value.0).map_err(|e| {
            body_err(
                &field,
                format!("Could not parse credentials data; exception message = {e}"),
            )
        })?;
        creds.add_token(alias, token);
    }
    for (alias, value) in pairs(c.secrets) {
        let field = format!("am-container-spec.credentials.secrets[{alias}]");
        let value = value.ok_or_else(|| body_err(&field, "no secret"))?;
        let secret = decode_base64(&value.0).map_err(|e| body_err(&field, e))?;
        creds.add_secret(alias, secret);
    }
    Ok(creds)
}

fn launch_context(l: LaunchContextInfo) -> Result<ContainerLaunchContextProto, BodyError> {
    let mut clc = ContainerLaunchContextProto::default();
    for (name, value) in pairs(l.local_resources) {
        let value = value.ok_or_else(|| {
            body_err(
                format!("am-container-spec.local-resources[{name}]"),
                "no value",
            )
        })?;
        clc.local_resources.push(StringLocalResourceMapProto::new(
            name.clone(),
            local_resource(&name, value)?,
        ));
    }
    for (key, value) in pairs(l.environment) {
        clc.add_env(key, value.map(|v| v.0).unwrap_or_default());
    }
    if let Some(c) = l.commands.and_then(|c| c.command) {
        clc.command = c.into_vec().into_iter().map(|s| s.0).collect();
    }
    for (service, value) in pairs(l.service_data) {
        let field = format!("am-container-spec.service-data[{service}]");
        let bytes = decode_base64(&value.map(|v| v.0).unwrap_or_default())
            .map_err(|e| body_err(&field, e))?;
        clc.service_data
            .push(StringBytesMapProto::new(service, bytes));
    }
    if let Some(c) = l.credentials {
        clc.set_credentials(&credentials(c)?);
    }
    for (kind, users) in pairs(l.application_acls) {
        let access = match kind.trim() {
            "VIEW_APP" => ApplicationAccessTypeProto::AppaccessViewApp,
            "MODIFY_APP" => ApplicationAccessTypeProto::AppaccessModifyApp,
            other => {
                return Err(body_err(
                    "am-container-spec.application-acls",
                    format!("'{other}' is not VIEW_APP or MODIFY_APP"),
                ));
            }
        };
        clc.application_acls.push(ApplicationACLMapProto {
            access_type: Some(access as i32),
            acl: Some(users.map(|u| u.0).unwrap_or_default()),
        });
    }
    Ok(clc)
}

fn tags(t: Option<TagsInfo>) -> Result<Vec<String>, BodyError> {
    let mut out: Vec<String> = Vec::new();
    for tag in t
        .and_then(|t| t.tag)
        .map(OneOrMany::into_vec)
        .unwrap_or_default()
    {
        let tag = tag.0.trim().to_lowercase();
        if tag.is_empty() || out.contains(&tag) {
            continue;
        }
        if !tag.is_ascii() {
            return Err(body_err(
                "application-tags",
                format!("a tag can only have ASCII characters; invalid tag '{tag}'"),
            ));
        }
        if tag.len() > MAX_TAG_LENGTH {
            return Err(body_err(
                "application-tags",
                format!("tag '{tag}' is too long; the maximum length of a tag is {MAX_TAG_LENGTH}"),
            ));
        }
        out.push(tag);
    }
    if out.len() > MAX_TAGS {
        return Err(body_err(
            "application-tags",
            format!(
                "too many tags ({}); at most {MAX_TAGS} are allowed",
                out.len()
            ),
        ));
    }
    Ok(out)
}

/// The submission context the RM's `submitApplication` receives for this body, and its id.
pub fn submission_context(
    info: SubmissionInfo,
) -> Result<(ApplicationId, ApplicationSubmissionContextProto), BodyError> {
    let raw_id = info
        .application_id
        .as_deref()
        .map(str::trim)
        .filter(|s| !s.is_empty())
        .ok_or_else(|| {
            body_err(
                "application-id",
                "missing; get one from POST /ws/v1/cluster/apps/new-application first",
            )
        })?;
    let id: ApplicationId = raw_id
        .parse()
        .map_err(|e: spindle_protocol::ids::IdError| body_err("application-id", e.to_string()))?;
    let resource = info.resource.unwrap_or_default();
    let resource = Resources::new(resource.memory, resource.v_cores);
    if let Some(t) = resource.negative_type() {
        return Err(body_err(
            "resource",
            format!("{t} must not be negative ({resource})"),
        ));
    }
    let priority = info
        .priority
        .map(|p| i32_field("priority", p))
        .transpose()?;
    let max_attempts = info
        .max_app_attempts
        .map(|m| i32_field("max-app-attempts", m))
        .transpose()?;
    let log_aggregation = info
        .log_aggregation_context
        .map(|l| LogAggregationContextProto {
            include_pattern: l.include_pattern,
            exclude_pattern: l.exclude_pattern,
            rolled_logs_include_pattern: l.rolled_include_pattern,
            rolled_logs_exclude_pattern: l.rolled_exclude_pattern,
            log_aggregation_policy_class_name: l.policy_class_name,
            log_aggregation_policy_parameters: l.policy_parameters,
        });
    let non_empty = |s: Option<String>| s.map(|s| s.trim().to_string()).filter(|s| !s.is_empty());
    let ctx = ApplicationSubmissionContextProto {
        application_id: Some(id.to_proto()),
        application_name: non_empty(info.application_name),
        queue: Some(non_empty(info.queue).unwrap_or_else(|| "default".into())),
        priority: priority.map(PriorityProto::new),
        am_container_spec: Some(launch_context(info.am_container_spec.unwrap_or_default())?),
        cancel_tokens_when_complete: Some(info.cancel_tokens_when_complete.unwrap_or(true)),
        unmanaged_am: Some(info.unmanaged_am.unwrap_or(false)),
        max_app_attempts: Some(max_attempts.unwrap_or(0)),
        resource: Some(resource.to_proto()),
        application_type: non_empty(info.application_type),
        keep_containers_across_application_attempts: Some(info.keep_containers.unwrap_or(false)),
        application_tags: tags(info.application_tags)?,
        attempt_failures_validity_interval: Some(
            info.attempt_failures_validity_interval.unwrap_or(-1),
        ),
        log_aggregation_context: log_aggregation,
        node_label_expression: non_empty(info.app_node_label_expression),
        ..Default::default()
    };
    Ok((id, ctx))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse(body: &str) -> Result<(ApplicationId, ApplicationSubmissionContextProto), String> {
        let info: SubmissionInfo = serde_json::from_str(body).map_err(|e| e.to_string())?;
        submission_context(info).map_err(|e| e.to_string())
    }

    #[test]
    fn hadoop_doc_example_converts() {
        let body = r#"{
          "application-id":"application_1404203615263_0001",
          "application-name":"test",
          "am-container-spec":{
            "local-resources":{"entry":[{"key":"AppMaster.jar","value":{
              "resource":"hdfs://hdfs-namenode:9000/user/testuser/AppMaster.jar",
              "type":"FILE","visibility":"APPLICATION","size": 43004,"timestamp": 1405452071209}}]},
            "commands":{"command":"{{JAVA_HOME}}/bin/java -Xmx10m Main 1><LOG_DIR>/AppMaster.stdout"},
            "environment":{"entry":[{"key":"DISTRIBUTEDSHELLSCRIPTLEN","value":6},
                                    {"key":"CLASSPATH","value":"./*"}]},
            "service-data":{"entry":{"key":"test","value":"dmFsdWUxMg"}},
            "credentials":{"tokens":null,"secrets":{"entry":[{"key":"secret1","value":"c2VjcmV0MQ=="}]}},
            "application-acls":{"entry":[{"key":"VIEW_APP","value":"u3, u4"}]}
          },
          "unmanaged-AM":false,
          "max-app-attempts":"2",
          "resource":{"memory":1024,"vCores":1},
          "application-type":"YARN",
          "keep-containers-across-application-attempts":false,
          "application-tags":{"tag":["Tag 2","tag1"]},
          "some-future-field": {"ignored": true}
        }"#;
        let (id, ctx) = parse(body).expect("valid");
        assert_eq!(id.to_string(), "application_1404203615263_0001");
        assert_eq!(ctx.application_name.as_deref(), Some("test"));
        assert_eq!(ctx.max_app_attempts, Some(2));
        assert_eq!(ctx.application_tags, vec!["tag 2", "tag1"]);
        let r = Resources::from_proto(ctx.resource.as_ref().expect("resource"));
        assert_eq!((r.memory_mb, r.vcores), (1024, 1));
        let clc = ctx.am_container_spec.expect("clc");
        assert_eq!(clc.command.len(), 1);
        assert_eq!(clc.env("DISTRIBUTEDSHELLSCRIPTLEN"), Some("6"));
        assert_eq!(clc.local_resources.len(), 1);
        let lr = clc.local_resources[0].value.as_ref().expect("lr");
        assert_eq!(lr.size, Some(43004));
        assert_eq!(
            lr.resource.as_ref().and_then(|u| u.host.as_deref()),
            Some("hdfs-namenode")
        );
        assert_eq!(clc.service_data[0].value.as_deref(), Some(&b"value12"[..]));
        let creds = clc.credentials().expect("creds");
        assert_eq!(creds.secret("secret1"), Some(&b"secret1"[..]));
        assert_eq!(clc.application_acls.len(), 1);
    }

    #[test]
    fn bad_bodies_are_errors_not_panics() {
        for (body, needle) in [
            (r#"{}"#, "application-id"),
            (r#"{"application-id":"app_1_1"}"#, "application-id"),
            (
                r#"{"application-id":"application_1_1","max-app-attempts":"x"}"#,
                "integer",
            ),
            (
                r#"{"application-id":"application_1_1","max-app-attempts":99999999999}"#,
                "32 bits",
            ),
            (
                r#"{"application-id":"application_1_1","resource":{"memory":-1}}"#,
                "negative",
            ),
            (
                r#"{"application-id":"application_1_1","am-container-spec":{"local-resources":{"entry":{"key":"a","value":{"resource":"hdfs://x/a","type":"BLOB","visibility":"PUBLIC","size":1,"timestamp":1}}}}}"#,
                "FILE",
            ),
            (
                r#"{"application-id":"application_1_1","am-container-spec":{"credentials":{"tokens":{"entry":{"key":"t","value":"!!!"}}}}}"#,
                "credentials",
            ),
            (
                r#"{"application-id":"application_1_1","am-container-spec":{"application-acls":{"entry":{"key":"OWN_APP","value":"x"}}}}"#,
                "VIEW_APP",
            ),
            (
                r#"{"application-id":"application_1_1","application-tags":{"tag":["a","b","c","d","e","f","g","h","i","j","k"]}}"#,
                "too many",
            ),
            (r#"{"application-id":["application_1_1"]}"#, "line 1"),
            (r#"{"application-id":"#, "EOF"),
        ] {
            let e = parse(body).expect_err(body);
            assert!(e.contains(needle), "{body}: {e}");
        }
    }

    #[test]
    fn defaults_follow_hadoop() {
        let (_, ctx) = parse(r#"{"application-id":"application_5_0002"}"#).expect("valid");
        assert_eq!(ctx.queue.as_deref(), Some("default"));
        assert_eq!(ctx.cancel_tokens_when_complete, Some(true));
        assert_eq!(ctx.unmanaged_am, Some(false));
        assert_eq!(ctx.max_app_attempts, Some(0));
        assert_eq!(ctx.attempt_failures_validity_interval, Some(-1));
        assert!(ctx.application_type.is_none());
        let r = Resources::from_proto(ctx.resource.as_ref().expect("resource"));
        assert_eq!((r.memory_mb, r.vcores), (0, 0));
    }

    #[test]
    fn base64_accepts_both_alphabets() {
        assert_eq!(decode_base64("c2VjcmV0MQ==").expect("std"), b"secret1");
        assert_eq!(decode_base64("c2VjcmV0MQ").expect("nopad"), b"secret1");
        assert_eq!(decode_base64("-_8").expect("url"), vec![0xfb, 0xff]);
        assert_eq!(
            decode_base64("+/8=").expect("std alphabet"),
            vec![0xfb, 0xff]
        );
        assert!(decode_base64("*").is_err());
    }
}
