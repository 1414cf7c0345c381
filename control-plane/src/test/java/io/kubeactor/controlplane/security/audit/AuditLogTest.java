package io.kubeactor.controlplane.security.audit;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.kubeactor.common.Json;
import io.kubeactor.controlplane.security.authentication.UserInfo;
import io.kubeactor.controlplane.security.authorization.Attributes;
import io.kubeactor.controlplane.security.authorization.Authorizer;
import io.kubeactor.controlplane.security.authorization.RequestAttributes;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The events kube-apiserver's audit filters and log backend write, line for line. */
class AuditLogTest {

  private static final UserInfo ADMIN = UserInfo.of("kubernetes-admin", "system:masters", "system:authenticated");
  private static final Instant RECEIVED = Instant.parse("2026-12-07T05:00:00.123456789Z");
  private static final Clock LATER = Clock.fixed(Instant.parse("2026-12-07T05:00:00.234567Z"), ZoneOffset.UTC);
  private static final String URI = "/api/v1/namespaces/default/configmaps?fieldManager=kubectl-create&fieldValidation=Strict";
  private static final String AGENT = "kubectl/v1.32.0 (linux/amd64) kubernetes/70d3cc9";
  private static final byte[] CREATE_BODY = """
      {"kind":"ConfigMap","apiVersion":"v1","metadata":{"name":"cm","namespace":"default","creationTimestamp":null},
       "data":{"a":"<b>"}}""".getBytes(StandardCharsets.UTF_8);
  private static final byte[] CREATED = """
      {"kind":"ConfigMap","apiVersion":"v1","metadata":{"name":"cm","namespace":"default","uid":"u-1",
       "resourceVersion":"42","creationTimestamp":"2026-12-07T05:00:00Z","managedFields":[{"manager":"kubectl-create"}]},
       "data":{"a":"<b>"}}""".getBytes(StandardCharsets.UTF_8);

  private final List<AuditEvent> events = new ArrayList<>();

  private AuditLog log(String rules) {
    return AuditLog.of(AuditPolicyReader.parse(("apiVersion: audit.k8s.io/v1\nkind: Policy\n" + rules)
        .getBytes(StandardCharsets.UTF_8)), events::add, LATER);
  }

  private static Attributes create(UserInfo user) {
    return RequestAttributes.of(user, "POST", "/api/v1/namespaces/default/configmaps", null, null);
  }

  /** A create answered 201, as the API server reports it. */
  private void createConfigMap(AuditLog log) {
    AuditedRequest r = log.request(create(ADMIN), ADMIN, "a1", URI, List.of("127.0.0.1"), AGENT, RECEIVED);
    r.authorized(Authorizer.Decision.allow(""));
    r.complete(201, null, CREATE_BODY, CREATED);
  }

  private List<String> lines() {
    return events.stream().map(e -> new String(e.toJsonLine(), StandardCharsets.UTF_8)).toList();
  }

  private static final String HEAD = "{\"kind\":\"Event\",\"apiVersion\":\"audit.k8s.io/v1\",\"level\":\"%s\",\"auditID\":"
      + "\"a1\",\"stage\":\"%s\",\"requestURI\":\"/api/v1/namespaces/default/configmaps?fieldManager=kubectl-create"
      + "\\u0026fieldValidation=Strict\",\"verb\":\"create\",\"user\":{\"username\":\"kubernetes-admin\",\"groups\":"
      + "[\"system:masters\",\"system:authenticated\"]},\"sourceIPs\":[\"127.0.0.1\"],\"userAgent\":\"kubectl/v1.32.0 "
      + "(linux/amd64) kubernetes/70d3cc9\",";
  private static final String RECEIVED_TAIL = "\"objectRef\":{\"resource\":\"configmaps\",\"namespace\":\"default\","
      + "\"apiVersion\":\"v1\"},\"requestReceivedTimestamp\":\"2026-12-07T05:00:00.123456Z\",\"stageTimestamp\":"
      + "\"2026-12-07T05:00:00.123456Z\"}\n";
  private static final String COMPLETE_REF = "\"objectRef\":{\"resource\":\"configmaps\",\"namespace\":\"default\","
      + "\"name\":\"cm\",\"apiVersion\":\"v1\"},\"responseStatus\":{\"metadata\":{},\"code\":201},";
  private static final String COMPLETE_TAIL = "\"requestReceivedTimestamp\":\"2026-12-07T05:00:00.123456Z\","
      + "\"stageTimestamp\":\"2026-12-07T05:00:00.234567Z\",\"annotations\":{\"authorization.k8s.io/decision\":\"allow\","
      + "\"authorization.k8s.io/reason\":\"\"}}\n";
  private static final String REQUEST_OBJECT = "\"requestObject\":{\"kind\":\"ConfigMap\",\"apiVersion\":\"v1\","
      + "\"metadata\":{\"name\":\"cm\",\"namespace\":\"default\",\"creationTimestamp\":null},\"data\":{\"a\":"
      + "\"\\u003cb\\u003e\"}},";

