package io.kubeactor.controlplane.autoscaler;

import io.fabric8.kubernetes.api.model.Node;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The local node provider: a node group whose nodes are agent processes on this machine, started
 * as the launcher starts them ({@code java <jvm options> -cp <agent classpath> io.kubeactor.agent.Main
 * --name NAME --control-plane HOST:PORT --data-dir NODES/NAME --labels kubeactor.io/node-group=GROUP}, and a
 * join token of its own for its certificate),
 * with the launcher's files (log, pid) so that {@code ./kubeactor status}, {@code logs} and
 * {@code down} know them. A node is removed by stopping its agent (SIGTERM, SIGKILL after 20 s) and
 * removing its pods' containers and pod network, as {@code ./kubeactor node rm} does. Its nodes are
 * the Nodes labelled with the group, whoever started them. Starting and stopping block, so they run
 * on a thread of their own.
 */
public final class LocalNodeProvider implements NodeGroup {
  private static final Logger log = LoggerFactory.getLogger(LocalNodeProvider.class);

  /** The label that names a node's group: the launcher and this provider give it to the group's agents. */
  public static final String GROUP_LABEL = "kubeactor.io/node-group";
  static final String AGENT_MAIN = "io.kubeactor.agent.Main";
  private static final Duration STOP_GRACE = Duration.ofSeconds(20);

  private final AutoscalerSettings.GroupSpec group;
  private final AutoscalerSettings.LocalProviderSpec spec;
  private final String controlPlane;
  private final Join join;
  private final Duration maxProvisionTime;
  private final Clock clock;
  /** Nodes started and not registered yet, with when they were started. */
  private final Map<String, Instant> starting = new ConcurrentHashMap<>();
  /** Nodes that failed to come up, not yet reported. */
  private final java.util.Queue<String> failed = new java.util.concurrent.ConcurrentLinkedQueue<>();
  /** The agents this provider started, by node name. */
  private final Map<String, Process> processes = new ConcurrentHashMap<>();
  private final ExecutorService io = Executors.newSingleThreadExecutor(r -> {
    Thread t = new Thread(r, "local-node-provider");
    t.setDaemon(true);
    return t;
  });

  /** controlPlane: HOST:PORT where agents join (the cluster port). */
  public LocalNodeProvider(AutoscalerSettings settings, String controlPlane, Join join, Clock clock) {
    this.join = join;
    this.group = settings.group();
    this.spec = settings.provider();
    this.controlPlane = controlPlane;
    this.maxProvisionTime = settings.maxNodeProvisionTime();
    this.clock = clock;
    if (spec.nodesDir() == null) throw new IllegalArgumentException("the local node provider needs a nodes directory");
    if (spec.classpath().isBlank()) {
      throw new IllegalArgumentException("the cluster autoscaler's local node provider needs the agent's classpath"
          + " (kubeactor.cluster-autoscaler.local-node-provider.classpath)");
    }
  }

  @Override
  public String id() {
    return group.name();
  }

  @Override
  public int minSize() {
    return group.minSize();
  }

  @Override
  public int maxSize() {
    return group.maxSize();
  }

  @Override
  public boolean contains(Node node) {
    Map<String, String> labels = node.getMetadata().getLabels();
    return labels != null && group.name().equals(labels.get(GROUP_LABEL));
  }

  @Override
  public List<String> upcoming(Set<String> registered) {
    Instant now = clock.instant();
    List<String> upcoming = new ArrayList<>();
    for (var e : Map.copyOf(starting).entrySet()) {
      String name = e.getKey();
      Process p = processes.get(name);
      if (registered.contains(name)) {
        starting.remove(name);
      } else if (p != null && !p.isAlive()) {
        log.warn("node {} of group {} exited before it registered (exit code {}); see {}", name, id(), p.exitValue(),
            logFile(name));
        starting.remove(name);
        failed.add(name);
      } else if (e.getValue().plus(maxProvisionTime).isBefore(now)) {
        log.warn("node {} of group {} did not register within {}; giving it up", name, id(), maxProvisionTime);
        starting.remove(name);
        failed.add(name);
        io.execute(() -> stop(name));
      } else {
        upcoming.add(name);
      }
    }
    upcoming.sort(null);
    return upcoming;
  }

  @Override
  public List<String> takeFailed() {
    List<String> names = new ArrayList<>();
    for (String name; (name = failed.poll()) != null; ) names.add(name);
    return names;
  }

  @Override
  public CompletionStage<List<String>> increaseSize(int delta) {
    if (delta <= 0) return CompletableFuture.failedFuture(new IllegalArgumentException("size increase must be positive"));
    return CompletableFuture.supplyAsync(() -> {
      List<String> names = new ArrayList<>();
      for (int i = 0; i < delta; i++) {
        String name = nextName();
        starting.put(name, clock.instant());
        try {
          start(name);
        } catch (IOException e) {
          starting.remove(name);
          throw new IllegalStateException("could not start node " + name + ": " + e.getMessage(), e);
        }
        names.add(name);
      }
      return names;
    }, io);
  }

