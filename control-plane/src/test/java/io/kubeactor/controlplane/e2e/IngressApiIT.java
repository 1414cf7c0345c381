package io.kubeactor.controlplane.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.fabric8.kubernetes.api.model.EndpointsBuilder;
import io.fabric8.kubernetes.api.model.Event;
import io.fabric8.kubernetes.api.model.EventBuilder;
import io.fabric8.kubernetes.api.model.ServiceBuilder;
import io.fabric8.kubernetes.api.model.networking.v1.Ingress;
import io.fabric8.kubernetes.api.model.networking.v1.IngressBuilder;
import io.fabric8.kubernetes.api.model.networking.v1.IngressClassBuilder;
import io.fabric8.kubernetes.api.model.networking.v1.IngressLoadBalancerIngress;
import io.fabric8.kubernetes.api.model.networking.v1.IngressLoadBalancerIngressBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.dsl.Resource;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * What an ingress controller (ingress-nginx, on the fabric8 client here) and its users do with
 * Ingresses through the API: the default IngressClass, the status subresource written by update and
 * by the patch types, events on the Ingress (core/v1 and events.k8s.io/v1), and kubectl's get and
 * describe of the result.
 */
class IngressApiIT {

  static TestCluster cluster;
  static KubernetesClient client;

  @BeforeAll
  static void start() throws Exception {
    cluster = TestCluster.start();
    client = cluster.fabric8();
    client.network().v1().ingressClasses().resource(new IngressClassBuilder().withNewMetadata().withName("nginx")
        .addToAnnotations("ingressclass.kubernetes.io/is-default-class", "true").endMetadata()
        .withNewSpec().withController("k8s.io/ingress-nginx").endSpec().build()).create();
  }

  @AfterAll
  static void stop() throws Exception {
    if (client != null) client.close();
    if (cluster != null) cluster.close();
  }

  static String namespace(String name) {
    cluster.kubectl("create", "namespace", name).outOrFail();
    return name;
  }

  static Ingress ingress(String ns, String name, String host, boolean tls) {
    IngressBuilder b = new IngressBuilder().withNewMetadata().withNamespace(ns).withName(name).endMetadata()
        .withNewSpec().addNewRule().withHost(host).withNewHttp().addNewPath().withPath("/").withPathType("Prefix")
        .withNewBackend().withNewService().withName("web").withNewPort().withNumber(80).endPort().endService().endBackend()
        .endPath().endHttp().endRule().endSpec();
    if (tls) b.editSpec().addNewTl().withHosts(host).withSecretName("web-tls").endTl().endSpec();
    return client.network().v1().ingresses().resource(b.build()).create();
  }

  static Resource<Ingress> ingress(String ns, String name) {
    return client.network().v1().ingresses().inNamespace(ns).withName(name);
  }

  static List<String> ips(Ingress ingress) {
    var status = ingress.getStatus();
    if (status == null || status.getLoadBalancer() == null) return List.of();
    return status.getLoadBalancer().getIngress().stream().map(IngressLoadBalancerIngress::getIp).toList();
  }

  static IngressLoadBalancerIngress ip(String ip) {
    return new IngressLoadBalancerIngressBuilder().withIp(ip).build();
  }

