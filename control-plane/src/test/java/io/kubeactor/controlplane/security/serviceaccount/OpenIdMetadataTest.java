package io.kubeactor.controlplane.security.serviceaccount;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.nimbusds.jose.JWSObject;
import com.nimbusds.jose.crypto.RSASSAVerifier;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.RSAKey;
import io.fabric8.kubernetes.api.model.ServiceAccountBuilder;
import io.kubeactor.common.Json;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

class OpenIdMetadataTest {

  private static final SigningKey KEY = SigningKey.generate();
  private static final String ISSUER = TokenSettings.DEFAULT_ISSUER;

  @Test
  void theConfigurationNamesTheIssuerTheKeysAndTheAlgorithm() {
    var metadata = OpenIdMetadata.of(ISSUER, "", "172.18.0.2:6443", List.of(KEY.publicKey()));

    assertThat(metadata.configurationJson()).isEqualTo("{\"issuer\":\"" + ISSUER + "\","
        + "\"jwks_uri\":\"https://172.18.0.2:6443/openid/v1/jwks\",\"response_types_supported\":[\"id_token\"],"
        + "\"subject_types_supported\":[\"public\"],\"id_token_signing_alg_values_supported\":[\"RS256\"]}");
  }

  @Test
  void aRelyingPartyVerifiesTheClustersTokensWithThePublishedKeys() throws Exception {
    var metadata = OpenIdMetadata.of(ISSUER, "https://issuer.example/keys", "", List.of(KEY.publicKey()));
    var account = new ServiceAccountBuilder().withNewMetadata().withNamespace("default").withName("builder")
        .withUid("u-1").endMetadata().build();
    String token = new TokenIssuer(ISSUER, KEY).generate(
        TokenClaims.of(account, null, null, null, 3600, 0, List.of("vault"), Instant.now()));

    JWKSet keys = JWKSet.parse(metadata.keySetJson());
    var jws = JWSObject.parse(token);
    RSAKey published = (RSAKey) keys.getKeyByKeyId(jws.getHeader().getKeyID());
    assertThat(jws.verify(new RSASSAVerifier(published))).isTrue();
    assertThat(Json.parse(metadata.keySetJson().getBytes()).get("keys").get(0).fieldNames())
        .toIterable().containsExactly("use", "kty", "kid", "alg", "n", "e");
    assertThat(Json.parse(metadata.configurationJson().getBytes()).get("jwks_uri").asText())
        .isEqualTo("https://issuer.example/keys");
  }

  @Test
  void anIssuerThatIsNotAnHttpsUrlGetsNoDocuments() {
    assertThatThrownBy(() -> OpenIdMetadata.of("http://kubernetes.default.svc", "", "127.0.0.1:6443", List.of(KEY.publicKey())))
        .hasMessage("issuer URL must use https scheme, got: http://kubernetes.default.svc");
    assertThatThrownBy(() -> OpenIdMetadata.of(ISSUER + "?a=b", "", "127.0.0.1:6443", List.of(KEY.publicKey())))
        .hasMessage("issuer URL may not include a query, got: " + ISSUER + "?a=b");
    assertThatThrownBy(() -> OpenIdMetadata.of(ISSUER, "", "", List.of(KEY.publicKey())))
        .hasMessage("either the JWKS URI or the default external address, or both, must be set");
  }
}