  @Override
  public CompletionStage<Void> deleteNode(String name) {
    return CompletableFuture.runAsync(() -> stop(name), io);
  }

  /**
   * How a new node gets its certificate, as the launcher's nodes do: the API server, the cluster CA's
   * file, and a join token (a bootstrap token) made for each node started.
   */
  public record Join(String apiServer, Path caFile, java.util.function.Function<String, String> tokenFor) {}

  /** The command line that starts a node's agent. */
  List<String> command(String name) {
    List<String> command = new ArrayList<>();
    command.add(spec.java().isBlank() ? Path.of(System.getProperty("java.home"), "bin", "java").toString() : spec.java());
    command.addAll(spec.jvmOptions());
    command.addAll(List.of("-cp", spec.classpath(), AGENT_MAIN, "--name", name, "--control-plane", controlPlane,
        "--data-dir", nodesDir().resolve(name).toString(), "--labels", GROUP_LABEL + "=" + group.name(),
        "--api-server", join.apiServer(), "--ca-cert", join.caFile().toString()));
    command.addAll(spec.agentFlags());
    return command;
  }

  private void start(String name) throws IOException {
    Files.createDirectories(nodesDir());
    Path logFile = logFile(name);
    Files.createDirectories(logFile.getParent());
    ProcessBuilder builder = new ProcessBuilder(command(name)).redirectErrorStream(true)
        .redirectOutput(ProcessBuilder.Redirect.appendTo(logFile.toFile()));
    // in its environment, not on its command line, which every user of the host can read
    builder.environment().put("KUBEACTOR_JOIN_TOKEN", join.tokenFor().apply(name));
    Process p = builder.start();
    processes.put(name, p);
    if (spec.runDir() != null) {
      Files.createDirectories(spec.runDir());
      Files.writeString(pidFile(name), p.pid() + "\n");
    }
    log.info("started node {} of group {} (pid {}, log {})", name, id(), p.pid(), logFile);
  }

  /** Stops the node's agent, wherever it was started, then removes its containers and pod network. */
  private void stop(String name) {
    starting.remove(name);
    Process own = processes.remove(name);
    Optional<ProcessHandle> agent = own != null ? Optional.of(own.toHandle()) : findAgent(name);
    agent.ifPresent(h -> {
      h.destroy();
      try {
        h.onExit().get(STOP_GRACE.toMillis(), TimeUnit.MILLISECONDS);
      } catch (Exception e) {
        h.destroyForcibly();
      }
      log.info("stopped node {} of group {} (pid {})", name, id(), h.pid());
    });
    if (spec.runDir() != null) {
      try {
        Files.deleteIfExists(pidFile(name));
      } catch (IOException e) {
        log.debug("could not remove {}", pidFile(name), e);
      }
    }
    removeContainers(name);
  }

  /** An agent of this node started by someone else (the launcher), found by its data directory. */
  private Optional<ProcessHandle> findAgent(String name) {
    String dataDir = nodesDir().resolve(name).toString();
    return ProcessHandle.allProcesses().filter(h -> {
      String[] args = h.info().arguments().orElse(new String[0]);
      boolean agent = false;
      for (int i = 0; i < args.length; i++) {
        if (args[i].equals(AGENT_MAIN)) agent = true;
        if (agent && args[i].equals("--data-dir") && i + 1 < args.length && Path.of(args[i + 1]).toAbsolutePath().toString()
            .equals(dataDir)) {
          return true;
        }
      }
      return false;
    }).findFirst();
  }

  /** The containers of the node's pods and its pod network (the launcher's remove_node_containers). */
  private static void removeContainers(String name) {
    run(List.of("sh", "-c", "ids=$(docker ps -aq --filter label=io.kubeactor.node=\"$1\"); "
        + "[ -z \"$ids\" ] || docker rm -f $ids >/dev/null; docker network rm \"kubeactor-$1\" >/dev/null 2>&1; true", "sh", name));
  }

  private static void run(List<String> command) {
    try {
      Process p = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
      if (!p.waitFor(60, TimeUnit.SECONDS)) p.destroyForcibly();
    } catch (IOException e) {
      log.warn("{} failed: {}", command, e.getMessage());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  /** The group's name and -m02, -m03 ... as the launcher names its nodes, skipping names in use here. */
  private String nextName() {
    Set<String> taken = new HashSet<>(starting.keySet());
    taken.addAll(processes.keySet());
    for (int n = 2; ; n++) {
      String name = String.format("%s-m%02d", group.name(), n);
      if (taken.contains(name) || Files.exists(pidFile(name)) || findAgent(name).isPresent()) continue;
      return name;
    }
  }

  private Path nodesDir() {
    return spec.nodesDir();
  }

  private Path logFile(String name) {
    return (spec.logDir() != null ? spec.logDir() : nodesDir()).resolve("node-" + name + ".log");
  }

  private Path pidFile(String name) {
    return (spec.runDir() != null ? spec.runDir() : nodesDir()).resolve("node-" + name + ".pid");
  }

  /** Stops nothing: the agents it started outlive the control plane, as the launcher's do. */
  public void close() {
    io.shutdown();
  }
}
