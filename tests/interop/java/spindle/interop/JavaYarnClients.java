package spindle.interop;

import java.net.InetSocketAddress;
import java.security.PrivilegedExceptionAction;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.io.Text;
import org.apache.hadoop.security.UserGroupInformation;
import org.apache.hadoop.security.token.Token;
import org.apache.hadoop.yarn.api.protocolrecords.AllocateResponse;
import org.apache.hadoop.yarn.api.protocolrecords.GetNewApplicationResponse;
import org.apache.hadoop.yarn.api.protocolrecords.RegisterApplicationMasterResponse;
import org.apache.hadoop.yarn.api.records.ApplicationId;
import org.apache.hadoop.yarn.api.records.ApplicationReport;
import org.apache.hadoop.yarn.api.records.ApplicationSubmissionContext;
import org.apache.hadoop.yarn.api.records.Container;
import org.apache.hadoop.yarn.api.records.ContainerLaunchContext;
import org.apache.hadoop.yarn.api.records.ContainerState;
import org.apache.hadoop.yarn.api.records.ContainerStatus;
import org.apache.hadoop.yarn.api.records.FinalApplicationStatus;
import org.apache.hadoop.yarn.api.records.Priority;
import org.apache.hadoop.yarn.api.records.Resource;
import org.apache.hadoop.yarn.api.records.YarnApplicationState;
import org.apache.hadoop.yarn.client.api.AMRMClient;
import org.apache.hadoop.yarn.client.api.AMRMClient.ContainerRequest;
import org.apache.hadoop.yarn.client.api.NMClient;
import org.apache.hadoop.yarn.client.api.NMTokenCache;
import org.apache.hadoop.yarn.client.api.YarnClient;
import org.apache.hadoop.yarn.client.api.YarnClientApplication;
import org.apache.hadoop.yarn.conf.YarnConfiguration;
import org.apache.hadoop.yarn.exceptions.ApplicationNotFoundException;
import org.apache.hadoop.yarn.security.client.RMDelegationTokenIdentifier;
import org.apache.hadoop.yarn.util.ConverterUtils;

/**
 * Runs Hadoop's own YARN clients against a ResourceManager/NodeManager given by address, one step
 * at a time, printing {@code OK <step> [detail]} or {@code FAIL <step> <reason>} per step and
 * {@code DONE ok=N fail=M} at the end; exits 1 when any step failed.
 *
 * <p>Usage: {@code JavaYarnClients --rm <host:port> --scheduler <host:port> [--steps a,b,c]} with
 * {@code HADOOP_TOKEN_FILE_LOCATION} naming a credentials file that holds the AMRMToken. Steps:
 * {@code yarnclient} (new app, submit, report, missing-app error, kill), {@code amrm} (register,
 * ask, allocate until a container and its NMToken arrive), {@code nm} (start, status, stop the
 * container through NMClient; needs {@code amrm}), {@code amrm-finish} (see the stopped container
 * reported, unregister), {@code notoken} (an AMRMClient whose user holds no token is refused),
 * {@code badtoken} (an AMRMClient whose AMRMToken has a wrong password fails authentication; run it
 * before {@code amrm-finish}, as a finished attempt's token is refused before its password is
 * checked), {@code dt} (a Kerberos-authenticated YarnClient gets an RM delegation token, decodes
 * its identifier, uses it as another user, renews and cancels it through Hadoop's token API).
 */
public final class JavaYarnClients {
  private int ok;
  private int failed;
  private final Configuration conf;
  private AMRMClient<ContainerRequest> amrm;
  private Container container;

  private JavaYarnClients(Configuration conf) {
    this.conf = conf;
  }

  interface Step {
    String run() throws Exception;
  }

  private boolean step(String name, Step body) {
    try {
      String detail = body.run();
      ok++;
      Common.say("OK " + name + (detail == null || detail.isEmpty() ? "" : " " + detail));
      return true;
    } catch (Throwable e) {
      failed++;
      // the first line only: remote errors carry the server's stack trace in their message
      String msg = String.valueOf(e).split("\n")[0].split("\tat ")[0].trim();
      Common.say("FAIL " + name + " " + msg);
      e.printStackTrace();
      return false;
    }
  }

  private static void check(boolean cond, String what) {
    if (!cond) {
      throw new IllegalStateException(what);
    }
  }

