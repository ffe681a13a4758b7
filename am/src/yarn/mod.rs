//! The ApplicationMaster on YARN: the protobuf edge and the ResourceManager implementation
//! over ApplicationMasterProtocol.

pub mod edge;
