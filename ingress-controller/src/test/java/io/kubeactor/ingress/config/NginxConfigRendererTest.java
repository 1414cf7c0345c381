package io.kubeactor.ingress.config;

import static io.kubeactor.ingress.config.Fixtures.NS;
import static io.kubeactor.ingress.config.Fixtures.ingress;
import static io.kubeactor.ingress.config.Fixtures.path;
import static io.kubeactor.ingress.config.Fixtures.render;
import static io.kubeactor.ingress.config.Fixtures.service;
import static io.kubeactor.ingress.config.Fixtures.slice;
import static io.kubeactor.ingress.config.Fixtures.tlsSecret;
import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.discovery.v1.EndpointSlice;
import io.fabric8.kubernetes.api.model.networking.v1.Ingress;
import io.kubeactor.ingress.config.Fixtures.TestIngress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

class NginxConfigRendererTest {

  private static final List<Service> SERVICES = List.of(service("app", 80, 8080), service("v2", 80, 8080), service("empty", 80, 8080));
  private static final List<EndpointSlice> SLICES = List.of(slice("app", 8080, "10.0.0.1", "10.0.0.2"), slice("v2", 8080, "10.0.1.1"));

  private static RenderedConfig render(TestIngress... ingresses) {
    return Fixtures.render(List.of(ingresses), SERVICES, SLICES, List.of());
  }

  /** The text of one server block. */
  private static String server(RenderedConfig config, String host) {
    String text = config.nginxConf();
    int start = text.indexOf("## start server " + host + "\n");
    assertThat(start).as("server " + host).isNotNegative();
    return text.substring(start, text.indexOf("## end server " + host + "\n", start));
  }

  private static String served(RenderedConfig config) {
    return String.join(",", config.served().stream().map(i -> i.getMetadata().getName()).toList());
  }

  @Test
  void servesItsClassTheLegacyAnnotationAndClasslessOnlyWhenAsked() {
    var config =
        render(
            ingress("ours").rule("a.com", path("/", "Prefix", "app", 80)),
            ingress("theirs").className("traefik").rule("b.com", path("/", "Prefix", "app", 80)),
            ingress("legacy").className(null).annotation("kubernetes.io/ingress.class", "nginx").rule("c.com", path("/", "Prefix", "app", 80)),
            ingress("legacy-other").className(null).annotation("kubernetes.io/ingress.class", "haproxy").rule("d.com", path("/", "Prefix", "app", 80)),
            ingress("classless").className(null).rule("e.com", path("/", "Prefix", "app", 80)));
    assertThat(served(config)).isEqualTo("ours,legacy");
    assertThat(config.nginxConf()).contains("## start server a.com", "## start server c.com").doesNotContain("b.com", "d.com", "e.com");

    var settings = Fixtures.settings();
    var withoutClass =
        new ControllerSettings(
            settings.ingressClass(), settings.controllerClass(), true, null, null, 80, 443, 10254, settings.runDirectory(),
            settings.defaultCertificate(), settings.defaultKey());
    var state = Fixtures.state(List.of(ingress("classless").className(null).rule("e.com", path("/", "Prefix", "app", 80))), SERVICES, SLICES, List.of());
    assertThat(NginxConfigRenderer.render(state, withoutClass).served()).hasSize(1);
  }

  @Test
  void anIngressClassOfAnotherControllerIsNotOurs() {
    var state =
        new ClusterState(
            List.of(ingress("x").className("other").rule("a.com", path("/", "Prefix", "app", 80)).build()),
            List.of(Fixtures.ingressClass("other", "example.com/other")),
            SERVICES, SLICES, List.of());
    assertThat(NginxConfigRenderer.render(state, Fixtures.settings()).served()).isEmpty();
  }

