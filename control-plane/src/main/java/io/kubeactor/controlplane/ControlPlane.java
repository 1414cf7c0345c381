package io.kubeactor.controlplane;

import com.fasterxml.jackson.databind.node.ObjectNode;
import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import io.kubeactor.common.Json;
import io.kubeactor.common.cluster.ActorSystemTermination;
import io.kubeactor.common.cluster.ClusterTls;
import io.kubeactor.common.cluster.NodeProtocol;
import io.kubeactor.controlplane.api.ApiException;
import io.kubeactor.controlplane.api.IpAddresses;
import io.kubeactor.controlplane.api.ResourceRegistry;
import io.kubeactor.controlplane.api.ResourceType;
import io.kubeactor.controlplane.apiserver.AgentConnections;
import io.kubeactor.controlplane.apiserver.ApiServer;
import io.kubeactor.controlplane.autoscaler.AutoscalerSettings;
import io.kubeactor.controlplane.autoscaler.ClusterAutoscaler;
import io.kubeactor.controlplane.autoscaler.LocalNodeProvider;
import io.kubeactor.controlplane.client.ApiWriter;
import io.kubeactor.controlplane.client.FreshRead;
import io.kubeactor.controlplane.client.Informers;
import io.kubeactor.controlplane.controller.Controller;
import io.kubeactor.controlplane.controller.ControllerContext;
import io.kubeactor.controlplane.controller.ControllerManager;
import io.kubeactor.controlplane.controller.apiextensions.CustomResourceCleanupController;
import io.kubeactor.controlplane.controller.apiextensions.NamingConditionController;
import io.kubeactor.controlplane.controller.apiextensions.ServedCustomResources;
import io.kubeactor.controlplane.controller.ControllerSettings;
import io.kubeactor.controlplane.controller.systemservices.ControlPlaneEndpoints;
import io.kubeactor.controlplane.controller.systemservices.SystemServices;
import io.kubeactor.controlplane.controller.systemservices.SystemServicesController;
import io.kubeactor.controlplane.controller.volume.StandardStorageClass;
import io.kubeactor.controlplane.controller.serviceaccount.TokensController;
import io.kubeactor.controlplane.dns.ClusterDns;
import io.kubeactor.controlplane.dns.DnsSettings;
import io.kubeactor.controlplane.events.EventRecorder;
import io.kubeactor.controlplane.node.AgentEndpoints;
import io.kubeactor.controlplane.node.NodeGateway;
import io.kubeactor.controlplane.node.ObjectRelay;
import io.kubeactor.controlplane.node.MetricsServer;
import io.kubeactor.controlplane.registry.Registry;
import io.kubeactor.controlplane.registry.WriteOptions;
import io.kubeactor.controlplane.registry.admission.AdmissionSettings;
import io.kubeactor.controlplane.registry.service.LegacyServices;
import io.kubeactor.controlplane.registry.service.ServiceNetwork;
import io.kubeactor.controlplane.scheduler.Scheduler;
import io.kubeactor.controlplane.security.AccessControl;
import io.kubeactor.controlplane.security.ClusterCertificates;
import io.kubeactor.controlplane.security.EncryptionConfiguration;
import io.kubeactor.controlplane.security.Tokens;
import io.kubeactor.controlplane.security.audit.AuditLog;
import io.kubeactor.controlplane.security.audit.AuditSettings;
import io.kubeactor.controlplane.security.rbac.BootstrapPolicy;
import io.kubeactor.controlplane.controller.certificates.approver.CsrApprovingController;
import io.kubeactor.controlplane.controller.certificates.signer.CsrSigner;
import io.kubeactor.controlplane.controller.certificates.signer.CsrSigningController;
import io.kubeactor.controlplane.registry.WriteGuard;
import io.kubeactor.controlplane.security.bootstrap.BootstrapTokenAuthenticator;
import io.kubeactor.controlplane.security.bootstrap.BootstrapTokens;
import io.kubeactor.controlplane.security.certificates.CertificateAdmission;
import io.kubeactor.controlplane.security.rbac.BootstrapPolicyReconciler;
import io.kubeactor.controlplane.security.authorization.Authorizer;
import io.kubeactor.controlplane.security.node.NodeAuthorizer;
import io.kubeactor.controlplane.security.node.NodeGraph;
import io.kubeactor.controlplane.security.node.NodeGraphPopulator;
import io.kubeactor.controlplane.security.node.NodeRestriction;
import io.kubeactor.controlplane.security.rbac.InformerPolicySource;
import io.kubeactor.controlplane.security.rbac.RbacAuthorizer;
import io.kubeactor.controlplane.security.rbac.RbacEscalationCheck;
import io.kubeactor.controlplane.security.serviceaccount.BoundObjects;
import io.kubeactor.controlplane.security.serviceaccount.ServiceAccountTokens;
import io.kubeactor.controlplane.security.serviceaccount.TokenSettings;
import io.kubeactor.controlplane.security.authentication.UserInfo;
import io.kubeactor.controlplane.store.Checkpointer;
import io.kubeactor.controlplane.store.ObjectStore;
import io.kubeactor.controlplane.store.StoreWriter;
import io.kubeactor.controlplane.store.WatchCache;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import org.apache.pekko.actor.BootstrapSetup;
import org.apache.pekko.actor.CoordinatedShutdown;
import org.apache.pekko.actor.setup.ActorSystemSetup;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.actor.typed.Behavior;
import org.apache.pekko.actor.typed.DispatcherSelector;
import org.apache.pekko.actor.typed.Props;
import org.apache.pekko.actor.typed.SpawnProtocol;
import org.apache.pekko.actor.typed.SupervisorStrategy;
import org.apache.pekko.actor.typed.javadsl.AskPattern;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.apache.pekko.cluster.typed.Cluster;
import org.apache.pekko.cluster.typed.Join;
import org.apache.pekko.http.javadsl.ServerBinding;
import org.apache.pekko.persistence.jdbc.testkit.javadsl.SchemaUtils;

