package io.kubeactor.controlplane.security.rbac;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.LabelSelector;
import io.fabric8.kubernetes.api.model.ObjectMeta;
import io.fabric8.kubernetes.api.model.rbac.AggregationRule;
import io.fabric8.kubernetes.api.model.rbac.ClusterRole;
import io.fabric8.kubernetes.api.model.rbac.ClusterRoleBinding;
import io.fabric8.kubernetes.api.model.rbac.PolicyRule;
import io.fabric8.kubernetes.api.model.rbac.Role;
import io.fabric8.kubernetes.api.model.rbac.RoleBinding;
import io.fabric8.kubernetes.api.model.rbac.RoleRef;
import io.fabric8.kubernetes.api.model.rbac.Subject;
import io.kubeactor.controlplane.api.ApiException;
import io.kubeactor.controlplane.api.ResourceType;
import io.kubeactor.controlplane.client.ApiWriter;
import io.kubeactor.controlplane.client.FreshRead;
import io.kubeactor.controlplane.client.Informers;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.function.BiFunction;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * kube-apiserver's "rbac/bootstrap-roles" post-start hook (pkg/registry/rbac/rest/storage_rbac.go
 * with pkg/registry/rbac/reconciliation): every object of the {@link BootstrapPolicy} is created
 * if missing; one that exists is brought up to date, adding to it (never taking away) the rules,
 * aggregation selectors, subjects, labels and annotations it lacks, unless it is annotated
 * {@code rbac.authorization.kubernetes.io/autoupdate: "false"}. A binding whose roleRef differs is
 * deleted and created again, since a roleRef cannot change.
 */
public final class BootstrapPolicyReconciler {

  private static final Logger LOG = LoggerFactory.getLogger(BootstrapPolicyReconciler.class);

  private final ApiWriter writer;
  private final FreshRead fresh;
  private final Informers informers;

  public BootstrapPolicyReconciler(ApiWriter writer, FreshRead fresh, Informers informers) {
    this.writer = writer;
    this.fresh = fresh;
    this.informers = informers;
  }

  /**
   * Reconciles the whole policy, one object after another (cluster roles, cluster role bindings,
   * then the roles and bindings of kube-system and kube-public, which must exist); completes when
   * all are written, or with the first failure after trying the rest.
   */
  public CompletionStage<Void> reconcile(BootstrapPolicy policy) {
    List<java.util.function.Supplier<CompletionStage<Void>>> steps = new ArrayList<>();
    for (ClusterRole r : policy.clusterRoles()) steps.add(() -> ensure(r, BootstrapPolicyReconciler::reconciledRole, 0));
    for (ClusterRoleBinding b : policy.clusterRoleBindings()) {
      steps.add(() -> ensure(b, BootstrapPolicyReconciler::reconciledBinding, 0));
    }
    for (Role r : policy.roles()) steps.add(() -> ensure(r, BootstrapPolicyReconciler::reconciledRole, 0));
    for (RoleBinding b : policy.roleBindings()) steps.add(() -> ensure(b, BootstrapPolicyReconciler::reconciledBinding, 0));
    List<Throwable> failures = new ArrayList<>();
    CompletionStage<Void> chain = CompletableFuture.completedFuture(null);
    for (var step : steps) {
      chain = chain.thenCompose(x -> step.get().exceptionally(e -> {
        failures.add(ApiException.unwrap(e));
        return null;
      }));
    }
    return chain.thenCompose(x -> failures.isEmpty() ? CompletableFuture.completedFuture(null)
        : CompletableFuture.failedFuture(failures.get(0)));
  }

  /** What reconciliation does to an existing object: the object to write, or null when it is up to date. */
  private enum Outcome { NONE, UPDATE, RECREATE }

  private record Reconciled<T>(Outcome outcome, T object) {}

  /** How often one object is read and reconciled again when another writer changed it meanwhile. */
  private static final int CONFLICT_RETRIES = 5;

  @SuppressWarnings("unchecked")
  private <T extends HasMetadata> CompletionStage<Void> ensure(T expected, BiFunction<T, T, Reconciled<T>> reconcile,
      int attempt) {
    ResourceType type = informers.typeOf(expected.getClass());
    String namespace = expected.getMetadata().getNamespace();
    String name = expected.getMetadata().getName();
    T existing = (T) fresh.get(type, namespace, name, expected.getClass());
    if (existing == null) {
      LOG.debug("created {} {}", type.kind(), name);
      return ignoreConflict(writer.create(expected));
    }
    if ("false".equals(annotations(existing.getMetadata()).get(BootstrapPolicy.AUTOUPDATE_ANNOTATION))) {
      return CompletableFuture.completedFuture(null);
    }
    Reconciled<T> result = reconcile.apply(expected, existing);
    CompletionStage<Void> write = switch (result.outcome()) {
      case NONE -> CompletableFuture.completedFuture(null);
      case UPDATE -> writer.update(result.object()).thenApply(x -> (Void) null);
      case RECREATE -> writer.delete(existing, null).thenCompose(x -> ignoreConflict(writer.create(result.object())));
    };
    // another writer (the aggregation controller, a user) changed the object since it was read: read it again
    return write.exceptionallyCompose(e -> ApiException.hasCode(e, 409) && attempt < CONFLICT_RETRIES
        ? ensure(expected, reconcile, attempt + 1) : CompletableFuture.failedFuture(ApiException.unwrap(e)));
  }

  private static <T> CompletionStage<Void> ignoreConflict(CompletionStage<T> create) {
    return create.<Void>thenApply(x -> null).exceptionallyCompose(e -> ApiException.hasCode(e, 409)
        ? CompletableFuture.completedFuture(null) : CompletableFuture.failedFuture(ApiException.unwrap(e)));
  }

