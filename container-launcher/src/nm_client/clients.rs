//! The NMTokens of an attempt and one ContainerManagementProtocol client per NodeManager.
//!
//! A client keeps one connection (one SASL handshake) for every start, stop and status call to
//! its node; the IPC client under it closes the connection after `idle_timeout` without calls and
//! opens a new one (with a new handshake) on the next call, and does the same after the
//! connection broke. A client is tied to the NMToken it authenticates with: once the RM sends a
//! newer token for the node, the next call gets a new client. At most `capacity` clients are
//! kept; making room closes the least recently used one (its connection closes once the calls
//! still using it are done, the way Hadoop's `ContainerManagementProtocolProxy` cache works).
//!
//! Everything here runs under one short lock and never waits: name resolution and connecting
//! happen outside it.

use std::collections::HashMap;

use spindle_protocol::ids::NodeId;
use spindle_protocol::proto::yarn_service::NMTokenProto;
use spindle_protocol::token::Token;
use spindle_protocol::yarn::nm::{ContainerManagerClient, NmTokenCache};

/// One node's client and what it was made for.
#[derive(Debug)]
struct NodeClient {
    client: ContainerManagerClient,
    /// The NMToken the client authenticates with.
    token: Token,
    /// The token services (`host:port`, `ip:port`) the node's token may be stored under.
    services: Vec<String>,
    /// When it was last handed out, on the table's own clock.
    last_used: u64,
}

/// The attempt's NMTokens and its NodeManager clients.
#[derive(Debug)]
pub(super) struct NodeClients {
    tokens: NmTokenCache,
    clients: HashMap<NodeId, NodeClient>,
    capacity: usize,
    clock: u64,
}

impl NodeClients {
    /// No tokens, no clients; at most `capacity` clients (at least one).
    pub(super) fn new(capacity: usize) -> Self {
        NodeClients {
            tokens: NmTokenCache::new(),
            clients: HashMap::new(),
            capacity: capacity.max(1),
            clock: 0,
        }
    }

    /// Stores the NMTokens of an allocate (or register) response; returns how many were stored.
    pub(super) fn update_tokens(&mut self, nm_tokens: &[NMTokenProto]) -> usize {
        self.tokens.update(nm_tokens)
    }

    /// How many nodes have an NMToken.
    pub(super) fn known_nodes(&self) -> usize {
        self.tokens.len()
    }

    /// How many clients are kept.
    pub(super) fn len(&self) -> usize {
        self.clients.len()
    }

    /// The kept client of `node`, if it still uses the node's current NMToken. A client whose
    /// token was replaced (or forgotten) is dropped here.
    pub(super) fn cached(&mut self, node: &NodeId) -> Option<ContainerManagerClient> {
        let entry = self.clients.get(node)?;
        if self.token_of(&entry.services) != Some(&entry.token) {
            self.clients.remove(node);
            return None;
        }
        self.clock += 1;
        let entry = self.clients.get_mut(node)?;
        entry.last_used = self.clock;
        Some(entry.client.clone())
    }

    /// The NMToken stored under the first of `services` that has one.
    pub(super) fn token_of(&self, services: &[String]) -> Option<&Token> {
        services.iter().find_map(|s| self.tokens.get(s))
    }

