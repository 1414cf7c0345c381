package io.kubeactor.controlplane.apiserver;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.fabric8.kubernetes.api.model.rbac.PolicyRule;
import io.kubeactor.common.Json;
import io.kubeactor.controlplane.api.ApiException;
import io.kubeactor.controlplane.security.AccessControl;
import io.kubeactor.controlplane.security.authentication.Authentication;
import io.kubeactor.controlplane.security.authentication.UserInfo;
import io.kubeactor.controlplane.security.authorization.Attributes;
import io.kubeactor.controlplane.security.authorization.Authorizer;
import io.kubeactor.controlplane.security.authorization.RuleResolver;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.pekko.http.javadsl.model.HttpResponse;

/**
 * The reviews kube-apiserver answers without storing anything: authorization.k8s.io/v1's
 * SelfSubjectAccessReview ({@code kubectl auth can-i}), SelfSubjectRulesReview ({@code can-i
 * --list}), SubjectAccessReview and LocalSubjectAccessReview (what a user or ServiceAccount may do,
 * asked by whoever may create them), and authentication.k8s.io/v1's SelfSubjectReview ({@code
 * kubectl auth whoami}) and TokenReview. Each is a create that answers the object with its status.
 */
final class ReviewApi {

  static final String AUTHORIZATION = "authorization.k8s.io";
  static final String AUTHENTICATION = "authentication.k8s.io";
  static final String VERSION = "v1";

  private record Kind(String group, String plural, String kind, boolean namespaced) {}

  /** authentication.k8s.io first, as kube-apiserver's group priorities list it. */
  private static final List<Kind> KINDS = List.of(
      new Kind(AUTHENTICATION, "selfsubjectreviews", "SelfSubjectReview", false),
      new Kind(AUTHENTICATION, "tokenreviews", "TokenReview", false),
      new Kind(AUTHORIZATION, "localsubjectaccessreviews", "LocalSubjectAccessReview", true),
      new Kind(AUTHORIZATION, "selfsubjectaccessreviews", "SelfSubjectAccessReview", false),
      new Kind(AUTHORIZATION, "selfsubjectrulesreviews", "SelfSubjectRulesReview", false),
      new Kind(AUTHORIZATION, "subjectaccessreviews", "SubjectAccessReview", false));

  private final AccessControl access;

  ReviewApi(AccessControl access) {
    this.access = access;
  }

  static boolean serves(String group) {
    return group.equals(AUTHORIZATION) || group.equals(AUTHENTICATION);
  }

  /** Its kinds as discovery lists them: each is only created. */
  static final List<ApiResource> RESOURCES = KINDS.stream()
      .map(k -> ApiResource.unstored(k.group(), VERSION, k.plural(), k.kind().toLowerCase(), k.kind(), k.namespaced(),
          List.of("create")))
      .toList();

  /**
   * /apis/{group}/v1/[namespaces/{ns}/]{plural}: the answer to a POST of a review.
   *
   * @param rest the path after the version
   */
  HttpResponse handle(ApiRequest request, String group, List<String> rest) {
    String namespace = null;
    List<String> r = rest;
    if (r.size() == 3 && r.get(0).equals("namespaces")) {
      namespace = r.get(1);
      r = r.subList(2, 3);
    }
    if (r.size() != 1) throw notFound();
    String plural = r.get(0);
    Kind kind = KINDS.stream().filter(k -> k.group().equals(group) && k.plural().equals(plural)).findFirst()
        .orElseThrow(ReviewApi::notFound);
    if (kind.namespaced() != (namespace != null)) throw notFound();
    if (!request.method().equals("POST")) throw ApiException.methodNotAllowed(group, plural, "");
    JsonNode body = request.bodyTree();
    if (!body.isObject()) throw ApiException.badRequest("the body of a " + kind.kind() + " must be an object");
    ObjectNode review = Json.object();
    review.put("kind", kind.kind()).put("apiVersion", group + "/" + VERSION);
    ObjectNode metadata = body.path("metadata").isObject() ? ((ObjectNode) body.get("metadata")).deepCopy() : Json.object();
    metadata.putNull("creationTimestamp");
    review.set("metadata", metadata);
    ObjectNode spec = body.path("spec").isObject() ? ((ObjectNode) body.get("spec")).deepCopy() : Json.object();
    UserInfo requester = request.user();
    ObjectNode status = switch (kind.kind()) {
      case "SelfSubjectAccessReview" -> accessReview(kind, requester, spec, null);
      case "SubjectAccessReview" -> accessReview(kind, subject(kind, spec), spec, null);
      case "LocalSubjectAccessReview" -> accessReview(kind, subject(kind, spec), spec, namespace);
      case "SelfSubjectRulesReview" -> rulesReview(requester, spec);
      case "SelfSubjectReview" -> Json.object().set("userInfo", userInfo(requester));
      case "TokenReview" -> tokenReview(spec);
      default -> throw notFound();
    };
    if (!spec.isEmpty() || !kind.kind().equals("SelfSubjectReview")) review.set("spec", spec);
    review.set("status", status);
    return Responses.json(201, review);
  }

