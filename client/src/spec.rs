//! The application spec file (TOML): the settings of `spindle submit` in a file, plus executor
//! **roles** (skein's services, TonY's task types): named groups of instances, each running its
//! own command. Unknown keys and wrong types are errors that name the line.
//!
//! ```toml
//! name = "two-roles"
//! num_executors = 3            # ignored with roles: one executor per role instance
//! executor_memory = "256m"
//! files = ["data/words.txt"]
//! env = { GREETING = "hello" }
//! conf = { "spindle.yarn.tags" = "demo" }
//!
//! [[role]]
//! name = "greeter"
//! instances = 2
//! command = "echo $GREETING from $SPINDLE_ROLE $SPINDLE_ROLE_INDEX"
//!
//! [[role]]
//! name = "counter"
//! command = "wc -w < words.txt"
//! ```
//!
//! Exactly one of `driver` (a command, as words), `shell` (a distributed shell command) or
//! `[[role]]` tables says what runs. Roles run under Spindle's built-in role driver: every
//! instance is one shell task with `SPINDLE_ROLE` and `SPINDLE_ROLE_INDEX` set, all of them at
//! once on one executor each; the application succeeds when every instance exited 0 (a failed
//! instance is retried like any task). All executors have one size (the AM runs one resource
//! profile), so roles share `executor_memory` and `executor_cores`.

use std::collections::BTreeMap;
use std::path::Path;

use serde::Deserialize;

use crate::error::ClientError;
use crate::local_file::read_at_most;
use crate::memory::parse_memory_mb;

/// The largest spec file read.
pub const MAX_SPEC_BYTES: u64 = 1024 * 1024;
/// The most instances of one role.
pub const MAX_INSTANCES: u32 = 10_000;
/// Environment variable of a role instance: its role's name.
pub const ENV_ROLE: &str = "SPINDLE_ROLE";
/// Environment variable of a role instance: its index within the role (0-based).
pub const ENV_ROLE_INDEX: &str = "SPINDLE_ROLE_INDEX";

/// One executor role.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RoleSpec {
    /// The role's name (letters, digits, `-`, `_`).
    pub name: String,
    /// How many instances (default 1).
    #[serde(default = "one")]
    pub instances: u32,
    /// The command each instance runs with `sh -c`.
    pub command: String,
    /// Extra environment of its instances.
    #[serde(default)]
    pub env: BTreeMap<String, String>,
}

fn one() -> u32 {
    1
}

/// A spec file's contents. Every field is optional; command-line flags win over it.
#[derive(Debug, Clone, Default, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct AppSpec {
    /// The application's name.
    pub name: Option<String>,
    /// The queue.
    pub queue: Option<String>,
    /// `yarn` or `embedded`.
    pub master: Option<String>,
    /// `cluster` or `client`.
    pub deploy_mode: Option<String>,
    /// Executors wanted.
    pub num_executors: Option<u32>,
    /// Memory of each executor (`512m`, `2g`).
    pub executor_memory: Option<String>,
    /// Cores of each executor.
    pub executor_cores: Option<u32>,
    /// Executor failures that fail the application.
    pub max_executor_failures: Option<u32>,
    /// The executors' program (default: `spindle executor`).
    pub executor_program: Option<String>,
    /// Files to ship (`PATH[#LINK]`).
    #[serde(default)]
    pub files: Vec<String>,
    /// Archives to ship and unpack (`PATH[#LINK]`).
    #[serde(default)]
    pub archives: Vec<String>,
    /// Environment of the driver and the executors.
    #[serde(default)]
    pub env: BTreeMap<String, String>,
    /// Configuration values (`--conf`).
    #[serde(default)]
    pub conf: BTreeMap<String, String>,
    /// The driver command, as words.
    pub driver: Option<Vec<String>>,
    /// A distributed shell command.
    pub shell: Option<String>,
    /// Executor roles.
    #[serde(default, rename = "role")]
    pub roles: Vec<RoleSpec>,
}

/// One role instance as a shell task.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RoleTask {
    /// The role.
    pub role: String,
    /// The instance's index within the role.
    pub index: u32,
    /// The command.
    pub command: String,
    /// Its environment (the role's, then [`ENV_ROLE`] and [`ENV_ROLE_INDEX`]).
    pub env: Vec<(String, String)>,
}

impl AppSpec {
    /// Reads and checks a spec file.
    pub fn from_file(path: &Path) -> Result<Self, ClientError> {
        let what = path.display();
        let bytes =
            read_at_most(path, MAX_SPEC_BYTES, "the spec file").map_err(ClientError::Invalid)?;
        let text = String::from_utf8(bytes)
            .map_err(|_| ClientError::Invalid(format!("the spec file {what} is not UTF-8 text")))?;
        AppSpec::parse(&text).map_err(|e| ClientError::Invalid(format!("{what}: {e}")))
    }

    /// Parses and checks spec text.
    pub fn parse(text: &str) -> Result<Self, String> {
        let spec: AppSpec =
            toml::from_str(text).map_err(|e| e.to_string().trim_end().to_string())?;
        spec.check()?;
        Ok(spec)
    }

