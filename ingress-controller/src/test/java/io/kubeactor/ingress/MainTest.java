package io.kubeactor.ingress;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Map;
import org.junit.jupiter.api.Test;

class MainTest {

  @Test
  void flagsAreIngressNginxsInBothForms() {
    assertThat(Main.flags(new String[] {"--ingress-class=nginx", "--election-id", "leader", "--watch-ingress-without-class"}))
        .isEqualTo(Map.of("ingress-class", "nginx", "election-id", "leader", "watch-ingress-without-class", "true"));
  }

  @Test
  void anUnknownFlagOrArgumentIsRefusedWithTheKnownOnes() {
    assertThatThrownBy(() -> Main.flags(new String[] {"--ingress-clas=nginx"}))
        .hasMessageStartingWith("unknown flag --ingress-clas; the flags are [controller-class, election-id");
    assertThatThrownBy(() -> Main.flags(new String[] {"nginx"})).hasMessage("unexpected argument nginx");
  }
}