    /// The client for `node` authenticating with `token`: the kept one if another caller made it
    /// meanwhile, otherwise one made by `make` and kept, closing the least recently used client
    /// if the table is full.
    pub(super) fn insert(
        &mut self,
        node: &NodeId,
        services: Vec<String>,
        token: Token,
        make: impl FnOnce(&Token) -> ContainerManagerClient,
    ) -> ContainerManagerClient {
        self.clock += 1;
        if let Some(entry) = self.clients.get_mut(node)
            && entry.token == token
        {
            entry.last_used = self.clock;
            return entry.client.clone();
        }
        if !self.clients.contains_key(node) && self.clients.len() >= self.capacity {
            let oldest = self
                .clients
                .iter()
                .min_by_key(|(_, c)| c.last_used)
                .map(|(n, _)| n.clone());
            if let Some(oldest) = oldest {
                // Dropping the client closes its connection when no call uses it any more.
                self.clients.remove(&oldest);
            }
        }
        let client = make(&token);
        self.clients.insert(
            node.clone(),
            NodeClient {
                client: client.clone(),
                token,
                services,
                last_used: self.clock,
            },
        );
        client
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use spindle_protocol::ipc::ClientConfig;
    use spindle_protocol::token::KIND_NM_TOKEN;
    use spindle_protocol::yarn::{CONTAINER_MANAGEMENT_PROTOCOL, token_auth};

    fn token(service: &str, password: &[u8]) -> Token {
        Token::new(b"id".to_vec(), password.to_vec(), KIND_NM_TOKEN, service)
    }

    fn nm_token(service: &str, password: &[u8]) -> NMTokenProto {
        NMTokenProto {
            node_id: None,
            token: Some(token(service, password).to_proto()),
        }
    }

    fn client(token: &Token) -> ContainerManagerClient {
        ContainerManagerClient::new(ClientConfig::new(
            token.service.clone(),
            CONTAINER_MANAGEMENT_PROTOCOL,
            token_auth(token, "am"),
        ))
    }

    /// Keeps `node`'s client (made for the node's current token); returns its client id.
    fn connect(table: &mut NodeClients, node: &NodeId) -> [u8; 16] {
        if let Some(c) = table.cached(node) {
            return c.ipc().client_id();
        }
        let services = vec![node.to_string()];
        let token = table.token_of(&services).expect("a token").clone();
        table
            .insert(node, services, token, client)
            .ipc()
            .client_id()
    }

    #[test]
    fn one_client_per_node_until_its_token_changes() {
        let mut table = NodeClients::new(10);
        let node = NodeId::new("127.0.0.1", 1);
        table.update_tokens(&[nm_token("127.0.0.1:1", b"pw1")]);
        let first = connect(&mut table, &node);
        assert_eq!(connect(&mut table, &node), first, "the client is reused");
        // The same token sent again keeps the client; a new one replaces it.
        table.update_tokens(&[nm_token("127.0.0.1:1", b"pw1")]);
        assert_eq!(connect(&mut table, &node), first);
        table.update_tokens(&[nm_token("127.0.0.1:1", b"pw2")]);
        let second = connect(&mut table, &node);
        assert_ne!(second, first, "a new NMToken gets a new client");
        assert_eq!(table.len(), 1);
    }

    #[test]
    fn the_least_recently_used_client_is_closed_first() {
        let mut table = NodeClients::new(2);
        let nodes: Vec<NodeId> = (1..=3).map(|p| NodeId::new("127.0.0.1", p)).collect();
        for n in &nodes {
            table.update_tokens(&[nm_token(&n.to_string(), b"pw")]);
        }
        let a = connect(&mut table, &nodes[0]);
        let b = connect(&mut table, &nodes[1]);
        // Using the first node again makes the second the least recently used.
        assert_eq!(connect(&mut table, &nodes[0]), a);
        connect(&mut table, &nodes[2]);
        assert_eq!(table.len(), 2);
        assert_eq!(connect(&mut table, &nodes[0]), a, "kept");
        assert_ne!(connect(&mut table, &nodes[1]), b, "closed, then made anew");
        assert_eq!(table.len(), 2);
    }

    #[test]
    fn a_racing_second_insert_reuses_the_first_client() {
        let mut table = NodeClients::new(2);
        let node = NodeId::new("127.0.0.1", 1);
        let t = token("127.0.0.1:1", b"pw");
        let first = table.insert(&node, vec![], t.clone(), client);
        let second = table.insert(&node, vec![], t, |_| panic!("no second client"));
        assert_eq!(first.ipc().client_id(), second.ipc().client_id());
    }
}
