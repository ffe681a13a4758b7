//! The order a container's environment is written in, as Hadoop 3's NodeManager orders it
//! (`ContainerLaunch.orderEnvByDependencies`): a variable comes after the variables its value
//! refers to (`{{NAME}}`, `$NAME`, `${NAME}`), whatever order the launch context listed them in,
//! so that `B={{A}}/sub` sees `A` even when `A` arrived after `B`. Variables that do not depend
//! on each other keep their order; a variable referring to itself (`PATH=$PATH:/x`) refers to
//! the value it had before, and the members of a cycle keep their order.

use std::collections::HashMap;

/// The names a value refers to, in order of appearance (duplicates included).
pub fn references(value: &str) -> Vec<&str> {
    let bytes = value.as_bytes();
    let mut out = Vec::new();
    let mut i = 0;
    let name_at = |start: usize| -> usize {
        let mut end = start;
        while end < bytes.len() && (bytes[end].is_ascii_alphanumeric() || bytes[end] == b'_') {
            end += 1;
        }
        // A shell name cannot start with a digit.
        if end > start && bytes[start].is_ascii_digit() {
            start
        } else {
            end
        }
    };
    while i < bytes.len() {
        if bytes[i..].starts_with(b"{{") {
            if let Some(close) = value[i + 2..].find("}}") {
                let name = &value[i + 2..i + 2 + close];
                if !name.is_empty() && name.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'_')
                {
                    out.push(name);
                }
                i += close + 4;
                continue;
            }
        } else if bytes[i] == b'$' {
            if bytes.get(i + 1) == Some(&b'{') {
                let end = name_at(i + 2);
                if end > i + 2 && bytes.get(end) == Some(&b'}') {
                    out.push(&value[i + 2..end]);
                    i = end + 1;
                    continue;
                }
            } else {
                let end = name_at(i + 1);
                if end > i + 1 {
                    out.push(&value[i + 1..end]);
                    i = end;
                    continue;
                }
            }
        }
        i += 1;
    }
    out
}

/// `env` (name, value) reordered so that every variable follows the variables it refers to.
/// A name listed twice keeps only its last value (later entries win, as a map would have them).
pub fn order_by_dependencies(env: Vec<(String, String)>) -> Vec<(String, String)> {
    // Later duplicates win and take the first one's place.
    let mut index: HashMap<String, usize> = HashMap::new();
    let mut vars: Vec<(String, String)> = Vec::with_capacity(env.len());
    for (k, v) in env {
        match index.get(&k) {
            Some(&i) => vars[i].1 = v,
            None => {
                index.insert(k.clone(), vars.len());
                vars.push((k, v));
            }
        }
    }
    let deps: Vec<Vec<usize>> = vars
        .iter()
        .enumerate()
        .map(|(i, (_, v))| {
            let mut d: Vec<usize> = references(v)
                .into_iter()
                .filter_map(|name| index.get(name).copied())
                .filter(|&j| j != i)
                .collect();
            d.sort_unstable();
            d.dedup();
            d
        })
        .collect();
    // Depth-first, in listed order: a variable is placed after what it refers to. A variable
    // met again while its own dependencies are being placed is part of a cycle and is placed
    // where the cycle was entered.
    #[derive(Clone, Copy, PartialEq)]
    enum Mark {
        New,
        Visiting,
        Done,
    }
    let mut marks = vec![Mark::New; vars.len()];
    let mut order = Vec::with_capacity(vars.len());
    for start in 0..vars.len() {
        if marks[start] != Mark::New {
            continue;
        }
        // Iterative DFS: (node, next dependency to look at).
        let mut stack = vec![(start, 0usize)];
        marks[start] = Mark::Visiting;
        while let Some(&mut (node, ref mut next)) = stack.last_mut() {
            if let Some(&dep) = deps[node].get(*next) {
                *next += 1;
                if marks[dep] == Mark::New {
                    marks[dep] = Mark::Visiting;
                    stack.push((dep, 0));
                }
            } else {
                marks[node] = Mark::Done;
                order.push(node);
                stack.pop();
            }
        }
    }
    let mut slots: Vec<Option<(String, String)>> = vars.into_iter().map(Some).collect();
    order.into_iter().filter_map(|i| slots[i].take()).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn env(pairs: &[(&str, &str)]) -> Vec<(String, String)> {
        pairs
            .iter()
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .collect()
    }

    fn names(e: &[(String, String)]) -> Vec<&str> {
        e.iter().map(|(k, _)| k.as_str()).collect()
    }

    #[test]
    fn finds_the_three_reference_forms() {
        assert_eq!(
            references("{{A}}/x:$B_1:${C}/$9:{{bad name}}:$:${}:{{D}}"),
            vec!["A", "B_1", "C", "D"]
        );
        assert!(references("plain").is_empty());
    }

    #[test]
    fn a_derived_variable_follows_its_base_whatever_the_order() {
        let ordered = order_by_dependencies(env(&[
            ("MY_DERIVED", "{{MY_BASE}}/sub"),
            ("OTHER", "x"),
            ("MY_BASE", "/base"),
        ]));
        assert_eq!(names(&ordered), vec!["MY_BASE", "MY_DERIVED", "OTHER"]);
        let chained = order_by_dependencies(env(&[("C", "$B/c"), ("B", "${A}/b"), ("A", "/a")]));
        assert_eq!(names(&chained), vec!["A", "B", "C"]);
    }

    #[test]
    fn self_references_cycles_and_duplicates() {
        let e = order_by_dependencies(env(&[
            ("PATH", "$PATH:/x"),
            ("CLASSPATH", "{{CLASSPATH}}<CPS>./*"),
            ("X", "$Y"),
            ("Y", "$X"),
            ("Z", "1"),
            ("Z", "2"),
        ]));
        assert_eq!(names(&e), vec!["PATH", "CLASSPATH", "Y", "X", "Z"]);
        assert_eq!(e[4].1, "2", "the later value of a repeated name wins");
    }
}