/**
 * The control-plane process assembled: store, watch cache, registry and HTTPS API server in one
 * actor system. {@link Main} runs it; tests start it in-process on a free port.
 */
public final class ControlPlane implements AutoCloseable {

  /** The namespaces every cluster has. */
  public static final List<String> SYSTEM_NAMESPACES = List.of("default", "kube-system", "kube-public", "kube-node-lease");

  private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(ControlPlane.class);
  /** How long a stop waits for the store's last snapshot (the phase's timeout in application.conf is above it). */
  private static final Duration STOP_CHECKPOINT_TIMEOUT = Duration.ofSeconds(10);
  /** kube-scheduler's user, bound to system:kube-scheduler and system:volume-scheduler by the bootstrap policy. */
  private static final String SCHEDULER_USER = "system:kube-scheduler";
  /** kube-controller-manager's own user, which its root client (e.g. the ServiceAccount token controller) is. */
  private static final String CONTROLLER_MANAGER_USER = "system:kube-controller-manager";

  private final ActorSystem<SpawnProtocol.Command> system;
  /** The API server's listeners: api.host first, then the advertise address if that is another. */
  private final List<ServerBinding> bindings;
  private final Registry registry;
  private final ClusterCertificates certificates;
  /** The user the admin's client certificate names, as kubeadm's admin.conf. */
  public static final String ADMIN_USER = "kubernetes-admin";

  private final Tokens tokens;
  private final AccessControl access;
  private final ClusterCertificates.ClientCredential admin;
  private final CompletionStage<Void> startupHooks;
  private final Path dataDir;
  private final String endpointAddress;
  private final ControlPlaneEndpoints controlPlaneEndpoints;
  private final ClusterDns dns;
  private final Function<String, String> joinTokens;
  private final AgentConnections agentConnections;

  private ControlPlane(ActorSystem<SpawnProtocol.Command> system, List<ServerBinding> bindings, Registry registry,
      ClusterCertificates certificates, ClusterCertificates.ClientCredential admin, Tokens tokens, AccessControl access,
      CompletionStage<Void> startupHooks, Path dataDir, String endpointAddress,
      ControlPlaneEndpoints controlPlaneEndpoints, ClusterDns dns, Function<String, String> joinTokens,
      AgentConnections agentConnections) {
    this.dns = dns;
    this.agentConnections = agentConnections;
    this.joinTokens = joinTokens;
    this.system = system;
    this.bindings = bindings;
    this.registry = registry;
    this.certificates = certificates;
    this.tokens = tokens;
    this.access = access;
    this.admin = admin;
    this.startupHooks = startupHooks;
    this.dataDir = dataDir;
    this.endpointAddress = endpointAddress;
    this.controlPlaneEndpoints = controlPlaneEndpoints;
  }

