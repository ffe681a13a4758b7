//! Kerberos principal names as Hadoop handles them: `service/host@REALM` and `user@REALM`,
//! `_HOST` substitution (`SecurityUtil.getServerPrincipal`) and the `DEFAULT` rule of
//! `hadoop.security.auth_to_local`.

use std::net::IpAddr;

/// The placeholder Hadoop replaces with the server's host name.
pub const HOST_PLACEHOLDER: &str = "_HOST";

/// A parsed principal: `primary[/instance][@realm]`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Principal {
    /// The first component (`rm`, `alice`).
    pub primary: String,
    /// The second component, usually a host (`localhost`).
    pub instance: Option<String>,
    /// The realm (`SPINDLE.TEST`).
    pub realm: Option<String>,
}

impl Principal {
    /// Parses `primary[/instance][@realm]`; empty components and a third `/` are errors.
    pub fn parse(text: &str) -> Result<Principal, String> {
        let (name, realm) = match text.split_once('@') {
            Some((n, r)) => (n, Some(r)),
            None => (text, None),
        };
        let mut parts = name.split('/');
        let primary = parts.next().unwrap_or_default();
        let instance = parts.next();
        if primary.is_empty()
            || parts.next().is_some()
            || instance.is_some_and(str::is_empty)
            || realm.is_some_and(|r| r.is_empty() || r.contains('@'))
        {
            return Err(format!(
                "{text:?} is not a Kerberos principal of the form name[/host][@REALM]"
            ));
        }
        Ok(Principal {
            primary: primary.to_string(),
            instance: instance.map(str::to_string),
            realm: realm.map(str::to_string),
        })
    }

    /// `primary/instance` without the realm.
    pub fn without_realm(&self) -> String {
        match &self.instance {
            Some(i) => format!("{}/{i}", self.primary),
            None => self.primary.clone(),
        }
    }

    /// Hadoop's `DEFAULT` auth_to_local rule: the first component when the realm is
    /// `default_realm` (or absent), otherwise no mapping.
    pub fn short_name_default(&self, default_realm: &str) -> Option<String> {
        match &self.realm {
            Some(r) if r != default_realm => None,
            _ => Some(self.primary.clone()),
        }
    }
}

impl std::fmt::Display for Principal {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.without_realm())?;
        if let Some(r) = &self.realm {
            write!(f, "@{r}")?;
        }
        Ok(())
    }
}

/// Replaces `_HOST` in the instance of `pattern` with `host`, lower-cased, as Hadoop does
/// (`rm/_HOST@REALM` → `rm/node1.example.com@REALM`). A pattern without `_HOST` is returned
/// as it is.
pub fn replace_host(pattern: &str, host: &str) -> String {
    match pattern.split_once('@') {
        Some((name, realm)) => format!("{}@{realm}", replace_host(name, host)),
        None => match pattern.split_once('/') {
            Some((primary, HOST_PLACEHOLDER)) => format!("{primary}/{}", host.to_lowercase()),
            _ => pattern.to_string(),
        },
    }
}

/// The host name Hadoop would put for `_HOST` when talking to `host` (a name or an IP
/// literal): the name itself, or, for an IP address, its first name in `hosts_file` (Java's
/// `getCanonicalHostName` resolves through `/etc/hosts` first), else the address as text.
pub fn canonical_host(host: &str, hosts_file: &str) -> String {
    let Ok(ip) = host.trim_matches(['[', ']']).parse::<IpAddr>() else {
        return host.to_lowercase();
    };
    for line in hosts_file.lines() {
        let line = line.split('#').next().unwrap_or_default();
        let mut fields = line.split_whitespace();
        if let (Some(addr), Some(name)) = (fields.next(), fields.next())
            && addr.parse::<IpAddr>().ok() == Some(ip)
        {
            return name.to_lowercase();
        }
    }
    ip.to_string()
}

/// [`canonical_host`] with this machine's `/etc/hosts`.
pub fn canonical_host_here(host: &str) -> String {
    let hosts = std::fs::read_to_string("/etc/hosts").unwrap_or_default();
    canonical_host(host, &hosts)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_and_prints_principals() {
        let p = Principal::parse("rm/localhost@SPINDLE.TEST").unwrap();
        assert_eq!(
            (
                p.primary.as_str(),
                p.instance.as_deref(),
                p.realm.as_deref()
            ),
            ("rm", Some("localhost"), Some("SPINDLE.TEST"))
        );
        assert_eq!(p.to_string(), "rm/localhost@SPINDLE.TEST");
        assert_eq!(p.without_realm(), "rm/localhost");
        let alice = Principal::parse("alice").unwrap();
        assert_eq!((alice.instance, alice.realm), (None, None));
        for bad in ["", "@R", "a/b/c@R", "a/@R", "a@", "a@b@c", "/h@R"] {
            assert!(Principal::parse(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn default_rule_maps_the_default_realm_only() {
        let p = |s| Principal::parse(s).unwrap();
        assert_eq!(
            p("alice@SPINDLE.TEST").short_name_default("SPINDLE.TEST"),
            Some("alice".into())
        );
        assert_eq!(
            p("rm/localhost@SPINDLE.TEST").short_name_default("SPINDLE.TEST"),
            Some("rm".into())
        );
        assert_eq!(p("alice@OTHER").short_name_default("SPINDLE.TEST"), None);
    }

    #[test]
    fn host_substitution_and_canonical_names() {
        assert_eq!(
            replace_host("rm/_HOST@SPINDLE.TEST", "Node1.Example"),
            "rm/node1.example@SPINDLE.TEST"
        );
        assert_eq!(replace_host("rm/_HOST", "h"), "rm/h");
        assert_eq!(replace_host("rm/fixed@R", "h"), "rm/fixed@R");
        assert_eq!(replace_host("_HOST@R", "h"), "_HOST@R");
        let hosts = "# comment\n127.0.0.1\tlocalhost my-box\n::1 localhost ip6-localhost\n10.0.0.5 Node5.Example # x\n";
        assert_eq!(canonical_host("127.0.0.1", hosts), "localhost");
        assert_eq!(canonical_host("10.0.0.5", hosts), "node5.example");
        assert_eq!(canonical_host("[::1]", hosts), "localhost");
        assert_eq!(canonical_host("10.9.9.9", hosts), "10.9.9.9");
        assert_eq!(canonical_host("RM.Example", hosts), "rm.example");
    }
}
