//! A real MIT Kerberos KDC for one test: its own realm (`SPINDLE.TEST`) on a free loopback
//! port, its own configuration files (`KRB5_CONFIG`, `KRB5_KDC_PROFILE`) and database in a
//! temporary folder. No system file is read or written, and the KDC process is killed when the
//! [`Kdc`] is dropped.
//!
//! The tools come from Debian's `krb5-kdc`, `krb5-admin-server` and `krb5-user`
//! (`scripts/kdc-deps.sh` installs them; [`Kdc::start`] runs it when a tool is missing).
//! Programs that should use this realm get [`Kdc::env`] (MIT tools and libraries, including
//! ours through `libgssapi_krb5`) or [`Kdc::java_flags`] (the JDK ignores `KRB5_CONFIG`).

use std::net::{SocketAddr, TcpListener, TcpStream, UdpSocket};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use crate::cache::repo_root;
use crate::error::{HarnessError, Result};
use crate::process::JavaSetup;

/// The realm every test KDC serves.
pub const REALM: &str = "SPINDLE.TEST";

const KDB5_UTIL: &str = "/usr/sbin/kdb5_util";
const KRB5KDC: &str = "/usr/sbin/krb5kdc";
const KADMIN_LOCAL: &str = "/usr/sbin/kadmin.local";
const KINIT: &str = "kinit";

/// How long the KDC may take to accept connections.
const START_TIMEOUT: Duration = Duration::from_secs(10);

/// A running KDC (killed on drop).
#[derive(Debug)]
pub struct Kdc {
    dir: tempfile::TempDir,
    port: u16,
    child: Child,
}

fn missing_tools() -> Vec<&'static str> {
    let mut missing = Vec::new();
    for tool in [KDB5_UTIL, KRB5KDC, KADMIN_LOCAL] {
        if !Path::new(tool).exists() {
            missing.push(tool);
        }
    }
    if Command::new(KINIT).arg("-V").output().is_err() {
        missing.push(KINIT);
    }
    missing
}

/// Installs the KDC packages when a tool is missing; fails saying how when that does not help.
fn ensure_tools() -> Result<()> {
    if missing_tools().is_empty() {
        return Ok(());
    }
    let script = repo_root().join("scripts/kdc-deps.sh");
    let out = Command::new("bash").arg(&script).output()?;
    let still = missing_tools();
    if still.is_empty() {
        return Ok(());
    }
    Err(HarnessError::Kerberos(format!(
        "missing {still:?}: install Debian's krb5-kdc, krb5-admin-server and krb5-user (as root: bash {}). The script said: {}",
        script.display(),
        String::from_utf8_lossy(&out.stderr).trim()
    )))
}

/// A port free for both TCP and UDP on 127.0.0.1 (the KDC listens on both).
fn free_port() -> Result<u16> {
    for _ in 0..20 {
        let tcp = TcpListener::bind("127.0.0.1:0")?;
        let port = tcp.local_addr()?.port();
        if UdpSocket::bind(("127.0.0.1", port)).is_ok() {
            return Ok(port);
        }
    }
    Err(HarnessError::Kerberos(
        "no port free for both TCP and UDP".into(),
    ))
}

fn run(what: &str, cmd: &mut Command) -> Result<String> {
    let out = cmd
        .stdin(Stdio::null())
        .output()
        .map_err(|source| HarnessError::Spawn {
            program: what.to_string(),
            source,
        })?;
    if !out.status.success() {
        return Err(HarnessError::Kerberos(format!(
            "`{what}` failed ({}): {}{}",
            out.status,
            String::from_utf8_lossy(&out.stdout),
            String::from_utf8_lossy(&out.stderr)
        )));
    }
    Ok(String::from_utf8_lossy(&out.stdout).into_owned())
}

