package spindle.interop;

import java.io.File;
import java.net.InetSocketAddress;
import java.security.PrivilegedExceptionAction;
import java.util.Arrays;
import java.util.Collections;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.io.Text;
import org.apache.hadoop.security.Credentials;
import org.apache.hadoop.security.UserGroupInformation;
import org.apache.hadoop.security.token.Token;
import org.apache.hadoop.yarn.api.ApplicationClientProtocol;
import org.apache.hadoop.yarn.api.ApplicationMasterProtocol;
import org.apache.hadoop.yarn.api.protocolrecords.AllocateRequest;
import org.apache.hadoop.yarn.api.protocolrecords.AllocateResponse;
import org.apache.hadoop.yarn.api.protocolrecords.GetApplicationReportRequest;
import org.apache.hadoop.yarn.api.protocolrecords.GetNewApplicationRequest;
import org.apache.hadoop.yarn.api.protocolrecords.RegisterApplicationMasterRequest;
import org.apache.hadoop.yarn.api.protocolrecords.SubmitApplicationRequest;
import org.apache.hadoop.yarn.api.records.ApplicationId;
import org.apache.hadoop.yarn.api.records.ApplicationSubmissionContext;
import org.apache.hadoop.yarn.api.records.ContainerId;
import org.apache.hadoop.yarn.api.records.Resource;
import org.apache.hadoop.yarn.api.records.ResourceRequest;
import org.apache.hadoop.yarn.ipc.YarnRPC;
import org.apache.hadoop.yarn.security.AMRMTokenIdentifier;
import org.apache.hadoop.yarn.util.Records;

/**
 * Sequential small-call throughput of Hadoop's Java IPC client against a YARN server, for comparing
 * clients and servers on the same machine.
 *
 * <p>Usage: {@code JavaBench allocate <host:port> <token-file> [--warmup-s W] [--seconds S | --calls N]} (token
 * auth: register once with the file's AMRMToken, then {@code allocate} with an empty ask, one at a
 * time) or {@code JavaBench report <host:port> [...]} (SIMPLE: create and submit one unmanaged-AM application,
 * then {@code getApplicationReport} one at a time). Prints
 * {@code RESULT mode=.. calls=.. seconds=.. calls_per_s=.. p50_us=.. p99_us=..}.
 */
public final class JavaBench {
  interface Call {
    void run() throws Exception;
  }

  public static void main(String[] args) throws Exception {
    Common.exitAfter(10 * 60 * 1000L);
    if (args.length < 2) {
      System.err.println(
          "usage: JavaBench allocate|report <host:port> [token-file] [--warmup-s W] [--seconds S | --calls N]");
      System.exit(2);
    }
    String mode = args[0];
    String[] hp = args[1].split(":");
    InetSocketAddress addr = new InetSocketAddress(hp[0], Integer.parseInt(hp[1]));
    double warmup = 2;
    double seconds = 5;
    String tokenFile = null;
    long maxCalls = Long.MAX_VALUE;
    for (int i = 2; i < args.length; i++) {
      switch (args[i]) {
        case "--calls":
          maxCalls = Long.parseLong(args[++i]);
          seconds = 24 * 3600;
          break;
        case "--warmup-s":
          warmup = Double.parseDouble(args[++i]);
          break;
        case "--seconds":
          seconds = Double.parseDouble(args[++i]);
          break;
        default:
          tokenFile = args[i];
      }
    }
    Configuration conf = Common.conf();
    conf.setInt("ipc.client.connect.max.retries", 1);
    conf.setInt("ipc.client.rpc-timeout.ms", 20000);
    YarnRPC rpc = YarnRPC.create(conf);
    Call call;
    if (mode.equals("allocate")) {
      if (tokenFile == null) {
        System.err.println("allocate needs a token file holding the AMRMToken");
        System.exit(2);
      }
      Credentials creds = Credentials.readTokenStorageFile(new File(tokenFile), conf);
      Token<?> amrm = null;
      for (Token<?> t : creds.getAllTokens()) {
        if (t.getKind().equals(AMRMTokenIdentifier.KIND_NAME)) {
          amrm = t;
        }
      }
      if (amrm == null) {
        throw new IllegalArgumentException("no YARN_AM_RM_TOKEN in " + tokenFile);
      }
      amrm.setService(new Text(hp[0] + ":" + hp[1]));
      UserGroupInformation ugi = UserGroupInformation.createRemoteUser("bench");
      ugi.addToken(amrm);
      ApplicationMasterProtocol am =
          ugi.doAs(
              (PrivilegedExceptionAction<ApplicationMasterProtocol>)
                  () -> (ApplicationMasterProtocol) rpc.getProxy(ApplicationMasterProtocol.class, addr, conf));
      RegisterApplicationMasterRequest reg = Records.newRecord(RegisterApplicationMasterRequest.class);
      reg.setHost("127.0.0.1");
      reg.setRpcPort(0);
      reg.setTrackingUrl("");
      am.registerApplicationMaster(reg);
      int[] rid = {0};
      call =
          () -> {
            AllocateResponse r =
                am.allocate(
                    AllocateRequest.newInstance(
                        rid[0],
                        0.5f,
                        Collections.<ResourceRequest>emptyList(),
                        Collections.<ContainerId>emptyList(),
                        null));
            rid[0] = r.getResponseId();
          };
    } else if (mode.equals("report")) {
      ApplicationClientProtocol client =
          (ApplicationClientProtocol) rpc.getProxy(ApplicationClientProtocol.class, addr, conf);
      ApplicationId id =
          client.getNewApplication(Records.newRecord(GetNewApplicationRequest.class)).getApplicationId();
      ApplicationSubmissionContext ctx = Records.newRecord(ApplicationSubmissionContext.class);
      ctx.setApplicationId(id);
      ctx.setApplicationName("bench");
      ctx.setResource(Resource.newInstance(512, 1));
      // No AM container to launch: the report loop needs only the application.
      ctx.setUnmanagedAM(true);
      client.submitApplication(SubmitApplicationRequest.newInstance(ctx));
      GetApplicationReportRequest req = GetApplicationReportRequest.newInstance(id);
      call = () -> client.getApplicationReport(req);
    } else {
      throw new IllegalArgumentException("unknown mode " + mode);
    }
    run(call, (long) (warmup * 1e9));
    long[] lat = new long[1 << 16];
    int n = 0;
    long start = System.nanoTime();
    long end = start + (long) (seconds * 1e9);
    long now = start;
    while (now < end && n < maxCalls) {
      long t0 = System.nanoTime();
      call.run();
      now = System.nanoTime();
      if (n == lat.length) {
        lat = Arrays.copyOf(lat, n * 2);
      }
      lat[n++] = now - t0;
    }
    double elapsed = (now - start) / 1e9;
    long[] sorted = Arrays.copyOf(lat, n);
    Arrays.sort(sorted);
    Common.say(
        String.format(
            "RESULT mode=%s calls=%d seconds=%.3f calls_per_s=%.0f p50_us=%.1f p99_us=%.1f",
            mode,
            n,
            elapsed,
            n / elapsed,
            sorted[n / 2] / 1e3,
            sorted[Math.min(n - 1, (int) (n * 0.99))] / 1e3));
    System.exit(0);
  }

  private static void run(Call call, long nanos) throws Exception {
    long end = System.nanoTime() + nanos;
    while (System.nanoTime() < end) {
      call.run();
    }
  }
}
