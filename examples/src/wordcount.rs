//! Word count over input files in two stages (the classic MapReduce example):
//!
//! 1. **map** ([`map`], one task per file): read the file in the executor's working folder
//!    (files shipped with `spindle submit --files` are there; a local run reads the paths as
//!    given), count its words (lowercase runs of letters and digits), and split the counts into
//!    `R` buckets by a hash of the word;
//! 2. **reduce** ([`reduce`], one task per bucket, made from the map results): add up the counts
//!    of one bucket from every file.
//!
//! The buckets travel through the driver (Spindle has no shuffle service), so one bucket of all
//! files together must stay under the driver's task size limit (8 MiB by default).

use std::collections::BTreeMap;
use std::time::{Duration, Instant};

use bytes::Bytes;
use spindle_scheduler::core::{JobSpec, StageSpec, TaskKind, TaskSpec};
use spindle_scheduler::driver::Driver;
use spindle_scheduler::executor::TaskContext;

use crate::number_in;

/// The map function's registered name.
pub const MAP_TASK: &str = "wordcount_map";
/// The reduce function's registered name.
pub const REDUCE_TASK: &str = "wordcount_reduce";
/// The largest input file a map task reads.
pub const MAX_FILE_BYTES: u64 = 256 * 1024 * 1024;
/// The most buckets (reduce tasks).
pub const MAX_BUCKETS: u32 = 1024;

/// FNV-1a: a stable hash, so every map task puts a word in the same bucket.
fn bucket_of(word: &str, buckets: u32) -> usize {
    let mut h: u64 = 0xcbf2_9ce4_8422_2325;
    for b in word.as_bytes() {
        h ^= u64::from(*b);
        h = h.wrapping_mul(0x0100_0000_01b3);
    }
    (h % u64::from(buckets.max(1))) as usize
}

/// Counts of `text`'s words.
fn count_words(text: &str) -> BTreeMap<String, u64> {
    let mut counts = BTreeMap::new();
    for word in text
        .split(|c: char| !c.is_alphanumeric())
        .filter(|w| !w.is_empty())
    {
        *counts.entry(word.to_lowercase()).or_insert(0) += 1;
    }
    counts
}

/// `word\tcount\n` lines.
fn write_counts<'a>(counts: impl IntoIterator<Item = (&'a String, &'a u64)>) -> String {
    let mut out = String::new();
    for (word, n) in counts {
        out.push_str(word);
        out.push('\t');
        out.push_str(&n.to_string());
        out.push('\n');
    }
    out
}

/// Reads `word\tcount\n` lines into `into`, adding counts.
fn add_counts(text: &str, into: &mut BTreeMap<String, u64>) -> Result<(), String> {
    for line in text.lines().filter(|l| !l.is_empty()) {
        let (word, n) = line
            .split_once('\t')
            .ok_or_else(|| format!("not a word\\tcount line: {line:?}"))?;
        let n: u64 = n
            .parse()
            .map_err(|_| format!("not a count in line {line:?}"))?;
        *into.entry(word.to_string()).or_insert(0) += n;
    }
    Ok(())
}

/// The map task: input = `BUCKETS\nPATH`; output = the buckets, each a u32 length
/// (little-endian) and `word\tcount\n` lines.
pub fn map(_: &TaskContext, input: &[u8]) -> Result<Vec<u8>, String> {
    let input = std::str::from_utf8(input).map_err(|_| "map input is not UTF-8".to_string())?;
    let (buckets, path) = input
        .split_once('\n')
        .ok_or_else(|| "map input must be BUCKETS\\nPATH".to_string())?;
    let buckets = number_in("BUCKETS", buckets, 1..=MAX_BUCKETS)?;
    let cwd = std::env::current_dir()
        .map(|d| d.display().to_string())
        .unwrap_or_default();
    let size = std::fs::metadata(path)
        .map_err(|e| format!("cannot read {path} (in {cwd}): {e}; ship it with --files"))?
        .len();
    if size > MAX_FILE_BYTES {
        return Err(format!(
            "{path} is {size} bytes, more than the {MAX_FILE_BYTES} a map task reads"
        ));
    }
    let bytes = std::fs::read(path).map_err(|e| format!("cannot read {path}: {e}"))?;
    let counts = count_words(&String::from_utf8_lossy(&bytes));
    let mut parts: Vec<BTreeMap<&String, &u64>> = vec![BTreeMap::new(); buckets as usize];
    for (word, n) in &counts {
        parts[bucket_of(word, buckets)].insert(word, n);
    }
    let mut out = Vec::new();
    for part in parts {
        let text = write_counts(part);
        let len = u32::try_from(text.len()).map_err(|_| "a bucket over 4 GiB".to_string())?;
        out.extend_from_slice(&len.to_le_bytes());
        out.extend_from_slice(text.as_bytes());
    }
    Ok(out)
}

