package io.kubeactor.controlplane.controller.apiextensions;

import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinition;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinitionCondition;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinitionNames;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinitionStatus;
import io.kubeactor.common.Json;
import io.kubeactor.common.Timestamps;
import io.kubeactor.controlplane.client.Informer;
import io.kubeactor.controlplane.controller.ControllerContext;
import io.kubeactor.controlplane.controller.Reconciler;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/**
 * apiextensions' naming and establishing controllers, as one: a definition's names are accepted
 * unless another definition of its group has accepted them already (NamesAccepted, with the
 * conflict as its reason), and a definition whose names are accepted is Established, after which
 * its kind is served. A rename that conflicts keeps the names accepted before. Keys are definition
 * names; a change of any definition re-checks those of its group.
 */
public final class NamingConditionController implements Reconciler {

  private final ControllerContext context;
  private final Informer<CustomResourceDefinition> definitions;

  public NamingConditionController(ControllerContext context) {
    this.context = context;
    this.definitions = context.informers().of(CustomResourceDefinition.class);
  }

  @Override
  public String name() {
    return "crd-naming-controller";
  }

  @Override
  public void start(Queue queue) {
    queue.watch(definitions, e -> {
      String group = e.object().getSpec() == null ? "" : e.object().getSpec().getGroup();
      List<String> keys = new ArrayList<>();
      for (CustomResourceDefinition d : definitions.list()) {
        if (d.getSpec() != null && Objects.equals(d.getSpec().getGroup(), group)) keys.add(d.getMetadata().getName());
      }
      return keys;
    });
  }

  @Override
  public Collection<String> keys() {
    return definitions.list().stream().map(d -> d.getMetadata().getName()).toList();
  }

  @Override
  public CompletionStage<Result> reconcile(String key) {
    CustomResourceDefinition crd = definitions.get(key);
    if (crd == null || crd.getSpec() == null || crd.getSpec().getNames() == null) {
      return CompletableFuture.completedFuture(Result.done());
    }
    CustomResourceDefinition updated = Json.MAPPER.convertValue(Json.toTree(crd), CustomResourceDefinition.class);
    CustomResourceDefinitionStatus status = updated.getStatus() != null ? updated.getStatus() : new CustomResourceDefinitionStatus();
    updated.setStatus(status);
    CustomResourceDefinitionNames accepted = status.getAcceptedNames() != null
        ? status.getAcceptedNames() : new CustomResourceDefinitionNames();
    String conflict = accept(crd, accepted);
    status.setAcceptedNames(accepted);
    String now = Timestamps.format(context.clock().instant());
    if (conflict == null) {
      setCondition(status, "NamesAccepted", "True", "NoConflicts", "no conflicts found", now);
    } else {
      setCondition(status, "NamesAccepted", "False", conflict.substring(0, conflict.indexOf(' ')),
          conflict.substring(conflict.indexOf(' ') + 1), now);
    }
    boolean established = hasCondition(status, "Established", "True");
    if (!established && conflict == null) {
      setCondition(status, "Established", "True", "InitialNamesAccepted", "the initial names have been accepted", now);
    } else if (!established) {
      setCondition(status, "Established", "False", "NotAccepted", "not all names are accepted", now);
    }
    if (Json.toTree(updated).equals(Json.toTree(crd))) return CompletableFuture.completedFuture(Result.done());
    return context.writer().updateStatus(updated).thenApply(written -> Result.done());
  }

  /**
   * Takes into {@code accepted} each name of the spec that no other definition of the group has
   * accepted; the first conflict as "Reason message", or null when there is none.
   */
  private String accept(CustomResourceDefinition crd, CustomResourceDefinitionNames accepted) {
    CustomResourceDefinitionNames wanted = crd.getSpec().getNames();
    Set<String> resources = new HashSet<>();
    Set<String> kinds = new HashSet<>();
    for (CustomResourceDefinition other : definitions.list()) {
      if (other.getMetadata().getName().equals(crd.getMetadata().getName()) || other.getSpec() == null
          || !Objects.equals(other.getSpec().getGroup(), crd.getSpec().getGroup()) || other.getStatus() == null
          || other.getStatus().getAcceptedNames() == null) {
        continue;
      }
      CustomResourceDefinitionNames names = other.getStatus().getAcceptedNames();
      addIfSet(resources, names.getPlural());
      addIfSet(resources, names.getSingular());
      if (names.getShortNames() != null) resources.addAll(names.getShortNames());
      addIfSet(kinds, names.getKind());
      addIfSet(kinds, names.getListKind());
    }
    String conflict = null;
    if (resources.contains(wanted.getPlural())) conflict = inUse("PluralConflict", wanted.getPlural());
    else accepted.setPlural(wanted.getPlural());
    if (wanted.getSingular() != null && resources.contains(wanted.getSingular())) {
      conflict = first(conflict, inUse("SingularConflict", wanted.getSingular()));
    } else {
      accepted.setSingular(wanted.getSingular());
    }
    String shortConflict = wanted.getShortNames() == null ? null
        : wanted.getShortNames().stream().filter(resources::contains).findFirst().orElse(null);
    if (shortConflict != null) conflict = first(conflict, inUse("ShortNamesConflict", shortConflict));
    else accepted.setShortNames(wanted.getShortNames());
    if (kinds.contains(wanted.getKind())) conflict = first(conflict, inUse("KindConflict", wanted.getKind()));
    else accepted.setKind(wanted.getKind());
    if (wanted.getListKind() != null && kinds.contains(wanted.getListKind())) {
      conflict = first(conflict, inUse("ListKindConflict", wanted.getListKind()));
    } else {
      accepted.setListKind(wanted.getListKind());
    }
    accepted.setCategories(wanted.getCategories());
    return conflict;
  }

  private static void addIfSet(Set<String> set, String value) {
    if (value != null && !value.isEmpty()) set.add(value);
  }

  private static String inUse(String reason, String name) {
    return reason + " \"" + name + "\" is already in use";
  }

  private static String first(String a, String b) {
    return a != null ? a : b;
  }

  private static boolean hasCondition(CustomResourceDefinitionStatus status, String type, String value) {
    return status.getConditions() != null && status.getConditions().stream()
        .anyMatch(c -> type.equals(c.getType()) && value.equals(c.getStatus()));
  }

  /** Sets a condition; its lastTransitionTime changes only when its status does. */
  static void setCondition(CustomResourceDefinitionStatus status, String type, String value, String reason,
      String message, String now) {
    List<CustomResourceDefinitionCondition> conditions =
        status.getConditions() == null ? new ArrayList<>() : new ArrayList<>(status.getConditions());
    CustomResourceDefinitionCondition existing = conditions.stream().filter(c -> type.equals(c.getType())).findFirst()
        .orElse(null);
    String since = existing != null && value.equals(existing.getStatus()) ? existing.getLastTransitionTime() : now;
    CustomResourceDefinitionCondition condition = new CustomResourceDefinitionCondition(since, message, reason, value, type);
    if (existing != null) conditions.set(conditions.indexOf(existing), condition);
    else conditions.add(condition);
    status.setConditions(conditions);
  }
}
