//! Writing a configuration folder (`HADOOP_CONF_DIR`) that Hadoop's tools and ours read.

use std::path::{Path, PathBuf};

/// A `*-site.xml` document with these properties, in order.
pub fn site_xml(properties: &[(String, String)]) -> String {
    let mut xml = String::from(
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<!-- written by spindle -->\n<configuration>\n",
    );
    for (name, value) in properties {
        xml.push_str(&format!(
            "  <property>\n    <name>{}</name>\n    <value>{}</value>\n  </property>\n",
            quick_xml::escape::escape(name.as_str()),
            quick_xml::escape::escape(value.as_str())
        ));
    }
    xml.push_str("</configuration>\n");
    xml
}

/// Writes `yarn-site.xml` and `core-site.xml` into `dir` (created if needed); on failure, the
/// path that could not be written.
pub fn write_conf_dir(
    dir: &Path,
    yarn: &[(String, String)],
    core: &[(String, String)],
) -> Result<(), (PathBuf, std::io::Error)> {
    std::fs::create_dir_all(dir).map_err(|e| (dir.to_path_buf(), e))?;
    for (name, props) in [("yarn-site.xml", yarn), ("core-site.xml", core)] {
        let path = dir.join(name);
        std::fs::write(&path, site_xml(props)).map_err(|e| (path.clone(), e))?;
    }
    Ok(())
}
