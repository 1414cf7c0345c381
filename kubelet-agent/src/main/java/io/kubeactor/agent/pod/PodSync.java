package io.kubeactor.agent.pod;

import com.fasterxml.jackson.databind.node.ObjectNode;
import com.github.dockerjava.api.command.CreateContainerCmd;
import com.github.dockerjava.api.command.InspectContainerResponse;
import com.github.dockerjava.api.model.Bind;
import com.github.dockerjava.api.model.HostConfig;
import com.github.dockerjava.api.model.Volume;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.EphemeralContainer;
import io.fabric8.kubernetes.api.model.Pod;
import io.kubeactor.common.Json;
import io.kubeactor.agent.probe.Prober;
import io.kubeactor.agent.runtime.ContainerLabels;
import io.kubeactor.agent.runtime.DockerRuntime;
import io.kubeactor.agent.volume.VolumeManager;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executor;

/**
 * One pod's containers brought in line with its spec, as kubelet's SyncPod does: the sandbox that
 * owns the pod's network, the volumes, the init containers in order, then the containers, each
 * (re)started as the restart policy and the crash-loop back-off allow, and the ephemeral containers
 * the pod gains once it runs, each started once. Every call blocks on Docker;
 * the pod's worker runs one at a time, off the actor threads.
 */
final class PodSync {
  private static final Duration RETRY = Duration.ofSeconds(10);

  private final String nodeName;
  private final DockerRuntime docker;
  private final VolumeManager volumes;
  private final ObjectReader reader;
  private final ServiceLister services;
  private final PodEvents events;
  private final ImagePuller images;
  private final String network;
  private final String pauseImage;
  private final String hostIp;
  private final Prober prober;
  private final RestartBackOff restartBackOff = new RestartBackOff();
  /** Exited containers do not change: their inspection is kept. */
  private final Map<String, InspectContainerResponse> finished = new ConcurrentHashMap<>();
  /** Why the last in-place resize of a container (by id) failed. */
  private final Map<String, String> resizeErrors = new ConcurrentHashMap<>();
  private final Executor blocking;
  private final PodResolvConf resolvConf;
  /** Why each ephemeral container not created yet waits (its image), and when to try again; null when none waits. */
  private final Map<String, ContainerState.Waiting> ephemeralWaiting = new ConcurrentHashMap<>();
  private Duration ephemeralRetry;

  private String sandboxId;
  private String podIp;
  private Map<String, Path> volumePaths;

  PodSync(String nodeName, DockerRuntime docker, VolumeManager volumes, ObjectReader reader, ServiceLister services, PodEvents events,
      String network, String pauseImage, String hostIp, Prober prober, Executor blocking, PodResolvConf resolvConf) {
    this.prober = prober;
    this.nodeName = nodeName;
    this.resolvConf = resolvConf;
    this.blocking = blocking;
    this.docker = docker;
    this.volumes = volumes;
    this.reader = reader;
    this.services = services;
    this.events = events;
    this.images = new ImagePuller(docker, reader);
    this.network = network;
    this.pauseImage = pauseImage;
    this.hostIp = hostIp;
  }

  /** The instances of one container (or of the sandbox), newest first. */
  private record Instances(List<com.github.dockerjava.api.model.Container> list) {
    com.github.dockerjava.api.model.Container current() {
      return list.isEmpty() ? null : list.get(0);
    }

    com.github.dockerjava.api.model.Container previous() {
      return list.size() < 2 ? null : list.get(1);
    }
  }

