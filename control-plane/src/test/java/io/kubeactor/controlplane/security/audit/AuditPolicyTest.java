package io.kubeactor.controlplane.security.audit;

import static org.assertj.core.api.Assertions.assertThat;

import io.kubeactor.controlplane.security.audit.AuditPolicy.Level;
import io.kubeactor.controlplane.security.audit.AuditPolicy.Stage;
import io.kubeactor.controlplane.security.authentication.UserInfo;
import io.kubeactor.controlplane.security.authorization.Attributes;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/** The rule matching of k8s.io/apiserver pkg/audit/policy/checker_test.go, its requests and rules. */
class AuditPolicyTest {

  private static final UserInfo TIM = UserInfo.of("tim@k8s.io", "humans", "developers");

  private static final Map<String, Attributes> REQUESTS = Map.of(
      "namespaced", new Attributes(TIM, "get", true, "", "v1", "pods", "", "default", "busybox",
          "/api/v1/namespaces/default/pods/busybox"),
      "cluster", new Attributes(TIM, "get", true, "rbac.authorization.k8s.io", "v1beta1", "clusterroles", "", "", "edit",
          "/apis/rbac.authorization.k8s.io/v1beta1/clusterroles/edit"),
      "nonResource", Attributes.nonResource(TIM, "get", "/logs/kubelet.log"),
      "subresource", new Attributes(TIM, "get", true, "", "v1", "pods", "log", "default", "busybox",
          "/api/v1/namespaces/default/pods/busybox"),
      "Unauthorized", new Attributes(null, "get", true, "", "v1", "pods", "", "default", "busybox",
          "/api/v1/namespaces/default/pods/busybox"));

  /** checker_test.go's rules, as a policy file writes them. */
  private static final Map<String, String> RULES = Map.ofEntries(
      Map.entry("default", "{level: Metadata}"),
      Map.entry("create", "{level: Request, verbs: [create]}"),
      Map.entry("tims", "{level: Metadata, users: [tim@k8s.io]}"),
      Map.entry("humans", "{level: Metadata, userGroups: [humans]}"),
      Map.entry("serviceAccounts", "{level: Request, userGroups: ['system:serviceaccounts']}"),
      Map.entry("getPods", "{level: RequestResponse, verbs: [get], resources: [{resources: [pods]}]}"),
      Map.entry("getPodLogs", "{level: Request, verbs: [get], resources: [{resources: [pods/log]}]}"),
      Map.entry("getPodWildcardMatching", "{level: Request, verbs: [get], resources: [{resources: ['*']}]}"),
      Map.entry("getPodResourceWildcardMatching", "{level: Request, verbs: [get], resources: [{resources: ['*/log']}]}"),
      Map.entry("getPodSubResourceWildcardMatching", "{level: Request, verbs: [get], resources: [{resources: ['pods/*']}]}"),
      Map.entry("getClusterRoles", "{level: RequestResponse, verbs: [get], resources: [{group: rbac.authorization.k8s.io,"
          + " resources: [clusterroles]}], namespaces: ['']}"),
      Map.entry("getLogs", "{level: RequestResponse, verbs: [get], nonResourceURLs: ['/logs*']}"),
      Map.entry("getMetrics", "{level: Request, verbs: [get], nonResourceURLs: [/metrics]}"),
      Map.entry("clusterRoleEdit", "{level: Request, resources: [{group: rbac.authorization.k8s.io,"
          + " resources: [clusterroles], resourceNames: [edit]}]}"),
      Map.entry("omit RequestReceived", "{level: Request, omitStages: [RequestReceived]}"),
      Map.entry("only audit panic", "{level: Request, omitStages: [RequestReceived, ResponseStarted, ResponseComplete]}"));

  private static AuditPolicy policy(List<Stage> policyStages, String... ruleNames) {
    StringBuilder yaml = new StringBuilder("apiVersion: audit.k8s.io/v1\nkind: Policy\n");
    if (!policyStages.isEmpty()) {
      yaml.append("omitStages: [").append(policyStages.stream().map(Stage::text).collect(Collectors.joining(", ")))
          .append("]\n");
    }
    yaml.append("rules:\n");
    for (String name : ruleNames) yaml.append("- ").append(RULES.get(name)).append('\n');
    return AuditPolicyReader.parse(yaml.toString().getBytes(StandardCharsets.UTF_8));
  }

