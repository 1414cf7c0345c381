package io.kubeactor.controlplane.e2e;

import static org.awaitility.Awaitility.await;

import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.ConfigBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import java.io.IOException;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Base64;
import java.util.List;

/** The control plane as users run it: the packaged jar in a JVM of its own, which a test may kill -9. */
public final class ControlPlaneProcess {

  private final Path dataDir;
  private final int port;
  private final Process process;

  private ControlPlaneProcess(Path dataDir, int port, Process process) {
    this.dataDir = dataDir;
    this.port = port;
    this.process = process;
  }

  public static int freePort() throws IOException {
    try (ServerSocket s = new ServerSocket(0)) {
      return s.getLocalPort();
    }
  }

  /** Starts the packaged control plane (target/control-plane.jar and target/lib) and waits until it serves. */
  public static ControlPlaneProcess start(Path dataDir, int port, Duration waitAtMost, String... jvmOptions)
      throws IOException {
    Path target = Path.of("target").toAbsolutePath();
    String classpath = target.resolve("control-plane.jar") + java.io.File.pathSeparator + target.resolve("lib") + "/*";
    Path log = dataDir.resolveSibling(dataDir.getFileName() + "-" + System.nanoTime() + ".log");
    List<String> command = new java.util.ArrayList<>(List.of(
        Path.of(System.getProperty("java.home"), "bin", "java").toString(),
        "@" + Path.of("jvm.options").toAbsolutePath(), "-Xmx1g"));
    // extra JVM options for the control plane, e.g. a profiler: -Dkubeactor.control-plane.jvm-options="..."
    String extra = System.getProperty("kubeactor.control-plane.jvm-options", "").trim();
    if (!extra.isEmpty()) command.addAll(List.of(extra.split("\\s+")));
    command.addAll(List.of(jvmOptions));
    // the store's invariant is checked in the control plane a test starts too
    command.add("-Dkubeactor.store.verify-decoding=" + Boolean.getBoolean("kubeactor.store.verify-decoding"));
    command.addAll(List.of("-cp", classpath, "io.kubeactor.controlplane.Main",
        "--data-dir", dataDir.toString(), "--port", Integer.toString(port), "--cluster-port", "0",
        "--dns-port", "0"));
    Process p = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile()).start();
    ControlPlaneProcess cp = new ControlPlaneProcess(dataDir, port, p);
    await().atMost(waitAtMost).pollInterval(Duration.ofMillis(50)).until(() -> {
      if (!p.isAlive()) throw new AssertionError("control plane exited: " + Files.readString(log));
      return Files.readString(log).contains("control plane serving");
    });
    return cp;
  }

  public KubernetesClient client() throws IOException {
    String ca = Files.readString(dataDir.resolve("pki/ca.crt"), StandardCharsets.UTF_8);
    String token = Files.readString(dataDir.resolve("pki/admin.token")).trim();
    Config config = new ConfigBuilder(Config.empty())
        .withMasterUrl("https://127.0.0.1:" + port)
        .withCaCertData(Base64.getEncoder().encodeToString(ca.getBytes(StandardCharsets.UTF_8)))
        .withOauthToken(token)
        .withNamespace("default")
        .withRequestRetryBackoffLimit(0)
        .build();
    return new KubernetesClientBuilder().withConfig(config).build();
  }

  /** The process's resident set size in KiB, from /proc. */
  public long rssKib() throws IOException {
    for (String line : Files.readAllLines(Path.of("/proc", Long.toString(process.pid()), "status"))) {
      if (line.startsWith("VmRSS:")) return Long.parseLong(line.replaceAll("[^0-9]", ""));
    }
    throw new IOException("no VmRSS for pid " + process.pid());
  }

  /** SIGKILL: no shutdown hook, no flush. */
  public void kill9() throws InterruptedException {
    process.destroyForcibly();
    process.waitFor();
  }

  public void stop() throws InterruptedException {
    process.destroy();
    process.waitFor();
  }
}
