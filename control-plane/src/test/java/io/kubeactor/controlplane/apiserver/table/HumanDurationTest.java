package io.kubeactor.controlplane.apiserver.table;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class HumanDurationTest {

  @ParameterizedTest(name = "{0}s is {1}")
  @CsvSource({
      "-3, <invalid>",
      "-2, <invalid>",
      "-1, 0s",
      "0, 0s",
      "1, 1s",
      "70, 70s",
      "119, 119s",
      "120, 2m",
      "190, 3m10s",
      "599, 9m59s",
      "600, 10m",
      "4200, 70m",
      "10799, 179m",
      "10800, 3h",
      "12600, 3h30m",
      "28799, 7h59m",
      "28800, 8h",
      "169200, 47h",
      "172800, 2d",
      "176400, 2d1h",
      "687600, 7d23h",
      "698400, 8d",
      "31708800, 367d",
      "63072000, 2y",
      "63162000, 2y1d",
      "252288000, 8y",
      "252295200, 8y",
  })
  void formatsLikeKubernetes(long seconds, String expected) {
    assertThat(HumanDuration.format(Duration.ofSeconds(seconds))).isEqualTo(expected);
  }

  @Test
  void truncatesFractionsTowardZeroLikeGo() {
    assertThat(HumanDuration.format(Duration.ofMillis(-1900))).isEqualTo("0s");
    assertThat(HumanDuration.format(Duration.ofMillis(-2100))).isEqualTo("<invalid>");
    assertThat(HumanDuration.format(Duration.ofMillis(1999))).isEqualTo("1s");
  }

  @Test
  void sinceWithoutTimeIsUnknown() {
    Instant now = Instant.parse("2025-01-01T12:00:00Z");
    assertThat(HumanDuration.since(null, now)).isEqualTo("<unknown>");
    assertThat(HumanDuration.since(now.minusSeconds(330), now)).isEqualTo("5m30s");
  }

  @Test
  void saturatesAtGosLongestDuration() {
    assertThat(HumanDuration.format(Duration.ofDays(365L * 1000))).isEqualTo("292y");
  }
}
