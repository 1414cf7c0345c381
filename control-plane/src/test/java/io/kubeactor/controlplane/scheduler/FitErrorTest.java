package io.kubeactor.controlplane.scheduler;

import static org.assertj.core.api.Assertions.assertThat;

import io.kubeactor.controlplane.scheduler.framework.Status;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

class FitErrorTest {

  @Test
  void histogramCountsEveryReasonOfEveryNodeAndSortsTheEntriesAsText() {
    Map<String, Status> statuses = new LinkedHashMap<>();
    statuses.put("a", Status.unschedulable("Insufficient memory"));
    statuses.put("b", Status.unschedulable("Insufficient cpu", "Insufficient memory"));
    statuses.put("c", Status.unschedulable("node(s) didn't match Pod's node affinity/selector"));

    assertThat(new FitError(3, statuses, null, null).message()).isEqualTo(
        "0/3 nodes are available: 1 Insufficient cpu, 1 node(s) didn't match Pod's node affinity/selector, "
            + "2 Insufficient memory.");
  }

  @Test
  void nodesLeftOutByAPreFilterShareItsReason() {
    Map<String, Status> statuses = Map.of("a", Status.unschedulable("Too many pods"));
    Status absent = Status.unschedulable("node(s) didn't satisfy plugin(s) [NodeAffinity]");

    assertThat(new FitError(5, statuses, absent, null).message())
        .isEqualTo("0/5 nodes are available: 1 Too many pods, 4 node(s) didn't satisfy plugin(s) [NodeAffinity].");
  }

  @Test
  void aPreFilterRejectionReplacesTheHistogram() {
    assertThat(new FitError(2, Map.of(), null, "pod affinity terms conflict").message())
        .isEqualTo("0/2 nodes are available: pod affinity terms conflict.");
  }
}
