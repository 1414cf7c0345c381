package io.kubeactor.controlplane.apiserver.options;

import io.kubeactor.controlplane.api.ApiException;
import io.kubeactor.controlplane.registry.admission.FieldErrors;
import io.kubeactor.controlplane.registry.admission.FieldPath;
import io.kubeactor.controlplane.registry.decoding.GoStrings;
import java.util.List;

/**
 * metav1.ListOptions of a list, watch or deletecollection, decoded from the query as kube-apiserver
 * decodes it and validated as its ValidateListOptions does. The selectors stay text here: each
 * resource parses its own field selector.
 *
 * <p>This server runs as kube-apiserver with the WatchList feature gate off: it has no streaming
 * list, so {@code sendInitialEvents} on a watch is refused with upstream's message for that case,
 * and clients (client-go's reflector) fall back to list and watch.
 */
public record ListOptions(
    String labelSelector,
    String fieldSelector,
    boolean watch,
    boolean allowWatchBookmarks,
    String resourceVersion,
    String resourceVersionMatch,
    Long timeoutSeconds,
    long limit,
    String continueToken,
    Boolean sendInitialEvents) {

  public static final String NOT_OLDER_THAN = "NotOlderThan";
  public static final String EXACT = "Exact";

  /** Decodes (400 for a malformed integer) and validates (422 ListOptions.meta.k8s.io). */
  public static ListOptions from(QueryParameters q) {
    ListOptions o = new ListOptions(
        q.string("labelSelector").orElse(""),
        q.string("fieldSelector").orElse(""),
        q.flag("watch"),
        q.flag("allowWatchBookmarks"),
        q.string("resourceVersion").orElse(""),
        q.string("resourceVersionMatch").orElse(""),
        q.int64("timeoutSeconds").orElse(null),
        q.int64("limit").orElse(0L),
        q.string("continue").orElse(""),
        q.bool("sendInitialEvents").orElse(null));
    FieldErrors errors = o.validate();
    if (errors.size() > 0) throw ApiException.invalid(MediaTypes.META_GROUP, "ListOptions", "", errors.causes());
    return o;
  }

  /** A list or watch of a single object (GET .../NAME?watch=1) is decoded the same way. */
  FieldErrors validate() {
    return watch ? validateWatch() : validateList();
  }

  private FieldErrors validateList() {
    FieldErrors errors = new FieldErrors();
    if (!resourceVersionMatch.isEmpty()) {
      if (resourceVersion.isEmpty()) {
        errors.forbidden(FieldPath.root("resourceVersionMatch"), "resourceVersionMatch is forbidden unless resourceVersion is provided");
      }
      if (!continueToken.isEmpty()) {
        errors.forbidden(FieldPath.root("resourceVersionMatch"), "resourceVersionMatch is forbidden when continue is provided");
      }
      if (!resourceVersionMatch.equals(EXACT) && !resourceVersionMatch.equals(NOT_OLDER_THAN)) {
        errors.notSupported(FieldPath.root("resourceVersionMatch"), resourceVersionMatch, List.of(EXACT, NOT_OLDER_THAN, ""));
      }
      if (resourceVersionMatch.equals(EXACT) && resourceVersion.equals("0")) {
        errors.forbidden(FieldPath.root("resourceVersionMatch"), "resourceVersionMatch \"exact\" is forbidden for resourceVersion \"0\"");
      }
    }
    if (sendInitialEvents != null) {
      errors.forbidden(FieldPath.root("sendInitialEvents"), "sendInitialEvents is forbidden for list");
    }
    return errors;
  }

  private FieldErrors validateWatch() {
    FieldErrors errors = new FieldErrors();
    if (sendInitialEvents != null) {
      if (!resourceVersionMatch.equals(NOT_OLDER_THAN)) {
        errors.forbidden(FieldPath.root("resourceVersionMatch"), "sendInitialEvents requires setting resourceVersionMatch to NotOlderThan");
      }
      errors.forbidden(FieldPath.root("sendInitialEvents"), "sendInitialEvents is forbidden for watch unless the WatchList feature gate is enabled");
    }
    if (!resourceVersionMatch.isEmpty()) {
      if (sendInitialEvents == null) {
        errors.forbidden(FieldPath.root("resourceVersionMatch"), "resourceVersionMatch is forbidden for watch unless sendInitialEvents is provided");
      }
      if (!resourceVersionMatch.equals(NOT_OLDER_THAN)) {
        errors.notSupported(FieldPath.root("resourceVersionMatch"), resourceVersionMatch, List.of(NOT_OLDER_THAN));
      }
      if (!continueToken.isEmpty()) {
        errors.forbidden(FieldPath.root("resourceVersionMatch"), "resourceVersionMatch is forbidden when continue is provided");
      }
    }
    return errors;
  }

  /**
   * The resourceVersion as a number, or null for "" and "0" (any version will do). A value that is
   * not an unsigned integer is a 400 with the storage layer's message (kube-apiserver 1.32 answers
   * some of these paths with a 500, which is a bug there; its etcd path answers this 400).
   */
  public Long resourceVersionNumber() {
    return parseResourceVersion(resourceVersion);
  }

  public static Long parseResourceVersion(String rv) {
    if (rv.isEmpty() || rv.equals("0")) return null;
    String error = QueryParameters.uintError(rv);
    if (error != null) {
      throw ApiException.badRequest("invalid resource version: resourceVersion: Invalid value: " + GoStrings.quote(rv) + ": " + error);
    }
    long v = Long.parseUnsignedLong(rv);
    return v < 0 ? Long.MAX_VALUE : v;
  }

  /**
   * A continue token is checked as the etcd3 store decodes it (storage.DecodeContinue), with its
   * messages, and goes with no resourceVersion but "0".
   */
  public void checkContinue() {
    if (continueToken.isEmpty()) return;
    String invalid = "invalid continue token: continue key is not valid";
    int bad = base64UrlError(continueToken);
    if (bad >= 0) throw ApiException.badRequest(invalid + ": illegal base64 data at input byte " + bad);
    com.fasterxml.jackson.databind.JsonNode token;
    try {
      token = io.kubeactor.common.Json.MAPPER.readTree(java.util.Base64.getUrlDecoder().decode(continueToken));
    } catch (java.io.IOException | RuntimeException e) {
      throw ApiException.badRequest(invalid + ": the token is not a JSON object");
    }
    if (token == null || !token.isObject()) throw ApiException.badRequest(invalid + ": the token is not a JSON object");
    String version = token.path("v").isTextual() ? token.path("v").asText() : "";
    if (!version.equals("meta.k8s.io/v1")) {
      throw ApiException.badRequest(invalid + ": server does not recognize this encoded version " + version);
    }
    if (!token.path("rv").canConvertToLong() || token.path("rv").asLong() == 0) {
      throw ApiException.badRequest(invalid + ": incorrect encoded start resourceVersion (version meta.k8s.io/v1)");
    }
    if (!token.path("start").isTextual() || token.path("start").asText().isEmpty()) {
      throw ApiException.badRequest(invalid + ": encoded start key empty (version meta.k8s.io/v1)");
    }
    if (!resourceVersion.isEmpty() && !resourceVersion.equals("0")) {
      throw ApiException.badRequest("specifying resource version is not allowed when using continue");
    }
  }

  /** Where base64.RawURLEncoding finds the first illegal byte, or -1 when the text decodes. */
  private static int base64UrlError(String s) {
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      boolean ok = (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' || c == '_';
      if (!ok) return GoStrings.byteOffset(s, i);
    }
    return s.length() % 4 == 1 ? s.length() - 1 : -1;
  }
}
