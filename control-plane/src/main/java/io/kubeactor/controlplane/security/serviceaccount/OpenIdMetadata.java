package io.kubeactor.controlplane.security.serviceaccount;

import com.fasterxml.jackson.databind.node.ObjectNode;
import com.nimbusds.jose.jwk.Curve;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.RSAKey;
import io.kubeactor.common.Json;
import java.net.URI;
import java.net.URISyntaxException;
import java.security.PublicKey;
import java.security.interfaces.ECPublicKey;
import java.security.interfaces.RSAPublicKey;
import java.util.List;
import java.util.TreeSet;

/**
 * The ServiceAccount issuer discovery documents (pkg/serviceaccount/openidmetadata.go), rendered
 * once: {@value #CONFIGURATION_PATH} (issuer, jwks_uri, and what kinds of tokens are signed how) and
 * {@value #JWKS_PATH} (the public keys), for relying parties outside the cluster that verify its
 * tokens. Served with {@link #CONFIGURATION_CONTENT_TYPE} / {@link #JWKS_CONTENT_TYPE} and {@link
 * #CACHE_CONTROL}, as kube-apiserver's routes/openidmetadata.go serves them.
 */
public record OpenIdMetadata(String configurationJson, String keySetJson) {

  public static final String CONFIGURATION_PATH = "/.well-known/openid-configuration";
  public static final String JWKS_PATH = "/openid/v1/jwks";
  public static final String CONFIGURATION_CONTENT_TYPE = "application/json";
  public static final String JWKS_CONTENT_TYPE = "application/jwk-set+json";
  /** The keys may be cached for an hour (also how long a new key must be published before it signs). */
  public static final String CACHE_CONTROL = "public, max-age=3600";

  /**
   * @param issuerUrl --service-account-issuer, an https URL without query or fragment
   * @param jwksUri --service-account-jwks-uri, or empty to use https://{externalAddress}/openid/v1/jwks
   * @param externalAddress the API server's host:port as clients outside reach it
   * @throws IllegalArgumentException worded as upstream's errors; kube-apiserver then logs it and
   *     serves no discovery documents
   */
  public static OpenIdMetadata of(String issuerUrl, String jwksUri, String externalAddress, List<PublicKey> keys) {
    if (issuerUrl == null || issuerUrl.isEmpty()) throw new IllegalArgumentException("empty issuer URL");
    if ((jwksUri == null || jwksUri.isEmpty()) && (externalAddress == null || externalAddress.isEmpty())) {
      throw new IllegalArgumentException("either the JWKS URI or the default external address, or both, must be set");
    }
    if (keys.isEmpty()) throw new IllegalArgumentException("no keys provided for validating keyset");
    URI issuer = uri(issuerUrl);
    if (!"https".equals(issuer.getScheme())) throw new IllegalArgumentException("issuer URL must use https scheme, got: " + issuerUrl);
    if (issuer.getRawQuery() != null) throw new IllegalArgumentException("issuer URL may not include a query, got: " + issuerUrl);
    if (issuer.getRawFragment() != null) throw new IllegalArgumentException("issuer URL may not include a fragment, got: " + issuerUrl);
    String jwks;
    if (jwksUri == null || jwksUri.isEmpty()) {
      jwks = "https://" + externalAddress + JWKS_PATH;
      URI parsed = uri(jwks);
      if (!(externalAddress).equals(parsed.getRawAuthority()) || !JWKS_PATH.equals(parsed.getRawPath())) {
        throw new IllegalArgumentException("attempted to build jwks_uri from external address " + externalAddress
            + ", but could not construct a valid URL.");
      }
    } else {
      if (!"https".equals(uri(jwksUri).getScheme())) {
        throw new IllegalArgumentException("jwksURI requires https scheme, parsed as: " + jwksUri);
      }
      jwks = jwksUri;
    }

    var keySet = Json.object();
    var keyArray = keySet.putArray("keys");
    var algorithms = new TreeSet<String>();
    for (PublicKey key : keys) {
      keyArray.add(jwk(key));
      algorithms.add(SigningKey.algorithm(key).getName());
    }
    ObjectNode config = Json.object();
    config.put("issuer", issuerUrl);
    config.put("jwks_uri", jwks);
    config.putArray("response_types_supported").add("id_token");
    config.putArray("subject_types_supported").add("public");
    var algs = config.putArray("id_token_signing_alg_values_supported");
    algorithms.forEach(algs::add);
    return new OpenIdMetadata(Json.string(config), Json.string(keySet));
  }

  // A public JWK in go-jose's field order: use, kty, kid, crv, alg, then the key's numbers.
  private static ObjectNode jwk(PublicKey key) {
    ObjectNode out = Json.object();
    out.put("use", "sig");
    String alg = SigningKey.algorithm(key).getName();
    if (key instanceof RSAPublicKey rsa) {
      var jwk = new RSAKey.Builder(rsa).build();
      out.put("kty", "RSA");
      out.put("kid", SigningKey.keyId(key));
      out.put("alg", alg);
      out.put("n", jwk.getModulus().toString());
      out.put("e", jwk.getPublicExponent().toString());
    } else {
      var ec = (ECPublicKey) key;
      var jwk = new ECKey.Builder(Curve.forECParameterSpec(ec.getParams()), ec).build();
      out.put("kty", "EC");
      out.put("kid", SigningKey.keyId(key));
      out.put("crv", jwk.getCurve().getName());
      out.put("alg", alg);
      out.put("x", jwk.getX().toString());
      out.put("y", jwk.getY().toString());
    }
    return out;
  }

  private static URI uri(String text) {
    try {
      return new URI(text);
    } catch (URISyntaxException e) {
      throw new IllegalArgumentException(e.getMessage(), e);
    }
  }
}
