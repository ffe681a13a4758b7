//! The DIGEST-MD5 security layer (RFC 2831 §2.3 integrity, §2.4 confidentiality), as the
//! JDK's `DigestMD5Base` implements it and Hadoop therefore speaks.
//!
//! Keys come from `H(A1)` (the raw MD5 of A1, which the authentication step computed):
//! * signing keys `Kic`/`Kis = MD5(H(A1) ‖ "Digest session key to {client-to-server|server-to-client} signing key magic constant")`;
//! * sealing keys `Kcc`/`Kcs = MD5(H(A1)[..n] ‖ "Digest H(A1) to {…} sealing key magic constant")`
//!   with n = 5 for `rc4-40`, 7 for `rc4-56`, 16 otherwise.
//!
//! A message with sequence number `seq` (u32, from 0 in each direction) becomes
//! * integrity: `msg ‖ HMAC-MD5(Ki, seq ‖ msg)[..10] ‖ 00 01 ‖ seq`;
//! * privacy: `CIPHER(Kc, msg ‖ pad ‖ HMAC-MD5(Ki, seq ‖ msg)[..10]) ‖ 00 01 ‖ seq`, where block
//!   ciphers pad to a multiple of 8 with 1–8 bytes each holding the pad length, DES keys are
//!   7-byte halves of Kc spread over 8 bytes (7 key bits + parity each), 3DES is two-key EDE,
//!   the CBC IV is `Kc[8..16]` and the CBC (or RC4) state runs on across messages.

use cbc::cipher::array::ArraySize;
use cbc::cipher::{
    Array, BlockCipherDecrypt, BlockCipherEncrypt, BlockModeDecrypt, BlockModeEncrypt, InnerIvInit,
    KeyInit, StreamCipher,
};
use des::{Des, TdesEde2};
use hmac::{Hmac, Mac};
use md5::{Digest, Md5};
use rc4::Rc4;

use super::layer::{SecurityLayer, Unwrap, Wrap};
use super::{Qop, SaslError};

type HmacMd5 = Hmac<Md5>;

/// Bytes a wrapped message adds besides padding: 10 of MAC, 2 of type, 4 of sequence number.
const OVERHEAD: usize = 16;
/// Largest padding a block cipher adds.
const MAX_PAD: usize = 8;
/// Message type field of every wrapped message.
const MESSAGE_TYPE: [u8; 2] = [0, 1];

/// The confidentiality ciphers of DIGEST-MD5.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Cipher {
    /// Two-key triple DES in CBC mode.
    TripleDes,
    /// RC4 with a 128-bit key.
    Rc4,
    /// Single DES in CBC mode.
    Des,
    /// RC4 with 56 bits of key material.
    Rc4_56,
    /// RC4 with 40 bits of key material.
    Rc4_40,
}

impl Cipher {
    /// Every cipher, strongest first: the order we offer them and choose among them in.
    pub const ALL: [Cipher; 5] = [
        Cipher::TripleDes,
        Cipher::Rc4,
        Cipher::Des,
        Cipher::Rc4_56,
        Cipher::Rc4_40,
    ];

    /// The name in the `cipher` directive.
    pub fn name(self) -> &'static str {
        match self {
            Cipher::TripleDes => "3des",
            Cipher::Rc4 => "rc4",
            Cipher::Des => "des",
            Cipher::Rc4_56 => "rc4-56",
            Cipher::Rc4_40 => "rc4-40",
        }
    }

    /// Parses a `cipher` directive value.
    pub fn from_name(name: &str) -> Option<Cipher> {
        Cipher::ALL
            .into_iter()
            .find(|c| c.name().eq_ignore_ascii_case(name.trim()))
    }

    /// The directive value offering every cipher (`3des,rc4,des,rc4-56,rc4-40`).
    pub fn offer() -> String {
        Cipher::ALL.map(Cipher::name).join(",")
    }

    /// How many bytes of H(A1) the sealing keys are made from.
    fn key_material(self) -> usize {
        match self {
            Cipher::Rc4_40 => 5,
            Cipher::Rc4_56 => 7,
            _ => 16,
        }
    }

    fn block_size(self) -> usize {
        match self {
            Cipher::TripleDes | Cipher::Des => 8,
            _ => 1,
        }
    }
}

/// Which end of the connection a layer is for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Side {
    /// The SASL client.
    Client,
    /// The SASL server.
    Server,
}

