package io.kubeactor.agent;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import io.kubeactor.agent.bootstrap.JoinException;
import io.kubeactor.agent.bootstrap.NodeCredentials;
import io.kubeactor.agent.bootstrap.NodeEnrollment;
import io.kubeactor.agent.network.HostOwnership;
import io.kubeactor.agent.pod.ObjectReader;
import io.kubeactor.agent.pod.PodDns;
import io.kubeactor.agent.pod.PodResolvConf;
import io.kubeactor.agent.pod.ServiceLister;
import io.kubeactor.agent.probe.Prober;
import io.kubeactor.agent.proxy.ServiceProxy;
import io.kubeactor.agent.runtime.DockerRuntime;
import io.kubeactor.agent.stats.NodeMetrics;
import io.kubeactor.agent.stats.UsageCollector;
import io.kubeactor.agent.stream.StreamServer;
import io.kubeactor.agent.volume.ServiceAccountTokens;
import io.kubeactor.agent.volume.TokenManager;
import io.kubeactor.agent.volume.VolumeManager;
import io.kubeactor.common.cluster.ActorSystemTermination;
import io.kubeactor.common.cluster.AgentEndpoint;
import io.kubeactor.common.cluster.NodeProtocol;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.pekko.actor.Address;
import org.apache.pekko.actor.BootstrapSetup;
import org.apache.pekko.actor.setup.ActorSystemSetup;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.CoordinatedShutdown;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.actor.typed.Behavior;
import org.apache.pekko.actor.typed.javadsl.AskPattern;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.apache.pekko.cluster.typed.Cluster;
import org.apache.pekko.cluster.typed.JoinSeedNodes;

/**
 * {@code kubelet-agent --name N --control-plane HOST:PORT ...}: a node. Joins the control plane's
 * cluster and runs the pods bound to this node on Docker until stopped. Containers outlive the
 * agent: a restarted agent adopts them. When the control plane goes away, the agent joins it again.
 */
public final class Main {
  private Main() {}

  /** Held while the process lives (a lock no longer referenced could be released with its channel). */
  private static DataDirectoryLock dataDirectory;

  public static void main(String[] args) {
    AgentOptions options;
    try {
      options = AgentOptions.parse(args);
    } catch (AgentOptions.Invalid e) {
      fail(e.getMessage());
      return;
    }
    // before anything else: a second agent for the node's data directory would fight the first over its containers
    try {
      dataDirectory = DataDirectoryLock.acquire(options.dataDir());
    } catch (DataDirectoryLock.Held e) {
      fail("node " + options.name() + ": " + e.getMessage());
      return;
    } catch (java.io.IOException e) {
      fail("cannot take the data directory " + options.dataDir() + ": " + e.getMessage());
      return;
    }
    DockerRuntime docker;
    try {
      docker = DockerRuntime.connect(options.dockerHost());
    } catch (DockerRuntime.Unavailable e) {
      fail(e.getMessage());
      return;
    }
    Config defaults = ConfigFactory.load().getConfig("kubeactor.agent");
    String dockerVersion;
    try {
      Files.createDirectories(options.dataDir());
      dockerVersion = docker.version();
    } catch (Exception e) {
      fail("cannot prepare the node: " + DockerRuntime.rootMessage(e));
      return;
    }
    // the node's address is its pod network's, known once the control plane gives it a PodCIDR (or --address)
    String address = options.address();
    ExecutorService blocking = Executors.newCachedThreadPool(r -> {
      Thread t = new Thread(r, "docker-" + options.name());
      t.setDaemon(true);
      return t;
    });
    AtomicReference<ActorSystem<?>> session = new AtomicReference<>();
    AtomicBoolean stopping = new AtomicBoolean();
    // why the control plane turned this agent away (another live agent runs the node), if it did
    AtomicReference<String> refused = new AtomicReference<>();
    Runtime.getRuntime().addShutdownHook(new Thread(() -> {
      stopping.set(true);
      ActorSystem<?> s = session.get();
      // exiting either way; the containers keep running for the next agent
      if (s != null) ActorSystemTermination.terminate(s, Duration.ofSeconds(20));
    }));

    // the host's kernel rules have one owner among the agents that share the host (see HostOwnership)
    HostOwnership ownership = new HostOwnership(Path.of(defaults.getString("run-dir")));
    NodeIdentity identity = new NodeIdentity(options.name(), options.labels(), options.milliCpu(), options.memoryBytes(),
        options.pods(), address, options.name());
    String dataDirId = dataDirectory.id();
    boolean warned = false;
    while (!stopping.get()) {
      // the certificate this node joins with: kept, renewed, or issued for its join token
      NodeCredentials credentials = credentials(options, stopping);
      if (credentials == null) break;
      ActorSystem<Void> system = ActorSystem.create(session(options, identity, credentials, docker, dockerVersion, blocking,
          defaults, ownership, dataDirId, reason -> {
            refused.set(reason);
            stopping.set(true);
          }), "kubeactor", ActorSystemSetup.create(BootstrapSetup.create(clusterConfig(options)),
              credentials.clusterTls().setup()));
      session.set(system);
      Address seed = new Address("pekko", "kubeactor", options.controlPlaneHost(), options.controlPlanePort());
      Cluster.get(system).manager().tell(new JoinSeedNodes(List.of(seed)));
      try {
        awaitSessionEnd(system);
      } catch (Exception e) {
        break;
      }
      if (stopping.get()) break;
      if (!warned) {
        System.err.println("kubeactor agent " + options.name() + ": no control plane at " + options.controlPlaneHost() + ":"
            + options.controlPlanePort() + " (is it running? ./kubeactor status); trying again");
        warned = true;
      }
      sleep(Duration.ofSeconds(1));
    }
    docker.close();
    if (refused.get() != null) fail(refused.get());
  }

