package io.kubeactor.ingress;

import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.fabric8.kubernetes.client.extended.leaderelection.LeaderCallbacks;
import io.fabric8.kubernetes.client.extended.leaderelection.LeaderElectionConfigBuilder;
import io.fabric8.kubernetes.client.extended.leaderelection.resourcelock.LeaseLock;
import io.kubeactor.ingress.config.ControllerSettings;
import io.kubeactor.ingress.config.DefaultCertificate;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The ingress controller's process, as ingress-nginx's {@code /nginx-ingress-controller} runs in its
 * pod: the API server reached with the pod's in-cluster configuration (KUBERNETES_SERVICE_HOST and
 * the mounted token), its own pod named by the downward API (POD_NAME, POD_NAMESPACE), nginx started
 * on the first configuration. Flags are ingress-nginx's names:
 * {@code --ingress-class}, {@code --controller-class}, {@code --watch-ingress-without-class},
 * {@code --election-id}, {@code --publish-status-address}, {@code --http-port}, {@code --https-port},
 * {@code --healthz-port}, {@code --status-update-interval}.
 */
public final class Main {

  private static final Logger log = LoggerFactory.getLogger(Main.class);
  private static final Path RUN_DIRECTORY = Path.of("/etc/ingress-controller");
  private static final java.util.Set<String> FLAGS = java.util.Set.of("ingress-class", "controller-class",
      "watch-ingress-without-class", "election-id", "publish-status-address", "http-port", "https-port", "healthz-port",
      "status-update-interval", "run-directory", "nginx-binary");

  private Main() {}

  public static void main(String[] args) throws Exception {
    Map<String, String> flags;
    try {
      flags = flags(args);
    } catch (IllegalArgumentException e) {
      System.err.println("ingress-controller: " + e.getMessage());
      System.exit(2);
      return;
    }
    String podName = required("POD_NAME");
    String namespace = required("POD_NAMESPACE");
    Path runDirectory = Path.of(flags.getOrDefault("run-directory", RUN_DIRECTORY.toString()));
    Path certificate = runDirectory.resolve("ssl/default-fake-certificate.pem");
    Files.createDirectories(certificate.getParent());
    DefaultCertificate.Pem fake = DefaultCertificate.generate();
    byte[] pem = Arrays.copyOf(fake.certificate(), fake.certificate().length + fake.key().length);
    System.arraycopy(fake.key(), 0, pem, fake.certificate().length, fake.key().length);
    Files.write(certificate, pem);

    ControllerSettings settings = new ControllerSettings(
        flags.getOrDefault("ingress-class", "nginx"),
        flags.getOrDefault("controller-class", "k8s.io/ingress-nginx"),
        Boolean.parseBoolean(flags.getOrDefault("watch-ingress-without-class", "false")),
        "www-data", null,
        Integer.parseInt(flags.getOrDefault("http-port", "80")),
        Integer.parseInt(flags.getOrDefault("https-port", "443")),
        Integer.parseInt(flags.getOrDefault("healthz-port", "10254")),
        runDirectory, certificate, certificate);
    List<String> published = flags.containsKey("publish-status-address")
        ? List.of(flags.get("publish-status-address").split(",")) : List.of();
    Duration statusPeriod = Duration.ofSeconds(Long.parseLong(flags.getOrDefault("status-update-interval", "10")));

    KubernetesClient client = new KubernetesClientBuilder().build();
    Pod self = client.pods().inNamespace(namespace).withName(podName).get();
    Map<String, String> labels = self == null || self.getMetadata().getLabels() == null
        ? Map.of() : self.getMetadata().getLabels();
    labels = new HashMap<>(labels);
    // the pod-template-hash / controller-revision-hash differ between the controller's pods
    labels.keySet().removeIf(k -> k.equals("pod-template-hash") || k.equals("controller-revision-hash")
        || k.equals("pod-template-generation"));

    NginxProcess nginx = new NginxProcess(flags.getOrDefault("nginx-binary", "/usr/sbin/nginx"),
        runDirectory.resolve("nginx.conf"));
    IngressController controller = new IngressController(client, settings, nginx, new IngressEvents(client, podName),
        new IngressStatusUpdater(client, namespace, labels, published), statusPeriod);
    CountDownLatch stopped = new CountDownLatch(1);
    Runtime.getRuntime().addShutdownHook(new Thread(() -> {
      // SIGTERM from the kubelet: nginx finishes the requests it has, as ingress-nginx's shutdown does
      log.info("stopping: nginx finishes its requests");
      controller.close();
      try {
        nginx.quit(Duration.ofSeconds(25));
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
      client.close();
      stopped.countDown();
    }, "shutdown"));

    controller.start();
    String electionId = flags.getOrDefault("election-id", "ingress-nginx-leader");
    client.leaderElector().withConfig(new LeaderElectionConfigBuilder()
        .withName(electionId)
        .withLock(new LeaseLock(namespace, electionId, podName))
        .withLeaseDuration(Duration.ofSeconds(30)).withRenewDeadline(Duration.ofSeconds(20))
        .withRetryPeriod(Duration.ofSeconds(2))
        .withLeaderCallbacks(new LeaderCallbacks(
            () -> {
              log.info("new leader elected: {} (this pod)", podName);
              controller.leading(true);
            },
            () -> controller.leading(false),
            leader -> log.info("new leader elected: {}", leader)))
        .withReleaseOnCancel()
        .build()).build().start();
    log.info("ingress controller {} started for class {} ({})", podName, settings.ingressClass(), settings.controllerClass());
    // nginx dying on its own ends the container, so that the pod's restart policy brings both back
    while (!controller.nginxDied()) {
      if (stopped.await(1, java.util.concurrent.TimeUnit.SECONDS)) return;
    }
    log.error("nginx exited; stopping");
    System.exit(1);
  }

  private static String required(String env) {
    String v = System.getenv(env);
    if (v == null || v.isBlank()) {
      System.err.println("ingress-controller: " + env + " is not set (the pod spec sets it from the downward API)");
      System.exit(2);
    }
    return v;
  }

  /** --name=value or --name value (ingress-nginx's flags above); a flag without a value is "true". */
  static Map<String, String> flags(String[] args) {
    Map<String, String> out = new HashMap<>();
    for (int i = 0; i < args.length; i++) {
      if (!args[i].startsWith("--")) throw new IllegalArgumentException("unexpected argument " + args[i]);
      String name = args[i].substring(2);
      int eq = name.indexOf('=');
      String value = eq >= 0 ? name.substring(eq + 1) : null;
      if (eq >= 0) name = name.substring(0, eq);
      if (!FLAGS.contains(name)) {
        throw new IllegalArgumentException("unknown flag --" + name + "; the flags are " + new java.util.TreeSet<>(FLAGS));
      }
      if (value == null) value = i + 1 < args.length && !args[i + 1].startsWith("--") ? args[++i] : "true";
      out.put(name, value);
    }
    return out;
  }
}