  @Test
  void oneServerPerHostMergedAcrossIngressesWithUpstreamsFromReadyEndpoints() {
    var config =
        render(
            ingress("one").created(1).rule("shop.com", path("/cart", "Prefix", "app", 80)),
            ingress("two").created(2).rule("shop.com", path("/api", "Exact", "v2", 80)).rule("*.shop.com", path("/", "Prefix", "app", 80)));
    String shop = server(config, "shop.com");
    assertThat(shop).contains("location \"/cart/\" {", "location = \"/cart\" {", "location = \"/api\" {");
    assertThat(shop).contains("set $proxy_upstream_name \"default-app-80\";", "set $proxy_upstream_name \"default-v2-80\";");
    assertThat(server(config, "*.shop.com")).contains("server_name \"~^(?<subdomain>[\\\\w-]+)\\\\.shop\\\\.com$\";");
    assertThat(config.nginxConf())
        .contains("upstream default-app-80 {\n        server 10.0.0.1:8080 max_fails=0;\n        server 10.0.0.2:8080 max_fails=0;\n")
        .contains("upstream default-v2-80 {\n        server 10.0.1.1:8080 max_fails=0;\n");
    assertThat(config.events()).isEmpty();
  }

  @Test
  void notReadyEndpointsAreLeftOut() {
    var config =
        Fixtures.render(
            List.of(ingress("one").rule("a.com", path("/", "Prefix", "app", 80))),
            SERVICES, List.of(slice("app", 8080, List.of("10.0.0.1"), List.of("10.0.0.9"))), List.of());
    assertThat(config.nginxConf()).contains("server 10.0.0.1:8080").doesNotContain("10.0.0.9");
  }

  @Test
  void onTheSameHostPathAndTypeTheOldestIngressWins() {
    var older = ingress("older").created(1).rule("a.com", path("/x", "Prefix", "app", 80));
    var newer = ingress("newer").created(2).rule("a.com", path("/x", "Prefix", "v2", 80), path("/x", "Exact", "v2", 80));
    String a = server(render(newer, older), "a.com");
    assertThat(a).contains("# Ingress default/older, path /x (Prefix)", "# Ingress default/newer, path /x (Exact)");
    assertThat(a.indexOf("location \"/x/\"")).isLessThan(a.indexOf("default-app-80"));
    assertThat(a).doesNotContain("# Ingress default/newer, path /x (Prefix)");

    // at the same time, as upstream's sortIngressSlice: the greater namespace/name first
    var b = ingress("b").created(5).rule("b.com", path("/", "Prefix", "app", 80));
    var c = ingress("c").created(5).rule("b.com", path("/", "Prefix", "v2", 80));
    assertThat(server(render(b, c), "b.com")).contains("default-v2-80").doesNotContain("default-app-80");
  }

  @Test
  void unknownHostsAndPathsGetTheDefaultBackendsNotFound() {
    var config = render(ingress("one").rule("a.com", path("/app", "Prefix", "app", 80)));
    String catchAll = server(config, "_");
    assertThat(catchAll).contains("listen 80 default_server reuseport;", "listen 443 default_server reuseport ssl http2;", "return 404;");
    // a.com's root location: the default backend
    assertThat(server(config, "a.com")).contains("location \"/\" {\n            set $proxy_upstream_name \"upstream-default-backend\";");
  }

  @Test
  void anIngressDefaultBackendServesItsHostsRootAndWithoutRulesTheCatchAll() {
    var config =
        render(
            ingress("fallback").created(1).defaultBackend("v2", 80),
            ingress("later").created(2).defaultBackend("app", 80),
            ingress("site").created(3).defaultBackend("app", 80).rule("a.com", path("/x", "Prefix", "v2", 80)));
    assertThat(server(config, "_")).contains("default-v2-80").doesNotContain("default-app-80");
    assertThat(server(config, "a.com")).contains("location \"/\" {\n            # defaultBackend of Ingress default/site\n            set $proxy_upstream_name \"default-app-80\";");
  }

  @Test
  void noReadyEndpointOrAMissingServiceIs503AndAMissingServiceAWarning() {
    var config = render(ingress("one").rule("a.com", path("/e", "Prefix", "empty", 80), path("/m", "Prefix", "missing", 80)));
    String a = server(config, "a.com");
    assertThat(a).contains("set $proxy_upstream_name \"default-empty-80\";\n            return 503;");
    assertThat(a).contains("set $proxy_upstream_name \"default-missing-80\";\n            return 503;");
    assertThat(config.nginxConf()).doesNotContain("upstream default-empty-80", "upstream default-missing-80");
    assertThat(config.events())
        .containsExactly(
            new IngressEvent(NS, "one", "Warning", "ServiceNotFound",
                "Error obtaining Endpoints for Service \"default/missing\": no object matching key \"default/missing\" in local store"));
  }

