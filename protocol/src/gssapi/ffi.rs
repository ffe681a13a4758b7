//! The thin unsafe layer over MIT Kerberos' GSS-API library, `libgssapi_krb5.so.2`, loaded at
//! run time (as the `hdfs-native` crate does): nothing is needed to build Spindle, and only
//! Debian's `libgssapi-krb5-2` (present on any machine with Kerberos) to use Kerberos.
//!
//! Everything `unsafe` in this crate is in this file. It declares the C types of RFC 2744 as
//! MIT lays them out on Linux, resolves the few functions we call, and wraps every handle the
//! library hands out (names, credentials, contexts, buffers) in a type that releases it on
//! drop. Above this file the code is safe Rust.
//!
//! Rules the wrappers keep, so that every call is sound:
//! * input buffers point at live Rust slices for the duration of the call, and the library
//!   only reads them (RFC 2744 `gss_buffer_t` inputs are `const` in spirit; MIT's `gss_unwrap`
//!   may decrypt in place, so unwrap copies its input first);
//! * output buffers are allocated by the library and copied into a `Vec` before
//!   `gss_release_buffer` frees them;
//! * a handle is used by one thread at a time (the owning types are `Send`, not `Sync`).
#![allow(unsafe_code)]

use std::ffi::{CString, c_char, c_int, c_void};
use std::sync::OnceLock;

/// `OM_uint32`.
pub(crate) type OmUint32 = u32;

/// `gss_OID_desc`.
#[repr(C)]
struct OidDesc {
    length: OmUint32,
    elements: *mut c_void,
}

/// `gss_buffer_desc`.
#[repr(C)]
struct BufferDesc {
    length: usize,
    value: *mut c_void,
}

/// `gss_OID_set_desc`.
#[repr(C)]
struct OidSetDesc {
    count: usize,
    elements: *mut OidDesc,
}

/// `gss_key_value_element_desc` (MIT's credential-store extension).
#[repr(C)]
struct KeyValueElement {
    key: *const c_char,
    value: *const c_char,
}

/// `gss_key_value_set_desc`.
#[repr(C)]
struct KeyValueSet {
    count: OmUint32,
    elements: *const KeyValueElement,
}

type RawName = *mut c_void;
type RawCred = *mut c_void;
type RawCtx = *mut c_void;

/// `gss_cred_usage_t` values.
pub(crate) const C_INITIATE: c_int = 1;
pub(crate) const C_ACCEPT: c_int = 2;
/// `gss_display_status` status types.
const C_GSS_CODE: c_int = 1;
const C_MECH_CODE: c_int = 2;
/// Context flags.
pub(crate) const C_MUTUAL_FLAG: OmUint32 = 2;
pub(crate) const C_REPLAY_FLAG: OmUint32 = 4;
pub(crate) const C_SEQUENCE_FLAG: OmUint32 = 8;
pub(crate) const C_CONF_FLAG: OmUint32 = 16;
pub(crate) const C_INTEG_FLAG: OmUint32 = 32;
/// `GSS_C_INDEFINITE`.
const C_INDEFINITE: OmUint32 = u32::MAX;
/// `GSS_S_CONTINUE_NEEDED` (a supplementary bit, not an error).
pub(crate) const S_CONTINUE_NEEDED: OmUint32 = 1;
/// Supplementary bits of `gss_unwrap` for a token seen before, too old, out of order, or
/// after a gap (`GSS_S_DUPLICATE_TOKEN | OLD_TOKEN | UNSEQ_TOKEN | GAP_TOKEN`).
const S_SEQUENCE_PROBLEMS: OmUint32 = 2 | 4 | 8 | 16;

/// OID bytes of `GSS_KRB5_NT_PRINCIPAL_NAME` (1.2.840.113554.1.2.2.1): `service/host@REALM`.
pub(crate) const NT_KRB5_PRINCIPAL: &[u8] =
    &[0x2a, 0x86, 0x48, 0x86, 0xf7, 0x12, 0x01, 0x02, 0x02, 0x01];
