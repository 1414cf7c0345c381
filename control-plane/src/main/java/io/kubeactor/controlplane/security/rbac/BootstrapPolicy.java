package io.kubeactor.controlplane.security.rbac;

import com.fasterxml.jackson.databind.JsonNode;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.api.model.rbac.AggregationRule;
import io.fabric8.kubernetes.api.model.rbac.ClusterRole;
import io.fabric8.kubernetes.api.model.rbac.ClusterRoleBinding;
import io.fabric8.kubernetes.api.model.rbac.PolicyRule;
import io.fabric8.kubernetes.api.model.rbac.Role;
import io.fabric8.kubernetes.api.model.rbac.RoleBinding;
import io.fabric8.kubernetes.api.model.rbac.RoleRef;
import io.fabric8.kubernetes.api.model.rbac.Subject;
import io.kubeactor.common.Json;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The roles and bindings a v1.32 API server creates at start (bootstrappolicy's ClusterRoles,
 * ClusterRoleBindings, ControllerRoles, ControllerRoleBindings, NamespaceRoles and
 * NamespaceRoleBindings), read from {@code bootstrap-policy.yaml} beside this class. Each call
 * returns new objects, the caller's to change.
 */
public final class BootstrapPolicy {

  public static final String AUTOUPDATE_ANNOTATION = "rbac.authorization.kubernetes.io/autoupdate";
  public static final String BOOTSTRAPPING_LABEL = "kubernetes.io/bootstrapping";
  static final String CONTROLLER_PREFIX = "system:controller:";
  static final String API_VERSION = "rbac.authorization.k8s.io/v1";

  private final JsonNode policy;

  private BootstrapPolicy(JsonNode policy) {
    this.policy = policy;
  }

  /** The policy of this release, from the class path. */
  public static BootstrapPolicy load() {
    return load("bootstrap-policy.yaml");
  }

  /**
   * The bindings kubeadm init adds for nodes' TLS bootstrap (kubeadm-policy.yaml): bootstrap tokens
   * of its node group may create CSRs and have them auto-approved, nodes their renewals. Reconciled
   * as the bootstrap policy is, after it.
   */
  public static BootstrapPolicy kubeadm() {
    return load("kubeadm-policy.yaml");
  }

  /**
   * The roles and bindings of the add-ons whose controllers run in the control plane
   * (addons-policy.yaml): local-path-provisioner, servicelb, the VPA and the cluster autoscaler.
   */
  public static BootstrapPolicy addons() {
    return load("addons-policy.yaml");
  }

