package spindle.interop;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.yarn.api.protocolrecords.AllocateResponse;
import org.apache.hadoop.yarn.api.protocolrecords.RegisterApplicationMasterResponse;
import org.apache.hadoop.yarn.api.records.ApplicationId;
import org.apache.hadoop.yarn.api.records.ApplicationReport;
import org.apache.hadoop.yarn.api.records.ContainerStatus;
import org.apache.hadoop.yarn.api.records.FinalApplicationStatus;
import org.apache.hadoop.yarn.api.records.NodeReport;
import org.apache.hadoop.yarn.api.records.NodeState;
import org.apache.hadoop.yarn.api.records.Resource;
import org.apache.hadoop.yarn.api.records.YarnApplicationState;
import org.apache.hadoop.yarn.api.records.YarnClusterMetrics;
import org.apache.hadoop.yarn.client.api.AMRMClient;
import org.apache.hadoop.yarn.client.api.AMRMClient.ContainerRequest;
import org.apache.hadoop.yarn.client.api.NMClient;
import org.apache.hadoop.yarn.client.api.YarnClient;
import org.apache.hadoop.yarn.conf.YarnConfiguration;

/**
 * A whole YARN application written only against Hadoop's own client library, run on the
 * Spindle mini cluster.
 *
 * <p>{@code MiniClusterApp client --conf-dir D --classpath CP --containers N}: YarnClient reads
 * {@code D/yarn-site.xml}, checks the cluster, submits an application whose AM is this program in
 * {@code am} mode, polls its report until it ends, and prints {@code FACT} lines (states seen,
 * final state and status, timings). {@code MiniClusterApp am --conf-dir D --containers N} (run by
 * the NodeManager): AMRMClient registers, asks for N containers, NMClient starts each, the AM
 * waits for N successful completions and unregisters SUCCEEDED. Exits 0 only if everything held.
 */
public final class MiniClusterApp {
  private MiniClusterApp() {}

  private static void check(boolean cond, String what) {
    if (!cond) {
      throw new IllegalStateException(what);
    }
  }

  private static Configuration conf(String confDir) throws java.io.IOException {
    Configuration conf = Common.clusterConf(confDir);
    conf.setInt("ipc.client.connect.max.retries", 2);
    conf.setLong(YarnConfiguration.YARN_CLIENT_APP_SUBMISSION_POLL_INTERVAL_MS, 50);
    return conf;
  }

  public static void main(String[] args) throws Exception {
    Common.exitAfter(4 * 60 * 1000L);
    String mode = args.length > 0 ? args[0] : "";
    String usage = "MiniClusterApp client|am --conf-dir D [--classpath CP] [--containers N]";
    Map<String, String> options =
        Common.options(args, 1, usage, "--conf-dir", "--classpath", "--containers");
    String confDir = options.get("--conf-dir");
    String classpath = options.get("--classpath");
    int containers = Integer.parseInt(options.getOrDefault("--containers", "8"));
    check(confDir != null, "--conf-dir is required");
    if (mode.equals("client")) {
      check(classpath != null, "--classpath is required in client mode");
      client(conf(confDir), confDir, classpath, containers);
    } else if (mode.equals("am")) {
      am(conf(confDir), containers);
    } else {
      System.err.println("usage: " + usage);
      System.exit(2);
    }
    System.exit(0);
  }

  private static void client(Configuration conf, String confDir, String classpath, int n)
      throws Exception {
    long t0 = System.nanoTime();
    YarnClient yc = YarnClient.createYarnClient();
    yc.init(conf);
    yc.start();
    YarnClusterMetrics m = yc.getYarnClusterMetrics();
    Common.say("FACT nodemanagers=" + m.getNumNodeManagers());
    List<NodeReport> nodes = yc.getNodeReports(NodeState.RUNNING);
    Common.say("FACT running_nodes=" + nodes.size());
    Common.say("FACT queue=" + yc.getQueueInfo("default").getQueueName());

    long tSubmit = System.nanoTime();
    String command =
        Common.amCommand("192m", classpath,
            "spindle.interop.MiniClusterApp am --conf-dir " + confDir + " --containers " + n);
    ApplicationId id =
        Common.submitOnce(yc, "mini-java-app", "SPINDLE-INTEROP", Resource.newInstance(768, 1), command);
    long[] tRunning = {0};
    ApplicationReport r = Common.watch(yc, id, 180_000, 20, running -> {
      tRunning[0] = System.nanoTime();
      Common.say("FACT am_host=" + running.getHost() + ":" + running.getRpcPort());
    });
    long tEnd = System.nanoTime();
    YarnApplicationState s = r.getYarnApplicationState();
    check(s == YarnApplicationState.FINISHED || s == YarnApplicationState.FAILED
        || s == YarnApplicationState.KILLED, "application did not end within 180 s, state " + s);
    Common.say("FACT progress=" + r.getProgress());
    Common.say("FACT submit_to_finished_ms=" + (tEnd - tSubmit) / 1_000_000);
    if (tRunning[0] != 0) {
      Common.say("FACT submit_to_running_ms=" + (tRunning[0] - tSubmit) / 1_000_000);
    }
    Common.say("FACT client_total_ms=" + (tEnd - t0) / 1_000_000);
    int listed = yc.getApplications(Collections.singleton("SPINDLE-INTEROP")).size();
    Common.say("FACT listed=" + listed);
    yc.stop();
    check(r.getYarnApplicationState() == YarnApplicationState.FINISHED, "state " + r.getYarnApplicationState());
    check(r.getFinalApplicationStatus() == FinalApplicationStatus.SUCCEEDED, "final " + r.getFinalApplicationStatus());
    Common.say("DONE");
  }

  private static void am(Configuration conf, int n) throws Exception {
    long t0 = System.nanoTime();
    AMRMClient<ContainerRequest> amrm = Common.startAmrmClient(conf);
    RegisterApplicationMasterResponse reg = amrm.registerApplicationMaster("127.0.0.1", 0, "");
    System.out.println("registered; max=" + reg.getMaximumResourceCapability());
    NMClient nm = Common.startNmClient(conf);
    Common.askContainers(amrm, n);
    int started = 0;
    int ok = 0;
    List<String> failures = new ArrayList<>();
    long deadline = System.currentTimeMillis() + 120_000;
    while (ok + failures.size() < n) {
      check(System.currentTimeMillis() < deadline, "containers did not finish within 120 s");
      AllocateResponse r = amrm.allocate(ok / (float) n);
      started = Common.startGranted(amrm, nm, r, started, n, task ->
          Common.launchContext(
              Collections.singletonMap("SPINDLE_TASK", Integer.toString(task)),
              "echo task $SPINDLE_TASK on $NM_HOST:$NM_PORT 1><LOG_DIR>/stdout"));
      for (ContainerStatus s : r.getCompletedContainersStatuses()) {
        if (s.getExitStatus() == 0) {
          ok++;
        } else {
          failures.add(Common.failure(s));
        }
      }
      if (ok + failures.size() < n) {
        Thread.sleep(50);
      }
    }
    long ms = (System.nanoTime() - t0) / 1_000_000;
    System.out.println("containers ok=" + ok + " failed=" + failures + " in " + ms + " ms");
    FinalApplicationStatus status =
        failures.isEmpty() ? FinalApplicationStatus.SUCCEEDED : FinalApplicationStatus.FAILED;
    amrm.unregisterApplicationMaster(
        status, "mini-java-app: " + ok + "/" + n + " containers succeeded " + failures, "");
    nm.stop();
    amrm.stop();
  }
}