/// OID bytes of the Kerberos 5 mechanism (1.2.840.113554.1.2.2).
pub(crate) const MECH_KRB5: &[u8] = &[0x2a, 0x86, 0x48, 0x86, 0xf7, 0x12, 0x01, 0x02, 0x02];

type ImportNameFn =
    unsafe extern "C" fn(*mut OmUint32, *mut BufferDesc, *mut OidDesc, *mut RawName) -> OmUint32;
type ReleaseNameFn = unsafe extern "C" fn(*mut OmUint32, *mut RawName) -> OmUint32;
type DisplayNameFn =
    unsafe extern "C" fn(*mut OmUint32, RawName, *mut BufferDesc, *mut *mut OidDesc) -> OmUint32;
type AcquireCredFromFn = unsafe extern "C" fn(
    *mut OmUint32,
    RawName,
    OmUint32,
    *mut OidSetDesc,
    c_int,
    *const KeyValueSet,
    *mut RawCred,
    *mut *mut OidSetDesc,
    *mut OmUint32,
) -> OmUint32;
type ReleaseCredFn = unsafe extern "C" fn(*mut OmUint32, *mut RawCred) -> OmUint32;
type InquireCredFn = unsafe extern "C" fn(
    *mut OmUint32,
    RawCred,
    *mut RawName,
    *mut OmUint32,
    *mut c_int,
    *mut *mut OidSetDesc,
) -> OmUint32;
type InitSecContextFn = unsafe extern "C" fn(
    *mut OmUint32,
    RawCred,
    *mut RawCtx,
    RawName,
    *mut OidDesc,
    OmUint32,
    OmUint32,
    *mut c_void,
    *mut BufferDesc,
    *mut *mut OidDesc,
    *mut BufferDesc,
    *mut OmUint32,
    *mut OmUint32,
) -> OmUint32;
type AcceptSecContextFn = unsafe extern "C" fn(
    *mut OmUint32,
    *mut RawCtx,
    RawCred,
    *mut BufferDesc,
    *mut c_void,
    *mut RawName,
    *mut *mut OidDesc,
    *mut BufferDesc,
    *mut OmUint32,
    *mut OmUint32,
    *mut RawCred,
) -> OmUint32;
type DeleteSecContextFn =
    unsafe extern "C" fn(*mut OmUint32, *mut RawCtx, *mut BufferDesc) -> OmUint32;
type WrapFn = unsafe extern "C" fn(
    *mut OmUint32,
    RawCtx,
    c_int,
    OmUint32,
    *mut BufferDesc,
    *mut c_int,
    *mut BufferDesc,
) -> OmUint32;
type UnwrapFn = unsafe extern "C" fn(
    *mut OmUint32,
    RawCtx,
    *mut BufferDesc,
    *mut BufferDesc,
    *mut c_int,
    *mut OmUint32,
) -> OmUint32;
type ReleaseBufferFn = unsafe extern "C" fn(*mut OmUint32, *mut BufferDesc) -> OmUint32;
type DisplayStatusFn = unsafe extern "C" fn(
    *mut OmUint32,
    OmUint32,
    c_int,
    *mut OidDesc,
    *mut OmUint32,
    *mut BufferDesc,
) -> OmUint32;

/// The functions we call, resolved once.
struct Api {
    import_name: ImportNameFn,
    release_name: ReleaseNameFn,
    display_name: DisplayNameFn,
    acquire_cred_from: AcquireCredFromFn,
    release_cred: ReleaseCredFn,
    inquire_cred: InquireCredFn,
    init_sec_context: InitSecContextFn,
    accept_sec_context: AcceptSecContextFn,
    delete_sec_context: DeleteSecContextFn,
    wrap: WrapFn,
    unwrap: UnwrapFn,
    release_buffer: ReleaseBufferFn,
    display_status: DisplayStatusFn,
    /// Keeps the library mapped for as long as the process runs (the function pointers above
    /// point into it).
    _lib: libloading::Library,
}

