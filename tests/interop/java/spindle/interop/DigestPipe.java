package spindle.interop;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.HashMap;
import java.util.Map;
import javax.security.auth.callback.Callback;
import javax.security.auth.callback.NameCallback;
import javax.security.auth.callback.PasswordCallback;
import javax.security.sasl.AuthorizeCallback;
import javax.security.sasl.RealmCallback;
import javax.security.sasl.Sasl;
import javax.security.sasl.SaslServer;

/**
 * The JDK's own DIGEST-MD5 SASL server (the mechanism Hadoop's IPC server uses for TOKEN
 * authentication), driven line by line over stdin/stdout, to hold our client and security layer
 * to it for one quality of protection and one cipher.
 *
 * <p>Usage: {@code DigestPipe <qop> <cipher> <identifier hex> <password hex>}; the cipher is
 * what the server offers ({@code 3des}, {@code rc4}, {@code des}, {@code rc4-56}, {@code
 * rc4-40}). Commands: {@code CHALLENGE} → {@code CHALLENGE <hex>}; {@code RESPONSE <hex>} →
 * {@code RSPAUTH <hex> <qop>}; {@code UNWRAP <hex>} → {@code PLAIN <hex>}; {@code WRAP <hex>} →
 * {@code TOKEN <hex>}; anything failing prints {@code ERROR <message>}.
 */
public final class DigestPipe {
  private DigestPipe() {}

  public static void main(String[] args) throws Exception {
    // The command loop below ends (and the JVM with it) when stdin closes.
    Common.exitAfter(5 * 60 * 1000L);
    String qop = args[0];
    String cipher = args[1];
    byte[] identifier = Common.unhex(args[2]);
    byte[] password = Common.unhex(args[3]);
    Base64.Encoder b64 = Base64.getEncoder();
    String user = b64.encodeToString(identifier);
    char[] secret = b64.encodeToString(password).toCharArray();
    Map<String, Object> props = new HashMap<>();
    props.put(Sasl.QOP, qop);
    props.put(Sasl.SERVER_AUTH, "true");
    props.put("com.sun.security.sasl.digest.cipher", cipher);
    SaslServer server =
        Sasl.createSaslServer(
            "DIGEST-MD5",
            "",
            "default",
            props,
            callbacks -> {
              for (Callback c : callbacks) {
                if (c instanceof NameCallback) {
                  check(user.equals(((NameCallback) c).getDefaultName()), "unknown user");
                } else if (c instanceof PasswordCallback) {
                  ((PasswordCallback) c).setPassword(secret);
                } else if (c instanceof RealmCallback) {
                  RealmCallback r = (RealmCallback) c;
                  r.setText(r.getDefaultText());
                } else if (c instanceof AuthorizeCallback) {
                  AuthorizeCallback a = (AuthorizeCallback) c;
                  a.setAuthorized(a.getAuthenticationID().equals(a.getAuthorizationID()));
                }
              }
            });
    BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
    Common.say("READY");
    String line;
    while ((line = in.readLine()) != null) {
      String[] parts = line.split(" ", 2);
      byte[] arg = parts.length > 1 ? Common.unhex(parts[1]) : new byte[0];
      try {
        switch (parts[0]) {
          case "CHALLENGE":
            Common.say("CHALLENGE " + Common.hex(server.evaluateResponse(new byte[0])));
            break;
          case "RESPONSE":
            byte[] rspauth = server.evaluateResponse(arg);
            check(server.isComplete(), "not complete");
            Common.say("RSPAUTH " + Common.hex(rspauth) + " " + server.getNegotiatedProperty(Sasl.QOP));
            break;
          case "UNWRAP":
            Common.say("PLAIN " + Common.hex(server.unwrap(arg, 0, arg.length)));
            break;
          case "WRAP":
            Common.say("TOKEN " + Common.hex(server.wrap(arg, 0, arg.length)));
            break;
          default:
            Common.say("ERROR unknown command " + parts[0]);
        }
      } catch (Exception e) {
        Common.say("ERROR " + String.valueOf(e).replace('\n', ' '));
      }
    }
  }

  private static void check(boolean cond, String what) {
    if (!cond) {
      throw new IllegalStateException(what);
    }
  }
}