  @Test
  void aCreateAtMetadataNamesTheObjectWithoutItsBodies() {
    createConfigMap(log("rules:\n- level: Metadata\n"));

    assertThat(lines()).containsExactly(
        HEAD.formatted("Metadata", "RequestReceived") + RECEIVED_TAIL,
        HEAD.formatted("Metadata", "ResponseComplete") + COMPLETE_REF + COMPLETE_TAIL);
    // nothing of the bodies waits in the queue at this level
    assertThat(events.get(1).requestBody()).isNull();
    assertThat(events.get(1).responseBody()).isNull();
  }

  @Test
  void aCreateAtRequestCarriesTheRequestObject() {
    AuditLog log = log("rules:\n- level: Request\n");
    createConfigMap(log);
    // the same, the body handed over when it was read
    AuditedRequest r = log.request(create(ADMIN), ADMIN, "a1", URI, List.of("127.0.0.1"), AGENT, RECEIVED);
    r.requestBody(CREATE_BODY);
    r.authorized(Authorizer.Decision.allow(""));
    r.complete(201, null, CREATED);
    assertThat(r.logsResponseBody()).isFalse();
    assertThat(lines().subList(2, 4)).isEqualTo(lines().subList(0, 2));
    events.subList(2, 4).clear();

    assertThat(lines()).containsExactly(
        HEAD.formatted("Request", "RequestReceived") + RECEIVED_TAIL,
        HEAD.formatted("Request", "ResponseComplete") + COMPLETE_REF + REQUEST_OBJECT + COMPLETE_TAIL);
  }

  @Test
  void aCreateAtRequestResponseCarriesBothObjects() {
    createConfigMap(log("rules:\n- level: RequestResponse\n"));

    assertThat(lines()).containsExactly(
        HEAD.formatted("RequestResponse", "RequestReceived") + RECEIVED_TAIL,
        HEAD.formatted("RequestResponse", "ResponseComplete") + COMPLETE_REF + REQUEST_OBJECT
            + "\"responseObject\":{\"kind\":\"ConfigMap\",\"apiVersion\":\"v1\",\"metadata\":{\"name\":\"cm\","
            + "\"namespace\":\"default\",\"uid\":\"u-1\",\"resourceVersion\":\"42\",\"creationTimestamp\":"
            + "\"2026-12-07T05:00:00Z\",\"managedFields\":[{\"manager\":\"kubectl-create\"}]},\"data\":{\"a\":"
            + "\"\\u003cb\\u003e\"}}," + COMPLETE_TAIL);
  }

  @Test
  void omitManagedFieldsDropsThemFromTheBodies() {
    createConfigMap(log("omitManagedFields: true\nrules:\n- level: RequestResponse\n"));

    assertThat(lines().get(1)).contains("\"resourceVersion\":\"42\",\"creationTimestamp\":\"2026-12-07T05:00:00Z\"},")
        .doesNotContain("managedFields");
  }

  @Test
  void bodiesThatAreNoJsonObjectAreLeftOut() {
    AuditLog log = log("rules:\n- level: RequestResponse\n");
    byte[][] bodies = {new byte[0], {0x6b, 0x38, 0x73, 0x00, 0x0a}, "\"text\"".getBytes(StandardCharsets.UTF_8)};
    for (byte[] body : bodies) {
      log.request(create(ADMIN), ADMIN, "a1", URI, List.of(), AGENT, RECEIVED).complete(201, null, body, body);
    }
    byte[] yaml = "kind: ConfigMap\napiVersion: v1\nmetadata:\n  name: y\n".getBytes(StandardCharsets.UTF_8);
    log.request(create(ADMIN), ADMIN, "a1", URI, List.of(), AGENT, RECEIVED).complete(201, null, yaml, null);

    List<String> lines = lines();
    for (int i = 1; i < 6; i += 2) {
      assertThat(lines.get(i)).doesNotContain("requestObject").doesNotContain("responseObject");
    }
    assertThat(lines.get(7)).contains("\"name\":\"y\",\"apiVersion\":\"v1\"},")
        .contains("\"requestObject\":{\"kind\":\"ConfigMap\",\"apiVersion\":\"v1\",\"metadata\":{\"name\":\"y\"}},");
  }