  private static void check(String request, Level expected, List<Stage> policyStages, List<Stage> expectedStages,
      String... rules) {
    AuditPolicy.Decision d = policy(policyStages, rules).evaluate(REQUESTS.get(request));
    String what = request + " with " + Arrays.toString(rules);
    assertThat(d.level()).as(what).isEqualTo(expected);
    assertThat(d.omitStages()).as(what).isEqualTo(stages(expectedStages));
  }

  private static Set<Stage> stages(List<Stage> list) {
    return list.isEmpty() ? Set.of() : EnumSet.copyOf(list);
  }

  private static void levels(List<Stage> s) {
    check("namespaced", Level.METADATA, s, s, "default");
    check("namespaced", Level.NONE, s, s, "create");
    check("namespaced", Level.METADATA, s, s, "tims");
    check("namespaced", Level.METADATA, s, s, "humans");
    check("namespaced", Level.NONE, s, s, "serviceAccounts");
    check("namespaced", Level.REQUEST_RESPONSE, s, s, "getPods");
    check("namespaced", Level.NONE, s, s, "getClusterRoles");
    check("namespaced", Level.NONE, s, s, "getLogs");
    check("namespaced", Level.NONE, s, s, "getMetrics");
    check("namespaced", Level.METADATA, s, s, "getMetrics", "serviceAccounts", "default");
    check("namespaced", Level.REQUEST_RESPONSE, s, s, "getMetrics", "getPods", "default");
    check("namespaced", Level.REQUEST_RESPONSE, s, s, "getPodLogs", "getPods");

    check("cluster", Level.METADATA, s, s, "default");
    check("cluster", Level.NONE, s, s, "create");
    check("cluster", Level.METADATA, s, s, "tims");
    check("cluster", Level.METADATA, s, s, "humans");
    check("cluster", Level.NONE, s, s, "serviceAccounts");
    check("cluster", Level.NONE, s, s, "getPods");
    check("cluster", Level.REQUEST_RESPONSE, s, s, "getClusterRoles");
    check("cluster", Level.REQUEST, s, s, "clusterRoleEdit", "getClusterRoles");
    check("cluster", Level.NONE, s, s, "getLogs");
    check("cluster", Level.NONE, s, s, "getMetrics");
    check("cluster", Level.METADATA, s, s, "getMetrics", "serviceAccounts", "default");
    check("cluster", Level.REQUEST_RESPONSE, s, s, "getMetrics", "getClusterRoles", "default");
    check("cluster", Level.NONE, s, s, "getPodLogs", "getPods");

    check("nonResource", Level.METADATA, s, s, "default");
    check("nonResource", Level.NONE, s, s, "create");
    check("nonResource", Level.METADATA, s, s, "tims");
    check("nonResource", Level.METADATA, s, s, "humans");
    check("nonResource", Level.NONE, s, s, "serviceAccounts");
    check("nonResource", Level.NONE, s, s, "getPods");
    check("nonResource", Level.NONE, s, s, "getClusterRoles");
    check("nonResource", Level.REQUEST_RESPONSE, s, s, "getLogs");
    check("nonResource", Level.NONE, s, s, "getMetrics");
    check("nonResource", Level.METADATA, s, s, "getMetrics", "serviceAccounts", "default");
    check("nonResource", Level.REQUEST_RESPONSE, s, s, "getLogs", "getClusterRoles", "default");
    check("nonResource", Level.NONE, s, s, "getPodLogs", "getPods");

    check("subresource", Level.REQUEST, s, s, "getPodLogs", "getPods");
    check("subresource", Level.REQUEST, s, s, "getPodWildcardMatching");
    check("subresource", Level.REQUEST, s, s, "getPodResourceWildcardMatching");
    check("subresource", Level.REQUEST, s, s, "getPodSubResourceWildcardMatching");

    check("Unauthorized", Level.NONE, s, s, "tims");
    check("Unauthorized", Level.METADATA, s, s, "tims", "default");
    check("Unauthorized", Level.NONE, s, s, "humans");
    check("Unauthorized", Level.METADATA, s, s, "humans", "default");
  }

