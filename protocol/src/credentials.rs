//! Hadoop credentials files (`HADOOP_TOKEN_FILE_LOCATION`, a container's `container_tokens`,
//! and the `tokens` bytes of a `ContainerLaunchContextProto`).
//!
//! Layout: `"HDTS"`, a format byte, then the body:
//! * format 0 (Writable, what Hadoop writes by default): `vint nTokens`, per token `Text alias` +
//!   Writable [`Token`]; `vint nSecrets`, per secret `Text alias` + `vint len` + bytes.
//! * format 1 (protobuf): one varint-length-delimited `CredentialsProto`.
//!
//! Readers accept both formats and trailing zero padding (Spark hands NMs the whole
//! `DataOutputBuffer`); every count and length is bounded. Writers use format 0.

use std::path::Path;

use prost::Message;

use crate::proto::security::{CredentialsKVProto, CredentialsProto};
use crate::token::{MAX_TEXT_LEN, Token, TokenError};
use crate::writable::{self, Reader, WritableError};

/// The magic bytes at the start of a credentials file.
pub const MAGIC: &[u8; 4] = b"HDTS";
/// Format byte of the Writable layout.
pub const FORMAT_WRITABLE: u8 = 0;
/// Format byte of the protobuf layout.
pub const FORMAT_PROTOBUF: u8 = 1;
/// Most tokens accepted in one file.
pub const MAX_TOKENS: usize = 10_000;
/// Most secrets accepted in one file.
pub const MAX_SECRETS: usize = 10_000;
/// Largest secret value accepted (1 MiB).
pub const MAX_SECRET_LEN: usize = 1 << 20;
/// Largest credentials blob or file accepted (64 MiB).
pub const MAX_CREDENTIALS_LEN: usize = 64 << 20;

