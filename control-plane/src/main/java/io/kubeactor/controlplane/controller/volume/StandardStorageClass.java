package io.kubeactor.controlplane.controller.volume;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.kubeactor.common.Json;
import io.kubeactor.controlplane.api.ApiException;
import io.kubeactor.controlplane.api.ResourceRegistry;
import io.kubeactor.controlplane.api.ResourceType;
import io.kubeactor.controlplane.api.storage.PersistentVolumes;
import io.kubeactor.controlplane.client.ApiWriter;
import io.kubeactor.controlplane.client.FreshRead;
import io.kubeactor.controlplane.registry.admission.DefaultStorageClass;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/**
 * The cluster's default StorageClass, "standard", as kind installs it with its local-path
 * provisioner: volumes are directories on the node of the claim's first pod, made when that pod
 * is scheduled (WaitForFirstConsumer) and deleted with their claim. Created when the control
 * plane starts if it is absent.
 */
public final class StandardStorageClass {
  private StandardStorageClass() {}

  public static final String NAME = "standard";

  public static ObjectNode manifest() {
    ObjectNode c = Json.object();
    c.put("apiVersion", "storage.k8s.io/v1").put("kind", "StorageClass");
    c.putObject("metadata").put("name", NAME).putObject("annotations").put(DefaultStorageClass.IS_DEFAULT_CLASS, "true");
    c.put("provisioner", LocalPathProvisioner.PROVISIONER_NAME)
        .put("reclaimPolicy", "Delete")
        .put("volumeBindingMode", PersistentVolumes.WAIT_FOR_FIRST_CONSUMER);
    return c;
  }

  /** Creates the class unless one of that name exists; completes when it exists. */
  public static CompletionStage<Void> ensure(ApiWriter writer, FreshRead fresh, ResourceRegistry types) {
    ResourceType classes = types.find("/apis/storage.k8s.io/v1", "storageclasses").orElseThrow();
    if (fresh.exists(classes, null, NAME)) return CompletableFuture.completedFuture(null);
    return writer.create(classes, null, manifest())
        .<Void>thenApply(created -> null)
        .exceptionallyCompose(e -> {
          Throwable cause = ApiException.unwrap(e);
          return cause instanceof ApiException api && api.code == 409
              ? CompletableFuture.completedFuture(null) : CompletableFuture.failedFuture(cause);
        });
  }
}