impl Kdc {
    /// Creates the realm and starts the KDC; returns once it accepts TCP connections.
    pub fn start() -> Result<Kdc> {
        ensure_tools()?;
        let dir = tempfile::Builder::new().prefix("spindle-kdc-").tempdir()?;
        for sub in ["db", "keytabs", "ccache", "logs"] {
            std::fs::create_dir_all(dir.path().join(sub))?;
        }
        let port = free_port()?;
        let root = dir.path().display().to_string();
        std::fs::write(
            dir.path().join("krb5.conf"),
            format!(
                "[libdefaults]\n  default_realm = {REALM}\n  dns_lookup_kdc = false\n  dns_lookup_realm = false\n  rdns = false\n  dns_canonicalize_hostname = false\n  udp_preference_limit = 1\n  ticket_lifetime = 24h\n  renew_lifetime = 7d\n  forwardable = true\n\n[realms]\n  {REALM} = {{\n    kdc = 127.0.0.1:{port}\n  }}\n\n[domain_realm]\n  localhost = {REALM}\n"
            ),
        )?;
        std::fs::write(
            dir.path().join("kdc.conf"),
            format!(
                "[kdcdefaults]\n  kdc_listen = 127.0.0.1:{port}\n  kdc_tcp_listen = 127.0.0.1:{port}\n\n[realms]\n  {REALM} = {{\n    database_name = {root}/db/principal\n    key_stash_file = {root}/db/stash\n    acl_file = {root}/db/kadm5.acl\n    kdc_listen = 127.0.0.1:{port}\n    kdc_tcp_listen = 127.0.0.1:{port}\n    max_life = 24h\n    max_renewable_life = 7d\n    supported_enctypes = aes256-cts-hmac-sha1-96:normal aes128-cts-hmac-sha1-96:normal\n  }}\n\n[logging]\n  kdc = FILE:{root}/logs/kdc.log\n  default = FILE:{root}/logs/krb5.log\n"
            ),
        )?;
        std::fs::write(dir.path().join("db/kadm5.acl"), "")?;
        let env = |cmd: &mut Command| {
            cmd.env("KRB5_CONFIG", dir.path().join("krb5.conf"))
                .env("KRB5_KDC_PROFILE", dir.path().join("kdc.conf"));
        };
        let mut create = Command::new(KDB5_UTIL);
        create.args(["create", "-s", "-r", REALM, "-P", "spindle-test-master-key"]);
        env(&mut create);
        run("kdb5_util create", &mut create)?;
        let mut kdc = Command::new(KRB5KDC);
        // -n: stay in the foreground, so that the child we hold is the KDC itself.
        kdc.args(["-n", "-r", REALM])
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .stdin(Stdio::null());
        env(&mut kdc);
        let child = kdc.spawn().map_err(|source| HarnessError::Spawn {
            program: KRB5KDC.into(),
            source,
        })?;
        let mut kdc = Kdc { dir, port, child };
        let deadline = Instant::now() + START_TIMEOUT;
        let addr = SocketAddr::from(([127, 0, 0, 1], port));
        loop {
            if TcpStream::connect_timeout(&addr, Duration::from_millis(200)).is_ok() {
                return Ok(kdc);
            }
            if let Ok(Some(status)) = kdc.child.try_wait() {
                return Err(HarnessError::Kerberos(format!(
                    "krb5kdc exited ({status}); its log:\n{}",
                    kdc.log()
                )));
            }
            if Instant::now() >= deadline {
                return Err(HarnessError::Kerberos(format!(
                    "krb5kdc did not accept connections on {addr} within {START_TIMEOUT:?}; its log:\n{}",
                    kdc.log()
                )));
            }
            std::thread::sleep(Duration::from_millis(20));
        }
    }

    /// The KDC's log so far (for failure reports).
    pub fn log(&self) -> String {
        std::fs::read_to_string(self.dir.path().join("logs/kdc.log")).unwrap_or_default()
    }

    /// The KDC's port on 127.0.0.1.
    pub fn port(&self) -> u16 {
        self.port
    }

    /// The client configuration file (`KRB5_CONFIG`, `-Djava.security.krb5.conf`).
    pub fn krb5_conf(&self) -> PathBuf {
        self.dir.path().join("krb5.conf")
    }

    /// Environment for MIT tools and libraries using this realm.
    pub fn env(&self) -> Vec<(String, String)> {
        vec![
            ("KRB5_CONFIG".into(), self.krb5_conf().display().to_string()),
            (
                "KRB5_KDC_PROFILE".into(),
                self.dir.path().join("kdc.conf").display().to_string(),
            ),
            // No replay cache files in /var/tmp shared with other test runs.
            ("KRB5RCACHETYPE".into(), "none".into()),
        ]
    }

    /// JVM flags for Java programs using this realm.
    pub fn java_flags(&self) -> Vec<String> {
        vec![format!(
            "-Djava.security.krb5.conf={}",
            self.krb5_conf().display()
        )]
    }

    /// Runs one `kadmin.local` query on the realm's database (e.g. `modprinc -maxlife ...`).
    pub fn admin(&self, query: &str) -> Result<String> {
        let mut cmd = Command::new(KADMIN_LOCAL);
        cmd.args(["-r", REALM, "-q", query]);
        for (k, v) in self.env() {
            cmd.env(k, v);
        }
        run(&format!("kadmin.local -q {query:?}"), &mut cmd)
    }

