package io.kubeactor.controlplane.registry;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.kubeactor.controlplane.api.ApiException;
import io.kubeactor.controlplane.api.DeleteOptions;
import io.kubeactor.controlplane.api.ResourceType;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;

/**
 * pods/NAME/eviction (policy/v1 Eviction, what {@code kubectl drain} posts), as kube-apiserver's
 * EvictionREST: a pod covered by a PodDisruptionBudget is deleted only if the budget allows one
 * more disruption, which is then taken from it (disruptionsAllowed one less, the pod recorded in
 * disruptedPods until the disruption controller sees it go); otherwise 429 TooManyRequests. Pods
 * that are finished, Pending or already being deleted are deleted without asking, and a pod that is
 * not Ready is when the budget is met anyway (IfHealthyBudget) or its policy is AlwaysAllow. The
 * pod gets the DisruptionTarget condition before its (graceful) deletion.
 */
public final class PodEviction {
  private PodEviction() {}

  /** MaxDisruptedPodSize: more unconfirmed evictions than this and the budget refuses. */
  static final int MAX_DISRUPTED_PODS = 2000;
  /** Conflicting writes are tried again this many times (upstream's EvictionsRetry). */
  static final int RETRIES = 20;
  private static final Executor RETRY_DELAY = CompletableFuture.delayedExecutor(50, TimeUnit.MILLISECONDS);

  static final String TOO_MANY_REQUESTS = "Cannot evict pod as it would violate the pod's disruption budget.";

  /** Evicts the pod; completes once its deletion started, or fails with the API error to answer. */
  public static CompletionStage<Void> evict(Registry registry, String namespace, String name, DeleteOptions options,
      Clock clock) {
    return new Attempt(registry, namespace, name, options, clock).evict(0);
  }

  private static final class Attempt {
    final Registry registry;
    final ResourceType pods;
    final ResourceType budgets;
    final String namespace;
    final String name;
    final DeleteOptions options;
    final Clock clock;

    Attempt(Registry registry, String namespace, String name, DeleteOptions options, Clock clock) {
      this.registry = registry;
      this.pods = registry.types().find("/api/v1", "pods").orElseThrow();
      this.budgets = registry.types().find("/apis/policy/v1", "poddisruptionbudgets").orElseThrow();
      this.namespace = namespace;
      this.name = name;
      this.options = options;
      this.clock = clock;
    }

    CompletionStage<Void> evict(int attempt) {
      ObjectNode pod = registry.cache().state().get(pods.storeKey(namespace, name));
      if (pod == null) return CompletableFuture.failedFuture(ApiException.notFound("", "pods", name));
      if (canIgnoreBudget(pod)) {
        DeleteOptions opts = options.preconditionResourceVersion() == null && enforceResourceVersion(pod)
            ? withResourceVersion(options, resourceVersion(pod)) : options;
        return deleteWithCondition(opts).exceptionallyCompose(e -> conflict(e) && options.preconditionResourceVersion() == null
            && attempt < RETRIES ? CompletableFuture.supplyAsync(() -> null, RETRY_DELAY).thenCompose(x -> evict(attempt + 1))
            : CompletableFuture.failedFuture(e));
      }
      List<ObjectNode> covering = new ArrayList<>();
      for (ObjectNode pdb : registry.cache().state().trees(Registry.keyPrefix(budgets, namespace))) {
        if (PodDisruptionBudgets.coversForEviction(pdb, pod.path("metadata").path("labels"))) covering.add(pdb);
      }
      if (covering.size() > 1) {
        return CompletableFuture.failedFuture(new ApiException(500, null,
            "This pod has more than one PodDisruptionBudget, which the eviction subresource does not support.",
            null, null, null, null));
      }
      if (covering.isEmpty()) return deleteWithCondition(options);
      ObjectNode pdb = covering.get(0);
      String pdbName = pdb.path("metadata").path("name").asText();
      boolean unhealthyAllowed = !ready(pod) && unhealthyMayGo(pdb);
      CompletionStage<Void> budget = unhealthyAllowed ? CompletableFuture.completedFuture(null) : checkAndDecrement(pdbName, 0);
      return budget.thenCompose(x -> {
        // an unhealthy pod goes only if it did not turn Ready meanwhile
        DeleteOptions opts = unhealthyAllowed ? withResourceVersion(options, resourceVersion(pod)) : options;
        return deleteWithCondition(opts).exceptionallyCompose(e -> unhealthyAllowed && conflict(e)
            && options.preconditionResourceVersion() == null
            ? CompletableFuture.failedFuture(stillProcessing(pdbName)) : CompletableFuture.failedFuture(e));
      });
    }

    /** Default and IfHealthyBudget: an unready pod may go while the budget is met; AlwaysAllow: always. */
    private static boolean unhealthyMayGo(JsonNode pdb) {
      if ("AlwaysAllow".equals(pdb.path("spec").path("unhealthyPodEvictionPolicy").asText())) return true;
      JsonNode status = pdb.path("status");
      int desired = status.path("desiredHealthy").asInt(0);
      return status.path("currentHealthy").asInt(0) >= desired && desired > 0;
    }