  /** Starts and returns once the store has recovered and the API serves. */
  public static ControlPlane start(Config overrides) throws Exception {
    Config base = overrides.withFallback(ConfigFactory.load());
    Config k = base.getConfig("kubeactor");
    if (!k.hasPath("data-dir")) throw new IllegalArgumentException("kubeactor.data-dir is not set");
    Path dataDir = Path.of(k.getString("data-dir")).toAbsolutePath();
    Files.createDirectories(dataDir);
    Config config = storeConfig(k, dataDir).withFallback(clusterConfig(k)).withFallback(base).resolve();

    ServiceNetwork serviceNetwork = ServiceNetwork.from(k);
    String host = k.getString("api.host");
    String advertise = k.getString("api.advertise-address").trim();
    if (!advertise.isEmpty() && IpAddresses.parse(advertise) == null) {
      throw new IllegalArgumentException("kubeactor.api.advertise-address must be an IP address, not '" + advertise + "'");
    }
    String endpointAddress = endpointAddress(host, advertise);
    List<String> sans = Arrays.stream(k.getString("api.extra-sans").split(",")).map(String::trim)
        .filter(s -> !s.isEmpty()).toList();
    ClusterCertificates certs = ClusterCertificates.loadOrCreate(dataDir,
        sans.stream().filter(s -> !s.matches("[0-9.:]+")).toList(),
        servingIps(sans, host, advertise, serviceNetwork));
    Tokens tokens = Tokens.loadOrCreate(dataDir);
    // the admin's kubeconfig credential, as kubeadm's admin.conf: kubernetes-admin in system:masters
    ClusterCertificates.ClientCredential admin = certs.loadOrIssueClient("admin", ADMIN_USER, List.of(UserInfo.SYSTEM_MASTERS));
    EncryptionConfiguration encryption = EncryptionConfiguration.loadOrCreate(dataDir);
    AuditLog audit = AuditLog.start(AuditSettings.from(k));

    // the cluster transport's TLS: the control plane shows its own certificate of the cluster CA to the agents
    ClusterCertificates.ClientCredential member = certs.controlPlane();
    ClusterTls clusterTls = ClusterTls.of(certs.ca(), member.certificate(), member.key());

    WatchCache cache = new WatchCache(k.getInt("store.watch-window"));
    ActorSystem<SpawnProtocol.Command> system = ActorSystem.create(SpawnProtocol.create(), "kubeactor",
        ActorSystemSetup.create(BootstrapSetup.create(config), clusterTls.setup()));
    try {
      // the journal's tables exist before the store recovers from them
      SchemaUtils.createIfNotExists(system).toCompletableFuture().get(60, TimeUnit.SECONDS);
      if (config.hasPath("jdbc-snapshot-store.slick.db.url")) createH2Schema(config.getString("jdbc-snapshot-store.slick.db.url"));
      ActorRef<Checkpointer.Command> checkpointer = spawn(system,
          Checkpointer.create(ObjectStore.PERSISTENCE_ID.id()), "store-checkpointer");
      ActorRef<ObjectStore.Command> store = spawn(system,
          ObjectStore.create(cache, checkpointer, k.getInt("store.snapshot-every"), encryption.atRest()), "store");
      ActorRef<StoreWriter.Command> storeWriter = spawn(system,
          StoreWriter.create(store, k.getDuration("store.write-timeout"), k.getInt("store.max-batch")), "store-writer");
      cache.whenReady().toCompletableFuture().get(120, TimeUnit.SECONDS);
      // as the control plane stops, before its actors do: a snapshot of what the next start would replay
      // (once recovered: a store that failed to recover would not answer)
      CoordinatedShutdown.get(system).addTask(CoordinatedShutdown.PhaseBeforeActorSystemTerminate(), "store-checkpoint",
          () -> AskPattern.ask(store, ObjectStore.CheckpointNow::new, STOP_CHECKPOINT_TIMEOUT, system.scheduler()));
      Clock clock = Clock.systemUTC();
      // kube-root-ca.crt in every namespace: the CA a pod's ServiceAccount volume carries
      ControllerSettings controllerSettings = ControllerSettings.from(k).withRootCa(certs.caPem());
      Registry registry = new Registry(ResourceRegistry.builtIn(), cache, storeWriter,
          system, k.getDuration("store.write-timeout"), clock,
          new AdmissionSettings(controllerSettings.defaultTolerationSeconds()).withServiceAccountTokens(true), serviceNetwork);
      // the client layer: how every component in this process reads and writes cluster state; the node
      // gateway, the scheduler and the controllers share one set of informers
      ResourceRegistry types = registry.types();
      Informers informers = new Informers(registry);
      ApiWriter writer = new ApiWriter(registry, informers);
      FreshRead fresh = new FreshRead(registry);
      // the custom resources of the CRDs established so far are served from the start on
      ServedCustomResources.follow(informers);
      createSystemNamespaces(writer, fresh, types);
      // RBAC's bootstrap roles and bindings, put right as kube-apiserver's post-start hook does: the API
      // serves meanwhile, and /readyz answers ready once they are. Off the start's own thread: reading the
      // policy and comparing it with what is stored take a few hundred milliseconds even when all is in place
      BootstrapPolicyReconciler policyReconciler = new BootstrapPolicyReconciler(writer, fresh, informers);
      // then kubeadm's bindings for nodes' TLS bootstrap, which name the bootstrap policy's roles, and the
      // roles of the add-ons whose controllers run here
      CompletionStage<Void> rbacBootstrap = CompletableFuture.supplyAsync(BootstrapPolicy::load,
              system.dispatchers().lookup(DispatcherSelector.blocking()))
          .thenCompose(policyReconciler::reconcile)
          .thenCompose(x -> policyReconciler.reconcile(BootstrapPolicy.kubeadm()))
          .thenCompose(x -> policyReconciler.reconcile(BootstrapPolicy.addons()));
      ServiceAccountTokens serviceAccountTokens = ServiceAccountTokens.loadOrCreate(dataDir, TokenSettings.defaults(),
          BoundObjects.of(informers, fresh), clock);
      RbacAuthorizer rbac = new RbacAuthorizer(new InformerPolicySource(informers));
      // the Node authorizer's graph follows the informers: what each node's pods need. Filling it reads
      // every pod, so it starts once the API serves (below), as kube-apiserver's informers sync after it
      // serves: /readyz waits for it (informer-sync), and so does the node gateway
      NodeGraph nodeGraph = new NodeGraph();
      CompletableFuture<NodeGraphPopulator> nodeGraphSynced = new CompletableFuture<>();
      AccessControl access = AccessControl.create(certs, tokens, serviceAccountTokens,
          NodeAuthorizer.withBootstrapRules(nodeGraph), rbac, audit, clock);
      // admission, in upstream's order of the plugins that apply
      registry.guardWrites(new RbacEscalationCheck(access.authorizer(), rbac));
      NodeRestriction nodeRestriction = new NodeRestriction(BoundObjects.of(informers, fresh));
      registry.guardWrites(nodeRestriction);
      registry.guardWrites(new CertificateAdmission(access.authorizer()));
      // bootstrap tokens (--enable-bootstrap-token-auth, as kubeadm sets it)
      access.authenticator().add(new BootstrapTokenAuthenticator(
          (namespace, name) -> informers.of(io.fabric8.kubernetes.api.model.Secret.class).get(namespace, name), clock));
      allocateLegacyServices(registry);
      StandardStorageClass.ensure(writer, fresh, types).toCompletableFuture().get(30, TimeUnit.SECONDS);
      // the control plane is the cluster's first member; agents join it
      Cluster cluster = Cluster.get(system);
      cluster.manager().tell(Join.create(cluster.selfMember().address()));
      EventRecorder events = new EventRecorder(writer, fresh, types, clock);
      AgentEndpoints agents = new AgentEndpoints();
      MetricsServer metrics = new MetricsServer();
      ControllerContext controllers = new ControllerContext(informers, writer, fresh, metrics, events, clock, controllerSettings);
      // nodes register once the graph says what they may read; until then they keep asking
      spawnOnceReady(nodeGraphSynced, system, NodeGateway.create(writer, fresh, informers, ObjectRelay.create(types, cache), events,
          agents, metrics, clock, serviceAccountTokens.tokenRequests(), certs.ca(), access.authorizer(), nodeRestriction), "node-gateway");
      // the scheduler and the controllers act as their own users, as kube-scheduler and kube-controller-manager
      // do; they start once the roles that let them are in place, as those wait for kube-apiserver's /readyz
      ApiWriter schedulerWriter = writer.as(UserInfo.of(SCHEDULER_USER, UserInfo.AUTHENTICATED), access.authorizer());
      spawnOnceReady(rbacBootstrap, system,
          Scheduler.create(informers, schedulerWriter, fresh, events.as(schedulerWriter), clock), "scheduler");
      spawnOnceReady(rbacBootstrap, system, ControllerManager.create(controllers, access.authorizer(),
          List.of(new ControllerManager.Entry(UserInfo.of(CONTROLLER_MANAGER_USER, UserInfo.AUTHENTICATED),
                  c -> new TokensController(c, serviceAccountTokens.signingKey())),
              ControllerManager.Entry.serviceAccount("certificate-controller",
                  c -> new CsrApprovingController(c, access.authorizer())),
              ControllerManager.Entry.serviceAccount("certificate-controller",
                  c -> new CsrSigningController(c, new CsrSigner(certs, CsrSigner.DEFAULT_SIGNING_DURATION))),
              // apiextensions-apiserver's controllers, which run in kube-apiserver as its loopback client
              new ControllerManager.Entry(WriteOptions.INTERNAL_USER, NamingConditionController::new),
              new ControllerManager.Entry(WriteOptions.INTERNAL_USER, CustomResourceCleanupController::new))),
          "controller-manager");
      int port = k.getInt("api.port");
      AgentConnections agentConnections = new AgentConnections(certs.ca(), member.certificate(), member.key());
      ApiServer api = new ApiServer(registry, access, system, endpointAddress + ":" + port, k.getDuration("api.request-timeout"),
          k.getDuration("api.watch-bookmark-interval"), agents, agentConnections, clock, metrics);
      api.readyAfter("informer-sync", nodeGraphSynced);
      api.readyAfter("poststarthook/rbac/bootstrap-roles", rbacBootstrap);
      List<ServerBinding> bindings = new ArrayList<>();
      bindings.add(api.bind(system, host, port, certs.serverContext()).toCompletableFuture().get(30, TimeUnit.SECONDS));
      int apiPort = bindings.get(0).localAddress().getPort();
      // pods and nodes reach the API server at the advertise address, on the same port
      if (!advertise.isEmpty() && !advertise.equals(host) && !isWildcard(host)) {
        bindings.add(api.bind(system, advertise, apiPort, certs.serverContext()).toCompletableFuture().get(30, TimeUnit.SECONDS));
      }
      // nodes started here join with a join token of their own (a bootstrap token, kubeadm's default ttl)
      ResourceType secrets = types.find("/api/v1", "secrets").orElseThrow();
      Function<String, String> joinTokens = description -> {
        BootstrapTokens.Token token = BootstrapTokens.generate();
        writer.create(secrets, BootstrapTokens.NAMESPACE, Json.toTree(BootstrapTokens.nodeJoinSecret(token, clock.instant(),
            description))).toCompletableFuture().join();
        return token.value();
      };
      LocalNodeProvider.Join join = new LocalNodeProvider.Join("https://" + endpointAddress(host, "") + ":" + apiPort,
          certs.caFile(), node -> joinTokens.apply("kubeactor: joins node " + node));
      startClusterAutoscaler(system, k, controllers, access.authorizer(), cluster, join, rbacBootstrap);
      ControlPlaneEndpoints controlPlaneEndpoints = new ControlPlaneEndpoints(writer, fresh, types);
      startSystemServices(system, controllers, new SystemServices(writer, fresh, types, serviceNetwork, apiPort),
          controlPlaneEndpoints, endpointAddress, apiPort);
      ClusterDns dns = startClusterDns(k, controllers, controlPlaneEndpoints, endpointAddress);
      // last, so that decoding every pod does not slow the start on a small machine (the controllers'
      // informers mostly have them by now)
      nodeGraphSynced.completeAsync(() -> NodeGraphPopulator.start(informers, nodeGraph),
          system.dispatchers().lookup(DispatcherSelector.blocking()));
      return new ControlPlane(system, bindings, registry, certs, admin, tokens, access,
          CompletableFuture.allOf(rbacBootstrap.toCompletableFuture(), nodeGraphSynced), dataDir, endpointAddress,
          controlPlaneEndpoints, dns, joinTokens, agentConnections);
    } catch (Exception e) {
      ActorSystemTermination.terminate(system, Duration.ofSeconds(30));
      throw e;
    }
  }

