package io.kubeactor.controlplane.security;

import io.kubeactor.controlplane.security.audit.AuditLog;
import io.kubeactor.controlplane.security.authentication.RequestAuthenticator;
import io.kubeactor.controlplane.security.authentication.X509Authenticator;
import io.kubeactor.controlplane.security.authorization.Authorizer;
import io.kubeactor.controlplane.security.authorization.AuthorizerChain;
import io.kubeactor.controlplane.security.authorization.PrivilegedGroups;
import io.kubeactor.controlplane.security.serviceaccount.ServiceAccountTokens;
import java.time.Clock;
import java.util.List;

/**
 * Who may do what through the API server: the authenticator chain (client certificates of the
 * cluster CA, the admin token, then ServiceAccount tokens), the authorizer chain (system:masters,
 * the Node authorizer, then RBAC: --authorization-mode=Node,RBAC), the ServiceAccount token issuer (TokenRequest, OIDC discovery; null on an API server
 * under test that has none), and the audit log (off unless configured).
 */
public record AccessControl(RequestAuthenticator authenticator, AuthorizerChain authorizer,
    ServiceAccountTokens serviceAccountTokens, AuditLog audit) {

  /** The control plane's: the admin token and ServiceAccount tokens; system:masters, the Node authorizer, then RBAC. */
  public static AccessControl create(ClusterCertificates certificates, Tokens tokens,
      ServiceAccountTokens serviceAccountTokens, Authorizer node, Authorizer rbac, AuditLog audit, Clock clock) {
    return new AccessControl(
        new RequestAuthenticator(new X509Authenticator(certificates.ca(), clock),
            List.of(tokens, serviceAccountTokens.authenticator())),
        new AuthorizerChain(List.of(new PrivilegedGroups(), node, rbac)), serviceAccountTokens, audit);
  }

  /** Certificates and the admin token only, and only system:masters allowed: for an API server under test. */
  public static AccessControl adminOnly(ClusterCertificates certificates, Tokens tokens, Clock clock) {
    return new AccessControl(
        new RequestAuthenticator(new X509Authenticator(certificates.ca(), clock), List.of(tokens)),
        new AuthorizerChain(List.of(new PrivilegedGroups())), null, AuditLog.OFF);
  }
}
