package io.kubeactor.controlplane.security.audit;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** apimachinery's utilnet.SourceIPs cases. */
class SourceIpsTest {

  @Test
  void thePeerAlone() {
    assertThat(SourceIps.of(null, null, "127.0.0.1")).containsExactly("127.0.0.1");
    assertThat(SourceIps.of(null, null, "0:0:0:0:0:0:0:1")).containsExactly("::1");
  }

  @Test
  void theForwardedChainThenTheRealIpThenThePeer() {
    assertThat(SourceIps.of("1.2.3.4, bogus, 5.6.7.8", "9.9.9.9", "10.0.0.1"))
        .containsExactly("1.2.3.4", "5.6.7.8", "9.9.9.9", "10.0.0.1");
  }

  @Test
  void addressesAlreadyNamedAreNotRepeated() {
    assertThat(SourceIps.of("1.2.3.4,10.0.0.1", "1.2.3.4", "10.0.0.1")).containsExactly("1.2.3.4", "10.0.0.1");
  }

  @Test
  void namesAreNeverResolved() {
    assertThat(SourceIps.of("localhost", "example.com", "10.0.0.1")).containsExactly("10.0.0.1");
  }
}
