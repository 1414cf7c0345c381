package io.kubeactor.controlplane.security.rbac;

import io.fabric8.kubernetes.api.model.rbac.PolicyRule;
import io.fabric8.kubernetes.api.model.rbac.PolicyRuleBuilder;
import io.kubeactor.controlplane.registry.decoding.GoStrings;
import io.kubeactor.controlplane.security.authorization.Attributes;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * What one PolicyRule allows, and whether rules cover others: rbac.go's RuleAllows with the
 * matchers of pkg/apis/rbac/v1/evaluation_helpers.go, and pkg/registry/rbac/validation's
 * policy_comparator.go (Covers, BreakdownRule) and policy_compact.go (CompactRules), with
 * rbacv1helpers.CompactString for the escalation message.
 */
public final class PolicyRules {
  private PolicyRules() {}

  static final String ALL = "*";

  /** RuleAllows: a resource request by verb, group, resource[/subresource] and name; else by verb and path. */
  public static boolean allows(Attributes request, PolicyRule rule) {
    if (!has(rule.getVerbs(), request.verb()) && !has(rule.getVerbs(), ALL)) return false;
    if (!request.resourceRequest()) return nonResourceUrlMatches(rule, request.path());
    String combined = request.subresource().isEmpty() ? request.resource() : request.resource() + "/" + request.subresource();
    return (has(rule.getApiGroups(), ALL) || has(rule.getApiGroups(), request.apiGroup()))
        && resourceMatches(rule, combined, request.subresource())
        && (empty(rule.getResourceNames()) || has(rule.getResourceNames(), request.name()));
  }

  /** ResourceMatches: "*", the exact "resource/subresource", or "*&#47;subresource" for any resource's subresource. */
  static boolean resourceMatches(PolicyRule rule, String combinedResource, String subresource) {
    for (String r : list(rule.getResources())) {
      if (r.equals(ALL) || r.equals(combinedResource)) return true;
      if (!subresource.isEmpty() && r.length() == subresource.length() + 2 && r.startsWith("*/") && r.endsWith(subresource)) {
        return true;
      }
    }
    return false;
  }

  /** NonResourceURLMatches: "*", the exact path, or a prefix ending in "*". */
  static boolean nonResourceUrlMatches(PolicyRule rule, String path) {
    for (String url : list(rule.getNonResourceURLs())) {
      if (url.equals(ALL) || url.equals(path)) return true;
      if (url.endsWith("*") && path.startsWith(url.substring(0, url.length() - 1))) return true;
    }
    return false;
  }

  /** Covers: the sub-rules of {@code servant} (broken down to one verb, group, resource, name) that {@code owner} does not cover. */
  public static List<PolicyRule> uncovered(List<PolicyRule> owner, List<PolicyRule> servant) {
    List<PolicyRule> missing = new ArrayList<>();
    for (PolicyRule rule : servant) {
      for (PolicyRule sub : breakdown(rule)) {
        if (owner.stream().noneMatch(o -> covers(o, sub))) missing.add(sub);
      }
    }
    return missing;
  }

  /** BreakdownRule: one rule per group × resource × verb (× resourceName), and per non-resource URL × verb. */
  static List<PolicyRule> breakdown(PolicyRule rule) {
    List<PolicyRule> subrules = new ArrayList<>();
    for (String group : list(rule.getApiGroups())) {
      for (String resource : list(rule.getResources())) {
        for (String verb : list(rule.getVerbs())) {
          if (empty(rule.getResourceNames())) {
            subrules.add(rule(List.of(group), List.of(resource), List.of(verb), List.of(), List.of()));
          } else {
            for (String name : rule.getResourceNames()) {
              subrules.add(rule(List.of(group), List.of(resource), List.of(verb), List.of(name), List.of()));
            }
          }
        }
      }
    }
    for (String url : list(rule.getNonResourceURLs())) {
      for (String verb : list(rule.getVerbs())) subrules.add(rule(List.of(), List.of(), List.of(verb), List.of(), List.of(url)));
    }
    return subrules;
  }

  /** ruleCovers. */
  static boolean covers(PolicyRule owner, PolicyRule sub) {
    boolean verbs = has(owner.getVerbs(), ALL) || hasAll(owner.getVerbs(), sub.getVerbs());
    boolean groups = has(owner.getApiGroups(), ALL) || hasAll(owner.getApiGroups(), sub.getApiGroups());
    boolean resources = resourcesCoverAll(list(owner.getResources()), list(sub.getResources()));
    boolean urls = list(sub.getNonResourceURLs()).stream()
        .allMatch(path -> list(owner.getNonResourceURLs()).stream().anyMatch(o -> nonResourceUrlCovers(o, path)));
    boolean names = empty(sub.getResourceNames())
        ? empty(owner.getResourceNames())
        : empty(owner.getResourceNames()) || hasAll(owner.getResourceNames(), sub.getResourceNames());
    return verbs && groups && resources && names && urls;
  }

