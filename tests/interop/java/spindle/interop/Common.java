package spindle.interop;

import java.io.File;
import java.io.IOException;
import java.io.PrintStream;
import java.lang.reflect.InvocationHandler;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Proxy;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import javax.crypto.SecretKey;
import javax.crypto.spec.SecretKeySpec;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.io.Text;
import org.apache.hadoop.security.Credentials;
import org.apache.hadoop.security.token.SecretManager;
import org.apache.hadoop.security.token.Token;
import org.apache.hadoop.security.token.TokenIdentifier;
import org.apache.hadoop.yarn.api.records.ApplicationSubmissionContext;
import org.apache.hadoop.yarn.api.records.ContainerLaunchContext;
import org.apache.hadoop.yarn.api.records.LocalResource;
import org.apache.hadoop.yarn.api.records.Priority;
import org.apache.hadoop.yarn.api.records.Resource;
import org.apache.hadoop.yarn.client.api.AMRMClient;
import org.apache.hadoop.yarn.client.api.AMRMClient.ContainerRequest;
import org.apache.hadoop.yarn.client.api.NMClient;
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
   * The configuration of the cluster whose folder is {@code confDir} ({@code core-site.xml},
   * {@code yarn-site.xml}), with short connect retries so a broken cluster fails fast.
   */
  static Configuration clusterConf(String confDir) {
    Configuration conf = new YarnConfiguration();
    conf.addResource(new org.apache.hadoop.fs.Path(confDir, "core-site.xml"));
    conf.addResource(new org.apache.hadoop.fs.Path(confDir, "yarn-site.xml"));
    conf.setLong(YarnConfiguration.RESOURCEMANAGER_CONNECT_MAX_WAIT_MS, 10000);
    conf.setLong(YarnConfiguration.RESOURCEMANAGER_CONNECT_RETRY_INTERVAL_MS, 500);
    conf.setLong(YarnConfiguration.CLIENT_NM_CONNECT_MAX_WAIT_MS, 10000);
    conf.setLong(YarnConfiguration.CLIENT_NM_CONNECT_RETRY_INTERVAL_MS, 500);
    return conf;
  }

  /** Hadoop's NMClient for {@code conf}, started. */
  static NMClient startNmClient(Configuration conf) {
    NMClient nm = NMClient.createNMClient();
    nm.init(conf);
    nm.start();
    return nm;
  }

  /** Asks {@code amrm} for {@code n} containers of {@code res} anywhere at priority {@code p}. */
  static void askContainers(AMRMClient<ContainerRequest> amrm, int n, Resource res, Priority p) {
    for (int i = 0; i < n; i++) {
      amrm.addContainerRequest(new ContainerRequest(res, null, null, p));
    }
  }
}
