//! Quality of protection: Hadoop's `hadoop.rpc.protection` values and the SASL QOP names they
//! stand for, and the rule both sides use to agree on one.

use super::SaslError;

/// One SASL quality of protection.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Qop {
    /// `authentication` → SASL `auth`: nothing is wrapped after negotiation.
    Auth,
    /// `integrity` → SASL `auth-int`: every message carries a MAC.
    AuthInt,
    /// `privacy` → SASL `auth-conf`: every message is encrypted and carries a MAC.
    AuthConf,
}

impl Qop {
    /// The SASL name (`auth`, `auth-int`, `auth-conf`).
    pub fn sasl_name(self) -> &'static str {
        match self {
            Qop::Auth => "auth",
            Qop::AuthInt => "auth-int",
            Qop::AuthConf => "auth-conf",
        }
    }

    /// The `hadoop.rpc.protection` name (`authentication`, `integrity`, `privacy`).
    pub fn protection_name(self) -> &'static str {
        match self {
            Qop::Auth => "authentication",
            Qop::AuthInt => "integrity",
            Qop::AuthConf => "privacy",
        }
    }

    /// Parses a SASL name, case-insensitively.
    pub fn from_sasl_name(name: &str) -> Option<Qop> {
        [Qop::Auth, Qop::AuthInt, Qop::AuthConf]
            .into_iter()
            .find(|q| q.sasl_name().eq_ignore_ascii_case(name.trim()))
    }

    /// Whether messages are wrapped after negotiation.
    pub fn wraps(self) -> bool {
        self != Qop::Auth
    }

    /// The RFC 4752 security-layer bit (1 none, 2 integrity, 4 privacy).
    pub fn layer_bit(self) -> u8 {
        match self {
            Qop::Auth => 1,
            Qop::AuthInt => 2,
            Qop::AuthConf => 4,
        }
    }
}

impl std::fmt::Display for Qop {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.protection_name())
    }
}

/// Parses `hadoop.rpc.protection` (a comma list of `authentication`, `integrity`, `privacy`,
/// in order of preference) as Hadoop's `SaslPropertiesResolver` does. An empty value means
/// Hadoop's default, `authentication`.
pub fn parse_protection(value: &str) -> Result<Vec<Qop>, SaslError> {
    let mut out = Vec::new();
    for name in value.split(',').map(str::trim).filter(|s| !s.is_empty()) {
        let qop = match name.to_ascii_lowercase().as_str() {
            "authentication" => Qop::Auth,
            "integrity" => Qop::AuthInt,
            "privacy" => Qop::AuthConf,
            _ => {
                return Err(SaslError::Config(format!(
                    "hadoop.rpc.protection value {name:?} is not one of authentication, integrity, privacy"
                )));
            }
        };
        if !out.contains(&qop) {
            out.push(qop);
        }
    }
    if out.is_empty() {
        out.push(Qop::Auth);
    }
    Ok(out)
}

/// The comma list of SASL names (`auth-conf,auth`), as the QOP property is written.
pub fn sasl_names(list: &[Qop]) -> String {
    list.iter()
        .map(|q| q.sasl_name())
        .collect::<Vec<_>>()
        .join(",")
}

/// The comma list of protection names (`privacy,authentication`), for messages.
pub fn protection_names(list: &[Qop]) -> String {
    list.iter()
        .map(|q| q.protection_name())
        .collect::<Vec<_>>()
        .join(",")
}

/// The first of `ours` (our order of preference) that `theirs` offers, as the JDK's SASL
/// clients choose; otherwise the error shows both lists.
pub fn choose(ours: &[Qop], theirs: &[Qop]) -> Result<Qop, SaslError> {
    ours.iter()
        .copied()
        .find(|q| theirs.contains(q))
        .ok_or_else(|| SaslError::QopMismatch {
            ours: protection_names(ours),
            theirs: protection_names(theirs),
        })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_hadoop_lists() {
        assert_eq!(parse_protection("").unwrap(), vec![Qop::Auth]);
        assert_eq!(
            parse_protection(" Privacy , authentication,privacy").unwrap(),
            vec![Qop::AuthConf, Qop::Auth]
        );
        let err = parse_protection("integrity,secret").unwrap_err();
        assert!(err.to_string().contains("\"secret\""), "{err}");
        assert_eq!(
            sasl_names(&[Qop::AuthConf, Qop::AuthInt]),
            "auth-conf,auth-int"
        );
        assert_eq!(Qop::from_sasl_name(" AUTH-INT"), Some(Qop::AuthInt));
        assert_eq!(Qop::from_sasl_name("auth-x"), None);
    }

    #[test]
    fn choice_follows_our_order_and_names_both_lists() {
        let both = [Qop::Auth, Qop::AuthConf];
        assert_eq!(
            choose(&both, &[Qop::AuthConf, Qop::Auth]).unwrap(),
            Qop::Auth
        );
        assert_eq!(choose(&[Qop::AuthConf], &both).unwrap(), Qop::AuthConf);
        let err = choose(&[Qop::AuthConf], &[Qop::Auth, Qop::AuthInt]).unwrap_err();
        assert_eq!(
            err.to_string(),
            "No common protection layer between client and server: ours is [privacy] (hadoop.rpc.protection), the peer offers [authentication,integrity]"
        );
    }
}
