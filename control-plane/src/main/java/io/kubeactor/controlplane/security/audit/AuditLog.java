package io.kubeactor.controlplane.security.audit;

import io.kubeactor.controlplane.security.audit.AuditEvent.ObjectRef;
import io.kubeactor.controlplane.security.authentication.UserInfo;
import io.kubeactor.controlplane.security.authorization.Attributes;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.function.Consumer;

/**
 * kube-apiserver's audit log: each request the policy selects is written as audit.k8s.io/v1 Event
 * JSON lines, one per stage (RequestReceived, ResponseStarted for long-running requests,
 * ResponseComplete), as the audit filters of k8s.io/apiserver (endpoints/filters/audit.go,
 * authn_audit.go) and its log backend do. Off by default ({@link #OFF}); {@link #start} opens it
 * from the settings. Writing happens on one thread behind a bounded queue (see {@link AuditLogWriter}),
 * so a request never waits for the disk.
 */
public final class AuditLog implements AutoCloseable {

  /** No audit log: every request is {@link AuditedRequest#NONE}. */
  public static final AuditLog OFF = new AuditLog(null, null, Clock.systemUTC(), null);

  /** kube-apiserver cuts longer User-Agent headers (audit/request.go maybeTruncateUserAgent). */
  private static final int MAX_USER_AGENT = 1024;

  private final AuditPolicy policy;
  private final Consumer<AuditEvent> sink;
  private final Clock clock;
  private final AutoCloseable resources;

  AuditLog(AuditPolicy policy, Consumer<AuditEvent> sink, Clock clock, AutoCloseable resources) {
    this.policy = policy;
    this.sink = sink;
    this.clock = clock;
    this.resources = resources;
  }

  /**
   * The audit log the settings describe, or {@link #OFF} when they name no log path.
   *
   * @throws IllegalArgumentException with one line for the user: a policy file that cannot be read or
   *     is invalid, a log file that cannot be opened
   */
  public static AuditLog start(AuditSettings settings) {
    if (!settings.enabled()) return OFF;
    AuditPolicy policy = settings.policyFile().isEmpty()
        ? AuditPolicyReader.defaultPolicy() : AuditPolicyReader.read(Path.of(settings.policyFile()));
    AuditLogWriter writer = AuditLogWriter.open(settings);
    return new AuditLog(policy, writer, Clock.systemUTC(), writer);
  }

  /** An audit log writing its events to a sink (tests). */
  static AuditLog of(AuditPolicy policy, Consumer<AuditEvent> sink, Clock clock) {
    return new AuditLog(policy, sink, clock, null);
  }

  public boolean enabled() {
    return sink != null;
  }

  /**
   * An authenticated request arrives: judged by the policy with the user who authenticated, its
   * RequestReceived event is written unless omitted, and the handle writes the rest.
   *
   * @param attributes the request's authorization attributes (their user is not read)
   * @param authenticated who authenticated; who the request runs as, if another, is told to the
   *     handle afterwards ({@link AuditedRequest#impersonated})
   * @param auditId the request's Audit-ID header, or null for a new one
   * @param requestUri the path and query as sent ({@code /api/v1/pods?limit=500})
   * @param sourceIps the client's addresses, see {@link SourceIps#of}
   * @param userAgent the User-Agent header, or null
   * @param received when the request arrived
   * @return {@link AuditedRequest#NONE} when nothing of it is logged
   */
  public AuditedRequest request(Attributes attributes, UserInfo authenticated, String auditId, String requestUri,
      List<String> sourceIps, String userAgent, Instant received) {
    if (sink == null) return AuditedRequest.NONE;
    AuditPolicy.Decision decision = policy.evaluate(withUser(attributes, authenticated));
    if (decision.level() == AuditPolicy.Level.NONE) return AuditedRequest.NONE;
    AuditedRequest request = new AuditedRequest(decision, sink, clock, idOf(auditId), requestUri, attributes.verb(),
        authenticated, sourceIps, truncated(userAgent), objectRef(attributes), received);
    request.received();
    return request;
  }

  /**
   * A request refused with 401: one ResponseStarted event with no user, as
   * WithFailedAuthenticationAudit writes it.
   *
   * @param attributes the request's attributes, their user null
   * @param message "Authentication failed, attempted: bearer, x509" or "Authentication failed, no
   *     credentials provided", see {@link #authenticationFailure}
   */
  public void authenticationFailed(Attributes attributes, String auditId, String requestUri, List<String> sourceIps,
      String userAgent, Instant received, String message) {
    if (sink == null) return;
    Attributes anonymous = withUser(attributes, null);
    AuditPolicy.Decision decision = policy.evaluate(anonymous);
    if (decision.level() == AuditPolicy.Level.NONE) return;
    new AuditedRequest(decision, sink, clock, idOf(auditId), requestUri, attributes.verb(), null, sourceIps,
        truncated(userAgent), objectRef(attributes), received).unauthenticated(401, message);
  }

  /**
   * The message of a failed authentication's event (authn_audit.go getAuthMethods): which kinds of
   * credential the request carried.
   */
  public static String authenticationFailure(boolean basic, boolean bearer, boolean accessTokenParameter, boolean x509) {
    List<String> methods = new ArrayList<>();
    if (basic) methods.add("basic");
    if (bearer) methods.add("bearer");
    if (accessTokenParameter) methods.add("access_token");
    if (x509) methods.add("x509");
    return methods.isEmpty() ? "Authentication failed, no credentials provided"
        : "Authentication failed, attempted: " + String.join(", ", methods);
  }

  /** Writes what is queued and stops the writer. */
  @Override
  public void close() throws Exception {
    if (resources != null) resources.close();
  }

  private static Attributes withUser(Attributes a, UserInfo user) {
    return a.user() == user ? a : new Attributes(user, a.verb(), a.resourceRequest(), a.apiGroup(), a.apiVersion(),
        a.resource(), a.subresource(), a.namespace(), a.name(), a.path());
  }

  private static ObjectRef objectRef(Attributes a) {
    return a.resourceRequest() ? new ObjectRef(a.resource(), a.namespace(), a.name(), "", a.apiGroup(), a.apiVersion(),
        "", a.subresource()) : null;
  }

  private static String idOf(String auditId) {
    return auditId == null || auditId.isEmpty() ? UUID.randomUUID().toString() : auditId;
  }

  private static String truncated(String userAgent) {
    if (userAgent == null) return "";
    return userAgent.length() > MAX_USER_AGENT ? userAgent.substring(0, MAX_USER_AGENT) + "...TRUNCATED" : userAgent;
  }
}