/// Splits a map output into its buckets' texts.
fn split_buckets(output: &[u8], buckets: u32) -> Result<Vec<&str>, String> {
    let mut rest = output;
    let mut parts = Vec::with_capacity(buckets as usize);
    for _ in 0..buckets {
        let (len, tail) = rest
            .split_first_chunk::<4>()
            .ok_or("a map output ended early")?;
        let len = u32::from_le_bytes(*len) as usize;
        if tail.len() < len {
            return Err("a map output ended inside a bucket".into());
        }
        let (text, tail) = tail.split_at(len);
        parts.push(std::str::from_utf8(text).map_err(|_| "a bucket is not UTF-8")?);
        rest = tail;
    }
    if !rest.is_empty() {
        return Err(format!(
            "a map output has {} bytes after its buckets",
            rest.len()
        ));
    }
    Ok(parts)
}

/// The reduce task: input = `word\tcount\n` lines of one bucket from every file; output = the
/// bucket's totals, in the same format, sorted by word.
pub fn reduce(_: &TaskContext, input: &[u8]) -> Result<Vec<u8>, String> {
    let text = std::str::from_utf8(input).map_err(|_| "reduce input is not UTF-8".to_string())?;
    let mut totals = BTreeMap::new();
    add_counts(text, &mut totals)?;
    Ok(write_counts(&totals).into_bytes())
}

/// A finished word count.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct WordCounts {
    /// Count of every word.
    pub counts: BTreeMap<String, u64>,
    /// From submitting the job to its last result.
    pub elapsed: Duration,
}

impl WordCounts {
    /// Words in all files.
    pub fn total(&self) -> u64 {
        self.counts.values().sum()
    }

    /// The `n` most frequent words (ties by word).
    pub fn top(&self, n: usize) -> Vec<(&str, u64)> {
        let mut all: Vec<(&str, u64)> = self.counts.iter().map(|(w, c)| (w.as_str(), *c)).collect();
        all.sort_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(b.0)));
        all.truncate(n);
        all
    }
}

impl WordCounts {
    /// What the example prints: the `top` most frequent words, then the totals.
    pub fn summary(&self, top: usize, files: usize) -> String {
        let mut text = String::new();
        for (word, n) in self.top(top) {
            text.push_str(&format!("{n:>8} {word}\n"));
        }
        text.push_str(&format!(
            "{} words, {} distinct, in {files} files ({} ms)\n",
            self.total(),
            self.counts.len(),
            self.elapsed.as_millis()
        ));
        text
    }
}

/// Counts the words of `files` with `buckets` reduce tasks.
pub async fn run(driver: &Driver, files: &[String], buckets: u32) -> Result<WordCounts, String> {
    if files.is_empty() {
        return Err("give at least one input file".into());
    }
    if !(1..=MAX_BUCKETS).contains(&buckets) {
        return Err(format!("buckets must be 1..={MAX_BUCKETS}, got {buckets}"));
    }
    let maps = files
        .iter()
        .map(|f| TaskSpec::new(TaskKind::function(MAP_TASK, format!("{buckets}\n{f}"))))
        .collect();
    let reduces = StageSpec::from_parents(vec![0], move |parents: &[Vec<Bytes>]| {
        let outputs = parents.first().ok_or("the reduce stage has no parent")?;
        let mut inputs = vec![String::new(); buckets as usize];
        for output in outputs {
            for (input, part) in inputs.iter_mut().zip(split_buckets(output, buckets)?) {
                input.push_str(part);
            }
        }
        Ok(inputs
            .into_iter()
            .map(|i| TaskSpec::new(TaskKind::function(REDUCE_TASK, i)))
            .collect())
    });
    let job = JobSpec {
        stages: vec![StageSpec::new(maps), reduces],
        ..JobSpec::default()
    };
    let started = Instant::now();
    let output = driver.run(job).await.map_err(|e| e.to_string())?;
    let elapsed = started.elapsed();
    let mut counts = BTreeMap::new();
    for part in output.stage(1) {
        add_counts(&String::from_utf8_lossy(&part), &mut counts)?;
    }
    Ok(WordCounts { counts, elapsed })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn words_are_lowercase_alphanumeric_runs() {
        let c = count_words("The cat, the HAT; the end-2!");
        assert_eq!(c.get("the"), Some(&3));
        assert_eq!(c.get("end"), Some(&1));
        assert_eq!(c.get("2"), Some(&1));
        assert_eq!(c.len(), 5);
    }

    #[test]
    fn buckets_round_trip_and_bad_outputs_are_errors() {
        let mut out = Vec::new();
        for text in ["a\t1\n", "", "b\t2\n"] {
            out.extend_from_slice(&(text.len() as u32).to_le_bytes());
            out.extend_from_slice(text.as_bytes());
        }
        assert_eq!(
            split_buckets(&out, 3).unwrap(),
            vec!["a\t1\n", "", "b\t2\n"]
        );
        assert!(split_buckets(&out, 4).is_err());
        assert!(split_buckets(&out, 2).is_err());
        assert!(split_buckets(&out[..out.len() - 1], 3).is_err());
        let mut totals = BTreeMap::new();
        add_counts("a\t1\nb\t2\na\t5\n", &mut totals).unwrap();
        assert_eq!(totals.get("a"), Some(&6));
        assert!(add_counts("a 1\n", &mut totals).is_err());
    }

    #[test]
    fn a_word_always_lands_in_the_same_bucket() {
        for w in ["alpha", "beta", "gamma"] {
            assert_eq!(bucket_of(w, 7), bucket_of(w, 7));
            assert!(bucket_of(w, 7) < 7);
        }
    }
}
