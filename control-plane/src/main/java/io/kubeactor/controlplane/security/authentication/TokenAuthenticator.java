package io.kubeactor.controlplane.security.authentication;

/** Authenticates a bearer token (upstream's authenticator.Token): static tokens, ServiceAccount tokens. */
public interface TokenAuthenticator {

  /** The token's user, {@link Authentication#none()} when the token is not of this kind. */
  Authentication authenticate(String token);
}