    fn check(&self) -> Result<(), String> {
        let kinds = [
            self.driver.is_some(),
            self.shell.is_some(),
            !self.roles.is_empty(),
        ];
        if kinds.iter().filter(|k| **k).count() > 1 {
            return Err("give only one of `driver`, `shell` and `[[role]]`".into());
        }
        if let Some(d) = &self.driver
            && d.first().is_none_or(|w| w.trim().is_empty())
        {
            return Err("`driver` must list the command's words, the program first".into());
        }
        if let Some(m) = &self.master
            && m != "yarn"
            && m != "embedded"
        {
            return Err(format!("master = {m:?}: use \"yarn\" or \"embedded\""));
        }
        if let Some(m) = &self.deploy_mode
            && m != "cluster"
            && m != "client"
        {
            return Err(format!(
                "deploy_mode = {m:?}: use \"cluster\" or \"client\""
            ));
        }
        if let Some(m) = &self.executor_memory {
            parse_memory_mb(m).map_err(|e| format!("executor_memory: {e}"))?;
        }
        if self.executor_cores == Some(0) {
            return Err("executor_cores must be 1 or more".into());
        }
        let mut names = std::collections::BTreeSet::new();
        for r in &self.roles {
            let ok_name = !r.name.is_empty()
                && r.name.len() <= 64
                && r.name
                    .chars()
                    .all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_');
            if !ok_name {
                return Err(format!(
                    "role name {:?}: use 1 to 64 letters, digits, '-' or '_'",
                    r.name
                ));
            }
            if !names.insert(r.name.as_str()) {
                return Err(format!("two roles are named {:?}", r.name));
            }
            if !(1..=MAX_INSTANCES).contains(&r.instances) {
                return Err(format!(
                    "role {:?}: instances must be from 1 to {MAX_INSTANCES}",
                    r.name
                ));
            }
            if r.command.trim().is_empty() {
                return Err(format!("role {:?}: the command is empty", r.name));
            }
        }
        Ok(())
    }

    /// Instances of all roles together.
    pub fn role_instances(&self) -> u32 {
        self.roles.iter().map(|r| r.instances).sum()
    }

    /// Every role instance as a shell task, role by role.
    pub fn role_tasks(&self) -> Vec<RoleTask> {
        let mut tasks = Vec::new();
        for r in &self.roles {
            for index in 0..r.instances {
                let mut env: Vec<(String, String)> =
                    r.env.iter().map(|(k, v)| (k.clone(), v.clone())).collect();
                env.push((ENV_ROLE.into(), r.name.clone()));
                env.push((ENV_ROLE_INDEX.into(), index.to_string()));
                tasks.push(RoleTask {
                    role: r.name.clone(),
                    index,
                    command: r.command.clone(),
                    env,
                });
            }
        }
        tasks
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const TWO_ROLES: &str = r#"
name = "two-roles"
executor_memory = "256m"
env = { GREETING = "hello" }

[[role]]
name = "greeter"
instances = 2
command = "echo $GREETING"

[[role]]
name = "counter"
command = "seq 3"
env = { STEP = "1" }
"#;

    #[test]
    fn roles_become_tasks_with_their_identity() {
        let spec = AppSpec::parse(TWO_ROLES).unwrap();
        assert_eq!(spec.name.as_deref(), Some("two-roles"));
        assert_eq!(spec.role_instances(), 3);
        let tasks = spec.role_tasks();
        assert_eq!(tasks.len(), 3);
        assert_eq!((tasks[1].role.as_str(), tasks[1].index), ("greeter", 1));
        assert!(tasks[2].env.contains(&("STEP".into(), "1".into())));
        assert!(tasks[2].env.contains(&(ENV_ROLE.into(), "counter".into())));
        assert!(tasks[0].env.contains(&(ENV_ROLE_INDEX.into(), "0".into())));
    }

    #[test]
    fn unknown_keys_and_wrong_types_name_the_line() {
        let e = AppSpec::parse("name = \"x\"\nnum_executor = 2\n").unwrap_err();
        assert!(e.contains("num_executor") && e.contains("line 2"), "{e}");
        let e = AppSpec::parse("num_executors = \"two\"\n").unwrap_err();
        assert!(e.contains("num_executors") && e.contains("line 1"), "{e}");
        let e =
            AppSpec::parse("[[role]]\nname = \"a\"\ninstnces = 2\ncommand = \"x\"\n").unwrap_err();
        assert!(e.contains("instnces"), "{e}");
    }

    #[test]
    fn inconsistent_specs_are_refused() {
        for (text, says) in [
            ("shell = \"x\"\ndriver = [\"y\"]\n", "only one"),
            ("master = \"local\"\n", "embedded"),
            ("deploy_mode = \"both\"\n", "client"),
            ("executor_memory = \"lots\"\n", "executor_memory"),
            ("driver = []\n", "words"),
            (
                "[[role]]\nname = \"a\"\ncommand = \"x\"\n[[role]]\nname = \"a\"\ncommand = \"y\"\n",
                "two roles",
            ),
            ("[[role]]\nname = \"a b\"\ncommand = \"x\"\n", "role name"),
            (
                "[[role]]\nname = \"a\"\ninstances = 0\ncommand = \"x\"\n",
                "instances",
            ),
        ] {
            let e = AppSpec::parse(text).unwrap_err();
            assert!(e.contains(says), "{text:?}: {e}");
        }
    }

    #[test]
    fn a_missing_or_huge_file_is_an_error() {
        let dir = tempfile::tempdir().unwrap();
        assert!(AppSpec::from_file(&dir.path().join("none.toml")).is_err());
        let big = dir.path().join("big.toml");
        std::fs::write(&big, vec![b'#'; (MAX_SPEC_BYTES + 1) as usize]).unwrap();
        assert!(
            AppSpec::from_file(&big)
                .unwrap_err()
                .to_string()
                .contains("more than")
        );
    }
}
