package io.kubeactor.controlplane.controller;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class WorkQueueTest {

  final WorkQueue queue = new WorkQueue(Duration.ofMillis(5), Duration.ofSeconds(1));

  @Test
  void aKeyAddedTwiceWaitsOnce() {
    queue.add("a");
    queue.add("b");
    queue.add("a");
    assertThat(queue.next()).contains("a");
    assertThat(queue.next()).contains("b");
    assertThat(queue.next()).isEmpty();
  }

  @Test
  void aKeyBeingProcessedIsNotHandedOutAgainButRunsOnceMoreWhenDone() {
    queue.add("a");
    assertThat(queue.next()).contains("a");
    queue.add("a");
    queue.add("a");
    assertThat(queue.next()).isEmpty();
    queue.done("a");
    assertThat(queue.next()).contains("a");
    queue.done("a");
    assertThat(queue.next()).isEmpty();
  }

  @Test
  void failuresBackOffExponentiallyUpToTheMaximumAndAreForgottenOnSuccess() {
    assertThat(queue.backoff("a")).isEqualTo(Duration.ofMillis(5));
    assertThat(queue.backoff("a")).isEqualTo(Duration.ofMillis(10));
    assertThat(queue.backoff("a")).isEqualTo(Duration.ofMillis(20));
    for (int i = 0; i < 40; i++) queue.backoff("a");
    assertThat(queue.backoff("a")).isEqualTo(Duration.ofSeconds(1));
    assertThat(queue.backoff("b")).isEqualTo(Duration.ofMillis(5));
    queue.forget("a");
    assertThat(queue.backoff("a")).isEqualTo(Duration.ofMillis(5));
  }
}
