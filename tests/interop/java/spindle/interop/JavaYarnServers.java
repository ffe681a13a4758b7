package spindle.interop;

import java.io.File;
import java.net.InetSocketAddress;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Supplier;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.ipc.Server;
import org.apache.hadoop.security.token.SecretManager;
import org.apache.hadoop.security.token.Token;
import org.apache.hadoop.security.token.TokenIdentifier;
import org.apache.hadoop.yarn.api.ApplicationClientProtocol;
import org.apache.hadoop.yarn.api.ApplicationMasterProtocol;
import org.apache.hadoop.yarn.api.ContainerManagementProtocol;
import org.apache.hadoop.yarn.api.records.ApplicationAttemptId;
import org.apache.hadoop.yarn.api.records.ApplicationId;
import org.apache.hadoop.yarn.api.records.NodeId;
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

  /** What a secret manager checks of an identifier before it gives the password. */
  interface IdentifierCheck<T> {
    void check(T id) throws SecretManager.InvalidToken;
  }

  /** Verifies one kind of token: HMAC-SHA1 over the identifier with its master key. */
  static final class HmacSecretManager<T extends TokenIdentifier> extends SecretManager<T> {
    private final byte[] key;
    private final Supplier<T> blank;
    private final IdentifierCheck<T> check;

    HmacSecretManager(byte[] key, Supplier<T> blank, IdentifierCheck<T> check) {
      this.key = key;
      this.blank = blank;
      this.check = check;
    }

    @Override
    protected byte[] createPassword(T id) {
      return Common.password(id.getBytes(), key);
    }

    @Override
    public byte[] retrievePassword(T id) throws InvalidToken {
      check.check(id);
      return createPassword(id);
    }

    @Override
    public T createIdentifier() {
      return blank.get();
    }
  }

  /** Refuses a token signed with another master key than the harness's one. */
  static void requireKey(int keyId, String token) throws SecretManager.InvalidToken {
    if (keyId != Common.KEY_ID) {
      throw new SecretManager.InvalidToken(token + " (unknown master key id " + keyId + ")");
    }
  }

  public static void main(String[] args) throws Exception {
    Common.exitWhenStdinCloses();
    Common.exitAfter(30 * 60 * 1000L);
    String usage = "JavaYarnServers --token-file <path> [--am-apps N]";
    Map<String, String> options = Common.options(args, 0, usage, "--token-file", "--am-apps");
    String tokenFile = options.get("--token-file");
    int amApps = Integer.parseInt(options.getOrDefault("--am-apps", "1"));
    if (tokenFile == null) {
      System.err.println("usage: " + usage);
      System.exit(2);
    }

    Configuration conf = Common.conf();
    YarnRPC rpc = YarnRPC.create(conf);
    MiniRm rm = new MiniRm();
    InetSocketAddress any = new InetSocketAddress("127.0.0.1", 0);

    // The NM's node id needs the port: bind, then fill it in before READY (no call comes earlier).
    NmHandler nmHandler = new NmHandler(rm);
    AtomicReference<NodeId> nmNode = new AtomicReference<>();
    HmacSecretManager<NMTokenIdentifier> nmSecrets =
        new HmacSecretManager<>(
            Common.NMTOKEN_KEY,
            NMTokenIdentifier::new,
            id -> {
              requireKey(id.getKeyId(), "NMToken of " + id.getApplicationAttemptId());
              NodeId node = nmNode.get();
              if (node != null && !node.equals(id.getNodeId())) {
                throw new SecretManager.InvalidToken(
                    "Given NMToken for application : "
                        + id.getApplicationAttemptId()
                        + " is not valid for current node manager. expected : "
                        + node
                        + " found : "
                        + id.getNodeId());
              }
            });
    Server nmServer =
        rpc.getServer(
            ContainerManagementProtocol.class,
            Common.serve(ContainerManagementProtocol.class, nmHandler, "NodeManager"),
            any,
            conf,
            nmSecrets,
            4);
    nmServer.start();
    int nmPort = nmServer.getListenerAddress().getPort();
    NodeId node = NodeId.newInstance("127.0.0.1", nmPort);
    nmNode.set(node);
    nmHandler.node = node;

    HmacSecretManager<AMRMTokenIdentifier> amSecrets =
        new HmacSecretManager<>(
            Common.AMRM_KEY,
            AMRMTokenIdentifier::new,
            id ->
                requireKey(
                    id.getKeyId(),
                    "Given AMRMToken for application : "
                        + id.getApplicationAttemptId()
                        + " seems to have been generated illegally"));
    Server amServer =
        rpc.getServer(
            ApplicationMasterProtocol.class,
            new AmHandler(rm, node, APP_SUBMITTER),
            any,
            conf,
            amSecrets,
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
