package spindle.interop;

import java.util.ArrayList;
import java.util.EnumSet;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.Path;
import org.apache.hadoop.yarn.api.records.ApplicationId;
import org.apache.hadoop.yarn.api.records.ApplicationReport;
import org.apache.hadoop.yarn.api.records.ApplicationSubmissionContext;
import org.apache.hadoop.yarn.api.records.Resource;
import org.apache.hadoop.yarn.api.records.YarnApplicationState;
import org.apache.hadoop.yarn.client.api.YarnClient;
import org.apache.hadoop.yarn.client.api.YarnClientApplication;
import org.apache.hadoop.yarn.conf.YarnConfiguration;

/**
 * Hadoop's YarnClient submits an application whose AM is any command (here: Spindle's
 * {@code spindle am}) and follows it to its end.
 *
 * <p>{@code SubmitCommand --conf-dir D --command CMD [--wait-running]}: prints {@code FACT app_id},
 * then either (with {@code --wait-running}) {@code FACT running} once the application is RUNNING
 * and keeps following it, and finally {@code FACT states}, {@code FACT final_state},
 * {@code FACT final_status}, {@code FACT diagnostics} and {@code FACT submit_to_final_ms}.
 */
public final class SubmitCommand {
  private SubmitCommand() {}

  public static void main(String[] args) throws Exception {
    Common.exitAfter(4 * 60 * 1000L);
    String usage = "SubmitCommand --conf-dir D --command CMD [--wait-running yes]";
    Map<String, String> options = Common.options(args, 0, usage, "--conf-dir", "--command", "--wait-running");
    String confDir = options.get("--conf-dir");
    String command = options.get("--command");
    if (confDir == null || command == null) {
      System.err.println("usage: " + usage);
      System.exit(2);
    }
    Configuration conf = new YarnConfiguration();
    conf.addResource(new Path(confDir, "core-site.xml"));
    conf.addResource(new Path(confDir, "yarn-site.xml"));
    conf.setLong(YarnConfiguration.RESOURCEMANAGER_CONNECT_MAX_WAIT_MS, 10000);
    conf.setLong(YarnConfiguration.RESOURCEMANAGER_CONNECT_RETRY_INTERVAL_MS, 500);
    YarnClient yc = YarnClient.createYarnClient();
    yc.init(conf);
    yc.start();
    long t0 = System.nanoTime();
    YarnClientApplication app = yc.createApplication();
    ApplicationId id = app.getNewApplicationResponse().getApplicationId();
    ApplicationSubmissionContext ctx =
        Common.submission(app, "spindle-am-by-yarnclient", "SPINDLE", Resource.newInstance(256, 1),
            command + " 1><LOG_DIR>/stdout 2><LOG_DIR>/stderr");
    ctx.setMaxAppAttempts(1);
    yc.submitApplication(ctx);
    Common.say("FACT app_id=" + id);
    Set<YarnApplicationState> seen = new HashSet<>();
    List<String> order = new ArrayList<>();
    EnumSet<YarnApplicationState> terminal =
        EnumSet.of(YarnApplicationState.FINISHED, YarnApplicationState.FAILED, YarnApplicationState.KILLED);
    long deadline = System.currentTimeMillis() + 180_000;
    ApplicationReport r;
    while (true) {
      r = yc.getApplicationReport(id);
      YarnApplicationState s = r.getYarnApplicationState();
      if (seen.add(s)) {
        order.add(s.toString());
        if (s == YarnApplicationState.RUNNING) {
          Common.say("FACT running=" + r.getTrackingUrl());
        }
      }
      if (terminal.contains(s) || System.currentTimeMillis() > deadline) {
        break;
      }
      Thread.sleep(50);
    }
    Common.say("FACT states=" + String.join(",", order));
    Common.say("FACT final_state=" + r.getYarnApplicationState());
    Common.say("FACT final_status=" + r.getFinalApplicationStatus());
    Common.say("FACT diagnostics=" + r.getDiagnostics().replace('\n', ' '));
    Common.say("FACT submit_to_final_ms=" + (System.nanoTime() - t0) / 1_000_000);
    yc.stop();
    System.exit(0);
  }
}
