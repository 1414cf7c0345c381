package io.kubeactor.agent.volume;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.kubeactor.common.Json;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * kubelet's token manager (pkg/kubelet/token/token_manager.go): the tokens of projected
 * serviceAccountToken volumes, bound to their pod, kept until they are older than 80% of their
 * lifetime or 24 hours, then asked for again. A refresh that fails keeps the old token while it is
 * still valid, so a control plane that is away for a moment does not break running pods.
 */
public final class TokenManager {

  private static final Duration MAX_TTL = Duration.ofHours(24);

  private record Key(String namespace, String serviceAccount, String audience, long expirationSeconds, String podUid) {}

  private record Issued(String token, Instant issued, Instant expires) {}

  private final ServiceAccountTokens tokens;
  private final Clock clock;
  private final Map<Key, Issued> cache = new ConcurrentHashMap<>();

  public TokenManager(ServiceAccountTokens tokens, Clock clock) {
    this.tokens = tokens;
    this.clock = clock;
  }

  /** A token for the pod's ServiceAccount, from the cache while it is fresh. */
  public String token(String namespace, String serviceAccount, String audience, long expirationSeconds, String podName,
      String podUid) throws Exception {
    Key key = new Key(namespace, serviceAccount, audience, expirationSeconds, podUid);
    Instant now = clock.instant();
    Issued cached = cache.get(key);
    if (cached != null && !needsRefresh(cached, now)) return cached.token();
    try {
      Issued fresh = request(key, podName, now);
      cache.put(key, fresh);
      return fresh.token();
    } catch (Exception e) {
      if (cached != null && now.isBefore(cached.expires())) return cached.token();
      throw e;
    }
  }

  /** Forgets the tokens of a pod that is gone. */
  public void forget(String podUid) {
    cache.keySet().removeIf(k -> k.podUid().equals(podUid));
  }

  private static boolean needsRefresh(Issued t, Instant now) {
    Duration ttl = Duration.between(t.issued(), t.expires());
    return now.isAfter(t.issued().plus(ttl.multipliedBy(8).dividedBy(10))) || now.isAfter(t.issued().plus(MAX_TTL));
  }

  private Issued request(Key key, String podName, Instant now) throws Exception {
    ObjectNode request = Json.object();
    request.put("apiVersion", "authentication.k8s.io/v1").put("kind", "TokenRequest");
    ObjectNode spec = request.putObject("spec");
    if (!key.audience().isEmpty()) spec.putArray("audiences").add(key.audience());
    spec.put("expirationSeconds", key.expirationSeconds());
    spec.putObject("boundObjectRef").put("apiVersion", "v1").put("kind", "Pod").put("name", podName).put("uid", key.podUid());
    ObjectNode answer = tokens.request(key.namespace(), key.serviceAccount(), request);
    String token = answer.path("status").path("token").asText("");
    if (token.isEmpty()) throw new IllegalStateException("the TokenRequest was answered without a token");
    Instant expires = Instant.parse(answer.path("status").path("expirationTimestamp").asText());
    return new Issued(token, now, expires);
  }
}
