package io.kubeactor.controlplane.controller;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class HashesTest {

  @Test
  void fnv1aMatchesTheReferenceValues() {
    assertThat(Hashes.fnv32a(new byte[0], null)).isEqualTo(0x811c9dc5);
    assertThat(Hashes.fnv32a("a".getBytes(StandardCharsets.UTF_8), null)).isEqualTo(0xe40c292c);
    assertThat(Hashes.fnv32a("foobar".getBytes(StandardCharsets.UTF_8), null)).isEqualTo(0xbf9cf968);
  }

  @Test
  void aCollisionCountChangesTheHash() {
    byte[] data = "template".getBytes(StandardCharsets.UTF_8);
    assertThat(Hashes.fnv32a(data, 1)).isNotEqualTo(Hashes.fnv32a(data, null)).isNotEqualTo(Hashes.fnv32a(data, 2));
  }

  @Test
  void safeEncodingUsesOnlyTheUnambiguousAlphabet() {
    // digits map to the alphabet by their character code, as Kubernetes' SafeEncodeString does
    assertThat(Hashes.safeEncode(0)).isEqualTo("4");
    assertThat(Hashes.safeEncode(-1)).matches("[bcdfghjklmnpqrstvwxz2456789]{10}");
  }
}
