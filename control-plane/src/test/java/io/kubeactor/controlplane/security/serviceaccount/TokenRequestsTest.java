package io.kubeactor.controlplane.security.serviceaccount;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.ServiceAccount;
import io.kubeactor.common.Json;
import io.kubeactor.controlplane.api.ApiException;
import io.kubeactor.controlplane.controller.nodelifecycle.MutableClock;
import java.time.Instant;
import java.util.Base64;
import java.util.List;
import org.assertj.core.api.ThrowableAssert.ThrowingCallable;
import org.junit.jupiter.api.Test;

class TokenRequestsTest {

  private static final SigningKey KEY = SigningKey.generate();
  private static final String ISSUER = TokenSettings.DEFAULT_ISSUER;
  private static final Instant NOW = Instant.parse("2026-12-07T10:00:00Z");

  private final MutableClock clock = new MutableClock(NOW);
  private final FakeCluster cluster = new FakeCluster();
  private final ServiceAccount account = cluster.addAccount("default", "builder");
  private final TokenRequests requests = requests(TokenSettings.defaults());
  private final ServiceAccountTokenAuthenticator authenticator = new ServiceAccountTokenAuthenticator(
      List.of(ISSUER), List.of(KEY.publicKey()), List.of(ISSUER), cluster, clock);

  private TokenRequests requests(TokenSettings settings) {
    return new TokenRequests(new TokenIssuer(settings.issuer(), KEY), settings, cluster, clock);
  }

  @Test
  void kubectlCreateTokenGetsAnHourLongTokenForTheApiServer() {
    TokenRequests.Response response = requests.create("default", "builder", body("{}"));

    ObjectNode answer = response.tokenRequest();
    String token = answer.path("status").path("token").asText();
    ((ObjectNode) answer.get("status")).put("token", "T");
    assertThat(Json.string(answer)).isEqualTo(Json.string(body("""
        {"kind": "TokenRequest", "apiVersion": "authentication.k8s.io/v1",
         "metadata": {"name": "builder", "namespace": "default", "creationTimestamp": "2026-12-07T10:00:00Z"},
         "spec": {"audiences": ["https://kubernetes.default.svc.cluster.local"], "expirationSeconds": 3600},
         "status": {"token": "T", "expirationTimestamp": "2026-12-07T11:00:00Z"}}""")));
    assertThat(response.warnings()).isEmpty();
    assertThat(authenticator.authenticate(token).user().orElseThrow().name()).isEqualTo("system:serviceaccount:default:builder");
    assertThat(claims(token).get("exp").asLong()).isEqualTo(NOW.getEpochSecond() + 3600);
  }

  @Test
  void theDurationAndAudienceAskedForAreTheTokens() {
    String token = requests.create("default", "builder",
        body("{\"spec\": {\"audiences\": [\"vault\"], \"expirationSeconds\": 86400}}")).tokenRequest()
        .path("status").path("token").asText();

    JsonNode claims = claims(token);
    assertThat(claims.get("aud")).isEqualTo(body("[\"vault\"]"));
    assertThat(claims.get("exp").asLong() - claims.get("iat").asLong()).isEqualTo(86400);
    assertThat(claims.get("kubernetes.io").has("pod")).isFalse();
  }

  @Test
  void lessThanTenMinutesIsInvalid() {
    assertRefused(() -> requests.create("default", "builder", body("{\"spec\": {\"expirationSeconds\": 60}}")), 422,
        "TokenRequest.authentication.k8s.io \"\" is invalid: spec.expirationSeconds: Invalid value: 60: "
            + "may not specify a duration less than 10 minutes");
  }

  @Test
  void moreThanTwoToTheThirtyTwoSecondsIsInvalid() {
    assertRefused(() -> requests.create("default", "builder", body("{\"spec\": {\"expirationSeconds\": 4294967297}}")), 422,
        "TokenRequest.authentication.k8s.io \"\" is invalid: spec.expirationSeconds: Invalid value: 4294967297: "
            + "may not specify a duration larger than 2^32 seconds");
  }

