package io.kubeactor.controlplane.controller.nodeipam;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.Test;

class CidrSetTest {

  @Test
  void blocksComeInOrderFromTheStartOfTheRange() {
    CidrSet set = new CidrSet("10.244.0.0/16", 24);
    assertThat(set.next(List.of())).contains("10.244.0.0/24");
    assertThat(set.next(List.of("10.244.0.0/24"))).contains("10.244.1.0/24");
    assertThat(set.next(List.of("10.244.0.0/24", "10.244.1.0/24"))).contains("10.244.2.0/24");
  }

  @Test
  void aReleasedBlockIsNotHandedOutAgainAtOnce() {
    CidrSet set = new CidrSet("10.244.0.0/16", 24);
    set.next(List.of());
    set.next(List.of("10.244.0.0/24"));
    // 10.244.0.0/24 was released: the next candidate is still after the last handed out
    assertThat(set.next(List.of("10.244.1.0/24"))).contains("10.244.2.0/24");
  }

  @Test
  void aFullRangeHasNoBlockAndWrapsAroundToFreeOnes() {
    CidrSet set = new CidrSet("10.0.0.0/30", 30);
    assertThat(set.next(List.of())).contains("10.0.0.0/30");
    assertThat(set.next(List.of("10.0.0.0/30"))).isEmpty();
    CidrSet two = new CidrSet("10.0.0.0/29", 30);
    assertThat(two.next(List.of())).contains("10.0.0.0/30");
    assertThat(two.next(List.of())).contains("10.0.0.4/30");
    assertThat(two.next(List.of("10.0.0.4/30"))).contains("10.0.0.0/30");
  }

  @Test
  void blocksOutsideTheRangeOrOfAnotherSizeAreNotItsOwn() {
    CidrSet set = new CidrSet("10.244.0.0/16", 24);
    assertThat(set.contains("10.244.7.0/24")).isTrue();
    assertThat(set.contains("10.245.0.0/24")).isFalse();
    assertThat(set.contains("10.244.7.0/25")).isFalse();
    assertThat(set.contains("10.244.7.1/24")).isFalse();
    assertThat(set.contains("garbage")).isFalse();
    assertThat(set.next(List.of("garbage", "10.245.0.0/24"))).contains("10.244.0.0/24");
  }

  @Test
  void aMaskThatDoesNotFitIsRefused() {
    assertThatThrownBy(() -> new CidrSet("10.244.0.0/16", 8)).isInstanceOf(IllegalArgumentException.class);
  }
}
