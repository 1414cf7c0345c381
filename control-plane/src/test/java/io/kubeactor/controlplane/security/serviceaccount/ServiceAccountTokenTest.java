package io.kubeactor.controlplane.security.serviceaccount;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.JWSObject;
import com.nimbusds.jose.Payload;
import com.nimbusds.jose.crypto.RSASSASigner;
import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.ServiceAccount;
import io.kubeactor.common.Json;
import io.kubeactor.common.Timestamps;
import io.kubeactor.controlplane.controller.nodelifecycle.MutableClock;
import io.kubeactor.controlplane.security.authentication.UserInfo;
import io.kubeactor.controlplane.security.serviceaccount.ServiceAccountTokenAuthenticator.Outcome;
import java.security.KeyPairGenerator;
import java.security.interfaces.RSAPrivateKey;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ServiceAccountTokenTest {

  private static final SigningKey KEY = SigningKey.generate();
  private static final String ISSUER = TokenSettings.DEFAULT_ISSUER;

  private final MutableClock clock = new MutableClock(Instant.parse("2026-12-07T10:00:00.400Z"));
  private final FakeCluster cluster = new FakeCluster();
  private final TokenIssuer issuer = new TokenIssuer(ISSUER, KEY);
  private final ServiceAccountTokenAuthenticator authenticator = new ServiceAccountTokenAuthenticator(
      List.of(ISSUER), List.of(KEY.publicKey()), List.of(ISSUER), cluster, clock);

  private final ServiceAccount account = cluster.addAccount("team-a", "builder");

  private String token(Pod pod, Node node, long seconds, List<String> audiences) {
    return issuer.generate(TokenClaims.of(account, pod, null, node, seconds, 0, audiences, clock.instant()));
  }

  private String token() {
    return token(null, null, 3600, List.of(ISSUER));
  }

  @Test
  void aTokenBoundToAPodOnANodeAuthenticatesItsAccountWithThePodAndNodeAsExtra() {
    Node node = cluster.addNode("kubeactor-m02");
    Pod pod = cluster.addPod("team-a", "web-0", "builder", "kubeactor-m02");
    String token = token(pod, node, 3600, List.of(ISSUER));
    String jti = payload(token).get("jti").asText();

    UserInfo user = authenticator.authenticate(token).user().orElseThrow();

    assertThat(user.name()).isEqualTo("system:serviceaccount:team-a:builder");
    assertThat(user.uid()).isEqualTo(account.getMetadata().getUid());
    assertThat(user.groups()).containsExactly("system:serviceaccounts", "system:serviceaccounts:team-a",
        "system:authenticated");
    assertThat(user.extra()).isEqualTo(Map.of(
        "authentication.kubernetes.io/pod-name", List.of("web-0"),
        "authentication.kubernetes.io/pod-uid", List.of(pod.getMetadata().getUid()),
        "authentication.kubernetes.io/node-name", List.of("kubeactor-m02"),
        "authentication.kubernetes.io/node-uid", List.of(node.getMetadata().getUid()),
        "authentication.kubernetes.io/credential-id", List.of("JTI=" + jti)));
  }

  @Test
  void theTokenCarriesUpstreamsClaimsAndHeader() {
    Node node = cluster.addNode("kubeactor-m02");
    Pod pod = cluster.addPod("team-a", "web-0", "builder", "kubeactor-m02");
    String token = token(pod, node, 3600, List.of(ISSUER));

    JsonNode header = Json.parse(Base64.getUrlDecoder().decode(token.split("\\.")[0]));
    assertThat(header).isEqualTo(Json.MAPPER.createObjectNode().put("alg", "RS256").put("kid", KEY.keyId()));
    JsonNode claims = payload(token);
    long now = Instant.parse("2026-12-07T10:00:00Z").getEpochSecond();
    // sorted keys at every level and "aud" an array, as go-jose writes them
    assertThat(Json.string(claims)).isEqualTo("{\"aud\":[\"" + ISSUER + "\"],\"exp\":" + (now + 3600) + ",\"iat\":" + now
        + ",\"iss\":\"" + ISSUER + "\",\"jti\":\"" + claims.get("jti").asText() + "\",\"kubernetes.io\":{"
        + "\"namespace\":\"team-a\",\"node\":{\"name\":\"kubeactor-m02\",\"uid\":\"" + node.getMetadata().getUid() + "\"},"
        + "\"pod\":{\"name\":\"web-0\",\"uid\":\"" + pod.getMetadata().getUid() + "\"},"
        + "\"serviceaccount\":{\"name\":\"builder\",\"uid\":\"" + account.getMetadata().getUid() + "\"}},"
        + "\"nbf\":" + now + ",\"sub\":\"system:serviceaccount:team-a:builder\"}");
    assertThat(claims.get("jti").asText()).matches("[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}");
  }

  @Test
  void aTokenSignedByAnotherKeyIsRefusedEvenUnderOurKeyId() throws Exception {
    var generator = KeyPairGenerator.getInstance("RSA");
    generator.initialize(2048);
    var otherKey = (RSAPrivateKey) generator.generateKeyPair().getPrivate();
    String genuine = token();
    var forged = new JWSObject(new JWSHeader.Builder(JWSAlgorithm.RS256).keyID(KEY.keyId()).build(),
        new Payload(Base64.getUrlDecoder().decode(genuine.split("\\.")[1])));
    forged.sign(new RSASSASigner(otherKey));

    assertThat(authenticator.authenticate(forged.serialize()).user()).isEmpty();
    assertThat(authenticator.authenticate(forged.serialize(), List.of())).isInstanceOf(Outcome.Refused.class);
  }

  @Test
  void aTokenWhosePayloadWasChangedAfterSigningIsRefused() {
    String[] parts = token().split("\\.");
    String payload = new String(Base64.getUrlDecoder().decode(parts[1]))
        .replace("system:serviceaccount:team-a:builder", "system:serviceaccount:team-a:admin");
    String tampered = parts[0] + "." + Base64.getUrlEncoder().withoutPadding().encodeToString(payload.getBytes()) + "." + parts[2];

    assertThat(authenticator.authenticate(tampered, List.of())).isInstanceOf(Outcome.Refused.class);
  }

  @Test
  void aTokenNamingAnUnknownKeyIdIsRefused() {
    var unknownKid = new TokenIssuer(ISSUER, SigningKey.generate()).generate(
        TokenClaims.of(account, null, null, null, 3600, 0, List.of(ISSUER), clock.instant()));

    assertThat(authenticator.authenticate(unknownKid, List.of()))
        .isEqualTo(new Outcome.Refused("invalid signature, no keys found"));
  }

  @Test
  void aTokenIsAcceptedUntilAMinuteAfterItsExpiryAndRefusedAfterwards() {
    String token = token(null, null, 600, List.of(ISSUER));

    clock.advance(Duration.ofSeconds(600 + 59));
    assertThat(authenticator.authenticate(token).user()).isPresent();
    clock.advance(Duration.ofSeconds(2));
    assertThat(authenticator.authenticate(token, List.of()))
        .isEqualTo(new Outcome.Refused("service account token has expired"));
  }

  @Test
  void aTokenNotYetValidIsRefusedBeyondAMinutesSkew() {
    String token = token();

    clock.advance(Duration.ofSeconds(-61));
    assertThat(authenticator.authenticate(token, List.of()))
        .isEqualTo(new Outcome.Refused("service account token is not valid yet"));
  }

  @Test
  void aTokenForAnotherAudienceIsRefusedByTheApiServerButAcceptedForItsOwnAudience() {
    String token = token(null, null, 3600, List.of("vault"));

    assertThat(authenticator.authenticate(token).user()).isEmpty();
    assertThat(authenticator.authenticate(token, List.of()))
        .isEqualTo(new Outcome.Refused("token audiences [\"vault\"] is invalid for the target audiences [\"" + ISSUER + "\"]"));
    assertThat(authenticator.authenticate(token, List.of("vault", "other")))
        .isInstanceOfSatisfying(Outcome.Authenticated.class, ok -> assertThat(ok.audiences()).containsExactly("vault"));
  }

  @Test
  void theTokenOfADeletedServiceAccountIsRefused() {
    String token = token();
    cluster.remove(account);

    assertThat(authenticator.authenticate(token).user()).isEmpty();
  }

  @Test
  void theTokenOfAServiceAccountRecreatedUnderTheSameNameIsRefused() {
    String token = token();
    cluster.remove(account);
    ServiceAccount recreated = cluster.addAccount("team-a", "builder");

    assertThat(authenticator.authenticate(token, List.of())).isEqualTo(new Outcome.Refused(
        "service account UID (" + recreated.getMetadata().getUid() + ") does not match claim ("
            + account.getMetadata().getUid() + ")"));
  }

  @Test
  void aServiceAccountBeingDeletedKeepsItsTokensForTheLeewayOnly() {
    String token = token();
    account.getMetadata().setDeletionTimestamp(Timestamps.format(clock.instant()));

    assertThat(authenticator.authenticate(token).user()).isPresent();
    clock.advance(Duration.ofSeconds(61));
    assertThat(authenticator.authenticate(token, List.of()))
        .isEqualTo(new Outcome.Refused("service account team-a/builder has been deleted"));
  }

  @Test
  void theTokenOfADeletedOrReplacedPodIsRefused() {
    Pod pod = cluster.addPod("team-a", "web-0", "builder", "");
    String token = token(pod, null, 3600, List.of(ISSUER));
    assertThat(authenticator.authenticate(token).user()).isPresent();

    cluster.remove(pod);
    assertThat(authenticator.authenticate(token, List.of()))
        .isEqualTo(new Outcome.Refused("service account token has been invalidated"));

    Pod replacement = cluster.addPod("team-a", "web-0", "builder", "");
    assertThat(authenticator.authenticate(token, List.of())).isEqualTo(new Outcome.Refused(
        "pod UID (" + replacement.getMetadata().getUid() + ") does not match service account pod ref claim ("
            + pod.getMetadata().getUid() + ")"));
  }

  @Test
  void aPodBoundTokenOnlyNamesItsNodeWhileANodeBoundTokenNeedsTheNode() {
    Node node = cluster.addNode("kubeactor-m02");
    Pod pod = cluster.addPod("team-a", "web-0", "builder", "kubeactor-m02");
    String podToken = token(pod, node, 3600, List.of(ISSUER));
    String nodeToken = token(null, node, 3600, List.of(ISSUER));

    cluster.remove(node);

    assertThat(authenticator.authenticate(podToken).user()).isPresent();
    assertThat(authenticator.authenticate(nodeToken, List.of()))
        .isEqualTo(new Outcome.Refused("service account token has been invalidated"));
  }

  @Test
  void theTokenOfADeletedSecretIsRefused() {
    var secret = cluster.addSecret("team-a", "builder-token");
    String token = issuer.generate(TokenClaims.of(account, null, secret, null, 3600, 0, List.of(ISSUER), clock.instant()));
    assertThat(authenticator.authenticate(token).user().orElseThrow().extra()).containsOnlyKeys(
        "authentication.kubernetes.io/credential-id");

    cluster.remove(secret);
    assertThat(authenticator.authenticate(token).user()).isEmpty();
  }

  @Test
  void tokensOfOtherIssuersAndOtherCredentialsAreLeftToOtherAuthenticators() {
    String otherIssuer = new TokenIssuer("https://oidc.example", KEY).generate(
        TokenClaims.of(account, null, null, null, 3600, 0, List.of(ISSUER), clock.instant()));

    assertThat(authenticator.authenticate(otherIssuer, List.of())).isEqualTo(new Outcome.NotOurs());
    assertThat(authenticator.authenticate("abcdefghijklmnopqrstuvwxyz0123456789", List.of())).isEqualTo(new Outcome.NotOurs());
    assertThat(authenticator.authenticate("a.b.c", List.of())).isEqualTo(new Outcome.NotOurs());
    assertThat(authenticator.authenticate("", List.of())).isEqualTo(new Outcome.NotOurs());
  }

  @Test
  void anUnsignedTokenIsNeverAccepted() {
    String[] parts = token().split("\\.");
    String none = Base64.getUrlEncoder().withoutPadding().encodeToString("{\"alg\":\"none\"}".getBytes());

    assertThat(authenticator.authenticate(none + "." + parts[1] + ".").user()).isEmpty();
    assertThat(authenticator.authenticate(none + "." + parts[1] + "." + parts[2]).user()).isEmpty();
  }

  @Test
  void anHmacTokenKeyedWithThePublicKeyIsRefused() throws Exception {
    // the classic algorithm confusion: HS256 "signed" with the published public key as the secret
    var confused = new JWSObject(new JWSHeader.Builder(JWSAlgorithm.HS256).keyID(KEY.keyId()).build(),
        new Payload(Base64.getUrlDecoder().decode(token().split("\\.")[1])));
    confused.sign(new com.nimbusds.jose.crypto.MACSigner(java.util.Arrays.copyOf(KEY.publicKey().getEncoded(), 64)));

    assertThat(authenticator.authenticate(confused.serialize(), List.of())).isInstanceOf(Outcome.Refused.class);
  }

  @Test
  void aSignedTokenWithMistypedClaimsIsRefused() throws Exception {
    var jws = new JWSObject(new JWSHeader.Builder(JWSAlgorithm.RS256).keyID(KEY.keyId()).build(),
        new Payload("{\"iss\":\"" + ISSUER + "\",\"aud\":[\"" + ISSUER + "\"],\"exp\":\"soon\"}"));
    jws.sign(KEY.signer());

    assertThat(authenticator.authenticate(jws.serialize(), List.of()))
        .isEqualTo(new Outcome.Refused("the exp claim is not a number"));
  }

  private static JsonNode payload(String token) {
    return Json.parse(Base64.getUrlDecoder().decode(token.split("\\.")[1]));
  }
}
