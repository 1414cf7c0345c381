package io.kubeactor.controlplane.security.audit;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.kubeactor.common.Json;
import io.kubeactor.controlplane.security.audit.AuditEvent.ObjectRef;
import io.kubeactor.controlplane.security.audit.AuditPolicy.Level;
import io.kubeactor.controlplane.security.audit.AuditPolicy.Stage;
import io.kubeactor.controlplane.security.authentication.UserInfo;
import io.kubeactor.controlplane.security.authorization.Authorizer;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.Consumer;

/**
 * One request being audited, from {@link AuditLog#request}: the API server tells it the
 * authorization decision, for a watch or stream when its response starts, and finally the answer;
 * each stage the policy keeps becomes one event. {@link #NONE} (the policy says None, or auditing
 * is off) does nothing. Safe to call from whichever thread completes the request.
 */
public final class AuditedRequest {

  /** Annotations k8s.io/apiserver's authorization filter adds (endpoints/filters/authorization.go). */
  public static final String DECISION = "authorization.k8s.io/decision";
  public static final String REASON = "authorization.k8s.io/reason";

  /** The request nobody logs. */
  public static final AuditedRequest NONE = new AuditedRequest();

  /** The verbs whose request body upstream's handlers log (create, update, patch; delete's DeleteOptions). */
  private static final Set<String> BODY_VERBS = Set.of("create", "update", "patch", "delete", "deletecollection");

  /** The verbs whose handlers log a decoded object, whose metadata completes objectRef (LogRequestObject). */
  private static final Set<String> OBJECT_VERBS = Set.of("create", "update");

  private static final byte[] STATUS_PREFIX = "{\"kind\":\"Status\"".getBytes(StandardCharsets.US_ASCII);

  private final AuditPolicy.Decision policy;
  private final Consumer<AuditEvent> sink;
  private final Clock clock;
  private final String auditId;
  private final String requestUri;
  private final String verb;
  private final UserInfo user;
  private final List<String> sourceIps;
  private final String userAgent;
  private final Instant received;
  private final TreeMap<String, String> annotations = new TreeMap<>();
  private ObjectRef objectRef;
  private UserInfo impersonated;
  private byte[] requestBody;
  private ObjectNode responseStatus;
  private boolean started;
  private boolean completed;

  private AuditedRequest() {
    this(null, null, null, "", "", "", null, List.of(), "", null, Instant.EPOCH);
  }

  AuditedRequest(AuditPolicy.Decision policy, Consumer<AuditEvent> sink, Clock clock, String auditId, String requestUri,
      String verb, UserInfo user, List<String> sourceIps, String userAgent, ObjectRef objectRef, Instant received) {
    this.policy = policy;
    this.sink = sink;
    this.clock = clock;
    this.auditId = auditId;
    this.requestUri = requestUri;
    this.verb = verb;
    this.user = user;
    this.sourceIps = sourceIps;
    this.userAgent = userAgent;
    this.objectRef = objectRef;
    this.received = received;
  }

  /** Whether anything of this request is logged. */
  public boolean logged() {
    return sink != null;
  }

  /**
   * Whether its response body is logged (RequestResponse): the API server need not copy one that is
   * not. A Status is read from any response given to {@link #complete(int, byte[], byte[])}.
   */
  public boolean logsResponseBody() {
    return sink != null && policy.level().atLeast(Level.REQUEST_RESPONSE);
  }

  /** The request's body once read, for {@link #complete} when it is given none. Kept, not copied. */
  public synchronized void requestBody(byte[] body) {
    if (sink == null) return;
    this.requestBody = body;
  }

  /** The Audit-ID of its events ("" when none are written). */
  public String auditId() {
    return auditId;
  }

  /**
   * The request runs as another user (Impersonate-User and the like), recorded as impersonatedUser
   * from the next event on, as the impersonation filter does (LogImpersonatedUser).
   */
  public synchronized void impersonated(UserInfo as) {
    if (sink == null) return;
    impersonated = as;
  }

  /** The authorizers' verdict, as the decision and reason annotations ("allow" or "forbid"). */
  public void authorized(Authorizer.Decision decision) {
    annotate(DECISION, decision.allowed() ? "allow" : "forbid");
    annotate(REASON, decision.reason() == null ? "" : decision.reason());
  }