  /**
   * The kubernetes and kube-dns Services, made or put right as kube-apiserver does when it starts,
   * the kubernetes Service's endpoints pointing at this API server, and the controller that keeps
   * them so. A Service that cannot be made now (e.g. its address is taken) is left to that
   * controller, which keeps trying.
   */
  private static void startSystemServices(ActorSystem<SpawnProtocol.Command> system, ControllerContext controllers,
      SystemServices services, ControlPlaneEndpoints endpoints, String address, int apiPort) throws Exception {
    try {
      services.ensure(true).toCompletableFuture().get(30, TimeUnit.SECONDS);
      endpoints.publish("default", "kubernetes", address, List.of(new ControlPlaneEndpoints.Port("https", apiPort, "TCP")))
          .toCompletableFuture().get(30, TimeUnit.SECONDS);
    } catch (java.util.concurrent.ExecutionException e) {
      LOG.warn("the control plane's Services are not all in place yet: {}", ApiException.unwrap(e.getCause()).getMessage());
    }
    Behavior<Controller.Command> keeper = Behaviors.supervise(
            Controller.create(new SystemServicesController(controllers, services, endpoints), Controller.Settings.defaults()))
        .onFailure(SupervisorStrategy.restart());
    spawn(system, keeper, "system-services");
  }