/// Why credentials could not be read.
#[derive(Debug, thiserror::Error)]
pub enum CredentialsError {
    /// The data does not start with `HDTS`.
    #[error("not a Hadoop credentials file: expected magic 'HDTS', found {found:02x?}")]
    BadMagic {
        /// The first bytes found (up to 4).
        found: Vec<u8>,
    },
    /// The format byte is neither 0 nor 1.
    #[error("unknown credentials format {0} (this reader knows 0 = Writable and 1 = protobuf)")]
    UnknownFormat(u8),
    /// The Writable body is malformed.
    #[error("malformed credentials: {0}")]
    Writable(#[from] WritableError),
    /// A token inside is malformed.
    #[error("malformed token in credentials: {0}")]
    Token(#[from] TokenError),
    /// There are more tokens or secrets than allowed.
    #[error("credentials hold too many {what}: {count} (limit {max})")]
    TooMany {
        /// `tokens` or `secrets`.
        what: &'static str,
        /// The count found.
        count: i64,
        /// The limit.
        max: usize,
    },
    /// The data or file is larger than [`MAX_CREDENTIALS_LEN`].
    #[error("credentials are too large: {len} bytes (limit {max})")]
    TooLarge {
        /// The size.
        len: u64,
        /// The limit.
        max: usize,
    },
    /// Non-zero bytes follow the credentials.
    #[error("{count} unexpected non-zero byte(s) after the credentials at offset {offset}")]
    TrailingData {
        /// Bytes after the body.
        count: usize,
        /// Offset of the first of them.
        offset: usize,
    },
    /// The protobuf body does not decode.
    #[error("malformed protobuf credentials: {0}")]
    Protobuf(#[from] prost::DecodeError),
    /// A protobuf token entry has no token.
    #[error("protobuf credentials entry '{alias}' has no token")]
    MissingToken {
        /// The entry's alias.
        alias: String,
    },
    /// Reading or writing the file failed.
    #[error("credentials file {path}: {source}")]
    Io {
        /// The file.
        path: String,
        /// The I/O error.
        source: std::io::Error,
    },
}

/// Tokens and secrets by alias (order kept; adding an existing alias replaces it, as Java's map
/// does).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Credentials {
    /// `(alias, token)` pairs.
    pub tokens: Vec<(String, Token)>,
    /// `(alias, secret bytes)` pairs.
    pub secrets: Vec<(String, Vec<u8>)>,
}

impl Credentials {
    /// Empty credentials.
    pub fn new() -> Self {
        Credentials::default()
    }

    /// Adds or replaces the token under `alias`.
    pub fn add_token(&mut self, alias: impl Into<String>, token: Token) {
        let alias = alias.into();
        match self.tokens.iter_mut().find(|(a, _)| *a == alias) {
            Some(entry) => entry.1 = token,
            None => self.tokens.push((alias, token)),
        }
    }

    /// Adds or replaces the secret under `alias`.
    pub fn add_secret(&mut self, alias: impl Into<String>, secret: Vec<u8>) {
        let alias = alias.into();
        match self.secrets.iter_mut().find(|(a, _)| *a == alias) {
            Some(entry) => entry.1 = secret,
            None => self.secrets.push((alias, secret)),
        }
    }

    /// The token stored under `alias`.
    pub fn token(&self, alias: &str) -> Option<&Token> {
        self.tokens.iter().find(|(a, _)| a == alias).map(|(_, t)| t)
    }

    /// The secret stored under `alias`.
    pub fn secret(&self, alias: &str) -> Option<&[u8]> {
        self.secrets
            .iter()
            .find(|(a, _)| a == alias)
            .map(|(_, s)| s.as_slice())
    }

    /// All tokens, in order.
    pub fn all_tokens(&self) -> impl Iterator<Item = &Token> {
        self.tokens.iter().map(|(_, t)| t)
    }

    /// The first token of this kind (e.g. the AMRMToken, whose service and alias are empty).
    pub fn token_by_kind(&self, kind: &str) -> Option<&Token> {
        self.all_tokens().find(|t| t.kind == kind)
    }

    /// The first token of this kind whose service equals `service`.
    pub fn token_by_kind_and_service(&self, kind: &str, service: &str) -> Option<&Token> {
        self.all_tokens()
            .find(|t| t.kind == kind && t.service == service)
    }

    /// A copy without the tokens of this kind (e.g. strip `YARN_AM_RM_TOKEN` before handing
    /// credentials to task containers).
    pub fn without_kind(&self, kind: &str) -> Credentials {
        Credentials {
            tokens: self
                .tokens
                .iter()
                .filter(|(_, t)| t.kind != kind)
                .cloned()
                .collect(),
            secrets: self.secrets.clone(),
        }
    }

    /// Reads either format from a blob; trailing zero bytes are ignored.
    pub fn from_bytes(data: &[u8]) -> Result<Credentials, CredentialsError> {
        if data.len() > MAX_CREDENTIALS_LEN {
            return Err(CredentialsError::TooLarge {
                len: data.len() as u64,
                max: MAX_CREDENTIALS_LEN,
            });
        }
        if data.len() < MAGIC.len() || &data[..4] != MAGIC {
            return Err(CredentialsError::BadMagic {
                found: data[..data.len().min(4)].to_vec(),
            });
        }
        let mut r = Reader::new(&data[4..]);
        let format = r.read_u8("credentials format byte")?;
        let creds = match format {
            FORMAT_WRITABLE => Self::read_writable(&mut r)?,
            FORMAT_PROTOBUF => Self::read_protobuf(&mut r)?,
            other => return Err(CredentialsError::UnknownFormat(other)),
        };
        let rest = r.remaining();
        if let Some(pos) = rest.iter().position(|&b| b != 0) {
            return Err(CredentialsError::TrailingData {
                count: rest.len() - pos,
                offset: 4 + r.position() + pos,
            });
        }
        Ok(creds)
    }

    fn read_count(
        r: &mut Reader<'_>,
        what: &'static str,
        max: usize,
    ) -> Result<usize, CredentialsError> {
        let n = r.read_vlong(what)?;
        if n < 0 || n as u64 > max as u64 {
            return Err(CredentialsError::TooMany {
                what,
                count: n,
                max,
            });
        }
        Ok(n as usize)
    }

    fn read_writable(r: &mut Reader<'_>) -> Result<Credentials, CredentialsError> {
        let mut creds = Credentials::new();
        let n = Self::read_count(r, "tokens", MAX_TOKENS)?;
        for _ in 0..n {
            let alias = r.read_text("token alias", MAX_TEXT_LEN)?.to_string();
            let token = Token::read(r)?;
            creds.add_token(alias, token);
        }
        let n = Self::read_count(r, "secrets", MAX_SECRETS)?;
        for _ in 0..n {
            let alias = r.read_text("secret alias", MAX_TEXT_LEN)?.to_string();
            let secret = r.read_vint_bytes("secret value", MAX_SECRET_LEN)?.to_vec();
            creds.add_secret(alias, secret);
        }
        Ok(creds)
    }

    fn read_protobuf(r: &mut Reader<'_>) -> Result<Credentials, CredentialsError> {
        // One varint-length-delimited CredentialsProto.
        let rest = r.remaining();
        let mut cursor = rest;
        let len = prost::encoding::decode_varint(&mut cursor)?;
        let header = rest.len() - cursor.len();
        if len > cursor.len() as u64 {
            return Err(WritableError::Truncated {
                what: "protobuf credentials body",
                needed: usize::try_from(len).unwrap_or(usize::MAX),
                available: cursor.len(),
                offset: 5 + header,
            }
            .into());
        }
        let body = r.read_bytes(header + len as usize, "protobuf credentials body")?;
        let proto = CredentialsProto::decode(&body[header..])?;
        if proto.tokens.len() > MAX_TOKENS {
            return Err(CredentialsError::TooMany {
                what: "tokens",
                count: proto.tokens.len() as i64,
                max: MAX_TOKENS,
            });
        }
        if proto.secrets.len() > MAX_SECRETS {
            return Err(CredentialsError::TooMany {
                what: "secrets",
                count: proto.secrets.len() as i64,
                max: MAX_SECRETS,
            });
        }
        let mut creds = Credentials::new();
        for kv in &proto.tokens {
            let token = kv
                .token
                .as_ref()
                .ok_or_else(|| CredentialsError::MissingToken {
                    alias: kv.alias.clone(),
                })?;
            creds.add_token(kv.alias.clone(), Token::from_proto(token));
        }
        for kv in &proto.secrets {
            creds.add_secret(kv.alias.clone(), kv.secret.clone().unwrap_or_default());
        }
        Ok(creds)
    }

    /// Format 0 (Writable) bytes, `HDTS` header included: what `ContainerLaunchContextProto.tokens`
    /// and `container_tokens` carry.
    pub fn to_bytes(&self) -> Vec<u8> {
        let mut buf = Vec::with_capacity(64);
        buf.extend_from_slice(MAGIC);
        buf.push(FORMAT_WRITABLE);
        writable::write_vlong(&mut buf, self.tokens.len() as i64);
        for (alias, token) in &self.tokens {
            writable::write_text(&mut buf, alias);
            token.write(&mut buf);
        }
        writable::write_vlong(&mut buf, self.secrets.len() as i64);
        for (alias, secret) in &self.secrets {
            writable::write_text(&mut buf, alias);
            writable::write_vint_bytes(&mut buf, secret);
        }
        buf
    }

    /// Format 1 (protobuf) bytes, `HDTS` header included.
    pub fn to_protobuf_bytes(&self) -> Vec<u8> {
        let proto = CredentialsProto {
            tokens: self
                .tokens
                .iter()
                .map(|(alias, t)| CredentialsKVProto {
                    alias: alias.clone(),
                    token: Some(t.to_proto()),
                    secret: None,
                })
                .collect(),
            secrets: self
                .secrets
                .iter()
                .map(|(alias, s)| CredentialsKVProto {
                    alias: alias.clone(),
                    token: None,
                    secret: Some(s.clone()),
                })
                .collect(),
        };
        let mut buf = Vec::with_capacity(64);
        buf.extend_from_slice(MAGIC);
        buf.push(FORMAT_PROTOBUF);
        buf.extend_from_slice(&proto.encode_length_delimited_to_vec());
        buf
    }

    /// Reads a credentials file (refusing files over [`MAX_CREDENTIALS_LEN`]).
    pub fn read_file(path: impl AsRef<Path>) -> Result<Credentials, CredentialsError> {
        use std::io::Read;
        let path = path.as_ref();
        let io = |source| CredentialsError::Io {
            path: path.display().to_string(),
            source,
        };
        let file = std::fs::File::open(path).map_err(io)?;
        let mut data = Vec::new();
        file.take(MAX_CREDENTIALS_LEN as u64 + 1)
            .read_to_end(&mut data)
            .map_err(io)?;
        if data.len() > MAX_CREDENTIALS_LEN {
            return Err(CredentialsError::TooLarge {
                len: data.len() as u64,
                max: MAX_CREDENTIALS_LEN,
            });
        }
        Credentials::from_bytes(&data)
    }

    /// Writes a format-0 credentials file.
    pub fn write_file(&self, path: impl AsRef<Path>) -> Result<(), CredentialsError> {
        let path = path.as_ref();
        std::fs::write(path, self.to_bytes()).map_err(|source| CredentialsError::Io {
            path: path.display().to_string(),
            source,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::token::{KIND_AMRM_TOKEN, KIND_NM_TOKEN};

    /// A 95-byte `container_tokens` file captured from a real Hadoop NM.
    fn captured_file() -> Vec<u8> {
        let mut v = b"HDTS\x00".to_vec();
        v.push(0x01); // one token
        v.push(15);
        v.extend_from_slice(b"127.0.0.1:28030");
        v.push(17);
        v.extend_from_slice(&hex::decode("0a0d0a0908011080d095ffbc3110011001").unwrap());
        v.push(20);
        v.extend_from_slice(&hex::decode("50fee28159547a92ad2eca2baf88edf1f6a7cf69").unwrap());
        v.push(16);
        v.extend_from_slice(b"YARN_AM_RM_TOKEN");
        v.push(15);
        v.extend_from_slice(b"127.0.0.1:28030");
        v.push(0x00); // no secrets
        v
    }

    #[test]
    fn reads_and_rewrites_the_captured_file_exactly() {
        let data = captured_file();
        assert_eq!(data.len(), 95);
        let c = Credentials::from_bytes(&data).unwrap();
        assert_eq!(c.tokens.len(), 1);
        let t = c.token_by_kind(KIND_AMRM_TOKEN).unwrap();
        assert_eq!(c.tokens[0].0, "127.0.0.1:28030");
        assert_eq!(t.service, "127.0.0.1:28030");
        assert!(t.verify(b"interop-amrm-master-key"));
        assert_eq!(
            t.amrm_identifier().unwrap().user(),
            "appattempt_1700000000000_0001_000001"
        );
        assert_eq!(c.to_bytes(), data);
    }

    #[test]
    fn tolerates_zero_padding_but_not_garbage() {
        let mut data = captured_file();
        data.resize(128, 0);
        assert_eq!(Credentials::from_bytes(&data).unwrap().tokens.len(), 1);
        data[100] = 7;
        assert!(matches!(
            Credentials::from_bytes(&data),
            Err(CredentialsError::TrailingData {
                offset: 100,
                count: 28
            })
        ));
    }

    #[test]
    fn protobuf_format_round_trips() {
        let mut c = Credentials::from_bytes(&captured_file()).unwrap();
        c.add_secret("s", vec![1, 2, 3]);
        let p = c.to_protobuf_bytes();
        assert_eq!(p[4], FORMAT_PROTOBUF);
        assert_eq!(Credentials::from_bytes(&p).unwrap(), c);
        let mut padded = p.clone();
        padded.extend_from_slice(&[0; 9]);
        assert_eq!(Credentials::from_bytes(&padded).unwrap(), c);
        assert!(matches!(
            Credentials::from_bytes(&p[..p.len() - 2]),
            Err(CredentialsError::Writable(WritableError::Truncated { .. }))
        ));
    }

    #[test]
    fn without_kind_strips_the_amrm_token() {
        let mut c = Credentials::from_bytes(&captured_file()).unwrap();
        c.add_token("nm", Token::new(vec![1], vec![2], KIND_NM_TOKEN, "h:1"));
        let stripped = c.without_kind(KIND_AMRM_TOKEN);
        assert_eq!(stripped.tokens.len(), 1);
        assert!(stripped.token_by_kind(KIND_AMRM_TOKEN).is_none());
        assert!(
            stripped
                .token_by_kind_and_service(KIND_NM_TOKEN, "h:1")
                .is_some()
        );
        let back = Credentials::from_bytes(&stripped.to_bytes()).unwrap();
        assert_eq!(back, stripped);
    }

    #[test]
    fn bad_input_is_a_clear_error() {
        assert!(matches!(
            Credentials::from_bytes(b"HDT"),
            Err(CredentialsError::BadMagic { .. })
        ));
        assert!(matches!(
            Credentials::from_bytes(b"XDTS\x00\x00\x00"),
            Err(CredentialsError::BadMagic { .. })
        ));
        assert!(matches!(
            Credentials::from_bytes(b"HDTS\x02\x00\x00"),
            Err(CredentialsError::UnknownFormat(2))
        ));
        assert!(matches!(
            Credentials::from_bytes(b"HDTS"),
            Err(CredentialsError::Writable(WritableError::Truncated { .. }))
        ));
        let data = captured_file();
        for cut in 5..data.len() {
            let err = Credentials::from_bytes(&data[..cut]).unwrap_err();
            assert!(
                matches!(
                    err,
                    CredentialsError::Writable(_) | CredentialsError::Token(_)
                ),
                "cut at {cut}: {err}"
            );
        }
        // A count of 2^31 - 1 tokens is refused before any allocation.
        let mut huge = b"HDTS\x00".to_vec();
        writable::write_vint(&mut huge, i32::MAX);
        let err = Credentials::from_bytes(&huge).unwrap_err();
        assert!(
            matches!(err, CredentialsError::TooMany { what: "tokens", .. }),
            "{err}"
        );
        assert!(err.to_string().contains("too many tokens"));
        // A huge alias length names what was too long.
        let mut long_alias = b"HDTS\x00\x01".to_vec();
        writable::write_vint(&mut long_alias, 1 << 30);
        let err = Credentials::from_bytes(&long_alias).unwrap_err();
        assert!(err.to_string().contains("token alias is too long"), "{err}");
        // Negative secret count.
        let mut neg = b"HDTS\x00\x00".to_vec();
        writable::write_vint(&mut neg, -1);
        assert!(matches!(
            Credentials::from_bytes(&neg),
            Err(CredentialsError::TooMany { .. })
        ));
    }

    #[test]
    fn file_round_trip() {
        let dir = std::env::temp_dir().join(format!("spindle-creds-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        let path = dir.join("container_tokens");
        let c = Credentials::from_bytes(&captured_file()).unwrap();
        c.write_file(&path).unwrap();
        assert_eq!(Credentials::read_file(&path).unwrap(), c);
        let err = Credentials::read_file(dir.join("missing")).unwrap_err();
        assert!(matches!(err, CredentialsError::Io { .. }));
        std::fs::remove_dir_all(&dir).unwrap();
    }
}
