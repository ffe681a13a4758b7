package spindle.interop;

import java.io.File;
import java.io.IOException;
import java.io.PrintStream;
import java.lang.reflect.InvocationHandler;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Proxy;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Consumer;
import java.util.function.IntFunction;
import javax.crypto.SecretKey;
import javax.crypto.spec.SecretKeySpec;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.io.Text;
import org.apache.hadoop.security.Credentials;
import org.apache.hadoop.security.UserGroupInformation;
import org.apache.hadoop.security.token.SecretManager;
import org.apache.hadoop.security.token.Token;
import org.apache.hadoop.security.token.TokenIdentifier;
import org.apache.hadoop.yarn.api.protocolrecords.AllocateResponse;
import org.apache.hadoop.yarn.api.records.ApplicationId;
import org.apache.hadoop.yarn.api.records.ApplicationReport;
import org.apache.hadoop.yarn.api.records.ApplicationSubmissionContext;
import org.apache.hadoop.yarn.api.records.Container;
import org.apache.hadoop.yarn.api.records.ContainerLaunchContext;
import org.apache.hadoop.yarn.api.records.ContainerStatus;
import org.apache.hadoop.yarn.api.records.LocalResource;
import org.apache.hadoop.yarn.api.records.Priority;
import org.apache.hadoop.yarn.api.records.Resource;
import org.apache.hadoop.yarn.api.records.YarnApplicationState;
import org.apache.hadoop.yarn.client.api.AMRMClient;
import org.apache.hadoop.yarn.client.api.AMRMClient.ContainerRequest;
import org.apache.hadoop.yarn.client.api.NMClient;
import org.apache.hadoop.yarn.client.api.YarnClient;
import org.apache.hadoop.yarn.client.api.YarnClientApplication;
import org.apache.hadoop.yarn.conf.YarnConfiguration;
import org.apache.hadoop.yarn.exceptions.YarnException;

/** Constants and small helpers shared by the interop harness programs. */
final class Common {
  private Common() {}

  /** Cluster timestamp of every id the harness issues. */
  static final long CLUSTER_TIMESTAMP = 1700000000000L;
  /** Master key id carried by every token the harness issues. */
  static final int KEY_ID = 1;
  static final byte[] AMRM_KEY = "interop-amrm-master-key".getBytes(StandardCharsets.UTF_8);
  static final byte[] NMTOKEN_KEY = "interop-nmtoken-master-key".getBytes(StandardCharsets.UTF_8);
  static final byte[] CONTAINER_KEY = "interop-container-master-key".getBytes(StandardCharsets.UTF_8);

  /** Stdout is the harness's channel to the Rust test: one line per fact, flushed at once. */
  static final PrintStream OUT = System.out;

  static synchronized void say(String line) {
    OUT.println(line);
    OUT.flush();
  }

  /**
   * A YarnConfiguration with the test's overrides: the environment variable
   * {@code SPINDLE_HADOOP_CONF} holds {@code key=value} pairs separated by newlines (e.g.
   * {@code hadoop.rpc.protection=privacy}). With {@code hadoop.security.authentication=kerberos}
   * the process also logs in: from the keytab {@code SPINDLE_KRB_KEYTAB} as
   * {@code SPINDLE_KRB_PRINCIPAL} when both are set, else from the ticket cache
   * ({@code KRB5CCNAME}). The JVM needs {@code -Djava.security.krb5.conf}.
   */
  static Configuration conf() throws IOException {
    Configuration conf = new YarnConfiguration();
    String extra = System.getenv("SPINDLE_HADOOP_CONF");
    if (extra != null) {
      for (String kv : extra.split("\n")) {
        int eq = kv.indexOf('=');
        if (eq > 0) {
          conf.set(kv.substring(0, eq).trim(), kv.substring(eq + 1).trim());
        }
      }
    }
    if ("kerberos".equals(conf.get("hadoop.security.authentication"))) {
      UserGroupInformation.setConfiguration(conf);
      String principal = System.getenv("SPINDLE_KRB_PRINCIPAL");
      String keytab = System.getenv("SPINDLE_KRB_KEYTAB");
      if (principal != null && keytab != null) {
        UserGroupInformation.loginUserFromKeytab(principal, keytab);
      }
      UserGroupInformation me = UserGroupInformation.getLoginUser();
      say("FACT kerberos_login=" + me.getUserName() + " " + me.getAuthenticationMethod());
    }
    return conf;
  }