  @Test
  void rewriteTargetPutsTheWholeHostInRegexMode() {
    var config =
        render(
            ingress("rw").created(1).annotation("rewrite-target", "/$2").rule("a.com", path("/something(/|$)(.*)", "ImplementationSpecific", "app", 80)),
            ingress("plain").created(2).rule("a.com", path("/other", "Prefix", "v2", 80)));
    String a = server(config, "a.com");
    assertThat(a).contains("location ~* \"^/something(/|$)(.*)\" {", "rewrite \"(?i)/something(/|$)(.*)\" /$2 break;");
    assertThat(a).contains("location ~* \"^/other/\" {", "location ~* \"^/other\" {", "location ~* \"^/\" {");
    // longest first: nginx takes the first regular expression that matches
    assertThat(a.indexOf("^/other/")).isLessThan(a.indexOf("\"^/other\""));
    assertThat(a.indexOf("\"^/other\"")).isLessThan(a.indexOf("\"^/\""));
  }

  @Test
  void annotationsBecomeLocationDirectives() {
    var config =
        render(
            ingress("one")
                .annotation("proxy-body-size", "2k")
                .annotation("proxy-read-timeout", "3")
                .annotation("whitelist-source-range", "127.0.0.1/32")
                .annotation("backend-protocol", "GRPC")
                .rule("a.com", path("/", "Prefix", "app", 80)));
    String a = server(config, "a.com");
    assertThat(a).contains("client_max_body_size 2k;", "grpc_read_timeout 3s;", "proxy_read_timeout 3s;", "allow 127.0.0.1/32;\n            deny all;", "grpc_pass grpc://$proxy_upstream_name;");
  }

  @Test
  void badAnnotationsAreWarningsAndTheRestIsServed() {
    var config = render(ingress("one").annotation("proxy-body-size", "huge").rule("a.com", path("/", "Prefix", "app", 80)));
    assertThat(server(config, "a.com")).contains("proxy_pass http://$proxy_upstream_name;").doesNotContain("client_max_body_size");
    assertThat(config.nginxConf()).contains("    client_max_body_size 1m;\n");
    assertThat(config.events())
        .containsExactly(new IngressEvent(NS, "one", "Warning", "InvalidAnnotation", "annotation nginx.ingress.kubernetes.io/proxy-body-size contains invalid value huge"));
  }

  @Test
  void aPathThatDoesNotParseIsAWarningAndLeftOut() {
    var config = render(ingress("one").rule("a.com", path("/ok", "Prefix", "app", 80), path("/bad path", "Prefix", "app", 80)));
    assertThat(server(config, "a.com")).contains("\"/ok/\"").doesNotContain("bad path");
    assertThat(config.events())
        .extracting(IngressEvent::message)
        .containsExactly("ingress contains invalid paths: path /bad path cannot be used with pathType Prefix");
  }

  @Test
  void aPathThatIsNoRegularExpressionIsLeftOutOfAHostInRegexMode() {
    var config =
        render(
            ingress("regex").created(1).annotation("use-regex", "true").rule("a.com", path("/v[0-9]+/api", "ImplementationSpecific", "app", 80)),
            ingress("literal").created(2).rule("a.com", path("/odd(", "ImplementationSpecific", "v2", 80), path("/fine", "Prefix", "v2", 80)));
    String a = server(config, "a.com");
    assertThat(a).contains("location ~* \"^/v[0-9]+/api\" {", "location ~* \"^/fine/\" {").doesNotContain("/odd(");
    assertThat(config.events())
        .extracting(IngressEvent::name, IngressEvent::reason)
        .containsExactly(org.assertj.core.groups.Tuple.tuple("literal", "InvalidPath"));
  }

  @Test
  void forceSslRedirectWithoutTlsAndNeverForAcmeChallenges() {
    var config =
        render(
            ingress("forced").annotation("force-ssl-redirect", "true")
                .rule("a.com", path("/", "Prefix", "app", 80), path("/.well-known/acme-challenge", "ImplementationSpecific", "v2", 80)));
    String a = server(config, "a.com");
    // one redirect: in "/"; none in the two locations of the challenges' path
    assertThat(a.split("return 308", -1)).as("redirects").hasSize(2);
    assertThat(a.substring(a.indexOf("location \"/\" {"))).contains("return 308 https://$host$redirect_uri;");
  }

