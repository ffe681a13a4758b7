//! Writing a Hadoop configuration folder (`HADOOP_CONF_DIR`): `yarn-site.xml` and
//! `core-site.xml` with `<property><name/><value/></property>` entries.

use std::path::{Path, PathBuf};

fn escape(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&apos;"),
            c => out.push(c),
        }
    }
    out
}

/// A `*-site.xml` document with these properties, in order.
pub fn site_xml(properties: &[(String, String)]) -> String {
    let mut xml = String::from(
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<!-- written by spindle-minicluster -->\n<configuration>\n",
    );
    for (name, value) in properties {
        xml.push_str(&format!(
            "  <property>\n    <name>{}</name>\n    <value>{}</value>\n  </property>\n",
            escape(name),
            escape(value)
        ));
    }
    xml.push_str("</configuration>\n");
    xml
}

/// Writes `yarn-site.xml` and `core-site.xml` into `dir` (created if needed).
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

/// The JDK a container should get as `JAVA_HOME`: `JAVA_HOME` if set, else the JDK that
/// `java` on the `PATH` belongs to.
pub fn detect_java_home() -> Option<PathBuf> {
    if let Some(h) = std::env::var_os("JAVA_HOME").filter(|h| !h.is_empty()) {
        return Some(PathBuf::from(h));
    }
    let path = std::env::var_os("PATH")?;
    for dir in std::env::split_paths(&path) {
        let java = dir.join("java");
        if java.is_file()
            && let Ok(real) = std::fs::canonicalize(&java)
            && let Some(home) = real.parent().and_then(Path::parent)
        {
            return Some(home.to_path_buf());
        }
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn xml_is_escaped() {
        let xml = site_xml(&[("a.b".into(), "x<y&\"z\"".into())]);
        assert!(xml.contains("<name>a.b</name>"));
        assert!(xml.contains("<value>x&lt;y&amp;&quot;z&quot;</value>"));
        assert!(xml.starts_with("<?xml"));
    }
}
