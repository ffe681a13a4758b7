package spindle.interop;

import com.sun.net.httpserver.HttpServer;
import java.io.File;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.yarn.api.protocolrecords.AllocateResponse;
import org.apache.hadoop.yarn.api.records.ContainerStatus;
import org.apache.hadoop.yarn.api.records.FinalApplicationStatus;
import org.apache.hadoop.yarn.api.records.Resource;
import org.apache.hadoop.yarn.client.api.AMRMClient;
import org.apache.hadoop.yarn.client.api.AMRMClient.ContainerRequest;
import org.apache.hadoop.yarn.client.api.NMClient;
import org.apache.hadoop.yarn.client.api.YarnClient;

/**
 * A small long-running application written only against Hadoop's client library, for tests that
 * look at a running application with users' own tools.
 *
 * <p>{@code ShellApp submit --conf-dir D --classpath CP --command-file F --stop-file S
 * [--containers N]}: YarnClient submits an application whose AM is this program in {@code am}
 * mode, prints {@code FACT app_id=…} and exits.
 *
 * <p>{@code ShellApp am --conf-dir D --command-file F --stop-file S --containers N} (run by the
 * NodeManager): serves its own web page ({@code /}, {@code /json}) and registers with it as
 * tracking URL; asks for N containers and starts each running the shell line in F, with the
 * environment {@code MY_DERIVED={{MY_BASE}}/sub} listed before {@code MY_BASE=/base} (a derived
 * variable that must still expand right); waits until they completed and then until S exists;
 * unregisters SUCCEEDED.
 */
public final class ShellApp {
  private ShellApp() {}

  public static void main(String[] args) throws Exception {
    Common.exitAfter(10 * 60 * 1000L);
    String mode = args.length > 0 ? args[0] : "";
    String usage =
        "ShellApp submit|am --conf-dir D --command-file F --stop-file S [--classpath CP] [--containers N]";
    Map<String, String> o =
        Common.options(
            args, 1, usage, "--conf-dir", "--classpath", "--command-file", "--stop-file", "--containers");
    String confDir = o.get("--conf-dir");
    int n = Integer.parseInt(o.getOrDefault("--containers", "2"));
    if (confDir == null || o.get("--command-file") == null || o.get("--stop-file") == null) {
      System.err.println("usage: " + usage);
      System.exit(2);
    }
    if (mode.equals("submit")) {
      submit(Common.clusterConf(confDir), confDir, o.get("--classpath"), o.get("--command-file"), o.get("--stop-file"), n);
    } else if (mode.equals("am")) {
      am(Common.clusterConf(confDir), o.get("--command-file"), o.get("--stop-file"), n);
    } else {
      System.err.println("usage: " + usage);
      System.exit(2);
    }
    System.exit(0);
  }

  private static void submit(
      Configuration conf, String confDir, String classpath, String commandFile, String stopFile, int n)
      throws Exception {
    YarnClient yc = YarnClient.createYarnClient();
    yc.init(conf);
    yc.start();
    String command =
        Common.amCommand("160m", classpath,
            "spindle.interop.ShellApp am --conf-dir " + confDir + " --command-file " + commandFile
                + " --stop-file " + stopFile + " --containers " + n);
    Common.submitOnce(yc, "shell-app", "SPINDLE-INTEROP", Resource.newInstance(512, 1), command);
    yc.stop();
  }

  private static void am(Configuration conf, String commandFile, String stopFile, int n)
      throws Exception {
    String command = new String(Files.readAllBytes(Paths.get(commandFile)), StandardCharsets.UTF_8).trim();
    HttpServer page = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    page.createContext(
        "/",
        exchange -> {
          String path = exchange.getRequestURI().getPath();
          byte[] body;
          String type;
          if (path.equals("/json")) {
            body = "{\"shellApp\":\"running\"}".getBytes(StandardCharsets.UTF_8);
            type = "application/json";
          } else {
            body =
                ("<html><head><title>ShellApp AM</title></head><body><h1 id=\"am\">ShellApp AM page</h1><p>path "
                        + path
                        + "</p></body></html>")
                    .getBytes(StandardCharsets.UTF_8);
            type = "text/html; charset=utf-8";
          }
          exchange.getResponseHeaders().set("Content-Type", type);
          exchange.sendResponseHeaders(200, body.length);
          try (OutputStream out = exchange.getResponseBody()) {
            out.write(body);
          }
        });
    page.start();
    String tracking = "http://127.0.0.1:" + page.getAddress().getPort() + "/";
    AMRMClient<ContainerRequest> amrm = Common.startAmrmClient(conf);
    amrm.registerApplicationMaster("127.0.0.1", 0, tracking);
    System.out.println("registered with tracking URL " + tracking);
    NMClient nm = Common.startNmClient(conf);
    Common.askContainers(amrm, n);
    int started = 0;
    int done = 0;
    List<String> failures = new ArrayList<>();
    File stop = new File(stopFile);
    long deadline = System.currentTimeMillis() + 8 * 60 * 1000L;
    while (done < n || !stop.exists()) {
      if (System.currentTimeMillis() > deadline) {
        throw new IllegalStateException("the stop file never came");
      }
      AllocateResponse r = amrm.allocate(done / (float) n);
      started = Common.startGranted(amrm, nm, r, started, n, task -> {
        // The derived variable first: the NodeManager must order them by their dependencies.
        Map<String, String> env = new LinkedHashMap<>();
        env.put("MY_DERIVED", "{{MY_BASE}}/sub");
        env.put("MY_BASE", "/base");
        return Common.launchContext(
            env, "{ " + command + "; } 1><LOG_DIR>/stdout 2><LOG_DIR>/stderr");
      });
      for (ContainerStatus s : r.getCompletedContainersStatuses()) {
        done++;
        if (s.getExitStatus() != 0) {
          failures.add(Common.failure(s));
        }
      }
      Thread.sleep(100);
    }
    System.out.println("containers done=" + done + " failures=" + failures);
    amrm.unregisterApplicationMaster(
        failures.isEmpty() ? FinalApplicationStatus.SUCCEEDED : FinalApplicationStatus.FAILED,
        "shell-app: " + done + " containers, failures " + failures,
        "");
    nm.stop();
    amrm.stop();
    page.stop(0);
  }
}
