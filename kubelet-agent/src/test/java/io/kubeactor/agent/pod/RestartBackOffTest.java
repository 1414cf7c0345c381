package io.kubeactor.agent.pod;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class RestartBackOffTest {
  final Instant t0 = Instant.parse("2026-01-01T00:00:00Z");

  @Test
  void theFirstRestartIsImmediateThenTheDelayDoublesToFiveMinutes() {
    RestartBackOff b = new RestartBackOff();
    assertThat(b.remaining("p/c", t0, t0.plusSeconds(1), t0.plusSeconds(1))).isZero();
    b.started("p/c", t0.plusSeconds(1));
    // crashed again at once: waits 10 s from the crash
    assertThat(b.remaining("p/c", t0.plusSeconds(1), t0.plusSeconds(2), t0.plusSeconds(3))).isEqualTo(Duration.ofSeconds(9));
    Duration delay = Duration.ZERO;
    for (int i = 0; i < 10; i++) {
      b.started("p/c", t0);
      delay = b.delay("p/c");
    }
    assertThat(delay).isEqualTo(Duration.ofMinutes(5));
  }

  @Test
  void tenMinutesOfRunningResetsIt() {
    RestartBackOff b = new RestartBackOff();
    b.started("p/c", t0);
    b.started("p/c", t0);
    Instant end = t0.plus(Duration.ofMinutes(11));
    assertThat(b.remaining("p/c", t0, end, end)).isZero();
    b.started("p/c", end);
    assertThat(b.delay("p/c")).isEqualTo(Duration.ofSeconds(10));
  }
}
