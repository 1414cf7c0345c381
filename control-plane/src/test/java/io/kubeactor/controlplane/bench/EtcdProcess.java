package io.kubeactor.controlplane.bench;

import static org.awaitility.Awaitility.await;

import io.kubeactor.controlplane.e2e.ControlPlaneProcess;
import io.kubeactor.controlplane.security.ClusterCertificates;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.Executors;
import javax.net.ssl.SSLContext;

/**
 * A single-member etcd (the machine's own binary, e.g. Debian's etcd-server) with a fresh data
 * directory, listening on loopback only: plain HTTP and HTTPS client ports on free ports, so that a
 * running cluster's 2379/2380 are left alone. Durable as etcd is by default: each commit is fsynced
 * to its write-ahead log before it is acknowledged.
 */
final class EtcdProcess {

  private final Process process;
  private final int httpPort;
  private final int httpsPort;
  private final SSLContext clientContext;
  private final String version;

  private EtcdProcess(Process process, int httpPort, int httpsPort, SSLContext clientContext, String version) {
    this.process = process;
    this.httpPort = httpPort;
    this.httpsPort = httpsPort;
    this.clientContext = clientContext;
    this.version = version;
  }

  /** Starts etcd with its data, certificates and log under {@code dir} and waits until it is healthy. */
  static EtcdProcess start(Path dir) throws Exception {
    Files.createDirectories(dir);
    // a CA and a serving certificate (for 127.0.0.1 among others) made as kubeactor makes its own: the same key type on both sides
    ClusterCertificates certs = ClusterCertificates.loadOrCreate(dir, List.of(), List.of());
    int http = ControlPlaneProcess.freePort();
    int https = ControlPlaneProcess.freePort();
    int peer = ControlPlaneProcess.freePort();
    Path log = dir.resolve("etcd.log");
    Process p = new ProcessBuilder("etcd", "--name", "bench", "--data-dir", dir.resolve("data").toString(),
        "--listen-client-urls", "http://127.0.0.1:" + http + ",https://127.0.0.1:" + https,
        "--advertise-client-urls", "http://127.0.0.1:" + http,
        "--listen-peer-urls", "http://127.0.0.1:" + peer,
        "--initial-advertise-peer-urls", "http://127.0.0.1:" + peer,
        "--initial-cluster", "bench=http://127.0.0.1:" + peer,
        "--cert-file", dir.resolve("pki/apiserver.crt").toString(),
        "--key-file", dir.resolve("pki/apiserver.key").toString())
        .redirectErrorStream(true).redirectOutput(log.toFile()).start();
    EtcdProcess etcd = new EtcdProcess(p, http, https, certs.clientContext(), installedVersion());
    HttpClient probe = HttpClient.newHttpClient();
    try {
      await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(100)).until(() -> {
        if (!p.isAlive()) throw new IllegalStateException("etcd exited: " + Files.readString(log));
        try {
          return probe.send(HttpRequest.newBuilder(URI.create(etcd.httpUrl() + "/health")).build(),
              HttpResponse.BodyHandlers.ofString()).body().contains("\"health\":\"true\"");
        } catch (IOException notYet) {
          return false;
        }
      });
    } catch (RuntimeException e) {
      etcd.stop();
      throw e;
    }
    return etcd;
  }

  private static String installedVersion() throws Exception {
    Process p = new ProcessBuilder("etcd", "--version").redirectErrorStream(true).start();
    String out = new String(p.getInputStream().readAllBytes());
    p.waitFor();
    return out.lines().filter(l -> l.startsWith("etcd Version:")).findFirst()
        .map(l -> l.substring("etcd Version:".length()).trim()).orElse("unknown");
  }

  long pid() {
    return process.pid();
  }

  String version() {
    return version;
  }

  String httpUrl() {
    return "http://127.0.0.1:" + httpPort;
  }

  String httpsUrl() {
    return "https://127.0.0.1:" + httpsPort;
  }

  /** A JDK client that trusts etcd's serving certificate, configured as the benchmark's client of kubeactor. */
  HttpClient httpsClient() {
    return HttpClient.newBuilder().sslContext(clientContext).version(HttpClient.Version.HTTP_1_1)
        .executor(Executors.newFixedThreadPool(32)).build();
  }

  /** A put through the v3 gateway over HTTPS: key and value as base64, the gateway's JSON form of bytes. */
  HttpRequest putRequest(String key, byte[] value) {
    Base64.Encoder b64 = Base64.getEncoder();
    String body = "{\"key\":\"" + b64.encodeToString(key.getBytes(StandardCharsets.UTF_8))
        + "\",\"value\":\"" + b64.encodeToString(value) + "\"}";
    return HttpRequest.newBuilder(URI.create(httpsUrl() + "/v3/kv/put")).POST(HttpRequest.BodyPublishers.ofString(body))
        .header("Content-Type", "application/json").build();
  }

  void stop() throws InterruptedException {
    process.destroy();
    process.waitFor();
  }
}
