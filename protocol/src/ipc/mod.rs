//! Hadoop IPC v9 connections: framing, client and server (in progress).
