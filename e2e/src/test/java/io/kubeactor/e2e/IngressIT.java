package io.kubeactor.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Note 002's Ingress on a real cluster: the ingress controller deployed as `./kubeactor up` deploys it
 * (its image built from this build's jar, the manifest of ingress-controller/deploy), a real nginx on
 * two nodes' ports 80 and 443, the walkthrough's manifests (k8s-demo/ingress), the real kubectl, and
 * requests from this test (the host) to the nodes' addresses, each on a new connection.
 */
class IngressIT {
  static final List<String> NODES = List.of("ing-node", "ing-node-m02");
  static final Duration MINUTES = Duration.ofMinutes(3);
  static final String HOST = "bootcamp.example";
  static ClusterWithNodes c;
  static List<String> addresses;

  @BeforeAll
  static void start() throws Exception {
    c = ClusterWithNodes.start("ingress", Map.of("kubeactor.api.advertise-address", ClusterWithNodes.dockerBridgeAddress()), NODES);
    c.deployIngressController();
    c.ok("apply", "-f", c.demo("ingress/bootcamp-v1.yaml"), "-f", c.demo("ingress/bootcamp-v2.yaml"), "-f", c.demo("ingress/whoami.yaml"));
    addresses = NODES.stream().map(IngressIT::nodeAddress).toList();
    c.ok("apply", "-f", c.demo("ingress/bootcamp-ingress.yaml"));
    c.awaitRunningPods("app=bootcamp", 4, MINUTES);
    c.awaitRunningPods("app=whoami", 1, MINUTES);
  }

  @AfterAll
  static void stop() throws Exception {
    if (c != null) c.close();
  }

  static String nodeAddress(String node) {
    return c.jsonpath("node/" + node, "{.status.addresses[?(@.type==\"InternalIP\")].address}");
  }

  static Http.Response get(String address, String host, String path, Map<String, String> headers) {
    return Http.get(address, 80, host, path, headers);
  }

  /** The version a bootcamp answer names ("v=1"), or the whole answer when it is not one. */
  static String version(Http.Response r) {
    if (r.failed() || r.status() != 200 || !r.body().startsWith("Hello Kubernetes bootcamp!")) {
      return r.failed() ? "error: " + r.error() : r.status() + " " + r.body();
    }
    String body = r.body().strip();
    return body.substring(body.lastIndexOf("v="));
  }

  @Test
  void routesByHostAndPathOnEveryNodeAndShowsTheNodesAddresses() {
    for (String address : addresses) {
      await().atMost(MINUTES).untilAsserted(() ->
          assertThat(version(get(address, HOST, "/", Map.of()))).as("via %s", address).isEqualTo("v=1"));
      // the second Ingress of the same host: its path, rewritten to "/" as whoami wants
      await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
        Http.Response whoami = get(address, HOST, "/whoami", Map.of());
        assertThat(whoami.status()).as(whoami.toString()).isEqualTo(200);
        assertThat(whoami.body()).startsWith("\"I'm whoami-");
      });
      // ingress-nginx's default backend for a host no Ingress names
      assertThat(get(address, "nobody.example", "/", Map.of()).status()).isEqualTo(404);
    }
    // the default IngressClass was set on create, and the controller wrote the nodes' addresses
    assertThat(c.jsonpath("ingress/bootcamp", "{.spec.ingressClassName}")).isEqualTo("nginx");
    await().atMost(Duration.ofSeconds(60)).untilAsserted(() ->
        assertThat(c.ok("get", "ingress", "bootcamp")).contains(String.join(",", addresses.stream().sorted().toList())));
    assertThat(c.ok("get", "ingress", "bootcamp").lines().findFirst().orElse(""))
        .matches("NAME\\s+CLASS\\s+HOSTS\\s+ADDRESS\\s+PORTS\\s+AGE");
  }

  @Test
  void canaryByHeaderFirstThenByWeight() {
    String address = addresses.get(0);
    await().atMost(MINUTES).until(() -> version(get(address, HOST, "/", Map.of())).equals("v=1"));
    c.ok("apply", "-f", c.demo("ingress/bootcamp-canary.yaml"));
    try {
      // loaded: nginx's reload is graceful, so for a moment an old worker may still take a connection
      await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> {
        for (int i = 0; i < 5; i++) assertThat(version(get(address, HOST, "/", Map.of("X-Canary", "always")))).isEqualTo("v=2");
      });
      for (int i = 0; i < 20; i++) {
        assertThat(version(get(address, HOST, "/", Map.of("X-Canary", "always")))).isEqualTo("v=2");
        assertThat(version(get(address, HOST, "/", Map.of("X-Canary", "never")))).isEqualTo("v=1");
      }
      // 10% by weight: 400 requests, 40 expected; ±3.5 standard deviations (6) of a binomial
      int canary = 0;
      for (int i = 0; i < 400; i++) {
        String v = version(get(address, HOST, "/", Map.of()));
        assertThat(v).isIn("v=1", "v=2");
        if (v.equals("v=2")) canary++;
      }
      assertThat(canary).as("requests of 400 sent to the canary at weight 10").isBetween(19, 61);
    } finally {
      c.ok("delete", "-f", c.demo("ingress/bootcamp-canary.yaml"));
    }
  }

  @Test
  void tlsFromASecretBySniWithARedirectAndTheDefaultCertificateForOtherNames() throws Exception {
    String address = addresses.get(1);
    Path first = selfSigned("secure.example", "first");
    c.ok("create", "secret", "tls", "secure-example-tls", "--cert=" + first.resolve("tls.crt"), "--key=" + first.resolve("tls.key"));
    c.ok("apply", "-f", c.demo("ingress/bootcamp-tls-ingress.yaml"));
    try {
      // in one await: nginx's reload is graceful, so for a moment a worker of the config before may still take a connection
      await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> {
        Curl served = curl("https://secure.example/", address, "--cacert", first.resolve("tls.crt").toString(), "-v");
        assertThat(served.out()).startsWith("Hello Kubernetes bootcamp!");
        assertThat(served.err()).contains("subject: CN=secure.example; O=first");
      });
      // plain HTTP to a host with TLS: a permanent redirect that keeps the method (308)
      await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> {
        Http.Response redirect = get(address, "secure.example", "/path?q=1", Map.of());
        assertThat(redirect.status()).as(redirect.head()).isEqualTo(308);
        assertThat(redirect.header("Location")).isEqualTo("https://secure.example/path?q=1");
      });
      // a name without a certificate of its own gets the controller's self-signed one
      assertThat(curl("https://other.example/", address, "-k", "-v").err())
          .contains("subject: O=Acme Co; CN=Kubernetes Ingress Controller Fake Certificate");
      // a Secret that changes is served without a restart
      Path second = selfSigned("secure.example", "second");
      c.kubectlWithInput(c.kubectl("create", "secret", "tls", "secure-example-tls", "--cert=" + second.resolve("tls.crt"),
          "--key=" + second.resolve("tls.key"), "--dry-run=client", "-o", "yaml").outOrFail(), "apply", "-f", "-").outOrFail();
      await().atMost(Duration.ofSeconds(60)).untilAsserted(() ->
          assertThat(curl("https://secure.example/", address, "--cacert", second.resolve("tls.crt").toString(), "-v").err())
              .contains("subject: CN=secure.example; O=second"));
    } finally {
      c.ok("delete", "-f", c.demo("ingress/bootcamp-tls-ingress.yaml"));
      c.ok("delete", "secret", "secure-example-tls");
    }
  }

  @Test
  void scalingTheBackendShowsInRoutingAtOnce() {
    String address = addresses.get(0);
    await().atMost(MINUTES).until(() -> version(get(address, HOST, "/", Map.of())).equals("v=1"));
    c.ok("scale", "deployment/bootcamp-v1", "--replicas=4");
    try {
      c.awaitRunningPods("app=bootcamp,version=v1", 4, MINUTES);
      // every ready pod answers through the ingress within seconds of being ready
      Set<String> answered = new HashSet<>();
      await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
        for (int i = 0; i < 20; i++) {
          Http.Response r = get(address, HOST, "/", Map.of());
          if (r.status() == 200 && r.body().contains("Running on: ")) {
            answered.add(r.body().substring(r.body().indexOf("Running on: ") + 12).split(" ")[0].strip());
          }
        }
        assertThat(answered).hasSize(4);
      });
    } finally {
      c.ok("scale", "deployment/bootcamp-v1", "--replicas=2");
    }
  }

  @Test
  void reloadsUnderSteadyLoadLoseNoRequest() throws Exception {
    String address = addresses.get(0);
    await().atMost(MINUTES).until(() -> version(get(address, HOST, "/", Map.of())).equals("v=1"));
    AtomicBoolean running = new AtomicBoolean(true);
    AtomicInteger requests = new AtomicInteger();
    List<String> errors = Collections.synchronizedList(new ArrayList<>());
    Thread client = new Thread(() -> {
      while (running.get()) {
        String v = version(get(address, HOST, "/", Map.of()));
        requests.incrementAndGet();
        if (!v.equals("v=1")) errors.add(v);
      }
    });
    client.start();
    try {
      // each new Ingress is a new configuration, and a reload of nginx
      for (int i = 0; i < 10; i++) {
        String host = "reload-" + i + ".example";
        c.ok("create", "ingress", "reload-" + i, "--class=nginx", "--rule=" + host + "/*=whoami:80");
        await().atMost(Duration.ofSeconds(30)).until(() -> get(address, host, "/", Map.of()).status() == 200);
      }
    } finally {
      running.set(false);
      client.join();
      for (int i = 0; i < 10; i++) c.kubectl("delete", "ingress", "reload-" + i, "--wait=false");
    }
    assertThat(requests.get()).isGreaterThan(50);
    assertThat(errors).as("%d requests during 10 reloads", requests.get()).isEmpty();
  }

  @Test
  void anIngressNamingAMissingServiceIsAWarningAndTheRestServes() {
    c.ok("create", "ingress", "missing-backend", "--class=nginx", "--rule=missing.example/*=no-such-service:80");
    try {
      await().atMost(Duration.ofSeconds(60)).untilAsserted(() ->
          assertThat(c.ok("get", "events", "--field-selector", "involvedObject.name=missing-backend", "-o",
              "jsonpath={range .items[*]}{.type} {.reason} {.message}{\"\\n\"}{end}")).contains("Warning").contains("no-such-service"));
      // its host is served, with ingress-nginx's answer for a backend without endpoints
      await().atMost(Duration.ofSeconds(10)).untilAsserted(() ->
          assertThat(get(addresses.get(0), "missing.example", "/", Map.of()).status()).isEqualTo(503));
      assertThat(version(get(addresses.get(0), HOST, "/", Map.of()))).isEqualTo("v=1");
    } finally {
      c.ok("delete", "ingress", "missing-backend");
    }
  }

  record Curl(int exit, String out, String err) {}

  /** curl to the URL with its host resolved to the node's address (as `curl --resolve`), port 443. */
  static Curl curl(String url, String address, String... options) throws Exception {
    String host = java.net.URI.create(url).getHost();
    List<String> command = new ArrayList<>(List.of("curl", "-sS", "--max-time", "5", "--resolve", host + ":443:" + address));
    command.addAll(List.of(options));
    command.add(url);
    Process p = new ProcessBuilder(command).start();
    byte[] out = p.getInputStream().readAllBytes();
    byte[] err = p.getErrorStream().readAllBytes();
    p.waitFor();
    return new Curl(p.exitValue(), new String(out, StandardCharsets.UTF_8), new String(err, StandardCharsets.UTF_8));
  }

  /** A self-signed certificate and key for the name (openssl), O=organization to tell two apart. */
  static Path selfSigned(String name, String organization) throws Exception {
    Path dir = Files.createDirectories(c.dir.resolve("tls-" + organization));
    Process p = new ProcessBuilder("openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "1",
        "-subj", "/CN=" + name + "/O=" + organization, "-addext", "subjectAltName=DNS:" + name,
        "-keyout", dir.resolve("tls.key").toString(), "-out", dir.resolve("tls.crt").toString())
        .redirectErrorStream(true).start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(p.waitFor()).as(out).isZero();
    return dir;
  }
}