/// The library's file name (Debian package `libgssapi-krb5-2`).
pub(crate) const LIBRARY: &str = "libgssapi_krb5.so.2";

static API: OnceLock<Result<Api, String>> = OnceLock::new();

fn load() -> Result<Api, String> {
    // SAFETY: loading MIT's GSS-API library runs its initialisers, which have no preconditions.
    let lib = unsafe { libloading::Library::new(LIBRARY) }.map_err(|e| e.to_string())?;
    macro_rules! sym {
        ($name:literal, $ty:ty) => {{
            // SAFETY: the symbol is the RFC 2744 / MIT function of that name, whose C
            // signature `$ty` transcribes; the pointer is copied out and used only while `lib`
            // is alive (it is stored next to the pointers and never dropped).
            let s: libloading::Symbol<'_, $ty> =
                unsafe { lib.get($name) }.map_err(|e| e.to_string())?;
            *s
        }};
    }
    Ok(Api {
        import_name: sym!(b"gss_import_name\0", ImportNameFn),
        release_name: sym!(b"gss_release_name\0", ReleaseNameFn),
        display_name: sym!(b"gss_display_name\0", DisplayNameFn),
        acquire_cred_from: sym!(b"gss_acquire_cred_from\0", AcquireCredFromFn),
        release_cred: sym!(b"gss_release_cred\0", ReleaseCredFn),
        inquire_cred: sym!(b"gss_inquire_cred\0", InquireCredFn),
        init_sec_context: sym!(b"gss_init_sec_context\0", InitSecContextFn),
        accept_sec_context: sym!(b"gss_accept_sec_context\0", AcceptSecContextFn),
        delete_sec_context: sym!(b"gss_delete_sec_context\0", DeleteSecContextFn),
        wrap: sym!(b"gss_wrap\0", WrapFn),
        unwrap: sym!(b"gss_unwrap\0", UnwrapFn),
        release_buffer: sym!(b"gss_release_buffer\0", ReleaseBufferFn),
        display_status: sym!(b"gss_display_status\0", DisplayStatusFn),
        _lib: lib,
    })
}

fn api() -> Result<&'static Api, Status> {
    API.get_or_init(load)
        .as_ref()
        .map_err(|e| Status::NotLoaded(e.clone()))
}

/// Whether the library can be loaded (its load error otherwise).
pub(crate) fn available() -> Result<(), String> {
    api().map(|_| ()).map_err(|s| s.to_string())
}

/// A failed call: the library's major and minor status, or the library could not be loaded.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Status {
    /// `dlopen` failed.
    NotLoaded(String),
    /// A GSS-API call failed.
    Failed {
        /// Which call.
        call: &'static str,
        /// Major status.
        major: OmUint32,
        /// Minor (mechanism) status.
        minor: OmUint32,
        /// The library's own text for both.
        text: String,
    },
}

impl std::fmt::Display for Status {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Status::NotLoaded(e) => write!(f, "cannot load {LIBRARY}: {e}"),
            Status::Failed { call, text, .. } => write!(f, "{call}: {text}"),
        }
    }
}

/// Points a buffer descriptor at `bytes` for the length of one call.
fn input(bytes: &[u8]) -> BufferDesc {
    BufferDesc {
        length: bytes.len(),
        value: bytes.as_ptr() as *mut c_void,
    }
}

fn empty_buffer() -> BufferDesc {
    BufferDesc {
        length: 0,
        value: std::ptr::null_mut(),
    }
}

/// The output buffer of a call that returned `major`/`minor`: freed in every case, returned
/// only when the call succeeded.
fn checked_output(
    api: &Api,
    call: &'static str,
    major: OmUint32,
    minor: OmUint32,
    out: &mut BufferDesc,
) -> Result<Vec<u8>, Status> {
    let bytes = take_buffer(api, out);
    check(api, call, major, minor)?;
    Ok(bytes)
}

