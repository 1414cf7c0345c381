package io.kubeactor.controlplane.scheduler.framework.plugins;

import static io.kubeactor.controlplane.scheduler.Fixtures.cycle;
import static io.kubeactor.controlplane.scheduler.Fixtures.node;
import static io.kubeactor.controlplane.scheduler.Fixtures.yamlPod;
import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.Pod;
import io.kubeactor.controlplane.api.scheduling.RequiredNodeAffinity;
import io.kubeactor.controlplane.scheduler.framework.CycleState;
import io.kubeactor.controlplane.scheduler.framework.PreFilterResult;
import io.kubeactor.controlplane.scheduler.framework.Status;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class NodeAffinityTest {

  private final NodeAffinity plugin = new NodeAffinity();
  private static final Node NODE = node("node-1", "1", "1Gi", "zone=a", "cores=8", "gpu=");

  private static Pod required(String terms) {
    return yamlPod("""
        metadata: {name: p, namespace: default}
        spec:
          containers: [{name: main}]
          affinity:
            nodeAffinity:
              requiredDuringSchedulingIgnoredDuringExecution:
                nodeSelectorTerms:
        %s
        """.formatted(terms.indent(8)));
  }

  private static boolean matches(String terms) {
    return RequiredNodeAffinity.matches(required(terms), NODE);
  }

  @ParameterizedTest
  @CsvSource(delimiter = '|', quoteCharacter = '"', value = {
      "{key: zone, operator: In, values: [a, b]}      | true",
      "{key: zone, operator: In, values: [b]}         | false",
      "{key: zone, operator: NotIn, values: [b]}      | true",
      "{key: zone, operator: NotIn, values: [a]}      | false",
      "{key: rack, operator: NotIn, values: [a]}      | true",
      "{key: gpu, operator: Exists}                   | true",
      "{key: rack, operator: Exists}                  | false",
      "{key: rack, operator: DoesNotExist}            | true",
      "{key: zone, operator: DoesNotExist}            | false",
      "{key: cores, operator: Gt, values: ['4']}      | true",
      "{key: cores, operator: Gt, values: ['8']}      | false",
      "{key: cores, operator: Lt, values: ['16']}     | true",
      "{key: zone, operator: Gt, values: ['1']}       | false",
      "{key: rack, operator: Lt, values: ['1']}       | false",
      "{key: cores, operator: Gt, values: [x]}        | false",
      "{key: zone, operator: In, values: []}          | false",
      "{key: zone, operator: Exists, values: [a]}     | false",
      "{key: zone, operator: Near, values: [a]}       | false"})
  void matchExpressionOperators(String expression, boolean expected) {
    assertThat(matches("- matchExpressions: [" + expression + "]")).isEqualTo(expected);
  }

  @ParameterizedTest
  @CsvSource(delimiter = '|', quoteCharacter = '"', value = {
      "{key: metadata.name, operator: In, values: [node-1]}         | true",
      "{key: metadata.name, operator: In, values: [node-2]}         | false",
      "{key: metadata.name, operator: NotIn, values: [node-2]}      | true",
      "{key: metadata.name, operator: In, values: [node-1, node-2]} | false",
      "{key: metadata.name, operator: Exists}                       | false"})
  void matchFieldsOnTheNodeName(String field, boolean expected) {
    assertThat(matches("- matchFields: [" + field + "]")).isEqualTo(expected);
  }

  @Test
  void requirementsOfATermAreAndedTermsOred() {
    assertThat(matches("""
        - matchExpressions: [{key: zone, operator: In, values: [a]}, {key: cores, operator: Lt, values: ['4']}]
        """)).isFalse();
    assertThat(matches("""
        - matchExpressions: [{key: zone, operator: In, values: [a]}, {key: cores, operator: Lt, values: ['4']}]
        - matchFields: [{key: metadata.name, operator: In, values: [node-1]}]
        """)).isTrue();
    assertThat(matches("""
        - matchExpressions: [{key: zone, operator: In, values: [a]}]
          matchFields: [{key: metadata.name, operator: In, values: [node-2]}]
        """)).isFalse();
  }

  @Test
  void anEmptyTermMatchesNothing() {
    assertThat(matches("- {}")).isFalse();
  }

  @Test
  void nodeSelectorAndRequiredAffinityMustBothHold() {
    Pod pod = yamlPod("""
        metadata: {name: p}
        spec:
          containers: [{name: main}]
          nodeSelector: {zone: a}
          affinity:
            nodeAffinity:
              requiredDuringSchedulingIgnoredDuringExecution:
                nodeSelectorTerms: [{matchExpressions: [{key: cores, operator: Gt, values: ['16']}]}]
        """);
    CycleState state = cycle(List.of(NODE), List.of(), pod);
    assertThat(plugin.filter(state, pod, state.snapshot().nodes().get(0)).reasons())
        .containsExactly("node(s) didn't match Pod's node affinity/selector");
  }

  @Test
  void preFilterNarrowsToNamedNodes() {
    CycleState state = cycle(List.of(NODE), List.of(), null);
    Pod plain = yamlPod("metadata: {name: p}\nspec: {containers: [{name: main}]}");
    assertThat(plugin.preFilter(state, plain)).isEqualTo(PreFilterResult.SKIP);

    Pod byLabel = required("- matchExpressions: [{key: zone, operator: In, values: [a]}]");
    assertThat(plugin.preFilter(state, byLabel)).isEqualTo(PreFilterResult.ALL_NODES);

    Pod byName = required("""
        - matchFields: [{key: metadata.name, operator: In, values: [a, b]}, {key: metadata.name, operator: In, values: [b, c]}]
        - matchFields: [{key: metadata.name, operator: In, values: [d]}]
        """);
    assertThat(plugin.preFilter(state, byName)).isEqualTo(PreFilterResult.only(Set.of("b", "d")));

    Pod orAnyNode = required("""
        - matchFields: [{key: metadata.name, operator: In, values: [a]}]
        - matchExpressions: [{key: zone, operator: In, values: [a]}]
        """);
    assertThat(plugin.preFilter(state, orAnyNode)).isEqualTo(PreFilterResult.ALL_NODES);
  }

  @Test
  void preferredTermsScoreTheirWeightsNormalisedToTheBest() {
    Pod pod = yamlPod("""
        metadata: {name: p}
        spec:
          containers: [{name: main}]
          affinity:
            nodeAffinity:
              preferredDuringSchedulingIgnoredDuringExecution:
              - {weight: 20, preference: {matchExpressions: [{key: zone, operator: In, values: [a]}]}}
              - {weight: 60, preference: {matchExpressions: [{key: disk, operator: In, values: [ssd]}]}}
              - {weight: 0, preference: {matchExpressions: [{key: zone, operator: In, values: [b]}]}}
              - {weight: 30, preference: {}}
        """);
    List<Node> nodes = List.of(node("a-ssd", "1", "1Gi", "zone=a", "disk=ssd"), node("a-hdd", "1", "1Gi", "zone=a"),
        node("b-hdd", "1", "1Gi", "zone=b"));
    CycleState state = cycle(nodes, List.of(), pod);
    assertThat(plugin.preScore(state, pod, state.snapshot().nodes())).isEqualTo(Status.SUCCESS);
    long[] scores = state.snapshot().nodes().stream().mapToLong(n -> plugin.score(state, pod, n)).toArray();
    assertThat(scores).containsExactly(20, 80, 0); // a-hdd, a-ssd, b-hdd
    plugin.normalizeScore(state, pod, scores);
    assertThat(scores).containsExactly(25, 100, 0);
  }

  @Test
  void withoutPreferencesScoringIsSkipped() {
    Pod pod = required("- matchExpressions: [{key: zone, operator: In, values: [a]}]");
    CycleState state = cycle(List.of(NODE), List.of(), pod);
    assertThat(plugin.preScore(state, pod, state.snapshot().nodes())).isEqualTo(Status.SKIP);
  }
}
