package spindle.interop;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import org.apache.hadoop.security.UserGroupInformation;
import org.apache.hadoop.security.token.TokenIdentifier;
import org.apache.hadoop.yarn.api.ApplicationMasterProtocol;
import org.apache.hadoop.yarn.api.protocolrecords.AllocateRequest;
import org.apache.hadoop.yarn.api.protocolrecords.AllocateResponse;
import org.apache.hadoop.yarn.api.protocolrecords.FinishApplicationMasterRequest;
import org.apache.hadoop.yarn.api.protocolrecords.FinishApplicationMasterResponse;
import org.apache.hadoop.yarn.api.protocolrecords.RegisterApplicationMasterRequest;
import org.apache.hadoop.yarn.api.protocolrecords.RegisterApplicationMasterResponse;
import org.apache.hadoop.yarn.api.records.ApplicationAccessType;
import org.apache.hadoop.yarn.api.records.ApplicationAttemptId;
import org.apache.hadoop.yarn.api.records.Container;
import org.apache.hadoop.yarn.api.records.ContainerId;
import org.apache.hadoop.yarn.api.records.ContainerStatus;
import org.apache.hadoop.yarn.api.records.ExecutionType;
import org.apache.hadoop.yarn.api.records.NMToken;
import org.apache.hadoop.yarn.api.records.NodeId;
import org.apache.hadoop.yarn.api.records.NodeReport;
import org.apache.hadoop.yarn.api.records.Resource;
import org.apache.hadoop.yarn.api.records.ResourceRequest;
import org.apache.hadoop.yarn.api.records.YarnApplicationState;
import org.apache.hadoop.yarn.exceptions.ApplicationAttemptNotFoundException;
import org.apache.hadoop.yarn.exceptions.ApplicationMasterNotRegisteredException;
import org.apache.hadoop.yarn.exceptions.InvalidApplicationMasterRequestException;
import org.apache.hadoop.yarn.exceptions.InvalidResourceRequestException;
import org.apache.hadoop.yarn.exceptions.YarnException;
import org.apache.hadoop.yarn.proto.YarnServiceProtos.SchedulerResourceTypes;
import org.apache.hadoop.yarn.security.AMRMTokenIdentifier;
import org.apache.hadoop.yarn.security.ContainerTokenIdentifier;
import org.apache.hadoop.yarn.security.NMTokenIdentifier;

/**
 * ApplicationMasterProtocol handler with the checks a real ResourceManager makes: the caller must
 * have authenticated with an AMRMToken, allocate and finish need a registered attempt, response ids
 * must follow on, and asks are validated. A single node serves every ANY-location ask at once.
 */
final class AmHandler implements ApplicationMasterProtocol {
  /** ContainerExitStatus.ABORTED: released by the AM, or its application ended. */
  private static final int ABORTED = -100;

  private final MiniRm rm;
  private final NodeId node;
  private final String appSubmitter;

  AmHandler(MiniRm rm, NodeId node, String appSubmitter) {
    this.rm = rm;
    this.node = node;
    this.appSubmitter = appSubmitter;
  }

  /**
   * The attempt of the AMRMToken the connection authenticated with, as a real RM finds it (and,
   * like the RM, a plain YarnException when there is none).
   */
  private static ApplicationAttemptId authorize() throws IOException, YarnException {
    UserGroupInformation ugi = UserGroupInformation.getCurrentUser();
    for (TokenIdentifier id : ugi.getTokenIdentifiers()) {
      if (id instanceof AMRMTokenIdentifier) {
        return ((AMRMTokenIdentifier) id).getApplicationAttemptId();
      }
    }
    throw new YarnException("No AMRMToken found for user " + ugi.getUserName());
  }