/// An OID descriptor over static bytes, for the length of one call.
fn oid(bytes: &'static [u8]) -> OidDesc {
    OidDesc {
        length: bytes.len() as OmUint32,
        elements: bytes.as_ptr() as *mut c_void,
    }
}

/// Copies a library-allocated buffer into a `Vec` and frees it.
fn take_buffer(api: &Api, buf: &mut BufferDesc) -> Vec<u8> {
    let out = if buf.value.is_null() || buf.length == 0 {
        Vec::new()
    } else {
        // SAFETY: the library filled `buf` with `length` readable bytes at `value`.
        unsafe { std::slice::from_raw_parts(buf.value as *const u8, buf.length) }.to_vec()
    };
    let mut minor = 0;
    // SAFETY: `buf` was allocated by the library (or is empty); released exactly once here.
    unsafe { (api.release_buffer)(&mut minor, buf) };
    out
}

/// All messages `gss_display_status` has for one status value.
fn status_text(api: &Api, value: OmUint32, kind: c_int) -> Vec<String> {
    let mut out = Vec::new();
    let mut context: OmUint32 = 0;
    let mut krb5 = oid(MECH_KRB5);
    // At most a handful of messages: bound the loop in case the library misbehaves.
    for _ in 0..8 {
        let mut minor = 0;
        let mut buf = empty_buffer();
        // SAFETY: all pointers are to live locals; the output buffer is released by
        // `take_buffer`.
        let major = unsafe {
            (api.display_status)(&mut minor, value, kind, &mut krb5, &mut context, &mut buf)
        };
        if major != 0 {
            break;
        }
        let text = String::from_utf8_lossy(&take_buffer(api, &mut buf)).into_owned();
        if !text.is_empty() {
            out.push(text);
        }
        if context == 0 {
            break;
        }
    }
    out
}

fn check(api: &Api, call: &'static str, major: OmUint32, minor: OmUint32) -> Result<(), Status> {
    // The calling-error and routine-error fields are the upper 16 bits.
    if major & 0xffff_0000 == 0 {
        return Ok(());
    }
    let mut parts = status_text(api, major, C_GSS_CODE);
    if minor != 0 {
        parts.extend(status_text(api, minor, C_MECH_CODE));
    }
    Err(Status::Failed {
        call,
        major,
        minor,
        text: parts.join(": "),
    })
}

/// Which library object a [`Handle`] holds, which says how it is given back.
#[derive(Debug, Clone, Copy)]
enum HandleKind {
    /// `gss_name_t`, given back by `gss_release_name`.
    Name,
    /// `gss_cred_id_t`, given back by `gss_release_cred`.
    Cred,
    /// `gss_ctx_id_t`, given back by `gss_delete_sec_context`.
    Ctx,
}

/// An object the library allocated for us (or null until a call fills it in), given back to
/// the library exactly once, when the handle is dropped.
#[derive(Debug)]
struct Handle {
    /// The library's pointer, passed to (and for contexts updated by) the calls.
    ptr: *mut c_void,
    kind: HandleKind,
}

impl Handle {
    /// Takes ownership of `ptr`, an object of `kind` from the library (or null).
    fn owning(kind: HandleKind, ptr: *mut c_void) -> Handle {
        Handle { ptr, kind }
    }
}

impl Drop for Handle {
    fn drop(&mut self) {
        // A null handle was never filled in; an unloaded library cannot have made one.
        let Ok(api) = api() else { return };
        if self.ptr.is_null() {
            return;
        }
        let mut minor = 0;
        // SAFETY: `ptr` is a live object of `kind` from the library, which only this handle
        // owns; it is given back exactly once, here. No output token is asked for when a
        // context is deleted (a null buffer).
        unsafe {
            match self.kind {
                HandleKind::Name => (api.release_name)(&mut minor, &mut self.ptr),
                HandleKind::Cred => (api.release_cred)(&mut minor, &mut self.ptr),
                HandleKind::Ctx => {
                    (api.delete_sec_context)(&mut minor, &mut self.ptr, std::ptr::null_mut())
                }
            }
        };
    }
}

