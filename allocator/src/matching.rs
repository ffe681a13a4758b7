//! Matching granted containers to pending requests: host, then rack, then any location,
//! each pass over all containers of the response before the next. A match removes the
//! request at once, so it is never sent again (YARN-1902 / SPARK-2687).

use std::collections::BTreeMap;

use crate::hosts::{HostId, HostTable};
use crate::racks::RackCache;
use crate::requests::RequestBook;
use crate::types::ProfileId;

/// A granted container that may take a request.
#[derive(Debug, Clone)]
pub struct Candidate {
    /// Its position in the caller's list.
    pub index: usize,
    /// The profile its priority names.
    pub profile: ProfileId,
    /// Its host.
    pub host: HostId,
}

/// Which pass matched a container.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Pass {
    /// The container's host was preferred.
    Host,
    /// The container's rack held a preferred host.
    Rack,
    /// Any location.
    Any,
}

/// The outcome of matching.
#[derive(Debug, Default)]
pub struct Matches {
    /// Indexes of matched candidates in match order (host pass, then rack, then any).
    pub matched: Vec<(usize, Pass)>,
    /// Indexes of candidates no request wanted.
    pub unmatched: Vec<usize>,
}

/// Where matching finds the outstanding requests of a profile.
pub trait RequestBooks {
    /// The request book of `profile`, if the profile exists.
    fn book_mut(&mut self, profile: ProfileId) -> Option<&mut RequestBook>;
}

impl RequestBooks for BTreeMap<ProfileId, RequestBook> {
    fn book_mut(&mut self, profile: ProfileId) -> Option<&mut RequestBook> {
        self.get_mut(&profile)
    }
}

/// Runs the three passes; every match removes its request from `books`.
pub fn match_containers(
    candidates: &[Candidate],
    books: &mut impl RequestBooks,
    hosts: &mut HostTable,
    racks: &mut RackCache,
) -> Matches {
    let mut out = Matches {
        matched: Vec::with_capacity(candidates.len()),
        unmatched: Vec::new(),
    };
    let mut remaining: Vec<&Candidate> = Vec::new();
    for c in candidates {
        let book = books.book_mut(c.profile);
        match book.and_then(|b| b.first_for_host(c.host).map(|seq| (b, seq))) {
            Some((b, seq)) => {
                b.remove(seq);
                out.matched.push((c.index, Pass::Host));
            }
            None => remaining.push(c),
        }
    }
    if !remaining.is_empty() {
        let ids: Vec<HostId> = remaining.iter().map(|c| c.host).collect();
        hosts.resolve(&ids, racks);
    }
    let mut after_rack: Vec<&Candidate> = Vec::new();
    for c in remaining {
        let rack = hosts.rack(c.host, racks);
        let book = books.book_mut(c.profile);
        match book.and_then(|b| b.first_for_rack(rack).map(|seq| (b, seq))) {
            Some((b, seq)) => {
                b.remove(seq);
                out.matched.push((c.index, Pass::Rack));
            }
            None => after_rack.push(c),
        }
    }
    for c in after_rack {
        let book = books.book_mut(c.profile);
        match book.and_then(|b| b.first_any().map(|seq| (b, seq))) {
            Some((b, seq)) => {
                b.remove(seq);
                out.matched.push((c.index, Pass::Any));
            }
            None => out.unmatched.push(c.index),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::racks::StaticRackResolver;
    use crate::types::HostName;
    use std::sync::Arc;

    #[test]
    fn host_pass_runs_over_all_containers_first() {
        let resolver = StaticRackResolver::new([
            ("h1".into(), "/r1".into()),
            ("h2".into(), "/r1".into()),
            ("h3".into(), "/r1".into()),
        ]);
        let mut racks = RackCache::new(Arc::new(resolver));
        let mut hosts = HostTable::default();
        let ids: Vec<HostId> = ["h1", "h2", "h3", "h4"]
            .iter()
            .map(|h| hosts.intern(&HostName::from(*h)))
            .collect();
        hosts.resolve(&ids, &mut racks);
        let r1 = hosts.rack(ids[0], &mut racks);
        let mut book = RequestBook::default();
        book.add_set(vec![ids[0]], vec![r1], 1);
        book.add_set(vec![ids[1]], vec![r1], 1);
        let mut books = BTreeMap::from([(0, book)]);
        // h3 comes first but only matches by rack; h1 must still get its host-local request.
        let cands = vec![
            Candidate {
                index: 0,
                profile: 0,
                host: ids[2],
            },
            Candidate {
                index: 1,
                profile: 0,
                host: ids[0],
            },
            Candidate {
                index: 2,
                profile: 0,
                host: ids[3],
            },
        ];
        let m = match_containers(&cands, &mut books, &mut hosts, &mut racks);
        assert_eq!(m.matched, vec![(1, Pass::Host), (0, Pass::Rack)]);
        assert_eq!(m.unmatched, vec![2]);
        assert!(books[&0].is_empty());
    }
}
