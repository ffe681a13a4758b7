package spindle.interop;

import java.io.File;
import java.net.InetSocketAddress;
import java.util.Arrays;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.ipc.Server;
import org.apache.hadoop.security.token.SecretManager;
import org.apache.hadoop.security.token.Token;
import org.apache.hadoop.yarn.api.ApplicationClientProtocol;
import org.apache.hadoop.yarn.api.ApplicationMasterProtocol;
import org.apache.hadoop.yarn.api.ContainerManagementProtocol;
import org.apache.hadoop.yarn.api.records.ApplicationAttemptId;
import org.apache.hadoop.yarn.api.records.ApplicationId;
import org.apache.hadoop.yarn.api.records.NodeId;
import org.apache.hadoop.yarn.conf.YarnConfiguration;
import org.apache.hadoop.yarn.ipc.YarnRPC;
import org.apache.hadoop.yarn.security.AMRMTokenIdentifier;
import org.apache.hadoop.yarn.security.NMTokenIdentifier;

/**
 * Starts Hadoop's real IPC servers for the three YARN protocols on 127.0.0.1 ephemeral ports:
 * ApplicationMasterProtocol (SASL TOKEN with AMRMTokens), ContainerManagementProtocol (SASL TOKEN
 * with NMTokens) and ApplicationClientProtocol (SIMPLE), backed by one small stateful cluster.
 *
 * <p>Usage: {@code JavaYarnServers --token-file <path> [--am-apps N]}. Prints {@code FACT k=v} lines
 * (tokens as hex), writes the first AMRMToken and the NMToken to the token file (HDTS), then
 * {@code READY am=<port> nm=<port> client=<port>}. Exits when stdin closes.
 */
public final class JavaYarnServers {
  static final String APP_SUBMITTER = "spindle";

  /** Verifies AMRMTokens: HMAC-SHA1 over the identifier with the AMRM master key. */
  static final class AmrmSecretManager extends SecretManager<AMRMTokenIdentifier> {
    @Override
    protected byte[] createPassword(AMRMTokenIdentifier id) {
      return Common.password(id.getBytes(), Common.AMRM_KEY);
    }

    @Override
    public byte[] retrievePassword(AMRMTokenIdentifier id) throws InvalidToken {
      if (id.getKeyId() != Common.KEY_ID) {
        throw new InvalidToken(
            "Given AMRMToken for application : "
                + id.getApplicationAttemptId()
                + " seems to have been generated illegally (unknown key id " + id.getKeyId() + ")");
      }
      return createPassword(id);
    }

    @Override
    public AMRMTokenIdentifier createIdentifier() {
      return new AMRMTokenIdentifier();
    }
  }

  /** Verifies NMTokens: HMAC-SHA1 over the identifier with the NMToken master key. */
  static final class NmTokenSecretManager extends SecretManager<NMTokenIdentifier> {
    /** Set once the server listens (before READY is printed, so before any call). */
    volatile NodeId node;

    @Override
    protected byte[] createPassword(NMTokenIdentifier id) {
      return Common.password(id.getBytes(), Common.NMTOKEN_KEY);
    }

    @Override
    public byte[] retrievePassword(NMTokenIdentifier id) throws InvalidToken {
      if (id.getKeyId() != Common.KEY_ID) {
        throw new InvalidToken("NMToken has an unknown master key id " + id.getKeyId());
      }
      if (node != null && !node.equals(id.getNodeId())) {
        throw new InvalidToken(
            "Given NMToken for application : "
                + id.getApplicationAttemptId()
                + " is not valid for current node manager. expected : "
                + node
                + " found : "
                + id.getNodeId());
      }
      return createPassword(id);
    }

    @Override
    public NMTokenIdentifier createIdentifier() {
      return new NMTokenIdentifier();
    }
  }

  public static void main(String[] args) throws Exception {
    Common.exitWhenStdinCloses();
    Common.exitAfter(30 * 60 * 1000L);
    String tokenFile = null;
    int amApps = 1;
    for (int i = 0; i < args.length; i++) {
      switch (args[i]) {
        case "--token-file":
          tokenFile = args[++i];
          break;
        case "--am-apps":
          amApps = Integer.parseInt(args[++i]);
          break;
        default:
          System.err.println("unknown argument " + args[i] + " in " + Arrays.toString(args));
          System.exit(2);
      }
    }
    if (tokenFile == null) {
      System.err.println("usage: JavaYarnServers --token-file <path> [--am-apps N]");
      System.exit(2);
    }

    Configuration conf = new YarnConfiguration();
    YarnRPC rpc = YarnRPC.create(conf);
    MiniRm rm = new MiniRm();
    InetSocketAddress any = new InetSocketAddress("127.0.0.1", 0);

    // The NM's node id needs the port: bind, then fill it in before READY (no call comes earlier).
    NmHandler nmHandler = new NmHandler(rm);
    NmTokenSecretManager nmSecrets = new NmTokenSecretManager();
    Server nmServer =
        rpc.getServer(ContainerManagementProtocol.class, nmHandler, any, conf, nmSecrets, 4);
    nmServer.start();
    int nmPort = nmServer.getListenerAddress().getPort();
    NodeId node = NodeId.newInstance("127.0.0.1", nmPort);
    nmSecrets.node = node;
    nmHandler.node = node;

    Server amServer =
        rpc.getServer(
            ApplicationMasterProtocol.class,
            new AmHandler(rm, node, APP_SUBMITTER),
            any,
            conf,
            new AmrmSecretManager(),
            4);
    amServer.start();
    int amPort = amServer.getListenerAddress().getPort();

    Server clientServer =
        rpc.getServer(ApplicationClientProtocol.class, ClientHandler.create(rm), any, conf, null, 4);
    clientServer.start();
    int clientPort = clientServer.getListenerAddress().getPort();

    Token<?> firstAmToken = null;
    for (int app = 1; app <= amApps; app++) {
      ApplicationAttemptId attempt =
          ApplicationAttemptId.newInstance(ApplicationId.newInstance(Common.CLUSTER_TIMESTAMP, app), 1);
      Token<AMRMTokenIdentifier> t =
          Common.token(
              new AMRMTokenIdentifier(attempt, Common.KEY_ID), Common.AMRM_KEY, "127.0.0.1:" + amPort);
      Common.printToken(app == 1 ? "am_token" : "am_token_" + app, t);
      if (app == 1) {
        firstAmToken = t;
      }
    }
    ApplicationAttemptId attempt1 =
        ApplicationAttemptId.newInstance(ApplicationId.newInstance(Common.CLUSTER_TIMESTAMP, 1), 1);
    Token<NMTokenIdentifier> nmToken =
        Common.token(
            new NMTokenIdentifier(attempt1, node, APP_SUBMITTER, Common.KEY_ID),
            Common.NMTOKEN_KEY,
            "127.0.0.1:" + nmPort);
    Common.printToken("nm_token", nmToken);
    Common.writeTokenFile(new File(tokenFile), firstAmToken, nmToken);
    Common.say("FACT token_file=" + new File(tokenFile).getAbsolutePath());
    Common.say("FACT app_submitter=" + APP_SUBMITTER);
    Common.say("READY am=" + amPort + " nm=" + nmPort + " client=" + clientPort);
    Thread.currentThread().join();
  }
}