  /** computeReconciledRole: the existing role with the expected labels, annotations, rules and selectors it lacks. */
  static <T extends HasMetadata> Reconciled<T> reconciledRole(T expected, T existing) {
    T result = copyOf(existing);
    boolean changed = mergeMetadata(expected.getMetadata(), result.getMetadata());
    List<PolicyRule> missing = PolicyRules.uncovered(rulesOf(existing), rulesOf(expected));
    if (!missing.isEmpty()) {
      List<PolicyRule> rules = new ArrayList<>(rulesOf(existing));
      rules.addAll(missing);
      setRules(result, rules);
      changed = true;
    }
    if (expected instanceof ClusterRole e && e.getAggregationRule() != null) {
      ClusterRole r = (ClusterRole) result;
      AggregationRule rule = r.getAggregationRule() == null ? new AggregationRule(new ArrayList<>()) : r.getAggregationRule();
      List<LabelSelector> selectors = new ArrayList<>(rule.getClusterRoleSelectors() == null ? List.of() : rule.getClusterRoleSelectors());
      for (LabelSelector s : e.getAggregationRule().getClusterRoleSelectors()) {
        if (!selectors.contains(s)) {
          selectors.add(s);
          changed = true;
        }
      }
      rule.setClusterRoleSelectors(selectors);
      r.setAggregationRule(rule);
    }
    return new Reconciled<>(changed ? Outcome.UPDATE : Outcome.NONE, result);
  }

  /** computeReconciledRoleBinding: the expected subjects added; a different roleRef means delete and create. */
  static <T extends HasMetadata> Reconciled<T> reconciledBinding(T expected, T existing) {
    // upstream resets such a binding to the expected one entirely
    if (!sameRef(roleRefOf(expected), roleRefOf(existing))) return new Reconciled<>(Outcome.RECREATE, expected);
    T result = copyOf(existing);
    boolean changed = mergeMetadata(expected.getMetadata(), result.getMetadata());
    List<Subject> subjects = new ArrayList<>(subjectsOf(existing));
    for (Subject s : subjectsOf(expected)) {
      if (subjects.stream().noneMatch(have -> sameSubject(have, s))) {
        subjects.add(s);
        changed = true;
      }
    }
    setSubjects(result, subjects);
    return new Reconciled<>(changed ? Outcome.UPDATE : Outcome.NONE, result);
  }

  /** merge(expected, existing) of labels and annotations: the existing values win. */
  private static boolean mergeMetadata(ObjectMeta expected, ObjectMeta result) {
    Map<String, String> labels = merged(expected.getLabels(), result.getLabels());
    Map<String, String> annotations = merged(expected.getAnnotations(), result.getAnnotations());
    boolean changed = !labels.equals(nonNull(result.getLabels())) || !annotations.equals(nonNull(result.getAnnotations()));
    result.setLabels(labels);
    result.setAnnotations(annotations);
    return changed;
  }

  private static Map<String, String> merged(Map<String, String> expected, Map<String, String> existing) {
    Map<String, String> out = new LinkedHashMap<>(nonNull(expected));
    out.putAll(nonNull(existing));
    return out;
  }

  private static Map<String, String> nonNull(Map<String, String> map) {
    return map == null ? Map.of() : map;
  }

  private static Map<String, String> annotations(ObjectMeta meta) {
    return nonNull(meta.getAnnotations());
  }

  @SuppressWarnings("unchecked")
  private static <T extends HasMetadata> T copyOf(T object) {
    return (T) io.kubeactor.common.Json.fromTree(io.kubeactor.common.Json.toTree(object), object.getClass());
  }

  private static List<PolicyRule> rulesOf(HasMetadata role) {
    List<PolicyRule> rules = role instanceof ClusterRole c ? c.getRules() : ((Role) role).getRules();
    return rules == null ? List.of() : rules;
  }

  private static void setRules(HasMetadata role, List<PolicyRule> rules) {
    if (role instanceof ClusterRole c) c.setRules(rules);
    else ((Role) role).setRules(rules);
  }

  private static RoleRef roleRefOf(HasMetadata binding) {
    return binding instanceof ClusterRoleBinding c ? c.getRoleRef() : ((RoleBinding) binding).getRoleRef();
  }

  private static List<Subject> subjectsOf(HasMetadata binding) {
    List<Subject> subjects = binding instanceof ClusterRoleBinding c ? c.getSubjects() : ((RoleBinding) binding).getSubjects();
    return subjects == null ? List.of() : subjects;
  }

  private static void setSubjects(HasMetadata binding, List<Subject> subjects) {
    if (binding instanceof ClusterRoleBinding c) c.setSubjects(subjects);
    else ((RoleBinding) binding).setSubjects(subjects);
  }

  private static boolean sameRef(RoleRef a, RoleRef b) {
    return Objects.equals(a.getKind(), b.getKind()) && Objects.equals(a.getName(), b.getName())
        && Objects.equals(a.getApiGroup(), b.getApiGroup());
  }

  /** Subjects compared as Go compares the structs, an absent field as "". */
  private static boolean sameSubject(Subject a, Subject b) {
    return text(a.getKind()).equals(text(b.getKind())) && text(a.getName()).equals(text(b.getName()))
        && text(a.getNamespace()).equals(text(b.getNamespace())) && text(a.getApiGroup()).equals(text(b.getApiGroup()));
  }

  private static String text(String s) {
    return s == null ? "" : s;
  }
}
