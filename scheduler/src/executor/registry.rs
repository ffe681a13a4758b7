//! Named task functions an application registers, so one binary is both the driver (which
//! names them in tasks) and its executors (which run them).

use std::collections::BTreeMap;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};

/// What a task function gets.
#[derive(Debug, Clone)]
pub struct TaskContext {
    /// The task's index in its stage.
    pub index: u32,
    /// 0 for the first attempt.
    pub attempt: u32,
    killed: Arc<AtomicBool>,
}

impl TaskContext {
    pub(crate) fn new(index: u32, attempt: u32, killed: Arc<AtomicBool>) -> Self {
        TaskContext {
            index,
            attempt,
            killed,
        }
    }

    /// Whether the driver asked to kill this task; long functions should check it and
    /// return early (their result is dropped anyway).
    pub fn is_killed(&self) -> bool {
        self.killed.load(Ordering::Relaxed)
    }
}

/// A task function: input bytes in, output bytes or an error message out.
pub type TaskFn = Arc<dyn Fn(&TaskContext, &[u8]) -> Result<Vec<u8>, String> + Send + Sync>;

/// A registered function and where it runs.
#[derive(Clone)]
pub(crate) struct Registered {
    pub(crate) f: TaskFn,
    /// Runs on the async worker itself (cheap, never blocking), skipping the hop to the
    /// blocking pool.
    pub(crate) inline: bool,
}

/// The functions an executor can run, by name.
#[derive(Clone, Default)]
pub struct TaskRegistry {
    functions: BTreeMap<String, Registered>,
}

impl std::fmt::Debug for TaskRegistry {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_set().entries(self.functions.keys()).finish()
    }
}

impl TaskRegistry {
    /// An empty registry (shell tasks only).
    pub fn new() -> Self {
        TaskRegistry::default()
    }

    /// Registers `f` under `name` (replacing one of the same name).
    pub fn register<F>(&mut self, name: impl Into<String>, f: F) -> &mut Self
    where
        F: Fn(&TaskContext, &[u8]) -> Result<Vec<u8>, String> + Send + Sync + 'static,
    {
        self.insert(name.into(), Arc::new(f), false)
    }

    /// Registers a function that is cheap and never blocks (microseconds of CPU, no I/O):
    /// it runs on the executor's async worker instead of the blocking pool, saving a thread
    /// hand-off per task. It cannot be killed while it runs.
    pub fn register_inline<F>(&mut self, name: impl Into<String>, f: F) -> &mut Self
    where
        F: Fn(&TaskContext, &[u8]) -> Result<Vec<u8>, String> + Send + Sync + 'static,
    {
        self.insert(name.into(), Arc::new(f), true)
    }

    fn insert(&mut self, name: String, f: TaskFn, inline: bool) -> &mut Self {
        self.functions.insert(name, Registered { f, inline });
        self
    }

    /// The same registry with `f` added.
    pub fn with<F>(mut self, name: impl Into<String>, f: F) -> Self
    where
        F: Fn(&TaskContext, &[u8]) -> Result<Vec<u8>, String> + Send + Sync + 'static,
    {
        self.register(name, f);
        self
    }

    /// The function named `name`.
    pub fn get(&self, name: &str) -> Option<&TaskFn> {
        self.functions.get(name).map(|r| &r.f)
    }

    pub(crate) fn get_registered(&self, name: &str) -> Option<&Registered> {
        self.functions.get(name)
    }

    /// Registered names, sorted.
    pub fn names(&self) -> Vec<String> {
        self.functions.keys().cloned().collect()
    }
}

/// Builds a [`TaskRegistry`] from functions `fn(&TaskContext, &[u8]) -> Result<Vec<u8>,
/// String>`, each registered under its own name:
///
/// ```
/// use spindle_scheduler::executor::TaskContext;
/// fn square(_: &TaskContext, input: &[u8]) -> Result<Vec<u8>, String> {
///     Ok(input.iter().map(|b| b.wrapping_mul(*b)).collect())
/// }
/// let registry = spindle_scheduler::tasks![square];
/// assert_eq!(registry.names(), vec!["square".to_string()]);
/// ```
#[macro_export]
macro_rules! tasks {
    ($($f:ident),* $(,)?) => {{
        let mut registry = $crate::executor::TaskRegistry::new();
        $( registry.register(stringify!($f), $f); )*
        registry
    }};
}
