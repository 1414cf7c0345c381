package io.kubeactor.controlplane.security.bootstrap;

import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Bootstrap tokens (k8s.io/cluster-bootstrap: token/api, token/util, secret/util; kubeadm's token
 * create): a token {@code abcdef.0123456789abcdef} is the Secret {@code kube-system/bootstrap-token-abcdef}
 * of type {@code bootstrap.kubernetes.io/token} holding its id, secret, expiration, usages and extra
 * groups. The launcher's {@code token create} POSTs {@link #secret} to /api/v1/namespaces/kube-system/secrets
 * and prints {@link Token#value()}.
 */
public final class BootstrapTokens {
  private BootstrapTokens() {}

  public static final String NAMESPACE = "kube-system";
  public static final String SECRET_PREFIX = "bootstrap-token-";
  public static final String SECRET_TYPE = "bootstrap.kubernetes.io/token";
  public static final String TOKEN_ID = "token-id";
  public static final String TOKEN_SECRET = "token-secret";
  public static final String EXPIRATION = "expiration";
  public static final String DESCRIPTION = "description";
  public static final String USAGE_AUTHENTICATION = "usage-bootstrap-authentication";
  public static final String USAGE_SIGNING = "usage-bootstrap-signing";
  public static final String EXTRA_GROUPS = "auth-extra-groups";
  public static final String USER_PREFIX = "system:bootstrap:";
  public static final String DEFAULT_GROUP = "system:bootstrappers";
  /** The group kubeadm puts its node-joining tokens in, and binds to CSR creation and auto-approval. */
  public static final String KUBEADM_NODE_GROUP = "system:bootstrappers:kubeadm:default-node-token";
  /** kubeadm's default --ttl. */
  public static final Duration DEFAULT_TTL = Duration.ofHours(24);

  private static final Pattern TOKEN = Pattern.compile("\\A([a-z0-9]{6})\\.([a-z0-9]{16})\\z");
  private static final Pattern GROUP = Pattern.compile("\\Asystem:bootstrappers:[a-z0-9:-]{0,255}[a-z0-9]\\z");
  private static final String GROUP_PATTERN = "\\Asystem:bootstrappers:[a-z0-9:-]{0,255}[a-z0-9]\\z";
  private static final String ALPHABET = "0123456789abcdefghijklmnopqrstuvwxyz";
  private static final SecureRandom RANDOM = new SecureRandom();

  /** A token: its id and secret, "id.secret" as a bearer token. */
  public record Token(String id, String secret) {
    public String value() {
      return id + "." + secret;
    }

    public String secretName() {
      return SECRET_PREFIX + id;
    }
  }

  /** ParseToken: the id and secret of a string of the token form, empty for anything else. */
  public static Optional<Token> parse(String bearer) {
    Matcher m = TOKEN.matcher(bearer);
    return m.matches() ? Optional.of(new Token(m.group(1), m.group(2))) : Optional.empty();
  }

  /** GenerateBootstrapToken: a random id and secret, as kubeadm makes them. */
  public static Token generate() {
    return new Token(random(6), random(16));
  }

  private static String random(int length) {
    StringBuilder b = new StringBuilder(length);
    for (int i = 0; i < length; i++) b.append(ALPHABET.charAt(RANDOM.nextInt(ALPHABET.length())));
    return b.toString();
  }

  /**
   * The Secret that makes a token valid for authentication and signing until {@code now + ttl}
   * (no expiration when ttl is zero, as kubeadm's --ttl 0), in {@code groups} besides
   * system:bootstrappers (each must match system:bootstrappers:*).
   *
   * @param description may be empty
   */
  public static Secret secret(Token token, Instant now, Duration ttl, String description, List<String> groups) {
    for (String g : groups) {
      String problem = groupProblem(g);
      if (problem != null) throw new IllegalArgumentException(problem);
    }
    Map<String, String> data = new LinkedHashMap<>();
    if (!description.isEmpty()) data.put(DESCRIPTION, description);
    data.put(TOKEN_ID, token.id());
    data.put(TOKEN_SECRET, token.secret());
    if (!ttl.isZero()) data.put(EXPIRATION, io.kubeactor.common.Timestamps.format(now.plus(ttl)));
    data.put(USAGE_AUTHENTICATION, "true");
    data.put(USAGE_SIGNING, "true");
    if (!groups.isEmpty()) data.put(EXTRA_GROUPS, String.join(",", groups));
    Map<String, String> encoded = new LinkedHashMap<>();
    data.forEach((k, v) -> encoded.put(k, Base64.getEncoder().encodeToString(v.getBytes(StandardCharsets.UTF_8))));
    return new SecretBuilder().withApiVersion("v1").withKind("Secret")
        .withMetadata(new ObjectMetaBuilder().withName(token.secretName()).withNamespace(NAMESPACE).build())
        .withType(SECRET_TYPE).withData(encoded).build();
  }

  /** The Secret of a new kubeadm node-joining token: the default ttl and group. */
  public static Secret nodeJoinSecret(Token token, Instant now, String description) {
    return secret(token, now, DEFAULT_TTL, description, List.of(KUBEADM_NODE_GROUP));
  }

  /** GetData: a data value as text, "" when absent. */
  public static String data(Secret secret, String key) {
    if (secret.getData() == null) return "";
    String value = secret.getData().get(key);
    if (value == null) return "";
    try {
      return new String(Base64.getDecoder().decode(value), StandardCharsets.UTF_8);
    } catch (IllegalArgumentException e) {
      return "";
    }
  }

  /**
   * GetExpiration: the time left before the token expires (null when it never does); an
   * expiration that does not parse counts as expired, as upstream treats it.
   */
  public static Duration timeLeft(Secret secret, Instant now) {
    String expiration = data(secret, EXPIRATION);
    if (expiration.isEmpty()) return null;
    try {
      Instant at = java.time.OffsetDateTime.parse(expiration).toInstant();
      return now.isAfter(at) ? Duration.ZERO : Duration.between(now, at);
    } catch (DateTimeParseException e) {
      return Duration.ZERO;
    }
  }

  /** HasExpired. */
  public static boolean expired(Secret secret, Instant now) {
    Duration left = timeLeft(secret, now);
    return left != null && (left.isZero() || left.isNegative());
  }

  /** GetGroups: system:bootstrappers and the extra groups, sorted and each once; throws on an invalid group. */
  public static List<String> groups(Secret secret) {
    TreeSet<String> groups = new TreeSet<>();
    groups.add(DEFAULT_GROUP);
    String extra = data(secret, EXTRA_GROUPS);
    if (!extra.isEmpty()) {
      for (String g : extra.split(",", -1)) {
        String problem = groupProblem(g);
        if (problem != null) throw new IllegalArgumentException(problem);
        groups.add(g);
      }
    }
    return List.copyOf(groups);
  }

  /** ValidateBootstrapGroupName's error, null when valid. */
  static String groupProblem(String group) {
    return GROUP.matcher(group).matches() ? null
        : "bootstrap group \"" + group + "\" is invalid (must match " + GROUP_PATTERN + ")";
  }
}