  /**
   * The cluster autoscaler over the local node provider, when a node group is declared (--nodes
   * MIN:MAX:NAME), once {@code ready} (the roles it acts by are in place). It acts as the
   * ServiceAccount kube-system/cluster-autoscaler, made here as upstream's manifest makes it.
   */
  private static void startClusterAutoscaler(ActorSystem<SpawnProtocol.Command> system, Config k, ControllerContext controllers,
      Authorizer authorizer, Cluster cluster, LocalNodeProvider.Join join, CompletionStage<?> ready) {
    AutoscalerSettings settings = AutoscalerSettings.from(k);
    if (!settings.enabled()) return;
    String agentsJoin = k.getString("cluster.host") + ":" + cluster.selfMember().address().getPort().get();
    LocalNodeProvider provider = new LocalNodeProvider(settings, agentsJoin, join, controllers.clock());
    ControllerContext asAutoscaler = controllers.as(ControllerManager.serviceAccountUser(ClusterAutoscaler.NAME), authorizer);
    Behavior<Controller.Command> autoscaler = Behaviors.supervise(Controller.create(
            new ClusterAutoscaler(asAutoscaler, provider, settings), Controller.Settings.defaults().withWorkers(1)))
        .onFailure(SupervisorStrategy.restart());
    ready.whenComplete((x, e) -> ControllerManager.ensureServiceAccounts(controllers, List.of(ClusterAutoscaler.NAME)));
    spawnOnceReady(ready, system, autoscaler, ClusterAutoscaler.NAME);
  }

