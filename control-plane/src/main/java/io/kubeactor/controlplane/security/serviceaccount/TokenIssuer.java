package io.kubeactor.controlplane.security.serviceaccount;

import com.fasterxml.jackson.databind.node.ObjectNode;
import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.JWSObject;
import com.nimbusds.jose.JWSSigner;
import com.nimbusds.jose.Payload;
import io.fabric8.kubernetes.api.model.ServiceAccount;
import io.kubeactor.common.Json;
import java.time.Instant;

/**
 * Signs ServiceAccount tokens (pkg/serviceaccount/jwt.go jwtTokenGenerator): compact JWS with a
 * header of only "alg" and "kid", and a payload laid out as go-jose writes it (keys sorted at every
 * level, "aud" always an array) so that a token reads exactly as kube-apiserver's.
 */
public final class TokenIssuer {

  private final String issuer;
  private final SigningKey key;
  private final JWSSigner signer;

  public TokenIssuer(String issuer, SigningKey key) {
    this.issuer = issuer;
    this.key = key;
    this.signer = key.signer();
  }

  public String issuer() {
    return issuer;
  }

  public String generate(TokenClaims claims) {
    return sign(payload(claims));
  }

  /**
   * A legacy token for a kubernetes.io/service-account-token Secret (legacy.go LegacyClaims, signed
   * as the tokens controller signs it): issuer {@value LegacyTokens#ISSUER}, no audience, no expiry,
   * valid while the Secret holds it and the account lives.
   */
  public static String generateLegacy(SigningKey key, ServiceAccount account, String secretName) {
    String namespace = account.getMetadata().getNamespace();
    ObjectNode p = Json.object();
    p.put("iss", LegacyTokens.ISSUER);
    p.put(LegacyTokens.NAMESPACE_CLAIM, namespace);
    p.put(LegacyTokens.SECRET_NAME_CLAIM, secretName);
    p.put(LegacyTokens.SERVICE_ACCOUNT_NAME_CLAIM, account.getMetadata().getName());
    p.put(LegacyTokens.SERVICE_ACCOUNT_UID_CLAIM, account.getMetadata().getUid());
    p.put("sub", ServiceAccountInfo.username(namespace, account.getMetadata().getName()));
    return new TokenIssuer(LegacyTokens.ISSUER, key).sign(p);
  }

  private String sign(ObjectNode payload) {
    var header = new JWSHeader.Builder(key.algorithm()).keyID(key.keyId()).build();
    var jws = new JWSObject(header, new Payload(Json.string(payload)));
    try {
      jws.sign(signer);
    } catch (JOSEException e) {
      throw new IllegalStateException("failed to generate token: " + e.getMessage(), e);
    }
    return jws.serialize();
  }

  private ObjectNode payload(TokenClaims c) {
    ObjectNode p = Json.object();
    var aud = p.putArray("aud");
    c.audiences().forEach(aud::add);
    p.put("exp", seconds(c.expiry()));
    p.put("iat", seconds(c.issuedAt()));
    p.put("iss", issuer);
    p.put("jti", c.id());
    ObjectNode k8s = p.putObject("kubernetes.io");
    k8s.put("namespace", c.namespace());
    ref(k8s, "node", c.node());
    ref(k8s, "pod", c.pod());
    ref(k8s, "secret", c.secret());
    ref(k8s, "serviceaccount", c.serviceAccount());
    if (c.warnAfter() != null) k8s.put("warnafter", seconds(c.warnAfter()));
    p.put("nbf", seconds(c.notBefore()));
    p.put("sub", c.subject());
    return p;
  }

  // Go's omitempty: a ref's empty name or uid is left out.
  private static void ref(ObjectNode into, String field, TokenClaims.Ref ref) {
    if (ref == null) return;
    ObjectNode r = into.putObject(field);
    if (!ref.name().isEmpty()) r.put("name", ref.name());
    if (!ref.uid().isEmpty()) r.put("uid", ref.uid());
  }

  private static long seconds(Instant t) {
    return t.getEpochSecond();
  }
}
