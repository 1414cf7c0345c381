package io.kubeactor.controlplane.security.authentication;

import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * Who sent a request, as kube-apiserver's authenticator chain decides it
 * (pkg/kubeapiserver/authenticator/config.go): the client certificate, then the bearer token; the
 * first that authenticates wins, and every authenticated user is in system:authenticated. Only when
 * neither credential was presented is the request anonymous, and then only on the paths anonymous
 * requests may reach (AuthenticationConfiguration's anonymous.conditions: health and version); a
 * credential that does not hold, or an anonymous request elsewhere, is a 401.
 */
public final class RequestAuthenticator {

  private static final UserInfo ANONYMOUS = UserInfo.of(UserInfo.ANONYMOUS, UserInfo.UNAUTHENTICATED);

  /** Paths an anonymous request may reach; RBAC's system:public-info-viewer then allows them. */
  public static final Set<String> ANONYMOUS_PATHS = Set.of("/healthz", "/livez", "/readyz", "/version");

  private final X509Authenticator certificates;
  private final List<TokenAuthenticator> tokens = new CopyOnWriteArrayList<>();

  public RequestAuthenticator(X509Authenticator certificates, List<TokenAuthenticator> tokens) {
    this.certificates = certificates;
    this.tokens.addAll(tokens);
  }

  /** Adds a token authenticator after those given at construction (ServiceAccount tokens, once the store is up). */
  public void add(TokenAuthenticator authenticator) {
    tokens.add(authenticator);
  }

  /** The user, or a failure (why, for the log) when the request is to be answered 401. */
  public Authentication authenticate(X509Certificate[] peerCertificates, String authorizationHeader, String path) {
    List<String> failures = new ArrayList<>();
    Authentication byCertificate = certificates.authenticate(peerCertificates);
    if (byCertificate.user().isPresent()) return authenticated(byCertificate.user().get());
    if (byCertificate.failed()) failures.add(byCertificate.failure());

    Optional<String> token = bearerToken(authorizationHeader);
    if (token.isPresent()) {
      Authentication byToken = authenticateToken(token.get());
      if (byToken.user().isPresent()) return byToken;
      failures.add(byToken.failure());
    }
    if (!failures.isEmpty()) return Authentication.failed(String.join("; ", failures));
    if (ANONYMOUS_PATHS.contains(path) || ANONYMOUS_PATHS.stream().anyMatch(p -> path.startsWith(p + "/"))) {
      return Authentication.of(ANONYMOUS);
    }
    return Authentication.failed("anonymous requests may reach only " + ANONYMOUS_PATHS);
  }

  /** A bearer token's user, as a TokenReview asks (no certificate, no anonymous). */
  public Authentication authenticateToken(String token) {
    List<String> failures = new ArrayList<>();
    for (TokenAuthenticator authenticator : tokens) {
      Authentication byToken = authenticator.authenticate(token);
      if (byToken.user().isPresent()) return authenticated(byToken.user().get());
      if (byToken.failed()) failures.add(byToken.failure());
    }
    return Authentication.failed(failures.isEmpty() ? "invalid bearer token" : String.join("; ", failures));
  }

  /** AuthenticatedGroupAdder: system:authenticated for every authenticated user that lacks it. */
  private static Authentication authenticated(UserInfo user) {
    if (user.inGroup(UserInfo.AUTHENTICATED) || user.name().equals(UserInfo.ANONYMOUS)) return Authentication.of(user);
    List<String> groups = new ArrayList<>(user.groups());
    groups.add(UserInfo.AUTHENTICATED);
    return Authentication.of(new UserInfo(user.name(), user.uid(), groups, user.extra()));
  }

  /**
   * The token of an {@code Authorization: Bearer} header, parsed as upstream's bearertoken
   * authenticator does: trimmed, split on single spaces, the scheme matched case-insensitively.
   */
  static Optional<String> bearerToken(String header) {
    if (header == null) return Optional.empty();
    String[] parts = header.strip().split(" ", -1);
    if (parts.length < 2 || !parts[0].equalsIgnoreCase("bearer") || parts[1].isEmpty()) return Optional.empty();
    return Optional.of(parts[1]);
  }
}