  /**
   * Until the session's actor system has terminated. One whose shutdown has begun but that does not
   * terminate (see ActorSystemTermination) is left behind after a while, so that the node joins the
   * control plane again rather than wait forever; its actors have stopped, and its ports were its own.
   */
  private static final Duration SESSION_STOP_TIMEOUT = Duration.ofSeconds(30);

  private static void awaitSessionEnd(ActorSystem<Void> system) throws Exception {
    CompletableFuture<?> terminated = system.getWhenTerminated().toCompletableFuture();
    while (!terminated.isDone()) {
      if (CoordinatedShutdown.get(system).getShutdownReason().isPresent()) {
        ActorSystemTermination.await(system, SESSION_STOP_TIMEOUT);
        return;
      }
      try {
        terminated.get(1, TimeUnit.SECONDS);
      } catch (java.util.concurrent.TimeoutException e) {
        // still in session
      }
    }
  }

  /**
   * The node's certificate of the cluster CA; an API server that does not answer yet is asked again
   * (for two minutes), anything else ends the agent with the reason. Null when stopping.
   */
  private static NodeCredentials credentials(AgentOptions options, AtomicBoolean stopping) {
    java.time.Instant giveUp = java.time.Instant.now().plus(Duration.ofMinutes(2));
    while (!stopping.get()) {
      try {
        return NodeEnrollment.credentials(options.name(), options.dataDir(), options.join(), java.time.Clock.systemUTC());
      } catch (JoinException e) {
        if (!e.unreachable() || java.time.Instant.now().isAfter(giveUp)) {
          fail("node " + options.name() + ": " + e.getMessage());
        }
        sleep(Duration.ofSeconds(2));
      } catch (InterruptedException e) {
        return null;
      }
    }
    return null;
  }

