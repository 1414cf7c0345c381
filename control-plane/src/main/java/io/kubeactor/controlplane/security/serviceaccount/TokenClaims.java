package io.kubeactor.controlplane.security.serviceaccount;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.ServiceAccount;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.UUID;

/**
 * The claims of a bound ServiceAccount token (pkg/serviceaccount/claims.go Claims): the registered
 * claims (sub, aud, iat, nbf, exp, jti; iss is the issuer's) and the private "kubernetes.io" claim
 * naming the namespace, the account and what the token is bound to. Times are whole seconds, as JWT
 * NumericDates are.
 *
 * @param pod the bound pod, or null
 * @param secret the bound secret, or null
 * @param node the pod's node (a pod-bound token), or the bound node, or null
 * @param warnAfter when an extended token is past the lifetime its requester asked for, or null
 */
public record TokenClaims(String subject, List<String> audiences, Instant issuedAt, Instant notBefore, Instant expiry,
    String id, String namespace, Ref serviceAccount, Ref pod, Ref secret, Ref node, Instant warnAfter) {

  /** A bound object's name and uid (claims.go ref). */
  public record Ref(String name, String uid) {
    static Ref of(HasMetadata object) {
      return new Ref(object.getMetadata().getName(), nullToEmpty(object.getMetadata().getUid()));
    }
  }

  public TokenClaims {
    audiences = List.copyOf(audiences);
  }

  /**
   * The claims of a token for {@code account}, bound to at most a pod (and then its node, when
   * known) or a secret or a node, valid from {@code now} for {@code expirationSeconds}, with a
   * warnafter {@code warnAfterSeconds} from now unless 0, and a fresh random jti.
   */
  public static TokenClaims of(ServiceAccount account, Pod pod, Secret secret, Node node, long expirationSeconds,
      long warnAfterSeconds, List<String> audiences, Instant now) {
    if (secret != null && (node != null || pod != null)) {
      throw new IllegalArgumentException("internal error, token can only be bound to one object type");
    }
    Instant issued = now.truncatedTo(java.time.temporal.ChronoUnit.SECONDS);
    String namespace = account.getMetadata().getNamespace();
    return new TokenClaims(ServiceAccountInfo.username(namespace, account.getMetadata().getName()), audiences,
        issued, issued, issued.plus(Duration.ofSeconds(expirationSeconds)), UUID.randomUUID().toString(), namespace,
        Ref.of(account), pod == null ? null : Ref.of(pod), secret == null ? null : Ref.of(secret),
        node == null ? null : Ref.of(node),
        warnAfterSeconds == 0 ? null : issued.plus(Duration.ofSeconds(warnAfterSeconds)));
  }

  private static String nullToEmpty(String s) {
    return s == null ? "" : s;
  }
}
