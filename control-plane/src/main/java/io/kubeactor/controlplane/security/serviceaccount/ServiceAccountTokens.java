package io.kubeactor.controlplane.security.serviceaccount;

import java.nio.file.Path;
import java.time.Clock;
import java.util.List;

/**
 * Everything the API server does with ServiceAccount tokens, built from the data directory's signing
 * key, the token flags and the reads of bound objects: the authenticator for the bearer-token chain,
 * the {@code serviceaccounts/token} subresource, and the OIDC discovery documents.
 */
public final class ServiceAccountTokens {

  private final SigningKey key;
  private final TokenSettings settings;
  private final TokenIssuer issuer;
  private final ServiceAccountTokenAuthenticator authenticator;
  private final TokenRequests tokenRequests;

  public ServiceAccountTokens(SigningKey key, TokenSettings settings, BoundObjects objects, Clock clock) {
    this.key = key;
    this.settings = settings;
    this.issuer = new TokenIssuer(settings.issuer(), key);
    this.authenticator = new ServiceAccountTokenAuthenticator(List.of(settings.issuer()), List.of(key.publicKey()),
        settings.apiAudiences(), objects, clock);
    this.tokenRequests = new TokenRequests(issuer, settings, objects, clock);
  }

  /** With {@code <dataDir>/pki/sa.key}, created on first start. */
  public static ServiceAccountTokens loadOrCreate(Path dataDir, TokenSettings settings, BoundObjects objects, Clock clock) {
    return new ServiceAccountTokens(SigningKey.loadOrCreate(dataDir), settings, objects, clock);
  }

  /** {@code authenticate(bearerToken)} for the authentication chain; {@code authenticate(token, audiences)} for TokenReview. */
  public ServiceAccountTokenAuthenticator authenticator() {
    return authenticator;
  }

  /** POST serviceaccounts/NAME/token. */
  public TokenRequests tokenRequests() {
    return tokenRequests;
  }

  /** The key, for the serviceaccount-token controller that signs Secret-based tokens with it. */
  public SigningKey signingKey() {
    return key;
  }

  public TokenIssuer issuer() {
    return issuer;
  }

  public TokenSettings settings() {
    return settings;
  }

  /**
   * The discovery documents, with jwks_uri at {@code https://externalAddress/openid/v1/jwks}.
   *
   * @throws IllegalArgumentException when the issuer is no https URL: kube-apiserver then logs the
   *     reason and serves no discovery documents
   */
  public OpenIdMetadata openIdMetadata(String externalAddress) {
    return OpenIdMetadata.of(settings.issuer(), "", externalAddress, List.of(key.publicKey()));
  }
}