  @Test
  void levelNoneWritesNothingAndCostsNoHandle() {
    AuditLog log = log("rules:\n- level: None\n  resources: [{group: \"\", resources: [configmaps]}]\n- level: Metadata\n");

    AuditedRequest r = log.request(create(ADMIN), ADMIN, null, URI, List.of(), AGENT, RECEIVED);
    r.authorized(Authorizer.Decision.allow(""));
    r.complete(201, null, CREATE_BODY, CREATED);

    assertThat(r).isSameAs(AuditedRequest.NONE);
    assertThat(r.logged()).isFalse();
    assertThat(events).isEmpty();
    assertThat(AuditLog.OFF.request(create(ADMIN), ADMIN, null, URI, List.of(), AGENT, RECEIVED))
        .isSameAs(AuditedRequest.NONE);
  }

  @Test
  void omittedStagesAreNotWritten() {
    createConfigMap(log("omitStages: [RequestReceived]\nrules:\n- level: Metadata\n"));
    assertThat(events).extracting(AuditEvent::stage).containsExactly(AuditPolicy.Stage.RESPONSE_COMPLETE);

    events.clear();
    createConfigMap(log("rules:\n- level: Metadata\n  omitStages: [ResponseComplete]\n"));
    assertThat(events).extracting(AuditEvent::stage).containsExactly(AuditPolicy.Stage.REQUEST_RECEIVED);
  }

  @Test
  void theAuthenticatedUserIsJudgedAndTheImpersonatedOneRecordedAfterReceipt() {
    AuditLog log = log("rules:\n- level: Metadata\n  users: [kubernetes-admin]\n");
    UserInfo jane = new UserInfo("jane", "", List.of("devs", "system:authenticated"), Map.of("scopes", List.of("b", "a"),
        "acme.com/project", List.of("x")));

    AuditedRequest r = log.request(create(jane), ADMIN, "a2", URI, List.of("10.0.0.1", "127.0.0.1"), AGENT, RECEIVED);
    r.impersonated(jane);
    r.authorized(Authorizer.Decision.deny("no RBAC policy matched"));
    ObjectNode forbidden = Json.object().put("kind", "Status").put("apiVersion", "v1");
    forbidden.putObject("metadata");
    forbidden.put("status", "Failure").put("message", "configmaps is forbidden: User \"jane\" cannot create resource "
        + "\"configmaps\" in API group \"\" in the namespace \"default\"").put("reason", "Forbidden");
    forbidden.putObject("details").put("kind", "configmaps");
    forbidden.put("code", 403);
    r.complete(403, forbidden, CREATE_BODY, null);

    List<String> lines = lines();
    assertThat(lines.get(0)).doesNotContain("impersonatedUser").doesNotContain("annotations");
    assertThat(lines.get(1)).contains("\"user\":{\"username\":\"kubernetes-admin\",\"groups\":[\"system:masters\","
        + "\"system:authenticated\"]},\"impersonatedUser\":{\"username\":\"jane\",\"groups\":[\"devs\","
        + "\"system:authenticated\"],\"extra\":{\"acme.com/project\":[\"x\"],\"scopes\":[\"b\",\"a\"]}},"
        + "\"sourceIPs\":[\"10.0.0.1\",\"127.0.0.1\"],")
        .contains("\"responseStatus\":{\"metadata\":{},\"status\":\"Failure\",\"message\":\"configmaps is forbidden: "
            + "User \\\"jane\\\" cannot create resource \\\"configmaps\\\" in API group \\\"\\\" in the namespace "
            + "\\\"default\\\"\",\"reason\":\"Forbidden\",\"details\":{\"kind\":\"configmaps\"},\"code\":403},")
        .endsWith("\"annotations\":{\"authorization.k8s.io/decision\":\"forbid\",\"authorization.k8s.io/reason\":"
            + "\"no RBAC policy matched\"}}\n");
  }

  @Test
  void aStatusInTheResponseBodyBecomesTheResponseStatus() {
    AuditLog log = log("rules:\n- level: Metadata\n");
    Attributes get = RequestAttributes.of(ADMIN, "GET", "/api/v1/namespaces/default/pods/web", null, null);
    byte[] notFound = ("{\"kind\":\"Status\",\"apiVersion\":\"v1\",\"metadata\":{},\"status\":\"Failure\","
        + "\"message\":\"pods \\\"web\\\" not found\",\"reason\":\"NotFound\",\"details\":{\"name\":\"web\","
        + "\"kind\":\"pods\"},\"code\":404}").getBytes(StandardCharsets.UTF_8);

    log.request(get, ADMIN, "g1", "/api/v1/namespaces/default/pods/web", List.of(), AGENT, RECEIVED)
        .complete(404, null, notFound);
    log.request(get, ADMIN, "g2", "/api/v1/namespaces/default/pods/web", List.of(), AGENT, RECEIVED)
        .complete(200, null, CREATED);

    assertThat(lines().get(1)).contains("\"responseStatus\":{\"metadata\":{},\"status\":\"Failure\",\"message\":"
        + "\"pods \\\"web\\\" not found\",\"reason\":\"NotFound\",\"details\":{\"name\":\"web\",\"kind\":\"pods\"},"
        + "\"code\":404},");
    assertThat(lines().get(3)).contains("\"responseStatus\":{\"metadata\":{},\"code\":200},");
  }

