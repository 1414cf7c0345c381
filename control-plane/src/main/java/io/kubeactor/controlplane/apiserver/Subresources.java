package io.kubeactor.controlplane.apiserver;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.kubeactor.common.Json;
import io.kubeactor.controlplane.api.ApiException;
import io.kubeactor.controlplane.api.DeleteOptions;
import io.kubeactor.controlplane.api.ResourceType;
import io.kubeactor.controlplane.api.selector.LabelSelector;
import io.kubeactor.controlplane.apiserver.options.MediaTypes;
import io.kubeactor.controlplane.apiserver.options.QueryParameters;
import io.kubeactor.controlplane.apiserver.options.WriteOptionsDecoder;
import io.kubeactor.controlplane.registry.PodBinding;
import io.kubeactor.controlplane.registry.PodEviction;
import io.kubeactor.controlplane.registry.Registry;
import io.kubeactor.controlplane.registry.Scales;
import io.kubeactor.controlplane.security.serviceaccount.TokenRequests;
import io.kubeactor.controlplane.registry.WriteOptions;
import io.kubeactor.controlplane.registry.patch.PatchEngine;
import java.time.Clock;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import org.apache.pekko.http.javadsl.model.HttpResponse;

/** The subresources that answer with another kind or act on a part of the object. */
final class Subresources {
  private Subresources() {}

  /** NAME/scale of Deployments, ReplicaSets, StatefulSets and scalable custom resources: an autoscaling/v1 Scale. */
  static CompletionStage<HttpResponse> scale(Registry registry, ApiRequest r, QueryParameters q) {
    ResourceType t = r.type();
    return switch (r.method()) {
      case "GET" -> CompletableFuture.completedFuture(Responses.json(Scales.scaleOf(t, registry.get(t, r.namespace(), r.name()))));
      case "PUT", "PATCH" -> {
        WriteOptions opts;
        String bodyType;
        if (r.method().equals("PUT")) {
          bodyType = MediaTypes.bodyType(r.rawContentType());
          opts = WriteOptionsDecoder.update(q, r.user(), r.header("User-Agent"));
        } else {
          bodyType = MediaTypes.patchType(r.rawContentType());
          opts = WriteOptionsDecoder.patch(q, bodyType, r.user(), r.header("User-Agent"));
        }
        JsonNode body = r.bodyTree();
        // as upstream's scale handler, the fields a Scale sets are owned through the "scale" subresource
        yield registry.guaranteedUpdate(t, r.namespace(), r.name(), 0, opts.withFieldSubresource("scale"), current -> {
          ObjectNode scale = Scales.scaleOf(t, current);
          ObjectNode wanted = r.method().equals("PUT")
              ? ResourceHandler.object(body)
              : PatchEngine.apply(bodyType, scale, body, io.fabric8.kubernetes.api.model.autoscaling.v1.Scale.class);
          String askedRv = wanted.path("metadata").path("resourceVersion").asText("");
          if (!askedRv.isEmpty() && !askedRv.equals(scale.path("metadata").path("resourceVersion").asText())) {
            throw ApiException.conflict(t.group(), t.plural(), r.name(),
                "the object has been modified; please apply your changes to the latest version and try again");
          }
          JsonNode replicas = wanted.path("spec").path("replicas");
          if (!replicas.isMissingNode() && !replicas.isNull()) {
            if (!replicas.canConvertToInt() || replicas.asInt() < 0) {
              throw ApiException.invalid("autoscaling", "Scale", r.name(), java.util.List.of(new ApiException.Cause(
                  "FieldValueInvalid", "Invalid value: " + replicas + ": must be greater than or equal to 0", "spec.replicas")));
            }
            Scales.setReplicas(t, current, replicas.asInt());
          }
          return current;
        }).thenApply(updated -> Responses.json(Scales.scaleOf(t, updated)));
      }
      default -> throw ApiException.methodNotAllowed(t.group(), t.plural(), r.name());
    };
  }

  /** pods/NAME/binding: assigns the pod to a node, once (the scheduler's write). */
  static CompletionStage<HttpResponse> bind(Registry registry, ApiRequest r, QueryParameters q, Clock clock) {
    if (!r.method().equals("POST")) {
      throw ApiException.methodNotAllowed("", "pods", r.name());
    }
    MediaTypes.bodyType(r.rawContentType());
    WriteOptionsDecoder.create(q, r.user(), r.header("User-Agent"));
    JsonNode binding = r.bodyTree();
    String node = binding.path("target").path("name").asText("");
    if (node.isEmpty()) {
      throw ApiException.invalid("", "Binding", r.name(), java.util.List.of(
          new ApiException.Cause("FieldValueRequired", "Required value", "target.name")));
    }
    return PodBinding.bind(registry, r.type(), r.namespace(), r.name(), node, clock)
        .thenApply(p -> Responses.json(201, Responses.success("", "pods", r.name(), null)));
  }

  /** serviceaccounts/NAME/token: a TokenRequest answered with a token ({@code kubectl create token}). */
  static CompletionStage<HttpResponse> token(Registry registry, TokenRequests tokens, ApiRequest r, QueryParameters q) {
    if (!r.method().equals("POST")) {
      throw ApiException.methodNotAllowed("", "serviceaccounts", r.name());
    }
    MediaTypes.bodyType(r.rawContentType());
    WriteOptionsDecoder.create(q, r.user(), r.header("User-Agent"));
    // admission (NodeRestriction) sees the request before it is answered
    registry.admitSubresource(r.type(), r.namespace(), r.name(), "token", objectOrEmpty(r.bodyTree()), r.user());
    TokenRequests.Response answer = tokens.create(r.namespace(), r.name(), r.bodyTree());
    return CompletableFuture.completedFuture(Responses.withWarnings(Responses.json(201, answer.tokenRequest()), answer.warnings()));
  }

  /** pods/NAME/eviction: a deletion that honours the pod's PodDisruptionBudget ({@link PodEviction}). */
  static CompletionStage<HttpResponse> evict(Registry registry, ApiRequest r, QueryParameters q, Clock clock) {
    if (!r.method().equals("POST")) {
      throw ApiException.methodNotAllowed("", "pods", r.name());
    }
    MediaTypes.bodyType(r.rawContentType());
    boolean dryRun = WriteOptionsDecoder.create(q, r.user(), r.header("User-Agent")).dryRun();
    JsonNode eviction = r.bodyTree();
    registry.admitSubresource(r.type(), r.namespace(), r.name(), "eviction", objectOrEmpty(eviction), r.user());
    if (!r.name().equals(eviction.path("metadata").path("name").asText(""))) {
      throw ApiException.badRequest("name in URL does not match name in Eviction object");
    }
    DeleteOptions opts = DeleteOptions.from(eviction.path("deleteOptions").isObject() ? eviction.get("deleteOptions") : null,
        null, null, dryRun);
    return PodEviction.evict(registry, r.namespace(), r.name(), opts, clock)
        .thenApply(p -> Responses.json(201, Responses.success("policy", "Eviction", r.name(), null)));
  }

  private static ObjectNode objectOrEmpty(JsonNode body) {
    return body instanceof ObjectNode o ? o : Json.object();
  }
}