  static SecretKey hmacKey(byte[] raw) {
    return new SecretKeySpec(raw, "HmacSHA1");
  }

  /** HMAC-SHA1 of an identifier, as Hadoop's SecretManager computes token passwords. */
  static byte[] password(byte[] identifier, byte[] rawKey) {
    return SecretManager.createPassword(identifier, hmacKey(rawKey));
  }

  static String hex(byte[] bytes) {
    StringBuilder sb = new StringBuilder(bytes.length * 2);
    for (byte b : bytes) {
      sb.append(Character.forDigit((b >> 4) & 0xf, 16)).append(Character.forDigit(b & 0xf, 16));
    }
    return sb.toString();
  }

  static byte[] unhex(String s) {
    if (s.length() % 2 != 0) {
      throw new IllegalArgumentException("odd hex length " + s.length());
    }
    byte[] out = new byte[s.length() / 2];
    for (int i = 0; i < out.length; i++) {
      int hi = Character.digit(s.charAt(2 * i), 16);
      int lo = Character.digit(s.charAt(2 * i + 1), 16);
      if (hi < 0 || lo < 0) {
        throw new IllegalArgumentException("not hex at offset " + (2 * i));
      }
      out[i] = (byte) ((hi << 4) | lo);
    }
    return out;
  }

  /** A Hadoop security token for an identifier, signed with a raw master key. */
  static <T extends TokenIdentifier> Token<T> token(T identifier, byte[] rawKey, String service) {
    byte[] id = identifier.getBytes();
    return new Token<>(id, password(id, rawKey), identifier.getKind(), new Text(service));
  }

  /** Prints a token as `FACT <prefix>_{identifier,password,kind,service}=...` lines. */
  static void printToken(String prefix, Token<?> token) {
    say("FACT " + prefix + "_identifier=" + hex(token.getIdentifier()));
    say("FACT " + prefix + "_password=" + hex(token.getPassword()));
    say("FACT " + prefix + "_kind=" + token.getKind());
    say("FACT " + prefix + "_service=" + token.getService());
  }

  static void writeTokenFile(File file, Token<?>... tokens) throws IOException {
    Credentials creds = new Credentials();
    for (Token<?> t : tokens) {
      creds.addToken(t.getService(), t);
    }
    creds.writeTokenStorageFile(new org.apache.hadoop.fs.Path(file.getAbsolutePath()), new Configuration());
  }

  /** Exits the JVM when stdin closes, so a harness never outlives the test that started it. */
  static void exitWhenStdinCloses() {
    Thread t =
        new Thread(
            () -> {
              try {
                byte[] buf = new byte[256];
                while (System.in.read(buf) >= 0) {
                  // input is ignored; only end-of-file matters
                }
              } catch (IOException ignored) {
                // treat a broken stdin like end-of-file
              }
              Runtime.getRuntime().halt(0);
            },
            "stdin-watchdog");
    t.setDaemon(true);
    t.start();
  }

  /** Hard upper bound on a harness process's life, whatever happens to its parent. */
  static void exitAfter(long millis) {
    Thread t =
        new Thread(
            () -> {
              try {
                Thread.sleep(millis);
              } catch (InterruptedException ignored) {
                return;
              }
              System.err.println("harness: lifetime limit reached, exiting");
              Runtime.getRuntime().halt(3);
            },
            "lifetime-limit");
    t.setDaemon(true);
    t.start();
  }

  /**
   * {@code protocol} served by {@code handler}: a call goes to the handler's method of the same
   * name and parameter types; a method the handler lacks answers with a YarnException saying the
   * harness's {@code server} does not serve it. So a handler writes only what it serves.
   */
  static <T> T serve(Class<T> protocol, Object handler, String server) {
    InvocationHandler h =
        (proxy, method, args) -> {
          switch (method.getName()) {
            case "toString":
              return handler.toString();
            case "hashCode":
              return System.identityHashCode(proxy);
            case "equals":
              return proxy == args[0];
            default:
              break;
          }
          Method impl;
          try {
            impl = handler.getClass().getDeclaredMethod(method.getName(), method.getParameterTypes());
          } catch (NoSuchMethodException e) {
            throw new YarnException(
                method.getName() + " is not served by the interop harness " + server);
          }
          impl.setAccessible(true);
          try {
            return impl.invoke(handler, args);
          } catch (InvocationTargetException e) {
            throw e.getCause();
          }
        };
    return protocol.cast(
        Proxy.newProxyInstance(protocol.getClassLoader(), new Class<?>[] {protocol}, h));
  }

