package io.kubeactor.common;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class QuantitiesCanonicalTest {

  @ParameterizedTest(name = "{0} prints as {1}")
  @CsvSource({
      "0, 0",
      "0Gi, 0",
      "1, 1",
      "1000m, 1",
      "100m, 100m",
      "0.5, 500m",
      "1.5, 1500m",
      "2000, 2k",
      "1200, 1200",
      "0.0001, 100u",
      "1Gi, 1Gi",
      "10Gi, 10Gi",
      "1.5Gi, 1536Mi",
      "1024Mi, 1Gi",
      "0.5Ki, 512",
      "1024, 1024",
      "100Mi, 100Mi",
      "1e3, 1e3",
      "1E6, 1e6",
      "12e2, 1200",
      "-100m, -100m",
      "0.1n, 1n",
      "abc, abc",
  })
  void canonicalFormLikeQuantityString(String in, String expected) {
    assertThat(Quantities.canonical(in)).isEqualTo(expected);
  }
}
