package io.kubeactor.controlplane.autoscaler;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.typesafe.config.ConfigFactory;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The node group as --nodes=MIN:MAX:NAME declares it (bad values refused with a message that says
 * why), the defaults as cluster-autoscaler's, and the command line the local node provider starts
 * an agent with: the launcher's.
 */
class AutoscalerSettingsTest {

  @Test
  void aNodeGroupIsMinMaxName() {
    assertThat(AutoscalerSettings.GroupSpec.parse("1:3:kubeactor")).isEqualTo(new AutoscalerSettings.GroupSpec(1, 3, "kubeactor"));
    assertThatThrownBy(() -> AutoscalerSettings.GroupSpec.parse("3")).hasMessage("--nodes 3 is not MIN:MAX:NAME");
    assertThatThrownBy(() -> AutoscalerSettings.GroupSpec.parse("3:1:g"))
        .hasMessage("--nodes 3:1:g: max size must be greater or equal to min size");
    assertThatThrownBy(() -> AutoscalerSettings.GroupSpec.parse("a:1:g")).hasMessageContaining("whole numbers");
    assertThatThrownBy(() -> AutoscalerSettings.GroupSpec.parse("1:2:Bad_Name")).hasMessageContaining("DNS label");
  }

  @Test
  void defaultsAreUpstreamsAndNodesLiveBesideTheDataDirectory() {
    AutoscalerSettings s = AutoscalerSettings.from(ConfigFactory.parseMap(Map.of(
            "kubeactor.data-dir", "/srv/cluster/data", "kubeactor.cluster-autoscaler.nodes", "1:3:pool"))
        .withFallback(ConfigFactory.load()).getConfig("kubeactor"));
    assertThat(s.enabled()).isTrue();
    assertThat(s.scanInterval()).isEqualTo(Duration.ofSeconds(10));
    assertThat(s.scaleDownUnneededTime()).isEqualTo(Duration.ofMinutes(10));
    assertThat(s.scaleDownDelayAfterAdd()).isEqualTo(Duration.ofMinutes(10));
    assertThat(s.scaleDownUtilizationThreshold()).isEqualTo(0.5);
    assertThat(s.provider().nodesDir()).isEqualTo(Path.of("/srv/cluster/nodes"));
    assertThat(AutoscalerSettings.from(ConfigFactory.load().getConfig("kubeactor")).enabled()).isFalse();
  }

  @Test
  void theLocalProviderStartsAnAgentAsTheLauncherDoes() {
    AutoscalerSettings s = new AutoscalerSettings(new AutoscalerSettings.GroupSpec(1, 3, "pool"), Duration.ofSeconds(10), true,
        Duration.ofMinutes(10), Duration.ofMinutes(10), 0.5, Duration.ofMinutes(15), Duration.ofMinutes(2),
        new AutoscalerSettings.LocalProviderSpec("/usr/bin/java", List.of("-Xmx256m", "-XX:+UseSerialGC"), "agent.jar:lib/*",
            Path.of("/srv/nodes"), null, null, List.of("--cpu", "2")));
    LocalNodeProvider provider = new LocalNodeProvider(s, "127.0.0.1:7355",
        new LocalNodeProvider.Join("https://127.0.0.1:6443", Path.of("/srv/data/pki/ca.crt"), node -> "abcdef.0123456789abcdef"),
        Clock.systemUTC());
    try {
      assertThat(provider.command("pool-m02")).containsExactly("/usr/bin/java", "-Xmx256m", "-XX:+UseSerialGC",
          "-cp", "agent.jar:lib/*", "io.kubeactor.agent.Main", "--name", "pool-m02", "--control-plane", "127.0.0.1:7355",
          "--data-dir", "/srv/nodes/pool-m02", "--labels", "kubeactor.io/node-group=pool",
          "--api-server", "https://127.0.0.1:6443", "--ca-cert", "/srv/data/pki/ca.crt", "--cpu", "2");
    } finally {
      provider.close();
    }
  }
}
