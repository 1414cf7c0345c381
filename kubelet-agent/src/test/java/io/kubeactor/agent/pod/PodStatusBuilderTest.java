package io.kubeactor.agent.pod;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class PodStatusBuilderTest {
  final Instant now = Instant.parse("2026-01-01T00:00:00Z");

  Pod pod(String restartPolicy) {
    return new PodBuilder().withNewMetadata().withName("p").withNamespace("default").withUid("u").endMetadata()
        .withNewSpec().withRestartPolicy(restartPolicy).addNewContainer().withName("main").withImage("busybox").endContainer()
        .endSpec().build();
  }

  ObservedContainer container(ContainerState state, ContainerState.Terminated last) {
    return new ObservedContainer("main", "busybox", "", "docker://1", last == null ? 0 : 3, state, last);
  }

  @Test
  void aContainerInCrashLoopBackOffLeavesThePodRunningButNotReady() {
    var oom = new ContainerState.Terminated(137, "OOMKilled", null, now, now, "docker://0");
    var o = new Observation(true, "10.244.0.9", List.of(),
        List.of(container(new ContainerState.Waiting("CrashLoopBackOff", "back-off 20s"), oom)), List.of(), null, false);
    ObjectNode status = PodStatusBuilder.build(pod("Always"), o, Map.of(), "10.244.0.1", null, now);
    assertThat(status.path("phase").asText()).isEqualTo("Running");
    assertThat(status.at("/containerStatuses/0/state/waiting/reason").asText()).isEqualTo("CrashLoopBackOff");
    assertThat(status.at("/containerStatuses/0/lastState/terminated/reason").asText()).isEqualTo("OOMKilled");
    assertThat(status.at("/containerStatuses/0/restartCount").asInt()).isEqualTo(3);
    assertThat(status.at("/conditions/2/type").asText()).isEqualTo("Ready");
    assertThat(status.at("/conditions/2/message").asText()).isEqualTo("containers with unready status: [main]");
    assertThat(status.path("podIP").asText()).isEqualTo("10.244.0.9");
  }

  @Test
  void phasesFollowTheRestartPolicy() {
    var ok = new ContainerState.Terminated(0, "Completed", null, now, now, "docker://1");
    var failed = new ContainerState.Terminated(1, "Error", null, now, now, "docker://1");
    assertThat(PodStatusBuilder.phase(pod("Never"), List.of(), List.of(container(ok, null)))).isEqualTo("Succeeded");
    assertThat(PodStatusBuilder.phase(pod("Never"), List.of(), List.of(container(failed, null)))).isEqualTo("Failed");
    assertThat(PodStatusBuilder.phase(pod("OnFailure"), List.of(), List.of(container(failed, null)))).isEqualTo("Running");
    assertThat(PodStatusBuilder.phase(pod("Always"), List.of(),
        List.of(container(new ContainerState.Waiting("ContainerCreating", null), null)))).isEqualTo("Pending");
  }

  @Test
  void aConditionKeepsItsTransitionTimeWhileItHolds() {
    var running = new Observation(true, "10.244.0.9", List.of(), List.of(container(new ContainerState.Running(now), null)),
        List.of(), null, false);
    ObjectNode first = PodStatusBuilder.build(pod("Always"), running, Map.of(), null, null, now);
    ObjectNode later = PodStatusBuilder.build(pod("Always"), running, Map.of(), null, first, now.plusSeconds(60));
    assertThat(later).isEqualTo(first);
  }

  @Test
  void ephemeralContainersAreReportedApartAndCountForNeitherPhaseNorReadiness() {
    var ended = new ContainerState.Terminated(0, "Completed", null, now, now, "docker://2");
    var debugger = new ObservedContainer("debugger-x", "busybox", "", "docker://2", 0, ended, null);
    var o = new Observation(true, "10.244.0.9", List.of(), List.of(container(new ContainerState.Running(now), null)),
        List.of(debugger), null, false);
    ObjectNode status = PodStatusBuilder.build(pod("Always"), o, Map.of(), null, null, now);
    assertThat(status.path("phase").asText()).isEqualTo("Running");
    assertThat(status.at("/conditions/2/status").asText()).isEqualTo("True");
    assertThat(status.path("containerStatuses")).hasSize(1);
    ObjectNode ephemeral = (ObjectNode) status.at("/ephemeralContainerStatuses/0");
    assertThat(ephemeral.path("name").asText()).isEqualTo("debugger-x");
    assertThat(ephemeral.at("/state/terminated/reason").asText()).isEqualTo("Completed");
    assertThat(ephemeral.path("ready").asBoolean(true)).isFalse();
    assertThat(ephemeral.has("started")).isFalse();
  }
}
