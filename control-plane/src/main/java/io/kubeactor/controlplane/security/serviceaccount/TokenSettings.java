package io.kubeactor.controlplane.security.serviceaccount;

import java.util.List;

/**
 * kube-apiserver's ServiceAccount token flags.
 *
 * @param issuer --service-account-issuer: the "iss" of issued tokens, and the OIDC issuer
 * @param apiAudiences --api-audiences: the audiences the API server accepts and issues by default
 *     (the issuer when not set)
 * @param maxExpirationSeconds --service-account-max-token-expiration in seconds; 0 for no maximum
 * @param extendExpiration --service-account-extend-token-expiration: a pod's projected token (asked
 *     for 3607 s) lives a year, with a warnafter at the asked lifetime, so that clients that do not
 *     reload their token keep working while the cluster reports them
 */
public record TokenSettings(String issuer, List<String> apiAudiences, long maxExpirationSeconds,
    boolean extendExpiration) {

  public static final String DEFAULT_ISSUER = "https://kubernetes.default.svc.cluster.local";

  public TokenSettings {
    apiAudiences = apiAudiences == null || apiAudiences.isEmpty() ? List.of(issuer) : List.copyOf(apiAudiences);
  }

  /** As kubeadm and kind configure kube-apiserver: the in-cluster issuer, no maximum, extension on. */
  public static TokenSettings defaults() {
    return new TokenSettings(DEFAULT_ISSUER, List.of(), 0, true);
  }
}