  @Override
  public RegisterApplicationMasterResponse registerApplicationMaster(
      RegisterApplicationMasterRequest request) throws YarnException, IOException {
    ApplicationAttemptId id = authorize();
    synchronized (rm) {
      MiniRm.Attempt a = rm.attempt(id);
      if (a.unregistered) {
        throw new ApplicationAttemptNotFoundException(
            "Application attempt " + id + " has already finished");
      }
      if (a.registered) {
        throw new InvalidApplicationMasterRequestException(
            "Application Master is already registered : " + id.getApplicationId());
      }
      a.registered = true;
      a.host = request.getHost();
      a.rpcPort = request.getRpcPort();
      a.trackingUrl = request.getTrackingUrl() == null ? "" : request.getTrackingUrl();
      a.lastResponseId = 0;
      MiniRm.App app = rm.apps.get(id.getApplicationId());
      if (app != null && app.state == YarnApplicationState.ACCEPTED) {
        app.state = YarnApplicationState.RUNNING;
      }
      RegisterApplicationMasterResponse resp =
          RegisterApplicationMasterResponse.newInstance(
              Resource.newInstance(1024, 1),
              MiniRm.MAX_CAPABILITY,
              Map.<ApplicationAccessType, String>of(),
              ByteBuffer.wrap("interop-client-to-am-key".getBytes(StandardCharsets.UTF_8)),
              Collections.<Container>emptyList(),
              "default",
              Collections.<NMToken>emptyList());
      resp.setSchedulerResourceTypes(EnumSet.of(SchedulerResourceTypes.MEMORY, SchedulerResourceTypes.CPU));
      return resp;
    }
  }

  @Override
  public AllocateResponse allocate(AllocateRequest request) throws YarnException, IOException {
    ApplicationAttemptId id = authorize();
    synchronized (rm) {
      MiniRm.Attempt a = rm.attempts.get(id);
      if (a != null && a.unregistered) {
        throw new ApplicationAttemptNotFoundException(
            "Application attempt " + id + " doesn't exist in ApplicationMasterService cache.");
      }
      if (a == null || !a.registered) {
        throw new ApplicationMasterNotRegisteredException(
            "AM is not registered for known application attempt: "
                + id
                + " or RM had restarted after AM registered. AM should re-register.");
      }
      int rid = request.getResponseId();
      if (a.lastResponse != null && rid + 1 == a.lastResponseId) {
        return a.lastResponse; // a resent heartbeat gets the same answer again
      }
      if (rid != a.lastResponseId) {
        throw new InvalidApplicationMasterRequestException(
            "Invalid responseId in AllocateRequest from application attempt: "
                + id
                + ", expect responseId to be "
                + a.lastResponseId
                + ", but get "
                + rid);
      }
      for (ResourceRequest ask : request.getAskList()) {
        validate(ask);
        if (ResourceRequest.ANY.equals(ask.getResourceName())) {
          String key =
              ask.getPriority().getPriority()
                  + "/"
                  + ask.getCapability().getMemorySize()
                  + "/"
                  + ask.getCapability().getVirtualCores()
                  + "/"
                  + ask.getAllocationRequestId();
          a.outstanding.put(key, ask.getNumContainers());
          a.askShape.put(key, ask);
        }
      }
      for (ContainerId released : request.getReleaseList()) {
        if (a.live.containsKey(released)) {
          rm.complete(released, ABORTED, "Container released by application");
        }
      }
      List<Container> allocated = new ArrayList<>();
      for (Map.Entry<String, Integer> e : a.outstanding.entrySet()) {
        ResourceRequest shape = a.askShape.get(e.getKey());
        for (int i = 0; i < e.getValue(); i++) {
          allocated.add(newContainer(a, shape));
        }
        e.setValue(0);
      }
      List<NMToken> nmTokens = new ArrayList<>();
      if (!allocated.isEmpty() && a.nodesWithNmToken.add(node)) {
        NMTokenIdentifier nmId = new NMTokenIdentifier(id, node, appSubmitter, Common.KEY_ID);
        nmTokens.add(
            NMToken.newInstance(
                node, toYarnToken(Common.token(nmId, Common.NMTOKEN_KEY, node.toString()))));
      }
      List<ContainerStatus> completed = new ArrayList<>(a.completedToReport);
      a.completedToReport.clear();
      Resource used = rm.used(a);
      Resource available =
          Resource.newInstance(
              MiniRm.NODE_CAPACITY.getMemorySize() - used.getMemorySize(),
              MiniRm.NODE_CAPACITY.getVirtualCores() - used.getVirtualCores());
      int next = rid == Integer.MAX_VALUE ? 0 : rid + 1;
      AllocateResponse resp =
          AllocateResponse.newInstance(
              next,
              completed,
              allocated,
              Collections.<NodeReport>emptyList(),
              available,
              null,
              1,
              null,
              nmTokens);
      a.lastResponse = resp;
      a.lastResponseId = next;
      return resp;
    }
  }

