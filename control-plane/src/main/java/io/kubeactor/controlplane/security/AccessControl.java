package io.kubeactor.controlplane.security;

import io.kubeactor.controlplane.security.authentication.RequestAuthenticator;
import io.kubeactor.controlplane.security.authentication.X509Authenticator;
import io.kubeactor.controlplane.security.authorization.AuthorizerChain;
import io.kubeactor.controlplane.security.authorization.PrivilegedGroups;
import java.time.Clock;
import java.util.List;

/**
 * Who may do what through the API server: the authenticator chain (client certificates of the
 * cluster CA, the admin token, then ServiceAccount tokens) and the authorizer chain
 * (system:masters, then RBAC), each completed once the store they read is up.
 */
public record AccessControl(RequestAuthenticator authenticator, AuthorizerChain authorizer) {

  public static AccessControl create(ClusterCertificates certificates, Tokens tokens, Clock clock) {
    return new AccessControl(
        new RequestAuthenticator(new X509Authenticator(certificates.ca(), clock), List.of(tokens)),
        new AuthorizerChain(List.of(new PrivilegedGroups())));
  }
}