  Observation sync(Pod pod, Set<String> killContainerIds) {
    Instant now = Instant.now();
    String uid = pod.getMetadata().getUid();
    Map<String, Instances> byName = instances(uid);
    Instances sandboxes = byName.getOrDefault(ContainerLabels.TYPE_SANDBOX + "/", new Instances(List.of()));
    List<Container> inits = pod.getSpec().getInitContainers() == null ? List.of() : pod.getSpec().getInitContainers();
    List<Container> mains = pod.getSpec().getContainers();

    // a pod that has run its course keeps its containers' last states and frees its sandbox
    if (isTerminal(pod, byName, inits, mains)) {
      var sb = sandboxes.current();
      if (sb != null && "running".equals(sb.getState())) docker.stop(sb.getId(), 0);
      return observe(pod, byName, inits, mains, false, null, Map.of());
    }

    // the sandbox: the pod's network namespace and IP
    var sandbox = sandboxes.current();
    if (sandbox == null || !"running".equals(sandbox.getState())) {
      if (sandbox != null) {
        // the sandbox died: its containers lost their network, so they start again in a new one
        for (Instances in : byName.values()) {
          var c = in.current();
          if (c != null && "running".equals(c.getState())) docker.stop(c.getId(), 0);
        }
        for (var old : sandboxes.list()) docker.remove(old.getId());
        byName = instances(uid);
      }
      try {
        volumePaths = volumes.setUp(pod, reader);
      } catch (VolumeManager.MountFailed e) {
        events.warning("FailedMount", e.getMessage(), null);
        return creating(pod, inits, mains, byName, RETRY);
      }
      try {
        sandboxId = createSandbox(pod, sandboxes.list().size());
        podIp = sandboxIp(sandboxId);
      } catch (RuntimeException e) {
        events.warning("FailedCreatePodSandBox", "Failed to create pod sandbox: " + DockerRuntime.rootMessage(e), null);
        return creating(pod, inits, mains, byName, RETRY);
      }
    } else if (sandboxId == null || !sandboxId.equals(sandbox.getId())) {
      // adopted after an agent restart
      sandboxId = sandbox.getId();
      podIp = sandboxIp(sandboxId);
      if (volumePaths == null) {
        try {
          volumePaths = volumes.setUp(pod, reader);
        } catch (VolumeManager.MountFailed e) {
          volumePaths = Map.of();
        }
      }
    } else {
      // a running pod's ServiceAccount token is renewed before it expires
      try {
        volumes.refreshTokens(pod, reader);
      } catch (VolumeManager.MountFailed e) {
        events.warning("FailedMount", e.getMessage(), null);
      }
    }

    // liveness failures: the container is stopped here and restarted below
    for (Instances in : byName.values()) {
      var c = in.current();
      if (c != null && killContainerIds.contains(c.getId()) && "running".equals(c.getState())) {
        docker.stop(c.getId(), gracePeriod(pod));
        byName = instances(uid);
        break;
      }
    }

    if (startEphemeralContainers(pod, byName, now)) byName = instances(uid);

    Duration syncAgain = null;
    // init containers, one after the other, each to success
    for (Container c : inits) {
      Instances in = byName.getOrDefault(key(c.getName()), new Instances(List.of()));
      var current = in.current();
      if (current != null && isRunning(current)) {
        return observe(pod, byName, inits, mains, true, null, Map.of());
      }
      if (current != null && exitCode(current) == 0 && !"created".equals(current.getState())) continue;
      String restartPolicy = restartPolicy(pod);
      if (current != null && restartPolicy.equals("Never")) {
        return observe(pod, byName, inits, mains, true, null, Map.of());
      }
      Map<String, ContainerState.Waiting> waiting = new HashMap<>();
      Duration wait = startOrBackOff(pod, c, ContainerLabels.ROLE_INIT, in, now, waiting, true);
      return observe(pod, instances(uid), inits, mains, true, wait, waiting);
    }

    // the containers
    Map<String, ContainerState.Waiting> waiting = new ConcurrentHashMap<>();
    List<CompletableFuture<Duration>> starts = new ArrayList<>();
    Map<String, Instances> current = byName;
    for (Container c : mains) {
      Instances in = current.getOrDefault(key(c.getName()), new Instances(List.of()));
      var instance = in.current();
      // the image is the one field of a running container that may change: kubelet restarts it on the new one
      boolean changed = instance != null && !c.getImage().equals(specImage(instance));
      boolean restartToResize = false;
      if (changed && isRunning(instance)) {
        events.normal("Killing", "Container " + c.getName() + " definition changed, will be restarted", fieldPath(pod, c.getName()));
        docker.stop(instance.getId(), gracePeriod(pod));
      } else if (!changed && instance != null && isRunning(instance) && resize(c, instance)) {
        // a resized resource whose resizePolicy is RestartContainer: the container starts again with it
        restartToResize = true;
        events.normal("Killing", "Container " + c.getName() + " resize requires restart, will be restarted", fieldPath(pod, c.getName()));
        docker.stop(instance.getId(), gracePeriod(pod));
      } else {
        if (instance != null && isRunning(instance)) continue;
        if (instance != null && !shouldRestart(pod, instance)) continue;
      }
      boolean afterCrash = !changed && !restartToResize;
      // containers start side by side, as kubelet's do, so a pod's start takes its slowest container's time
      starts.add(CompletableFuture.supplyAsync(() -> startOrBackOff(pod, c, null, in, now, waiting, afterCrash), blocking));
    }
    for (var f : starts) {
      Duration d = f.join();
      if (d != null && (syncAgain == null || d.compareTo(syncAgain) < 0)) syncAgain = d;
    }
    return observe(pod, starts.isEmpty() ? byName : instances(uid), inits, mains, true, syncAgain, waiting);
  }

