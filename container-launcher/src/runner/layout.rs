//! Where things go on disk (PROTOCOL.md §5.3): per local folder `usercache/<user>/appcache/<appId>/<containerId>`
//! for work folders, `filecache` folders per visibility, and `<log-dir>/<appId>/<containerId>` for logs.

use std::path::{Path, PathBuf};

use crate::spec::Visibility;

/// The folder layout of one runner.
#[derive(Debug, Clone)]
pub struct Layout {
    local_dirs: Vec<PathBuf>,
    log_dirs: Vec<PathBuf>,
}

impl Layout {
    /// A layout over these local and log folders (each list non-empty).
    pub fn new(local_dirs: Vec<PathBuf>, log_dirs: Vec<PathBuf>) -> Self {
        Layout {
            local_dirs,
            log_dirs,
        }
    }

    fn primary(&self) -> &Path {
        &self.local_dirs[0]
    }

    /// `<local>/usercache/<user>/` for every local folder (`LOCAL_USER_DIRS`).
    pub fn user_dirs(&self, user: &str) -> Vec<PathBuf> {
        self.local_dirs
            .iter()
            .map(|d| d.join("usercache").join(user))
            .collect()
    }

    /// `<local>/usercache/<user>/appcache/<appId>` for every local folder (`LOCAL_DIRS`).
    pub fn app_dirs(&self, user: &str, app_id: &str) -> Vec<PathBuf> {
        self.user_dirs(user)
            .into_iter()
            .map(|d| d.join("appcache").join(app_id))
            .collect()
    }

    /// The container's work folder (`PWD`), in the first local folder.
    pub fn work_dir(&self, user: &str, app_id: &str, container_id: &str) -> PathBuf {
        self.primary()
            .join("usercache")
            .join(user)
            .join("appcache")
            .join(app_id)
            .join(container_id)
    }

    /// `<log-dir>/<appId>/<containerId>` for every log folder (`LOG_DIRS`); the first is `<LOG_DIR>`.
    pub fn log_dirs(&self, app_id: &str, container_id: &str) -> Vec<PathBuf> {
        self.log_dirs
            .iter()
            .map(|d| d.join(app_id).join(container_id))
            .collect()
    }

    /// `<log-dir>/<appId>` for every log folder.
    pub fn app_log_dirs(&self, app_id: &str) -> Vec<PathBuf> {
        self.log_dirs.iter().map(|d| d.join(app_id)).collect()
    }

    /// The cache folder localized copies of a resource with this visibility go to.
    pub fn cache_dir(&self, visibility: Visibility, user: &str, app_id: &str) -> PathBuf {
        match visibility {
            Visibility::Public => self.primary().join("filecache"),
            Visibility::Private => self
                .primary()
                .join("usercache")
                .join(user)
                .join("filecache"),
            Visibility::Application => self
                .primary()
                .join("usercache")
                .join(user)
                .join("appcache")
                .join(app_id)
                .join("filecache"),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn paths_follow_the_nodemanager_layout() {
        let l = Layout::new(vec!["/l1".into(), "/l2".into()], vec!["/g".into()]);
        assert_eq!(
            l.work_dir("u", "application_1_0001", "container_1_0001_01_000001"),
            PathBuf::from("/l1/usercache/u/appcache/application_1_0001/container_1_0001_01_000001")
        );
        assert_eq!(
            l.app_dirs("u", "a"),
            vec![
                PathBuf::from("/l1/usercache/u/appcache/a"),
                PathBuf::from("/l2/usercache/u/appcache/a")
            ]
        );
        assert_eq!(l.log_dirs("a", "c"), vec![PathBuf::from("/g/a/c")]);
        assert_eq!(
            l.cache_dir(Visibility::Public, "u", "a"),
            PathBuf::from("/l1/filecache")
        );
        assert_eq!(
            l.cache_dir(Visibility::Private, "u", "a"),
            PathBuf::from("/l1/usercache/u/filecache")
        );
        assert_eq!(
            l.cache_dir(Visibility::Application, "u", "a"),
            PathBuf::from("/l1/usercache/u/appcache/a/filecache")
        );
    }
}
