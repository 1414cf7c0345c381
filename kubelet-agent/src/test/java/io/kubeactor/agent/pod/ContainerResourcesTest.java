package io.kubeactor.agent.pod;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.ObjectNode;
import com.github.dockerjava.api.model.HostConfig;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.ContainerBuilder;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.Quantity;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** A container's cgroup settings from its spec, and the status resources kubelet reports from them. */
class ContainerResourcesTest {

  static Container container(String cpuRequest, String cpuLimit, String memoryRequest, String memoryLimit) {
    return new ContainerBuilder().withName("c").withImage("busybox").withNewResources()
        .withRequests(Map.of("cpu", new Quantity(cpuRequest), "memory", new Quantity(memoryRequest)))
        .withLimits(Map.of("cpu", new Quantity(cpuLimit), "memory", new Quantity(memoryLimit)))
        .endResources().build();
  }

  @Test
  void specValuesBecomeQuotaSharesAndMemoryAndReadBackAsTheSpecSays() {
    Container c = container("150m", "300m", "32Mi", "96Mi");
    ContainerResources wanted = ContainerResources.of(c);
    assertThat(wanted).isEqualTo(new ContainerResources(100_663_296L, 30_000L, 153));
    HostConfig host = wanted.applyTo(HostConfig.newHostConfig());
    assertThat(host.getCpuPeriod()).isEqualTo(100_000L);
    assertThat(host.getMemorySwap()).isEqualTo(100_663_296L);
    assertThat(ContainerResources.applied(host)).isEqualTo(wanted);
    ObjectNode status = wanted.statusResources(c);
    assertThat(status.toString()).isEqualTo("{\"limits\":{\"cpu\":\"300m\",\"memory\":\"96Mi\"},\"requests\":{\"cpu\":\"150m\",\"memory\":\"32Mi\"}}");
    assertThat(ContainerResources.allocated(c).path("cpu").asText()).isEqualTo("150m");
  }

  @Test
  void aContainerWithoutLimitsGetsOnlyShares() {
    Container c = new ContainerBuilder().withName("c").withImage("busybox").build();
    ContainerResources wanted = ContainerResources.of(c);
    assertThat(wanted).isEqualTo(new ContainerResources(0, 0, 2));
    assertThat(wanted.statusResources(c).isEmpty()).isTrue();
  }

  @Test
  void aFailedResizeIsReportedAsPodResizeInProgressWithReasonError() {
    Instant now = Instant.parse("2026-01-01T00:00:00Z");
    var pod = new PodBuilder().withNewMetadata().withName("p").withNamespace("default").withUid("u").endMetadata()
        .withNewSpec().addNewContainer().withName("c").withImage("busybox").endContainer().endSpec().build();
    var failed = new ObservedContainer("c", "busybox", "", "docker://1", 0, new ContainerState.Running(now), null,
        null, null, "attempting to set container memory limit (1048576) below current usage (4194304)");
    var o = new Observation(true, "10.244.0.9", List.of(), List.of(failed), List.of(), null, false);
    ObjectNode status = PodStatusBuilder.build(pod, o, Map.of(), null, null, now);
    ObjectNode condition = null;
    for (var c : status.path("conditions")) if (c.path("type").asText().equals("PodResizeInProgress")) condition = (ObjectNode) c;
    assertThat(condition).isNotNull();
    assertThat(condition.path("status").asText()).isEqualTo("True");
    assertThat(condition.path("reason").asText()).isEqualTo("Error");
    assertThat(condition.path("message").asText()).contains("below current usage");

    var done = new ObservedContainer("c", "busybox", "", "docker://1", 0, new ContainerState.Running(now), null);
    ObjectNode after = PodStatusBuilder.build(pod, new Observation(true, "10.244.0.9", List.of(), List.of(done), List.of(), null, false),
        Map.of(), null, status, now);
    assertThat(after.path("conditions").toString()).doesNotContain("PodResizeInProgress");
  }
}