  @Test
  void canaryMapsInBalancerLuasOrder() {
    var config =
        render(
            ingress("main").created(1).rule("a.com", path("/", "Prefix", "app", 80)),
            ingress("canary").created(2)
                .annotation("canary", "true")
                .annotation("canary-by-header", "X-Canary")
                .annotation("canary-by-cookie", "beta")
                .annotation("canary-weight", "1")
                .annotation("canary-weight-total", "300")
                .rule("a.com", path("/", "Prefix", "v2", 80)));
    String conf = config.nginxConf();
    assertThat(conf).contains("map $http_x_canary $canary_0_header {\n        \"~^always$\" \"default-v2-80\";\n        \"~^never$\" \"default-app-80\";");
    assertThat(conf).contains("map $http_cookie $canary_0_cookie {");
    assertThat(conf).contains("split_clients \"$request_id\" $canary_0_weight {\n        0.33% \"default-v2-80\";\n        * \"default-app-80\";");
    assertThat(conf).contains("map \"$canary_0_header|$canary_0_cookie|$canary_0_weight\" $canary_0 {");
    assertThat(server(config, "a.com")).contains("proxy_pass http://$canary_0;").doesNotContain("Ingress default/canary");
    assertThat(config.served()).hasSize(2);
    assertThat(config.events()).isEmpty();
  }

  @Test
  void aCanaryWithoutAMainIngressForItsHostAndPathDoesNothing() {
    var config =
        render(
            ingress("main").created(1).rule("a.com", path("/", "Prefix", "app", 80)),
            ingress("lost").created(2).annotation("canary", "true").annotation("canary-weight", "50").rule("a.com", path("/other", "Prefix", "v2", 80)),
            ingress("nohost").created(3).annotation("canary", "true").annotation("canary-weight", "50").rule("b.com", path("/", "Prefix", "v2", 80)));
    assertThat(config.nginxConf()).doesNotContain("canary_0", "upstream default-v2-80", "b.com");
    assertThat(config.events())
        .extracting(IngressEvent::message)
        .containsExactly(
            "unable to find real backend for alternative backend default-v2-80. Deleting.",
            "cannot merge alternative backend default-v2-80 into hostname b.com that does not exist");
  }

  @Test
  void aCanaryWithoutReadyEndpointsLeavesThePrimaryServing() {
    var config =
        render(
            ingress("main").created(1).rule("a.com", path("/", "Prefix", "app", 80)),
            ingress("canary").created(2).annotation("canary", "true").annotation("canary-weight", "100").rule("a.com", path("/", "Prefix", "empty", 80)));
    assertThat(server(config, "a.com")).contains("proxy_pass http://$proxy_upstream_name;");
  }

  @Test
  void tlsFromSecretsWithRedirectAndTheDefaultCertificateForBadOnes() {
    var good = DefaultCertificate.selfSigned("CN=secure.com", "secure.com");
    var other = DefaultCertificate.selfSigned("CN=secure.com", "secure.com");
    List<Secret> secrets = List.of(tlsSecret("good", good.certificate(), good.key()), tlsSecret("mismatch", good.certificate(), other.key()));
    var config =
        Fixtures.render(
            List.of(
                ingress("secure").created(1).tls("good", "secure.com").rule("secure.com", path("/", "Prefix", "app", 80)),
                ingress("broken").created(2).tls("mismatch", "broken.com").rule("broken.com", path("/", "Prefix", "app", 80)),
                ingress("absent").created(3).tls("nosuch", "absent.com").rule("absent.com", path("/", "Prefix", "app", 80)),
                ingress("plain").created(4).rule("plain.com", path("/", "Prefix", "app", 80))),
            SERVICES, SLICES, secrets);
    String pem = Path.of("/run/ingress/ssl/default-good.pem").toString();
    assertThat(server(config, "secure.com")).contains("ssl_certificate \"" + pem + "\";", "return 308 https://$host$redirect_uri;");
    assertThat(new String(config.files().get("ssl/default-good.pem"), StandardCharsets.US_ASCII))
        .startsWith("-----BEGIN CERTIFICATE-----").contains("PRIVATE KEY-----");
    assertThat(config.files()).containsOnlyKeys("ssl/default-good.pem");
    // a TLS host whose Secret is bad still redirects, served with the default certificate
    assertThat(server(config, "broken.com")).doesNotContain("ssl_certificate").contains("return 308");
    assertThat(server(config, "plain.com")).doesNotContain("return 308");
    assertThat(config.events())
        .extracting(IngressEvent::name, IngressEvent::message)
        .containsExactly(
            org.assertj.core.groups.Tuple.tuple("absent", "Error getting SSL certificate \"default/nosuch\": local SSL certificate default/nosuch was not found. Using default certificate"),
            org.assertj.core.groups.Tuple.tuple("broken", "Error obtaining X.509 certificate: unexpected error creating SSL Cert: certificate and private key does not have a matching public key. Using default certificate"));
  }

