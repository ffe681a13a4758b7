//! Localization by the local runner: FILE resources (files and folders), zip and tar.gz/tar archives,
//! PATTERN jars, wildcard links, the once-per-application unpack, and refused resources.

mod common;

use std::io::Write;
use std::path::{Path, PathBuf};
use std::time::Duration;

use common::*;
use spindle_launcher::{LocalResourceSpec, ResourceKind, Visibility};

fn write_zip(path: &Path, entries: &[(&str, &[u8])]) {
    let file = std::fs::File::create(path).unwrap();
    let mut zip = zip::ZipWriter::new(file);
    let opts = zip::write::SimpleFileOptions::default();
    for (name, data) in entries {
        if name.ends_with('/') {
            zip.add_directory(*name, opts).unwrap();
        } else {
            zip.start_file(*name, opts).unwrap();
            zip.write_all(data).unwrap();
        }
    }
    zip.finish().unwrap();
}

fn write_tar<W: Write>(out: W, entries: &[(&str, &[u8], u32)]) -> W {
    let mut tar = tar::Builder::new(out);
    for (name, data, mode) in entries {
        let mut header = tar::Header::new_gnu();
        header.set_size(data.len() as u64);
        header.set_mode(*mode);
        header.set_cksum();
        tar.append_data(&mut header, name, *data).unwrap();
    }
    tar.into_inner().unwrap()
}

fn write_tar_gz(path: &Path, entries: &[(&str, &[u8], u32)]) {
    let file = std::fs::File::create(path).unwrap();
    let gz = flate2::write::GzEncoder::new(file, flate2::Compression::default());
    write_tar(gz, entries).finish().unwrap();
}

fn resource(path: &Path, kind: ResourceKind, visibility: Visibility) -> LocalResourceSpec {
    LocalResourceSpec {
        source: format!("file://{}", path.display()),
        size: std::fs::metadata(path).map(|m| m.len() as i64).unwrap_or(0),
        timestamp_ms: mtime_ms(path),
        kind,
        visibility,
        pattern: None,
    }
}