  private static void validate(ResourceRequest ask) throws InvalidResourceRequestException {
    Resource c = ask.getCapability();
    if (c == null) {
      throw new InvalidResourceRequestException("Invalid resource request, no capability given");
    }
    if (ask.getNumContainers() < 0) {
      throw new InvalidResourceRequestException(
          "Invalid resource request, number of containers is negative: " + ask.getNumContainers());
    }
    if (c.getMemorySize() < 0
        || c.getMemorySize() > MiniRm.MAX_CAPABILITY.getMemorySize()
        || c.getVirtualCores() < 0
        || c.getVirtualCores() > MiniRm.MAX_CAPABILITY.getVirtualCores()) {
      throw new InvalidResourceRequestException(
          "Invalid resource request, requested resource "
              + c
              + " is negative or above the maximum allowed allocation "
              + MiniRm.MAX_CAPABILITY);
    }
  }

  private Container newContainer(MiniRm.Attempt a, ResourceRequest shape) {
    ContainerId cid = ContainerId.newContainerId(a.id, a.nextContainerId++);
    long now = System.currentTimeMillis();
    ContainerTokenIdentifier ctId =
        new ContainerTokenIdentifier(
            cid,
            0,
            node.toString(),
            appSubmitter,
            shape.getCapability(),
            now + 600_000L,
            Common.KEY_ID,
            Common.CLUSTER_TIMESTAMP,
            shape.getPriority(),
            now,
            null,
            "",
            org.apache.hadoop.yarn.server.api.ContainerType.TASK,
            ExecutionType.GUARANTEED,
            shape.getAllocationRequestId());
    Container c =
        Container.newInstance(
            cid,
            node,
            node.getHost() + ":0",
            shape.getCapability(),
            shape.getPriority(),
            toYarnToken(Common.token(ctId, Common.CONTAINER_KEY, node.toString())),
            ExecutionType.GUARANTEED);
    c.setAllocationRequestId(shape.getAllocationRequestId());
    a.live.put(cid, shape.getCapability());
    return c;
  }

  static org.apache.hadoop.yarn.api.records.Token toYarnToken(
      org.apache.hadoop.security.token.Token<?> t) {
    return org.apache.hadoop.yarn.api.records.Token.newInstance(
        t.getIdentifier(), t.getKind().toString(), t.getPassword(), t.getService().toString());
  }

  @Override
  public FinishApplicationMasterResponse finishApplicationMaster(
      FinishApplicationMasterRequest request) throws YarnException, IOException {
    ApplicationAttemptId id = authorize();
    synchronized (rm) {
      MiniRm.Attempt a = rm.attempts.get(id);
      if (a == null || !a.registered) {
        throw new ApplicationMasterNotRegisteredException(
            "Application Master is trying to unregister before registering for: " + id);
      }
      if (!a.unregistered) {
        a.unregistered = true;
        for (ContainerId cid : new ArrayList<>(a.live.keySet())) {
          rm.complete(cid, ABORTED, "Container of a completed application");
        }
        MiniRm.App app = rm.apps.get(id.getApplicationId());
        if (app != null && !isFinal(app.state)) {
          app.state = YarnApplicationState.FINISHED;
          app.finalStatus = request.getFinalApplicationStatus();
          app.diagnostics = request.getDiagnostics() == null ? "" : request.getDiagnostics();
          app.finishTime = System.currentTimeMillis();
        }
      }
      return FinishApplicationMasterResponse.newInstance(true);
    }
  }

  static boolean isFinal(YarnApplicationState s) {
    return s == YarnApplicationState.FINISHED
        || s == YarnApplicationState.FAILED
        || s == YarnApplicationState.KILLED;
  }
}