/// An imported or returned name (`gss_name_t`).
#[derive(Debug)]
pub(crate) struct Name {
    handle: Handle,
}

// SAFETY: a GSS name is an immutable object after import; MIT allows using it from any thread.
unsafe impl Send for Name {}

impl Name {
    /// Imports a Kerberos principal name (`service/host@REALM` or `user@REALM`).
    pub(crate) fn krb5_principal(principal: &str) -> Result<Name, Status> {
        let api = api()?;
        let mut minor = 0;
        let mut buf = input(principal.as_bytes());
        let mut nt = oid(NT_KRB5_PRINCIPAL);
        let mut raw: RawName = std::ptr::null_mut();
        // SAFETY: `buf` points at `principal` for this call; `nt` at static bytes; `raw`
        // receives a new name that `Name` releases on drop.
        let major = unsafe { (api.import_name)(&mut minor, &mut buf, &mut nt, &mut raw) };
        check(api, "gss_import_name", major, minor)?;
        Ok(Name {
            handle: Handle::owning(HandleKind::Name, raw),
        })
    }

    /// The name as text (`alice@REALM`).
    pub(crate) fn display(&self) -> Result<String, Status> {
        let api = api()?;
        let mut minor = 0;
        let mut buf = empty_buffer();
        let mut kind: *mut OidDesc = std::ptr::null_mut();
        // SAFETY: `self.handle` is a live name; the output buffer is released by
        // `checked_output`; `kind` points into the library's static OIDs and is not freed.
        let major = unsafe { (api.display_name)(&mut minor, self.handle.ptr, &mut buf, &mut kind) };
        let text = checked_output(api, "gss_display_name", major, minor, &mut buf)?;
        Ok(String::from_utf8_lossy(&text).into_owned())
    }
}

/// A credential handle (`gss_cred_id_t`).
#[derive(Debug)]
pub(crate) struct Cred {
    handle: Handle,
}

// SAFETY: MIT credential handles are internally locked and may be shared between threads;
// we still only hand `&Cred` to one call at a time per context.
unsafe impl Send for Cred {}
// SAFETY: see above; MIT serialises access to a credential with its own mutex.
unsafe impl Sync for Cred {}

impl Cred {
    /// `gss_acquire_cred_from` for `usage` (initiate or accept) of `name` (or the default
    /// name), with MIT credential-store entries (`ccache`, `client_keytab`, `keytab`).
    pub(crate) fn acquire(
        name: Option<&Name>,
        usage: c_int,
        store: &[(&str, &str)],
    ) -> Result<Cred, Status> {
        let api = api()?;
        let owned: Vec<(CString, CString)> = store
            .iter()
            .map(|(k, v)| {
                Ok((
                    CString::new(*k).map_err(|e| Status::NotLoaded(e.to_string()))?,
                    CString::new(*v).map_err(|e| Status::NotLoaded(e.to_string()))?,
                ))
            })
            .collect::<Result<_, Status>>()?;
        let elements: Vec<KeyValueElement> = owned
            .iter()
            .map(|(k, v)| KeyValueElement {
                key: k.as_ptr(),
                value: v.as_ptr(),
            })
            .collect();
        let set = KeyValueSet {
            count: elements.len() as OmUint32,
            elements: elements.as_ptr(),
        };
        let mut mech = oid(MECH_KRB5);
        let mut mechs = OidSetDesc {
            count: 1,
            elements: &mut mech,
        };
        let mut minor = 0;
        let mut raw: RawCred = std::ptr::null_mut();
        let store_ptr: *const KeyValueSet = if elements.is_empty() {
            std::ptr::null()
        } else {
            &set
        };
        // SAFETY: every pointer refers to a local that outlives the call (`owned`, `elements`,
        // `set`, `mech`, `mechs`); the library copies what it keeps. `raw` receives a handle
        // that `Cred` releases; we ask for no actual-mechs set and no time.
        let major = unsafe {
            (api.acquire_cred_from)(
                &mut minor,
                name.map_or(std::ptr::null_mut(), |n| n.handle.ptr),
                C_INDEFINITE,
                &mut mechs,
                usage,
                store_ptr,
                &mut raw,
                std::ptr::null_mut(),
                std::ptr::null_mut(),
            )
        };
        check(api, "gss_acquire_cred_from", major, minor)?;
        Ok(Cred {
            handle: Handle::owning(HandleKind::Cred, raw),
        })
    }

