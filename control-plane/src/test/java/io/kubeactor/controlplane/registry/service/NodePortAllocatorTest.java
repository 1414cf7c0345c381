package io.kubeactor.controlplane.registry.service;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.HashSet;
import java.util.Set;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class NodePortAllocatorTest {

  @Test
  void portsOutsideTheRangeOrTakenAreRefusedAsUpstreamWordsIt() throws Exception {
    NodePortAllocator ports = new NodePortAllocator("30000-32767");
    assertThat(ports.free()).isEqualTo(2768);
    ports.allocate(30080);
    assertThatThrownBy(() -> ports.allocate(30080)).hasMessage("provided port is already allocated");
    assertThatThrownBy(() -> ports.allocate(8080))
        .hasMessage("provided port is not in the valid range. The range of valid ports is 30000-32767");
    ports.release(30080);
    ports.allocate(30080);
  }

  @Test
  void portsHandedOutUnaskedComeFromAboveTheStaticBand() throws Exception {
    NodePortAllocator ports = new NodePortAllocator("30000-32767");
    assertThat(NodePortAllocator.rangeOffset(2768)).isEqualTo(86);
    for (int i = 0; i < 500; i++) assertThat(ports.allocateNext()).isBetween(30086, 32767);
  }

  @Test
  void theStaticBandIsUsedLastThenTheRangeIsFull() throws Exception {
    NodePortAllocator ports = new NodePortAllocator("31000-31099");
    assertThat(NodePortAllocator.rangeOffset(100)).isEqualTo(16);
    Set<Integer> upper = new HashSet<>();
    for (int i = 0; i < 84; i++) upper.add(ports.allocateNext());
    assertThat(upper).hasSize(84).allSatisfy(p -> assertThat(p).isBetween(31016, 31099));
    Set<Integer> lower = new HashSet<>();
    for (int i = 0; i < 16; i++) lower.add(ports.allocateNext());
    assertThat(lower).hasSize(16).allSatisfy(p -> assertThat(p).isBetween(31000, 31015));
    assertThatThrownBy(ports::allocateNext).hasMessage("range is full");
  }

  @Test
  void concurrentAllocationsNeverShareAPort() throws Exception {
    NodePortAllocator ports = new NodePortAllocator("30000-30199");
    ConcurrentLinkedQueue<Integer> got = new ConcurrentLinkedQueue<>();
    ExecutorService pool = Executors.newFixedThreadPool(6);
    for (int t = 0; t < 6; t++) {
      pool.submit(() -> {
        for (int i = 0; i < 40; i++) {
          try {
            got.add(ports.allocateNext());
          } catch (AllocationException e) {
            return null;
          }
        }
        return null;
      });
    }
    pool.shutdown();
    assertThat(pool.awaitTermination(10, TimeUnit.SECONDS)).isTrue();
    assertThat(got).hasSize(200).doesNotHaveDuplicates();
  }
}
