package spindle.interop;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.hadoop.yarn.api.protocolrecords.AllocateResponse;
import org.apache.hadoop.yarn.api.records.ApplicationAttemptId;
import org.apache.hadoop.yarn.api.records.ApplicationId;
import org.apache.hadoop.yarn.api.records.ApplicationSubmissionContext;
import org.apache.hadoop.yarn.api.records.ContainerId;
import org.apache.hadoop.yarn.api.records.ContainerState;
import org.apache.hadoop.yarn.api.records.ContainerStatus;
import org.apache.hadoop.yarn.api.records.FinalApplicationStatus;
import org.apache.hadoop.yarn.api.records.NodeId;
import org.apache.hadoop.yarn.api.records.Resource;
import org.apache.hadoop.yarn.api.records.YarnApplicationState;

/**
 * The state of the harness's one-node cluster, shared by its RM and NM handlers. Every method is
 * called with the instance's monitor held (callers synchronize on it).
 */
final class MiniRm {
  /** Largest single container the cluster grants. */
  static final Resource MAX_CAPABILITY = Resource.newInstance(8192, 4);
  /** Total size of the one node. */
  static final Resource NODE_CAPACITY = Resource.newInstance(65536, 32);

  /** One application known to the client protocol. */
  static final class App {
    final ApplicationId id;
    ApplicationSubmissionContext context;
    YarnApplicationState state = YarnApplicationState.NEW;
    FinalApplicationStatus finalStatus = FinalApplicationStatus.UNDEFINED;
    String diagnostics = "";
    long submitTime;
    long finishTime;
    String user = "";

    App(ApplicationId id) {
      this.id = id;
    }
  }

  /** One application attempt as the ApplicationMasterProtocol sees it. */
  static final class Attempt {
    final ApplicationAttemptId id;
    boolean registered;
    boolean unregistered;
    String host = "";
    int rpcPort = -1;
    String trackingUrl = "";
    int lastResponseId;
    AllocateResponse lastResponse;
    /** Outstanding container counts of ANY-location asks, by priority/capability/request id. */
    final Map<String, Integer> outstanding = new LinkedHashMap<>();
    final Map<String, org.apache.hadoop.yarn.api.records.ResourceRequest> askShape = new HashMap<>();
    /** Allocated containers that have not completed yet. */
    final Map<ContainerId, Resource> live = new LinkedHashMap<>();
    /** Completed containers not yet reported to the AM. */
    final List<ContainerStatus> completedToReport = new ArrayList<>();
    final Set<NodeId> nodesWithNmToken = new HashSet<>();
    long nextContainerId = 2; // container 1 is the AM's own container

    Attempt(ApplicationAttemptId id) {
      this.id = id;
    }
  }

  /** A container the NM has been asked to run. */
  static final class NmContainer {
    final ContainerId id;
    ContainerState state = ContainerState.RUNNING;
    int exitStatus = -1000; // ContainerExitStatus.INVALID
    String diagnostics = "";
    final Resource resource;

    NmContainer(ContainerId id, Resource resource) {
      this.id = id;
      this.resource = resource;
    }

    /** Its status as the NM reports it. */
    ContainerStatus status() {
      ContainerStatus s = ContainerStatus.newInstance(id, state, diagnostics, exitStatus);
      s.setCapability(resource);
      return s;
    }
  }

  int nextAppId = 1;
  final Set<ApplicationId> issuedAppIds = new HashSet<>();
  final Map<ApplicationId, App> apps = new LinkedHashMap<>();
  final Map<ApplicationAttemptId, Attempt> attempts = new HashMap<>();
  final Map<ContainerId, NmContainer> nmContainers = new LinkedHashMap<>();

  Attempt attempt(ApplicationAttemptId id) {
    return attempts.computeIfAbsent(id, Attempt::new);
  }

  /**
   * A container ended: the NM side shows it COMPLETE with this exit (unless it had ended already,
   * whose first exit stands), and the next allocate of its attempt reports it once.
   */
  void complete(ContainerId id, int exitStatus, String diagnostics) {
    NmContainer c = nmContainers.get(id);
    if (c != null && c.state != ContainerState.COMPLETE) {
      c.state = ContainerState.COMPLETE;
      c.exitStatus = exitStatus;
      c.diagnostics = diagnostics;
    }
    Attempt a = attempts.get(id.getApplicationAttemptId());
    if (a != null && a.live.remove(id) != null) {
      a.completedToReport.add(
          ContainerStatus.newInstance(id, ContainerState.COMPLETE, diagnostics, exitStatus));
    }
  }

  Resource used(Attempt a) {
    long mem = 0;
    int cores = 0;
    for (Resource r : a.live.values()) {
      mem += r.getMemorySize();
      cores += r.getVirtualCores();
    }
    return Resource.newInstance(mem, cores);
  }
}