  /**
   * Ephemeral containers, as kubelet's SyncPod starts them: each once, when the pod's spec has gained
   * it and no instance exists, and never again whatever becomes of it. They start ahead of the init
   * containers, so that a pod stuck initializing can be debugged. True when one was created.
   */
  private boolean startEphemeralContainers(Pod pod, Map<String, Instances> byName, Instant now) {
    boolean created = false;
    ephemeralRetry = null;
    for (EphemeralContainer e : ephemeralContainers(pod)) {
      Instances in = byName.getOrDefault(key(e.getName()), new Instances(List.of()));
      if (in.current() != null) {
        ephemeralWaiting.remove(e.getName());
        continue;
      }
      Map<String, ContainerState.Waiting> waiting = new HashMap<>();
      Duration again = startOrBackOff(pod, asContainer(e), ContainerLabels.ROLE_EPHEMERAL, in, now, waiting, false);
      ContainerState.Waiting why = waiting.get(e.getName());
      if (why == null) {
        ephemeralWaiting.remove(e.getName());
        created = true;
      } else {
        ephemeralWaiting.put(e.getName(), why);
      }
      if (again != null && (ephemeralRetry == null || again.compareTo(ephemeralRetry) < 0)) ephemeralRetry = again;
    }
    return created;
  }

  private static List<EphemeralContainer> ephemeralContainers(Pod pod) {
    return pod.getSpec().getEphemeralContainers() == null ? List.of() : pod.getSpec().getEphemeralContainers();
  }

  /** An ephemeral container as the container it is run as (the same fields, less its target). */
  private static Container asContainer(EphemeralContainer e) {
    Container c = Json.MAPPER.convertValue(e, Container.class);
    c.getAdditionalProperties().remove("targetContainerName");
    return c;
  }

  /**
   * A running container whose cgroup limits are not its spec's (the pod was resized through
   * pods/resize) gets the new ones in place with docker update, as kubelet's
   * UpdateContainerResources; a memory limit below what the container uses now is not set (the
   * kernel could only OOM-kill it). A failure is kept for the status (PodResizeInProgress, reason
   * Error) and retried on the next sync. True when a changed resource's resizePolicy asks for a
   * restart instead.
   */
  private boolean resize(Container c, com.github.dockerjava.api.model.Container instance) {
    InspectContainerResponse i = inspect(instance);
    if (i == null || i.getHostConfig() == null) return false;
    ContainerResources wanted = ContainerResources.of(c);
    ContainerResources applied = ContainerResources.applied(i.getHostConfig());
    if (wanted.equals(applied)) {
      resizeErrors.remove(instance.getId());
      return false;
    }
    boolean memoryChanged = wanted.memoryBytes() != applied.memoryBytes();
    if ((memoryChanged && restartsOnResize(c, "memory")) || (applied.cpuDiffers(wanted) && restartsOnResize(c, "cpu"))) {
      return true;
    }
    try {
      if (memoryChanged && wanted.memoryBytes() > 0 && wanted.memoryBytes() < applied.memoryBytes()) {
        var stats = docker.stats(instance.getId());
        Long usage = stats == null || stats.getMemoryStats() == null ? null : stats.getMemoryStats().getUsage();
        if (usage != null && usage > wanted.memoryBytes()) {
          throw new IllegalStateException("attempting to set container memory limit (" + wanted.memoryBytes()
              + ") below current usage (" + usage + ")");
        }
      }
      docker.update(instance.getId(), wanted::applyTo);
      resizeErrors.remove(instance.getId());
    } catch (RuntimeException e) {
      String message = DockerRuntime.rootMessage(e);
      if (!message.equals(resizeErrors.put(instance.getId(), message))) {
        events.warning("ResizeError", "Failed to resize container " + c.getName() + ": " + message, null);
      }
    }
    return false;
  }

