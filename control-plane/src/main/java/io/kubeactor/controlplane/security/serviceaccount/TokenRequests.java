package io.kubeactor.controlplane.security.serviceaccount;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.ServiceAccount;
import io.kubeactor.common.Json;
import io.kubeactor.common.Timestamps;
import io.kubeactor.controlplane.api.ApiException;
import io.kubeactor.controlplane.registry.admission.FieldErrors;
import io.kubeactor.controlplane.registry.admission.FieldPath;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The {@code serviceaccounts/token} subresource (pkg/registry/core/serviceaccount/storage/token.go
 * TokenREST.Create): a POSTed authentication.k8s.io/v1 TokenRequest answered with a signed token,
 * as {@code kubectl create token NAME [--duration] [--audience] [--bound-object-kind/-name/-uid]}
 * asks for it. The caller answers 201 with {@link Response#tokenRequest} and sends the warnings as
 * Warning headers.
 */
public final class TokenRequests {

  private static final String GROUP = "authentication.k8s.io";
  private static final String KIND = "TokenRequest";

  /** SetDefaults_TokenRequestSpec: an hour when the request names no lifetime. */
  static final long DEFAULT_EXPIRATION_SECONDS = 3600;
  /** ValidateTokenRequest's bounds: at least 10 minutes, at most 2^32 seconds. */
  static final long MIN_EXPIRATION_SECONDS = 10 * 60;
  static final long MAX_EXPIRATION_SECONDS = 1L << 32;
  /** What the ServiceAccount admission plugin's projected volume asks for (claims.go WarnOnlyBoundTokenExpirationSeconds). */
  public static final long WARN_ONLY_BOUND_TOKEN_EXPIRATION_SECONDS = 60 * 60 + 7;
  /** The lifetime such a token really gets while expiration is extended (claims.go ExpirationExtensionSeconds). */
  static final long EXPIRATION_EXTENSION_SECONDS = 24L * 365 * 60 * 60;

  /** The TokenRequest as answered (spec defaulted, status.token and status.expirationTimestamp set) and the client's warnings. */
  public record Response(ObjectNode tokenRequest, List<String> warnings) {}

  private final TokenIssuer issuer;
  private final TokenSettings settings;
  private final BoundObjects objects;
  private final Clock clock;

  public TokenRequests(TokenIssuer issuer, TokenSettings settings, BoundObjects objects, Clock clock) {
    this.issuer = issuer;
    this.settings = settings;
    this.objects = objects;
    this.clock = clock;
  }

  /**
   * POST /api/v1/namespaces/{namespace}/serviceaccounts/{name}/token with {@code body}, a decoded
   * TokenRequest. Throws the ApiException kube-apiserver answers: 400, 404 (the account or bound
   * object), 409 (a bound object's uid), 422 (metadata, expirationSeconds).
   */
  public Response create(String namespace, String name, JsonNode body) {
    if (namespace == null || namespace.isEmpty()) throw ApiException.badRequest("namespace is required");
    JsonNode meta = body.path("metadata");
    String bodyName = text(meta, "name");
    if (!bodyName.isEmpty() && !bodyName.equals(name)) {
      throw invalid(name, "metadata.name", bodyName, "must match the service account name if specified");
    }
    String bodyNamespace = text(meta, "namespace");
    if (!bodyNamespace.isEmpty() && !bodyNamespace.equals(namespace)) {
      throw invalid(name, "metadata.namespace", bodyNamespace, "must match the service account namespace if specified");
    }
    ServiceAccount account = found(objects.serviceAccount(namespace, name), "serviceaccounts", name);

    JsonNode spec = body.path("spec");
    List<String> audiences = audiences(spec.get("audiences"));
    if (audiences.isEmpty()) audiences = settings.apiAudiences();
    long expirationSeconds = expirationSeconds(spec.get("expirationSeconds"));
    // the expiry answered is never later than the token's "exp": both count from this instant
    Instant now = clock.instant();
    FieldErrors errors = new FieldErrors();
    FieldPath expirationPath = FieldPath.root("spec").child("expirationSeconds");
    if (expirationSeconds < MIN_EXPIRATION_SECONDS) {
      errors.invalid(expirationPath, expirationSeconds, "may not specify a duration less than 10 minutes");
    }
    if (expirationSeconds > MAX_EXPIRATION_SECONDS) {
      errors.invalid(expirationPath, expirationSeconds, "may not specify a duration larger than 2^32 seconds");
    }
    if (errors.size() > 0) throw ApiException.invalid(GROUP, KIND, "", errors.causes());

    Pod pod = null;
    Node node = null;
    Secret secret = null;
    JsonNode ref = spec.path("boundObjectRef");
    if (ref.isObject()) {
      String kind = text(ref, "kind");
      String apiVersion = text(ref, "apiVersion");
      String group = apiVersion.contains("/") ? apiVersion.substring(0, apiVersion.indexOf('/')) : "";
      String version = apiVersion.contains("/") ? apiVersion.substring(apiVersion.indexOf('/') + 1) : apiVersion;
      String refName = text(ref, "name");
      HasMetadata bound;
      if (group.isEmpty() && kind.equals("Pod")) {
        pod = found(objects.pod(namespace, refName), "pods", refName);
        if (!name.equals(pod.getSpec().getServiceAccountName())) {
          throw ApiException.badRequest("cannot bind token for serviceaccount \"" + name
              + "\" to pod running with different serviceaccount name.");
        }
        node = nodeOf(pod);
        bound = pod;
      } else if (group.isEmpty() && kind.equals("Node")) {
        node = found(objects.node(refName), "nodes", refName);
        bound = node;
      } else if (group.isEmpty() && kind.equals("Secret")) {
        secret = found(objects.secret(namespace, refName), "secrets", refName);
        bound = secret;
      } else {
        throw ApiException.badRequest("cannot bind token to object of type " + group + "/" + version + ", Kind=" + kind);
      }
      String askedUid = text(ref, "uid");
      if (!askedUid.isEmpty() && !askedUid.equals(bound.getMetadata().getUid())) {
        throw ApiException.conflict(group, kind, refName, "the UID in the bound object reference (" + askedUid
            + ") does not match the UID in record. The object might have been deleted and then recreated");
      }
    }

    List<String> warnings = new ArrayList<>();
    if (settings.maxExpirationSeconds() > 0 && expirationSeconds > settings.maxExpirationSeconds()) {
      warnings.add("requested expiration of " + expirationSeconds + " seconds shortened to "
          + settings.maxExpirationSeconds() + " seconds");
      expirationSeconds = settings.maxExpirationSeconds();
    }
    // A pod's projected token lives a year but reports staleness after the hour asked for, so that
    // clients which never reload their token keep working (only for tokens meant for the API server).
    long lifetime = expirationSeconds;
    long warnAfter = 0;
    if (settings.extendExpiration() && pod != null && expirationSeconds == WARN_ONLY_BOUND_TOKEN_EXPIRATION_SECONDS
        && settings.apiAudiences().containsAll(audiences)) {
      warnAfter = expirationSeconds;
      lifetime = EXPIRATION_EXTENSION_SECONDS;
    }
    String token = issuer.generate(TokenClaims.of(account, pod, secret, node, lifetime, warnAfter, audiences, now));
    return new Response(answer(body, namespace, name, audiences, expirationSeconds, now, token), warnings);
  }

  /**
   * The node a pod runs on, to be named in its token: the Node as read, or only its name when the
   * Node cannot be found (so that the token still tells where the pod was put); null if unscheduled.
   */
  private Node nodeOf(Pod pod) {
    String nodeName = pod.getSpec().getNodeName();
    if (nodeName == null || nodeName.isEmpty()) return null;
    return objects.node(nodeName).orElseGet(() -> {
      Node named = new Node();
      named.setMetadata(new io.fabric8.kubernetes.api.model.ObjectMetaBuilder().withName(nodeName).build());
      return named;
    });
  }

  // The request as sent, its system fields wiped (rest.WipeObjectMetaSystemFields), defaulted, with its status.
  private static ObjectNode answer(JsonNode body, String namespace, String name, List<String> audiences,
      long expirationSeconds, Instant now, String token) {
    ObjectNode out = Json.object();
    out.put("kind", KIND);
    out.put("apiVersion", GROUP + "/v1");
    ObjectNode meta = out.putObject("metadata");
    meta.put("name", name);
    meta.put("namespace", namespace);
    if (body.path("metadata").isObject()) {
      body.get("metadata").fields().forEachRemaining(e -> {
        switch (e.getKey()) {
          case "name", "namespace", "uid", "creationTimestamp", "deletionTimestamp", "deletionGracePeriodSeconds",
              "selfLink" -> { }
          default -> meta.set(e.getKey(), e.getValue().deepCopy());
        }
      });
    }
    meta.put("creationTimestamp", Timestamps.format(now));
    ObjectNode spec = out.putObject("spec");
    var aud = spec.putArray("audiences");
    audiences.forEach(aud::add);
    spec.put("expirationSeconds", expirationSeconds);
    JsonNode ref = body.path("spec").path("boundObjectRef");
    if (ref.isObject()) spec.set("boundObjectRef", ref.deepCopy());
    ObjectNode status = out.putObject("status");
    status.put("token", token);
    status.put("expirationTimestamp", Timestamps.format(now.plusSeconds(expirationSeconds)));
    return out;
  }

  private static <T> T found(Optional<T> object, String resource, String name) {
    return object.orElseThrow(() -> ApiException.notFound("", resource, name));
  }

  private static ApiException invalid(String name, String field, String value, String detail) {
    FieldErrors errors = new FieldErrors();
    String[] parts = field.split("\\.");
    errors.invalid(FieldPath.root(parts[0]).child(parts[1]), value, detail);
    return ApiException.invalid(GROUP, KIND, name, errors.causes());
  }

  private static List<String> audiences(JsonNode audiences) {
    if (audiences == null || audiences.isNull()) return List.of();
    if (!audiences.isArray()) throw ApiException.badRequest("spec.audiences must be a list of strings");
    List<String> out = new ArrayList<>();
    for (JsonNode a : audiences) {
      if (!a.isTextual()) throw ApiException.badRequest("spec.audiences must be a list of strings");
      out.add(a.asText());
    }
    return out;
  }

  private static long expirationSeconds(JsonNode seconds) {
    if (seconds == null || seconds.isNull()) return DEFAULT_EXPIRATION_SECONDS;
    if (!seconds.canConvertToLong() || !seconds.isIntegralNumber()) {
      throw ApiException.badRequest("spec.expirationSeconds must be an integer");
    }
    return seconds.asLong();
  }

  private static String text(JsonNode node, String field) {
    JsonNode v = node.path(field);
    return v.isTextual() ? v.asText() : "";
  }
}
