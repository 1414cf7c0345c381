package io.kubeactor.agent.runtime;

import com.github.dockerjava.api.DockerClient;
import com.github.dockerjava.api.async.ResultCallback;
import com.github.dockerjava.api.command.CreateContainerCmd;
import com.github.dockerjava.api.command.InspectContainerResponse;
import com.github.dockerjava.api.command.PullImageResultCallback;
import com.github.dockerjava.api.command.UpdateContainerCmd;
import com.github.dockerjava.api.exception.DockerException;
import com.github.dockerjava.api.exception.NotFoundException;
import com.github.dockerjava.api.exception.NotModifiedException;
import com.github.dockerjava.api.model.AuthConfig;
import com.github.dockerjava.api.model.Container;
import com.github.dockerjava.api.model.Event;
import com.github.dockerjava.api.model.EventType;
import com.github.dockerjava.api.model.Network;
import com.github.dockerjava.api.model.Statistics;
import com.github.dockerjava.core.DefaultDockerClientConfig;
import com.github.dockerjava.core.DockerClientImpl;
import com.github.dockerjava.zerodep.ZerodepDockerHttpClient;
import java.io.Closeable;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.function.UnaryOperator;

/**
 * The agent's one way to the Docker engine (the container runtime): a thin layer over docker-java
 * that speaks in the terms the pod worker needs. Every call blocks; callers run it off the actor
 * threads.
 */
public final class DockerRuntime implements AutoCloseable {

  /** The engine cannot be reached: the agent cannot work. */
  public static final class Unavailable extends Exception {
    public Unavailable(String message) {
      super(message);
    }
  }

  /** A pull failed; {@code unreachable} when no registry answered (as opposed to a refusal or an unknown image). */
  public static final class PullFailed extends Exception {
    public final boolean unreachable;

    PullFailed(String message, boolean unreachable) {
      super(message);
      this.unreachable = unreachable;
    }
  }

  private final DockerClient docker;
  private final String host;

  private DockerRuntime(DockerClient docker, String host) {
    this.docker = docker;
    this.host = host;
  }

  /** Connects and checks that the engine answers. */
  public static DockerRuntime connect(String dockerHost) throws Unavailable {
    var config = DefaultDockerClientConfig.createDefaultConfigBuilder().withDockerHost(dockerHost).build();
    var http = new ZerodepDockerHttpClient.Builder()
        .dockerHost(config.getDockerHost())
        .sslConfig(config.getSSLConfig())
        .maxConnections(200)
        .connectionTimeout(Duration.ofSeconds(10))
        .build();
    DockerClient client = DockerClientImpl.getInstance(config, http);
    DockerRuntime runtime = new DockerRuntime(client, dockerHost);
    try {
      client.pingCmd().exec();
    } catch (RuntimeException e) {
      runtime.close();
      throw new Unavailable("cannot reach the Docker engine at " + dockerHost + " (" + rootMessage(e)
          + "); start it (docker/ensure-docker.sh does) or pass --docker-host");
    }
    return runtime;
  }

  /** docker-java itself, for the log and exec server. */
  public DockerClient client() {
    return docker;
  }

  public String host() {
    return host;
  }

  /** The engine's version, e.g. "20.10.24", as a node's containerRuntimeVersion names it. */
  public String version() {
    return docker.versionCmd().exec().getVersion();
  }

  /** The network of that exact name, or null. */
  public Network network(String name) {
    for (Network n : docker.listNetworksCmd().withNameFilter(name).exec()) {
      if (n.getName().equals(name)) return docker.inspectNetworkCmd().withNetworkId(n.getId()).exec();
    }
    return null;
  }

  /** The networks carrying the label (whatever its value). */
  public List<Network> networks(String label) {
    return docker.listNetworksCmd().withFilter("label", List.of(label)).exec();
  }

  /** A bridge network with the given subnet and gateway, Docker's driver options and labels. */
  public String createBridge(String name, String subnet, String gateway, Map<String, String> options,
      Map<String, String> labels) {
    return docker.createNetworkCmd().withName(name).withDriver("bridge").withCheckDuplicate(true)
        .withIpam(new Network.Ipam().withConfig(new Network.Ipam.Config().withSubnet(subnet).withGateway(gateway)))
        .withOptions(options).withLabels(labels).exec().getId();
  }

  /** Removes the network; its containers must be gone or disconnected first. */
  public void removeNetwork(String id) {
    try {
      docker.removeNetworkCmd(id).exec();
    } catch (NotFoundException e) {
      // gone already
    }
  }

  /** Every container (running or not) carrying all the given labels. */
  public List<Container> containers(Map<String, String> labels) {
    return docker.listContainersCmd().withShowAll(true).withLabelFilter(labels).exec();
  }

  public boolean imagePresent(String image) {
    try {
      docker.inspectImageCmd(image).exec();
      return true;
    } catch (NotFoundException e) {
      return false;
    }
  }

  /** The image's id (sha256:...), or null when it is not present. */
  public String imageId(String image) {
    try {
      return docker.inspectImageCmd(image).exec().getId();
    } catch (NotFoundException e) {
      return null;
    }
  }

  /** The image's size in bytes, or 0 when unknown. */
  public long imageSize(String image) {
    try {
      Long size = docker.inspectImageCmd(image).exec().getSize();
      return size == null ? 0 : size;
    } catch (NotFoundException e) {
      return 0;
    }
  }