    /// Creates `name` (e.g. `alice` or `rm/localhost`) with a random key and writes its keytab;
    /// returns the full principal and the keytab's path.
    pub fn add_principal(&self, name: &str) -> Result<(String, PathBuf)> {
        let principal = format!("{name}@{REALM}");
        self.admin(&format!("addprinc -randkey {principal}"))?;
        let keytab = self
            .dir
            .path()
            .join("keytabs")
            .join(format!("{}.keytab", name.replace('/', "_")));
        self.admin(&format!("ktadd -k {} {principal}", keytab.display()))?;
        Ok((principal, keytab))
    }

    /// Gets a TGT for `principal` from `keytab` into a fresh ticket cache (as `kinit -kt`
    /// does); returns the cache name for `KRB5CCNAME`.
    pub fn kinit(&self, principal: &str, keytab: &Path) -> Result<String> {
        let cache = format!(
            "FILE:{}",
            self.dir
                .path()
                .join("ccache")
                .join(principal.replace(['/', '@'], "_"))
                .display()
        );
        let mut cmd = Command::new(KINIT);
        cmd.arg("-kt")
            .arg(keytab)
            .arg(principal)
            .env("KRB5CCNAME", &cache);
        for (k, v) in self.env() {
            cmd.env(k, v);
        }
        run(
            &format!("kinit -kt {} {principal}", keytab.display()),
            &mut cmd,
        )?;
        Ok(cache)
    }

    /// A ticket cache name that holds nothing (for "no ticket" cases).
    pub fn empty_cache(&self) -> String {
        format!(
            "FILE:{}",
            self.dir.path().join("ccache").join("empty").display()
        )
    }
}

impl Drop for Kdc {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// Set in the environment of a test process re-run by [`Kdc::rerun_test`].
pub const INNER_ENV: &str = "SPINDLE_KRB_INNER_TEST";

/// Whether this process is a re-run made by [`Kdc::rerun_test`] (the test then does its inner
/// part and returns).
pub fn is_inner_run() -> bool {
    std::env::var_os(INNER_ENV).is_some()
}

/// A Kerberos test in two parts (see [`Kdc::rerun_test`]). The outer run starts a KDC, lets
/// `outer` make what the test needs and name the inner run's environment, re-runs the test
/// `name` with it and fails if the inner run failed; the inner run runs `inner`.
pub fn two_part_test<K, V>(
    name: &str,
    outer: impl FnOnce(&Kdc) -> Vec<(K, V)>,
    inner: impl FnOnce(),
) where
    K: AsRef<std::ffi::OsStr>,
    V: AsRef<std::ffi::OsStr>,
{
    if is_inner_run() {
        inner();
        return;
    }
    let kdc = Kdc::start().expect("start the KDC");
    let extra = outer(&kdc);
    let out = kdc
        .rerun_test(name, &extra)
        .unwrap_or_else(|e| panic!("{e}"));
    println!("{out}");
}

/// A [`two_part_test`] with the [`TestRealm`]'s principals, whose inner part is async (run on a
/// two-thread runtime).
pub fn in_realm<F: std::future::Future<Output = ()>>(
    name: &str,
    inner: impl FnOnce(TestRealm) -> F,
) {
    two_part_test(
        name,
        |kdc| kdc.test_realm().expect("test principals").env(),
        || {
            let rt = tokio::runtime::Builder::new_multi_thread()
                .worker_threads(2)
                .enable_all()
                .build()
                .expect("runtime");
            rt.block_on(inner(TestRealm::from_env()));
        },
    );
}

impl Kdc {
    /// Runs the test `name` (its path in the test binary, e.g. `gss_contexts`) again in a child
    /// process whose environment points MIT's library at this realm, plus `extra` (e.g.
    /// `KRB5CCNAME`). The library reads `KRB5_CONFIG` from the environment only, and a running
    /// test must not change its own. Returns the child's output; an error if it failed.
    pub fn rerun_test<K, V>(&self, name: &str, extra: &[(K, V)]) -> Result<String>
    where
        K: AsRef<std::ffi::OsStr>,
        V: AsRef<std::ffi::OsStr>,
    {
        let exe = std::env::current_exe()?;
        let mut cmd = Command::new(exe);
        cmd.args(["--exact", name, "--nocapture", "--test-threads", "1"])
            .env(INNER_ENV, "1");
        for (k, v) in self.env() {
            cmd.env(k, v);
        }
        for (k, v) in extra {
            cmd.env(k, v);
        }
        let out = cmd.stdin(Stdio::null()).output()?;
        let text = format!(
            "{}{}",
            String::from_utf8_lossy(&out.stdout),
            String::from_utf8_lossy(&out.stderr)
        );
        if !out.status.success() || !text.contains("1 passed") {
            return Err(HarnessError::Kerberos(format!(
                "the inner run of {name} failed ({}):\n{text}\nKDC log:\n{}",
                out.status,
                self.log()
            )));
        }
        Ok(text)
    }
}

/// The principals a secure-cluster test uses: the RM's (`rm/localhost`, with a keytab) and a
/// user's (`alice`, with a keytab and a `kinit` ticket cache). The outer test makes them; the
/// inner run (see [`Kdc::rerun_test`]) finds them in its environment.
#[derive(Debug, Clone)]
pub struct TestRealm {
    /// `rm/localhost@SPINDLE.TEST`.
    pub rm_principal: String,
    /// Its keytab.
    pub rm_keytab: PathBuf,
    /// `alice@SPINDLE.TEST`.
    pub user_principal: String,
    /// Her keytab.
    pub user_keytab: PathBuf,
    /// Her ticket cache (`KRB5CCNAME`), filled by `kinit`.
    pub user_cache: String,
    /// The realm's `krb5.conf`.
    pub krb5_conf: PathBuf,
}

/// The RM principal pattern clients are configured with (`yarn.resourcemanager.principal`).
pub const RM_PRINCIPAL_PATTERN: &str = "rm/_HOST@SPINDLE.TEST";

impl Kdc {
    /// Creates the test principals and `kinit`s the user.
    pub fn test_realm(&self) -> Result<TestRealm> {
        let (rm_principal, rm_keytab) = self.add_principal("rm/localhost")?;
        let (user_principal, user_keytab) = self.add_principal("alice")?;
        let user_cache = self.kinit(&user_principal, &user_keytab)?;
        Ok(TestRealm {
            rm_principal,
            rm_keytab,
            user_principal,
            user_keytab,
            user_cache,
            krb5_conf: self.krb5_conf(),
        })
    }
}

impl TestRealm {
    /// The environment of the inner run: `KRB5CCNAME` (the user's cache) and the rest.
    pub fn env(&self) -> Vec<(&'static str, String)> {
        vec![
            ("KRB5CCNAME", self.user_cache.clone()),
            ("SPINDLE_TEST_RM_PRINCIPAL", self.rm_principal.clone()),
            (
                "SPINDLE_TEST_RM_KEYTAB",
                self.rm_keytab.display().to_string(),
            ),
            ("SPINDLE_TEST_USER", self.user_principal.clone()),
            (
                "SPINDLE_TEST_USER_KEYTAB",
                self.user_keytab.display().to_string(),
            ),
            (
                "SPINDLE_TEST_KRB5_CONF",
                self.krb5_conf.display().to_string(),
            ),
        ]
    }