  public static void main(String[] args) throws Exception {
    Common.exitAfter(5 * 60 * 1000L);
    Map<String, String> options =
        Common.options(
            args,
            0,
            "JavaYarnClients --rm <host:port> --scheduler <host:port> [--steps a,b,c]",
            "--rm",
            "--scheduler",
            "--steps");
    String rmAddr = options.get("--rm");
    String schedAddr = options.get("--scheduler");
    String defaultSteps = "yarnclient,amrm,nm,amrm-finish,notoken";
    List<String> steps = Arrays.asList(options.getOrDefault("--steps", defaultSteps).split(","));
    Configuration conf = Common.conf();
    if (rmAddr != null) {
      conf.set(YarnConfiguration.RM_ADDRESS, rmAddr);
    }
    if (schedAddr != null) {
      conf.set(YarnConfiguration.RM_SCHEDULER_ADDRESS, schedAddr);
    }
    // Fail within seconds, never retry for the default 15 minutes.
    conf.setLong(YarnConfiguration.RESOURCEMANAGER_CONNECT_MAX_WAIT_MS, 5000);
    conf.setLong(YarnConfiguration.RESOURCEMANAGER_CONNECT_RETRY_INTERVAL_MS, 500);
    conf.setLong(YarnConfiguration.CLIENT_NM_CONNECT_MAX_WAIT_MS, 5000);
    conf.setLong(YarnConfiguration.CLIENT_NM_CONNECT_RETRY_INTERVAL_MS, 500);
    conf.setInt("ipc.client.connect.max.retries", 1);
    conf.setInt("ipc.client.connect.timeout", 5000);
    conf.setInt("ipc.client.rpc-timeout.ms", 20000);
    JavaYarnClients c = new JavaYarnClients(conf);
    for (String s : steps) {
      switch (s) {
        case "yarnclient":
          c.yarnClient();
          break;
        case "amrm":
          c.amrm();
          break;
        case "nm":
          c.nm();
          break;
        case "amrm-finish":
          c.amrmFinish();
          break;
        case "notoken":
          c.noToken();
          break;
        case "dt":
          c.delegationToken();
          break;
        case "badtoken":
          c.badToken();
          break;
        default:
          c.step(s, () -> {
            throw new IllegalArgumentException("unknown step");
          });
      }
    }
    Common.say("DONE ok=" + c.ok + " fail=" + c.failed);
    System.exit(c.failed == 0 ? 0 : 1);
  }

  private void yarnClient() {
    YarnClient yc = YarnClient.createYarnClient();
    yc.init(conf);
    yc.start();
    ApplicationId[] id = new ApplicationId[1];
    boolean created =
        step(
            "yarnclient.new",
            () -> {
              YarnClientApplication app = yc.createApplication();
              GetNewApplicationResponse r = app.getNewApplicationResponse();
              id[0] = r.getApplicationId();
              check(r.getMaximumResourceCapability().getMemorySize() >= 1024, "max capability too small");
              ApplicationSubmissionContext ctx =
                  Common.submission(
                      app, "interop-java-client", "SPINDLE", Resource.newInstance(512, 1), "sleep 1");
              appCtx = ctx;
              return id[0].toString();
            });
    if (created) {
      step(
          "yarnclient.submit",
          () -> {
            ApplicationId got = yc.submitApplication(appCtx);
            check(got.equals(id[0]), "submit returned " + got + ", expected " + id[0]);
            return got.toString();
          });
      step(
          "yarnclient.report",
          () -> {
            ApplicationReport r = yc.getApplicationReport(id[0]);
            check(r.getApplicationId().equals(id[0]), "report for " + r.getApplicationId());
            check(
                r.getYarnApplicationState() == YarnApplicationState.ACCEPTED
                    || r.getYarnApplicationState() == YarnApplicationState.RUNNING,
                "state " + r.getYarnApplicationState());
            check("interop-java-client".equals(r.getName()), "name " + r.getName());
            return r.getYarnApplicationState().toString();
          });
      step(
          "yarnclient.kill",
          () -> {
            yc.killApplication(id[0]);
            ApplicationReport r = yc.getApplicationReport(id[0]);
            check(r.getYarnApplicationState() == YarnApplicationState.KILLED, "state " + r.getYarnApplicationState());
            check(r.getFinalApplicationStatus() == FinalApplicationStatus.KILLED, "final " + r.getFinalApplicationStatus());
            return r.getYarnApplicationState().toString();
          });
    }
    step(
        "yarnclient.missing",
        () -> {
          ApplicationId missing = ApplicationId.newInstance(Common.CLUSTER_TIMESTAMP, 9999);
          try {
            ApplicationReport r = yc.getApplicationReport(missing);
            throw new IllegalStateException("got a report for a missing app: " + r);
          } catch (ApplicationNotFoundException e) {
            return "ApplicationNotFoundException";
          }
        });
    yc.stop();
  }