  /**
   * The cluster DNS (CoreDNS's part), published as the kube-dns Service's endpoints once bound. A
   * DNS that cannot listen (its port taken) leaves the rest of the control plane serving: pods
   * then cannot resolve names, which the log says with the fix.
   */
  private static ClusterDns startClusterDns(Config k, ControllerContext controllers, ControlPlaneEndpoints endpoints,
      String address) {
    DnsSettings settings = DnsSettings.from(k);
    try {
      return ClusterDns.start(settings, controllers.informers(), serving ->
          endpoints.publish("kube-system", "kube-dns", address, List.of(
              new ControlPlaneEndpoints.Port("dns", serving.udpPort(), "UDP"),
              new ControlPlaneEndpoints.Port("dns-tcp", serving.tcpPort(), "TCP"))));
    } catch (java.io.IOException | RuntimeException e) {
      LOG.error("the cluster DNS did not start: cannot listen on {} port {} ({}); free the port or choose another "
          + "(--dns-port)", settings.host(), settings.port(), e.getMessage());
      return null;
    }
  }

  /** Services stored by a kubeactor that did not allocate cluster IPs get them now; one that cannot is logged. */
  private static void allocateLegacyServices(Registry registry) throws Exception {
    try {
      LegacyServices.allocate(registry).toCompletableFuture().get(30, TimeUnit.SECONDS);
    } catch (java.util.concurrent.ExecutionException e) {
      LOG.warn("a stored Service could not be given its cluster IP and node ports: {}", ApiException.unwrap(e.getCause()).getMessage());
    }
  }