  private static boolean resourcesCoverAll(List<String> owner, List<String> wanted) {
    if (owner.contains(ALL) || owner.containsAll(wanted)) return true;
    for (String path : wanted) {
      if (owner.contains(path)) continue;
      int slash = path.indexOf('/');
      if (slash < 0 || !owner.contains("*/" + path.substring(slash + 1))) return false;
    }
    return true;
  }

  private static boolean nonResourceUrlCovers(String owner, String path) {
    if (owner.equals(path)) return true;
    if (!owner.endsWith("*")) return false;
    int end = owner.length();
    while (end > 0 && owner.charAt(end - 1) == '*') end--;
    return path.startsWith(owner.substring(0, end));
  }

  /**
   * The lines of "attempting to grant RBAC permissions not currently held": CompactRules merges the
   * verbs of rules on one group, resource and name, then each rule's CompactString, sorted.
   */
  public static List<String> describe(List<PolicyRule> rules) {
    Map<List<Object>, PolicyRule> simple = new LinkedHashMap<>();
    List<PolicyRule> compacted = new ArrayList<>();
    for (PolicyRule r : rules) {
      boolean isSimple = list(r.getResourceNames()).size() <= 1 && empty(r.getNonResourceURLs())
          && list(r.getApiGroups()).size() == 1 && list(r.getResources()).size() == 1;
      if (!isSimple) {
        compacted.add(r);
        continue;
      }
      List<Object> key = List.of(r.getApiGroups().get(0), r.getResources().get(0), !empty(r.getResourceNames()),
          empty(r.getResourceNames()) ? "" : r.getResourceNames().get(0));
      PolicyRule existing = simple.get(key);
      if (existing == null) {
        simple.put(key, rule(r.getApiGroups(), r.getResources(), r.getVerbs(), list(r.getResourceNames()), List.of()));
      } else {
        List<String> verbs = new ArrayList<>(existing.getVerbs());
        verbs.addAll(list(r.getVerbs()));
        existing.setVerbs(verbs);
      }
    }
    compacted.addAll(simple.values());
    return compacted.stream().map(PolicyRules::compactString).distinct().sorted().collect(Collectors.toList());
  }

  /** rbacv1helpers.CompactString: {APIGroups:[""], Resources:["pods"], Verbs:["get"]}, empty fields left out. */
  public static String compactString(PolicyRule r) {
    List<String> parts = new ArrayList<>();
    if (!empty(r.getApiGroups())) parts.add("APIGroups:" + goStrings(r.getApiGroups()));
    if (!empty(r.getResources())) parts.add("Resources:" + goStrings(r.getResources()));
    if (!empty(r.getNonResourceURLs())) parts.add("NonResourceURLs:" + goStrings(r.getNonResourceURLs()));
    if (!empty(r.getResourceNames())) parts.add("ResourceNames:" + goStrings(r.getResourceNames()));
    if (!empty(r.getVerbs())) parts.add("Verbs:" + goStrings(r.getVerbs()));
    return "{" + String.join(", ", parts) + "}";
  }

  /** Go's %q of a []string: ["a" "b"]. */
  static String goStrings(List<String> values) {
    return "[" + values.stream().map(GoStrings::quote).collect(Collectors.joining(" ")) + "]";
  }

  static PolicyRule rule(List<String> groups, List<String> resources, List<String> verbs, List<String> names, List<String> urls) {
    return new PolicyRuleBuilder().withApiGroups(new ArrayList<>(groups)).withResources(new ArrayList<>(resources))
        .withVerbs(new ArrayList<>(verbs)).withResourceNames(new ArrayList<>(names)).withNonResourceURLs(new ArrayList<>(urls))
        .build();
  }

  /** Two rules with the same fields (Go's semantic equality of PolicyRules: nil and empty lists alike). */
  public static boolean same(PolicyRule a, PolicyRule b) {
    return list(a.getVerbs()).equals(list(b.getVerbs())) && list(a.getApiGroups()).equals(list(b.getApiGroups()))
        && list(a.getResources()).equals(list(b.getResources()))
        && list(a.getResourceNames()).equals(list(b.getResourceNames()))
        && list(a.getNonResourceURLs()).equals(list(b.getNonResourceURLs()));
  }

  static List<String> list(List<String> values) {
    return values == null ? List.of() : values;
  }

  private static boolean empty(List<String> values) {
    return values == null || values.isEmpty();
  }

  private static boolean has(List<String> values, String value) {
    return values != null && values.contains(value);
  }

  private static boolean hasAll(List<String> owner, List<String> wanted) {
    return new HashSet<>(list(owner)).containsAll(list(wanted));
  }

  /** Two lists of the {@link #same} rules in the same order. */
  public static boolean sameRules(List<PolicyRule> a, List<PolicyRule> b) {
    List<PolicyRule> x = a == null ? List.of() : a;
    List<PolicyRule> y = b == null ? List.of() : b;
    if (x.size() != y.size()) return false;
    for (int i = 0; i < x.size(); i++) if (!same(x.get(i), y.get(i))) return false;
    return true;
  }
}