  /** Whether the container's resizePolicy for the resource is RestartContainer (the default is NotRequired). */
  private static boolean restartsOnResize(Container c, String resource) {
    if (c.getResizePolicy() == null) return false;
    return c.getResizePolicy().stream()
        .anyMatch(p -> resource.equals(p.getResourceName()) && "RestartContainer".equals(p.getRestartPolicy()));
  }

  /** Stops every container (SIGTERM, then SIGKILL after the grace period) and removes the pod's traces. */
  Observation tearDown(Pod pod, long graceSeconds) {
    String uid = pod.getMetadata().getUid();
    Map<String, Instances> byName = instances(uid);
    List<CompletableFuture<Void>> stops = new ArrayList<>();
    for (var e : byName.entrySet()) {
      if (e.getKey().startsWith(ContainerLabels.TYPE_SANDBOX)) continue;
      var c = e.getValue().current();
      if (c == null || !isRunning(c)) continue;
      String name = c.getLabels().get(ContainerLabels.CONTAINER_NAME);
      events.normal("Killing", "Stopping container " + name, fieldPath(pod, name));
      Container spec = pod.getSpec().getContainers().stream().filter(x -> x.getName().equals(name)).findFirst().orElse(null);
      stops.add(CompletableFuture.runAsync(() -> {
        long used = spec == null ? 0 : PreStopHook.run(spec, c.getId(), podIp, graceSeconds, prober, events,
            fieldPath(pod, name), pod.getMetadata().getName());
        // as kubelet: whatever the hook took, the container gets at least 2 s after SIGTERM
        docker.stop(c.getId(), used == 0 ? graceSeconds : Math.max(2, graceSeconds - used));
      }, blocking));
    }
    stops.forEach(CompletableFuture::join);
    for (Instances in : byName.values()) {
      for (var c : in.list()) docker.remove(c.getId());
    }
    volumes.tearDown(uid);
    finished.clear();
    resizeErrors.clear();
    ephemeralWaiting.clear();
    return Observation.removedPod();
  }

  /** Starts the container (again), unless its back-off or image pull keeps it waiting; returns when to sync again. */
  private Duration startOrBackOff(Pod pod, Container c, String role, Instances in, Instant now,
      Map<String, ContainerState.Waiting> waiting, boolean afterCrash) {
    String fieldPath = fieldPath(pod, c.getName());
    String key = pod.getMetadata().getUid() + "/" + c.getName();
    var last = in.current();
    int attempt = last == null ? 0 : restartCount(last) + 1;
    if (last != null && afterCrash) {
      InspectContainerResponse exited = inspect(last);
      Instant started = exited == null ? null : instant(exited.getState().getStartedAt());
      Instant ended = exited == null ? null : instant(exited.getState().getFinishedAt());
      Duration remaining = restartBackOff.remaining(key, started, ended, now);
      if (!remaining.isZero()) {
        String podRef = pod.getMetadata().getName() + "_" + pod.getMetadata().getNamespace() + "(" + pod.getMetadata().getUid() + ")";
        events.warning("BackOff", "Back-off restarting failed container " + c.getName() + " in pod " + podRef, fieldPath);
        waiting.put(c.getName(), new ContainerState.Waiting("CrashLoopBackOff", "back-off "
            + human(restartBackOff.delay(key)) + " restarting failed container=" + c.getName() + " pod=" + podRef));
        return remaining;
      }
    }
    ContainerState.Waiting imageWait = images.ensure(pod, c, events, fieldPath, now);
    if (imageWait != null) {
      waiting.put(c.getName(), imageWait);
      Duration d = images.backOffRemaining(pod, c.getImage(), Instant.now());
      return d.isZero() ? RETRY : d;
    }
    ContainerEnvironment env;
    try {
      env = ContainerEnvironment.of(pod, c, podIp, hostIp, reader, services);
    } catch (ContainerEnvironment.ConfigError e) {
      events.warning("Failed", "Error: " + e.getMessage(), fieldPath);
      waiting.put(c.getName(), new ContainerState.Waiting("CreateContainerConfigError", e.getMessage()));
      return RETRY;
    }
    String id;
    try {
      id = createContainer(pod, c, role, attempt, env);
    } catch (RuntimeException e) {
      String message = DockerRuntime.rootMessage(e);
      events.warning("Failed", "Error: " + message, fieldPath);
      waiting.put(c.getName(), new ContainerState.Waiting("CreateContainerError", message));
      return RETRY;
    }
    // older instances go; the one before this start stays for `kubectl logs --previous`
    for (int i = 1; i < in.list().size(); i++) {
      docker.remove(in.list().get(i).getId());
      finished.remove(in.list().get(i).getId());
    }
    events.normal("Created", "Created container: " + c.getName(), fieldPath);
    if (attempt > 0 && afterCrash) restartBackOff.started(key, now);
    try {
      docker.start(id);
      events.normal("Started", "Started container " + c.getName(), fieldPath);
      return null;
    } catch (RuntimeException e) {
      events.warning("Failed", "Error: failed to start container \"" + c.getName() + "\": " + DockerRuntime.rootMessage(e), fieldPath);
      return Duration.ofSeconds(1);
    }
  }