fn md5_of(parts: &[&[u8]]) -> [u8; 16] {
    let mut h = Md5::new();
    for p in parts {
        h.update(p);
    }
    h.finalize().into()
}

/// The four keys of one connection, named from the client's view.
struct Keys {
    kic: [u8; 16],
    kis: [u8; 16],
    kcc: [u8; 16],
    kcs: [u8; 16],
}

impl Keys {
    fn derive(ha1: &[u8; 16], cipher: Option<Cipher>) -> Keys {
        let n = cipher.map_or(16, Cipher::key_material);
        Keys {
            kic: md5_of(&[
                ha1,
                b"Digest session key to client-to-server signing key magic constant",
            ]),
            kis: md5_of(&[
                ha1,
                b"Digest session key to server-to-client signing key magic constant",
            ]),
            kcc: md5_of(&[
                &ha1[..n],
                b"Digest H(A1) to client-to-server sealing key magic constant",
            ]),
            kcs: md5_of(&[
                &ha1[..n],
                b"Digest H(A1) to server-to-client sealing key magic constant",
            ]),
        }
    }
}

/// Seven key bytes spread over eight, seven bits each with an odd-parity low bit (the JDK's
/// `addDesParity`; DES itself ignores the parity bits).
fn des_key(seven: &[u8]) -> [u8; 8] {
    let v = seven.iter().fold(0u64, |acc, &b| (acc << 8) | u64::from(b));
    let mut out = [0u8; 8];
    for (i, byte) in out.iter_mut().enumerate() {
        let bits = ((v >> (7 * (7 - i))) & 0x7f) as u8;
        let b = bits << 1;
        *byte = b | u8::from(b.count_ones().is_multiple_of(2));
    }
    out
}

fn mac(ki: &[u8; 16], seq: u32, msg: &[u8]) -> [u8; 10] {
    let mut h = <HmacMd5 as hmac::KeyInit>::new_from_slice(ki).expect("HMAC takes any key length");
    h.update(&seq.to_be_bytes());
    h.update(msg);
    let full = h.finalize().into_bytes();
    let mut out = [0u8; 10];
    out.copy_from_slice(&full[..10]);
    out
}

/// Constant-time comparison of two MACs.
fn mac_eq(a: &[u8], b: &[u8]) -> bool {
    a.len() == b.len() && a.iter().zip(b).fold(0u8, |acc, (x, y)| acc | (x ^ y)) == 0
}

/// One direction's cipher state. `D` and `T` are the CBC modes over DES and two-key 3DES:
/// encryptors in a [`Sealer`], decryptors in an [`Opener`]; RC4 is the same both ways.
enum CipherState<D, T> {
    Des(Box<D>),
    TripleDes(Box<T>),
    Rc4(Box<Rc4>),
}

/// Encrypting state for one direction.
type Sealer = CipherState<cbc::Encryptor<Des>, cbc::Encryptor<TdesEde2>>;

/// Decrypting state for one direction.
type Opener = CipherState<cbc::Decryptor<Des>, cbc::Decryptor<TdesEde2>>;

/// A CBC mode running one way: encrypting when sealing, decrypting when opening.
trait CbcDirection: InnerIvInit {
    /// Runs over `buf` in place; `buf` is a whole number of blocks.
    fn run(&mut self, buf: &mut [u8]);
}

impl<C: BlockCipherEncrypt> CbcDirection for cbc::Encryptor<C> {
    fn run(&mut self, buf: &mut [u8]) {
        self.encrypt_blocks(whole_blocks(buf));
    }
}

impl<C: BlockCipherDecrypt> CbcDirection for cbc::Decryptor<C> {
    fn run(&mut self, buf: &mut [u8]) {
        self.decrypt_blocks(whole_blocks(buf));
    }
}

/// `buf` as blocks of `N` bytes; the sealer pads and the opener's caller checks lengths, so
/// nothing is left over.
fn whole_blocks<N: ArraySize>(buf: &mut [u8]) -> &mut [Array<u8, N>] {
    let (blocks, rest) = Array::slice_as_chunks_mut(buf);
    debug_assert!(rest.is_empty());
    blocks
}

fn cbc_key(cipher: Cipher, kc: &[u8; 16]) -> Vec<u8> {
    match cipher {
        Cipher::Des => des_key(&kc[..7]).to_vec(),
        _ => [des_key(&kc[..7]), des_key(&kc[7..14])].concat(),
    }
}

