package io.kubeactor.controlplane.controller.serviceaccount;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.kubeactor.common.Json;
import io.kubeactor.controlplane.api.ResourceType;
import io.kubeactor.controlplane.registry.Registry;
import io.kubeactor.controlplane.registry.WriteOptions;
import io.kubeactor.controlplane.store.WatchCache;
import org.apache.pekko.actor.typed.Behavior;
import org.apache.pekko.actor.typed.javadsl.Behaviors;

/**
 * kube-controller-manager's serviceaccount controller: every active namespace has a "default"
 * ServiceAccount, made again if it is deleted. Pods run as it unless they name another, and take
 * its imagePullSecrets (note 004: {@code kubectl patch serviceaccount default}).
 */
public final class ServiceAccountsController {
  private ServiceAccountsController() {}

  private record Changed(WatchCache.Change change) {}

  public static Behavior<Object> create(Registry registry) {
    return Behaviors.setup(ctx -> {
      ResourceType namespaces = registry.types().find("/api/v1", "namespaces").orElseThrow();
      ResourceType accounts = registry.types().find("/api/v1", "serviceaccounts").orElseThrow();
      var self = ctx.getSelf();
      var nsWatch = registry.cache().watchFromNow(namespaces.storePrefix(), c -> self.tell(new Changed(c)));
      var saWatch = registry.cache().watchFromNow(accounts.storePrefix(), c -> self.tell(new Changed(c)));
      Runnable ensureAll = () -> registry.cache().state().withPrefix(namespaces.storePrefix()).values()
          .forEach(ns -> ensure(registry, accounts, ns.path("metadata").path("name").asText()));
      ensureAll.run();
      return Behaviors.receive(Object.class)
          .onMessage(Changed.class, m -> {
            WatchCache.Change c = m.change();
            String ns = c.key().startsWith(namespaces.storePrefix()) ? c.object().path("metadata").path("name").asText()
                : c.object().path("metadata").path("namespace").asText();
            boolean deletedAccount = c.key().startsWith(accounts.storePrefix()) && c.type() == WatchCache.Type.DELETED
                && c.object().path("metadata").path("name").asText().equals("default");
            boolean namespaceAdded = c.key().startsWith(namespaces.storePrefix()) && c.type() == WatchCache.Type.ADDED;
            if (deletedAccount || namespaceAdded) ensure(registry, accounts, ns);
            return Behaviors.same();
          })
          .onSignal(org.apache.pekko.actor.typed.PostStop.class, s -> {
            nsWatch.subscription().close();
            saWatch.subscription().close();
            return Behaviors.same();
          })
          .build();
    });
  }

  private static void ensure(Registry registry, ResourceType accounts, String namespace) {
    ResourceType namespaces = registry.types().find("/api/v1", "namespaces").orElseThrow();
    ObjectNode ns = registry.cache().state().get(namespaces.storeKey(null, namespace));
    if (ns == null || ns.path("metadata").hasNonNull("deletionTimestamp")) return;
    if (registry.cache().state().get(accounts.storeKey(namespace, "default")) != null) return;
    ObjectNode sa = Json.object();
    sa.put("apiVersion", "v1").put("kind", "ServiceAccount");
    sa.putObject("metadata").put("name", "default").put("namespace", namespace);
    // a conflict means it exists already: nothing to do
    registry.create(accounts, namespace, sa, WriteOptions.internal()).exceptionally(e -> null);
  }
}
