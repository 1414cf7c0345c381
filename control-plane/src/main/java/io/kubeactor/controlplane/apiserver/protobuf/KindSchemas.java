package io.kubeactor.controlplane.apiserver.protobuf;

import com.google.protobuf.Descriptors.Descriptor;
import com.google.protobuf.Descriptors.FileDescriptor;
import io.kubernetes.client.proto.Meta;
import io.kubernetes.client.proto.V1;
import io.kubernetes.client.proto.V1Apps;
import io.kubernetes.client.proto.V1Authentication;
import io.kubernetes.client.proto.V1Authorization;
import io.kubernetes.client.proto.V1Autoscaling;
import io.kubernetes.client.proto.V1Batch;
import io.kubernetes.client.proto.V1Certificates;
import io.kubernetes.client.proto.V1Networking;
import io.kubernetes.client.proto.V1Policy;
import io.kubernetes.client.proto.V1Rbac;
import io.kubernetes.client.proto.V1Scheduling;
import io.kubernetes.client.proto.V1Storage;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/** The protobuf message of each kind, found from the apiVersion and kind of a body's envelope. */
final class KindSchemas {
  private KindSchemas() {}

  static final String META_PACKAGE = "k8s.io.apimachinery.pkg.apis.meta";

  /** The generated.proto files whose kinds can be decoded. */
  static final List<FileDescriptor> FILES = List.of(
      V1.getDescriptor(), V1Apps.getDescriptor(), V1Batch.getDescriptor(), V1Networking.getDescriptor(),
      V1Policy.getDescriptor(), V1Rbac.getDescriptor(), V1Storage.getDescriptor(), V1Autoscaling.getDescriptor(),
      V1Scheduling.getDescriptor(), V1Authentication.getDescriptor(), V1Authorization.getDescriptor(),
      V1Certificates.getDescriptor(), Meta.getDescriptor());

  /** The proto package of each API group of {@link #FILES}, without its version. */
  private static final Map<String, String> PROTO_PACKAGES = Map.ofEntries(
      Map.entry("", "k8s.io.api.core"),
      Map.entry("apps", "k8s.io.api.apps"),
      Map.entry("batch", "k8s.io.api.batch"),
      Map.entry("networking.k8s.io", "k8s.io.api.networking"),
      Map.entry("policy", "k8s.io.api.policy"),
      Map.entry("rbac.authorization.k8s.io", "k8s.io.api.rbac"),
      Map.entry("storage.k8s.io", "k8s.io.api.storage"),
      Map.entry("autoscaling", "k8s.io.api.autoscaling"),
      Map.entry("scheduling.k8s.io", "k8s.io.api.scheduling"),
      Map.entry("authentication.k8s.io", "k8s.io.api.authentication"),
      Map.entry("authorization.k8s.io", "k8s.io.api.authorization"),
      Map.entry("certificates.k8s.io", "k8s.io.api.certificates"),
      Map.entry("meta.k8s.io", META_PACKAGE));

  /** Options kinds that Kubernetes registers in every group version (metav1.AddToGroupVersion). */
  private static final Set<String> OPTIONS_KINDS =
      Set.of("DeleteOptions", "CreateOptions", "UpdateOptions", "PatchOptions", "GetOptions", "ListOptions");

  private static final Map<String, Descriptor> MESSAGES = new HashMap<>();

  static {
    for (FileDescriptor file : FILES) {
      for (Descriptor message : file.getMessageTypes()) MESSAGES.put(message.getFullName(), message);
    }
  }

  /** The message of {@code kind} in {@code apiVersion} ("v1", "apps/v1", "meta.k8s.io/v1"), if known. */
  static Optional<Descriptor> find(String apiVersion, String kind) {
    int slash = apiVersion.lastIndexOf('/');
    String group = slash < 0 ? "" : apiVersion.substring(0, slash);
    String version = apiVersion.substring(slash + 1);
    String protoPackage = PROTO_PACKAGES.get(group);
    if (protoPackage == null) return Optional.empty();
    Descriptor own = MESSAGES.get(protoPackage + "." + version + "." + kind);
    if (own != null || !OPTIONS_KINDS.contains(kind)) return Optional.ofNullable(own);
    return Optional.ofNullable(MESSAGES.get(META_PACKAGE + ".v1." + kind));
  }
}
