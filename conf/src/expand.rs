//! `${…}` expansion of values, done when a value is read, as Hadoop's `Configuration.get` does.
//!
//! * `${env.NAME}` is the environment variable; `${env.NAME:-default}` uses the default when the
//!   variable is unset or empty, `${env.NAME-default}` only when it is unset.
//! * Any other `${name}` is first a "system property" (in a JVM: `user.name`, `java.io.tmpdir`,
//!   and `-D` flags; here a small table the caller controls), then another configuration key,
//!   whose value is itself expanded in turn.
//! * A reference that resolves to nothing stops the expansion and leaves the rest literal; a
//!   value that would contain its own reference (a loop), or more than
//!   [`MAX_SUBSTITUTIONS`] substitutions, leaves the original value unexpanded.
//! * Names contain no `}`, `$` or space: `${a b}` is literal text.

/// The most substitutions one value may take (Hadoop's `MAX_SUBST`).
pub const MAX_SUBSTITUTIONS: usize = 20;

/// Where references are looked up.
pub trait Lookup {
    /// An environment variable.
    fn env(&self, name: &str) -> Option<String>;
    /// A system property (`user.name`, …).
    fn system_property(&self, name: &str) -> Option<String>;
    /// The raw (unexpanded) value of a configuration key.
    fn key(&self, name: &str) -> Option<String>;
}

/// The first `${name}` in `s`: the byte range of the whole reference and the name.
fn find_reference(s: &str) -> Option<(usize, usize, &str)> {
    let mut from = 0;
    while let Some(rel) = s[from..].find("${") {
        let start = from + rel;
        let name_start = start + 2;
        let name_len = s[name_start..]
            .find(['}', '$', ' '])
            .unwrap_or(s.len() - name_start);
        let end = name_start + name_len;
        if name_len > 0 && s[end..].starts_with('}') {
            return Some((start, end + 1, &s[name_start..end]));
        }
        from = name_start;
    }
    None
}

fn resolve(name: &str, lookup: &dyn Lookup) -> Option<String> {
    if let Some(var) = name.strip_prefix("env.") {
        if let Some((var, default)) = var.split_once(":-") {
            return lookup
                .env(var)
                .filter(|v| !v.is_empty())
                .or_else(|| Some(default.to_string()));
        }
        if let Some((var, default)) = var.split_once('-') {
            return lookup.env(var).or_else(|| Some(default.to_string()));
        }
        return lookup.env(var);
    }
    lookup.system_property(name).or_else(|| lookup.key(name))
}

/// `value` with its references expanded.
pub fn expand(value: &str, lookup: &dyn Lookup) -> String {
    let mut eval = value.to_string();
    for _ in 0..MAX_SUBSTITUTIONS {
        let Some((start, end, name)) = find_reference(&eval) else {
            return eval;
        };
        let Some(replacement) = resolve(name, lookup) else {
            return eval;
        };
        if replacement.contains(&eval[start..end]) {
            return value.to_string();
        }
        eval = format!("{}{}{}", &eval[..start], replacement, &eval[end..]);
    }
    if find_reference(&eval).is_some() {
        // Hadoop throws here; a read that cannot fail is kinder to callers, and the literal
        // `${…}` left in the value shows what happened.
        return value.to_string();
    }
    eval
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::HashMap;

    struct Table {
        env: HashMap<&'static str, &'static str>,
        props: HashMap<&'static str, &'static str>,
        keys: HashMap<&'static str, &'static str>,
    }

    impl Lookup for Table {
        fn env(&self, name: &str) -> Option<String> {
            self.env.get(name).map(|v| v.to_string())
        }
        fn system_property(&self, name: &str) -> Option<String> {
            self.props.get(name).map(|v| v.to_string())
        }
        fn key(&self, name: &str) -> Option<String> {
            self.keys.get(name).map(|v| v.to_string())
        }
    }

    fn table() -> Table {
        Table {
            env: HashMap::from([("HOME", "/home/u"), ("EMPTY", "")]),
            props: HashMap::from([("user.name", "alice"), ("shadowed", "from-property")]),
            keys: HashMap::from([
                ("hadoop.tmp.dir", "/tmp/hadoop-${user.name}"),
                ("rm.host", "rm1"),
                ("rm.addr", "${rm.host}:8032"),
                ("shadowed", "from-key"),
                ("loop", "x${loop}"),
                ("a", "${b}"),
                ("b", "${a}"),
            ]),
        }
    }

    #[test]
    fn references_resolve_in_hadoops_order() {
        let t = table();
        let cases = [
            (
                "${hadoop.tmp.dir}/nm-local-dir",
                "/tmp/hadoop-alice/nm-local-dir",
            ),
            ("${rm.addr}", "rm1:8032"),
            ("${shadowed}", "from-property"),
            ("${env.HOME}/x", "/home/u/x"),
            ("${env.MISSING:-d}", "d"),
            ("${env.EMPTY:-d}", "d"),
            ("${env.EMPTY-d}", ""),
            ("${env.MISSING-d}", "d"),
            // Unbound: the rest stays literal, including later references.
            ("${nope}/${rm.host}", "${nope}/${rm.host}"),
            ("${rm.host}/${nope}", "rm1/${nope}"),
            // Not references.
            ("${a b}", "${a b}"),
            ("$x {y} ${", "$x {y} ${"),
            ("${}", "${}"),
            // A loop leaves the original value.
            ("${loop}", "${loop}"),
            ("${a}", "${a}"),
        ];
        for (value, expected) in cases {
            assert_eq!(expand(value, &t), expected, "{value}");
        }
    }

    #[test]
    fn substitutions_are_bounded() {
        let chain: String = (0..(MAX_SUBSTITUTIONS + 1)).map(|_| "${rm.host}").collect();
        assert_eq!(expand(&chain, &table()), chain);
        let ok: String = (0..MAX_SUBSTITUTIONS).map(|_| "${rm.host}").collect();
        assert_eq!(expand(&ok, &table()), "rm1".repeat(MAX_SUBSTITUTIONS));
    }
}
