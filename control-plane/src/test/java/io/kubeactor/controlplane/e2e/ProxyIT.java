package io.kubeactor.controlplane.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.kubeactor.common.cluster.AgentEndpoint;
import io.kubeactor.controlplane.ControlPlane;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.WebSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.pekko.http.javadsl.Http;
import org.apache.pekko.http.javadsl.ServerBinding;
import org.apache.pekko.http.javadsl.model.AttributeKeys;
import org.apache.pekko.http.javadsl.model.ContentTypes;
import org.apache.pekko.http.javadsl.model.HttpHeader;
import org.apache.pekko.http.javadsl.model.headers.RawHeader;
import org.apache.pekko.http.javadsl.model.ws.Message;
import org.apache.pekko.http.javadsl.model.ws.TextMessage;
import org.apache.pekko.stream.Materializer;
import org.apache.pekko.stream.javadsl.Flow;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * pods/proxy, services/proxy and nodes/proxy with the real kubectl (get --raw, and kubectl proxy for
 * other methods, bodies, headers, redirects and a WebSocket), to a backend on 127.0.0.1 (and on the host's Docker bridge address, for Services) that answers
 * with what it was sent. Services are resolved through EndpointSlices created here.
 */
class ProxyIT {

  static TestCluster cluster;
  static ServerBinding backend;
  static ServerBinding bridgeBackend;
  static ServerBinding agentBackend;
  static String bridgeAddress;
  static ServerBinding proxied;
  static Path kubeconfig;
  static Path dir;
  static int port;
  static Process kubectlProxy;
  static String viaKubectlProxy;
  static final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

  @BeforeAll
  static void start() throws Exception {
    dir = Files.createTempDirectory("kubeactor-proxy-subresources");
    cluster = TestCluster.start(dir, Map.of());
    ControlPlane cp = cluster.controlPlane();
    Materializer mat = Materializer.matFromSystem(cp.system());
    backend = Http.get(cp.system()).newServerAt("127.0.0.1", 0).bind(
        (org.apache.pekko.japi.function.Function<org.apache.pekko.http.javadsl.model.HttpRequest,
            CompletionStage<org.apache.pekko.http.javadsl.model.HttpResponse>>) r -> answer(r, mat))
        .toCompletableFuture().get(10, TimeUnit.SECONDS);
    port = backend.localAddress().getPort();
    // Services' endpoints may not be loopback addresses: the same backend also listens on a host address
    bridgeAddress = TestCluster.dockerBridgeAddress();
    bridgeBackend = Http.get(cp.system()).newServerAt(bridgeAddress, port).bind(
        (org.apache.pekko.japi.function.Function<org.apache.pekko.http.javadsl.model.HttpRequest,
            CompletionStage<org.apache.pekko.http.javadsl.model.HttpResponse>>) r -> answer(r, mat))
        .toCompletableFuture().get(10, TimeUnit.SECONDS);
    // the backend plays the node's agent too, over the agents' TLS with node-1's certificate
    agentBackend = Http.get(cp.system()).newServerAt("127.0.0.1", 0)
        .enableHttps(TestAgentTls.agentServer(cp.certificates(), "node-1")).bind(
        (org.apache.pekko.japi.function.Function<org.apache.pekko.http.javadsl.model.HttpRequest,
            CompletionStage<org.apache.pekko.http.javadsl.model.HttpResponse>>) r -> answer(r, mat))
        .toCompletableFuture().get(10, TimeUnit.SECONDS);
    AgentEndpoint agent = new AgentEndpoint("127.0.0.1", agentBackend.localAddress().getPort());
    proxied = cluster.apiServerWithAgent("node-1", agent, true);
    kubeconfig = dir.resolve("proxied-kubeconfig");
    Files.writeString(kubeconfig, TestCluster.kubeconfig(cp, proxied.localAddress().getPort(), "px"));
    kubectl("create", "namespace", "px").outOrFail();
    TestCluster.kubectl(kubeconfig, dir, """
        apiVersion: v1
        kind: Node
        metadata: {name: node-1}
        ---
        apiVersion: v1
        kind: Pod
        metadata: {name: web, labels: {app: web}}
        spec:
          nodeName: node-1
          containers: [{name: main, image: nginx, ports: [{containerPort: %d}]}]
        ---
        apiVersion: v1
        kind: Service
        metadata: {name: web}
        spec:
          ports: [{name: http, port: 80, targetPort: %d}, {name: closed, port: 81, targetPort: 1}]
        ---
        apiVersion: discovery.k8s.io/v1
        kind: EndpointSlice
        metadata: {name: web-abcde, labels: {kubernetes.io/service-name: web}}
        addressType: IPv4
        endpoints: [{addresses: [%s], conditions: {ready: true}}]
        ports: [{name: http, port: %d, protocol: TCP}, {name: closed, port: 1, protocol: TCP}]
        ---
        apiVersion: v1
        kind: Service
        metadata: {name: empty}
        spec:
          selector: {app: none}
          ports: [{port: 80}]
        """.formatted(port, port, bridgeAddress, port), "apply", "-f", "-").outOrFail();
    kubectl("patch", "pod", "web", "--subresource=status", "--type=merge", "-p",
        "{\"status\":{\"phase\":\"Running\",\"podIP\":\"127.0.0.1\",\"podIPs\":[{\"ip\":\"127.0.0.1\"}]}}").outOrFail();

    // kubectl proxy: the client side of the same API
    Path out = dir.resolve("kubectl-proxy.txt");
    ProcessBuilder pb = new ProcessBuilder("kubectl", "--kubeconfig", kubeconfig.toString(), "proxy", "--port=0",
        "--address=127.0.0.1").redirectErrorStream(true).redirectOutput(out.toFile());
    pb.environment().put("HOME", dir.toString());
    kubectlProxy = pb.start();
    Pattern serving = Pattern.compile("Starting to serve on 127\\.0\\.0\\.1:(\\d+)");
    await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
      Matcher m = serving.matcher(Files.readString(out));
      assertThat(m.find()).isTrue();
      viaKubectlProxy = "http://127.0.0.1:" + m.group(1);
    });
  }

  /** The backend: a WebSocket echo on /ws, a redirect on /redirect, otherwise what it was sent, as text. */
  static CompletionStage<org.apache.pekko.http.javadsl.model.HttpResponse> answer(
      org.apache.pekko.http.javadsl.model.HttpRequest r, Materializer mat) {
    var upgrade = r.getAttribute(AttributeKeys.webSocketUpgrade);
    if (upgrade.isPresent()) {
      Flow<Message, Message, ?> echo = Flow.<Message>create().map(m -> (Message) TextMessage.create(
          "echo: " + m.asTextMessage().getStrictText()));
      return CompletableFuture.completedFuture(upgrade.get().handleMessagesWith(echo));
    }
    if (r.getUri().path().equals("/page")) {
      return CompletableFuture.completedFuture(org.apache.pekko.http.javadsl.model.HttpResponse.create().withEntity(
          ContentTypes.TEXT_HTML_UTF8, "<html><body><a href=\"/docs/\">docs</a> <a href=\"https://example.org/x\">out</a>"
              + "<img src='/logo.png'><script>location = '/not-rewritten';</script></body></html>"));
    }
    if (r.getUri().path().equals("/redirect")) {
      return CompletableFuture.completedFuture(org.apache.pekko.http.javadsl.model.HttpResponse.create().withStatus(302)
          .addHeader(RawHeader.create("Location", "/login?next=%2Fredirect")));
    }
    return r.entity().toStrict(10_000, mat).thenApply(body -> {
      StringBuilder text = new StringBuilder(r.method().value() + " " + r.getUri().path()
          + r.getUri().rawQueryString().map(q -> "?" + q).orElse("") + "\n");
      for (String h : new String[] {"authorization", "x-test", "x-forwarded-uri", "x-forwarded-for"}) {
        text.append(h).append(": ").append(r.getHeader(h).map(HttpHeader::value).orElse("-")).append("\n");
      }
      text.append("body: ").append(body.getData().utf8String()).append("\n");
      return org.apache.pekko.http.javadsl.model.HttpResponse.create()
          .addHeader(RawHeader.create("Access-Control-Allow-Origin", "*"))
          .addHeader(RawHeader.create("X-Backend", "yes"))
          .withEntity(ContentTypes.TEXT_PLAIN_UTF8, text.toString());
    });
  }

  @AfterAll
  static void stop() throws Exception {
    if (kubectlProxy != null) {
      kubectlProxy.destroyForcibly();
      kubectlProxy.waitFor(10, TimeUnit.SECONDS);
    }
    if (cluster != null) cluster.close();
  }

  static TestCluster.Result kubectl(String... args) {
    return TestCluster.kubectl(kubeconfig, dir, null, args);
  }

  @Test
  void podProxyReachesThePodsPortWithPathAndQuery() {
    String out = kubectl("get", "--raw", "/api/v1/namespaces/px/pods/web:" + port + "/proxy/some/path?a=1&b=two").outOrFail();
    assertThat(out).startsWith("GET /some/path?a=1&b=two\n")
        // the client's credentials stay with the API server
        .contains("authorization: -\n")
        .contains("x-forwarded-uri: /api/v1/namespaces/px/pods/web:" + port + "/proxy/some/path\n");
    // no port: the pod's first declared one; a trailing slash is kept
    assertThat(kubectl("get", "--raw", "/api/v1/namespaces/px/pods/web/proxy/dir/").outOrFail()).startsWith("GET /dir/\n");
    assertThat(kubectl("get", "--raw", "/api/v1/namespaces/px/pods/http:web:" + port + "/proxy/").outOrFail())
        .startsWith("GET /\n");
  }

  @Test
  void serviceProxyGoesToAReadyEndpointByPortNumberOrName() {
    assertThat(kubectl("get", "--raw", "/api/v1/namespaces/px/services/web:80/proxy/by-number").outOrFail())
        .startsWith("GET /by-number\n");
    assertThat(kubectl("get", "--raw", "/api/v1/namespaces/px/services/web:http/proxy/by-name").outOrFail())
        .startsWith("GET /by-name\n");
  }

  @Test
  void proxyErrorsAreUpstreams() {
    assertThat(kubectl("get", "--raw", "/api/v1/namespaces/px/services/empty/proxy/").err())
        .isEqualTo("Error from server (ServiceUnavailable): no endpoints available for service \"empty\"\n");
    assertThat(kubectl("get", "--raw", "/api/v1/namespaces/px/services/web:82/proxy/").err())
        .isEqualTo("Error from server (ServiceUnavailable): no service port 82 found for service \"web\"\n");
    assertThat(kubectl("get", "--raw", "/api/v1/namespaces/px/services/web:81/proxy/").err())
        .isEqualTo("Error from server (ServiceUnavailable): error trying to reach service: dial tcp " + bridgeAddress + ":1: "
            + "connect: connection refused\n");
    assertThat(kubectl("get", "--raw", "/api/v1/namespaces/px/services/nope/proxy/").err())
        .isEqualTo("Error from server (NotFound): services \"nope\" not found\n");
    assertThat(kubectl("get", "--raw", "/api/v1/namespaces/px/pods/ftp:web:21/proxy/").err())
        .isEqualTo("Error from server (BadRequest): invalid pod request \"ftp:web:21\"\n");
  }

  @Test
  void nodeProxyReachesTheNodesAgentOverItsTlsWithoutTheClientsCredential() {
    // the agent let the API server in by its certificate; the user's token stays with the API server
    assertThat(kubectl("get", "--raw", "/api/v1/nodes/node-1/proxy/healthz").outOrFail())
        .startsWith("GET /healthz\n").contains("authorization: -\n");
  }

  @Test
  void kubectlProxyCarriesEveryMethodBodiesHeadersAndRedirects() throws Exception {
    String base = viaKubectlProxy + "/api/v1/namespaces/px/services/web:80/proxy";
    HttpResponse<String> post = http.send(HttpRequest.newBuilder(URI.create(base + "/submit?x=y"))
        .header("X-Test", "kept").POST(HttpRequest.BodyPublishers.ofString("the body")).build(),
        HttpResponse.BodyHandlers.ofString());
    assertThat(post.statusCode()).isEqualTo(200);
    assertThat(post.body()).startsWith("POST /submit?x=y\n").contains("x-test: kept\n").contains("body: the body\n")
        .contains("x-forwarded-for: 127.0.0.1");
    assertThat(post.headers().firstValue("X-Backend")).contains("yes");
    assertThat(post.headers().firstValue("Access-Control-Allow-Origin")).isEmpty();
    for (String method : new String[] {"PUT", "PATCH", "DELETE"}) {
      HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create(base + "/m"))
          .method(method, HttpRequest.BodyPublishers.ofString(method.toLowerCase())).build(), HttpResponse.BodyHandlers.ofString());
      assertThat(r.body()).startsWith(method + " /m\n").contains("body: " + method.toLowerCase() + "\n");
    }
    // a redirect comes back through the proxy
    HttpResponse<String> redirect = http.send(HttpRequest.newBuilder(URI.create(base + "/redirect")).build(),
        HttpResponse.BodyHandlers.ofString());
    assertThat(redirect.statusCode()).isEqualTo(302);
    assertThat(redirect.headers().firstValue("Location"))
        .contains("/api/v1/namespaces/px/services/web:80/proxy/login?next=%2Fredirect");
    // the proxy's root without its slash is sent there
    HttpResponse<String> root = http.send(HttpRequest.newBuilder(URI.create(base + "?q=1")).build(),
        HttpResponse.BodyHandlers.ofString());
    assertThat(root.statusCode()).isEqualTo(301);
    assertThat(root.headers().firstValue("Location")).contains("/api/v1/namespaces/px/services/web:80/proxy/?q=1");
  }

  @Test
  void anHtmlPagesLinksComeBackThroughTheProxy() {
    String prefix = "/api/v1/namespaces/px/services/web:80/proxy";
    assertThat(kubectl("get", "--raw", prefix + "/page").outOrFail()).isEqualTo("<html><body><a href=\"" + prefix
        + "/docs/\">docs</a> <a href=\"https://example.org/x\">out</a><img src='" + prefix + "/logo.png'>"
        + "<script>location = '/not-rewritten';</script></body></html>");
  }

  @Test
  void aWebSocketPassesThrough() throws Exception {
    CompletableFuture<String> received = new CompletableFuture<>();
    WebSocket ws = http.newWebSocketBuilder().buildAsync(URI.create(viaKubectlProxy.replace("http:", "ws:")
        + "/api/v1/namespaces/px/pods/web/proxy/ws"), new WebSocket.Listener() {
          @Override
          public CompletionStage<?> onText(WebSocket webSocket, CharSequence data, boolean last) {
            received.complete(data.toString());
            return null;
          }
        }).get(20, TimeUnit.SECONDS);
    ws.sendText("hello", true).get(10, TimeUnit.SECONDS);
    assertThat(received.get(20, TimeUnit.SECONDS)).isEqualTo("echo: hello");
    ws.sendClose(WebSocket.NORMAL_CLOSURE, "").get(10, TimeUnit.SECONDS);
  }

  @Test
  void theSubresourcesAreInDiscovery() {
    String resources = kubectl("get", "--raw", "/api/v1").outOrFail();
    assertThat(resources).contains("{\"name\":\"pods/portforward\",\"singularName\":\"\",\"namespaced\":true,"
        + "\"kind\":\"PodPortForwardOptions\",\"verbs\":[\"create\",\"get\"]}");
    assertThat(resources).contains("\"name\":\"pods/proxy\"").contains("\"kind\":\"PodProxyOptions\"")
        .contains("\"name\":\"services/proxy\"").contains("\"kind\":\"ServiceProxyOptions\"")
        .contains("\"name\":\"nodes/proxy\"").contains("\"kind\":\"NodeProxyOptions\"");
    new String(new byte[0], StandardCharsets.UTF_8);
  }
}
