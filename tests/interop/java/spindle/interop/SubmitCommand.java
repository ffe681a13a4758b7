package spindle.interop;

import java.util.Map;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.Path;
import org.apache.hadoop.yarn.api.records.ApplicationId;
import org.apache.hadoop.yarn.api.records.Resource;
import org.apache.hadoop.yarn.client.api.YarnClient;
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
    ApplicationId id =
        Common.submitOnce(yc, "spindle-am-by-yarnclient", "SPINDLE", Resource.newInstance(256, 1), command);
    Common.watch(yc, id, 180_000, 50, running -> Common.say("FACT running=" + running.getTrackingUrl()));
    Common.say("FACT submit_to_final_ms=" + (System.nanoTime() - t0) / 1_000_000);
    yc.stop();
    System.exit(0);
  }
}
