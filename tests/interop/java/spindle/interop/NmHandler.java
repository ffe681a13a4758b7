package spindle.interop;

import java.io.ByteArrayInputStream;
import java.io.DataInputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import org.apache.hadoop.security.UserGroupInformation;
import org.apache.hadoop.security.token.SecretManager.InvalidToken;
import org.apache.hadoop.security.token.TokenIdentifier;
import org.apache.hadoop.yarn.api.protocolrecords.*;
import org.apache.hadoop.yarn.api.records.ApplicationAttemptId;
import org.apache.hadoop.yarn.api.records.ContainerId;
import org.apache.hadoop.yarn.api.records.ContainerStatus;
import org.apache.hadoop.yarn.api.records.NodeId;
import org.apache.hadoop.yarn.api.records.SerializedException;
import org.apache.hadoop.yarn.api.records.Token;
import org.apache.hadoop.yarn.exceptions.YarnException;
import org.apache.hadoop.yarn.security.ContainerTokenIdentifier;
import org.apache.hadoop.yarn.security.NMTokenIdentifier;

/**
 * ContainerManagementProtocol handler with a real NodeManager's checks: the caller must have
 * authenticated with an NMToken whose user is its attempt, each container token must carry a valid
 * password, belong to the NMToken's application, name this node and not be expired. Containers are
 * tracked (RUNNING until stopped); the RM side learns about completions. Served through {@link
 * Common#serve}: the protocol's other methods are not served.
 */
final class NmHandler {
  private final MiniRm rm;
  /** Set once the server listens (before READY is printed, so before any call). */
  volatile NodeId node;

  NmHandler(MiniRm rm) {
    this.rm = rm;
  }

  private static NMTokenIdentifier authorize() throws IOException, YarnException {
    UserGroupInformation ugi = UserGroupInformation.getCurrentUser();
    for (TokenIdentifier id : ugi.getTokenIdentifiers()) {
      if (id instanceof NMTokenIdentifier) {
        NMTokenIdentifier nm = (NMTokenIdentifier) id;
        if (!ugi.getUserName().equals(nm.getApplicationAttemptId().toString())) {
          throw new YarnException(
              "Expected applicationAttemptId: "
                  + ugi.getUserName()
                  + "Found: "
                  + nm.getApplicationAttemptId());
        }
        return nm;
      }
    }
    throw new YarnException("Invalid NMToken");
  }

  private ContainerTokenIdentifier verifyContainerToken(Token token)
      throws YarnException, InvalidToken {
    if (token == null || token.getIdentifier() == null) {
      throw new YarnException("Invalid ContainerToken");
    }
    byte[] idBytes = new byte[token.getIdentifier().remaining()];
    token.getIdentifier().duplicate().get(idBytes);
    byte[] pass = new byte[token.getPassword().remaining()];
    token.getPassword().duplicate().get(pass);
    ContainerTokenIdentifier cti = new ContainerTokenIdentifier();
    try {
      cti.readFields(new DataInputStream(new ByteArrayInputStream(idBytes)));
    } catch (IOException e) {
      throw new YarnException("Invalid ContainerToken: " + e.getMessage());
    }
    if (!Arrays.equals(pass, Common.password(idBytes, Common.CONTAINER_KEY))) {
      throw new InvalidToken("Invalid container token used for starting container on : " + node);
    }
    return cti;
  }

  public StartContainersResponse startContainers(StartContainersRequest requests)
      throws YarnException, IOException {
    NMTokenIdentifier nmId = authorize();
    List<ContainerId> started = new ArrayList<>();
    Map<ContainerId, SerializedException> failed = new HashMap<>();
    synchronized (rm) {
      for (StartContainerRequest r : requests.getStartContainerRequests()) {
        ContainerTokenIdentifier cti = verifyContainerToken(r.getContainerToken());
        ContainerId cid = cti.getContainerID();
        ApplicationAttemptId tokenAttempt = nmId.getApplicationAttemptId();
        String problem = null;
        if (!tokenAttempt.getApplicationId().equals(cid.getApplicationAttemptId().getApplicationId())) {
          problem =
              "Unauthorized request to start container. \nNMToken for application attempt : "
                  + tokenAttempt
                  + " was used for starting container with container token issued for application attempt : "
                  + cid.getApplicationAttemptId();
        } else if (!node.toString().equals(cti.getNmHostAddress())) {
          problem =
              "Unauthorized request to start container. \nThis token is meant for "
                  + cti.getNmHostAddress()
                  + ", not for "
                  + node;
        } else if (cti.getExpiryTimeStamp() < System.currentTimeMillis()) {
          problem = "This token is expired. current time is " + System.currentTimeMillis()
              + " found " + cti.getExpiryTimeStamp();
        } else if (r.getContainerLaunchContext() == null) {
          problem = "No ContainerLaunchContext for container " + cid;
        } else if (rm.nmContainers.containsKey(cid)) {
          problem = "Container " + cid + " already is running on this node!!";
        }
        if (problem != null) {
          failed.put(cid, SerializedException.newInstance(new YarnException(problem)));
          continue;
        }
        rm.nmContainers.put(cid, new MiniRm.NmContainer(cid, cti.getResource()));
        started.add(cid);
      }
    }
    return StartContainersResponse.newInstance(new HashMap<String, ByteBuffer>(), started, failed);
  }

  /** Why this caller may not see or touch a container, or null when it may. */
  private String refusal(NMTokenIdentifier nmId, ContainerId cid) {
    if (!nmId.getApplicationAttemptId().getApplicationId().equals(
        cid.getApplicationAttemptId().getApplicationId())) {
      return "Unauthorized request to access container "
          + cid
          + " of another application; NMToken application attempt : "
          + nmId.getApplicationAttemptId();
    }
    if (!rm.nmContainers.containsKey(cid)) {
      return "Container " + cid + " is not handled by this NodeManager";
    }
    return null;
  }

  /**
   * The result of {@code action} on each container of {@code ids} this caller may see or touch,
   * added to {@code out}; the others are refused one by one (returned), as a real NM refuses them.
   */
  private <R> Map<ContainerId, SerializedException> eachAllowed(
      List<ContainerId> ids, Function<ContainerId, R> action, List<R> out)
      throws IOException, YarnException {
    NMTokenIdentifier nmId = authorize();
    Map<ContainerId, SerializedException> failed = new HashMap<>();
    synchronized (rm) {
      for (ContainerId cid : ids) {
        String problem = refusal(nmId, cid);
        if (problem != null) {
          failed.put(cid, SerializedException.newInstance(new YarnException(problem)));
        } else {
          out.add(action.apply(cid));
        }
      }
    }
    return failed;
  }

  public GetContainerStatusesResponse getContainerStatuses(GetContainerStatusesRequest request)
      throws YarnException, IOException {
    List<ContainerStatus> statuses = new ArrayList<>();
    return GetContainerStatusesResponse.newInstance(
        statuses,
        eachAllowed(request.getContainerIds(), cid -> rm.nmContainers.get(cid).status(), statuses));
  }

  public StopContainersResponse stopContainers(StopContainersRequest request)
      throws YarnException, IOException {
    List<ContainerId> stopped = new ArrayList<>();
    return StopContainersResponse.newInstance(
        stopped, eachAllowed(request.getContainerIds(), this::stop, stopped));
  }

  private ContainerId stop(ContainerId cid) {
    // ContainerExitStatus.KILLED_BY_APPMASTER
    rm.complete(cid, -105, "Container killed by the ApplicationMaster.");
    return cid;
  }
}
