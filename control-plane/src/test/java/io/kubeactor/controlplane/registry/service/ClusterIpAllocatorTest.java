package io.kubeactor.controlplane.registry.service;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.kubeactor.controlplane.api.IpAddresses;
import java.net.Inet4Address;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.random.RandomGenerator;
import org.junit.jupiter.api.Test;

class ClusterIpAllocatorTest {

  private static long offset(String ip) {
    return IpAddresses.toLong((Inet4Address) IpAddresses.parse(ip)) - IpAddresses.toLong((Inet4Address) IpAddresses.parse("10.96.0.1"));
  }

  @Test
  void theRangeIsEveryAddressButTheNetworkAndBroadcastOnes() throws Exception {
    ClusterIpAllocator ips = new ClusterIpAllocator("10.96.0.0/28");
    assertThat(ips.free()).isEqualTo(14);
    assertThat(ips.address(1)).isEqualTo("10.96.0.1");
    ips.allocate("10.96.0.1");
    ips.allocate("10.96.0.14");
    assertThatThrownBy(() -> ips.allocate("10.96.0.0")).hasMessage(
        "the provided IP (10.96.0.0) is not in the valid range. The range of valid IPs is 10.96.0.0/28");
    assertThatThrownBy(() -> ips.allocate("10.96.0.15")).hasMessage(
        "the provided IP (10.96.0.15) is not in the valid range. The range of valid IPs is 10.96.0.0/28");
    assertThatThrownBy(() -> ips.allocate("10.96.0.1")).hasMessage("provided IP is already allocated")
        .extracting(e -> ((AllocationException) e).reason()).isEqualTo(AllocationException.Reason.ALLOCATED);
    assertThat(ips.free()).isEqualTo(12);
  }

  @Test
  void theDefaultRangeKeepsItsFirst256AddressesForAddressesAskedFor() throws Exception {
    ClusterIpAllocator ips = new ClusterIpAllocator("10.96.0.0/12");
    assertThat(ClusterIpAllocator.rangeOffset(1L << 20)).isEqualTo(256);
    assertThat(ips.address(1)).isEqualTo("10.96.0.1");
    assertThat(ips.address(10)).isEqualTo("10.96.0.10");
    for (int i = 0; i < 1000; i++) {
      String ip = ips.allocateNext();
      assertThat(offset(ip)).isBetween(256L, (1L << 20) - 3);
    }
  }

  @Test
  void theLowerPartIsUsedOnlyOnceTheUpperIsFull() throws Exception {
    // a /24: 254 usable addresses, the first 16 kept for addresses asked for
    ClusterIpAllocator ips = new ClusterIpAllocator("192.168.7.0/24", RandomGenerator.of("L64X128MixRandom"));
    assertThat(ClusterIpAllocator.rangeOffset(256)).isEqualTo(16);
    Set<String> upper = new HashSet<>();
    for (int i = 0; i < 254 - 16; i++) upper.add(ips.allocateNext());
    assertThat(upper).hasSize(238).allSatisfy(ip -> assertThat(Integer.parseInt(ip.substring(ip.lastIndexOf('.') + 1))).isGreaterThan(16));
    List<String> lower = new ArrayList<>();
    for (int i = 0; i < 16; i++) lower.add(ips.allocateNext());
    assertThat(lower).allSatisfy(ip -> assertThat(Integer.parseInt(ip.substring(ip.lastIndexOf('.') + 1))).isBetween(1, 16))
        .doesNotHaveDuplicates();
    assertThatThrownBy(ips::allocateNext).hasMessage("range is full")
        .extracting(e -> ((AllocationException) e).reason()).isEqualTo(AllocationException.Reason.FULL);
    ips.release("192.168.7.200");
    assertThat(ips.allocateNext()).isEqualTo("192.168.7.200");
  }

  @Test
  void aSmallRangeHasNoStaticPart() throws Exception {
    ClusterIpAllocator ips = new ClusterIpAllocator("10.0.0.0/29");
    Set<String> all = new HashSet<>();
    for (int i = 0; i < 6; i++) all.add(ips.allocateNext());
    assertThat(all).containsExactlyInAnyOrder("10.0.0.1", "10.0.0.2", "10.0.0.3", "10.0.0.4", "10.0.0.5", "10.0.0.6");
    assertThatThrownBy(ips::allocateNext).hasMessage("range is full");
  }

  @Test
  void anAddressHeldTwiceIsFreeOnlyWhenBothLetGo() throws Exception {
    ClusterIpAllocator ips = new ClusterIpAllocator("10.96.0.0/12");
    ips.hold("10.96.0.10");
    ips.hold("10.96.0.10");
    ips.release("10.96.0.10");
    assertThat(ips.has("10.96.0.10")).isTrue();
    ips.release("10.96.0.10");
    assertThat(ips.has("10.96.0.10")).isFalse();
    ips.release("10.96.0.10");
    ips.allocate("10.96.0.10");
    assertThat(ips.has("10.96.0.10")).isTrue();
  }

  @Test
  void concurrentAllocationsNeverShareAnAddress() throws Exception {
    ClusterIpAllocator ips = new ClusterIpAllocator("10.1.0.0/24");
    ConcurrentLinkedQueue<String> got = new ConcurrentLinkedQueue<>();
    ConcurrentLinkedQueue<String> failures = new ConcurrentLinkedQueue<>();
    ExecutorService pool = Executors.newFixedThreadPool(8);
    CountDownLatch start = new CountDownLatch(1);
    for (int t = 0; t < 8; t++) {
      pool.submit(() -> {
        start.await();
        for (int i = 0; i < 40; i++) {
          try {
            got.add(ips.allocateNext());
          } catch (AllocationException e) {
            failures.add(e.getMessage());
          }
        }
        return null;
      });
    }
    start.countDown();
    pool.shutdown();
    assertThat(pool.awaitTermination(10, TimeUnit.SECONDS)).isTrue();
    // 320 asks of a range of 254: every address once, the rest refused
    assertThat(got).hasSize(254).doesNotHaveDuplicates();
    assertThat(failures).hasSize(66).containsOnly("range is full");
  }
}
