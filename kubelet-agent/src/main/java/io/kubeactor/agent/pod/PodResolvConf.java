package io.kubeactor.agent.pod;

import com.github.dockerjava.api.model.AccessMode;
import com.github.dockerjava.api.model.Bind;
import com.github.dockerjava.api.model.Volume;
import io.fabric8.kubernetes.api.model.Pod;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;

/**
 * Each pod's /etc/resolv.conf ({@link PodDns}), written in the pod's directory and bind-mounted into
 * the sandbox and every container, as dockershim rewrote the sandbox's file. Docker gives
 * containers joined to the sandbox ({@code container:} network mode) the sandbox's own resolv.conf,
 * but on a user-defined network that file names Docker's embedded resolver (127.0.0.11), which
 * Kubernetes' pods do not have; Docker also refuses DNS options with a {@code container:} network
 * mode. A bind mount at /etc/resolv.conf replaces Docker's file in each container.
 */
public final class PodResolvConf {

  static final String CONTAINER_PATH = "/etc/resolv.conf";

  private final PodDns.Settings settings;
  private final Path hostResolvConf;
  private final Path podsDir;

  /**
   * @param hostResolvConf the host's resolv.conf (kubelet's --resolv-conf), read for each new sandbox
   * @param dataDir the node's data directory; files go under pods/UID/ (removed with the pod's volumes)
   */
  public PodResolvConf(PodDns.Settings settings, Path hostResolvConf, Path dataDir) {
    this.settings = settings;
    this.hostResolvConf = hostResolvConf;
    this.podsDir = dataDir.resolve("pods");
  }

  /** Forms and writes the pod's resolv.conf (for a new sandbox), records kubelet's warnings, and returns its bind. */
  public Bind write(Pod pod, PodEvents events) {
    PodDns.Config config;
    try {
      config = PodDns.forPod(pod, settings, PodDns.HostConfig.read(hostResolvConf));
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read the host's " + hostResolvConf + ": " + e.getMessage(), e);
    }
    for (PodDns.Event e : config.events()) events.warning(e.reason(), e.message(), null);
    Path file = path(pod);
    try {
      Files.createDirectories(file.getParent());
      Path tmp = file.resolveSibling("resolv.conf.tmp");
      Files.writeString(tmp, config.render(), StandardCharsets.UTF_8);
      Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write " + file + ": " + e.getMessage(), e);
    }
    return bind(file);
  }

  /** The bind of the pod's resolv.conf for a container, written first if it is not there (a sandbox adopted after a restart). */
  public Bind bind(Pod pod, PodEvents events) {
    Path file = path(pod);
    return Files.isRegularFile(file) ? bind(file) : write(pod, events);
  }

  Path path(Pod pod) {
    return podsDir.resolve(pod.getMetadata().getUid()).resolve("etc").resolve("resolv.conf");
  }

  private static Bind bind(Path file) {
    return new Bind(file.toString(), new Volume(CONTAINER_PATH), AccessMode.rw);
  }
}
