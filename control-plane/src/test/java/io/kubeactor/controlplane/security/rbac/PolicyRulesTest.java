package io.kubeactor.controlplane.security.rbac;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.rbac.PolicyRule;
import io.kubeactor.controlplane.security.authentication.UserInfo;
import io.kubeactor.controlplane.security.authorization.Attributes;
import java.util.List;
import org.junit.jupiter.api.Test;

/** RuleAllows, Covers and the escalation message's rule descriptions, as upstream's evaluation helpers and policy comparator. */
class PolicyRulesTest {

  private static final UserInfo ANYONE = UserInfo.of("u");

  private static PolicyRule rule(List<String> groups, List<String> resources, List<String> verbs, List<String> names) {
    return PolicyRules.rule(groups, resources, verbs, names, List.of());
  }

  private static PolicyRule urls(List<String> urls, List<String> verbs) {
    return PolicyRules.rule(List.of(), List.of(), verbs, List.of(), urls);
  }

  private static Attributes request(String verb, String group, String resource, String subresource, String name) {
    return Attributes.resource(ANYONE, verb, group, resource, subresource, "ns", name);
  }

  @Test
  void resourcesMatchExactlyByWildcardOrAsAnySubresource() {
    PolicyRule pods = rule(List.of(""), List.of("pods"), List.of("get"), List.of());
    assertThat(PolicyRules.allows(request("get", "", "pods", "", "web"), pods)).isTrue();
    assertThat(PolicyRules.allows(request("get", "", "pods", "log", "web"), pods)).as("pods does not grant pods/log").isFalse();
    assertThat(PolicyRules.allows(request("list", "", "pods", "", ""), pods)).isFalse();
    assertThat(PolicyRules.allows(request("get", "apps", "pods", "", ""), pods)).isFalse();

    PolicyRule logs = rule(List.of(""), List.of("pods/log"), List.of("get"), List.of());
    assertThat(PolicyRules.allows(request("get", "", "pods", "log", "web"), logs)).isTrue();
    assertThat(PolicyRules.allows(request("get", "", "pods", "", "web"), logs)).isFalse();

    PolicyRule anyScale = rule(List.of("*"), List.of("*/scale"), List.of("get", "update"), List.of());
    assertThat(PolicyRules.allows(request("update", "apps", "deployments", "scale", "web"), anyScale)).isTrue();
    assertThat(PolicyRules.allows(request("update", "apps", "deployments", "status", "web"), anyScale)).isFalse();
    assertThat(PolicyRules.allows(request("update", "apps", "deployments", "", "web"), anyScale)).isFalse();

    PolicyRule everything = rule(List.of("*"), List.of("*"), List.of("*"), List.of());
    assertThat(PolicyRules.allows(request("escalate", "rbac.authorization.k8s.io", "clusterroles", "", "x"), everything)).isTrue();
    assertThat(PolicyRules.allows(request("get", "", "pods", "exec", "x"), everything)).isTrue();
  }

  @Test
  void resourceNamesLimitARuleToThoseObjects() {
    PolicyRule lease = rule(List.of("coordination.k8s.io"), List.of("leases"), List.of("get", "update"), List.of("kube-scheduler"));
    assertThat(PolicyRules.allows(request("update", "coordination.k8s.io", "leases", "", "kube-scheduler"), lease)).isTrue();
    assertThat(PolicyRules.allows(request("update", "coordination.k8s.io", "leases", "", "other"), lease)).isFalse();
    // a list names no object, so a rule with resourceNames never allows it
    assertThat(PolicyRules.allows(request("get", "coordination.k8s.io", "leases", "", ""), lease)).isFalse();
  }

  @Test
  void nonResourceUrlsMatchExactlyOrByAPrefixEndingInAStar() {
    PolicyRule discovery = urls(List.of("/api", "/api/*", "/healthz"), List.of("get"));
    assertThat(PolicyRules.allows(Attributes.nonResource(ANYONE, "get", "/api"), discovery)).isTrue();
    assertThat(PolicyRules.allows(Attributes.nonResource(ANYONE, "get", "/api/v1"), discovery)).isTrue();
    assertThat(PolicyRules.allows(Attributes.nonResource(ANYONE, "get", "/apis"), discovery)).isFalse();
    assertThat(PolicyRules.allows(Attributes.nonResource(ANYONE, "get", "/healthz/etcd"), discovery)).isFalse();
    assertThat(PolicyRules.allows(Attributes.nonResource(ANYONE, "post", "/api"), discovery)).isFalse();
    // a resource rule never allows a path, nor a path rule a resource
    assertThat(PolicyRules.allows(Attributes.nonResource(ANYONE, "get", "/api"),
        rule(List.of("*"), List.of("*"), List.of("*"), List.of()))).isFalse();
    assertThat(PolicyRules.allows(request("get", "", "pods", "", ""), urls(List.of("*"), List.of("*")))).isFalse();
  }

  @Test
  void coversBreaksRulesDownAndMatchesSubresourceWildcards() {
    List<PolicyRule> owner = List.of(
        rule(List.of(""), List.of("pods", "*/status"), List.of("get", "list"), List.of()),
        rule(List.of(""), List.of("configmaps"), List.of("get"), List.of("a", "b")),
        urls(List.of("/healthz/*"), List.of("get")));
    assertThat(PolicyRules.uncovered(owner, List.of(rule(List.of(""), List.of("pods", "pods/status"), List.of("get"), List.of()))))
        .isEmpty();
    assertThat(PolicyRules.uncovered(owner, List.of(rule(List.of(""), List.of("configmaps"), List.of("get"), List.of("a")))))
        .isEmpty();
    // a rule for every configmap is not covered by one for two named ones
    assertThat(PolicyRules.uncovered(owner, List.of(rule(List.of(""), List.of("configmaps"), List.of("get"), List.of()))))
        .hasSize(1);
    assertThat(PolicyRules.uncovered(owner, List.of(urls(List.of("/healthz/etcd"), List.of("get"))))).isEmpty();
    List<PolicyRule> missing = PolicyRules.uncovered(owner,
        List.of(rule(List.of("", "apps"), List.of("pods"), List.of("get", "watch"), List.of())));
    assertThat(missing).extracting(PolicyRules::compactString).containsExactly(
        "{APIGroups:[\"\"], Resources:[\"pods\"], Verbs:[\"watch\"]}",
        "{APIGroups:[\"apps\"], Resources:[\"pods\"], Verbs:[\"get\"]}",
        "{APIGroups:[\"apps\"], Resources:[\"pods\"], Verbs:[\"watch\"]}");
  }

  @Test
  void missingRulesAreDescribedCompactedAndSorted() {
    List<PolicyRule> missing = PolicyRules.uncovered(List.of(), List.of(
        rule(List.of(""), List.of("pods", "secrets"), List.of("get", "list"), List.of()),
        rule(List.of(""), List.of("configmaps"), List.of("update"), List.of("cfg")),
        urls(List.of("/metrics"), List.of("get"))));
    assertThat(PolicyRules.describe(missing)).containsExactly(
        "{APIGroups:[\"\"], Resources:[\"configmaps\"], ResourceNames:[\"cfg\"], Verbs:[\"update\"]}",
        "{APIGroups:[\"\"], Resources:[\"pods\"], Verbs:[\"get\" \"list\"]}",
        "{APIGroups:[\"\"], Resources:[\"secrets\"], Verbs:[\"get\" \"list\"]}",
        "{NonResourceURLs:[\"/metrics\"], Verbs:[\"get\"]}");
  }
}
