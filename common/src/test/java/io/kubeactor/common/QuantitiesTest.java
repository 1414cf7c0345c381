package io.kubeactor.common;

import static org.assertj.core.api.Assertions.assertThat;

import java.math.BigDecimal;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class QuantitiesTest {

  @ParameterizedTest
  @CsvSource({
      "2, 2", "0.5, 500m", "100m, 100m", "1500, 1500", "2000, 2k", "1.5k, 1500", "0, 0",
      "1Gi, 1Gi", "1.5Gi, 1536Mi", "0.5Ki, 512", "1024, 1024", "1000Ki, 1000Ki", "2048Ki, 2Mi",
      "1e3, 1e3", "1.5e3, 1500", "-100m, -100m",
  })
  void printsQuantitiesAsKubernetesDoes(String text, String canonical) {
    assertThat(Quantities.canonical(text)).isEqualTo(canonical);
  }

  @ParameterizedTest
  @CsvSource({"500m, 0.5", "1Ki, 1024", "1M, 1000000", "2e2, 200"})
  void readsTheirValue(String text, String value) {
    assertThat(Quantities.value(text)).get().usingComparator(BigDecimal::compareTo).isEqualTo(new BigDecimal(value));
  }

  @ParameterizedTest
  @CsvSource({"abc", "1Xi", "''"})
  void rejectsWhatIsNotAQuantity(String text) {
    assertThat(Quantities.value(text)).isEmpty();
  }
}