  /** One cluster session: the log/exec server, then the node agent. */
  private static Behavior<Void> session(AgentOptions options, NodeIdentity identity, NodeCredentials credentials,
      DockerRuntime docker,
      String dockerVersion, ExecutorService blocking, Config defaults, HostOwnership ownership, String dataDirId,
      java.util.function.Consumer<String> refused) {
    return Behaviors.setup(ctx -> {
      // the node agent samples the containers; the streaming server serves the samples as metrics
      UsageCollector usage = new UsageCollector(docker, options.name(), blocking);
      var binding = StreamServer.bind(ctx.getSystem(), docker.client(), java.net.URI.create(options.dockerHost()), options.name(),
              options.bindHost(), 0, credentials.streamTls(), NodeMetrics.of(docker, options.name(), usage))
          .toCompletableFuture().get(30, TimeUnit.SECONDS);
      // the server and its TLS connections close in the shutdown's unbind phases, not with the actors
      binding.addToCoordinatedShutdown(Duration.ofSeconds(5), ctx.getSystem());
      AgentEndpoint endpoint = new AgentEndpoint(options.bindHost(), binding.localAddress().getPort());
      AtomicReference<ActorRef<NodeProtocol.ToGateway>> gateway = new AtomicReference<>();
      ObjectReader reader = (kind, namespace, name) -> {
        ActorRef<NodeProtocol.ToGateway> g = gateway.get();
        if (g == null) throw new IllegalStateException("not registered with the control plane");
        return AskPattern.<NodeProtocol.ToGateway, NodeProtocol.ObjectRead>ask(g,
                replyTo -> new NodeProtocol.ReadObject(kind, namespace, name, replyTo), Duration.ofSeconds(10),
                ctx.getSystem().scheduler())
            .toCompletableFuture().get(10, TimeUnit.SECONDS).object();
      };
      ServiceAccountTokens tokens = (namespace, account, request) -> {
        ActorRef<NodeProtocol.ToGateway> g = gateway.get();
        if (g == null) throw new IllegalStateException("not registered with the control plane");
        NodeProtocol.TokenIssued issued = AskPattern.<NodeProtocol.ToGateway, NodeProtocol.TokenIssued>ask(g,
                replyTo -> new NodeProtocol.RequestToken(namespace, account, request, replyTo), Duration.ofSeconds(10),
                ctx.getSystem().scheduler())
            .toCompletableFuture().get(10, TimeUnit.SECONDS);
        if (issued.tokenRequest() == null) throw new IllegalStateException(issued.error());
        return issued.tokenRequest();
      };
      NodeContext node = new NodeContext(options.name(), identity.internalIp(), options.dataDir(), docker,
          new VolumeManager(options.dataDir(), new TokenManager(tokens, java.time.Clock.systemUTC())), new Prober(docker), reader, new ServiceLister(), null,
          defaults.getString("pause-image"), dockerVersion, blocking, resolvConf(defaults, options.dataDir()));
      ActorRef<ServiceProxy.Command> proxy = ctx.spawn(ServiceProxy.create(ownership, defaults.getString("cluster-cidr"), blocking),
          "service-proxy");
      ctx.spawn(NodeAgent.create(node, identity, dataDirId, endpoint, usage, defaults.getDuration("heartbeat-interval"),
          defaults.getDuration("usage-interval"), () -> ctx.getSystem().terminate(), reason -> {
            refused.accept(reason);
            ctx.getSystem().terminate();
          }, g -> {
            gateway.set(g);
            proxy.tell(new ServiceProxy.GatewayFound(g));
          }, credentials), "node");
      return Behaviors.empty();
    });
  }

  /** kubelet's --cluster-dns (comma separated), --cluster-domain and --resolv-conf, from kubeactor.agent. */
  private static PodResolvConf resolvConf(Config defaults, java.nio.file.Path dataDir) {
    List<String> clusterDns = java.util.Arrays.stream(defaults.getString("cluster-dns").split(","))
        .map(String::trim).filter(s -> !s.isEmpty()).toList();
    return new PodResolvConf(new PodDns.Settings(clusterDns, defaults.getString("cluster-domain")),
        java.nio.file.Path.of(defaults.getString("resolv-conf")), dataDir);
  }

  private static Config clusterConfig(AgentOptions options) {
    return ConfigFactory.parseMap(Map.of(
        "pekko.actor.provider", "cluster",
        "pekko.remote.artery.canonical.hostname", options.bindHost(),
        "pekko.remote.artery.canonical.port", 0)).withFallback(ConfigFactory.load());
  }

  private static void sleep(Duration d) {
    try {
      Thread.sleep(d.toMillis());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private static void fail(String message) {
    System.err.println("kubeactor agent: " + message);
    System.exit(1);
  }
}