  /**
   * The {@code --name value} options of {@code args} from index {@code from} on; exits with
   * {@code usage} on an option not in {@code known} or one without a value.
   */
  static Map<String, String> options(String[] args, int from, String usage, String... known) {
    List<String> allowed = Arrays.asList(known);
    Map<String, String> out = new HashMap<>();
    for (int i = from; i < args.length; i += 2) {
      if (!allowed.contains(args[i]) || i + 1 >= args.length) {
        System.err.println("bad argument " + args[i] + "; usage: " + usage);
        System.exit(2);
      }
      out.put(args[i], args[i + 1]);
    }
    return out;
  }

  /** A launch context running {@code command} (one shell line) with {@code env}, nothing else. */
  static ContainerLaunchContext launchContext(Map<String, String> env, String command) {
    return ContainerLaunchContext.newInstance(
        Collections.<String, LocalResource>emptyMap(),
        env,
        Collections.singletonList(command),
        null,
        null,
        null);
  }

  /**
   * {@code app}'s submission context: {@code name} of {@code type} in the default queue at priority
   * 0, its AM a container of {@code am} running {@code command}.
   */
  static ApplicationSubmissionContext submission(
      YarnClientApplication app, String name, String type, Resource am, String command) {
    ApplicationSubmissionContext ctx = app.getApplicationSubmissionContext();
    ctx.setApplicationName(name);
    ctx.setApplicationType(type);
    ctx.setQueue("default");
    ctx.setResource(am);
    ctx.setPriority(Priority.newInstance(0));
    ctx.setAMContainerSpec(launchContext(Collections.singletonMap("SPINDLE_INTEROP", "1"), command));
    return ctx;
  }

  /**
   * The command that starts a harness AM's JVM: {@code mainAndArgs} (a class of this harness and
   * its arguments) on {@code classpath}, with the heap {@code heap} and the flags that start a
   * small JVM fast.
   */
  static String amCommand(String heap, String classpath, String mainAndArgs) {
    return "{{JAVA_HOME}}/bin/java -Xmx" + heap + " -XX:+UseSerialGC -XX:TieredStopAtLevel=1"
        + " -Djava.net.preferIPv4Stack=true -cp " + classpath + " " + mainAndArgs;
  }

  /**
   * Submits through {@code yc} a one-attempt application {@code name} of {@code type} whose AM, a
   * container of {@code am}, runs {@code command} with its stdout and stderr in the container's log
   * directory; says its id ({@code FACT app_id=}) and returns it.
   */
  static ApplicationId submitOnce(
      YarnClient yc, String name, String type, Resource am, String command) throws Exception {
    YarnClientApplication app = yc.createApplication();
    ApplicationId id = app.getNewApplicationResponse().getApplicationId();
    ApplicationSubmissionContext ctx =
        submission(app, name, type, am, command + " 1><LOG_DIR>/stdout 2><LOG_DIR>/stderr");
    ctx.setMaxAppAttempts(1);
    yc.submitApplication(ctx);
    say("FACT app_id=" + id);
    return id;
  }