  private ApplicationSubmissionContext appCtx;

  private void delegationToken() throws Exception {
    YarnClient yc = YarnClient.createYarnClient();
    yc.init(conf);
    yc.start();
    InetSocketAddress rm =
        conf.getSocketAddr(
            YarnConfiguration.RM_ADDRESS,
            YarnConfiguration.DEFAULT_RM_ADDRESS,
            YarnConfiguration.DEFAULT_RM_PORT);
    @SuppressWarnings("unchecked")
    Token<RMDelegationTokenIdentifier>[] dt = new Token[1];
    String me = UserGroupInformation.getCurrentUser().getShortUserName();
    boolean got =
        step(
            "dt.get",
            () -> {
              org.apache.hadoop.yarn.api.records.Token t = yc.getRMDelegationToken(new Text(me));
              check("RM_DELEGATION_TOKEN".equals(t.getKind()), "kind " + t.getKind());
              dt[0] = ConverterUtils.convertFromYarn(t, rm);
              RMDelegationTokenIdentifier id = dt[0].decodeIdentifier();
              check(id.getRenewer().toString().equals(me), "renewer " + id.getRenewer());
              check(id.getMaxDate() > id.getIssueDate(), "max date " + id.getMaxDate());
              return "owner=" + id.getOwner() + " renewer=" + id.getRenewer();
            });
    if (got) {
      step(
          "dt.use",
          () -> {
            UserGroupInformation holder = UserGroupInformation.createRemoteUser("token-holder");
            holder.addToken(dt[0]);
            int apps =
                holder.doAs(
                    (PrivilegedExceptionAction<Integer>)
                        () -> {
                          YarnClient c = YarnClient.createYarnClient();
                          c.init(conf);
                          c.start();
                          try {
                            return c.getApplications().size();
                          } finally {
                            c.stop();
                          }
                        });
            return "applications=" + apps;
          });
      step(
          "dt.renew",
          () -> {
            long expiry = dt[0].renew(conf);
            check(expiry > System.currentTimeMillis() + 3_600_000L, "expiry " + expiry);
            return "expires_in_h=" + (expiry - System.currentTimeMillis()) / 3_600_000L;
          });
      step(
          "dt.cancel",
          () -> {
            dt[0].cancel(conf);
            return "cancelled";
          });
    }
    yc.stop();
  }

  private void amrm() {
    amrm = AMRMClient.createAMRMClient();
    amrm.init(conf);
    amrm.start();
    boolean registered =
        step(
            "amrm.register",
            () -> {
              RegisterApplicationMasterResponse r =
                  amrm.registerApplicationMaster("127.0.0.1", 4242, "http://127.0.0.1:4243");
              check(r.getMaximumResourceCapability().getMemorySize() >= 256, "max capability");
              return "max=" + r.getMaximumResourceCapability();
            });
    if (!registered) {
      return;
    }
    step(
        "amrm.allocate",
        () -> {
          amrm.addContainerRequest(
              new ContainerRequest(Resource.newInstance(256, 1), null, null, Priority.newInstance(1)));
          long deadline = System.currentTimeMillis() + 20_000;
          List<Container> got = new ArrayList<>();
          while (got.isEmpty()) {
            check(System.currentTimeMillis() < deadline, "no container within 20 s");
            AllocateResponse r = amrm.allocate(0.1f);
            got.addAll(r.getAllocatedContainers());
            if (got.isEmpty()) {
              Thread.sleep(100);
            }
          }
          container = got.get(0);
          amrm.removeContainerRequest(
              new ContainerRequest(Resource.newInstance(256, 1), null, null, Priority.newInstance(1)));
          for (Container extra : got.subList(1, got.size())) {
            amrm.releaseAssignedContainer(extra.getId());
          }
          String node = container.getNodeId().toString();
          check(
              NMTokenCache.getSingleton().containsToken(node),
              "no NMToken for " + node + " came with the container");
          check(container.getContainerToken() != null, "container without a container token");
          return container.getId() + " on " + node;
        });
  }