  @Test
  void aMissingServiceAccountIsNotFound() {
    assertRefused(() -> requests.create("default", "nobody", body("{}")), 404, "serviceaccounts \"nobody\" not found");
  }

  @Test
  void theBodysNameAndNamespaceMustBeTheUrls() {
    assertRefused(() -> requests.create("default", "builder", body("{\"metadata\": {\"name\": \"other\"}}")), 422,
        "TokenRequest.authentication.k8s.io \"builder\" is invalid: metadata.name: Invalid value: \"other\": "
            + "must match the service account name if specified");
    assertRefused(() -> requests.create("default", "builder", body("{\"metadata\": {\"namespace\": \"kube-system\"}}")),
        422, "TokenRequest.authentication.k8s.io \"builder\" is invalid: metadata.namespace: Invalid value: "
            + "\"kube-system\": must match the service account namespace if specified");
  }

  @Test
  void aPodsProjectedTokenLivesAYearAndWarnsAfterTheHourItAskedFor() {
    Node node = cluster.addNode("kubeactor-m02");
    Pod pod = cluster.addPod("default", "web-0", "builder", "kubeactor-m02");

    ObjectNode answer = requests.create("default", "builder", body("{\"spec\": {\"expirationSeconds\": 3607, "
        + "\"boundObjectRef\": {\"kind\": \"Pod\", \"apiVersion\": \"v1\", \"name\": \"web-0\", \"uid\": \""
        + pod.getMetadata().getUid() + "\"}}}")).tokenRequest();

    assertThat(answer.path("status").path("expirationTimestamp").asText()).isEqualTo("2026-12-07T11:00:07Z");
    assertThat(answer.path("spec").path("boundObjectRef").path("name").asText()).isEqualTo("web-0");
    JsonNode claims = claims(answer.path("status").path("token").asText());
    assertThat(claims.get("exp").asLong()).isEqualTo(NOW.getEpochSecond() + 365L * 24 * 3600);
    JsonNode k8s = claims.get("kubernetes.io");
    assertThat(k8s.get("warnafter").asLong()).isEqualTo(NOW.getEpochSecond() + 3607);
    assertThat(k8s.get("pod")).isEqualTo(body("{\"name\": \"web-0\", \"uid\": \"" + pod.getMetadata().getUid() + "\"}"));
    assertThat(k8s.get("node")).isEqualTo(body("{\"name\": \"kubeactor-m02\", \"uid\": \"" + node.getMetadata().getUid() + "\"}"));
  }

  @Test
  void theExtensionIsOnlyForTokensMeantForTheApiServer() {
    cluster.addPod("default", "web-0", "builder", "");

    JsonNode claims = claims(requests.create("default", "builder", body("{\"spec\": {\"expirationSeconds\": 3607, "
        + "\"audiences\": [\"vault\"], \"boundObjectRef\": {\"kind\": \"Pod\", \"apiVersion\": \"v1\", \"name\": \"web-0\"}}}"))
        .tokenRequest().path("status").path("token").asText());

    assertThat(claims.get("exp").asLong()).isEqualTo(NOW.getEpochSecond() + 3607);
    assertThat(claims.get("kubernetes.io").has("warnafter")).isFalse();
  }

  @Test
  void aPodOnANodeThatCannotBeReadNamesTheNodeWithoutUid() {
    cluster.addPod("default", "web-0", "builder", "gone-node");

    JsonNode claims = claims(requests.create("default", "builder", body(
        "{\"spec\": {\"boundObjectRef\": {\"kind\": \"Pod\", \"apiVersion\": \"v1\", \"name\": \"web-0\"}}}"))
        .tokenRequest().path("status").path("token").asText());

    assertThat(claims.get("kubernetes.io").get("node")).isEqualTo(body("{\"name\": \"gone-node\"}"));
  }

  @Test
  void aPodRunningAsAnotherAccountCannotBeBound() {
    cluster.addPod("default", "web-0", "default", "");

    assertRefused(() -> requests.create("default", "builder", body(
        "{\"spec\": {\"boundObjectRef\": {\"kind\": \"Pod\", \"apiVersion\": \"v1\", \"name\": \"web-0\"}}}")), 400,
        "cannot bind token for serviceaccount \"builder\" to pod running with different serviceaccount name.");
  }