impl<D, T> CipherState<D, T>
where
    D: CbcDirection<Inner = Des>,
    T: CbcDirection<Inner = TdesEde2>,
{
    /// The state for `cipher` keyed by `kc` (the CBC IV is `kc[8..16]`).
    fn new(cipher: Cipher, kc: &[u8; 16]) -> Self {
        let iv = &kc[8..16];
        match cipher {
            Cipher::Des => {
                let key = Des::new_from_slice(&cbc_key(cipher, kc)).expect("8-byte DES key");
                CipherState::Des(Box::new(
                    D::inner_iv_slice_init(key, iv).expect("8-byte IV"),
                ))
            }
            Cipher::TripleDes => {
                let key = TdesEde2::new_from_slice(&cbc_key(cipher, kc)).expect("16-byte 3DES key");
                let mode = T::inner_iv_slice_init(key, iv).expect("8-byte IV");
                CipherState::TripleDes(Box::new(mode))
            }
            Cipher::Rc4 | Cipher::Rc4_56 | Cipher::Rc4_40 => {
                CipherState::Rc4(Box::new(Rc4::new_from_slice(kc).expect("16-byte RC4 key")))
            }
        }
    }

    /// Encrypts (sealing) or decrypts (opening) in place; for the block ciphers `buf` is a
    /// whole number of blocks.
    fn apply(&mut self, buf: &mut [u8]) {
        match self {
            CipherState::Des(c) => c.run(buf),
            CipherState::TripleDes(c) => c.run(buf),
            CipherState::Rc4(c) => c.apply_keystream(buf),
        }
    }
}

/// The sending half.
struct DigestWrap {
    ki: [u8; 16],
    seq: u32,
    seal: Option<(Cipher, Sealer)>,
    peer_maxbuf: usize,
}

/// The receiving half.
struct DigestUnwrap {
    ki: [u8; 16],
    seq: u32,
    open: Option<(Cipher, Opener)>,
}

impl Wrap for DigestWrap {
    fn wrap(&mut self, plain: &[u8]) -> Result<Vec<u8>, SaslError> {
        // As the JDK: nothing in, nothing out (no sequence number used).
        if plain.is_empty() {
            return Ok(Vec::new());
        }
        let seq = self.seq;
        let tag = mac(&self.ki, seq, plain);
        let mut out;
        match &mut self.seal {
            None => {
                out = Vec::with_capacity(plain.len() + OVERHEAD);
                out.extend_from_slice(plain);
                out.extend_from_slice(&tag);
            }
            Some((cipher, sealer)) => {
                let bs = cipher.block_size();
                let pad = if bs > 1 {
                    bs - (plain.len() + tag.len()) % bs
                } else {
                    0
                };
                out = Vec::with_capacity(plain.len() + pad + OVERHEAD);
                out.extend_from_slice(plain);
                out.resize(plain.len() + pad, pad as u8);
                out.extend_from_slice(&tag);
                sealer.apply(&mut out);
            }
        }
        out.extend_from_slice(&MESSAGE_TYPE);
        out.extend_from_slice(&seq.to_be_bytes());
        self.seq = self.seq.wrapping_add(1);
        Ok(out)
    }

    fn max_plain_len(&self) -> usize {
        let pad = if self.seal.is_some() { MAX_PAD } else { 0 };
        self.peer_maxbuf.saturating_sub(OVERHEAD + pad).max(1)
    }
}

fn layer_error(msg: impl Into<String>) -> SaslError {
    SaslError::Layer(format!("DIGEST-MD5: {}", msg.into()))
}

