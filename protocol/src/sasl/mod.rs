//! SASL for Hadoop IPC: SIMPLE and TOKEN/DIGEST-MD5 (in progress).