    /// The credential's principal and remaining lifetime in seconds.
    pub(crate) fn inquire(&self) -> Result<(String, u32), Status> {
        let api = api()?;
        let mut minor = 0;
        let mut name: RawName = std::ptr::null_mut();
        let mut lifetime: OmUint32 = 0;
        // SAFETY: `self.handle` is live; `name` receives a new name wrapped (and released) below;
        // usage and mechs are not requested.
        let major = unsafe {
            (api.inquire_cred)(
                &mut minor,
                self.handle.ptr,
                &mut name,
                &mut lifetime,
                std::ptr::null_mut(),
                std::ptr::null_mut(),
            )
        };
        check(api, "gss_inquire_cred", major, minor)?;
        let name = Name {
            handle: Handle::owning(HandleKind::Name, name),
        };
        Ok((name.display()?, lifetime))
    }
}

/// A security context (`gss_ctx_id_t`), initiator or acceptor.
#[derive(Debug)]
pub(crate) struct Ctx {
    handle: Handle,
}

// SAFETY: a context may move between threads; it is used through `&mut self` only, so never
// from two threads at once (MIT contexts are not safe for concurrent use).
unsafe impl Send for Ctx {}

/// What one context-establishment call produced.
#[derive(Debug)]
pub(crate) struct Step {
    /// The token to send to the peer (may be empty).
    pub(crate) token: Vec<u8>,
    /// Whether the library needs another token from the peer.
    pub(crate) continue_needed: bool,
    /// The context flags granted so far.
    pub(crate) flags: OmUint32,
}

impl Step {
    /// The step a context-establishment call returning `major` made.
    fn new(token: Vec<u8>, major: OmUint32, flags: OmUint32) -> Step {
        Step {
            token,
            continue_needed: major & S_CONTINUE_NEEDED != 0,
            flags,
        }
    }
}

impl Ctx {
    /// A context not yet started.
    pub(crate) fn new() -> Ctx {
        Ctx {
            handle: Handle::owning(HandleKind::Ctx, std::ptr::null_mut()),
        }
    }

    /// One `gss_init_sec_context` call towards `target` with `cred` (`None`: the default
    /// credential from the ticket cache).
    pub(crate) fn init(
        &mut self,
        cred: Option<&Cred>,
        target: &Name,
        flags: OmUint32,
        token: &[u8],
    ) -> Result<Step, Status> {
        let api = api()?;
        let mut minor = 0;
        let mut mech = oid(MECH_KRB5);
        let mut input_token = input(token);
        let mut out = empty_buffer();
        let mut ret_flags: OmUint32 = 0;
        // SAFETY: `self.handle` is null (first call) or a context from an earlier call; the
        // input token points at `token` for this call; the output token is released by
        // `checked_output`; no channel bindings, actual mech or time are requested.
        let major = unsafe {
            (api.init_sec_context)(
                &mut minor,
                cred.map_or(std::ptr::null_mut(), |c| c.handle.ptr),
                &mut self.handle.ptr,
                target.handle.ptr,
                &mut mech,
                flags,
                0,
                std::ptr::null_mut(),
                &mut input_token,
                std::ptr::null_mut(),
                &mut out,
                &mut ret_flags,
                std::ptr::null_mut(),
            )
        };
        let token = checked_output(api, "gss_init_sec_context", major, minor, &mut out)?;
        Ok(Step::new(token, major, ret_flags))
    }

