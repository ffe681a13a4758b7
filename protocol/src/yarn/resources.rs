//! Resources: the helpers on [`ResourceProto`] and [`Resources`], the plain value the
//! schedulers compute with.
//!
//! The rule every reader of a `ResourceProto` follows, as a Java reader does: the legacy fields
//! `memory` and `virtual_cores` win over the `resource_value_map` entries `memory-mb` and
//! `vcores`; the map gives every other resource type. See docs/wire.md.

use std::collections::BTreeMap;
use std::fmt;

use crate::proto::yarn::{ResourceInformationProto, ResourceProto, ResourceTypesProto};

/// Resource-map key of memory.
pub const RESOURCE_MEMORY_MB: &str = "memory-mb";
/// Resource-map key of vcores.
pub const RESOURCE_VCORES: &str = "vcores";

impl ResourceProto {
    /// `memory` MB and `vcores` virtual cores, in the legacy fields only (enough for every RM).
    pub fn new(memory_mb: i64, vcores: i32) -> Self {
        ResourceProto {
            memory: Some(memory_mb),
            virtual_cores: Some(vcores),
            resource_value_map: Vec::new(),
        }
    }

    /// The same resource also listed in the map, the way Java writes it
    /// (`memory-mb` in `Mi`, `vcores` without unit).
    pub fn new_like_java(memory_mb: i64, vcores: i32) -> Self {
        ResourceProto::new(memory_mb, vcores)
            .with_resource(RESOURCE_MEMORY_MB, memory_mb, "Mi")
            .with_resource(RESOURCE_VCORES, vcores.into(), "")
    }

    /// Adds (or replaces) a countable resource in the map.
    pub fn with_resource(mut self, key: &str, value: i64, units: &str) -> Self {
        let info = ResourceInformationProto {
            key: key.to_string(),
            value: Some(value),
            units: Some(units.to_string()),
            r#type: Some(ResourceTypesProto::Countable as i32),
            ..Default::default()
        };
        match self.resource_value_map.iter_mut().find(|r| r.key == key) {
            Some(existing) => *existing = info,
            None => self.resource_value_map.push(info),
        }
        self
    }

    /// Memory in MB: field `memory` wins, else the `memory-mb` map entry, else 0.
    pub fn memory_mb(&self) -> i64 {
        self.memory
            .or_else(|| self.map_value(RESOURCE_MEMORY_MB))
            .unwrap_or(0)
    }

    /// Virtual cores: field `virtual_cores` wins, else the `vcores` map entry, else 0.
    pub fn vcores(&self) -> i32 {
        self.virtual_cores
            .or_else(|| {
                self.map_value(RESOURCE_VCORES)
                    .and_then(|v| i32::try_from(v).ok())
            })
            .unwrap_or(0)
    }

    /// The value of another resource type in the map.
    pub fn map_value(&self, key: &str) -> Option<i64> {
        self.resource_value_map
            .iter()
            .find(|r| r.key == key)
            .and_then(|r| r.value)
    }
}

/// An amount of resources: memory in MB, virtual cores, and custom countable resources
/// (e.g. `yarn.io/gpu`).
#[derive(Debug, Clone, Default, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Resources {
    /// Memory in MB.
    pub memory_mb: i64,
    /// Virtual cores.
    pub vcores: i64,
    /// Other countable resources by name.
    pub custom: BTreeMap<String, i64>,
}

impl Resources {
    /// Memory and vcores only.
    pub fn new(memory_mb: i64, vcores: i64) -> Self {
        Resources {
            memory_mb,
            vcores,
            custom: BTreeMap::new(),
        }
    }

    /// Adds a custom resource.
    pub fn with(mut self, name: impl Into<String>, amount: i64) -> Self {
        self.custom.insert(name.into(), amount);
        self
    }

    /// From the wire record, the one conversion every crate uses: `memory`/`virtual_cores`
    /// win over the map for those two (see [`ResourceProto::memory_mb`]), the map gives the
    /// others (a custom entry without a value counts as 0).
    pub fn from_proto(p: &ResourceProto) -> Self {
        let mut r = Resources::new(p.memory_mb(), i64::from(p.vcores()));
        for info in &p.resource_value_map {
            if info.key != RESOURCE_MEMORY_MB && info.key != RESOURCE_VCORES {
                r.custom.insert(info.key.clone(), info.value.unwrap_or(0));
            }
        }
        r
    }

    /// The wire record, with the map filled the way Java writes it.
    pub fn to_proto(&self) -> ResourceProto {
        let vcores = i32::try_from(self.vcores).unwrap_or(i32::MAX);
        let mut p = ResourceProto::new_like_java(self.memory_mb, vcores);
        for (k, v) in &self.custom {
            p = p.with_resource(k, *v, "");
        }
        p
    }

    /// Whether every amount of `self` is at most the one in `other` (a custom resource missing
    /// from `other` counts as 0).
    pub fn fits_in(&self, other: &Resources) -> bool {
        self.memory_mb <= other.memory_mb
            && self.vcores <= other.vcores
            && self
                .custom
                .iter()
                .all(|(k, v)| *v <= other.custom.get(k).copied().unwrap_or(0))
    }

    /// `self + other`.
    pub fn add(&mut self, other: &Resources) {
        self.memory_mb += other.memory_mb;
        self.vcores += other.vcores;
        for (k, v) in &other.custom {
            *self.custom.entry(k.clone()).or_insert(0) += v;
        }
    }