  private String createSandbox(Pod pod, int attempt) {
    if (!docker.imagePresent(pauseImage)) {
      try {
        docker.pull(pauseImage, null, Duration.ofMinutes(2));
      } catch (DockerRuntime.PullFailed e) {
        throw new IllegalStateException("the pause image " + pauseImage + " is not present and cannot be pulled: "
            + e.getMessage() + " (docker/build-images.sh builds it)");
      }
    }
    var meta = pod.getMetadata();
    Map<String, String> labels = labels(pod, "POD", ContainerLabels.TYPE_SANDBOX, attempt);
    String hostname = pod.getSpec().getHostname() != null ? pod.getSpec().getHostname() : meta.getName();
    if (hostname.length() > 63) hostname = hostname.substring(0, 63);
    String h = hostname;
    HostPorts hostPorts = HostPorts.of(pod, hostIp);
    String id = docker.create(pauseImage, "k8s_POD_" + meta.getName() + "_" + meta.getNamespace() + "_" + meta.getUid() + "_" + attempt,
        labels, cmd -> cmd.withHostName(h).withExposedPorts(hostPorts.exposed()).withHostConfig(HostConfig.newHostConfig()
            .withNetworkMode(network).withIpcMode("shareable").withCpuShares(2).withPortBindings(hostPorts.bindings())
            .withBinds(resolvConf.write(pod, events))));
    docker.start(id);
    return id;
  }

  private String sandboxIp(String id) {
    InspectContainerResponse r = docker.inspect(id);
    if (r == null || r.getNetworkSettings() == null || r.getNetworkSettings().getNetworks() == null) return null;
    var n = r.getNetworkSettings().getNetworks().get(network);
    return n == null ? null : n.getIpAddress();
  }

  /** Creates a container of the pod; {@code role} is null for a regular container (see {@link ContainerLabels#ROLE}). */
  private String createContainer(Pod pod, Container c, String role, int attempt, ContainerEnvironment env) {
    var meta = pod.getMetadata();
    Map<String, String> labels = labels(pod, c.getName(), ContainerLabels.TYPE_CONTAINER, attempt);
    if (role != null) labels.put(ContainerLabels.ROLE, role);
    labels.put(ContainerLabels.IMAGE, c.getImage());
    HostConfig host = HostConfig.newHostConfig()
        .withNetworkMode("container:" + sandboxId)
        .withIpcMode("container:" + sandboxId)
        .withBinds(binds(c, resolvConf.bind(pod, events)));
    // no swap: the memory limit is what the container may use, and going past it is an OOM kill
    ContainerResources.of(c).applyTo(host);
    if (Boolean.TRUE.equals(pod.getSpec().getShareProcessNamespace())) {
      host.withPidMode("container:" + sandboxId);
    } else if (ContainerLabels.ROLE_EPHEMERAL.equals(role)) {
      // an ephemeral container with a target sees the target's processes (the runtime's TARGET namespace mode)
      String target = targetContainerId(pod, c.getName());
      if (target != null) host.withPidMode("container:" + target);
    }
    String name = "k8s_" + c.getName() + "_" + meta.getName() + "_" + meta.getNamespace() + "_" + meta.getUid() + "_" + attempt;
    return docker.create(c.getImage(), name, labels, (CreateContainerCmd cmd) -> {
      cmd.withHostConfig(host).withEnv(env.asDockerEnv());
      if (c.getCommand() != null && !c.getCommand().isEmpty()) {
        cmd.withEntrypoint(env.expandAll(c.getCommand()));
        cmd.withCmd(c.getArgs() == null ? List.of() : env.expandAll(c.getArgs()));
      } else if (c.getArgs() != null && !c.getArgs().isEmpty()) {
        cmd.withCmd(env.expandAll(c.getArgs()));
      }
      if (c.getWorkingDir() != null && !c.getWorkingDir().isEmpty()) cmd.withWorkingDir(c.getWorkingDir());
      if (Boolean.TRUE.equals(c.getTty())) cmd.withTty(true);
      if (Boolean.TRUE.equals(c.getStdin())) cmd.withStdinOpen(true).withAttachStdin(true).withStdInOnce(Boolean.TRUE.equals(c.getStdinOnce()));
      return cmd;
    });
  }

