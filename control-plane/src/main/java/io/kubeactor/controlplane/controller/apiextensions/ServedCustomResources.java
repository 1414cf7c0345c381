package io.kubeactor.controlplane.controller.apiextensions;

import com.fasterxml.jackson.databind.JsonNode;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinition;
import io.kubeactor.common.Json;
import io.kubeactor.controlplane.api.ResourceRegistry;
import io.kubeactor.controlplane.api.ResourceType;
import io.kubeactor.controlplane.api.apiextensions.CustomResourceTypes;
import io.kubeactor.controlplane.client.Informer;
import io.kubeactor.controlplane.client.Informers;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps the API serving the custom resources of the established CustomResourceDefinitions, as
 * kube-apiserver's CRD handler follows its informer: a definition's kind is served (REST, watch,
 * discovery) from the moment its Established condition is True until the definition is gone.
 */
public final class ServedCustomResources implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(ServedCustomResources.class);

  private final ResourceRegistry types;
  private final Informer<CustomResourceDefinition> definitions;
  private AutoCloseable subscription;

  private ServedCustomResources(ResourceRegistry types, Informer<CustomResourceDefinition> definitions) {
    this.types = types;
    this.definitions = definitions;
  }

  /** Serves the definitions established now (before the API does), and follows their changes. */
  public static ServedCustomResources follow(Informers informers) {
    ServedCustomResources served = new ServedCustomResources(informers.types(),
        informers.of(CustomResourceDefinition.class));
    served.subscription = served.definitions.listAndAddHandler(e -> served.refresh()).subscription();
    served.refresh();
    return served;
  }

  private synchronized void refresh() {
    List<ResourceType> custom = new ArrayList<>();
    List<CustomResourceDefinition> all = new ArrayList<>(definitions.list());
    all.sort(Comparator.comparing(d -> d.getMetadata().getName()));
    for (CustomResourceDefinition definition : all) {
      try {
        JsonNode crd = Json.toTree(definition);
        if (CustomResourceTypes.established(crd)) custom.addAll(CustomResourceTypes.of(crd));
      } catch (RuntimeException e) {
        // one definition that cannot be read never stops the others from being served
        LOG.warn("not serving the custom resources of {}: {}", definition.getMetadata().getName(), e.toString());
      }
    }
    types.replaceCustomTypes(custom);
  }

  @Override
  public void close() throws Exception {
    subscription.close();
  }
}