    /// `self - other` (never below zero).
    pub fn sub(&mut self, other: &Resources) {
        self.memory_mb = (self.memory_mb - other.memory_mb).max(0);
        self.vcores = (self.vcores - other.vcores).max(0);
        for (k, v) in &other.custom {
            let e = self.custom.entry(k.clone()).or_insert(0);
            *e = (*e - v).max(0);
        }
    }

    /// `self - other` as a new value.
    pub fn minus(&self, other: &Resources) -> Resources {
        let mut r = self.clone();
        r.sub(other);
        r
    }

    /// The first resource type (name) whose amount is negative, if any.
    pub fn negative_type(&self) -> Option<String> {
        if self.memory_mb < 0 {
            return Some(RESOURCE_MEMORY_MB.into());
        }
        if self.vcores < 0 {
            return Some(RESOURCE_VCORES.into());
        }
        self.custom
            .iter()
            .find(|(_, v)| **v < 0)
            .map(|(k, _)| k.clone())
    }

    /// The first resource type (name) whose amount exceeds the one in `max`, if any.
    pub fn exceeding_type(&self, max: &Resources) -> Option<String> {
        if self.memory_mb > max.memory_mb {
            return Some(RESOURCE_MEMORY_MB.into());
        }
        if self.vcores > max.vcores {
            return Some(RESOURCE_VCORES.into());
        }
        self.custom
            .iter()
            .find(|(k, v)| **v > max.custom.get(*k).copied().unwrap_or(0))
            .map(|(k, _)| k.clone())
    }

    /// Rounds memory and vcores up to multiples of the minimum allocation (YARN's
    /// normalization), and never below it.
    pub fn normalized(&self, min: &Resources) -> Resources {
        let round = |v: i64, step: i64| {
            if step <= 0 {
                return v;
            }
            let v = v.max(step);
            (v + step - 1) / step * step
        };
        Resources {
            memory_mb: round(self.memory_mb, min.memory_mb),
            vcores: round(self.vcores, min.vcores),
            custom: self.custom.clone(),
        }
    }
}

impl fmt::Display for Resources {
    /// Java's `<memory:1024, vCores:1>` form (custom resources appended).
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "<memory:{}, vCores:{}", self.memory_mb, self.vcores)?;
        for (k, v) in &self.custom {
            write!(f, ", {k}: {v}")?;
        }
        write!(f, ">")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn resource_fields_win_over_map() {
        let r = ResourceProto::new(1024, 2).with_resource(RESOURCE_MEMORY_MB, 99, "Mi");
        assert_eq!(r.memory_mb(), 1024);
        let only_map = ResourceProto {
            memory: None,
            virtual_cores: None,
            ..ResourceProto::new_like_java(512, 3)
        };
        assert_eq!(only_map.memory_mb(), 512);
        assert_eq!(only_map.vcores(), 3);
        let gpu = ResourceProto::new(1, 1).with_resource("yarn.io/gpu", 2, "");
        assert_eq!(gpu.map_value("yarn.io/gpu"), Some(2));
    }

    #[test]
    fn arithmetic_and_fit() {
        let node = Resources::new(4096, 4).with("yarn.io/gpu", 1);
        let ask = Resources::new(1024, 1).with("yarn.io/gpu", 1);
        assert!(ask.fits_in(&node));
        let mut used = Resources::default();
        used.add(&ask);
        let free = node.minus(&used);
        assert_eq!(free, Resources::new(3072, 3).with("yarn.io/gpu", 0));
        assert!(!ask.fits_in(&free));
        assert!(Resources::new(1, 1).fits_in(&free));
        assert_eq!(
            Resources::new(1, 5).exceeding_type(&node).as_deref(),
            Some("vcores")
        );
        assert_eq!(
            Resources::new(1, 1)
                .with("fpga", 1)
                .exceeding_type(&node)
                .as_deref(),
            Some("fpga")
        );
        assert_eq!(
            Resources::new(-1, 1).negative_type().as_deref(),
            Some("memory-mb")
        );
    }

    #[test]
    fn normalization_and_proto() {
        let min = Resources::new(128, 1);
        assert_eq!(
            Resources::new(896, 0).normalized(&min),
            Resources::new(896, 1)
        );
        assert_eq!(
            Resources::new(900, 2).normalized(&min),
            Resources::new(1024, 2)
        );
        let r = Resources::new(512, 2).with("yarn.io/gpu", 3);
        assert_eq!(Resources::from_proto(&r.to_proto()), r);
        assert_eq!(r.to_string(), "<memory:512, vCores:2, yarn.io/gpu: 3>");
    }

    #[test]
    fn legacy_fields_win_in_the_conversion_too() {
        let mut p = ResourceProto::new(1024, 2)
            .with_resource(RESOURCE_MEMORY_MB, 99, "Mi")
            .with_resource(RESOURCE_VCORES, 9, "")
            .with_resource("yarn.io/gpu", 1, "");
        assert_eq!(
            Resources::from_proto(&p),
            Resources::new(1024, 2).with("yarn.io/gpu", 1)
        );
        p.memory = None;
        p.virtual_cores = None;
        assert_eq!(
            Resources::from_proto(&p),
            Resources::new(99, 9).with("yarn.io/gpu", 1)
        );
    }
}
