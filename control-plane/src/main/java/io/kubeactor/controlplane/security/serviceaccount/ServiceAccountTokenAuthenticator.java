package io.kubeactor.controlplane.security.serviceaccount;

import com.fasterxml.jackson.databind.JsonNode;
import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSObject;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.kubeactor.common.Json;
import io.kubeactor.controlplane.security.authentication.Authentication;
import io.kubeactor.controlplane.security.authentication.TokenAuthenticator;
import io.kubeactor.controlplane.security.authentication.UserInfo;
import java.security.PublicKey;
import java.text.ParseException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The ServiceAccount token authenticator (pkg/serviceaccount/jwt.go jwtTokenAuthenticator with
 * claims.go's validator): a JWT of one of our issuers, signed by one of our keys, for an audience
 * the API server accepts, within its lifetime (a minute's leeway either side), whose ServiceAccount
 * (and bound pod, secret or node) still exists with the uid the token names. Secret-based tokens
 * (issuer {@value LegacyTokens#ISSUER}, legacy.go's validator) are checked against their Secret.
 */
public final class ServiceAccountTokenAuthenticator implements TokenAuthenticator {

  private static final Logger log = LoggerFactory.getLogger(ServiceAccountTokenAuthenticator.class);

  /** go-jose's jwt.DefaultLeeway: clock skew tolerated on exp, nbf, iat, and on bound objects' deletion. */
  static final Duration LEEWAY = Duration.ofMinutes(1);

  /** What a presented token turned out to be. */
  public sealed interface Outcome {
    /** A valid token: its user and the audiences it was accepted for. */
    record Authenticated(ServiceAccountInfo account, List<String> audiences) implements Outcome {
      public UserInfo user() {
        return account.userInfo();
      }
    }

    /** Not a token of ours (not a JWT, or another issuer's): the next authenticator may know it. */
    record NotOurs() implements Outcome {}

    /** Ours, and invalid: the reason is for the log, never for the client (who gets a 401). */
    record Refused(String reason) implements Outcome {}
  }

  private final Set<String> issuers;
  private final Map<String, List<PublicKey>> keysById;
  private final List<PublicKey> allKeys;
  private final List<String> apiAudiences;
  private final BoundObjects objects;
  private final Clock clock;

  /**
   * @param issuers the accepted "iss" values (--service-account-issuer; the first is the one tokens are issued with)
   * @param keys the keys tokens may be signed with (--service-account-key-file)
   * @param apiAudiences the API server's own audiences (--api-audiences, by default the issuer)
   */
  public ServiceAccountTokenAuthenticator(List<String> issuers, List<PublicKey> keys, List<String> apiAudiences,
      BoundObjects objects, Clock clock) {
    this.issuers = Set.copyOf(issuers);
    this.allKeys = List.copyOf(keys);
    this.keysById = allKeys.stream().collect(Collectors.groupingBy(SigningKey::keyId));
    this.apiAudiences = List.copyOf(apiAudiences);
    this.objects = objects;
    this.clock = clock;
  }

  /**
   * The user of a bearer token valid for the API server itself; no opinion on another issuer's token;
   * a failure (the API answers 401) for one of ours that does not hold.
   */
  @Override
  public Authentication authenticate(String bearerToken) {
    Outcome outcome = authenticate(bearerToken, apiAudiences);
    if (outcome instanceof Outcome.Authenticated ok) return Authentication.of(ok.user());
    if (outcome instanceof Outcome.Refused refused) return Authentication.failed("service account token refused: " + refused.reason());
    return Authentication.none();
  }

  /**
   * The token checked for the requested audiences (a TokenReview's spec.audiences; the API server's
   * when empty). An accepted token's audiences are those it shares with the requested ones.
   */
  public Outcome authenticate(String token, List<String> requestedAudiences) {
    if (token == null || !hasOurIssuer(token)) return new Outcome.NotOurs();
    JWSObject jws;
    try {
      jws = JWSObject.parse(token);
    } catch (ParseException e) {
      return new Outcome.NotOurs();
    }
    String kid = jws.getHeader().getKeyID();
    List<PublicKey> keys = kid == null || kid.isEmpty() ? allKeys : keysById.getOrDefault(kid, List.of());
    if (keys.isEmpty()) return new Outcome.Refused("invalid signature, no keys found");
    List<String> failures = new ArrayList<>();
    boolean verified = false;
    for (PublicKey key : keys) {
      try {
        if (jws.verify(SigningKey.verifier(key))) {
          verified = true;
          break;
        }
        failures.add("square/go-jose: error in cryptographic primitive");
      } catch (JOSEException e) {
        failures.add(e.getMessage());
      }
    }
    if (!verified) return new Outcome.Refused(String.join(", ", failures));

    JsonNode payload;
    Claims claims;
    try {
      payload = Json.parse(jws.getPayload().toBytes());
      claims = Claims.parse(payload);
    } catch (IllegalArgumentException e) {
      return new Outcome.Refused(e.getMessage());
    }
    // the issuer read before the signature was checked, checked again now that it can be trusted
    boolean legacy = claims.issuer().equals(LegacyTokens.ISSUER);
    if (!legacy && !issuers.contains(claims.issuer())) {
      return new Outcome.Refused("token issuer \"" + claims.issuer() + "\" is invalid");
    }

    List<String> tokenAudiences = claims.audiences().isEmpty() ? apiAudiences : claims.audiences();
    List<String> requested = requestedAudiences == null || requestedAudiences.isEmpty() ? apiAudiences : requestedAudiences;
    List<String> shared = tokenAudiences.stream().filter(requested::contains).distinct().toList();
    if (shared.isEmpty() && !apiAudiences.isEmpty()) {
      return new Outcome.Refused("token audiences " + goQuoted(tokenAudiences) + " is invalid for the target audiences "
          + goQuoted(requested));
    }
    return legacy ? validateLegacy(token, payload, shared) : validate(claims, shared);
  }

  // A Secret-based token: its Secret must still hold it, and its account still exist.
  private Outcome validateLegacy(String token, JsonNode payload, List<String> audiences) {
    String[] fields = new String[5];
    String[] names = {"sub", LegacyTokens.NAMESPACE_CLAIM, LegacyTokens.SECRET_NAME_CLAIM,
        LegacyTokens.SERVICE_ACCOUNT_NAME_CLAIM, LegacyTokens.SERVICE_ACCOUNT_UID_CLAIM};
    for (int i = 0; i < names.length; i++) {
      JsonNode v = payload.path(names[i]);
      if (!v.isMissingNode() && !v.isNull() && !v.isTextual()) return new Outcome.Refused("the " + names[i] + " claim is not a string");
      fields[i] = v.asText("");
    }
    var refusal = LegacyTokens.refusal(token, fields[0], fields[1], fields[2], fields[3], fields[4], objects);
    if (refusal.isPresent()) return new Outcome.Refused(refusal.get());
    return new Outcome.Authenticated(new ServiceAccountInfo(fields[1], fields[3], fields[4], "", "", "", "", ""), audiences);
  }

  // claims.go validator.Validate
  private Outcome validate(Claims c, List<String> audiences) {
    Instant now = clock.instant();
    if (c.expiry() == null || now.minus(LEEWAY).isAfter(c.expiry())) {
      return new Outcome.Refused("service account token has expired");
    }
    if (c.notBefore() != null && now.plus(LEEWAY).isBefore(c.notBefore())) {
      return new Outcome.Refused("service account token is not valid yet");
    }
    if (c.issuedAt() != null && now.plus(LEEWAY).isBefore(c.issuedAt())) {
      return new Outcome.Refused("service account token is issued in the future");
    }
    Instant deletedTooLongAgo = now.minus(LEEWAY);
    String ns = c.namespace();
    TokenClaims.Ref sa = c.serviceAccount();
    var account = objects.serviceAccount(ns, sa.name());
    if (account.isEmpty()) return new Outcome.Refused("serviceaccounts \"" + sa.name() + "\" not found");
    if (!uid(account.get()).equals(sa.uid())) {
      return new Outcome.Refused("service account UID (" + uid(account.get()) + ") does not match claim (" + sa.uid() + ")");
    }
    if (deletedBefore(account.get(), deletedTooLongAgo)) {
      return new Outcome.Refused("service account " + ns + "/" + sa.name() + " has been deleted");
    }
    if (c.secret() != null) {
      String why = bound("secret", objects.secret(ns, c.secret().name()), c.secret(), deletedTooLongAgo);
      if (why != null) return new Outcome.Refused(why);
    }
    String podName = "";
    String podUid = "";
    if (c.pod() != null) {
      String why = bound("pod", objects.pod(ns, c.pod().name()), c.pod(), deletedTooLongAgo);
      if (why != null) return new Outcome.Refused(why);
      podName = c.pod().name();
      podUid = c.pod().uid();
    }
    String nodeName = "";
    String nodeUid = "";
    if (c.node() != null) {
      // a pod-bound token only names its pod's node; a node-bound one needs the node to exist still
      if (c.pod() == null) {
        String why = bound("node", objects.node(c.node().name()), c.node(), deletedTooLongAgo);
        if (why != null) return new Outcome.Refused(why);
      }
      nodeName = c.node().name();
      nodeUid = c.node().uid();
    }
    var info = new ServiceAccountInfo(ns, sa.name(), sa.uid(), podName, podUid, nodeName, nodeUid,
        ServiceAccountInfo.credentialIdForJti(c.id()));
    return new Outcome.Authenticated(info, audiences);
  }

  /** Why a bound object invalidates the token (gone, replaced, or deleted a while ago); null if it does not. */
  private static String bound(String kind, Optional<? extends HasMetadata> object, TokenClaims.Ref ref, Instant deletedTooLongAgo) {
    if (object.isEmpty()) return "service account token has been invalidated";
    if (!uid(object.get()).equals(ref.uid())) {
      return kind + " UID (" + uid(object.get()) + ") does not match service account " + kind + " ref claim (" + ref.uid() + ")";
    }
    if (deletedBefore(object.get(), deletedTooLongAgo)) return "service account token has been invalidated";
    return null;
  }

  private static boolean deletedBefore(HasMetadata object, Instant limit) {
    String deleted = object.getMetadata().getDeletionTimestamp();
    return deleted != null && !deleted.isEmpty() && Instant.parse(deleted).isBefore(limit);
  }

  private static String uid(HasMetadata object) {
    String uid = object.getMetadata().getUid();
    return uid == null ? "" : uid;
  }

  /**
   * Whether the token is a compact JWT whose unverified "iss" is one of ours (hasCorrectIssuer): a
   * token of another issuer is left to the other authenticators rather than refused here.
   */
  private boolean hasOurIssuer(String token) {
    if (token.strip().startsWith("{")) return false;
    String[] parts = token.split("\\.", -1);
    if (parts.length != 3) return false;
    try {
      JsonNode payload = Json.parse(Base64.getUrlDecoder().decode(parts[1]));
      if (!payload.path("iss").isTextual()) return false;
      String iss = payload.get("iss").asText();
      return issuers.contains(iss) || iss.equals(LegacyTokens.ISSUER);
    } catch (RuntimeException e) {
      return false;
    }
  }

  private static String goQuoted(List<String> values) {
    return values.stream().map(v -> "\"" + v + "\"").collect(Collectors.joining(" ", "[", "]"));
  }

  /** The claims a token carries, read as strictly as go-jose decodes them into its typed structs. */
  record Claims(String issuer, List<String> audiences, Instant expiry, Instant notBefore, Instant issuedAt, String id,
      String namespace, TokenClaims.Ref serviceAccount, TokenClaims.Ref pod, TokenClaims.Ref secret,
      TokenClaims.Ref node) {

    static Claims parse(JsonNode p) {
      if (!p.isObject()) throw new IllegalArgumentException("the token's payload is not a JSON object");
      JsonNode k8s = p.path("kubernetes.io");
      if (!k8s.isMissingNode() && !k8s.isNull() && !k8s.isObject()) {
        throw new IllegalArgumentException("the kubernetes.io claim is not an object");
      }
      // a token without the private claim names no account, which the lookup then fails to find
      TokenClaims.Ref account = ref(k8s, "serviceaccount");
      return new Claims(text(p, "iss"), audiences(p.get("aud")), date(p, "exp"), date(p, "nbf"), date(p, "iat"),
          text(p, "jti"), text(k8s, "namespace"), account == null ? new TokenClaims.Ref("", "") : account,
          ref(k8s, "pod"), ref(k8s, "secret"), ref(k8s, "node"));
    }

    private static List<String> audiences(JsonNode aud) {
      if (aud == null || aud.isNull()) return List.of();
      if (aud.isTextual()) return List.of(aud.asText());
      if (!aud.isArray()) throw new IllegalArgumentException("expected string or array value to unmarshal to Audience");
      Set<String> out = new LinkedHashSet<>();
      for (JsonNode a : aud) {
        if (!a.isTextual()) throw new IllegalArgumentException("expected string or array value to unmarshal to Audience");
        out.add(a.asText());
      }
      return List.copyOf(out);
    }

    private static Instant date(JsonNode p, String field) {
      JsonNode v = p.get(field);
      if (v == null || v.isNull()) return null;
      if (!v.isNumber()) throw new IllegalArgumentException("the " + field + " claim is not a number");
      return Instant.ofEpochSecond(v.asLong());
    }

    private static String text(JsonNode p, String field) {
      JsonNode v = p.get(field);
      if (v == null || v.isNull()) return "";
      if (!v.isTextual()) throw new IllegalArgumentException("the " + field + " claim is not a string");
      return v.asText();
    }

    private static TokenClaims.Ref ref(JsonNode k8s, String field) {
      JsonNode v = k8s.get(field);
      if (v == null || v.isNull()) return null;
      if (!v.isObject()) throw new IllegalArgumentException("the kubernetes.io " + field + " claim is not an object");
      return new TokenClaims.Ref(text(v, "name"), text(v, "uid"));
    }
  }
}
