//! The launch script: YARN's command conventions and the environment a NodeManager gives a container.
//!
//! Commands and environment values are rewritten the way the NodeManager does before it writes
//! `launch_container.sh`: `<LOG_DIR>` → the container's log folder, `<CPS>` → `:`, `{{` → `$` and `}}` → ``
//! (so `{{JAVA_HOME}}` becomes `$JAVA_HOME`, expanded by bash when the script runs), `<ADD_OPENS>` → nothing.
//! The script exports every variable (`export K="V"`, values verbatim as YARN writes them) and ends with
//! `exec /bin/bash -c "<commands joined by spaces>"`.

use std::path::Path;

/// Applies YARN's launch-time rewriting to one command fragment or environment value.
pub fn expand(value: &str, log_dir: &str) -> String {
    value
        .replace("<LOG_DIR>", log_dir)
        .replace("<CPS>", ":")
        .replace("<ADD_OPENS>", "")
        .replace("{{", "$")
        .replace("}}", "")
}

/// Quotes a value for bash so that it is taken literally (used for the values the runner itself sets).
pub fn shell_quote(value: &str) -> String {
    format!("'{}'", value.replace('\'', r"'\''"))
}

/// The variables the NodeManager sets for a container; they override the container's own values.
#[derive(Debug, Clone)]
pub struct NodeVars {
    /// (name, literal value) in the order written.
    pub vars: Vec<(String, String)>,
}

impl NodeVars {
    /// Whether the NodeManager sets this variable.
    pub fn owns(&self, key: &str) -> bool {
        key == "JVM_PID" || self.vars.iter().any(|(k, _)| k == key)
    }
}

/// Inputs of [`render`].
pub struct ScriptInput<'a> {
    /// Passthrough variables (name, literal value), written only when the container does not set them.
    pub passthrough: &'a [(String, String)],
    /// The NodeManager's own variables.
    pub node_vars: &'a NodeVars,
    /// The container's environment (name, raw value before rewriting).
    pub env: &'a [(String, String)],
    /// The container's command fragments (raw).
    pub commands: &'a [String],
    /// The container's log folder (`<LOG_DIR>`).
    pub log_dir: &'a Path,
    /// The shell `exec`ed at the end.
    pub bash: &'a Path,
}

/// Writes the text of `launch_container.sh`.
pub fn render(input: &ScriptInput<'_>) -> String {
    let log_dir = input.log_dir.to_string_lossy();
    let mut out = String::with_capacity(1024);
    out.push_str("#!/bin/bash\nset -o pipefail -e\n");
    for (key, value) in input.passthrough {
        let user_sets = input.env.iter().any(|(k, _)| k == key);
        if !user_sets && !input.node_vars.owns(key) {
            out.push_str(&format!("export {key}={}\n", shell_quote(value)));
        }
    }
    for (key, value) in &input.node_vars.vars {
        out.push_str(&format!("export {key}={}\n", shell_quote(value)));
    }
    out.push_str("export JVM_PID=\"$$\"\n");
    for (key, value) in input.env {
        if input.node_vars.owns(key) {
            continue;
        }
        out.push_str(&format!("export {key}=\"{}\"\n", expand(value, &log_dir)));
    }
    let command = input
        .commands
        .iter()
        .map(|c| expand(c, &log_dir))
        .collect::<Vec<_>>()
        .join(" ");
    out.push_str(&format!(
        "exec {} -c \"{}\"\n",
        shell_quote(&input.bash.to_string_lossy()),
        command
    ));
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn yarn_conventions_are_expanded() {
        assert_eq!(
            expand(
                "{{JAVA_HOME}}/bin/java -cp {{PWD}}<CPS>x 1><LOG_DIR>/stdout",
                "/logs/c1"
            ),
            "$JAVA_HOME/bin/java -cp $PWD:x 1>/logs/c1/stdout"
        );
        assert_eq!(expand("<ADD_OPENS>-Xmx1g", "/l"), "-Xmx1g");
    }

    #[test]
    fn quoting_is_literal() {
        assert_eq!(shell_quote("a'b $x"), r"'a'\''b $x'");
    }

    #[test]
    fn script_orders_and_overrides() {
        let node_vars = NodeVars {
            vars: vec![
                ("CONTAINER_ID".into(), "c1".into()),
                ("PWD".into(), "/w".into()),
            ],
        };
        let env = vec![
            ("CONTAINER_ID".into(), "spoofed".into()),
            ("CLASSPATH".into(), "{{PWD}}<CPS>lib/*".into()),
            ("PATH".into(), "/mine".into()),
        ];
        let pass = vec![
            ("PATH".into(), "/usr/bin".into()),
            ("LANG".into(), "C".into()),
        ];
        let commands = vec!["echo".into(), "hi".into()];
        let text = render(&ScriptInput {
            passthrough: &pass,
            node_vars: &node_vars,
            env: &env,
            commands: &commands,
            log_dir: Path::new("/g/c1"),
            bash: Path::new("/bin/bash"),
        });
        assert_eq!(
            text,
            "#!/bin/bash\nset -o pipefail -e\nexport LANG='C'\nexport CONTAINER_ID='c1'\nexport PWD='/w'\n\
             export JVM_PID=\"$$\"\nexport CLASSPATH=\"$PWD:lib/*\"\nexport PATH=\"/mine\"\n\
             exec '/bin/bash' -c \"echo hi\"\n"
        );
    }
}
