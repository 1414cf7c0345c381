package io.kubeactor.controlplane.security.audit;

import io.kubeactor.controlplane.security.authentication.UserInfo;
import io.kubeactor.controlplane.security.authorization.Attributes;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;

/**
 * An audit.k8s.io/v1 Policy: which requests are logged, how much of each, and at which stages.
 * Rules are tried in order and the first that matches decides (k8s.io/apiserver
 * pkg/audit/policy/checker.go); a request no rule matches is not logged. Read from a file by
 * {@link AuditPolicyReader}.
 *
 * @param rules the rules, each already carrying the policy's omitStages as well as its own
 * @param omitStages the stages never logged, for requests no rule matches
 * @param omitManagedFields whether request and response bodies lose metadata.managedFields,
 *     unless a rule says otherwise
 */
public record AuditPolicy(List<Rule> rules, Set<Stage> omitStages, boolean omitManagedFields) {

  /** How much of a request is logged (apis/audit/types.go), each level including the ones before. */
  public enum Level {
    NONE("None"), METADATA("Metadata"), REQUEST("Request"), REQUEST_RESPONSE("RequestResponse");

    private final String text;

    Level(String text) {
      this.text = text;
    }

    public String text() {
      return text;
    }

    public boolean atLeast(Level other) {
      return compareTo(other) >= 0;
    }
  }

  /** The points in a request's handling at which an event is written. */
  public enum Stage {
    REQUEST_RECEIVED("RequestReceived"), RESPONSE_STARTED("ResponseStarted"),
    RESPONSE_COMPLETE("ResponseComplete"), PANIC("Panic");

    private final String text;

    Stage(String text) {
      this.text = text;
    }

    public String text() {
      return text;
    }
  }

  /** One rule's selectors; an empty list selects everything. */
  public record Rule(Level level, List<String> users, List<String> userGroups, List<String> verbs,
      List<GroupResources> resources, List<String> namespaces, List<String> nonResourceURLs, Set<Stage> omitStages,
      Boolean omitManagedFields) {

    public Rule {
      users = List.copyOf(users);
      userGroups = List.copyOf(userGroups);
      verbs = List.copyOf(verbs);
      resources = List.copyOf(resources);
      namespaces = List.copyOf(namespaces);
      nonResourceURLs = List.copyOf(nonResourceURLs);
      omitStages = omitStages.isEmpty() ? Set.of() : Set.copyOf(EnumSet.copyOf(omitStages));
    }
  }

  /**
   * Resources of one API group ("" the core group): "pods", "pods/log", "*" (every resource and
   * subresource), "*&#47;status" (that subresource of any resource), "pods/*" (the resource and its
   * subresources); resourceNames narrows them to those names.
   */
  public record GroupResources(String group, List<String> resources, List<String> resourceNames) {
    public GroupResources {
      resources = List.copyOf(resources);
      resourceNames = List.copyOf(resourceNames);
    }
  }

  /** What the policy says for one request (upstream's RequestAuditConfig). */
  public record Decision(Level level, Set<Stage> omitStages, boolean omitManagedFields) {
    public boolean logs(Stage stage) {
      return level != Level.NONE && !omitStages.contains(stage);
    }
  }

  public AuditPolicy {
    Set<Stage> policyStages = Set.copyOf(omitStages);
    omitStages = policyStages;
    // the policy's omitStages apply to every rule (checker.go unionStages)
    rules = rules.stream().map(r -> policyStages.isEmpty() ? r : withStages(r, policyStages)).toList();
  }

  private static Rule withStages(Rule r, Set<Stage> policyStages) {
    EnumSet<Stage> union = EnumSet.noneOf(Stage.class);
    union.addAll(policyStages);
    union.addAll(r.omitStages());
    return new Rule(r.level(), r.users(), r.userGroups(), r.verbs(), r.resources(), r.namespaces(), r.nonResourceURLs(),
        union, r.omitManagedFields());
  }

  /**
   * The level and stages for a request, judged by its attributes with the user who authenticated
   * (not the one impersonated: the audit filter runs before impersonation).
   */
  public Decision evaluate(Attributes attributes) {
    for (Rule rule : rules) {
      if (matches(rule, attributes)) {
        return new Decision(rule.level(), rule.omitStages(),
            rule.omitManagedFields() == null ? omitManagedFields : rule.omitManagedFields());
      }
    }
    return new Decision(Level.NONE, omitStages, omitManagedFields);
  }

  private static boolean matches(Rule r, Attributes a) {
    UserInfo user = a.user();
    if (!r.users().isEmpty() && (user == null || !r.users().contains(user.name()))) return false;
    if (!r.userGroups().isEmpty() && (user == null || user.groups().stream().noneMatch(r.userGroups()::contains))) {
      return false;
    }
    if (!r.verbs().isEmpty() && !r.verbs().contains(a.verb())) return false;
    if (!r.namespaces().isEmpty() || !r.resources().isEmpty()) return matchesResource(r, a);
    if (!r.nonResourceURLs().isEmpty()) return matchesNonResource(r, a);
    return true;
  }

  private static boolean matchesNonResource(Rule r, Attributes a) {
    if (a.resourceRequest()) return false;
    String path = a.path();
    for (String spec : r.nonResourceURLs()) {
      if (spec.equals("*") || spec.equals(path)) return true;
      if (spec.endsWith("*") && path.startsWith(spec.replaceAll("\\*+$", ""))) return true;
    }
    return false;
  }

  private static boolean matchesResource(Rule r, Attributes a) {
    if (!a.resourceRequest()) return false;
    // cluster-scoped requests have the namespace ""
    if (!r.namespaces().isEmpty() && !r.namespaces().contains(a.namespace())) return false;
    if (r.resources().isEmpty()) return true;
    String resource = a.resource();
    String subresource = a.subresource();
    String combined = subresource.isEmpty() ? resource : resource + "/" + subresource;
    for (GroupResources gr : r.resources()) {
      if (!gr.group().equals(a.apiGroup())) continue;
      if (gr.resources().isEmpty()) return true;
      if (!gr.resourceNames().isEmpty() && !gr.resourceNames().contains(a.name())) continue;
      for (String res : gr.resources()) {
        if (res.equals(combined) || res.equals("*")) return true;
        if (!subresource.isEmpty() && res.startsWith("*/") && subresource.equals(res.substring(2))) return true;
        if (res.endsWith("/*") && resource.equals(res.substring(0, res.length() - 2))) return true;
      }
    }
    return false;
  }
}