  /** The current instance of the container an ephemeral container targets; null when it names none. */
  private String targetContainerId(Pod pod, String ephemeralName) {
    String target = ephemeralContainers(pod).stream().filter(e -> e.getName().equals(ephemeralName))
        .map(EphemeralContainer::getTargetContainerName).filter(t -> t != null && !t.isEmpty()).findFirst().orElse(null);
    if (target == null) return null;
    Instances in = instances(pod.getMetadata().getUid()).get(key(target));
    // as kubelet's getTargetID: no container to share with yet, so no start (the next sync tries again)
    if (in == null || in.current() == null) throw new IllegalStateException("target container " + target + " not found");
    return in.current().getId();
  }

  private List<Bind> binds(Container c, Bind resolv) {
    List<Bind> binds = new ArrayList<>(List.of(resolv));
    if (c.getVolumeMounts() == null || volumePaths == null) return binds;
    for (var m : c.getVolumeMounts()) {
      Path source = volumePaths.get(m.getName());
      if (source == null) continue;
      if (m.getSubPath() != null && !m.getSubPath().isEmpty()) {
        source = source.resolve(m.getSubPath()).normalize();
        try {
          if (!java.nio.file.Files.exists(source)) java.nio.file.Files.createDirectories(source);
        } catch (java.io.IOException ignored) {
          // Docker reports the failed mount when the container is created
        }
      }
      boolean ro = Boolean.TRUE.equals(m.getReadOnly());
      binds.add(new Bind(source.toString(), new Volume(m.getMountPath()), ro ? com.github.dockerjava.api.model.AccessMode.ro
          : com.github.dockerjava.api.model.AccessMode.rw));
      // a volume the pod mounts at /etc/resolv.conf wins over the generated file, as in containerd's CRI
      if (m.getMountPath().equals(resolv.getVolume().getPath())) binds.remove(resolv);
    }
    return binds;
  }

  private Map<String, String> labels(Pod pod, String container, String type, int attempt) {
    var meta = pod.getMetadata();
    Map<String, String> labels = new LinkedHashMap<>();
    labels.put(ContainerLabels.NODE, nodeName);
    labels.put(ContainerLabels.POD_NAMESPACE, meta.getNamespace());
    labels.put(ContainerLabels.POD_NAME, meta.getName());
    labels.put(ContainerLabels.POD_UID, meta.getUid());
    labels.put(ContainerLabels.CONTAINER_NAME, container);
    labels.put(ContainerLabels.TYPE, type);
    labels.put(ContainerLabels.RESTART_COUNT, Integer.toString(attempt));
    return labels;
  }

  // ---- observation ----

  private Observation creating(Pod pod, List<Container> inits, List<Container> mains, Map<String, Instances> byName, Duration again) {
    return observe(pod, byName, inits, mains, false, again, Map.of());
  }

