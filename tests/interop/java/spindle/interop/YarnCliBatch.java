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
 * <p>{@code LogCLIHelpers} is the code {@code yarn logs} ({@code LogsCLI}) reads aggregated logs
 * with, run directly: {@code LogsCLI} itself needs a Jersey web client that the shaded
 * {@code hadoop-client-runtime} jar leaves out, so it cannot start from the client jars. It takes
 * {@code -applicationId ID [-appOwner U] [-containerId C] [-log_files F[,F…]]} and prints what
 * {@code yarn logs} prints for a finished application.
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
      return new LogsCLI();
    }
    if (name.equals("LogCLIHelpers")) {
      return new AggregatedLogs(out);
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

  /** {@code yarn logs} for a finished application, through Hadoop's {@code LogCLIHelpers}. */
  private static final class AggregatedLogs extends org.apache.hadoop.conf.Configured implements Tool {
    private final PrintStream out;

    AggregatedLogs(PrintStream out) {
      this.out = out;
    }

    @Override
    public int run(String[] args) throws Exception {
      java.util.Map<String, String> o = new java.util.HashMap<>();
      for (int i = 0; i + 1 < args.length; i += 2) {
        o.put(args[i], args[i + 1]);
      }
      org.apache.hadoop.yarn.api.records.ApplicationId app =
          org.apache.hadoop.yarn.api.records.ApplicationId.fromString(o.get("-applicationId"));
      String owner = o.get("-appOwner");
      if (owner == null) {
        // What LogsCLI does: the owner from the RM's report.
        org.apache.hadoop.yarn.client.api.YarnClient yc =
            org.apache.hadoop.yarn.client.api.YarnClient.createYarnClient();
        yc.init(getConf());
        yc.start();
        owner = yc.getApplicationReport(app).getUser();
        yc.stop();
      }
      org.apache.hadoop.yarn.logaggregation.LogCLIHelpers helpers =
          new org.apache.hadoop.yarn.logaggregation.LogCLIHelpers();
      helpers.setConf(getConf());
      org.apache.hadoop.yarn.logaggregation.ContainerLogsRequest request =
          new org.apache.hadoop.yarn.logaggregation.ContainerLogsRequest();
      request.setAppId(app);
      request.setAppOwner(owner);
      request.setAppFinished(true);
      request.setOutputLocalDir(null);
      request.setBytes(Long.MAX_VALUE);
      java.util.Set<String> types = new java.util.HashSet<>();
      if (o.containsKey("-log_files")) {
        types.addAll(Arrays.asList(o.get("-log_files").split(",")));
      }
      request.setLogTypes(types);
      System.setOut(out);
      if (o.containsKey("-containerId")) {
        request.setContainerId(o.get("-containerId"));
        return helpers.dumpAContainerLogsForLogTypeWithoutNodeId(request);
      }
      return helpers.dumpAllContainersLogs(request);
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