  /** Where the cluster reaches the API server: the advertise address, else api.host (loopback for a wildcard host). */
  static String endpointAddress(String host, String advertise) {
    if (!advertise.isEmpty()) return advertise;
    return isWildcard(host) ? "127.0.0.1" : host;
  }

  private static boolean isWildcard(String host) {
    return host.equals("0.0.0.0") || host.equals("::") || host.equals("[::]");
  }

  /**
   * The addresses the serving certificate must name: the extra ones, the kubernetes Service's
   * (clients in pods dial it), the advertise address and api.host when it is an address.
   */
  static List<String> servingIps(List<String> extraSans, String host, String advertise, ServiceNetwork network) {
    List<String> ips = new ArrayList<>(extraSans.stream().filter(s -> s.matches("[0-9.:]+")).toList());
    ips.add(network.kubernetesServiceIp());
    if (!advertise.isEmpty()) ips.add(advertise);
    if (IpAddresses.parse(host) != null && !isWildcard(host)) ips.add(host);
    return ips.stream().distinct().toList();
  }

  /** Where the control plane listens for node agents (Pekko Cluster over Artery TCP). */
  private static Config clusterConfig(Config k) {
    return ConfigFactory.parseMap(java.util.Map.of(
        "pekko.actor.provider", "cluster",
        "pekko.remote.artery.canonical.hostname", k.getString("cluster.host"),
        "pekko.remote.artery.canonical.port", k.getInt("cluster.port"),
        "pekko.cluster.roles", List.of(NodeProtocol.CONTROL_PLANE_ROLE)));
  }

  /**
   * A new join token (a bootstrap token valid for 24 hours, in kubeadm's node group), as
   * {@code ./kubeactor token create} makes one: what a new node asks for its certificate with.
   */
  public String newJoinToken(String description) {
    return joinTokens.apply(description);
  }

  /** The cluster port agents join (useful when it was chosen at random, as in tests). */
  public int clusterPort() {
    return Cluster.get(system).selfMember().address().getPort().get();
  }

  /**
   * The journal and snapshot store: H2 files in the data directory, or PostgreSQL. With H2 the
   * snapshots live in a database file of their own, so that writing a large snapshot never holds up
   * the journal's small commits.
   */
  private static Config storeConfig(Config k, Path dataDir) {
    String backend = k.getString("store.backend");
    return switch (backend) {
      case "h2" -> ConfigFactory.parseString(
          "pekko-persistence-jdbc.shared-databases.slick {\n" + h2(dataDir.resolve("store").resolve("kubeactor"), 4096) + "\n}\n"
          + "jdbc-snapshot-store { use-shared-db = null\nslick {\n" + h2(dataDir.resolve("store").resolve("snapshots"), 1024) + "\n} }");
      case "postgres" -> ConfigFactory.parseString("pekko-persistence-jdbc.shared-databases.slick {\n"
          + "profile = \"slick.jdbc.PostgresProfile$\"\n"
          + "db { url = " + quote(k.getString("store.postgres.url")) + ", driver = \"org.postgresql.Driver\",\n"
          + "  user = " + quote(k.getString("store.postgres.user")) + ", password = " + quote(k.getString("store.postgres.password")) + ",\n"
          + "  numThreads = 4, maxConnections = 4, minConnections = 1 }\n}");
      default -> throw new IllegalArgumentException("kubeactor.store.backend must be h2 or postgres, not " + backend);
    };
  }