  @Test
  void theControllerWritesTheStatusByUpdateAndEveryPatchTypeWithoutANewGeneration() {
    String ns = namespace("status");
    Ingress created = ingress(ns, "web", "shop.example.com", false);
    assertThat(created.getSpec().getIngressClassName()).as("the default class").isEqualTo("nginx");
    assertThat(created.getMetadata().getGeneration()).isEqualTo(1L);

    // PUT .../status, as ingress-nginx's status sync does (UpdateStatus)
    created.setStatus(null);
    Ingress withStatus = new IngressBuilder(created).withNewStatus().withNewLoadBalancer().withIngress(ip("10.244.0.1"))
        .endLoadBalancer().endStatus().build();
    // a change of the spec in a status write is ignored
    withStatus.getSpec().getRules().get(0).setHost("other.example.com");
    Ingress updated = client.network().v1().ingresses().resource(withStatus).updateStatus();
    assertThat(ips(updated)).containsExactly("10.244.0.1");
    assertThat(updated.getSpec().getRules().get(0).getHost()).isEqualTo("shop.example.com");
    assertThat(updated.getMetadata().getGeneration()).isEqualTo(1L);

    Ingress merged = ingress(ns, "web").subresource("status").patch(PatchContext.of(PatchType.JSON_MERGE),
        "{\"status\":{\"loadBalancer\":{\"ingress\":[{\"ip\":\"10.244.1.1\"}]}}}");
    assertThat(ips(merged)).containsExactly("10.244.1.1");

    Ingress strategic = ingress(ns, "web").subresource("status").patch(PatchContext.of(PatchType.STRATEGIC_MERGE),
        "{\"status\":{\"loadBalancer\":{\"ingress\":[{\"ip\":\"10.244.1.1\"},{\"ip\":\"10.244.2.1\"}]}}}");
    assertThat(ips(strategic)).containsExactly("10.244.1.1", "10.244.2.1");

    // fabric8's own status edit: a JSON patch of the difference
    Ingress edited = ingress(ns, "web").editStatus(i -> new IngressBuilder(i).editStatus().editLoadBalancer()
        .withIngress(ip("10.244.0.1"), ip("10.244.1.1"), ip("10.244.2.1")).endLoadBalancer().endStatus().build());
    assertThat(ips(edited)).containsExactly("10.244.0.1", "10.244.1.1", "10.244.2.1");
    assertThat(edited.getMetadata().getGeneration()).isEqualTo(1L);

    // the status goes when the controller clears it, and a spec change (not the status) is a new generation
    Ingress cleared = ingress(ns, "web").subresource("status").patch(PatchContext.of(PatchType.JSON_MERGE),
        "{\"status\":{\"loadBalancer\":{\"ingress\":null}}}");
    assertThat(ips(cleared)).isEmpty();
    Ingress respecified = ingress(ns, "web").edit(i -> new IngressBuilder(i).editSpec().editFirstRule()
        .withHost("www.example.com").endRule().endSpec().build());
    assertThat(respecified.getMetadata().getGeneration()).isEqualTo(2L);
    assertThat(cluster.kubectl("get", "ingress", "web", "-n", ns, "-o", "jsonpath={.metadata.generation}").outOrFail())
        .isEqualTo("2");
  }

  @Test
  void anAddressThatIsNotOneIsRefusedAsKubernetesRefusesIt() {
    String ns = namespace("badstatus");
    ingress(ns, "web", "shop.example.com", false);
    assertThatThrownBy(() -> ingress(ns, "web").subresource("status").patch(PatchContext.of(PatchType.JSON_MERGE),
        "{\"status\":{\"loadBalancer\":{\"ingress\":[{\"ip\":\"not-an-ip\"},{\"hostname\":\"10.0.0.1\"}]}}}"))
        .isInstanceOfSatisfying(KubernetesClientException.class, e -> {
          assertThat(e.getCode()).isEqualTo(422);
          assertThat(e.getStatus().getMessage()).isEqualTo("Ingress.networking.k8s.io \"web\" is invalid: ["
              + "status.loadBalancer.ingress[0].ip: Invalid value: \"not-an-ip\": must be a valid IP address, (e.g. 10.9.8.7 or 2001:db8::ffff), "
              + "status.loadBalancer.ingress[1].hostname: Invalid value: \"10.0.0.1\": must be a DNS name, not an IP address]");
        });
  }