impl Unwrap for DigestUnwrap {
    fn unwrap(&mut self, token: &[u8]) -> Result<Vec<u8>, SaslError> {
        if token.is_empty() {
            return Ok(Vec::new());
        }
        if token.len() < OVERHEAD {
            return Err(layer_error(format!(
                "wrapped message of {} bytes is shorter than its {OVERHEAD}-byte trailer",
                token.len()
            )));
        }
        let (body, trailer) = token.split_at(token.len() - 6);
        if trailer[..2] != MESSAGE_TYPE {
            return Err(layer_error(format!(
                "message type {:02x?} is not 00 01",
                &trailer[..2]
            )));
        }
        let seq = u32::from_be_bytes([trailer[2], trailer[3], trailer[4], trailer[5]]);
        if seq != self.seq {
            return Err(layer_error(format!(
                "out of order sequencing of messages from peer: got {seq}, expected {}",
                self.seq
            )));
        }
        let plain = match &mut self.open {
            None => {
                let (msg, tag) = body.split_at(body.len() - 10);
                if !mac_eq(tag, &mac(&self.ki, seq, msg)) {
                    return Err(layer_error("invalid MAC (message altered or wrong key)"));
                }
                msg.to_vec()
            }
            Some((cipher, opener)) => {
                let bs = cipher.block_size();
                if !body.len().is_multiple_of(bs) {
                    return Err(layer_error(format!(
                        "encrypted part of {} bytes is not a multiple of the {bs}-byte block",
                        body.len()
                    )));
                }
                let mut clear = body.to_vec();
                opener.apply(&mut clear);
                let tag_at = clear.len() - 10;
                let pad = if bs > 1 {
                    let pad = usize::from(clear[tag_at - 1]);
                    let pad_ok = (1..=bs).contains(&pad)
                        && pad <= tag_at
                        && clear[tag_at - pad..tag_at].iter().all(|&b| b == pad as u8);
                    if !pad_ok {
                        return Err(layer_error(
                            "invalid padding (message altered or wrong key)",
                        ));
                    }
                    pad
                } else {
                    0
                };
                let msg_len = tag_at - pad;
                if !mac_eq(&clear[tag_at..], &mac(&self.ki, seq, &clear[..msg_len])) {
                    return Err(layer_error("invalid MAC (message altered or wrong key)"));
                }
                clear.truncate(msg_len);
                clear
            }
        };
        self.seq = self.seq.wrapping_add(1);
        Ok(plain)
    }
}

/// The layer for one side of a DIGEST-MD5 authentication that agreed on `qop` (with `cipher`
/// for privacy). `ha1` is the raw `H(A1)`; `peer_maxbuf` the peer's announced receive buffer.
pub fn security_layer(
    ha1: &[u8; 16],
    qop: Qop,
    cipher: Option<Cipher>,
    side: Side,
    peer_maxbuf: u32,
) -> Result<SecurityLayer, SaslError> {
    let keys = Keys::derive(ha1, cipher);
    let (send_ki, recv_ki, send_kc, recv_kc) = match side {
        Side::Client => (keys.kic, keys.kis, keys.kcc, keys.kcs),
        Side::Server => (keys.kis, keys.kic, keys.kcs, keys.kcc),
    };
    let (seal, open) = match (qop, cipher) {
        (Qop::AuthInt, _) => (None, None),
        (Qop::AuthConf, Some(c)) => (
            Some((c, Sealer::new(c, &send_kc))),
            Some((c, Opener::new(c, &recv_kc))),
        ),
        (Qop::AuthConf, None) => {
            return Err(layer_error("privacy was negotiated without a cipher"));
        }
        (Qop::Auth, _) => return Err(layer_error("QOP auth has no security layer")),
    };
    Ok(SecurityLayer {
        qop,
        wrap: Box::new(DigestWrap {
            ki: send_ki,
            seq: 0,
            seal,
            peer_maxbuf: peer_maxbuf as usize,
        }),
        unwrap: Box::new(DigestUnwrap {
            ki: recv_ki,
            seq: 0,
            open,
        }),
    })
}