  /** The snapshot table of the plugin's own H2 schema script, in the snapshots' database file. */
  private static void createH2Schema(String url) throws Exception {
    String script;
    try (var in = SchemaUtils.class.getClassLoader().getResourceAsStream("schema/h2/h2-create-schema.sql")) {
      script = new String(in.readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
    }
    try (var c = java.sql.DriverManager.getConnection(url, "sa", ""); var st = c.createStatement()) {
      for (String statement : script.split(";")) {
        if (statement.contains("CREATE TABLE IF NOT EXISTS PUBLIC.\"snapshot\"")) st.execute(statement);
      }
    }
  }

  /**
   * An embedded H2 database file; WRITE_DELAY=0: a commit reaches the file before the write is
   * acknowledged (survives kill -9). The page cache (in KiB, H2's default 16 MiB) is kept small: the
   * journal is appended and read back only on recovery, the snapshots written whole and read once.
   */
  private static String h2(Path file, int cacheKiB) {
    String url = "jdbc:h2:file:" + file + ";WRITE_DELAY=0;CACHE_SIZE=" + cacheKiB + ";MAX_LENGTH_INPLACE_LOB=65536";
    return "profile = \"slick.jdbc.H2Profile$\"\n"
        + "db { url = " + quote(url) + ", driver = \"org.h2.Driver\", user = \"sa\", password = \"\",\n"
        + "  numThreads = 4, maxConnections = 4, minConnections = 1, connectionTestQuery = \"SELECT 1\" }";
  }

  private static <T> ActorRef<T> spawn(ActorSystem<SpawnProtocol.Command> system, Behavior<T> behavior, String name)
      throws Exception {
    return AskPattern.<SpawnProtocol.Command, ActorRef<T>>ask(system,
            replyTo -> new SpawnProtocol.Spawn<>(behavior, name, Props.empty(), replyTo),
            java.time.Duration.ofSeconds(10), system.scheduler())
        .toCompletableFuture().get(10, TimeUnit.SECONDS);
  }

  /**
   * Spawns the actor once {@code ready} completes. If it failed, /readyz says so and the log says
   * why, and the actor starts all the same: a cluster limps on rather than stops.
   */
  private static <T> void spawnOnceReady(CompletionStage<?> ready, ActorSystem<SpawnProtocol.Command> system,
      Behavior<T> behavior, String name) {
    ready.whenComplete((x, e) -> system.tell(new SpawnProtocol.Spawn<>(behavior, name, Props.empty(), system.ignoreRef())));
  }

  private static String quote(String s) {
    return "\"" + s.replace("\\", "\\\\").replace("\"", "\\\"") + "\"";
  }

  private static void createSystemNamespaces(ApiWriter writer, FreshRead fresh, ResourceRegistry types) throws Exception {
    ResourceType nsType = types.find("/api/v1", "namespaces").orElseThrow();
    for (String ns : SYSTEM_NAMESPACES) {
      if (fresh.exists(nsType, null, ns)) continue;
      ObjectNode obj = Json.object();
      obj.put("apiVersion", "v1").put("kind", "Namespace");
      obj.putObject("metadata").put("name", ns).putObject("labels").put("kubernetes.io/metadata.name", ns);
      try {
        writer.create(nsType, null, obj).toCompletableFuture().get(30, TimeUnit.SECONDS);
      } catch (java.util.concurrent.ExecutionException e) {
        if (!(e.getCause() instanceof ApiException api && api.code == 409)) throw e;
      }
    }
  }

  public int port() {
    return bindings.get(0).localAddress().getPort();
  }

  /** The address the cluster reaches the control plane at: the advertise address, else api.host. */
  public String endpointAddress() {
    return endpointAddress;
  }

  /** Publishes the endpoints of the control plane's own selectorless Services (e.g. the cluster DNS's). */
  public ControlPlaneEndpoints controlPlaneEndpoints() {
    return controlPlaneEndpoints;
  }

  public Registry registry() {
    return registry;
  }

  /** How the API server connects to node agents (for an API server of a test's own beside this one). */
  public AgentConnections agentConnections() {
    return agentConnections;
  }

  public ClusterCertificates certificates() {
    return certificates;
  }

  /** Completes once the work after the API started serving is done (/readyz then answers ok). */
  public CompletionStage<Void> whenReady() {
    return startupHooks;
  }

  /** The admin's client certificate and key (pki/admin.crt, admin.key): kubernetes-admin in system:masters. */
  public ClusterCertificates.ClientCredential admin() {
    return admin;
  }

  public AccessControl access() {
    return access;
  }

  public Tokens tokens() {
    return tokens;
  }

  public Path dataDir() {
    return dataDir;
  }

  public ActorSystem<SpawnProtocol.Command> system() {
    return system;
  }

  /** The cluster DNS, or null when it could not start. */
  public ClusterDns dns() {
    return dns;
  }

  @Override
  public void close() throws Exception {
    if (dns != null) dns.close();
    for (ServerBinding binding : bindings) {
      try {
        binding.unbind().toCompletableFuture().get(10, TimeUnit.SECONDS);
      } catch (Exception ignored) {
        // shutting down anyway
      }
    }
    ActorSystemTermination.terminate(system, Duration.ofSeconds(30));
    access.audit().close();
  }
}
