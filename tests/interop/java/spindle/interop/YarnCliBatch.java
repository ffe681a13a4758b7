package spindle.interop;

import java.io.BufferedReader;
import java.io.ByteArrayOutputStream;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.Path;
import org.apache.hadoop.util.Tool;
import org.apache.hadoop.util.ToolRunner;
import org.apache.hadoop.yarn.client.cli.ApplicationCLI;
import org.apache.hadoop.yarn.client.cli.ClusterCLI;
import org.apache.hadoop.yarn.client.cli.LogsCLI;
import org.apache.hadoop.yarn.client.cli.NodeCLI;
import org.apache.hadoop.yarn.client.cli.QueueCLI;
import org.apache.hadoop.yarn.client.cli.YarnCLI;
import org.apache.hadoop.yarn.conf.YarnConfiguration;

/**
 * Hadoop's own {@code yarn} command-line tools ({@code ApplicationCLI}, {@code NodeCLI},
 * {@code ClusterCLI}, {@code QueueCLI}, {@code LogsCLI}), run one after the other in one JVM
 * against the cluster whose configuration folder is the first argument.
 *
 * <p>{@code LogsCLI} ({@code yarn logs}) runs with a stand-in for its web client (see
 * {@link Logs}): enough for a finished application's aggregated logs.
 *
 * <p>Each line of standard input is one command: the tool's simple class name and its arguments,
 * separated by tabs (e.g. {@code ApplicationCLI\tapplication\t-list}). For each the program
 * prints {@code BEGIN}, every line the tool printed prefixed with {@code OUT }, and
 * {@code END <exit code> <milliseconds>}. It exits when standard input closes.
 */
public final class YarnCliBatch {
  private YarnCliBatch() {}

  /** The {@code YarnCLI} tools by name; each run prints to the batch's capture stream. */
  private static final Map<String, Supplier<YarnCLI>> YARN_CLIS =
      Map.of(
          "ApplicationCLI", ApplicationCLI::new,
          "NodeCLI", NodeCLI::new,
          "ClusterCLI", ClusterCLI::new,
          "QueueCLI", QueueCLI::new);

  private static Tool tool(String name, PrintStream out) {
    if (name.equals("LogsCLI")) {
      return new Logs();
    }
    Supplier<YarnCLI> make = YARN_CLIS.get(name);
    if (make == null) {
      throw new IllegalArgumentException("unknown tool " + name);
    }
    YarnCLI cli = make.get();
    cli.setSysOutPrintStream(out);
    cli.setSysErrPrintStream(out);
    return cli;
  }

  /**
   * {@code yarn logs}: Hadoop's {@code LogsCLI}, run as its {@code run} method runs it except for
   * the web client it builds first. The shaded client jars leave out the Jersey implementation, so
   * that client cannot be built here; for a finished application with aggregated logs
   * {@code LogsCLI} only registers a retry filter on it and reads the logs through its own
   * aggregated-log readers. The stand-in accepts the filter and fails any web request loudly, so a
   * path that would need the web cannot pass unnoticed.
   */
  private static final class Logs extends org.apache.hadoop.conf.Configured implements Tool {
    @Override
    public int run(String[] args) throws Exception {
      LogsCLI cli = new LogsCLI();
      cli.setConf(getConf());
      java.lang.reflect.Field web = LogsCLI.class.getDeclaredField("webServiceClient");
      web.setAccessible(true);
      Class<?> clientType = web.getType();
      web.set(
          cli,
          java.lang.reflect.Proxy.newProxyInstance(
              clientType.getClassLoader(),
              new Class<?>[] {clientType},
              (proxy, method, margs) -> {
                switch (method.getName()) {
                  case "register":
                    return proxy;
                  case "close":
                    return null;
                  case "hashCode":
                    return System.identityHashCode(proxy);
                  case "equals":
                    return proxy == margs[0];
                  case "toString":
                    return "the harness's web client stand-in";
                  default:
                    throw new UnsupportedOperationException(
                        "LogsCLI called its web client ("
                            + method.getName()
                            + "): this path needs the Jersey classes the client jars leave out");
                }
              }));
      // A method handle, not Class.getDeclaredMethod: the latter resolves the types of every
      // method of the class, and some name JSON classes the client jars leave out too.
      java.lang.invoke.MethodHandle runCommand =
          java.lang.invoke.MethodHandles.privateLookupIn(
                  LogsCLI.class, java.lang.invoke.MethodHandles.lookup())
              .findVirtual(
                  LogsCLI.class,
                  "runCommand",
                  java.lang.invoke.MethodType.methodType(int.class, String[].class));
      java.lang.reflect.Field yarn = LogsCLI.class.getDeclaredField("yarnClient");
      yarn.setAccessible(true);
      try {
        return (int) runCommand.invoke(cli, args);
      } catch (Exception e) {
        throw e;
      } catch (Throwable t) {
        throw new Exception(t);
      } finally {
        Object client = yarn.get(cli);
        if (client != null) {
          ((org.apache.hadoop.yarn.client.api.YarnClient) client).close();
        }
      }
    }
  }

  public static void main(String[] args) throws Exception {
    Common.exitAfter(10 * 60 * 1000L);
    if (args.length != 1) {
      System.err.println("usage: YarnCliBatch <conf dir>  (commands on stdin)");
      System.exit(2);
    }
    PrintStream harness = System.out;
    BufferedReader in =
        new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
    String line;
    while ((line = in.readLine()) != null) {
      if (line.isEmpty()) {
        continue;
      }
      List<String> parts = new ArrayList<>(Arrays.asList(line.split("\t")));
      String name = parts.remove(0);
      Configuration conf = new YarnConfiguration();
      conf.addResource(new Path(args[0], "core-site.xml"));
      conf.addResource(new Path(args[0], "yarn-site.xml"));
      conf.setLong(YarnConfiguration.RESOURCEMANAGER_CONNECT_MAX_WAIT_MS, 10000);
      conf.setLong(YarnConfiguration.RESOURCEMANAGER_CONNECT_RETRY_INTERVAL_MS, 500);
      ByteArrayOutputStream buf = new ByteArrayOutputStream();
      PrintStream out = new PrintStream(buf, true, "UTF-8");
      // LogsCLI prints to System.out and System.err: catch those too.
      PrintStream oldOut = System.out;
      PrintStream oldErr = System.err;
      System.setOut(out);
      System.setErr(out);
      long t0 = System.nanoTime();
      int rc;
      try {
        rc = ToolRunner.run(conf, tool(name, out), parts.toArray(new String[0]));
      } catch (Throwable t) {
        t.printStackTrace(out);
        rc = -99;
      } finally {
        out.flush();
        System.setOut(oldOut);
        System.setErr(oldErr);
      }
      long ms = (System.nanoTime() - t0) / 1_000_000;
      synchronized (harness) {
        harness.println("BEGIN");
        for (String l : buf.toString("UTF-8").split("\n", -1)) {
          harness.println("OUT " + l);
        }
        harness.println("END " + rc + " " + ms);
        harness.flush();
      }
    }
  }
}
