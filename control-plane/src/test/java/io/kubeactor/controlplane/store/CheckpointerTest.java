package io.kubeactor.controlplane.store;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class CheckpointerTest {

  @Test
  void aSnapshotIntervalsEventsGoInTenSlicesAndASmallRemainderInOne() {
    long from = 10_000;
    long target = 15_000;
    int requests = 0;
    while (from < target) {
      long end = Checkpointer.sliceEnd(from, target);
      assertThat(end - from).isLessThanOrEqualTo(500);
      from = end;
      requests++;
    }
    assertThat(requests).isEqualTo(10);
    assertThat(Checkpointer.sliceEnd(15_000, 15_120)).isEqualTo(15_120);
  }

  @Test
  void aLargeBacklogStillGoesInAboutTenSlices() {
    // e.g. deletions that fell behind a burst of writes: slices grow rather than pile up
    assertThat(Checkpointer.sliceEnd(0, 100_000)).isEqualTo(10_000);
    assertThat(Checkpointer.sliceEnd(0, 100_001)).isEqualTo(10_001);
  }
}