  @Test
  void aChangedCertificateChangesTheText() {
    var first = DefaultCertificate.selfSigned("CN=secure.com", "secure.com");
    var second = DefaultCertificate.selfSigned("CN=secure.com", "secure.com");
    var ingress = ingress("secure").tls("s", "secure.com").rule("secure.com", path("/", "Prefix", "app", 80));
    String before = Fixtures.render(List.of(ingress), SERVICES, SLICES, List.of(tlsSecret("s", first.certificate(), first.key()))).nginxConf();
    String again = Fixtures.render(List.of(ingress), SERVICES, SLICES, List.of(tlsSecret("s", first.certificate(), first.key()))).nginxConf();
    String after = Fixtures.render(List.of(ingress), SERVICES, SLICES, List.of(tlsSecret("s", second.certificate(), second.key()))).nginxConf();
    assertThat(again).isEqualTo(before);
    assertThat(after).isNotEqualTo(before);
  }

  @Test
  void theSameClusterRendersTheSameTextWhateverTheOrderOfObjects() {
    List<TestIngress> ingresses = new ArrayList<>();
    for (int i = 0; i < 50; i++) {
      ingresses.add(ingress("ing-" + i).created(i % 7).rule("h" + (i % 10) + ".com", path("/p" + i, i % 2 == 0 ? "Prefix" : "Exact", i % 3 == 0 ? "v2" : "app", 80)));
    }
    String first = Fixtures.render(ingresses, SERVICES, SLICES, List.of()).nginxConf();
    Collections.shuffle(ingresses, new Random(7));
    List<Service> services = new ArrayList<>(SERVICES);
    Collections.reverse(services);
    List<EndpointSlice> slices = new ArrayList<>(SLICES);
    Collections.reverse(slices);
    assertThat(Fixtures.render(ingresses, services, slices, List.of()).nginxConf()).isEqualTo(first);
  }

  @Test
  void aThousandIngressesRenderFast() {
    List<Ingress> ingresses = new ArrayList<>();
    List<Service> services = new ArrayList<>();
    List<EndpointSlice> slices = new ArrayList<>();
    for (int i = 0; i < 1000; i++) {
      ingresses.add(ingress("ing-" + i).created(i).rule("host-" + i + ".example.com", path("/", "Prefix", "svc-" + i, 80), path("/api", "Prefix", "svc-" + i, 80)).build());
      services.add(service("svc-" + i, 80, 8080));
      slices.add(slice("svc-" + i, 8080, "10.1." + (i / 250) + "." + (i % 250 + 1), "10.2." + (i / 250) + "." + (i % 250 + 1)));
    }
    var state = new ClusterState(ingresses, List.of(Fixtures.ingressClass("nginx", Fixtures.CONTROLLER)), services, slices, List.of());
    for (int warm = 0; warm < 5; warm++) {
      NginxConfigRenderer.render(state, Fixtures.settings());
    }
    // the best of five: the machine may be busy with other work
    long best = Long.MAX_VALUE;
    RenderedConfig config = null;
    for (int run = 0; run < 5; run++) {
      long start = System.nanoTime();
      config = NginxConfigRenderer.render(state, Fixtures.settings());
      best = Math.min(best, (System.nanoTime() - start) / 1_000_000);
    }
    assertThat(config.served()).hasSize(1000);
    // the aim is well under 100 ms: about 20 ms on a quiet 2-core machine; 200 guards against regressions on a busy one
    assertThat(best).as("render time of 1,000 Ingresses in ms").isLessThan(200);
  }
}