  @Test
  void aBoundObjectMustExistAndBeOfABindableKind() {
    assertRefused(() -> requests.create("default", "builder", body(
        "{\"spec\": {\"boundObjectRef\": {\"kind\": \"Pod\", \"apiVersion\": \"v1\", \"name\": \"web-0\"}}}")), 404,
        "pods \"web-0\" not found");
    assertRefused(() -> requests.create("default", "builder", body(
        "{\"spec\": {\"boundObjectRef\": {\"kind\": \"Secret\", \"apiVersion\": \"v1\", \"name\": \"s\"}}}")), 404,
        "secrets \"s\" not found");
    assertRefused(() -> requests.create("default", "builder", body(
        "{\"spec\": {\"boundObjectRef\": {\"kind\": \"ConfigMap\", \"apiVersion\": \"v1\", \"name\": \"c\"}}}")), 400,
        "cannot bind token to object of type /v1, Kind=ConfigMap");
    assertRefused(() -> requests.create("default", "builder", body(
        "{\"spec\": {\"boundObjectRef\": {\"kind\": \"Deployment\", \"apiVersion\": \"apps/v1\", \"name\": \"d\"}}}")), 400,
        "cannot bind token to object of type apps/v1, Kind=Deployment");
  }

  @Test
  void aBoundObjectOfAnotherUidIsAConflict() {
    cluster.addSecret("default", "builder-token");

    assertRefused(() -> requests.create("default", "builder", body("{\"spec\": {\"boundObjectRef\": {\"kind\": \"Secret\", "
        + "\"apiVersion\": \"v1\", \"name\": \"builder-token\", \"uid\": \"0000\"}}}")), 409,
        "Operation cannot be fulfilled on Secret \"builder-token\": the UID in the bound object reference (0000) does not "
            + "match the UID in record. The object might have been deleted and then recreated");
  }

  @Test
  void aSecretBoundTokenNamesTheSecret() {
    var secret = cluster.addSecret("default", "builder-token");

    JsonNode claims = claims(requests.create("default", "builder", body("{\"spec\": {\"boundObjectRef\": {\"kind\": "
        + "\"Secret\", \"apiVersion\": \"v1\", \"name\": \"builder-token\"}}}")).tokenRequest().path("status").path("token").asText());

    assertThat(claims.get("kubernetes.io").get("secret").get("uid").asText()).isEqualTo(secret.getMetadata().getUid());
  }

  @Test
  void theServersMaximumShortensLongerRequestsWithAWarning() {
    TokenRequests limited = requests(new TokenSettings(ISSUER, List.of(), 7200, true));

    TokenRequests.Response response = limited.create("default", "builder", body("{\"spec\": {\"expirationSeconds\": 86400}}"));

    assertThat(response.warnings()).containsExactly("requested expiration of 86400 seconds shortened to 7200 seconds");
    assertThat(response.tokenRequest().path("spec").path("expirationSeconds").asLong()).isEqualTo(7200);
    assertThat(response.tokenRequest().path("status").path("expirationTimestamp").asText()).isEqualTo("2026-12-07T12:00:00Z");
  }

  @Test
  void aRequestWithoutNamespaceIsABadRequest() {
    assertRefused(() -> requests.create("", "builder", body("{}")), 400, "namespace is required");
  }

  private static void assertRefused(ThrowingCallable call, int code, String message) {
    assertThatThrownBy(call).isInstanceOfSatisfying(ApiException.class, e -> {
      assertThat(e.code).isEqualTo(code);
      assertThat(e.getMessage()).isEqualTo(message);
    });
  }

  private static JsonNode body(String json) {
    return Json.parse(json.getBytes());
  }

  private static JsonNode claims(String token) {
    return Json.parse(Base64.getUrlDecoder().decode(token.split("\\.")[1]));
  }
}