  @Test
  void aWatchIsLoggedWhenItsResponseStartsAndWhenItEnds() {
    AuditLog log = log("rules:\n- level: RequestResponse\n");
    Attributes watch = RequestAttributes.of(ADMIN, "GET", "/api/v1/namespaces/default/pods", "true", null);

    AuditedRequest r = log.request(watch, ADMIN, "w1", "/api/v1/namespaces/default/pods?watch=true", List.of(),
        AGENT, RECEIVED);
    r.authorized(Authorizer.Decision.allow(""));
    r.started(200);
    r.complete(200, null, null, null);

    assertThat(events).extracting(AuditEvent::stage).containsExactly(AuditPolicy.Stage.REQUEST_RECEIVED,
        AuditPolicy.Stage.RESPONSE_STARTED, AuditPolicy.Stage.RESPONSE_COMPLETE);
    assertThat(lines().get(1)).contains("\"verb\":\"watch\"").contains("\"responseStatus\":{\"metadata\":{},\"code\":200},"
        + "\"requestReceivedTimestamp\"");
  }

  @Test
  void aFailedAuthenticationIsOneResponseStartedEventWithoutUser() {
    AuditLog log = log("rules:\n- level: Metadata\n");
    Attributes attributes = RequestAttributes.of(null, "GET", "/api/v1/namespaces", null, null);

    log.authenticationFailed(attributes, "f1", "/api/v1/namespaces", List.of("127.0.0.1"), "curl/8.0", RECEIVED,
        AuditLog.authenticationFailure(false, true, false, false));

    assertThat(lines()).containsExactly("{\"kind\":\"Event\",\"apiVersion\":\"audit.k8s.io/v1\",\"level\":\"Metadata\","
        + "\"auditID\":\"f1\",\"stage\":\"ResponseStarted\",\"requestURI\":\"/api/v1/namespaces\",\"verb\":\"list\","
        + "\"user\":{},\"sourceIPs\":[\"127.0.0.1\"],\"userAgent\":\"curl/8.0\",\"objectRef\":{\"resource\":"
        + "\"namespaces\",\"apiVersion\":\"v1\"},\"responseStatus\":{\"metadata\":{},\"message\":\"Authentication "
        + "failed, attempted: bearer\",\"code\":401},\"requestReceivedTimestamp\":\"2026-12-07T05:00:00.123456Z\","
        + "\"stageTimestamp\":\"2026-12-07T05:00:00.234567Z\"}\n");
    assertThat(AuditLog.authenticationFailure(false, false, false, false))
        .isEqualTo("Authentication failed, no credentials provided");
  }

  @Test
  void aNewAuditIdIsMadeWhenTheClientSentNone() {
    AuditedRequest r = log("rules:\n- level: Metadata\n").request(create(ADMIN), ADMIN, null, URI, List.of(), null,
        RECEIVED);
    assertThat(r.auditId()).matches("[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[0-9a-f]{4}-[0-9a-f]{12}");
    assertThat(lines().get(0)).doesNotContain("userAgent");
  }

  @Test
  void theLogFileGetsOneLinePerEvent(@TempDir Path dir) throws Exception {
    Path file = dir.resolve("audit/audit.log");
    try (AuditLog log = AuditLog.start(new AuditSettings("", file.toString(), 1, 0, 100))) {
      assertThat(log.enabled()).isTrue();
      AuditedRequest r = log.request(create(ADMIN), ADMIN, "a1", URI, List.of("127.0.0.1"), AGENT, RECEIVED);
      r.authorized(Authorizer.Decision.allow(""));
      r.complete(201, null, CREATE_BODY, CREATED);
    }
    List<String> lines = Files.readAllLines(file);
    assertThat(lines).hasSize(2);
    assertThat(lines.get(0)).isEqualTo((HEAD.formatted("Metadata", "RequestReceived") + RECEIVED_TAIL).strip());
    assertThat(Json.MAPPER.readTree(lines.get(1)).path("stage").asText()).isEqualTo("ResponseComplete");
  }

  @Test
  void withoutALogPathAuditingIsOff() {
    assertThat(AuditLog.start(AuditSettings.OFF)).isSameAs(AuditLog.OFF);
  }
}