  @Test
  void firstMatchingRuleDecides() {
    levels(List.of());
  }

  @Test
  void aRulesOmitStagesApplyToTheRequestsItMatches() {
    List<Stage> none = List.of();
    check("namespaced", Level.REQUEST, none, List.of(Stage.REQUEST_RECEIVED), "omit RequestReceived", "getPods", "default");
    check("namespaced", Level.REQUEST, none, List.of(Stage.REQUEST_RECEIVED, Stage.RESPONSE_STARTED,
        Stage.RESPONSE_COMPLETE), "only audit panic", "getPods", "default");
    check("cluster", Level.REQUEST, none, List.of(Stage.REQUEST_RECEIVED), "omit RequestReceived", "getPods", "default");
    check("nonResource", Level.REQUEST, none, List.of(Stage.REQUEST_RECEIVED), "omit RequestReceived", "getPods",
        "default");
  }

  @Test
  void thePolicysOmitStagesJoinEveryRules() {
    List<Stage> policyStages = List.of(Stage.REQUEST_RECEIVED, Stage.RESPONSE_STARTED);
    levels(policyStages);
    check("namespaced", Level.REQUEST, policyStages, policyStages, "omit RequestReceived", "getPods", "default");
    check("namespaced", Level.REQUEST, policyStages, List.of(Stage.REQUEST_RECEIVED, Stage.RESPONSE_STARTED,
        Stage.RESPONSE_COMPLETE), "only audit panic", "getPods", "default");
    check("nonResource", Level.METADATA, policyStages, policyStages, "default", "omit RequestReceived", "getPods");
    check("nonResource", Level.REQUEST, policyStages, List.of(Stage.REQUEST_RECEIVED, Stage.RESPONSE_STARTED,
        Stage.RESPONSE_COMPLETE), "only audit panic", "getPods", "default");
  }

  @Test
  void aRulesOmitManagedFieldsOverridesThePolicys() {
    Attributes get = Attributes.nonResource(TIM, "get", "/x");
    for (String[] c : new String[][] {
        {"false", "", "false"}, {"true", "", "true"}, {"true", "false", "false"}, {"false", "true", "true"}}) {
      String yaml = "apiVersion: audit.k8s.io/v1\nkind: Policy\nomitManagedFields: " + c[0] + "\nrules:\n"
          + "- level: RequestResponse\n  verbs: [get]\n" + (c[1].isEmpty() ? "" : "  omitManagedFields: " + c[1] + "\n");
      assertThat(AuditPolicyReader.parse(yaml.getBytes(StandardCharsets.UTF_8)).evaluate(get).omitManagedFields())
          .as("policy %s, rule %s", c[0], c[1]).isEqualTo(Boolean.parseBoolean(c[2]));
    }
  }

  @Test
  void namespacesSelectResourceRequestsOnly() {
    AuditPolicy p = AuditPolicyReader.parse("""
        apiVersion: audit.k8s.io/v1
        kind: Policy
        rules:
        - level: Request
          namespaces: [kube-system]
        - level: None
          namespaces: [""]
        - level: Metadata
        """.getBytes(StandardCharsets.UTF_8));
    assertThat(p.evaluate(REQUESTS.get("namespaced")).level()).isEqualTo(Level.METADATA);
    assertThat(p.evaluate(new Attributes(TIM, "list", true, "", "v1", "pods", "", "kube-system", "", "/api/v1/namespaces/"
        + "kube-system/pods")).level()).isEqualTo(Level.REQUEST);
    assertThat(p.evaluate(REQUESTS.get("cluster")).level()).isEqualTo(Level.NONE);
    assertThat(p.evaluate(REQUESTS.get("nonResource")).level()).isEqualTo(Level.METADATA);
  }
}
