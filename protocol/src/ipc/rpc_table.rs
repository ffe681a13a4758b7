//! RPC tables: one declaration per protocol ([`ipc_protocol!`](crate::ipc_protocol)) from which
//! the server trait, the [`Service`](crate::ipc::Service) adapter and the typed client are
//! generated, so the method list, the wire names and the message types are written once.
//!
//! This module holds what the generated code calls; the macro itself is exported at the crate
//! root so that other crates declare their own protocols over the same Hadoop IPC.

use prost::Message;

use crate::ipc::{CallContext, ServiceError};

#[doc(hidden)]
pub use bytes::Bytes;
#[doc(hidden)]
pub use futures::future::BoxFuture;

/// Decodes the request of `method` (`RpcServerException`, `ERROR_RPC_SERVER` when the bytes are
/// not a `M`).
pub fn decode_request<M: Message + Default>(
    method: &str,
    request: &Bytes,
) -> Result<M, ServiceError> {
    M::decode(request.as_ref()).map_err(|e| ServiceError::bad_request(method, e))
}

/// Encodes a reply.
pub fn encode_reply<M: Message>(reply: &M) -> Bytes {
    Bytes::from(reply.encode_to_vec())
}

/// The caller check of a protocol any authenticated connection may call (SIMPLE included):
/// the call context itself.
pub fn any_caller(ctx: CallContext) -> Result<CallContext, ServiceError> {
    Ok(ctx)
}