  private Observation observe(Pod pod, Map<String, Instances> byName, List<Container> inits, List<Container> mains,
      boolean sandboxReady, Duration again, Map<String, ContainerState.Waiting> waiting) {
    List<ObservedContainer> initObs = new ArrayList<>();
    boolean initDone = true;
    for (Container c : inits) {
      ObservedContainer o = observe(c, byName.get(key(c.getName())), waiting.get(c.getName()), "PodInitializing");
      initObs.add(o);
      if (!(o.state() instanceof ContainerState.Terminated t && t.exitCode() == 0)) initDone = false;
    }
    List<ObservedContainer> mainObs = new ArrayList<>();
    for (Container c : mains) {
      mainObs.add(observe(c, byName.get(key(c.getName())), waiting.get(c.getName()),
          initDone ? "ContainerCreating" : "PodInitializing"));
    }
    List<ObservedContainer> ephemeralObs = new ArrayList<>();
    for (EphemeralContainer e : ephemeralContainers(pod)) {
      ephemeralObs.add(observe(asContainer(e), byName.get(key(e.getName())), ephemeralWaiting.get(e.getName()),
          "ContainerCreating").withoutResources());
    }
    if (ephemeralRetry != null && (again == null || ephemeralRetry.compareTo(again) < 0)) again = ephemeralRetry;
    return new Observation(sandboxReady, podIp, initObs, mainObs, ephemeralObs, again, false);
  }

  private ObservedContainer observe(Container c, Instances in, ContainerState.Waiting waiting, String defaultWaiting) {
    var current = in == null ? null : in.current();
    var previous = in == null ? null : in.previous();
    ContainerState.Terminated lastTerminated = null;
    if (previous != null) lastTerminated = terminated(inspect(previous));
    if (current == null) {
      return new ObservedContainer(c.getName(), c.getImage(), "", null, 0,
          waiting != null ? waiting : new ContainerState.Waiting(defaultWaiting, null), null);
    }
    InspectContainerResponse i = inspect(current);
    int restarts = restartCount(current);
    String imageId = i == null ? "" : "docker-pullable://" + i.getImageId();
    String containerId = "docker://" + current.getId();
    if (i != null && Boolean.TRUE.equals(i.getState().getRunning())) {
      ObjectNode applied = i.getHostConfig() == null ? null : ContainerResources.applied(i.getHostConfig()).statusResources(c);
      return new ObservedContainer(c.getName(), specImage(current), imageId, containerId, restarts,
          new ContainerState.Running(instant(i.getState().getStartedAt())), lastTerminated,
          ContainerResources.allocated(c), applied, resizeErrors.get(current.getId()));
    }
    ContainerState.Terminated t = terminated(i);
    if (waiting != null) {
      // waiting to start again: the instance that ended is the last state
      return new ObservedContainer(c.getName(), specImage(current), imageId, containerId, restarts, waiting, t);
    }
    return new ObservedContainer(c.getName(), specImage(current), imageId, containerId, restarts,
        t == null ? new ContainerState.Waiting(defaultWaiting, null) : t, lastTerminated);
  }

  private ContainerState.Terminated terminated(InspectContainerResponse i) {
    if (i == null) return null;
    var s = i.getState();
    long code = s.getExitCodeLong() == null ? 0 : s.getExitCodeLong();
    boolean neverStarted = "created".equals(s.getStatus()) || (s.getError() != null && !s.getError().isEmpty());
    String reason = Boolean.TRUE.equals(s.getOOMKilled()) ? "OOMKilled"
        : neverStarted ? "StartError" : code == 0 ? "Completed" : "Error";
    String message = s.getError() == null || s.getError().isEmpty() ? null : s.getError();
    if (neverStarted && code == 0) code = 128;
    Instant started = instant(s.getStartedAt());
    Instant finishedAt = instant(s.getFinishedAt());
    return new ContainerState.Terminated((int) code, reason, message, started, finishedAt, "docker://" + i.getId());
  }

  // ---- helpers ----

  /** Containers of the pod on this node, by "container/NAME" or "podsandbox/", newest first. */
  private Map<String, Instances> instances(String uid) {
    Map<String, List<com.github.dockerjava.api.model.Container>> groups = new HashMap<>();
    for (var c : docker.containers(Map.of(ContainerLabels.NODE, nodeName, ContainerLabels.POD_UID, uid))) {
      String type = c.getLabels().getOrDefault(ContainerLabels.TYPE, "");
      String k = type.equals(ContainerLabels.TYPE_SANDBOX) ? ContainerLabels.TYPE_SANDBOX + "/"
          : key(c.getLabels().getOrDefault(ContainerLabels.CONTAINER_NAME, ""));
      groups.computeIfAbsent(k, x -> new ArrayList<>()).add(c);
    }
    Map<String, Instances> out = new HashMap<>();
    groups.forEach((k, list) -> {
      list.sort(Comparator.comparingInt(PodSync::restartCount).thenComparingLong(c -> c.getCreated()).reversed());
      out.put(k, new Instances(list));
    });
    return out;
  }