  private void nm() {
    if (container == null) {
      step("nm", () -> {
        throw new IllegalStateException("no container allocated (amrm step failed or skipped)");
      });
      return;
    }
    NMClient nm = NMClient.createNMClient();
    nm.init(conf);
    nm.start();
    boolean started =
        step(
            "nm.start",
            () -> {
              ContainerLaunchContext clc =
                  Common.launchContext(Collections.singletonMap("SPINDLE_INTEROP", "1"), "sleep 30");
              nm.startContainer(container, clc);
              return container.getId().toString();
            });
    if (started) {
      step(
          "nm.status",
          () -> {
            ContainerStatus s = nm.getContainerStatus(container.getId(), container.getNodeId());
            check(s.getState() == ContainerState.RUNNING, "state " + s.getState());
            return s.getState().toString();
          });
      step(
          "nm.stop",
          () -> {
            nm.stopContainer(container.getId(), container.getNodeId());
            ContainerStatus s = nm.getContainerStatus(container.getId(), container.getNodeId());
            check(s.getState() == ContainerState.COMPLETE, "state after stop " + s.getState());
            return "exit=" + s.getExitStatus();
          });
    }
    nm.stop();
  }

  private void amrmFinish() {
    if (amrm == null) {
      step("amrm-finish", () -> {
        throw new IllegalStateException("no AMRMClient (amrm step skipped)");
      });
      return;
    }
    if (container != null) {
      step(
          "amrm.completed",
          () -> {
            long deadline = System.currentTimeMillis() + 10_000;
            while (true) {
              check(System.currentTimeMillis() < deadline, "stopped container not reported within 10 s");
              AllocateResponse r = amrm.allocate(0.5f);
              for (ContainerStatus s : r.getCompletedContainersStatuses()) {
                if (s.getContainerId().equals(container.getId())) {
                  return "exit=" + s.getExitStatus();
                }
              }
              Thread.sleep(100);
            }
          });
    }
    step(
        "amrm.finish",
        () -> {
          amrm.unregisterApplicationMaster(FinalApplicationStatus.SUCCEEDED, "interop done", "");
          return "";
        });
    amrm.stop();
  }

  /**
   * An AMRMClient run as {@code ugi} registers, which must be refused: "refused: " and the
   * exception (and its root cause when that is another one), first lines only.
   */
  private String refusedRegistration(UserGroupInformation ugi, String ifAccepted)
      throws Exception {
    return ugi.doAs(
        (PrivilegedExceptionAction<String>)
            () -> {
              AMRMClient<ContainerRequest> c = AMRMClient.createAMRMClient();
              c.init(conf);
              c.start();
              try {
                c.registerApplicationMaster("127.0.0.1", 1, "");
                throw new IllegalStateException(ifAccepted);
              } catch (IllegalStateException e) {
                throw e;
              } catch (Exception e) {
                Throwable root = e;
                while (root.getCause() != null && root.getCause() != root) {
                  root = root.getCause();
                }
                String why = firstLine(e);
                return "refused: " + (root == e ? why : why + " (cause: " + firstLine(root) + ")");
              } finally {
                c.stop();
              }
            });
  }

  private static String firstLine(Throwable e) {
    return e.getClass().getSimpleName() + ": " + String.valueOf(e.getMessage()).split("\n")[0];
  }

  private void noToken() {
    step(
        "notoken.refused",
        () -> {
          UserGroupInformation intruder = UserGroupInformation.createRemoteUser("intruder");
          check(intruder.getTokens().isEmpty(), "intruder holds tokens");
          return refusedRegistration(intruder, "a client without a token was accepted");
        });
  }

  private void badToken() {
    step(
        "badtoken.refused",
        () -> {
          org.apache.hadoop.security.token.Token<?> good = null;
          for (org.apache.hadoop.security.token.Token<?> t :
              UserGroupInformation.getCurrentUser().getTokens()) {
            if (t.getKind().equals(org.apache.hadoop.yarn.security.AMRMTokenIdentifier.KIND_NAME)) {
              good = t;
            }
          }
          check(good != null, "no AMRMToken in HADOOP_TOKEN_FILE_LOCATION");
          byte[] pass = good.getPassword().clone();
          pass[0] ^= 0x5a;
          UserGroupInformation ugi =
              UserGroupInformation.createRemoteUser("appattempt_with_a_bad_token");
          ugi.addToken(
              new org.apache.hadoop.security.token.Token<>(
                  good.getIdentifier(), pass, good.getKind(), good.getService()));
          return refusedRegistration(ugi, "a token with a wrong password was accepted");
        });
  }
}