  /** The user a SubjectAccessReview asks about: spec.user, groups, uid and extra (validation.go: one of user or groups). */
  private static UserInfo subject(Kind kind, ObjectNode spec) {
    String user = spec.path("user").asText("");
    List<String> groups = new ArrayList<>();
    spec.path("groups").forEach(g -> groups.add(g.asText()));
    if (user.isEmpty() && groups.isEmpty()) {
      throw ApiException.invalid(AUTHORIZATION, kind.kind(), "", List.of(new ApiException.Cause("FieldValueInvalid",
          "Invalid value: \"\": at least one of user or group must be specified", "spec.user")));
    }
    Map<String, List<String>> extra = new LinkedHashMap<>();
    spec.path("extra").properties().forEach(e -> {
      List<String> values = new ArrayList<>();
      e.getValue().forEach(v -> values.add(v.asText()));
      extra.put(e.getKey(), values);
    });
    return new UserInfo(user, spec.path("uid").asText(""), groups, extra);
  }

  private ObjectNode accessReview(Kind kind, UserInfo user, ObjectNode spec, String namespace) {
    JsonNode resource = spec.path("resourceAttributes");
    JsonNode nonResource = spec.path("nonResourceAttributes");
    if (resource.isObject() == nonResource.isObject()) {
      String field = resource.isObject() ? "spec.nonResourceAttributes" : "spec.resourceAttributes";
      String message = resource.isObject()
          ? "Forbidden: cannot be specified in combination with resourceAttributes"
          : "Required value: exactly one of nonResourceAttributes or resourceAttributes must be specified";
      throw ApiException.invalid(AUTHORIZATION, kind.kind(), "", List.of(new ApiException.Cause(
          resource.isObject() ? "FieldValueForbidden" : "FieldValueRequired", message, field)));
    }
    if (namespace != null && resource.isObject() && !resource.path("namespace").asText("").equals(namespace)) {
      throw ApiException.invalid(AUTHORIZATION, kind.kind(), "", List.of(new ApiException.Cause("FieldValueInvalid",
          "Invalid value: \"" + resource.path("namespace").asText("") + "\": must match metadata.namespace",
          "spec.resourceAttributes.namespace")));
    }
    Attributes attributes = resource.isObject()
        ? new Attributes(user, resource.path("verb").asText(""), true, resource.path("group").asText(""),
            resource.path("version").asText(""), resource.path("resource").asText(""),
            resource.path("subresource").asText(""), resource.path("namespace").asText(""), resource.path("name").asText(""), "")
        : Attributes.nonResource(user, nonResource.path("verb").asText(""), nonResource.path("path").asText(""));
    Authorizer.Decision decision = access.authorizer().authorize(attributes);
    ObjectNode status = Json.object();
    status.put("allowed", decision.allowed());
    if (decision.outcome() == Authorizer.Decision.Outcome.DENY) status.put("denied", true);
    if (!decision.reason().isEmpty()) status.put("reason", decision.reason());
    return status;
  }

  /** SelfSubjectRulesReview: the rules the requester holds in spec.namespace. */
  private ObjectNode rulesReview(UserInfo user, ObjectNode spec) {
    RuleResolver.Rules rules = access.authorizer().rulesFor(user, spec.path("namespace").asText(""));
    ObjectNode status = Json.object();
    ArrayNode resourceRules = status.putArray("resourceRules");
    ArrayNode nonResourceRules = status.putArray("nonResourceRules");
    for (PolicyRule rule : rules.rules()) {
      if (rule.getNonResourceURLs() != null && !rule.getNonResourceURLs().isEmpty()) {
        ObjectNode n = nonResourceRules.addObject();
        n.set("verbs", Json.MAPPER.valueToTree(rule.getVerbs()));
        n.set("nonResourceURLs", Json.MAPPER.valueToTree(rule.getNonResourceURLs()));
      } else {
        ObjectNode o = resourceRules.addObject();
        o.set("verbs", Json.MAPPER.valueToTree(rule.getVerbs()));
        if (rule.getApiGroups() != null && !rule.getApiGroups().isEmpty()) o.set("apiGroups", Json.MAPPER.valueToTree(rule.getApiGroups()));
        if (rule.getResources() != null && !rule.getResources().isEmpty()) o.set("resources", Json.MAPPER.valueToTree(rule.getResources()));
        if (rule.getResourceNames() != null && !rule.getResourceNames().isEmpty()) {
          o.set("resourceNames", Json.MAPPER.valueToTree(rule.getResourceNames()));
        }
      }
    }
    status.put("incomplete", rules.incomplete());
    if (rules.incomplete()) status.put("evaluationError", String.join(", ", rules.errors()));
    return status;
  }

  private ObjectNode tokenReview(ObjectNode spec) {
    ObjectNode status = Json.object();
    String token = spec.path("token").asText("");
    Authentication a = token.isEmpty() ? Authentication.none() : access.authenticator().authenticateToken(token);
    if (a.user().isEmpty()) {
      status.set("user", Json.object());
      status.put("error", token.isEmpty() ? "token is required" : "invalid bearer token");
      return status;
    }
    status.put("authenticated", true);
    status.set("user", userInfo(a.user().get()));
    if (spec.has("audiences")) status.set("audiences", spec.get("audiences"));
    return status;
  }

  private static ObjectNode userInfo(UserInfo user) {
    ObjectNode u = Json.object();
    u.put("username", user.name());
    if (!user.uid().isEmpty()) u.put("uid", user.uid());
    if (!user.groups().isEmpty()) u.set("groups", Json.MAPPER.valueToTree(user.groups()));
    if (!user.extra().isEmpty()) u.set("extra", Json.MAPPER.valueToTree(user.extra()));
    return u;
  }

  private static ApiException notFound() {
    return new ApiException(404, "NotFound", "the server could not find the requested resource", null, null, null, null);
  }
}