  private static BootstrapPolicy load(String resource) {
    try (InputStream in = BootstrapPolicy.class.getResourceAsStream(resource)) {
      if (in == null) throw new IllegalStateException(resource + " is missing from the class path");
      return new BootstrapPolicy(Json.YAML.readTree(in));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** The cluster roles, the controllers' ones (system:controller:*) last. */
  public List<ClusterRole> clusterRoles() {
    List<ClusterRole> out = new ArrayList<>();
    for (JsonNode entry : policy.path("clusterRoles")) out.add(clusterRole(entry.path("name").asText(), entry));
    for (JsonNode entry : policy.path("controllerRoles")) {
      out.add(clusterRole(CONTROLLER_PREFIX + entry.path("name").asText(), entry));
    }
    return out;
  }

  /** The cluster role bindings, the controllers' ones (each to its ServiceAccount in kube-system) last. */
  public List<ClusterRoleBinding> clusterRoleBindings() {
    List<ClusterRoleBinding> out = new ArrayList<>();
    for (JsonNode entry : policy.path("clusterRoleBindings")) {
      ClusterRoleBinding b = typed(new ClusterRoleBinding(), entry.path("name").asText(), null, Map.of());
      b.setRoleRef(roleRef("ClusterRole", entry.path("role").asText(entry.path("name").asText())));
      b.setSubjects(subjects(entry.path("subjects")));
      out.add(b);
    }
    for (JsonNode entry : policy.path("controllerRoles")) {
      String controller = entry.path("name").asText();
      ClusterRoleBinding b = typed(new ClusterRoleBinding(), CONTROLLER_PREFIX + controller, null, Map.of());
      b.setRoleRef(roleRef("ClusterRole", CONTROLLER_PREFIX + controller));
      b.setSubjects(List.of(subject("ServiceAccount kube-system/" + controller)));
      out.add(b);
    }
    return out;
  }

  /** The roles of kube-system and kube-public. */
  public List<Role> roles() {
    List<Role> out = new ArrayList<>();
    for (JsonNode entry : policy.path("roles")) {
      Role r = typed(new Role(), entry.path("name").asText(), entry.path("namespace").asText(), Map.of());
      r.setRules(rules(entry.path("rules")));
      out.add(r);
    }
    return out;
  }

  /** The role bindings of kube-system and kube-public. */
  public List<RoleBinding> roleBindings() {
    List<RoleBinding> out = new ArrayList<>();
    for (JsonNode entry : policy.path("roleBindings")) {
      RoleBinding b = typed(new RoleBinding(), entry.path("name").asText(), entry.path("namespace").asText(), Map.of());
      b.setRoleRef(roleRef("Role", entry.path("role").asText(entry.path("name").asText())));
      b.setSubjects(subjects(entry.path("subjects")));
      out.add(b);
    }
    return out;
  }

  private static ClusterRole clusterRole(String name, JsonNode entry) {
    Map<String, String> labels = new LinkedHashMap<>();
    entry.path("labels").fields().forEachRemaining(e -> labels.put(e.getKey(), e.getValue().asText()));
    ClusterRole r = typed(new ClusterRole(), name, null, labels);
    if (entry.has("aggregationRule")) {
      r.setAggregationRule(Json.fromTree(entry.get("aggregationRule"), AggregationRule.class));
      r.setRules(new ArrayList<>());
    } else {
      r.setRules(rules(entry.path("rules")));
    }
    return r;
  }

  /** The object (whose kind its model sets) with its apiVersion, name and the metadata every bootstrap object has. */
  private static <T extends HasMetadata> T typed(T object, String name, String namespace, Map<String, String> labels) {
    object.setApiVersion(API_VERSION);
    Map<String, String> allLabels = new LinkedHashMap<>();
    allLabels.put(BOOTSTRAPPING_LABEL, "rbac-defaults");
    allLabels.putAll(labels);
    object.setMetadata(new ObjectMetaBuilder().withName(name).withNamespace(namespace).withLabels(allLabels)
        .withAnnotations(new LinkedHashMap<>(Map.of(AUTOUPDATE_ANNOTATION, "true"))).build());
    return object;
  }

  private static List<PolicyRule> rules(JsonNode rules) {
    List<PolicyRule> out = new ArrayList<>();
    for (JsonNode rule : rules) out.add(Json.fromTree(rule, PolicyRule.class));
    return out;
  }

  private static RoleRef roleRef(String kind, String name) {
    return new RoleRef(RbacEscalationCheck.GROUP, kind, name);
  }

  private static List<Subject> subjects(JsonNode subjects) {
    List<Subject> out = new ArrayList<>();
    for (JsonNode s : subjects) out.add(subject(s.asText()));
    return out;
  }

  /** "Group system:masters", "User system:kube-proxy", "ServiceAccount kube-system/kube-dns". */
  static Subject subject(String text) {
    int space = text.indexOf(' ');
    String kind = text.substring(0, space);
    String name = text.substring(space + 1);
    if (kind.equals("ServiceAccount")) {
      int slash = name.indexOf('/');
      return new Subject("", kind, name.substring(slash + 1), name.substring(0, slash));
    }
    return new Subject(RbacEscalationCheck.GROUP, kind, name, null);
  }
}
