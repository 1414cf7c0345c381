package io.kubeactor.controlplane.api;

import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.ContainerPort;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.KeyToPath;
import io.fabric8.kubernetes.api.model.LabelSelectorRequirement;
import io.fabric8.kubernetes.api.model.OwnerReference;
import io.fabric8.kubernetes.api.model.PodSpec;
import io.fabric8.kubernetes.api.model.ServicePort;
import io.fabric8.kubernetes.api.model.Taint;
import io.fabric8.kubernetes.api.model.Volume;
import io.fabric8.kubernetes.api.model.VolumeMount;
import io.fabric8.kubernetes.api.model.apps.ControllerRevision;
import io.fabric8.kubernetes.api.model.apps.DaemonSetSpec;
import io.fabric8.kubernetes.api.model.apps.DeploymentSpec;
import io.fabric8.kubernetes.api.model.apps.ReplicaSetSpec;
import io.fabric8.kubernetes.api.model.apps.StatefulSetSpec;
import io.fabric8.kubernetes.api.model.batch.v1.CronJobSpec;
import io.fabric8.kubernetes.api.model.batch.v1.JobSpec;
import io.fabric8.kubernetes.api.model.discovery.v1.EndpointSlice;
import io.fabric8.kubernetes.api.model.storage.StorageClass;
import java.util.List;
import java.util.Map;

/**
 * Fields Kubernetes' types declare without {@code omitempty} on the types people most often write:
 * Go writes them even when empty ({@code "name": ""}, {@code "containerPort": 0}), its OpenAPI
 * marks them required, and clients generated from it (Python's) refuse an object without them. A
 * kind whose template Kubernetes does not validate (a StatefulSet's pod spec) can hold them empty.
 */
public final class RequiredFields {
  private RequiredFields() {}

  private static final Map<Class<?>, List<String>> BY_MODEL = Map.ofEntries(
      Map.entry(Container.class, List.of("name")),
      Map.entry(ContainerPort.class, List.of("containerPort")),
      Map.entry(EnvVar.class, List.of("name")),
      Map.entry(KeyToPath.class, List.of("key", "path")),
      Map.entry(PodSpec.class, List.of("containers")),
      Map.entry(ServicePort.class, List.of("port")),
      Map.entry(Taint.class, List.of("key", "effect")),
      Map.entry(Volume.class, List.of("name")),
      Map.entry(VolumeMount.class, List.of("name", "mountPath")),
      Map.entry(DaemonSetSpec.class, List.of("selector", "template")),
      Map.entry(DeploymentSpec.class, List.of("selector", "template")),
      Map.entry(ReplicaSetSpec.class, List.of("selector")),
      Map.entry(StatefulSetSpec.class, List.of("selector", "template")),
      Map.entry(ControllerRevision.class, List.of("revision")),
      Map.entry(JobSpec.class, List.of("template")),
      Map.entry(CronJobSpec.class, List.of("schedule", "jobTemplate")),
      Map.entry(EndpointSlice.class, List.of("addressType", "endpoints")),
      Map.entry(StorageClass.class, List.of("provisioner")),
      Map.entry(LabelSelectorRequirement.class, List.of("key", "operator")),
      Map.entry(OwnerReference.class, List.of("apiVersion", "kind", "name", "uid")));

  /** The model's required fields, in the order upstream's OpenAPI lists them; none for most models. */
  public static List<String> of(Class<?> model) {
    return BY_MODEL.getOrDefault(model, List.of());
  }
}