  /** An annotation on the events still to come; the first value given for a key stays, as upstream's. */
  public synchronized void annotate(String key, String value) {
    if (sink == null) return;
    annotations.putIfAbsent(key, value);
  }

  /**
   * For long-running requests (watch, log streams, exec): the response has started with this code,
   * written as the ResponseStarted stage.
   */
  public synchronized void started(int code) {
    if (sink == null || started || completed) return;
    started = true;
    responseStatus = status(code, null);
    emit(Stage.RESPONSE_STARTED, null, null);
  }

  /**
   * The request is answered: the ResponseComplete stage.
   *
   * @param code the HTTP status code sent
   * @param status the Status sent (for failures, and successes answered with one), or null
   * @param requestBody the request's body, or null for the one given to {@link #requestBody}; kept, not copied
   * @param responseBody the response's body, or null (a stream's); kept, not copied
   */
  public synchronized void complete(int code, ObjectNode status, byte[] requestBody, byte[] responseBody) {
    if (sink == null || completed) return;
    completed = true;
    if (!started) responseStatus = status(code, status);
    if (requestBody == null) requestBody = this.requestBody;
    boolean bodyLogged = requestBody != null && BODY_VERBS.contains(verb);
    if (bodyLogged && objectRef != null && OBJECT_VERBS.contains(verb)) objectRef = objectRef.completedFrom(requestBody);
    // only what the level logs stays referenced while the event waits for the writer
    boolean keepRequest = bodyLogged && policy.level().atLeast(Level.REQUEST);
    boolean keepResponse = responseBody != null && policy.level().atLeast(Level.REQUEST_RESPONSE);
    emit(Stage.RESPONSE_COMPLETE, keepRequest ? requestBody : null, keepResponse ? responseBody : null);
  }

  /**
   * As {@link #complete(int, ObjectNode, byte[], byte[])}, the Status taken from the response body
   * when it is one (it starts {@code {"kind":"Status"}, as the API server writes them).
   */
  public void complete(int code, byte[] requestBody, byte[] responseBody) {
    if (sink == null) return;
    complete(code, statusIn(responseBody), requestBody, responseBody);
  }

  /** The Status a body holds, or null; only a body that starts as a Status is parsed. */
  static ObjectNode statusIn(byte[] body) {
    if (body == null || body.length < STATUS_PREFIX.length
        || !Arrays.equals(body, 0, STATUS_PREFIX.length, STATUS_PREFIX, 0, STATUS_PREFIX.length)) {
      return null;
    }
    try {
      return Json.MAPPER.readTree(body) instanceof ObjectNode status ? status : null;
    } catch (IOException e) {
      return null;
    }
  }

  /** The first event, before anything has been decided. */
  void received() {
    emit(Stage.REQUEST_RECEIVED, null, null);
  }

  /** A request that failed authentication: upstream's WithFailedAuthenticationAudit writes only ResponseStarted. */
  void unauthenticated(int code, String message) {
    responseStatus = status(code, Json.object().put("message", message));
    emit(Stage.RESPONSE_STARTED, null, null);
  }

  private void emit(Stage stage, byte[] requestBody, byte[] responseBody) {
    if (!policy.logs(stage)) return;
    // RequestReceived is written at once, before impersonation and authorization have added to it
    sink.accept(new AuditEvent(policy.level(), auditId, stage, requestUri, verb, user, impersonated, sourceIps,
        userAgent, objectRef, responseStatus, requestBody, responseBody, policy.omitManagedFields(), received,
        stage == Stage.REQUEST_RECEIVED ? received : clock.instant(), annotations));
  }

  /** The Status part of an answer: the bounded fields of a Status sent (LogResponseObject), and the code. */
  private static ObjectNode status(int code, ObjectNode sent) {
    ObjectNode s = Json.object();
    s.putObject("metadata");
    if (sent != null) {
      for (String field : List.of("status", "message", "reason", "details")) {
        JsonNode v = sent.get(field);
        if (v != null && !v.isNull() && !(v.isTextual() && v.textValue().isEmpty())) s.set(field, v.deepCopy());
      }
    }
    s.put("code", code);
    return s;
  }
}