fn work_dir(t: &TestRunner, app_n: u32, seq: u32) -> PathBuf {
    t.root()
        .join("local/usercache/tester/appcache")
        .join(app(app_n))
        .join(cid(app_n, seq))
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn files_folders_and_archives_are_localized_and_linked() {
    let mut t = TestRunner::with(|c| c.keep_container_dirs = true);
    let src = t.root().join("staging");
    std::fs::create_dir_all(src.join("dirres/sub")).unwrap();
    std::fs::write(src.join("conf.txt"), "key=value\n").unwrap();
    std::fs::write(src.join("dirres/one.txt"), "1\n").unwrap();
    std::fs::write(src.join("dirres/sub/two.txt"), "2\n").unwrap();
    write_zip(
        &src.join("lib.zip"),
        &[
            ("top.txt", b"zip-top\n"),
            ("a/", b""),
            ("a/hello.txt", b"zip-hello\n"),
        ],
    );
    write_tar_gz(
        &src.join("env.tar.gz"),
        &[
            ("bin/tool.sh", b"#!/bin/bash\necho tool-ran\n", 0o755),
            ("data/x.txt", b"tgz-data\n", 0o644),
        ],
    );
    let tar_file = std::fs::File::create(src.join("plain.tar")).unwrap();
    write_tar(tar_file, &[("p.txt", b"tar-plain\n", 0o644)]);
    write_zip(
        &src.join("app.jar"),
        &[("lib/native.so", b"so\n"), ("com/Main.class", b"class\n")],
    );
    let mut pattern = resource(
        &src.join("app.jar"),
        ResourceKind::Pattern,
        Visibility::Application,
    );
    pattern.pattern = Some("lib/.*".into());

    let mut s = spec(
        1,
        2,
        "{ cat conf.txt; cat zipped/top.txt zipped/a/hello.txt; ./envdir/bin/tool.sh; cat envdir/data/x.txt; \
         cat tarred/p.txt; cat nested/dir/dirres/sub/two.txt; cat libs/one.txt; \
         ls jarpat; } > <LOG_DIR>/out.txt",
    );
    use ResourceKind::{Archive, File};
    use Visibility::{Application, Private, Public};
    s.local_resources = [
        ("conf.txt", "conf.txt", File, Private),
        ("zipped", "lib.zip", Archive, Application),
        ("envdir", "env.tar.gz", Archive, Public),
        ("tarred", "plain.tar", Archive, Application),
        ("nested/dir/dirres", "dirres", File, Application),
        ("libs/*", "dirres", File, Private),
    ]
    .into_iter()
    .map(|(link, file, kind, visibility)| {
        (link.into(), resource(&src.join(file), kind, visibility))
    })
    .chain([("jarpat".into(), pattern)])
    .collect();
    let log_dir = t.log_dir(&s);
    let exit = t.run(s).await;
    assert_eq!(exit.exit_status, 0, "{}", exit.diagnostics);
    let out = read(&log_dir, "out.txt");
    assert_eq!(
        out,
        "key=value\nzip-top\nzip-hello\ntool-ran\ntgz-data\ntar-plain\n2\n1\napp.jar\nlib\n"
    );

    // Links point into the caches of the right visibility; the copies are not the sources.
    let work = work_dir(&t, 1, 2);
    let root = t.root().join("local");
    let conf = std::fs::read_link(work.join("conf.txt")).unwrap();
    assert!(
        conf.starts_with(root.join("usercache/tester/filecache")),
        "{conf:?}"
    );
    assert!(!conf.starts_with(&src));
    let env = std::fs::read_link(work.join("envdir")).unwrap();
    assert!(env.starts_with(root.join("filecache")), "{env:?}");
    assert!(env.is_dir());
    let zipped = std::fs::read_link(work.join("zipped")).unwrap();
    assert!(
        zipped.starts_with(
            root.join("usercache/tester/appcache")
                .join(app(1))
                .join("filecache")
        )
    );
    assert!(
        std::fs::symlink_metadata(work.join("libs/sub"))
            .unwrap()
            .file_type()
            .is_symlink()
    );
    // The PATTERN jar keeps only the matching entries next to the jar itself.
    let jar = std::fs::read_link(work.join("jarpat")).unwrap();
    assert!(jar.join("lib/native.so").exists());
    assert!(!jar.join("com").exists());
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn archives_are_unpacked_once_per_application_and_timestamp() {
    let mut t = TestRunner::with(|c| c.keep_container_dirs = true);
    let src = t.root().join("staging");
    std::fs::create_dir_all(&src).unwrap();
    write_zip(&src.join("conf.zip"), &[("c.txt", b"original\n")]);
    let res = resource(
        &src.join("conf.zip"),
        ResourceKind::Archive,
        Visibility::Application,
    );

    let mut first = spec(1, 2, "cat conf/c.txt > <LOG_DIR>/c.txt");
    first.local_resources = vec![("conf".into(), res.clone())];
    assert_eq!(t.run(first).await.exit_status, 0);
    let unpacked = std::fs::read_link(work_dir(&t, 1, 2).join("conf")).unwrap();
    // Mark the unpacked copy: a second unpack would not carry the mark.
    std::fs::write(unpacked.join("mark"), "seen").unwrap();

    let mut second = spec(1, 3, "cat conf/mark > <LOG_DIR>/mark.txt");
    second.local_resources = vec![("conf".into(), res.clone())];
    let log2 = t.log_dir(&second);
    assert_eq!(t.run(second).await.exit_status, 0);
    assert_eq!(
        std::fs::read_link(work_dir(&t, 1, 3).join("conf")).unwrap(),
        unpacked
    );
    assert_eq!(read(&log2, "mark.txt"), "seen");
    assert_eq!(t.runner.cached_resources(), 1);

    // Another application gets its own copy of an APPLICATION resource.
    let mut other = spec(2, 2, "test ! -e conf/mark");
    other.local_resources = vec![("conf".into(), res.clone())];
    assert_eq!(t.run(other).await.exit_status, 0);
    assert_ne!(
        std::fs::read_link(work_dir(&t, 2, 2).join("conf")).unwrap(),
        unpacked
    );
    assert_eq!(t.runner.cached_resources(), 2);

    // A new version of the source (new timestamp) is unpacked again.
    write_zip(&src.join("conf.zip"), &[("c.txt", b"second version\n")]);
    touch_ahead(&src.join("conf.zip"), Duration::from_secs(5));
    let res2 = resource(
        &src.join("conf.zip"),
        ResourceKind::Archive,
        Visibility::Application,
    );
    assert_ne!(res2.timestamp_ms, res.timestamp_ms);
    let mut newer = spec(1, 4, "cat conf/c.txt > <LOG_DIR>/c.txt");
    newer.local_resources = vec![("conf".into(), res2)];
    let log4 = t.log_dir(&newer);
    assert_eq!(t.run(newer).await.exit_status, 0);
    assert_eq!(read(&log4, "c.txt"), "second version\n");

    // Finishing the application drops its folders and cache entries.
    assert!(
        t.runner
            .finish_application(&app(1), Duration::from_secs(5))
            .await
    );
    assert!(!unpacked.exists());
    assert!(
        !t.root()
            .join("local/usercache/tester/appcache")
            .join(app(1))
            .exists()
    );
    assert_eq!(t.runner.cached_resources(), 1);
    assert!(t.runner.status(&cid(1, 2)).is_none());
    assert!(t.runner.status(&cid(2, 2)).is_some());
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn bad_resources_fail_the_container_with_clear_diagnostics() {
    let mut t = TestRunner::new();
    let src = t.root().join("staging");
    std::fs::create_dir_all(&src).unwrap();
    std::fs::write(src.join("a.txt"), "a").unwrap();
    std::fs::write(src.join("not-really.zip"), "this is plain text, not a zip").unwrap();
    std::fs::write(
        src.join("broken.zip"),
        b"PK\x03\x04 then garbage that is no zip at all",
    )
    .unwrap();
    write_zip(&src.join("slip.zip"), &[("../../escaped.txt", b"gotcha")]);
    let good = resource(
        &src.join("a.txt"),
        ResourceKind::File,
        Visibility::Application,
    );

    let cases: Vec<(&str, String, LocalResourceSpec, &str)> = vec![
        (
            "missing",
            "a".into(),
            LocalResourceSpec {
                source: src.join("nope.jar").display().to_string(),
                ..good.clone()
            },
            "is missing or unreadable",
        ),
        (
            "changed",
            "a".into(),
            LocalResourceSpec {
                timestamp_ms: good.timestamp_ms - 1000,
                ..good.clone()
            },
            "changed on src filesystem",
        ),
        (
            "not an archive",
            "z".into(),
            resource(
                &src.join("not-really.zip"),
                ResourceKind::Archive,
                Visibility::Application,
            ),
            "not a zip, tar.gz or tar archive",
        ),
        (
            "damaged zip",
            "z".into(),
            resource(
                &src.join("broken.zip"),
                ResourceKind::Archive,
                Visibility::Application,
            ),
            "cannot be unpacked",
        ),
        (
            "zip slip",
            "z".into(),
            resource(
                &src.join("slip.zip"),
                ResourceKind::Archive,
                Visibility::Application,
            ),
            "outside the target folder",
        ),
        (
            "remote scheme",
            "r".into(),
            LocalResourceSpec {
                source: "hdfs://nn:8020/user/x/a.jar".into(),
                ..good.clone()
            },
            "unsupported scheme",
        ),
        (
            "hostile link",
            "../escape".into(),
            good.clone(),
            "must not contain `..`",
        ),
        (
            "absolute link",
            "/tmp/escape".into(),
            good.clone(),
            "must be relative",
        ),
    ];
    for (i, (what, link, res, expect)) in cases.into_iter().enumerate() {
        let mut s = spec(1, 10 + i as u32, "echo should-not-run > <LOG_DIR>/ran");
        s.local_resources = vec![(link, res)];
        let log_dir = t.log_dir(&s);
        let exit = t.run(s).await;
        assert!(
            exit.diagnostics.contains(expect),
            "{what}: {}",
            exit.diagnostics
        );
        assert_exit(&exit, -1000, &[expect]);
        assert!(
            !log_dir.join("ran").exists(),
            "{what}: the command must not run"
        );
    }
    // A link nested under another resource's link would write into that resource's cached copy.
    std::fs::create_dir_all(src.join("confdir")).unwrap();
    let mut s = spec(1, 40, "echo should-not-run > <LOG_DIR>/ran");
    s.local_resources = vec![
        (
            "conf".into(),
            resource(&src.join("confdir"), ResourceKind::File, Visibility::Public),
        ),
        ("conf/extra.txt".into(), good.clone()),
    ];
    let exit = t.run(s).await;
    assert_exit(&exit, -1000, &["passes through another resource's link"]);
    let public = t.root().join("local/filecache");
    let polluted = std::fs::read_dir(&public)
        .unwrap()
        .flatten()
        .any(|d| d.path().join("confdir/extra.txt").exists());
    assert!(
        !polluted,
        "the public cache must not be written through a link"
    );
    assert!(!t.root().join("escape").exists());
    assert!(!t.root().join("local/usercache/tester/escaped.txt").exists());
    assert!(!std::path::Path::new("/tmp/escape").exists());

    // The runner keeps serving: a good container still runs, with the resource that was refused
    // when its timestamp was wrong.
    let mut s = spec(1, 99, "cat a > <LOG_DIR>/a.txt");
    s.local_resources = vec![("a".into(), good)];
    let log_dir = t.log_dir(&s);
    let exit = t.run(s).await;
    assert_eq!(exit.exit_status, 0, "{}", exit.diagnostics);
    assert_eq!(read(&log_dir, "a.txt"), "a");

    // A source that changes after it was cached is refused for launch contexts with the old time.
    let cached = resource(
        &src.join("a.txt"),
        ResourceKind::File,
        Visibility::Application,
    );
    touch_ahead(&src.join("a.txt"), Duration::from_secs(10));
    let mut s = spec(1, 100, "true");
    s.local_resources = vec![("a".into(), cached)];
    let exit = t.run(s).await;
    assert_exit(&exit, -1000, &["changed on src filesystem"]);
}