    /** Takes one disruption from the budget (and records the pod in disruptedPods), or refuses. */
    private CompletionStage<Void> checkAndDecrement(String pdbName, int attempt) {
      ObjectNode pdb = registry.cache().state().get(budgets.storeKey(namespace, pdbName));
      if (pdb == null) return CompletableFuture.failedFuture(ApiException.notFound("policy", "poddisruptionbudgets", pdbName));
      ObjectNode status = pdb.withObjectProperty("status");
      if (status.path("observedGeneration").asLong(0) < pdb.path("metadata").path("generation").asLong(0)) {
        return CompletableFuture.failedFuture(stillProcessing(pdbName));
      }
      int allowed = status.path("disruptionsAllowed").asInt(0);
      if (allowed < 0) return CompletableFuture.failedFuture(forbidden(pdbName, "pdb disruptions allowed is negative"));
      if (status.path("disruptedPods").size() > MAX_DISRUPTED_PODS) {
        return CompletableFuture.failedFuture(forbidden(pdbName,
            "DisruptedPods map too big - too many evictions not confirmed by PDB controller"));
      }
      if (allowed == 0) {
        return CompletableFuture.failedFuture(new ApiException(429, "TooManyRequests", TOO_MANY_REQUESTS, null, null, null,
            List.of(new ApiException.Cause("DisruptionBudget", "The disruption budget " + pdbName + " needs "
                + status.path("desiredHealthy").asInt(0) + " healthy pods and has " + status.path("currentHealthy").asInt(0)
                + " currently", null))));
      }
      if (options.dryRun()) return CompletableFuture.completedFuture(null);
      ObjectNode updated = pdb.deepCopy();
      ObjectNode s = updated.withObjectProperty("status");
      s.put("disruptionsAllowed", allowed - 1);
      if (allowed - 1 == 0) PodDisruptionBudgets.updateDisruptionAllowed(s, clock.instant());
      s.withObjectProperty("disruptedPods").put(name, Registry.timestamp(clock.instant()));
      return registry.update(budgets, namespace, pdbName, "status", updated, WriteOptions.internal())
          .<Void>thenApply(x -> null)
          .exceptionallyCompose(e -> conflict(e) && attempt < RETRIES
              ? CompletableFuture.supplyAsync(() -> null, RETRY_DELAY).thenCompose(x -> checkAndDecrement(pdbName, attempt + 1))
              : CompletableFuture.failedFuture(conflict(e)
                  ? new ApiException(504, "Timeout", "Timeout: couldn't update PodDisruptionBudget \"" + pdbName
                      + "\" due to conflicts", null, null, null, null)
                  : e));
    }

    /** The DisruptionTarget condition (EvictionByEvictionAPI), then the deletion, both under the options' preconditions. */
    private CompletionStage<Void> deleteWithCondition(DeleteOptions opts) {
      if (opts.dryRun()) return registry.delete(pods, namespace, name, opts).thenApply(x -> null);
      return registry.guaranteedSubresourceUpdate(pods, namespace, name, current -> {
        JsonNode meta = current.path("metadata");
        if (opts.preconditionUid() != null && !opts.preconditionUid().equals(meta.path("uid").asText())) {
          throw ApiException.conflict("", "Pod", name, "the UID in the precondition (" + opts.preconditionUid()
              + ") does not match the UID in record (" + meta.path("uid").asText()
              + "). The object might have been deleted and then recreated");
        }
        if (opts.preconditionResourceVersion() != null
            && !opts.preconditionResourceVersion().equals(meta.path("resourceVersion").asText())) {
          throw ApiException.conflict("", "Pod", name, "the ResourceVersion in the precondition ("
              + opts.preconditionResourceVersion() + ") does not match the ResourceVersion in record ("
              + meta.path("resourceVersion").asText() + "). The object might have been modified");
        }
        PodConditions.set(current, PodConditions.DISRUPTION_TARGET, "True", "EvictionByEvictionAPI", "Eviction API: evicting",
            clock.instant());
        return current;
      }).thenCompose(updated -> registry.delete(pods, namespace, name, opts.preconditionResourceVersion() == null ? opts
          : withResourceVersion(opts, resourceVersion(updated)))).thenApply(x -> null);
    }
  }

  /** Finished, Pending or already being deleted: the eviction disrupts nothing more. */
  static boolean canIgnoreBudget(JsonNode pod) {
    String phase = pod.path("status").path("phase").asText("");
    return phase.equals("Succeeded") || phase.equals("Failed") || phase.equals("Pending")
        || pod.path("metadata").hasNonNull("deletionTimestamp");
  }

  /** A pod that could still turn Ready is deleted only as the version the decision was made on. */
  static boolean enforceResourceVersion(JsonNode pod) {
    String phase = pod.path("status").path("phase").asText("");
    return !phase.equals("Succeeded") && !phase.equals("Failed") && !pod.path("metadata").hasNonNull("deletionTimestamp");
  }

  static boolean ready(JsonNode pod) {
    for (JsonNode c : pod.path("status").path("conditions")) {
      if ("Ready".equals(c.path("type").asText())) return "True".equals(c.path("status").asText());
    }
    return false;
  }

  private static String resourceVersion(JsonNode o) {
    return o.path("metadata").path("resourceVersion").asText();
  }

  private static DeleteOptions withResourceVersion(DeleteOptions o, String rv) {
    return new DeleteOptions(o.gracePeriodSeconds(), o.propagationPolicy(), o.preconditionUid(), rv, o.dryRun());
  }

  private static ApiException stillProcessing(String pdbName) {
    return new ApiException(429, "TooManyRequests", TOO_MANY_REQUESTS, null, null, null, List.of(new ApiException.Cause(
        "DisruptionBudget", "The disruption budget " + pdbName + " is still being processed by the server.", null)));
  }

  private static ApiException forbidden(String pdbName, String why) {
    return new ApiException(403, "Forbidden", "poddisruptionbudgets.policy \"" + pdbName + "\" is forbidden: " + why,
        "policy", "poddisruptionbudgets", pdbName, null);
  }

  private static boolean conflict(Throwable e) {
    Throwable c = ApiException.unwrap(e);
    return c instanceof ApiException api && api.code == 409;
  }
}