  /**
   * Polls {@code id}'s report every {@code pollMs} until the application reaches a final state or
   * {@code timeoutMs} pass; {@code onRunning} sees its first RUNNING report. Says the states seen
   * in order ({@code FACT states=}) and the last report's state, final status and diagnostics
   * ({@code final_state}, {@code final_status}, {@code diagnostics}); returns that report.
   */
  static ApplicationReport watch(
      YarnClient yc, ApplicationId id, long timeoutMs, long pollMs,
      Consumer<ApplicationReport> onRunning) throws Exception {
    Set<YarnApplicationState> seen = new HashSet<>();
    List<String> order = new ArrayList<>();
    EnumSet<YarnApplicationState> terminal =
        EnumSet.of(YarnApplicationState.FINISHED, YarnApplicationState.FAILED, YarnApplicationState.KILLED);
    long deadline = System.currentTimeMillis() + timeoutMs;
    ApplicationReport r;
    while (true) {
      r = yc.getApplicationReport(id);
      YarnApplicationState s = r.getYarnApplicationState();
      if (seen.add(s)) {
        order.add(s.toString());
        if (s == YarnApplicationState.RUNNING) {
          onRunning.accept(r);
        }
      }
      if (terminal.contains(s) || System.currentTimeMillis() > deadline) {
        break;
      }
      Thread.sleep(pollMs);
    }
    say("FACT states=" + String.join(",", order));
    say("FACT final_state=" + r.getYarnApplicationState());
    say("FACT final_status=" + r.getFinalApplicationStatus());
    say("FACT diagnostics=" + r.getDiagnostics().replace('\n', ' '));
    return r;
  }

  /**
   * The configuration of the cluster whose folder is {@code confDir} ({@code core-site.xml},
   * {@code yarn-site.xml}) on top of {@link #conf()} (its overrides and Kerberos login), with
   * short connect retries so a broken cluster fails fast.
   */
  static Configuration clusterConf(String confDir) throws IOException {
    Configuration conf = conf();
    conf.addResource(new org.apache.hadoop.fs.Path(confDir, "core-site.xml"));
    conf.addResource(new org.apache.hadoop.fs.Path(confDir, "yarn-site.xml"));
    conf.setLong(YarnConfiguration.RESOURCEMANAGER_CONNECT_MAX_WAIT_MS, 10000);
    conf.setLong(YarnConfiguration.RESOURCEMANAGER_CONNECT_RETRY_INTERVAL_MS, 500);
    conf.setLong(YarnConfiguration.CLIENT_NM_CONNECT_MAX_WAIT_MS, 10000);
    conf.setLong(YarnConfiguration.CLIENT_NM_CONNECT_RETRY_INTERVAL_MS, 500);
    return conf;
  }

  /** Hadoop's AMRMClient for {@code conf}, started (not yet registered). */
  static AMRMClient<ContainerRequest> startAmrmClient(Configuration conf) {
    AMRMClient<ContainerRequest> amrm = AMRMClient.createAMRMClient();
    amrm.init(conf);
    amrm.start();
    return amrm;
  }

  /** Hadoop's NMClient for {@code conf}, started. */
  static NMClient startNmClient(Configuration conf) {
    NMClient nm = NMClient.createNMClient();
    nm.init(conf);
    nm.start();
    return nm;
  }

  /** A harness AM's request for one task container: 128 MB and 1 vcore anywhere, at priority 1. */
  static ContainerRequest taskRequest() {
    return new ContainerRequest(Resource.newInstance(128, 1), null, null, Priority.newInstance(1));
  }

  /** Asks {@code amrm} for {@code n} task containers ({@link #taskRequest}). */
  static void askContainers(AMRMClient<ContainerRequest> amrm, int n) {
    for (int i = 0; i < n; i++) {
      amrm.addContainerRequest(taskRequest());
    }
  }

  /**
   * Handles the containers {@code r} granted for {@code n} tasks asked with
   * {@link #askContainers}: withdraws one task request per container, starts task
   * {@code started}, {@code started + 1}, … in them with the launch context {@code launch} gives
   * for the task's number, and releases those beyond the {@code n}th task. Returns how many tasks
   * are started now.
   */
  static int startGranted(
      AMRMClient<ContainerRequest> amrm, NMClient nm, AllocateResponse r, int started, int n,
      IntFunction<ContainerLaunchContext> launch) throws Exception {
    for (Container c : r.getAllocatedContainers()) {
      amrm.removeContainerRequest(taskRequest());
      if (started >= n) {
        amrm.releaseAssignedContainer(c.getId());
        continue;
      }
      nm.startContainer(c, launch.apply(started));
      started++;
    }
    return started;
  }

  /** How a container that ended with {@code s} failed: its id, exit status and diagnostics. */
  static String failure(ContainerStatus s) {
    return s.getContainerId() + " exit " + s.getExitStatus() + ": " + s.getDiagnostics();
  }
}
