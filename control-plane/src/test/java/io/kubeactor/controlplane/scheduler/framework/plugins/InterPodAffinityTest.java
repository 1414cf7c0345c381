package io.kubeactor.controlplane.scheduler.framework.plugins;

import static io.kubeactor.controlplane.scheduler.Fixtures.boundTo;
import static io.kubeactor.controlplane.scheduler.Fixtures.node;
import static io.kubeactor.controlplane.scheduler.Fixtures.pod;
import static io.kubeactor.controlplane.scheduler.Fixtures.yamlPod;
import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.kubeactor.controlplane.scheduler.cache.SchedulerCache;
import io.kubeactor.controlplane.scheduler.framework.CycleState;
import io.kubeactor.controlplane.scheduler.framework.NodeInfo;
import io.kubeactor.controlplane.scheduler.framework.PreFilterResult;
import io.kubeactor.controlplane.scheduler.framework.Snapshot;
import io.kubeactor.controlplane.scheduler.framework.Status;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class InterPodAffinityTest {

  private final InterPodAffinity plugin = new InterPodAffinity();

  /** Two zones: a has a1 and a2, b has b1; "lonely" has no zone label. */
  private static final List<Node> NODES = List.of(node("a1", "4", "4Gi", "zone=a"), node("a2", "4", "4Gi", "zone=a"),
      node("b1", "4", "4Gi", "zone=b"), node("lonely", "4", "4Gi"));

  private static Pod withAffinity(String name, String namespace, String labels, String affinity) {
    return yamlPod("""
        metadata: {name: %s, namespace: %s, uid: %s, labels: %s}
        spec:
          containers: [{name: main}]
          affinity:
        %s
        """.formatted(name, namespace, "uid-" + name, labels, affinity.indent(4)));
  }

  private static Pod inNamespace(Pod pod, String namespace) {
    return new PodBuilder(pod).editMetadata().withNamespace(namespace).endMetadata().build();
  }

  /** The filter verdict per node, in snapshot (name) order: "" when the node passes, else its reason. */
  private List<String> filter(Pod pod, List<Pod> bound, Map<String, Map<String, String>> namespaceLabels) {
    CycleState state = new CycleState(SchedulerCache.snapshotOf(NODES, bound, pod, namespaceLabels));
    PreFilterResult pre = plugin.preFilter(state, pod);
    return state.snapshot().nodes().stream()
        .map(n -> pre.status().isSkip() ? "" : plugin.filter(state, pod, n).message())
        .toList();
  }

  private List<String> filter(Pod pod, List<Pod> bound) {
    return filter(pod, bound, Map.of());
  }

  private long[] scores(Pod pod, List<Pod> bound) {
    CycleState state = new CycleState(SchedulerCache.snapshotOf(NODES, bound, pod, Map.of()));
    List<NodeInfo> nodes = state.snapshot().nodes();
    if (plugin.preScore(state, pod, nodes).isSkip()) return null;
    long[] scores = nodes.stream().mapToLong(n -> plugin.score(state, pod, n)).toArray();
    plugin.normalizeScore(state, pod, scores);
    return scores;
  }

  private static final String ZONE_AFFINITY_TO_DB = """
      podAffinity:
        requiredDuringSchedulingIgnoredDuringExecution:
        - labelSelector: {matchLabels: {app: db}}
          topologyKey: zone
      """;

  @Test
  void affinityAllowsEveryNodeOfTheMatchedDomainAndNeedsTheTopologyLabel() {
    Pod web = withAffinity("web", "default", "{app: web}", ZONE_AFFINITY_TO_DB);
    List<Pod> bound = List.of(boundTo(pod("db", null, null, "app=db"), "a2"));

    assertThat(filter(web, bound)).containsExactly("", "",
        "node(s) didn't match pod affinity rules", "node(s) didn't match pod affinity rules");
  }

  @Test
  void affinityOnlySeesPodsInItsNamespaceUnlessTold() {
    Pod web = withAffinity("web", "shop", "{app: web}", ZONE_AFFINITY_TO_DB);
    List<Pod> bound = List.of(boundTo(pod("db", null, null, "app=db"), "b1")); // in "default"

    assertThat(filter(web, bound)).containsOnly("node(s) didn't match pod affinity rules");

    Pod listed = withAffinity("web", "shop", "{app: web}", """
        podAffinity:
          requiredDuringSchedulingIgnoredDuringExecution:
          - labelSelector: {matchLabels: {app: db}}
            namespaces: [default]
            topologyKey: zone
        """);
    assertThat(filter(listed, bound)).containsExactly("node(s) didn't match pod affinity rules",
        "node(s) didn't match pod affinity rules", "", "node(s) didn't match pod affinity rules");
  }

  @Test
  void namespaceSelectorUsesNamespaceLabels() {
    Pod web = withAffinity("web", "shop", "{app: web}", """
        podAffinity:
          requiredDuringSchedulingIgnoredDuringExecution:
          - labelSelector: {matchLabels: {app: db}}
            namespaceSelector: {matchLabels: {team: data}}
            topologyKey: zone
        """);
    List<Pod> bound = List.of(boundTo(inNamespace(pod("db", null, null, "app=db"), "storage"), "b1"));

    assertThat(filter(web, bound).get(2)).isEqualTo("node(s) didn't match pod affinity rules");
    assertThat(filter(web, bound, Map.of("storage", Map.of("team", "data"))).get(2)).isEmpty();

    Pod byName = withAffinity("web", "shop", "{app: web}", """
        podAffinity:
          requiredDuringSchedulingIgnoredDuringExecution:
          - labelSelector: {matchLabels: {app: db}}
            namespaceSelector: {matchLabels: {kubernetes.io/metadata.name: storage}}
            topologyKey: zone
        """);
    assertThat(filter(byName, bound).get(2)).isEmpty();

    Pod everywhere = withAffinity("web", "shop", "{app: web}", """
        podAffinity:
          requiredDuringSchedulingIgnoredDuringExecution:
          - labelSelector: {matchLabels: {app: db}}
            namespaceSelector: {}
            topologyKey: zone
        """);
    assertThat(filter(everywhere, bound).get(2)).isEmpty();
  }

  @Test
  void antiAffinityAvoidsTheWholeDomain() {
    Pod web = withAffinity("web", "default", "{app: web}", """
        podAntiAffinity:
          requiredDuringSchedulingIgnoredDuringExecution:
          - labelSelector: {matchExpressions: [{key: app, operator: In, values: [web, api]}]}
            topologyKey: zone
        """);
    List<Pod> bound = List.of(boundTo(pod("api", null, null, "app=api"), "a1"));

    // Nodes without the topology label are not in any domain, so anti-affinity allows them.
    assertThat(filter(web, bound)).containsExactly("node(s) didn't match pod anti-affinity rules",
        "node(s) didn't match pod anti-affinity rules", "", "");
  }

  @Test
  void existingPodsAntiAffinityAppliesToTheIncomingPod() {
    Pod guard = withAffinity("guard", "default", "{app: guard}", """
        podAntiAffinity:
          requiredDuringSchedulingIgnoredDuringExecution:
          - labelSelector: {matchLabels: {app: web}}
            topologyKey: zone
        """);
    List<Pod> bound = List.of(boundTo(guard, "b1"));

    assertThat(filter(pod("web", null, null, "app=web"), bound)).containsExactly("", "",
        "node(s) didn't satisfy existing pods anti-affinity rules", "");
    assertThat(filter(pod("other", null, null, "app=other"), bound)).containsOnly("");
  }

  @Test
  void nullSelectorSelectsNothingEmptySelectorEverything() {
    Pod none = withAffinity("p", "default", "{}", """
        podAntiAffinity:
          requiredDuringSchedulingIgnoredDuringExecution:
          - topologyKey: zone
        """);
    Pod all = withAffinity("p", "default", "{}", """
        podAntiAffinity:
          requiredDuringSchedulingIgnoredDuringExecution:
          - labelSelector: {}
            topologyKey: zone
        """);
    List<Pod> bound = List.of(boundTo(pod("any", null, null, "x=y"), "b1"));

    assertThat(filter(none, bound)).containsOnly("");
    assertThat(filter(all, bound).get(2)).isEqualTo("node(s) didn't match pod anti-affinity rules");
  }

  @Test
  void withoutAnyTermsTheFilterIsSkipped() {
    CycleState state = new CycleState(SchedulerCache.snapshotOf(NODES, List.of(), null, Map.of()));
    assertThat(plugin.preFilter(state, pod("p", null, null))).isEqualTo(PreFilterResult.SKIP);
    assertThat(plugin.preScore(state, pod("p", null, null), state.snapshot().nodes())).isEqualTo(Status.SKIP);
  }

  @Test
  void preferredAntiAffinitySpreadsOverZones() {
    Pod web = withAffinity("web-2", "default", "{app: web}", """
        podAntiAffinity:
          preferredDuringSchedulingIgnoredDuringExecution:
          - weight: 100
            podAffinityTerm:
              labelSelector: {matchLabels: {app: web}}
              topologyKey: zone
        """);
    List<Pod> bound = List.of(boundTo(pod("web-0", null, null, "app=web"), "a1"),
        boundTo(pod("web-1", null, null, "app=web"), "a2"));

    // Zone a scores -200, zone b and the unlabelled node 0: normalised 0 and 100.
    assertThat(scores(web, bound)).containsExactly(0, 0, 100, 100);
  }

  @Test
  void existingPodsTermsTowardsTheIncomingPodScoreToo() {
    Pod likesWeb = withAffinity("cache", "default", "{app: cache}", """
        podAffinity:
          requiredDuringSchedulingIgnoredDuringExecution:
          - labelSelector: {matchLabels: {app: web}}
            topologyKey: zone
          preferredDuringSchedulingIgnoredDuringExecution:
          - weight: 3
            podAffinityTerm:
              labelSelector: {matchLabels: {app: web}}
              topologyKey: kubernetes.io/hostname
        """);
    Pod dislikesWeb = withAffinity("batch", "default", "{app: batch}", """
        podAntiAffinity:
          preferredDuringSchedulingIgnoredDuringExecution:
          - weight: 4
            podAffinityTerm:
              labelSelector: {matchLabels: {app: web}}
              topologyKey: kubernetes.io/hostname
        """);
    List<Pod> bound = List.of(boundTo(likesWeb, "a1"), boundTo(dislikesWeb, "b1"));

    // a1: 1 (required term, zone a) + 3 (preferred, host a1) = 4; a2: 1; b1: -4; lonely: 0.
    // Normalised from -4..4: 100, 62, 0, 50.
    assertThat(scores(pod("web", null, null, "app=web"), bound)).containsExactly(100, 62, 0, 50);
    assertThat(scores(pod("other", null, null, "app=other"), bound)).isNull();
  }
}
