package spindle.interop;

import java.util.ArrayList;
import java.util.List;
import org.apache.hadoop.security.UserGroupInformation;
import org.apache.hadoop.yarn.api.ApplicationClientProtocol;
import org.apache.hadoop.yarn.api.protocolrecords.GetApplicationReportRequest;
import org.apache.hadoop.yarn.api.protocolrecords.GetApplicationReportResponse;
import org.apache.hadoop.yarn.api.protocolrecords.GetApplicationsRequest;
import org.apache.hadoop.yarn.api.protocolrecords.GetApplicationsResponse;
import org.apache.hadoop.yarn.api.protocolrecords.GetClusterMetricsRequest;
import org.apache.hadoop.yarn.api.protocolrecords.GetClusterMetricsResponse;
import org.apache.hadoop.yarn.api.protocolrecords.GetNewApplicationRequest;
import org.apache.hadoop.yarn.api.protocolrecords.GetNewApplicationResponse;
import org.apache.hadoop.yarn.api.protocolrecords.KillApplicationRequest;
import org.apache.hadoop.yarn.api.protocolrecords.KillApplicationResponse;
import org.apache.hadoop.yarn.api.protocolrecords.SubmitApplicationRequest;
import org.apache.hadoop.yarn.api.protocolrecords.SubmitApplicationResponse;
import org.apache.hadoop.yarn.api.records.ApplicationAttemptId;
import org.apache.hadoop.yarn.api.records.ApplicationId;
import org.apache.hadoop.yarn.api.records.ApplicationReport;
import org.apache.hadoop.yarn.api.records.ApplicationSubmissionContext;
import org.apache.hadoop.yarn.api.records.FinalApplicationStatus;
import org.apache.hadoop.yarn.api.records.Resource;
import org.apache.hadoop.yarn.api.records.YarnApplicationState;
import org.apache.hadoop.yarn.api.records.YarnClusterMetrics;
import org.apache.hadoop.yarn.exceptions.ApplicationNotFoundException;
import org.apache.hadoop.yarn.exceptions.InvalidResourceRequestException;
import org.apache.hadoop.yarn.exceptions.YarnException;

/**
 * ApplicationClientProtocol handler (SIMPLE auth): issues application ids, accepts submissions,
 * reports applications (ACCEPTED until their AM registers, RUNNING while it runs, FINISHED after it
 * unregisters, KILLED after a kill) and kills them. Served through {@link Common#serve}: the
 * protocol's many other methods are not served.
 */
final class ClientHandler {
  private final MiniRm rm;

  private ClientHandler(MiniRm rm) {
    this.rm = rm;
  }

  static ApplicationClientProtocol create(MiniRm rm) {
    return Common.serve(ApplicationClientProtocol.class, new ClientHandler(rm), "ResourceManager");
  }

  private GetClusterMetricsResponse getClusterMetrics(GetClusterMetricsRequest request) {
    return GetClusterMetricsResponse.newInstance(YarnClusterMetrics.newInstance(1));
  }

  private GetNewApplicationResponse getNewApplication(GetNewApplicationRequest request) {
    synchronized (rm) {
      ApplicationId id = ApplicationId.newInstance(Common.CLUSTER_TIMESTAMP, rm.nextAppId++);
      rm.issuedAppIds.add(id);
      return GetNewApplicationResponse.newInstance(
          id, Resource.newInstance(1024, 1), MiniRm.MAX_CAPABILITY);
    }
  }

