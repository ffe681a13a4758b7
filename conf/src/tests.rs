use std::time::Duration;

use super::yarn::{RmAddress, RmService, parse_host_port, rm_addresses};
use super::*;

fn conf_with(env: &'static [(&'static str, &'static str)]) -> Configuration {
    Configuration::with_env(move |name| {
        env.iter()
            .find(|(k, _)| *k == name)
            .map(|(_, v)| v.to_string())
    })
}

fn site(props: &[(&str, &str)]) -> String {
    let props: Vec<(String, String)> = props
        .iter()
        .map(|(k, v)| (k.to_string(), v.to_string()))
        .collect();
    write::site_xml(&props)
}

/// Writes `text` to the file `name` in `dir` and loads it into a fresh configuration.
fn load_written(
    dir: &std::path::Path,
    name: &str,
    text: impl AsRef<[u8]>,
) -> Result<Configuration, ConfError> {
    let path = dir.join(name);
    std::fs::write(&path, text).unwrap();
    let mut conf = conf_with(&[]);
    conf.add_file(&path)?;
    Ok(conf)
}

#[test]
fn defaults_expand_through_system_properties_and_keys() {
    let conf = conf_with(&[("USER", "alice")]);
    assert_eq!(
        conf.get("yarn.nodemanager.local-dirs").as_deref(),
        Some("/tmp/hadoop-alice/nm-local-dir")
    );
    assert_eq!(
        conf.get("yarn.resourcemanager.address").as_deref(),
        Some("0.0.0.0:8032")
    );
    assert_eq!(conf.source("fs.defaultFS"), Some(Source::Default));
    assert_eq!(conf.get("no.such.key"), None);
}

#[test]
fn later_files_win_unless_final_and_empty_values_unset_nothing() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(
        dir.path().join("core-site.xml"),
        "<configuration>\n\
         <property><name>a</name><value>core</value><final>true</final></property>\n\
         <property><name>b</name><value>core</value></property>\n\
         <property><name>c</name><value>core</value></property>\n\
         <property><name>fs.default.name</name><value>hdfs://old</value></property>\n\
         </configuration>",
    )
    .unwrap();
    std::fs::write(
        dir.path().join("yarn-site.xml"),
        "<configuration>\n\
         <property><name>a</name><value>yarn</value></property>\n\
         <property><name>b</name><value>yarn</value></property>\n\
         <property><name>c</name><value></value></property>\n\
         </configuration>",
    )
    .unwrap();
    let mut conf = conf_with(&[]);
    conf.load_dir(dir.path()).unwrap();
    assert_eq!(conf.get("a").as_deref(), Some("core"));
    assert_eq!(conf.get("b").as_deref(), Some("yarn"));
    assert_eq!(conf.get("c").as_deref(), Some("core"));
    // The deprecated name lands on the new one.
    assert_eq!(conf.get("fs.defaultFS").as_deref(), Some("hdfs://old"));
    assert_eq!(conf.files().len(), 2);
    assert_eq!(conf.warnings().len(), 1, "{:?}", conf.warnings());
    assert!(conf.warnings()[0].contains("yarn-site.xml:2"));
    assert_eq!(
        conf.source("b"),
        Some(Source::File {
            path: dir.path().join("yarn-site.xml"),
            line: 3
        })
    );
    // Code wins over files, even over final.
    conf.set("a", "flag", "--conf");
    assert_eq!(conf.get("a").as_deref(), Some("flag"));
    assert_eq!(conf.source("a").unwrap().to_string(), "--conf");
}

#[test]
fn env_names_the_folders_and_the_first_file_of_each_name_wins() {
    let dir = tempfile::tempdir().unwrap();
    let hadoop = dir.path().join("hadoop");
    let yarn = dir.path().join("yarn");
    std::fs::create_dir_all(&hadoop).unwrap();
    std::fs::create_dir_all(&yarn).unwrap();
    std::fs::write(hadoop.join("core-site.xml"), site(&[("x", "hadoop-core")])).unwrap();
    std::fs::write(yarn.join("core-site.xml"), site(&[("x", "yarn-core")])).unwrap();
    std::fs::write(yarn.join("yarn-site.xml"), site(&[("y", "yarn-yarn")])).unwrap();
    let (h, y) = (
        hadoop.to_string_lossy().into_owned(),
        yarn.to_string_lossy().into_owned(),
    );
    let mut conf = Configuration::with_env(move |name| match name {
        "HADOOP_CONF_DIR" => Some(h.clone()),
        "YARN_CONF_DIR" => Some(y.clone()),
        _ => None,
    });
    let dirs = conf.conf_dirs();
    assert_eq!(dirs, vec![hadoop.clone(), yarn.clone()]);
    conf.load_dirs(&dirs).unwrap();
    assert_eq!(conf.get("x").as_deref(), Some("hadoop-core"));
    assert_eq!(conf.get("y").as_deref(), Some("yarn-yarn"));

    let mut missing = conf_with(&[]);
    let err = missing
        .load_dirs(&[dir.path().join("typo")])
        .unwrap_err()
        .to_string();
    assert!(
        err.contains("typo") && err.contains("HADOOP_CONF_DIR"),
        "{err}"
    );
}