    /// The realm as the inner run sees it.
    pub fn from_env() -> TestRealm {
        let var = |k: &str| {
            std::env::var(k).unwrap_or_else(|_| panic!("{k} is not set: not an inner run?"))
        };
        TestRealm {
            rm_principal: var("SPINDLE_TEST_RM_PRINCIPAL"),
            rm_keytab: var("SPINDLE_TEST_RM_KEYTAB").into(),
            user_principal: var("SPINDLE_TEST_USER"),
            user_keytab: var("SPINDLE_TEST_USER_KEYTAB").into(),
            user_cache: var("KRB5CCNAME"),
            krb5_conf: var("SPINDLE_TEST_KRB5_CONF").into(),
        }
    }

    /// A Kerberized Hadoop JVM of this realm, its RM principal `rm/_HOST`, logged in from the
    /// given environment.
    fn java(&self, protection: &str, login: &[(&str, String)]) -> JavaSetup {
        let mut java = JavaSetup::protection(protection);
        java.hadoop_conf.extend(
            [
                ("hadoop.security.authentication", "kerberos"),
                ("yarn.resourcemanager.principal", RM_PRINCIPAL_PATTERN),
            ]
            .map(|(k, v)| (k.to_string(), v.to_string())),
        );
        java.env
            .extend(login.iter().map(|(k, v)| (k.to_string(), v.clone())));
        java.jvm_flags.push(format!(
            "-Djava.security.krb5.conf={}",
            self.krb5_conf.display()
        ));
        java
    }

    /// A Kerberized Hadoop server JVM: logs in as the RM from its keytab.
    pub fn java_server(&self, protection: &str) -> JavaSetup {
        self.java(
            protection,
            &[
                ("SPINDLE_KRB_PRINCIPAL", self.rm_principal.clone()),
                ("SPINDLE_KRB_KEYTAB", self.rm_keytab.display().to_string()),
            ],
        )
    }

    /// A Hadoop client JVM logged in as the user from her ticket cache.
    pub fn java_client(&self, protection: &str) -> JavaSetup {
        self.java(protection, &[("KRB5CCNAME", self.user_cache.clone())])
    }
}