  /** Pulls an image, with credentials when given. */
  public void pull(String image, AuthConfig auth, Duration timeout) throws PullFailed {
    ImageReference ref = ImageReference.parse(image);
    var cmd = docker.pullImageCmd(ref.repository()).withTag(ref.tagOrDigest());
    if (auth != null) cmd = cmd.withAuthConfig(auth);
    try {
      if (!cmd.exec(new PullImageResultCallback()).awaitCompletion(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
        throw new PullFailed("pulling image \"" + image + "\" took longer than " + timeout.toSeconds() + "s", true);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new PullFailed("interrupted", false);
    } catch (RuntimeException e) {
      String message = rootMessage(e);
      throw new PullFailed(message, isUnreachable(message));
    }
  }

  /** Docker's words for "no registry answered", as opposed to a registry that refused or lacks the image. */
  static boolean isUnreachable(String message) {
    String m = message.toLowerCase(java.util.Locale.ROOT);
    return m.contains("no such host") || m.contains("dial tcp") || m.contains("i/o timeout")
        || m.contains("temporary failure in name resolution") || m.contains("connection refused")
        || m.contains("network is unreachable") || m.contains("tls handshake timeout")
        || m.contains("server misbehaving") || m.contains("timeout exceeded");
  }

  /** Creates a container; the customizer fills in what the pod asks for. Returns its id. */
  public String create(String image, String name, Map<String, String> labels, UnaryOperator<CreateContainerCmd> customizer) {
    CreateContainerCmd cmd = docker.createContainerCmd(image).withName(name).withLabels(labels);
    return customizer.apply(cmd).exec().getId();
  }

  public void start(String id) {
    try {
      docker.startContainerCmd(id).exec();
    } catch (NotModifiedException alreadyRunning) {
      // started already
    }
  }

  /** Null when the container is gone. */
  public InspectContainerResponse inspect(String id) {
    try {
      return docker.inspectContainerCmd(id).exec();
    } catch (NotFoundException e) {
      return null;
    }
  }

  /**
   * docker update: a running container's cgroup limits changed in place (what kubelet asks of the
   * CRI with UpdateContainerResources); Docker's refusal (e.g. a memory limit the kernel cannot
   * reach) is thrown.
   */
  public void update(String id, UnaryOperator<UpdateContainerCmd> settings) {
    settings.apply(docker.updateContainerCmd(id)).exec();
  }

  /** SIGTERM, then SIGKILL after the grace period (docker stop). */
  public void stop(String id, long graceSeconds) {
    try {
      docker.stopContainerCmd(id).withTimeout((int) Math.max(0, Math.min(graceSeconds, Integer.MAX_VALUE))).exec();
    } catch (NotFoundException | NotModifiedException alreadyStopped) {
      // nothing to stop
    }
  }

  public void remove(String id) {
    try {
      docker.removeContainerCmd(id).withForce(true).withRemoveVolumes(true).exec();
    } catch (NotFoundException gone) {
      // removed already
    } catch (DockerException e) {
      if (!rootMessage(e).contains("is already in progress")) throw e;
    }
  }

  /** One stats sample (with the previous one, so a CPU rate can be computed); null when the container is gone. */
  public Statistics stats(String id) {
    try (var callback = new ResultCallback.Adapter<Statistics>() {
      volatile Statistics first;

      @Override
      public void onNext(Statistics s) {
        first = s;
      }
    }) {
      docker.statsCmd(id).withNoStream(true).exec(callback).awaitCompletion(10, TimeUnit.SECONDS);
      return callback.first;
    } catch (NotFoundException e) {
      return null;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return null;
    } catch (java.io.IOException e) {
      return null;
    }
  }

  private static final java.util.Set<String> LIFECYCLE = java.util.Set.of("start", "die", "oom", "destroy");

  /**
   * Calls the sink for every lifecycle event (start, die, oom, destroy) of containers with the given
   * label, and {@code ended} once when the stream ends (e.g. the engine restarted).
   */
  public Closeable events(String label, String value, Consumer<Event> sink, Runnable ended) {
    // only the label is filtered by the engine: docker-java's type and event filters select nothing on Docker 20.10
    return docker.eventsCmd()
        .withLabelFilter(Map.of(label, value))
        .exec(new ResultCallback.Adapter<>() {
          @Override
          public void onNext(Event e) {
            if (e.getType() == EventType.CONTAINER && LIFECYCLE.contains(e.getAction())) sink.accept(e);
          }

          @Override
          public void onError(Throwable t) {
            ended.run();
          }

          @Override
          public void onComplete() {
            ended.run();
          }
        });
  }

  /** The innermost message of a docker-java failure: the engine's own words. */
  public static String rootMessage(Throwable e) {
    Throwable t = e;
    while (t.getCause() != null && t.getCause() != t) t = t.getCause();
    String message = t.getMessage() == null ? t.toString() : t.getMessage();
    // docker-java wraps the engine's JSON answer: {"message":"..."}
    int i = message.indexOf("{\"message\":\"");
    if (i >= 0) {
      int end = message.lastIndexOf("\"}");
      if (end > i) message = message.substring(i + 12, end).replace("\\\"", "\"");
    }
    return message.strip();
  }

  @Override
  public void close() {
    try {
      docker.close();
    } catch (java.io.IOException ignored) {
      // closing anyway
    }
  }
}