  private static String key(String containerName) {
    return ContainerLabels.TYPE_CONTAINER + "/" + containerName;
  }

  private InspectContainerResponse inspect(com.github.dockerjava.api.model.Container c) {
    InspectContainerResponse cached = finished.get(c.getId());
    if (cached != null) return cached;
    InspectContainerResponse i = docker.inspect(c.getId());
    if (i != null && !Boolean.TRUE.equals(i.getState().getRunning()) && !"created".equals(i.getState().getStatus())) {
      finished.put(c.getId(), i);
    }
    return i;
  }

  /**
   * Whether the container runs, as its inspection says: Docker's list can lag behind its events (a
   * container reported dead may still be listed as running for a moment).
   */
  private boolean isRunning(com.github.dockerjava.api.model.Container c) {
    InspectContainerResponse i = inspect(c);
    return i != null && Boolean.TRUE.equals(i.getState().getRunning());
  }

  private long exitCode(com.github.dockerjava.api.model.Container c) {
    InspectContainerResponse i = inspect(c);
    if (i == null) return -1;
    Long code = i.getState().getExitCodeLong();
    return code == null ? -1 : code;
  }

  private boolean shouldRestart(Pod pod, com.github.dockerjava.api.model.Container exited) {
    return switch (restartPolicy(pod)) {
      case "Never" -> false;
      case "OnFailure" -> exitCode(exited) != 0 || "created".equals(exited.getState());
      default -> true;
    };
  }

  /** Everything has run and nothing will start again (restartPolicy Never or OnFailure). */
  private boolean isTerminal(Pod pod, Map<String, Instances> byName, List<Container> inits, List<Container> mains) {
    String policy = restartPolicy(pod);
    if (policy.equals("Always")) return false;
    if (policy.equals("Never")) {
      for (Container c : inits) {
        var cur = byName.get(key(c.getName()));
        if (cur != null && cur.current() != null && !"running".equals(cur.current().getState())
            && exitCode(cur.current()) != 0) {
          return true; // a failed init container fails the pod
        }
      }
    }
    for (Container c : mains) {
      Instances in = byName.get(key(c.getName()));
      if (in == null || in.current() == null) return false;
      var cur = in.current();
      if (isRunning(cur) || shouldRestart(pod, cur)) return false;
    }
    return true;
  }

  private static String restartPolicy(Pod pod) {
    return pod.getSpec().getRestartPolicy() == null ? "Always" : pod.getSpec().getRestartPolicy();
  }

  static long gracePeriod(Pod pod) {
    Long g = pod.getSpec().getTerminationGracePeriodSeconds();
    return g == null ? 30 : g;
  }

  static String fieldPath(Pod pod, String container) {
    if (pod.getSpec().getInitContainers() != null) {
      for (Container c : pod.getSpec().getInitContainers()) {
        if (c.getName().equals(container)) return "spec.initContainers{" + container + "}";
      }
    }
    for (EphemeralContainer e : ephemeralContainers(pod)) {
      if (e.getName().equals(container)) return "spec.ephemeralContainers{" + container + "}";
    }
    return "spec.containers{" + container + "}";
  }

  /** The image the instance was created for, as the spec named it. */
  private static String specImage(com.github.dockerjava.api.model.Container c) {
    return c.getLabels().getOrDefault(ContainerLabels.IMAGE, c.getImage());
  }

  private static int restartCount(com.github.dockerjava.api.model.Container c) {
    try {
      return Integer.parseInt(c.getLabels().getOrDefault(ContainerLabels.RESTART_COUNT, "0"));
    } catch (NumberFormatException e) {
      return 0;
    }
  }

  static Instant instant(String dockerTime) {
    if (dockerTime == null || dockerTime.isEmpty() || dockerTime.startsWith("0001-")) return null;
    try {
      return Instant.parse(dockerTime);
    } catch (RuntimeException e) {
      return null;
    }
  }

  /** Go's duration format for whole durations ("10s", "1m20s", "5m0s"), as kubelet's messages print them. */
  static String human(Duration d) {
    long s = d.toSeconds();
    if (s < 60) return s + "s";
    return (s / 60) + "m" + (s % 60) + "s";
  }
}
