package io.kubeactor.controlplane.apiserver.protobuf;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class MessageToJsonTest {

  /** metav1.Duration is written with Go's time.Duration.String. */
  @ParameterizedTest
  @CsvSource({
      "0, 0s",
      "1, 1ns",
      "999, 999ns",
      "1500, 1.5µs",
      "1500000, 1.5ms",
      "100000000, 100ms",
      "1000000000, 1s",
      "90000000000, 1m30s",
      "3600000000000, 1h0m0s",
      "3600500000000, 1h0m0.5s",
      "-2000000000, -2s",
      "-9223372036854775808, -2562047h47m16.854775808s"})
  void durationsAreWrittenAsGoWritesThem(long nanos, String text) {
    assertThat(MessageToJson.goDuration(nanos)).isEqualTo(text);
  }
}