#[test]
fn includes_resolve_relative_with_fallback_and_bounded_depth() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("extra.xml"), site(&[("inc", "yes")])).unwrap();
    let conf = load_written(
        dir.path(),
        "yarn-site.xml",
        "<configuration xmlns:xi=\"http://www.w3.org/2001/XInclude\">\n\
         <xi:include href=\"extra.xml\"/>\n\
         <xi:include href=\"absent.xml\"><xi:fallback/></xi:include>\n\
         </configuration>",
    )
    .unwrap();
    assert_eq!(conf.get("inc").as_deref(), Some("yes"));

    let err = load_written(
        dir.path(),
        "bad.xml",
        "<configuration>\n<xi:include href=\"absent.xml\"/></configuration>",
    )
    .unwrap_err();
    assert!(
        matches!(&err, ConfError::Malformed { line: 2, detail, .. } if detail.contains("absent.xml")),
        "{err}"
    );

    let err = load_written(
        dir.path(),
        "self.xml",
        "<configuration><xi:include href=\"self.xml\"/></configuration>",
    )
    .unwrap_err();
    assert!(err.to_string().contains("nested deeper"), "{err}");
}

#[test]
fn oversized_and_non_utf8_files_are_refused() {
    let dir = tempfile::tempdir().unwrap();
    let big = dir.path().join("big.xml");
    let f = std::fs::File::create(&big).unwrap();
    f.set_len(MAX_FILE_BYTES + 1).unwrap();
    assert!(matches!(
        conf_with(&[]).add_file(&big),
        Err(ConfError::TooLarge { .. })
    ));
    let latin = b"<configuration>\n<!-- caf\xe9 --></configuration>";
    assert!(matches!(
        load_written(dir.path(), "latin.xml", latin),
        Err(ConfError::Malformed { line: 2, .. })
    ));
}

#[test]
fn typed_values_say_where_a_bad_one_came_from() {
    let mut conf = conf_with(&[]);
    conf.add_xml_str(
        "yarn-site.xml",
        &site(&[
            ("n", " 42 "),
            ("flag", "TRUE"),
            ("bad", "x"),
            ("t1", "3000"),
            ("t2", "5m"),
            ("t3", "10 parsecs"),
            ("list", " a, ,b ,"),
        ]),
    )
    .unwrap();
    assert_eq!(conf.get_u64_or("n", 0).unwrap(), 42);
    assert_eq!(conf.get_u64_or("unset", 7).unwrap(), 7);
    assert!(conf.get_bool_or("flag", false).unwrap());
    let err = conf.get_bool_or("bad", false).unwrap_err().to_string();
    assert!(
        err.contains("yarn-site.xml:") && err.contains("true or false"),
        "{err}"
    );
    assert!(conf.get_u64_or("bad", 0).is_err());
    assert_eq!(
        conf.get_duration("t1", Duration::from_millis(1)).unwrap(),
        Some(Duration::from_secs(3))
    );
    assert_eq!(
        conf.get_duration("t2", Duration::from_millis(1)).unwrap(),
        Some(Duration::from_secs(300))
    );
    assert!(conf.get_duration("t3", Duration::from_millis(1)).is_err());
    assert_eq!(conf.get_list("list"), vec!["a", "b"]);
}

#[test]
fn host_ports_parse_like_hadoop() {
    let cases: [(&str, Option<(&str, u16)>); 8] = [
        ("rm:8030", Some(("rm", 8030))),
        ("rm", Some(("rm", 1))),
        (" rm:9 ", Some(("rm", 9))),
        ("[::1]:8030", Some(("::1", 8030))),
        ("[::1]", Some(("::1", 1))),
        ("rm:port", None),
        ("::1:8030", None),
        (":8030", None),
    ];
    for (text, expected) in cases {
        assert_eq!(
            parse_host_port(text, 1),
            expected.map(|(h, p)| (h.to_string(), p)),
            "{text}"
        );
    }
}

#[test]
fn rm_addresses_with_and_without_ha() {
    let mut conf = conf_with(&[]);
    conf.set("yarn.resourcemanager.hostname", "rm0", "test");
    assert_eq!(
        rm_addresses(&conf, RmService::Scheduler).unwrap(),
        vec![RmAddress {
            rm_id: None,
            host: "rm0".into(),
            port: 8030
        }]
    );
    conf.set("yarn.resourcemanager.ha.enabled", "true", "test");
    let err = rm_addresses(&conf, RmService::Scheduler).unwrap_err();
    assert!(err.to_string().contains("rm-ids"), "{err}");
    conf.set("yarn.resourcemanager.ha.rm-ids", "rm1, rm2", "test");
    conf.set(
        "yarn.resourcemanager.scheduler.address.rm1",
        "h1:1111",
        "test",
    );
    conf.set("yarn.resourcemanager.hostname.rm2", "h2", "test");
    let got = rm_addresses(&conf, RmService::Scheduler).unwrap();
    assert_eq!(
        got.iter().map(RmAddress::host_port).collect::<Vec<_>>(),
        vec!["h1:1111", "h2:8030"]
    );
    assert_eq!(got[1].rm_id.as_deref(), Some("rm2"));
    conf.set("yarn.resourcemanager.hostname.rm2", "h2:99", "test");
    assert!(rm_addresses(&conf, RmService::Scheduler).is_err());
    conf.set("yarn.resourcemanager.ha.rm-ids", "rm1,rm3", "test");
    let err = rm_addresses(&conf, RmService::Scheduler).unwrap_err();
    assert!(err.to_string().contains("rm3"), "{err}");
}

#[test]
fn written_files_read_back_with_escapes() {
    let dir = tempfile::tempdir().unwrap();
    let yarn = vec![("a.b".to_string(), "x<y&\"z\"'".to_string())];
    let core = vec![("fs.defaultFS".to_string(), "file:///".to_string())];
    write::write_conf_dir(dir.path(), &yarn, &core).unwrap();
    let mut conf = conf_with(&[]);
    conf.load_dir(dir.path()).unwrap();
    assert_eq!(conf.get("a.b").as_deref(), Some("x<y&\"z\"'"));
    assert_eq!(conf.files().len(), 2);
}
