package io.kubeactor.agent.pod;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.github.dockerjava.api.model.Bind;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PodResolvConfTest {

  @TempDir
  Path dir;

  final List<String> events = new ArrayList<>();
  final PodEvents recorder = (type, reason, message, fieldPath) -> events.add(type + " " + reason);

  static Pod pod() {
    return new PodBuilder().withNewMetadata().withName("web").withNamespace("shop").withUid("u-1").endMetadata()
        .withNewSpec().endSpec().build();
  }

  @Test
  void writesThePodsFileAndBindsItAtEtcResolvConf() throws Exception {
    Path host = dir.resolve("host-resolv.conf");
    Files.writeString(host, "nameserver 192.0.2.53\nsearch corp.example\n");
    PodResolvConf r = new PodResolvConf(new PodDns.Settings(List.of("10.96.0.10"), "cluster.local"), host, dir.resolve("data"));
    Bind bind = r.write(pod(), recorder);
    assertThat(bind.getVolume().getPath()).isEqualTo("/etc/resolv.conf");
    assertThat(Path.of(bind.getPath())).isEqualTo(dir.resolve("data/pods/u-1/etc/resolv.conf"));
    assertThat(Files.readString(Path.of(bind.getPath()))).isEqualTo("""
        nameserver 10.96.0.10
        search shop.svc.cluster.local svc.cluster.local cluster.local corp.example
        options ndots:5
        """);
    assertThat(events).isEmpty();

    // a container of an adopted sandbox finds the file there; a missing one is written again
    assertThat(r.bind(pod(), recorder).getPath()).isEqualTo(bind.getPath());
    Files.delete(Path.of(bind.getPath()));
    assertThat(Files.exists(Path.of(r.bind(pod(), recorder).getPath()))).isTrue();
  }

  @Test
  void warningsAreRecordedAsThePodsEvents() {
    PodResolvConf r = new PodResolvConf(new PodDns.Settings(List.of(), "cluster.local"), writeHost(), dir.resolve("data"));
    r.write(pod(), recorder);
    assertThat(events).containsExactly("Warning MissingClusterDNS");
  }

  @Test
  void anUnreadableHostResolvConfFailsTheSandbox() {
    PodResolvConf r = new PodResolvConf(new PodDns.Settings(List.of("10.96.0.10"), "cluster.local"),
        dir.resolve("missing"), dir.resolve("data"));
    assertThatThrownBy(() -> r.write(pod(), recorder)).hasMessageContaining("cannot read the host's");
  }

  Path writeHost() {
    try {
      Path host = dir.resolve("host");
      Files.writeString(host, "nameserver 192.0.2.53\n");
      return host;
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }
}