    /// One `gss_accept_sec_context` call with `cred`; on completion also the initiator's name.
    pub(crate) fn accept(
        &mut self,
        cred: &Cred,
        token: &[u8],
    ) -> Result<(Step, Option<Name>), Status> {
        let api = api()?;
        let mut minor = 0;
        let mut input_token = input(token);
        let mut out = empty_buffer();
        let mut source: RawName = std::ptr::null_mut();
        let mut ret_flags: OmUint32 = 0;
        // SAFETY: as for `init`; `source` receives a name wrapped (and released) below; no
        // delegated credential is requested.
        let major = unsafe {
            (api.accept_sec_context)(
                &mut minor,
                &mut self.handle.ptr,
                cred.handle.ptr,
                &mut input_token,
                std::ptr::null_mut(),
                &mut source,
                std::ptr::null_mut(),
                &mut out,
                &mut ret_flags,
                std::ptr::null_mut(),
                std::ptr::null_mut(),
            )
        };
        // Wrapped before the check so that a name returned with an error is released too.
        let source = (!source.is_null()).then_some(Name {
            handle: Handle::owning(HandleKind::Name, source),
        });
        let token = checked_output(api, "gss_accept_sec_context", major, minor, &mut out)?;
        Ok((Step::new(token, major, ret_flags), source))
    }

    /// `gss_wrap`: integrity protection, and encryption when `encrypt`.
    pub(crate) fn wrap(&mut self, encrypt: bool, msg: &[u8]) -> Result<Vec<u8>, Status> {
        let api = api()?;
        let mut minor = 0;
        let mut input_msg = input(msg);
        let mut out = empty_buffer();
        let mut conf_state: c_int = 0;
        // SAFETY: `self.handle` is an established context; the input points at `msg`; the
        // output is released by `checked_output`.
        let major = unsafe {
            (api.wrap)(
                &mut minor,
                self.handle.ptr,
                c_int::from(encrypt),
                0,
                &mut input_msg,
                &mut conf_state,
                &mut out,
            )
        };
        checked_output(api, "gss_wrap", major, minor, &mut out)
    }

    /// `gss_unwrap`: the message, and whether it was encrypted.
    pub(crate) fn unwrap(&mut self, token: &[u8]) -> Result<(Vec<u8>, bool), Status> {
        let api = api()?;
        // MIT may decrypt in place inside the input buffer: give it a copy.
        let mut copy = token.to_vec();
        let mut input_token = BufferDesc {
            length: copy.len(),
            value: copy.as_mut_ptr() as *mut c_void,
        };
        let mut minor = 0;
        let mut out = empty_buffer();
        let mut conf_state: c_int = 0;
        let mut qop: OmUint32 = 0;
        // SAFETY: `self.handle` is an established context; the input points at `copy`, which
        // we own and let the library modify; the output is released by `checked_output`.
        let major = unsafe {
            (api.unwrap)(
                &mut minor,
                self.handle.ptr,
                &mut input_token,
                &mut out,
                &mut conf_state,
                &mut qop,
            )
        };
        let msg = checked_output(api, "gss_unwrap", major, minor, &mut out)?;
        // On a stream every token comes exactly once and in order: anything else is an attack
        // or a bug, though the library reports it as a mere supplementary status.
        if major & S_SEQUENCE_PROBLEMS != 0 {
            return Err(Status::Failed {
                call: "gss_unwrap",
                major,
                minor,
                text: format!(
                    "a replayed, old or out-of-order message (supplementary status {:#x})",
                    major & S_SEQUENCE_PROBLEMS
                ),
            });
        }
        Ok((msg, conf_state != 0))
    }
}