  private SubmitApplicationResponse submitApplication(SubmitApplicationRequest request)
      throws YarnException, java.io.IOException {
    ApplicationSubmissionContext ctx = request.getApplicationSubmissionContext();
    if (ctx == null || ctx.getApplicationId() == null) {
      throw new YarnException("Invalid submission: no ApplicationId in the submission context");
    }
    ApplicationId id = ctx.getApplicationId();
    synchronized (rm) {
      if (rm.apps.containsKey(id)) {
        return SubmitApplicationResponse.newInstance(); // resubmission is idempotent, as in the RM
      }
      if (!rm.issuedAppIds.contains(id)) {
        throw new YarnException("Application id " + id + " was not issued by this ResourceManager");
      }
      Resource am = ctx.getResource();
      if (am != null
          && (am.getMemorySize() > MiniRm.MAX_CAPABILITY.getMemorySize()
              || am.getVirtualCores() > MiniRm.MAX_CAPABILITY.getVirtualCores())) {
        throw new InvalidResourceRequestException(
            "Invalid resource request, requested AM resource "
                + am
                + " is above the maximum allowed allocation "
                + MiniRm.MAX_CAPABILITY);
      }
      MiniRm.App app = new MiniRm.App(id);
      app.context = ctx;
      app.submitTime = System.currentTimeMillis();
      app.user = UserGroupInformation.getCurrentUser().getShortUserName();
      app.state = YarnApplicationState.ACCEPTED;
      rm.apps.put(id, app);
      return SubmitApplicationResponse.newInstance();
    }
  }

  private MiniRm.App find(ApplicationId id) throws ApplicationNotFoundException {
    MiniRm.App app = id == null ? null : rm.apps.get(id);
    if (app == null) {
      throw new ApplicationNotFoundException(
          "Application with id '"
              + id
              + "' doesn't exist in RM. Please check that the job submission was successful.");
    }
    return app;
  }

  private GetApplicationReportResponse getApplicationReport(GetApplicationReportRequest request)
      throws YarnException {
    synchronized (rm) {
      return GetApplicationReportResponse.newInstance(report(find(request.getApplicationId())));
    }
  }

  private KillApplicationResponse forceKillApplication(KillApplicationRequest request)
      throws YarnException {
    synchronized (rm) {
      MiniRm.App app = find(request.getApplicationId());
      if (!AmHandler.isFinal(app.state)) {
        app.state = YarnApplicationState.KILLED;
        app.finalStatus = FinalApplicationStatus.KILLED;
        app.diagnostics =
            request.getDiagnostics() == null || request.getDiagnostics().isEmpty()
                ? "Application killed by user."
                : request.getDiagnostics();
        app.finishTime = System.currentTimeMillis();
      }
      return KillApplicationResponse.newInstance(true);
    }
  }

  private GetApplicationsResponse getApplications(GetApplicationsRequest request) {
    synchronized (rm) {
      List<ApplicationReport> all = new ArrayList<>();
      for (MiniRm.App app : rm.apps.values()) {
        all.add(report(app));
      }
      return GetApplicationsResponse.newInstance(all);
    }
  }

  private ApplicationReport report(MiniRm.App app) {
    ApplicationAttemptId attemptId = ApplicationAttemptId.newInstance(app.id, 1);
    MiniRm.Attempt attempt = rm.attempts.get(attemptId);
    ApplicationReport r = org.apache.hadoop.yarn.util.Records.newRecord(ApplicationReport.class);
    r.setApplicationId(app.id);
    r.setCurrentApplicationAttemptId(attemptId);
    r.setUser(app.user);
    r.setQueue(app.context.getQueue() == null ? "default" : app.context.getQueue());
    r.setName(app.context.getApplicationName() == null ? "" : app.context.getApplicationName());
    r.setApplicationType(
        app.context.getApplicationType() == null ? "YARN" : app.context.getApplicationType());
    boolean amUp = attempt != null && attempt.registered;
    r.setHost(amUp ? attempt.host : "N/A");
    r.setRpcPort(amUp ? attempt.rpcPort : -1);
    r.setTrackingUrl(amUp ? attempt.trackingUrl : "");
    r.setOriginalTrackingUrl(amUp ? attempt.trackingUrl : "");
    r.setYarnApplicationState(app.state);
    r.setFinalApplicationStatus(app.finalStatus);
    r.setDiagnostics(app.diagnostics);
    r.setSubmitTime(app.submitTime);
    r.setStartTime(app.submitTime);
    r.setFinishTime(app.finishTime);
    r.setProgress(AmHandler.isFinal(app.state) ? 1.0f : 0.0f);
    return r;
  }
}