/// The client's and the server's layers of one negotiated exchange (`H(A1)`, QOP, cipher and
/// each side's peer buffer size `maxbuf`), for tests that send between them.
#[cfg(test)]
pub(crate) fn layer_pair(
    ha1: &[u8; 16],
    qop: Qop,
    cipher: Option<Cipher>,
    maxbuf: u32,
) -> (SecurityLayer, SecurityLayer) {
    (
        security_layer(ha1, qop, cipher, Side::Client, maxbuf).unwrap(),
        security_layer(ha1, qop, cipher, Side::Server, maxbuf).unwrap(),
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    fn pair(qop: Qop, cipher: Option<Cipher>) -> (SecurityLayer, SecurityLayer) {
        layer_pair(&md5_of(&[b"some a1"]), qop, cipher, 65536)
    }

    #[test]
    fn every_cipher_round_trips_both_ways_across_messages() {
        let mut cases = vec![(Qop::AuthInt, None)];
        cases.extend(Cipher::ALL.map(|c| (Qop::AuthConf, Some(c))));
        for (qop, cipher) in cases {
            let (mut client, mut server) = pair(qop, cipher);
            for len in [1usize, 5, 6, 7, 8, 100, 1000] {
                let msg: Vec<u8> = (0..len).map(|i| (i * 7 + len) as u8).collect();
                let token = client.wrap.wrap(&msg).unwrap();
                if qop == Qop::AuthConf && len >= 8 {
                    assert!(!token.windows(8).any(|w| w == &msg[..8]), "{cipher:?}");
                }
                assert_eq!(server.unwrap.unwrap(&token).unwrap(), msg, "{cipher:?}");
                let back = server.wrap.wrap(&msg).unwrap();
                assert_eq!(client.unwrap.unwrap(&back).unwrap(), msg, "{cipher:?}");
            }
        }
    }

    #[test]
    fn integrity_keeps_the_message_readable_with_a_16_byte_trailer() {
        let (mut client, _) = pair(Qop::AuthInt, None);
        let token = client.wrap.wrap(b"hello").unwrap();
        assert_eq!(&token[..5], b"hello");
        assert_eq!(token.len(), 5 + 16);
        assert_eq!(&token[15..], &[0, 1, 0, 0, 0, 0]);
        let second = client.wrap.wrap(b"x").unwrap();
        assert_eq!(&second[second.len() - 4..], &[0, 0, 0, 1]);
    }

    #[test]
    fn tampering_replay_and_wrong_direction_are_refused() {
        for (qop, cipher) in [
            (Qop::AuthInt, None),
            (Qop::AuthConf, Some(Cipher::TripleDes)),
            (Qop::AuthConf, Some(Cipher::Rc4)),
        ] {
            let (mut client, mut server) = pair(qop, cipher);
            let token = client.wrap.wrap(b"message one").unwrap();
            let mut bad = token.clone();
            bad[0] ^= 1;
            assert!(server.unwrap.unwrap(&bad).is_err(), "{cipher:?}");
            // The MAC check failed, so the sequence number did not advance... but for stream
            // and CBC ciphers the state did; start a fresh pair for the replay check.
            let (mut client, mut server) = pair(qop, cipher);
            let token = client.wrap.wrap(b"message one").unwrap();
            server.unwrap.unwrap(&token).unwrap();
            let err = server.unwrap.unwrap(&token).unwrap_err();
            assert!(err.to_string().contains("sequencing"), "{err}");
            // A client's own token does not unwrap on the client (different keys).
            let (mut client, _) = pair(qop, cipher);
            let token = client.wrap.wrap(b"message one").unwrap();
            assert!(client.unwrap.unwrap(&token).is_err(), "{cipher:?}");
        }
    }

    #[test]
    fn short_and_misaligned_tokens_are_errors() {
        let (_, mut server) = pair(Qop::AuthConf, Some(Cipher::TripleDes));
        for token in [&[0u8; 1][..], &[0u8; 15], &[0u8; 17][..], &[0u8; 22][..]] {
            assert!(server.unwrap.unwrap(token).is_err());
        }
        // Empty in, empty out, as the JDK does (no sequence number is used).
        assert_eq!(server.unwrap.unwrap(&[]).unwrap(), Vec::<u8>::new());
        assert_eq!(server.wrap.wrap(&[]).unwrap(), Vec::<u8>::new());
    }

    #[test]
    fn des_key_spreads_seven_bit_groups_with_odd_parity() {
        let k = des_key(&[0xff; 7]);
        assert_eq!(k, [0xfe; 8]); // 7 ones + parity 0 = odd
        let k = des_key(&[0; 7]);
        assert_eq!(k, [0x01; 8]);
        let k = des_key(&[0x80, 0, 0, 0, 0, 0, 0x01]);
        assert_eq!(k[0], 0x80); // top bit, parity already odd
        assert_eq!(k[7], 0x02); // lowest key bit lands above the parity bit; 1 one → odd
        assert!(k.iter().all(|b| b.count_ones() % 2 == 1));
    }

    #[test]
    fn max_plain_len_leaves_room_for_the_trailer() {
        let (client, _) = pair(Qop::AuthInt, None);
        assert_eq!(client.wrap.max_plain_len(), 65536 - 16);
        let (client, _) = pair(Qop::AuthConf, Some(Cipher::Des));
        assert_eq!(client.wrap.max_plain_len(), 65536 - 24);
    }
}
