package io.kubeactor.ingress.config;

import static io.kubeactor.ingress.config.Fixtures.ingress;
import static io.kubeactor.ingress.config.Fixtures.path;
import static io.kubeactor.ingress.config.Fixtures.service;
import static io.kubeactor.ingress.config.Fixtures.slice;
import static io.kubeactor.ingress.config.Fixtures.tlsSecret;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;
import static org.awaitility.Awaitility.await;

import com.sun.net.httpserver.HttpServer;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.discovery.v1.EndpointSlice;
import io.fabric8.kubernetes.api.model.networking.v1.Ingress;
import io.kubeactor.ingress.config.Fixtures.TestIngress;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Renders a configuration and runs the real nginx on it (as this user, on free loopback ports)
 * in front of small HTTP servers that stand for the endpoints, then checks routing with real
 * requests. Fails when nginx cannot be started (scripts/ensure-nginx.sh installs Debian's).
 */
class NginxRoutingIT {

  static {
    // the tests send the Host header of the virtual host they address
    System.setProperty("jdk.httpclient.allowRestrictedHeaders", "host");
    // the backends answer at once (no Nagle delay on nginx's keepalive connections to them)
    System.setProperty("sun.net.httpserver.nodelay", "true");
  }

  private static final String LOOPBACK = "127.0.0.1";
  private static final List<HttpServer> backends = new ArrayList<>();
  private static final Map<String, List<Integer>> backendPorts = new HashMap<>();
  private static final HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).connectTimeout(Duration.ofSeconds(5)).build();
  private static final List<Path> temporary = new ArrayList<>();
  private static Path run;
  private static Process nginx;
  private static int httpPort;
  private static int httpsPort;
  private static int healthPort;
  private static RenderedConfig config;

  @BeforeAll
  static void startNginx() throws Exception {
    // each Service has its own backends; a backend answers with its name and what it was sent
    for (String name : List.of("app", "admin", "exact", "wild", "wild-exact", "rewrite", "secure", "other")) {
      startBackend(name, name);
    }
    // two endpoints each: affinity keeps a client on one of them
    for (String service : List.of("sticky", "stable", "canary")) {
      startBackend(service, service + "-1");
      startBackend(service, service + "-2");
    }
    run = Files.createTempDirectory("nginx-routing-it", PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwxr-xr-x")));
    temporary.add(run);
    httpPort = freePort();
    httpsPort = freePort();
    healthPort = freePort();
    ControllerSettings settings = Fixtures.settings(run, LOOPBACK, httpPort, httpsPort, healthPort);
    DefaultCertificate.Pem defaultPem = DefaultCertificate.generate();
    Files.write(settings.defaultCertificate(), defaultPem.certificate());
    Files.write(settings.defaultKey(), defaultPem.key());

    var secureCert = DefaultCertificate.selfSigned("CN=secure.test", "secure.test");
    var otherCert = DefaultCertificate.selfSigned("CN=other.test", "other.test");
    List<Secret> secrets = List.of(tlsSecret("secure-tls", secureCert.certificate(), secureCert.key()), tlsSecret("other-tls", otherCert.certificate(), otherCert.key()));

    List<TestIngress> ingresses = new ArrayList<>();
    ingresses.add(ingress("routing").created(1)
        .rule("routing.test", path("/app", "Prefix", "app", 80), path("/app/admin", "Prefix", "admin", 80), path("/exact", "Exact", "exact", 80),
            path("/empty", "Prefix", "empty", 80), path("/missing", "Prefix", "missing", 80)));
    ingresses.add(ingress("wildcard").created(2).rule("*.wild.test", path("/", "Prefix", "wild", 80)).rule("exact.wild.test", path("/", "Prefix", "wild-exact", 80)));
    ingresses.add(ingress("rewrite").created(3).annotation("rewrite-target", "/$2")
        .rule("rewrite.test", path("/something(/|$)(.*)", "ImplementationSpecific", "rewrite", 80)));
    ingresses.add(ingress("limits").created(4).annotation("proxy-body-size", "1k").rule("limits.test", path("/", "Prefix", "app", 80)));
    ingresses.add(ingress("allow-none").created(5).annotation("whitelist-source-range", "10.0.0.0/8").rule("denied.test", path("/", "Prefix", "app", 80)));
    ingresses.add(ingress("allow-loopback").created(6).annotation("allowlist-source-range", "127.0.0.1/32").rule("allowed.test", path("/", "Prefix", "app", 80)));
    ingresses.add(ingress("sticky").created(7).annotation("affinity", "cookie").rule("sticky.test", path("/", "Prefix", "sticky", 80)));
    for (String kind : List.of("header", "value", "pattern", "cookie", "weight")) {
      ingresses.add(ingress("main-" + kind).created(10).rule("canary-" + kind + ".test", path("/", "Prefix", "stable", 80)));
    }
    ingresses.add(canary("header").annotation("canary-by-header", "X-Canary").annotation("canary-by-cookie", "beta").annotation("canary-weight", "100"));
    ingresses.add(canary("value").annotation("canary-by-header", "X-Version").annotation("canary-by-header-value", "v2"));
    ingresses.add(canary("pattern").annotation("canary-by-header", "X-Version").annotation("canary-by-header-pattern", "^beta-[0-9]+$"));
    ingresses.add(canary("cookie").annotation("canary-by-cookie", "beta_user"));
    ingresses.add(canary("weight").annotation("canary-weight", "30"));
    ingresses.add(ingress("main-sticky").created(10).annotation("affinity", "cookie").rule("canary-sticky.test", path("/", "Prefix", "stable", 80)));
    ingresses.add(canary("sticky").annotation("canary-weight", "50"));
    ingresses.add(ingress("secure").created(20).tls("secure-tls", "secure.test").rule("secure.test", path("/", "Prefix", "secure", 80)));
    ingresses.add(ingress("other").created(21).tls("other-tls", "other.test").rule("other.test", path("/", "Prefix", "other", 80)));

    List<Service> services = new ArrayList<>();
    List<EndpointSlice> slices = new ArrayList<>();
    services.add(service("empty", 80, 8080));
    slices.add(slice("empty", 8080));
    for (Map.Entry<String, List<Integer>> backend : backendPorts.entrySet()) {
      // one Service port whose endpoints are the backends (each its own port on 127.0.0.1)
      services.add(service(backend.getKey(), 80, backend.getValue().get(0)));
      slices.addAll(loopbackSlices(backend.getKey(), backend.getValue()));
    }

    config = NginxConfigRenderer.render(Fixtures.state(ingresses, services, slices, secrets), settings);
    write(run, config);
    nginx = start(run, "-g", "daemon off;");
    await().atMost(Duration.ofSeconds(20)).pollInterval(Duration.ofMillis(50)).until(() -> {
      if (!nginx.isAlive()) {
        fail("nginx exited with " + nginx.exitValue() + ": " + Files.readString(run.resolve("nginx.stderr")));
      }
      try {
        return get("http://" + LOOPBACK + ":" + healthPort + "/healthz", null, Map.of()).statusCode() == 200;
      } catch (IOException e) {
        return false;
      }
    });
  }

  private static TestIngress canary(String kind) {
    return ingress("canary-" + kind).created(11).annotation("canary", "true").rule("canary-" + kind + ".test", path("/", "Prefix", "canary", 80));
  }

  @AfterAll
  static void stop() throws Exception {
    if (nginx != null) {
      nginx.destroy();
      if (!nginx.waitFor(10, TimeUnit.SECONDS)) {
        nginx.destroyForcibly();
      }
    }
    backends.forEach(server -> server.stop(0));
    for (Path dir : temporary) {
      try (var files = Files.walk(dir)) {
        files.sorted(java.util.Comparator.reverseOrder()).forEach(file -> file.toFile().delete());
      }
    }
  }

  @Test
  void healthz() throws Exception {
    var response = get("http://" + LOOPBACK + ":" + healthPort + "/healthz", null, Map.of());
    assertThat(response.statusCode()).isEqualTo(200);
    assertThat(response.body()).isEqualTo("ok");
  }

  @Test
  void hostAndPathRoutingWithUpstreamsPrecedence() throws Exception {
    assertThat(backend("routing.test", "/app")).isEqualTo("app");
    assertThat(backend("routing.test", "/app/")).isEqualTo("app");
    assertThat(backend("routing.test", "/app/page")).isEqualTo("app");
    assertThat(backend("routing.test", "/app/admin/users")).isEqualTo("admin");
    assertThat(backend("routing.test", "/exact")).isEqualTo("exact");
    // Prefix /app is not /application; Exact /exact is not /exact/more: the default backend
    assertThat(http("routing.test", "/application", Map.of()).statusCode()).isEqualTo(404);
    assertThat(http("routing.test", "/exact/more", Map.of()).statusCode()).isEqualTo(404);
    assertThat(backend("a.wild.test", "/")).isEqualTo("wild");
    assertThat(backend("exact.wild.test", "/")).isEqualTo("wild-exact");
    assertThat(http("a.b.wild.test", "/", Map.of()).statusCode()).isEqualTo(404);
  }

  @Test
  void unknownHostsGetTheDefaultBackends404() throws Exception {
    var response = http("nobody.test", "/", Map.of());
    assertThat(response.statusCode()).isEqualTo(404);
    assertThat(response.body()).contains("<center><h1>404 Not Found</h1></center>");
  }

  @Test
  void noReadyEndpointOrNoServiceIs503() throws Exception {
    assertThat(http("routing.test", "/empty", Map.of()).statusCode()).isEqualTo(503);
    assertThat(http("routing.test", "/missing/x", Map.of()).statusCode()).isEqualTo(503);
  }

  @Test
  void theBackendGetsIngressNginxsHeaders() throws Exception {
    var echo = echo(http("routing.test:" + httpPort, "/app/h", Map.of("X-Request-ID", "abc")).body());
    assertThat(echo).containsEntry("host", "routing.test:" + httpPort).containsEntry("x-real-ip", "127.0.0.1")
        .containsEntry("x-forwarded-for", "127.0.0.1").containsEntry("x-forwarded-host", "routing.test:" + httpPort)
        .containsEntry("x-forwarded-proto", "http").containsEntry("x-forwarded-port", String.valueOf(httpPort))
        .containsEntry("x-request-id", "abc");
    assertThat(echo(http("routing.test", "/app", Map.of()).body()).get("x-request-id")).matches("[0-9a-f]{32}");
  }

  @Test
  void rewriteTarget() throws Exception {
    var echo = echo(http("rewrite.test", "/something/new/page?q=1", Map.of()).body());
    assertThat(echo).containsEntry("backend", "rewrite").containsEntry("uri", "/new/page?q=1");
  }

  @Test
  void proxyBodySize() throws Exception {
    assertThat(post("limits.test", "x".repeat(512)).statusCode()).isEqualTo(200);
    assertThat(post("limits.test", "x".repeat(4096)).statusCode()).isEqualTo(413);
  }

  @Test
  void allowlist() throws Exception {
    assertThat(http("denied.test", "/", Map.of()).statusCode()).isEqualTo(403);
    assertThat(http("allowed.test", "/", Map.of()).statusCode()).isEqualTo(200);
  }

  @Test
  void cookieAffinityKeepsAClientOnOneEndpoint() throws Exception {
    Set<String> withoutCookie = new HashSet<>();
    for (int i = 0; i < 40; i++) {
      withoutCookie.add(echo(http("sticky.test", "/", Map.of()).body()).get("name"));
    }
    assertThat(withoutCookie).as("both endpoints serve clients without the cookie").containsExactlyInAnyOrder("sticky-1", "sticky-2");
    var first = http("sticky.test", "/", Map.of());
    String setCookie = first.headers().firstValue("Set-Cookie").orElseThrow();
    assertThat(setCookie).matches("INGRESSCOOKIE=[0-9a-f]{32}; Path=/; HttpOnly");
    String cookie = setCookie.substring(0, setCookie.indexOf(';'));
    String endpoint = echo(first.body()).get("name");
    for (int i = 0; i < 20; i++) {
      var next = http("sticky.test", "/", Map.of("Cookie", cookie));
      assertThat(echo(next.body()).get("name")).isEqualTo(endpoint);
      assertThat(next.headers().firstValue("Set-Cookie")).isEmpty();
    }
  }

  @Test
  void canaryByHeaderAlwaysAndNeverBeforeCookieAndWeight() throws Exception {
    assertThat(backend("canary-header.test", "/", Map.of("X-Canary", "always"))).isEqualTo("canary");
    assertThat(backend("canary-header.test", "/", Map.of("X-Canary", "never"))).isEqualTo("stable");
    assertThat(backend("canary-header.test", "/", Map.of("X-Canary", "never", "Cookie", "beta=always"))).isEqualTo("stable");
    assertThat(backend("canary-header.test", "/", Map.of("Cookie", "beta=never"))).isEqualTo("stable");
    // neither header nor cookie decides: weight 100 of 100
    assertThat(backend("canary-header.test", "/", Map.of("X-Canary", "maybe"))).isEqualTo("canary");
  }

  @Test
  void canaryByHeaderValueAndPattern() throws Exception {
    assertThat(backend("canary-value.test", "/", Map.of("X-Version", "v2"))).isEqualTo("canary");
    assertThat(backend("canary-value.test", "/", Map.of("X-Version", "V2"))).isEqualTo("stable");
    assertThat(backend("canary-value.test", "/", Map.of())).isEqualTo("stable");
    assertThat(backend("canary-pattern.test", "/", Map.of("X-Version", "beta-42"))).isEqualTo("canary");
    assertThat(backend("canary-pattern.test", "/", Map.of("X-Version", "beta-x"))).isEqualTo("stable");
  }

  @Test
  void canaryByCookie() throws Exception {
    assertThat(backend("canary-cookie.test", "/", Map.of("Cookie", "a=1; beta_user=always"))).isEqualTo("canary");
    assertThat(backend("canary-cookie.test", "/", Map.of("Cookie", "beta_user=never"))).isEqualTo("stable");
    assertThat(backend("canary-cookie.test", "/", Map.of("Cookie", "beta_user=sometimes"))).isEqualTo("stable");
  }

  @Test
  void canaryByWeightTakesItsShare() throws Exception {
    int requests = 400;
    int canary = 0;
    for (int i = 0; i < requests; i++) {
      if (backend("canary-weight.test", "/").equals("canary")) {
        canary++;
      }
    }
    // 30%: mean 120, standard deviation about 9; five of them either side
    assertThat(canary).isBetween(74, 166);
  }

  @Test
  void affinityComesBeforeTheCanaryWeightAndHoldsOnEitherSide() throws Exception {
    Set<String> sides = new HashSet<>();
    for (int client = 0; client < 16; client++) {
      var first = http("canary-sticky.test", "/", Map.of());
      String setCookie = first.headers().firstValue("Set-Cookie").orElseThrow();
      String cookie = setCookie.substring(0, setCookie.indexOf(';'));
      Map<String, String> served = echo(first.body());
      // the cookie says which side served the client: the canary's carry "-canary"
      assertThat(cookie).matches(served.get("backend").equals("canary") ? "INGRESSCOOKIE=[0-9a-f]{32}-canary" : "INGRESSCOOKIE=[0-9a-f]{32}");
      sides.add(served.get("backend"));
      for (int i = 0; i < 5; i++) {
        assertThat(echo(http("canary-sticky.test", "/", Map.of("Cookie", cookie)).body()).get("name")).isEqualTo(served.get("name"));
      }
    }
    // weight 50: both sides get clients (16 fresh clients all on one side: 2 in 65,536)
    assertThat(sides).containsExactlyInAnyOrder("stable", "canary");
  }

  @Test
  void tlsBySniWithTheSecretsCertificatesAndTheDefaultOneForUnknownNames() throws Exception {
    assertThat(servedSubject("secure.test")).contains("CN=secure.test");
    assertThat(servedSubject("other.test")).contains("CN=other.test");
    assertThat(servedSubject("unknown.test")).contains("CN=Kubernetes Ingress Controller Fake Certificate");
    assertThat(curl("-sk", "--resolve", "secure.test:" + httpsPort + ":" + LOOPBACK, "https://secure.test:" + httpsPort + "/x")).contains("backend=secure");
  }

  @Test
  void httpRedirectsToHttpsWith308ForHostsWithTls() throws Exception {
    var response = http("secure.test", "/some/path/", Map.of());
    assertThat(response.statusCode()).isEqualTo(308);
    // as lua_ingress.lua: the host without port, the trailing slash dropped
    assertThat(response.headers().firstValue("Location")).hasValue("https://secure.test/some/path");
    assertThat(http("routing.test", "/app", Map.of()).statusCode()).isEqualTo(200);
  }

  @Test
  void hstsOnHttps() throws Exception {
    String headers = curl("-sk", "-D", "-", "-o", "/dev/null", "--resolve", "secure.test:" + httpsPort + ":" + LOOPBACK, "https://secure.test:" + httpsPort + "/");
    assertThat(headers).contains("Strict-Transport-Security: max-age=31536000; includeSubDomains");
  }

  @Test
  void nginxTakesTheConfigurationOfAThousandIngresses() throws Exception {
    List<Ingress> ingresses = new ArrayList<>();
    List<Service> services = new ArrayList<>();
    List<EndpointSlice> slices = new ArrayList<>();
    List<Secret> secrets = new ArrayList<>();
    var certificate = DefaultCertificate.selfSigned("CN=*.example.com", "*.example.com");
    secrets.add(tlsSecret("wildcard", certificate.certificate(), certificate.key()));
    for (int i = 0; i < 1000; i++) {
      String host = "host-" + i + ".example.com";
      TestIngress main = ingress("ing-" + i).created(i).rule(host, path("/", "Prefix", "svc-" + i, 80), path("/api", "Exact", "svc-" + i, 80));
      if (i % 10 == 0) {
        main.tls("wildcard", host).annotation("affinity", "cookie");
      }
      ingresses.add(main.build());
      if (i % 5 == 0) {
        ingresses.add(ingress("canary-" + i).created(i).annotation("canary", "true").annotation("canary-weight", "10")
            .annotation("canary-by-header", "X-Canary").rule(host, path("/", "Prefix", "svc-" + i + "-v2", 80)).build());
        services.add(service("svc-" + i + "-v2", 80, 8080));
        slices.add(slice("svc-" + i + "-v2", 8080, "10.3." + (i / 250) + "." + (i % 250 + 1)));
      }
      services.add(service("svc-" + i, 80, 8080));
      slices.add(slice("svc-" + i, 8080, "10.1." + (i / 250) + "." + (i % 250 + 1), "10.2." + (i / 250) + "." + (i % 250 + 1)));
    }
    Path dir = Files.createTempDirectory("nginx-1000-it");
    temporary.add(dir);
    ControllerSettings settings = Fixtures.settings(dir, LOOPBACK, freePort(), freePort(), freePort());
    DefaultCertificate.Pem pair = DefaultCertificate.generate();
    Files.write(settings.defaultCertificate(), pair.certificate());
    Files.write(settings.defaultKey(), pair.key());
    RenderedConfig big =
        NginxConfigRenderer.render(new ClusterState(ingresses, List.of(Fixtures.ingressClass("nginx", Fixtures.CONTROLLER)), services, slices, secrets), settings);
    assertThat(big.events()).isEmpty();
    write(dir, big);
    Process test = start(dir, "-t");
    assertThat(test.waitFor(60, TimeUnit.SECONDS)).isTrue();
    assertThat(test.exitValue()).as(Files.readString(dir.resolve("nginx.stderr"))).isZero();
  }

  // ---- helpers

  private static void write(Path dir, RenderedConfig rendered) throws IOException {
    Files.writeString(dir.resolve("nginx.conf"), rendered.nginxConf());
    for (Map.Entry<String, byte[]> file : rendered.files().entrySet()) {
      Path target = dir.resolve(file.getKey());
      Files.createDirectories(target.getParent());
      Files.write(target, file.getValue());
    }
  }

  /** nginx as this user on the directory's nginx.conf; fails the test when there is no nginx. */
  private static Process start(Path dir, String... arguments) throws IOException {
    String binary = nginxBinary();
    List<String> command = new ArrayList<>(List.of(binary, "-e", "stderr", "-p", dir.toString(), "-c", dir.resolve("nginx.conf").toString()));
    command.addAll(List.of(arguments));
    return new ProcessBuilder(command)
        .redirectOutput(ProcessBuilder.Redirect.DISCARD)
        .redirectError(dir.resolve("nginx.stderr").toFile())
        .start();
  }

  private static String nginxBinary() {
    for (String candidate : List.of("/usr/sbin/nginx", "/usr/local/sbin/nginx", "/usr/bin/nginx")) {
      if (Files.isExecutable(Path.of(candidate))) {
        return candidate;
      }
    }
    for (String dir : System.getenv().getOrDefault("PATH", "").split(":")) {
      if (!dir.isEmpty() && Files.isExecutable(Path.of(dir, "nginx"))) {
        return Path.of(dir, "nginx").toString();
      }
    }
    return fail("no nginx binary: scripts/ensure-nginx.sh installs Debian's");
  }

  private static void startBackend(String service, String name) throws IOException {
    HttpServer server = HttpServer.create(new InetSocketAddress(InetAddress.getByName(LOOPBACK), 0), 0);
    server.createContext("/", exchange -> {
      exchange.getRequestBody().readAllBytes();
      StringBuilder body = new StringBuilder();
      body.append("backend=").append(service).append('\n').append("name=").append(name).append('\n');
      body.append("uri=").append(exchange.getRequestURI()).append('\n');
      exchange.getRequestHeaders().forEach((header, values) -> body.append(header.toLowerCase()).append('=').append(values.get(0)).append('\n'));
      byte[] bytes = body.toString().getBytes(StandardCharsets.UTF_8);
      exchange.sendResponseHeaders(200, bytes.length);
      exchange.getResponseBody().write(bytes);
      exchange.close();
    });
    server.start();
    backends.add(server);
    backendPorts.computeIfAbsent(service, s -> new ArrayList<>()).add(server.getAddress().getPort());
  }

  /** EndpointSlices of a Service whose endpoints all have 127.0.0.1, each on its own port (one slice per port). */
  private static List<EndpointSlice> loopbackSlices(String service, List<Integer> ports) {
    List<EndpointSlice> result = new ArrayList<>();
    for (int i = 0; i < ports.size(); i++) {
      EndpointSlice slice = slice(service, ports.get(i), LOOPBACK);
      slice.getMetadata().setName(service + "-" + i);
      result.add(slice);
    }
    return result;
  }

  private static int freePort() throws IOException {
    try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getByName(LOOPBACK))) {
      return socket.getLocalPort();
    }
  }

  private static HttpResponse<String> http(String host, String path, Map<String, String> headers) throws Exception {
    return get("http://" + LOOPBACK + ":" + httpPort + path, host, headers);
  }

  private static HttpResponse<String> get(String url, String host, Map<String, String> headers) throws IOException {
    HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(10));
    if (host != null) {
      request.header("Host", host);
    }
    headers.forEach(request::header);
    try {
      return client.send(request.build(), HttpResponse.BodyHandlers.ofString());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IOException(e);
    }
  }

  private static HttpResponse<String> post(String host, String body) throws Exception {
    HttpRequest request =
        HttpRequest.newBuilder(URI.create("http://" + LOOPBACK + ":" + httpPort + "/upload")).header("Host", host)
            .POST(HttpRequest.BodyPublishers.ofString(body)).build();
    return client.send(request, HttpResponse.BodyHandlers.ofString());
  }

  private static String backend(String host, String path) throws Exception {
    return backend(host, path, Map.of());
  }

  private static String backend(String host, String path, Map<String, String> headers) throws Exception {
    var response = http(host, path, headers);
    assertThat(response.statusCode()).as(host + path).isEqualTo(200);
    return echo(response.body()).get("backend");
  }

  private static Map<String, String> echo(String body) {
    Map<String, String> fields = new HashMap<>();
    for (String line : body.split("\n")) {
      int eq = line.indexOf('=');
      if (eq > 0) {
        fields.put(line.substring(0, eq), line.substring(eq + 1));
      }
    }
    return fields;
  }

  /** The subject of the certificate nginx serves for a name (SNI), as curl -v shows it. */
  private static String servedSubject(String name) throws Exception {
    String verbose = curl("-skv", "-o", "/dev/null", "--resolve", name + ":" + httpsPort + ":" + LOOPBACK, "https://" + name + ":" + httpsPort + "/");
    return verbose.lines().filter(line -> line.contains("subject:")).findFirst().orElse(verbose);
  }

  private static String curl(String... arguments) throws Exception {
    List<String> command = new ArrayList<>(List.of("curl", "--http1.1", "--max-time", "10"));
    command.addAll(List.of(arguments));
    Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
    String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(process.waitFor(20, TimeUnit.SECONDS)).isTrue();
    return output;
  }
}