/// Declares one protocol served and called over Hadoop IPC, as a table of its methods, and
/// generates from it:
///
/// * the **server trait**: one method per row, `fn m(&self, caller, request) -> impl Future<Output
///   = Result<Response, ServiceError>> + Send`. Rows under `required` have no body; rows under
///   `optional` answer `unsupported("wireName")` unless the implementation overrides them;
/// * the **[`Service`](crate::ipc::Service) adapter** (`service: Name`, generic over the
///   implementation, built with `Name::new(Arc<impl Trait>)`). For each call it rejects an
///   unknown method (`RpcNoSuchMethodException`), decodes the request (`RpcServerException`
///   when it cannot), runs the caller check (`caller: Type = check`, a
///   `fn(CallContext) -> Result<Type, ServiceError>`), calls the trait method and encodes the
///   reply, in that order;
/// * the **typed client** (`client: Name -> Error`): a cheap-to-clone struct over an
///   [`IpcClient`](crate::ipc::IpcClient) with `new(ClientConfig)` (sets the protocol name and
///   version), `ipc()`, `METHODS` (every row as `(wire name, Rust name)`) and one `async` method
///   per row taking `&Request` and returning `Result<Response, Error>`, where `Error` is any
///   type with `From<IpcError>` (sorting failures into it is the caller's own code). A request
///   type written `empty Request` (a message without fields) makes the client method take no
///   request; the server trait still receives it.
///
/// The wire name of a method is written once, in its row, so the server and the client cannot
/// disagree about it; two rows with one wire name fail to compile (`unreachable_patterns`
/// under `-D warnings`), as do two with one Rust name.
///
/// The YARN protocols are declared with it in [`crate::yarn::am`], [`crate::yarn::nm`] and
/// [`crate::yarn::client`]. A protocol of another crate, with its own prost messages, caller
/// check and error type:
///
/// ```
/// use std::sync::Arc;
///
/// use spindle_protocol::ipc::{
///     CallContext, ClientAuth, ClientConfig, IpcError, IpcServer, ServerConfig, ServiceError,
/// };
///
/// #[derive(Clone, PartialEq, prost::Message)]
/// pub struct EchoRequestProto {
///     #[prost(string, optional, tag = "1")]
///     pub text: Option<String>,
/// }
///
/// #[derive(Clone, PartialEq, prost::Message)]
/// pub struct EchoResponseProto {
///     #[prost(string, optional, tag = "1")]
///     pub text: Option<String>,
/// }
///
/// #[derive(Clone, PartialEq, prost::Message)]
/// pub struct StatsRequestProto {}
///
/// /// Who may call: only the users this server knows.
/// fn known_user(ctx: CallContext) -> Result<String, ServiceError> {
///     match ctx.user.as_str() {
///         "alice" | "bob" => Ok(ctx.user),
///         other => Err(ServiceError::new(
///             "org.apache.hadoop.security.AccessControlException",
///             format!("{other} may not call the echo protocol"),
///         )),
///     }
/// }
///
/// fn not_supported(method: &str) -> ServiceError {
///     ServiceError::new(
///         "java.lang.UnsupportedOperationException",
///         format!("{method} is not supported"),
///     )
/// }
///
/// spindle_protocol::ipc_protocol! {
///     /// The server side of the echo protocol.
///     pub trait EchoProtocol {
///         name: "org.example.EchoProtocolPB",
///         version: 1,
///         caller: String = known_user,
///         unsupported: not_supported,
///         service: EchoService,
///         /// The echo protocol's client.
///         client: EchoClient -> IpcError,
///     }
///     required {
///         /// `echo`: answers the text it was sent, signed by the caller.
///         fn echo("echo", EchoRequestProto) -> EchoResponseProto;
///     }
///     optional {
///         /// `stats`: takes no arguments, so the client method takes none.
///         fn stats("stats", empty StatsRequestProto) -> EchoResponseProto;
///     }
/// }
///
/// struct Echo;
///
/// impl EchoProtocol for Echo {
///     async fn echo(
///         &self,
///         caller: String,
///         request: EchoRequestProto,
///     ) -> Result<EchoResponseProto, ServiceError> {
///         Ok(EchoResponseProto {
///             text: Some(format!("{} (from {caller})", request.text())),
///         })
///     }
/// }
///
/// # tokio::runtime::Builder::new_current_thread().enable_all().build().unwrap().block_on(async {
/// let server = IpcServer::bind(
///     ServerConfig::new("127.0.0.1:0".parse().unwrap()),
///     vec![Arc::new(EchoService::new(Arc::new(Echo)))],
/// )
/// .await
/// .unwrap();
/// let auth = ClientAuth::Simple { user: "alice".into() };
/// let client = EchoClient::new(ClientConfig::new(server.local_addr().to_string(), "", auth));
/// let reply = client
///     .echo(&EchoRequestProto { text: Some("hi".into()) })
///     .await
///     .unwrap();
/// assert_eq!(reply.text(), "hi (from alice)");
/// let err = client.stats().await.unwrap_err();
/// assert!(err.remote().unwrap().is("UnsupportedOperationException"));
/// assert_eq!(EchoClient::METHODS, [("echo", "echo"), ("stats", "stats")]);
/// server.shutdown().await;
/// # });
/// ```
#[macro_export]
macro_rules! ipc_protocol {
    (
        $(#[$trait_attr:meta])*
        $vis:vis trait $trait:ident {
            name: $name:expr,
            version: $version:expr,
            caller: $caller:ty = $check:path,
            unsupported: $unsupported:path,
            service: $service:ident,
            $(#[$client_attr:meta])*
            client: $client:ident -> $error:ty $(,)?
        }
        required {
            $(
                $(#[$r_attr:meta])*
                fn $r_method:ident($r_wire:literal, $($r_req:tt)+) -> $r_resp:ty;
            )*
        }
        optional {
            $(
                $(#[$o_attr:meta])*
                fn $o_method:ident($o_wire:literal, $($o_req:tt)+) -> $o_resp:ty;
            )*
        }
    ) => {
        $(#[$trait_attr])*
        $vis trait $trait: ::core::marker::Send + ::core::marker::Sync + 'static {
            $(
                $crate::__ipc_trait_method! {
                    caller: $caller, request;
                    $(#[$r_attr])* fn $r_method($($r_req)+) -> $r_resp => ;
                }
            )*
            $(
                $crate::__ipc_trait_method! {
                    caller: $caller, request;
                    $(#[$o_attr])* fn $o_method($($o_req)+) -> $o_resp => {
                        let _ = (caller, request);
                        async { ::core::result::Result::Err($unsupported($o_wire)) }
                    }
                }
            )*
        }

        #[doc = concat!(
            "Serves an [`", stringify!($trait), "`] implementation over Hadoop IPC: for each ",
            "call, rejects an unknown method, decodes the request, checks the caller, runs the ",
            "method and encodes the reply."
        )]
        $vis struct $service<T> {
            inner: ::std::sync::Arc<T>,
        }

        impl<T: $trait> $service<T> {
            /// Serves `inner`.
            $vis fn new(inner: ::std::sync::Arc<T>) -> Self {
                $service { inner }
            }
        }

        impl<T: $trait> $crate::ipc::Service for $service<T> {
            fn protocol_name(&self) -> &str {
                $name
            }

            fn protocol_version(&self) -> u64 {
                $version
            }

            fn call(
                &self,
                ctx: $crate::ipc::CallContext,
                method: &str,
                request: $crate::ipc::rpc_table::Bytes,
            ) -> $crate::ipc::CallFuture {
                $crate::__ipc_dispatch!(
                    &self.inner, ctx, method, request, $name, $check;
                    $($r_method $r_wire)* $($o_method $o_wire)*
                )
            }
        }

        $(#[$client_attr])*
        #[derive(Debug, Clone)]
        $vis struct $client {
            ipc: $crate::ipc::IpcClient,
        }

        impl $client {
            /// Every method of the protocol as `(wire name, Rust method name)`, in table order.
            $vis const METHODS: &'static [(&'static str, &'static str)] = &[
                $(($r_wire, stringify!($r_method)),)*
                $(($o_wire, stringify!($o_method)),)*
            ];

            /// A client with this configuration; the protocol name and version are set for
            /// this protocol.
            $vis fn new(mut config: $crate::ipc::ClientConfig) -> Self {
                config.protocol = ::std::string::String::from($name);
                config.protocol_version = $version;
                $client {
                    ipc: $crate::ipc::IpcClient::new(config),
                }
            }

            /// The underlying IPC client.
            $vis fn ipc(&self) -> &$crate::ipc::IpcClient {
                &self.ipc
            }

            $(
                $crate::__ipc_client_method! {
                    $vis $error; $(#[$r_attr])* fn $r_method($r_wire, $($r_req)+) -> $r_resp
                }
            )*
            $(
                $crate::__ipc_client_method! {
                    $vis $error; $(#[$o_attr])* fn $o_method($o_wire, $($o_req)+) -> $o_resp
                }
            )*
        }
    };
}

/// One method of a generated server trait: `=> ;` for a required one, `=> { body }` for an
/// optional one (the parameter names come with the body, so that it can use them).
#[doc(hidden)]
#[macro_export]
macro_rules! __ipc_trait_method {
    (
        $caller_name:ident: $caller:ty, $request_name:ident;
        $(#[$attr:meta])* fn $method:ident($($request:tt)+) -> $response:ty => $body:tt
    ) => {
        $(#[$attr])*
        fn $method(
            &self,
            $caller_name: $caller,
            $request_name: $crate::__ipc_request!($($request)+),
        ) -> impl ::core::future::Future<
            Output = ::core::result::Result<$response, $crate::ipc::ServiceError>,
        > + ::core::marker::Send $body
    };
}

/// The body of a generated `Service::call`: the wire name picks the row; the row's future
/// decodes the request, checks the caller, runs the trait method and encodes the reply.
#[doc(hidden)]
#[macro_export]
macro_rules! __ipc_dispatch {
    (
        $inner:expr, $ctx:ident, $method:ident, $request:ident, $name:expr, $check:path;
        $($rust:ident $wire:literal)*
    ) => {{
        let inner = ::std::sync::Arc::clone($inner);
        match $method {
            $(
                $wire => ::std::boxed::Box::pin(async move {
                    let request = $crate::ipc::rpc_table::decode_request($wire, &$request)?;
                    let caller = $check($ctx)?;
                    let reply = inner.$rust(caller, request).await?;
                    ::core::result::Result::<_, $crate::ipc::ServiceError>::Ok(
                        $crate::ipc::rpc_table::encode_reply(&reply),
                    )
                }),
            )*
            _ => {
                let err = $crate::ipc::ServiceError::no_such_method($name, $method);
                ::std::boxed::Box::pin(async move { ::core::result::Result::Err(err) })
            }
        }
    }};
}

/// The request type of an [`ipc_protocol!`](crate::ipc_protocol) row (`empty` marks a request
/// the client method does not take).
#[doc(hidden)]
#[macro_export]
macro_rules! __ipc_request {
    (empty $request:ty) => {
        $request
    };
    ($request:ty) => {
        $request
    };
}

/// One client method of an [`ipc_protocol!`](crate::ipc_protocol) row.
#[doc(hidden)]
#[macro_export]
macro_rules! __ipc_client_method {
    (
        $vis:vis $error:ty;
        $(#[$attr:meta])* fn $method:ident($wire:literal, empty $request:ty) -> $response:ty
    ) => {
        $(#[$attr])*
        $vis async fn $method(&self) -> ::core::result::Result<$response, $error> {
            let request = <$request as ::core::default::Default>::default();
            ::core::result::Result::Ok(self.ipc.call($wire, &request).await?)
        }
    };
    (
        $vis:vis $error:ty;
        $(#[$attr:meta])* fn $method:ident($wire:literal, $request:ty) -> $response:ty
    ) => {
        $(#[$attr])*
        $vis async fn $method(
            &self,
            request: &$request,
        ) -> ::core::result::Result<$response, $error> {
            ::core::result::Result::Ok(self.ipc.call($wire, request).await?)
        }
    };
}
