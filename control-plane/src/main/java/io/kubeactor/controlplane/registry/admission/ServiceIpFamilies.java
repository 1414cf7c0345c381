package io.kubeactor.controlplane.registry.admission;

import static io.kubeactor.controlplane.registry.admission.Nodes.text;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.kubeactor.controlplane.api.ApiException;
import io.kubeactor.controlplane.api.IpAddresses;
import java.util.List;
import java.util.Objects;

/**
 * The IP family fields of a Service (ipFamilyPolicy, ipFamilies) as the Service REST storage
 * completes them before it allocates (initIPFamilyFields of pkg/registry/core/service/storage/
 * alloc.go), on a single-stack IPv4 cluster: SingleStack and [IPv4] unless asked otherwise, the old
 * policy kept on updates, and a headless Service without selector RequireDualStack with both
 * families, as upstream does on any cluster. What this cluster cannot serve is a 422 with
 * upstream's messages.
 */
public final class ServiceIpFamilies {
  private ServiceIpFamilies() {}

  /** The only family the cluster's service range serves. */
  private static final String PRIMARY = "IPv4";
  private static final FieldPath SPEC = FieldPath.root("spec");

  /** Completes the fields in place; old is null on create. */
  public static void init(ObjectNode service, ObjectNode old) {
    ObjectNode spec = Nodes.object(service, "spec");
    JsonNode oldSpec = old == null ? null : old.path("spec");
    if (text(spec, "type").equals("ExternalName")) return;
    if (matchingPreferDualStack(spec, oldSpec)) return;
    boolean headlessSelectorless = text(spec, "clusterIP").equals("None") && Nodes.size(spec, "selector") == 0;
    if (!Nodes.has(spec, "ipFamilyPolicy")) {
      if (oldSpec != null && Nodes.has(oldSpec, "ipFamilyPolicy")) spec.put("ipFamilyPolicy", text(oldSpec, "ipFamilyPolicy"));
      else spec.put("ipFamilyPolicy", headlessSelectorless ? "RequireDualStack" : "SingleStack");
    }
    String name = service.path("metadata").path("name").asText();
    FieldErrors loose = new FieldErrors();
    ServiceValidation.clusterIPsRelatedFields(spec, loose);
    if (loose.size() > 0) throw ApiException.invalid("", "Service", name, loose.causes());

    String policy = text(spec, "ipFamilyPolicy");
    List<String> clusterIPs = MetadataValidation.strings(spec.get("clusterIPs"));
    FieldErrors errors = new FieldErrors();
    if (oldSpec != null) {
      List<String> oldClusterIPs = MetadataValidation.strings(oldSpec.get("clusterIPs"));
      List<String> oldFamilies = MetadataValidation.strings(oldSpec.get("ipFamilies"));
      List<String> families = MetadataValidation.strings(spec.get("ipFamilies"));
      if (policy.equals("SingleStack")) {
        // single-stack is a clear wish to drop the secondary family; the primary IP never changes
        if (oldClusterIPs.equals(clusterIPs) && clusterIPs.size() > 1) {
          spec.putArray("clusterIPs").add(clusterIPs.get(0));
          clusterIPs = List.of(clusterIPs.get(0));
        }
        if (oldFamilies.equals(families) && families.size() > 1) spec.putArray("ipFamilies").add(families.get(0));
      } else {
        if (!clusterIPs.isEmpty() && clusterIPs.size() < oldClusterIPs.size()) {
          errors.invalid(SPEC.child("ipFamilyPolicy"), policy, "must be 'SingleStack' to release the secondary cluster IP");
        }
        if (!families.isEmpty() && families.size() < oldFamilies.size()) {
          errors.invalid(SPEC.child("ipFamilyPolicy"), policy, "must be 'SingleStack' to release the secondary IP family");
        }
      }
    }
    if (policy.equals("SingleStack")) {
      if (clusterIPs.size() == 2) {
        errors.invalid(SPEC.child("ipFamilyPolicy"), policy, "must be 'RequireDualStack' or 'PreferDualStack' when multiple cluster IPs are specified");
      }
      if (Nodes.size(spec, "ipFamilies") == 2) {
        errors.invalid(SPEC.child("ipFamilyPolicy"), policy, "must be 'RequireDualStack' or 'PreferDualStack' when multiple IP families are specified");
      }
    }
    // families follow the cluster IPs asked for
    ArrayNode families = spec.withArrayProperty("ipFamilies");
    for (int i = 0; i < clusterIPs.size(); i++) {
      String ip = clusterIPs.get(i);
      if (ip.equals("None")) break;
      String family = IpAddresses.isIPv6(ip) ? "IPv6" : "IPv4";
      if (i >= families.size()) {
        if (!family.equals(PRIMARY)) {
          errors.invalid(SPEC.child("clusterIPs").index(i), GoValue.stringSlice(spec.get("clusterIPs")),
              family + " is not configured on this cluster");
        } else {
          families.add(family);
        }
      }
    }
    if (errors.size() > 0) throw ApiException.invalid("", "Service", name, errors.causes());

    if (headlessSelectorless) {
      if (families.isEmpty()) families.add(PRIMARY);
      if (families.size() < 2 && !policy.equals("SingleStack")) families.add(families.get(0).asText().equals("IPv4") ? "IPv6" : "IPv4");
      return;
    }
    if (policy.equals("RequireDualStack")) {
      errors.invalid(SPEC.child("ipFamilyPolicy"), policy, "this cluster is not configured for dual-stack services");
    }
    for (int i = 0; i < families.size(); i++) {
      if (!families.get(i).asText().equals(PRIMARY)) {
        errors.invalid(SPEC.child("ipFamilies").index(i), families.get(i).asText(), "not configured on this cluster");
      }
    }
    if (errors.size() > 0) throw ApiException.invalid("", "Service", name, errors.causes());
    if (families.isEmpty()) families.add(PRIMARY);
  }

  /** Two PreferDualStack services of an IP-bearing type with the same IPs and families: left as they are. */
  private static boolean matchingPreferDualStack(JsonNode spec, JsonNode oldSpec) {
    if (oldSpec == null || !Nodes.has(spec, "ipFamilyPolicy")) return false;
    String type = text(spec, "type");
    if (!type.equals(text(oldSpec, "type")) || !List.of("ClusterIP", "NodePort", "LoadBalancer").contains(type)) return false;
    if (!text(spec, "ipFamilyPolicy").equals("PreferDualStack")) return false;
    if (Nodes.has(oldSpec, "ipFamilyPolicy") && !text(oldSpec, "ipFamilyPolicy").equals("PreferDualStack")) return false;
    return Objects.equals(MetadataValidation.strings(spec.get("clusterIPs")), MetadataValidation.strings(oldSpec.get("clusterIPs")))
        && Objects.equals(MetadataValidation.strings(spec.get("ipFamilies")), MetadataValidation.strings(oldSpec.get("ipFamilies")));
  }
}
