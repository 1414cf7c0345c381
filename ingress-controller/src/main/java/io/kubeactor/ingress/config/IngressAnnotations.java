package io.kubeactor.ingress.config;

import java.util.List;

/**
 * The nginx.ingress.kubernetes.io annotations of one Ingress, parsed and validated, with
 * ingress-nginx's defaults (internal/ingress/controller/config/config.go) where absent or bad.
 *
 * @param rewriteTarget the rewrite-target, or null
 * @param allowSourceRange the CIDRs of allowlist-source-range (or whitelist-source-range); null for
 *     everyone
 * @param allowlistInvalid the allowlist did not parse: as ingress-nginx (a LocationDenied error) the
 *     locations answer 503 rather than serve everyone
 * @param affinity the cookie affinity, or null
 * @param canary the canary settings when the Ingress is a canary (canary: "true"), or null
 */
record IngressAnnotations(
    String rewriteTarget,
    boolean useRegex,
    boolean sslRedirect,
    boolean forceSslRedirect,
    BackendProtocol backendProtocol,
    String proxyBodySize,
    int proxyConnectTimeout,
    int proxySendTimeout,
    int proxyReadTimeout,
    List<String> allowSourceRange,
    boolean allowlistInvalid,
    Affinity affinity,
    Canary canary) {

  static final IngressAnnotations DEFAULTS =
      new IngressAnnotations(null, false, true, false, BackendProtocol.HTTP, "1m", 5, 60, 60, null, false, null, null);

  enum BackendProtocol {
    HTTP,
    HTTPS,
    AUTO_HTTP,
    GRPC,
    GRPCS
  }

  /**
   * Cookie affinity (ann/sessionaffinity): the cookie's name, path (null: the Ingress path),
   * Max-Age and Expires in seconds (null: a session cookie).
   */
  record Affinity(String cookieName, String cookiePath, Long maxAge, Long expires) {}

  /** The canary annotations (ann/canary); empty strings when absent, as upstream. */
  record Canary(String header, String headerValue, String headerPattern, String cookie, int weight, int weightTotal) {}

  /** Whether the locations of this Ingress are regular expressions (ctrl/location.go). */
  boolean regexMode(String path) {
    return useRegex || (rewriteTarget != null && !rewriteTarget.equals(path));
  }
}
