package io.kubeactor.controlplane.security.bootstrap;

import io.fabric8.kubernetes.api.model.Secret;
import io.kubeactor.controlplane.security.authentication.Authentication;
import io.kubeactor.controlplane.security.authentication.TokenAuthenticator;
import io.kubeactor.controlplane.security.authentication.UserInfo;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.BiFunction;

/**
 * kube-apiserver's bootstrap token authenticator (--enable-bootstrap-token-auth;
 * plugin/pkg/authenticator/token/bootstrap): a bearer token of the form {@code [a-z0-9]{6}.[a-z0-9]{16}}
 * whose Secret kube-system/bootstrap-token-ID is of the bootstrap type, holds the same secret
 * (compared in constant time) and id, has not expired and is marked for authentication, is the user
 * {@code system:bootstrap:ID} in system:bootstrappers and its extra groups. Other tokens are not its
 * business; a token of its form that does not hold is a failure (401).
 */
public final class BootstrapTokenAuthenticator implements TokenAuthenticator {

  private final BiFunction<String, String, Secret> secrets;
  private final Clock clock;

  /** @param secrets a Secret by namespace and name (the informer's), null when there is none */
  public BootstrapTokenAuthenticator(BiFunction<String, String, Secret> secrets, Clock clock) {
    this.secrets = secrets;
    this.clock = clock;
  }

  @Override
  public Authentication authenticate(String bearer) {
    Optional<BootstrapTokens.Token> parsed = BootstrapTokens.parse(bearer);
    if (parsed.isEmpty()) return Authentication.none();
    BootstrapTokens.Token token = parsed.get();
    String name = token.secretName();
    Secret secret = secrets.apply(BootstrapTokens.NAMESPACE, name);
    if (secret == null) return Authentication.failed("no secret of name " + name + " to match bootstrap bearer token");
    if (secret.getMetadata().getDeletionTimestamp() != null) return refused(name, "is deleted and awaiting removal");
    if (!BootstrapTokens.SECRET_TYPE.equals(secret.getType()) || secret.getData() == null) {
      return refused(name, "has invalid type, expected " + BootstrapTokens.SECRET_TYPE + ".");
    }
    byte[] stored = BootstrapTokens.data(secret, BootstrapTokens.TOKEN_SECRET).getBytes(StandardCharsets.UTF_8);
    if (!MessageDigest.isEqual(stored, token.secret().getBytes(StandardCharsets.UTF_8))) {
      return refused(name, "has invalid value for key " + BootstrapTokens.TOKEN_SECRET + ".");
    }
    if (!token.id().equals(BootstrapTokens.data(secret, BootstrapTokens.TOKEN_ID))) {
      return refused(name, "has invalid value for key " + BootstrapTokens.TOKEN_ID + ".");
    }
    if (BootstrapTokens.expired(secret, clock.instant())) return refused(name, "has expired.");
    if (!"true".equals(BootstrapTokens.data(secret, BootstrapTokens.USAGE_AUTHENTICATION))) {
      return refused(name, "not marked " + BootstrapTokens.USAGE_AUTHENTICATION + "=true.");
    }
    List<String> groups;
    try {
      groups = BootstrapTokens.groups(secret);
    } catch (IllegalArgumentException e) {
      return refused(name, "has invalid value for key " + BootstrapTokens.EXTRA_GROUPS + ": " + e.getMessage() + ".");
    }
    return Authentication.of(new UserInfo(BootstrapTokens.USER_PREFIX + token.id(), "", groups, Map.of()));
  }

  /** tokenErrorf's words: "Bootstrap secret kube-system/NAME matching bearer token ...". */
  private static Authentication refused(String name, String why) {
    return Authentication.failed("bootstrap secret " + BootstrapTokens.NAMESPACE + "/" + name
        + " matching bearer token " + why);
  }
}