  @Test
  void kubectlGetsAndDescribesAnIngressWithItsAddressBackendsAndEvents() {
    String ns = namespace("shop");
    client.services().inNamespace(ns).resource(new ServiceBuilder().withNewMetadata().withName("web").endMetadata()
        .withNewSpec().addNewPort().withName("http").withPort(80).endPort().endSpec().build()).create();
    // a Service without a selector: its Endpoints are the user's, as an ingress controller reads them
    client.endpoints().inNamespace(ns).resource(new EndpointsBuilder().withNewMetadata().withName("web").endMetadata()
        .addNewSubset().addNewAddress().withIp("10.244.0.5").endAddress().addNewPort().withName("http").withPort(80).endPort()
        .endSubset().build()).create();
    Ingress web = ingress(ns, "web", "shop.example.com", true);
    client.network().v1().ingresses().resource(new IngressBuilder(web).withNewStatus().withNewLoadBalancer()
        .withIngress(ip("10.244.0.1"), ip("10.244.1.1")).endLoadBalancer().endStatus().build()).updateStatus();

    // an event on the Ingress as ingress-nginx records it (client-go's recorder: core/v1, then a patch of its count)
    String now = Instant.now().truncatedTo(ChronoUnit.SECONDS).toString();
    Event sync = new EventBuilder().withNewMetadata().withNamespace(ns).withName("web.1").endMetadata()
        .withNewInvolvedObject().withApiVersion("networking.k8s.io/v1").withKind("Ingress").withNamespace(ns).withName("web")
        .withUid(web.getMetadata().getUid()).withResourceVersion(web.getMetadata().getResourceVersion()).endInvolvedObject()
        .withType("Normal").withReason("Sync").withMessage("Scheduled for sync")
        .withNewSource().withComponent("nginx-ingress-controller").endSource()
        .withFirstTimestamp(now).withLastTimestamp(now).withCount(1)
        .withReportingComponent("nginx-ingress-controller").withReportingInstance("ingress-nginx-controller-x1").build();
    client.v1().events().resource(sync).create();
    Event again = client.v1().events().inNamespace(ns).withName("web.1").patch(PatchContext.of(PatchType.STRATEGIC_MERGE),
        "{\"count\":2,\"lastTimestamp\":\"" + now + "\"}");
    assertThat(again.getCount()).isEqualTo(2);
    // one through events.k8s.io/v1, as newer recorders write them: the same Events, seen by describe
    client.events().v1().events().resource(new io.fabric8.kubernetes.api.model.events.v1.EventBuilder().withNewMetadata()
        .withNamespace(ns).withName("web.2").endMetadata().withNewRegarding().withApiVersion("networking.k8s.io/v1")
        .withKind("Ingress").withNamespace(ns).withName("web").withUid(web.getMetadata().getUid()).endRegarding()
        .withType("Warning").withReason("Rejected").withAction("Validate").withNote("a test event through events.k8s.io")
        .withEventTime(new io.fabric8.kubernetes.api.model.MicroTime(now.replace("Z", ".000000Z")))
        .withReportingController("nginx-ingress-controller").withReportingInstance("ingress-nginx-controller-x1").build())
        .create();
    assertThat(client.v1().events().inNamespace(ns).withName("web.2").get().getMessage())
        .isEqualTo("a test event through events.k8s.io");
    assertThat(client.events().v1().events().inNamespace(ns).withName("web.1").get().getNote()).isEqualTo("Scheduled for sync");
    // and one in the controller's own namespace, about its pod
    namespace("ingress-nginx");
    client.v1().events().resource(new EventBuilder(sync).editMetadata().withNamespace("ingress-nginx").withName("ctrl.1")
        .endMetadata().withNewInvolvedObject().withApiVersion("v1").withKind("Pod").withNamespace("ingress-nginx")
        .withName("ingress-nginx-controller-x1").endInvolvedObject().withReason("RELOAD")
        .withMessage("NGINX reload triggered due to a change in configuration").build()).create();
    assertThat(client.v1().events().inNamespace("ingress-nginx").withName("ctrl.1").get().getReason()).isEqualTo("RELOAD");

    assertThat(cluster.kubectl("get", "ingress", "-n", ns).outOrFail())
        .containsPattern("NAME\\s+CLASS\\s+HOSTS\\s+ADDRESS\\s+PORTS\\s+AGE")
        .containsPattern("web\\s+nginx\\s+shop.example.com\\s+10.244.0.1,10.244.1.1\\s+80, 443\\s+\\d+s");

    // the class annotation of older controllers: stored as written, with the API server's warning
    TestCluster.Result legacy = cluster.kubectl("create", "ingress", "legacy", "-n", ns, "--rule=legacy.example.com/=web:80",
        "--annotation=kubernetes.io/ingress.class=nginx");
    assertThat(legacy.outOrFail()).isEqualTo("ingress.networking.k8s.io/legacy created\n");
    assertThat(legacy.err()).contains(
        "Warning: annotation \"kubernetes.io/ingress.class\" is deprecated, please use 'spec.ingressClassName' instead");
    assertThat(cluster.kubectl("get", "ingress", "legacy", "-n", ns).outOrFail())
        .containsPattern("legacy\\s+<none>\\s+legacy.example.com\\s+80\\s+\\d+s");

    String describe = cluster.kubectl("describe", "ingress", "web", "-n", ns).outOrFail();
    assertThat(describe)
        .containsPattern("Name:\\s+web\n")
        .containsPattern("Namespace:\\s+shop\n")
        .containsPattern("Address:\\s+10.244.0.1,10.244.1.1\n")
        .containsPattern("Ingress Class:\\s+nginx\n")
        .containsPattern("Default backend:\\s+<default>\n")
        .containsPattern("TLS:\n\\s+web-tls terminates shop.example.com\n")
        .containsPattern("Host\\s+Path\\s+Backends\n")
        .containsPattern("shop.example.com\\s*\n\\s+/\\s+web:80 \\(10.244.0.5:80\\)\n")
        .containsPattern("Normal\\s+Sync\\s+\\S+ \\(x2 over \\S+\\)\\s+nginx-ingress-controller\\s+Scheduled for sync")
        .containsPattern("Warning\\s+Rejected\\s+\\S+\\s+nginx-ingress-controller\\s+a test event through events.k8s.io");
  }
}
