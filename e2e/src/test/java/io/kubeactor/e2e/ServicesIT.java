package io.kubeactor.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.ArrayList;
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
 * Services carry traffic on a real cluster: three node agents on Docker, each with its pod network,
 * the service proxy's nftables rules, the cluster DNS, the real kubectl and the notes' manifests.
 * Traffic comes from this test (the host) and from pods; each request opens a new connection, so
 * that every one is balanced anew.
 */
class ServicesIT {
  static final List<String> NODES = List.of("svc-node", "svc-node-m02", "svc-node-m03");
  static final Duration MINUTES = Duration.ofMinutes(3);
  static ClusterWithNodes c;

  @BeforeAll
  static void start() throws Exception {
    c = ClusterWithNodes.start("services", Map.of("kubeactor.api.advertise-address", ClusterWithNodes.dockerBridgeAddress()), NODES);
    c.ok("run", "client", "--image=busybox", "--restart=Never", "--", "sleep", "3600");
    c.awaitRunning("client");
  }

  @AfterAll
  static void stop() throws Exception {
    if (c != null) c.close();
  }

  /** The pod names that answered {@code n} requests (whoami: "I'm NAME running on ..."). */
  static Set<String> whoamiAnswers(String host, int port, int n) {
    Set<String> names = new HashSet<>();
    for (int i = 0; i < n; i++) {
      String body = Http.get(host, port, "/");
      assertThat(body).as("request %d to %s:%d", i, host, port).startsWith("\"I'm ");
      names.add(body.substring(5, body.indexOf(' ', 5)));
    }
    return names;
  }

  static String nodeAddress(String node) {
    return c.jsonpath("node/" + node, "{.status.addresses[?(@.type==\"InternalIP\")].address}");
  }

  @Test
  void eachNodeHasItsOwnPodCidrAndAddressAndPodsReachEachOther() {
    Set<String> cidrs = new HashSet<>();
    Set<String> addresses = new HashSet<>();
    for (String n : NODES) {
      String cidr = c.jsonpath("node/" + n, "{.spec.podCIDR}");
      assertThat(cidr).matches("10\\.244\\.\\d+\\.0/24");
      assertThat(c.jsonpath("node/" + n, "{.spec.podCIDRs[0]}")).isEqualTo(cidr);
      cidrs.add(cidr);
      String address = nodeAddress(n);
      assertThat(address).isEqualTo(cidr.replace(".0/24", ".1"));
      addresses.add(address);
    }
    assertThat(cidrs).hasSize(3);
    assertThat(addresses).hasSize(3);
    assertThat(c.ok("get", "nodes", "-o", "wide")).contains(addresses);

    // a pod on every node; each reaches every other by its IP, and every node's address
    c.ok("create", "deployment", "spread", "--image=kiamol/ch02-whoami", "--replicas=3");
    c.awaitRunningPods("app=spread", 3, MINUTES);
    List<String> ips = List.of(c.ok("get", "pods", "-l", "app=spread", "-o", "jsonpath={.items[*].status.podIP}").split(" "));
    for (String ip : ips) {
      assertThat(c.ok("exec", "client", "--", "sh", "-c", "printf 'GET / HTTP/1.0\\r\\n\\r\\n' | nc -w 3 " + ip + " 80"))
          .as("from the client pod to %s", ip).contains("I'm spread-");
      assertThat(Http.get(ip, 80, "/")).as("from the host to %s", ip).contains("I'm spread-");
    }
    for (String address : addresses) {
      assertThat(c.kubectl("exec", "client", "--", "ping", "-c", "1", "-W", "2", address).exitCode()).as("ping %s", address).isZero();
    }
    c.ok("delete", "deployment", "spread");
  }

  @Test
  void aServiceSpreadsRequestsOverReadyPodsOnlyAndFollowsScaling() throws Exception {
    // notes 000/001: the whoami ReplicaSet behind the book's Service
    c.ok("apply", "-f", c.demo("000-scaling/whoami-rs.yaml"), "-f", c.demo("000-scaling/whoami-svc.yaml"));
    c.ok("scale", "rs", "whoami-web", "--replicas=3");
    c.awaitRunningPods("app=whoami-web", 3, MINUTES);
    String clusterIp = c.jsonpath("svc/whoami-web", "{.spec.clusterIP}");
    assertThat(clusterIp).startsWith("10.");
    await().atMost(MINUTES).untilAsserted(() -> assertThat(whoamiAnswers(clusterIp, 8088, 30)).hasSize(3));

    // from a pod too, by the Service's name
    await().atMost(MINUTES).untilAsserted(() -> assertThat(c.ok("exec", "client", "--", "sh", "-c",
        "printf 'GET / HTTP/1.0\\r\\n\\r\\n' | nc -w 3 whoami-web 8088")).contains("I'm whoami-web-"));

    // scaled up: the new replica takes requests as soon as it is ready
    c.ok("scale", "rs", "whoami-web", "--replicas=4");
    c.awaitRunningPods("app=whoami-web", 4, MINUTES);
    await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> assertThat(whoamiAnswers(clusterIp, 8088, 40)).hasSize(4));

    c.ok("delete", "rs", "whoami-web");
    c.ok("delete", "svc", "whoami-web");
  }

  @Test
  void aPodFailingItsReadinessProbeGetsNoTraffic() {
    // two ready pods and one whose readiness probe fails, all matching the Service's selector
    c.kubectlWithInput("""
        apiVersion: apps/v1
        kind: Deployment
        metadata: {name: ready-check}
        spec:
          replicas: 2
          selector: {matchLabels: {app: ready-check}}
          template:
            metadata: {labels: {app: ready-check, tier: web}}
            spec: {containers: [{name: web, image: kiamol/ch02-whoami}]}
        ---
        apiVersion: v1
        kind: Service
        metadata: {name: web-tier}
        spec: {selector: {tier: web}, ports: [{port: 80}]}
        ---
        apiVersion: v1
        kind: Pod
        metadata: {name: never-ready, labels: {tier: web}}
        spec:
          containers:
          - name: web
            image: kiamol/ch02-whoami
            readinessProbe: {httpGet: {path: /not-there, port: 80}, periodSeconds: 1}
        """, "apply", "-f", "-").outOrFail();
    c.awaitRunningPods("app=ready-check", 2, MINUTES);
    c.awaitRunning("never-ready");
    await().atMost(MINUTES).untilAsserted(() -> assertThat(
        c.ok("get", "endpointslices", "-l", "kubernetes.io/service-name=web-tier", "-o",
            "jsonpath={range .items[*].endpoints[*]}{.targetRef.name}={.conditions.ready}{\"\\n\"}{end}"))
        .contains("never-ready=false")
        .satisfies(out -> assertThat(out.lines().filter(l -> l.matches("ready-check-\\S+=true"))).hasSize(2)));
    assertThat(c.ok("get", "endpoints", "web-tier", "-o", "jsonpath={.subsets[0].notReadyAddresses[0].targetRef.name}"))
        .isEqualTo("never-ready");
    String clusterIp = c.jsonpath("svc/web-tier", "{.spec.clusterIP}");
    await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> assertThat(whoamiAnswers(clusterIp, 80, 30)).hasSize(2));
    assertThat(whoamiAnswers(clusterIp, 80, 40)).hasSize(2).doesNotContain("never-ready");
    c.ok("delete", "deployment", "ready-check");
    c.ok("delete", "svc", "web-tier");
    c.ok("delete", "pod", "never-ready", "--wait=false");
  }

  @Test
  void nodePortAnswersOnEveryNodesAddressAndALoadBalancerGetsAnAddress() {
    // note 003: kubectl expose --type=NodePort; curl $(minikube ip):$NODE_PORT
    c.ok("apply", "-f", c.demo("003-bootcamp-scaling/kubernetes-bootcamp-deployment.yaml"),
        "-f", c.demo("003-bootcamp-scaling/kubernetes-bootcamp-service.yaml"));
    c.awaitRunningPods("app=kubernetes-bootcamp", 1, MINUTES);
    String nodePort = c.ok("get", "services/kubernetes-bootcamp", "-o", "go-template={{(index .spec.ports 0).nodePort}}");
    assertThat(Integer.parseInt(nodePort)).isBetween(30000, 32767);
    assertThat(c.ok("get", "svc", "kubernetes-bootcamp")).containsPattern("NodePort\\s+10\\.\\S+\\s+<none>\\s+8080:" + nodePort + "/TCP");
    for (String n : NODES) {
      String address = nodeAddress(n);
      await().atMost(Duration.ofSeconds(30)).untilAsserted(() ->
          assertThat(Http.get(address, Integer.parseInt(nodePort), "/")).startsWith("Hello Kubernetes bootcamp! | Running on: kubernetes-bootcamp-"));
    }

    // a LoadBalancer Service gets the nodes' addresses (as k3s's ServiceLB), and answers there on its port
    c.ok("expose", "deployment", "kubernetes-bootcamp", "--name=bootcamp-lb", "--type=LoadBalancer", "--port=9090", "--target-port=8080");
    c.await("svc/bootcamp-lb", "{.status.loadBalancer.ingress[0].ip}", MINUTES, ip -> !ip.isEmpty());
    String external = c.jsonpath("svc/bootcamp-lb", "{.status.loadBalancer.ingress[0].ip}");
    assertThat(c.ok("get", "svc", "bootcamp-lb")).doesNotContain("<pending>").contains(external);
    await().atMost(Duration.ofSeconds(30)).untilAsserted(() ->
        assertThat(Http.get(external, 9090, "/")).startsWith("Hello Kubernetes bootcamp!"));
    c.ok("delete", "svc", "bootcamp-lb");
  }

  @Test
  void aRollingUpdateBehindAServiceLosesNoRequest() throws Exception {
    // note 003: kubectl set image while a client keeps asking the Service
    c.ok("apply", "-f", c.demo("003-bootcamp-scaling/kubernetes-bootcamp-deployment.yaml"),
        "-f", c.demo("003-bootcamp-scaling/kubernetes-bootcamp-service.yaml"));
    c.ok("scale", "deployments/kubernetes-bootcamp", "--replicas=4");
    c.awaitRunningPods("app=kubernetes-bootcamp", 4, MINUTES);
    String clusterIp = c.jsonpath("svc/kubernetes-bootcamp", "{.spec.clusterIP}");
    await().atMost(MINUTES).until(() -> Http.get(clusterIp, 8080, "/").startsWith("Hello"));

    AtomicBoolean running = new AtomicBoolean(true);
    AtomicInteger requests = new AtomicInteger();
    List<String> errors = java.util.Collections.synchronizedList(new ArrayList<>());
    Set<String> versions = java.util.Collections.synchronizedSet(new HashSet<>());
    Thread client = new Thread(() -> {
      while (running.get()) {
        String body = Http.get(clusterIp, 8080, "/");
        requests.incrementAndGet();
        if (body.startsWith("Hello Kubernetes bootcamp!")) versions.add(body.strip().substring(body.strip().lastIndexOf("v=")));
        else errors.add(body);
      }
    });
    client.start();
    try {
      c.ok("set", "image", "deployments/kubernetes-bootcamp", "kubernetes-bootcamp=jocatalin/kubernetes-bootcamp:v2");
      assertThat(c.ok("rollout", "status", "deployments/kubernetes-bootcamp", "--timeout=180s")).contains("successfully rolled out");
      await().atMost(Duration.ofSeconds(30)).until(() -> versions.contains("v=2"));
    } finally {
      running.set(false);
      client.join();
    }
    assertThat(requests.get()).isGreaterThan(50);
    assertThat(errors).as("%d requests", requests.get()).isEmpty();
    assertThat(versions).contains("v=1", "v=2");
    c.ok("delete", "deployment", "kubernetes-bootcamp");
    c.ok("delete", "svc", "kubernetes-bootcamp");
  }

  @Test
  void namesResolveFromAPodThroughTheClusterDns() {
    assertThat(c.ok("exec", "client", "--", "cat", "/etc/resolv.conf")).contains("nameserver 10.96.0.10",
        "search default.svc.cluster.local svc.cluster.local cluster.local", "options ndots:5");
    assertThat(c.ok("get", "endpoints", "kube-dns", "-n", "kube-system", "-o", "jsonpath={.subsets[0].addresses[0].ip}"))
        .isEqualTo(c.jsonpath("endpoints/kubernetes", "{.subsets[0].addresses[0].ip}"));
    // a Service by its full name and by its short name (the search path)
    await().atMost(MINUTES).untilAsserted(() -> assertThat(
        c.ok("exec", "client", "--", "nslookup", "kubernetes.default.svc.cluster.local")).contains("Address: 10.96.0.1"));
    // busybox's nslookup tries every search domain and exits 1 for those that do not exist
    assertThat(c.kubectl("exec", "client", "--", "nslookup", "kubernetes").out())
        .contains("Name:\tkubernetes.default.svc.cluster.local", "Address: 10.96.0.1");

    // note 002: the headless Service gives each StatefulSet pod a stable name
    c.ok("apply", "-f", c.demo("002-statefulset/web-statefulset.yaml"));
    c.awaitRunning("web-0");
    c.awaitRunning("web-1");
    String web0 = c.jsonpath("pod/web-0", "{.status.podIP}");
    String web1 = c.jsonpath("pod/web-1", "{.status.podIP}");
    await().atMost(MINUTES).untilAsserted(() -> assertThat(
        c.ok("exec", "client", "--", "nslookup", "web-0.nginx.default.svc.cluster.local")).contains("Address: " + web0));
    assertThat(c.ok("exec", "client", "--", "nslookup", "nginx.default.svc.cluster.local")).contains(web0, web1);
    // busybox's nslookup applies no search path to dotted names; ping resolves as applications do
    assertThat(c.ok("exec", "client", "--", "ping", "-c", "1", "-W", "2", "web-1.nginx")).contains("PING web-1.nginx (" + web1 + ")");
    assertThat(c.kubectl("exec", "client", "--", "nslookup", "nothing-here.default.svc.cluster.local").out()).contains("NXDOMAIN");
    c.ok("delete", "-f", c.demo("002-statefulset/web-statefulset.yaml"));
  }

  @Test
  void containersFindTheApiServerAndTheirNamespacesServicesInTheirEnvironment() {
    // kubelet's service variables: the kubernetes Service always (in-cluster clients read them), and
    // the docker-link variables of the namespace's Services that existed when the container started
    assertThat(c.ok("exec", "client", "--", "env")).contains(
        "KUBERNETES_SERVICE_HOST=10.96.0.1", "KUBERNETES_SERVICE_PORT=443", "KUBERNETES_SERVICE_PORT_HTTPS=443",
        "KUBERNETES_PORT=tcp://10.96.0.1:443", "KUBERNETES_PORT_443_TCP=tcp://10.96.0.1:443",
        "KUBERNETES_PORT_443_TCP_PROTO=tcp", "KUBERNETES_PORT_443_TCP_PORT=443", "KUBERNETES_PORT_443_TCP_ADDR=10.96.0.1");
  }

  @Test
  void portForwardReachesAServicesPod() throws Exception {
    c.ok("create", "deployment", "pf", "--image=kiamol/ch02-whoami");
    c.ok("expose", "deployment", "pf", "--port=8000", "--target-port=80");
    c.awaitRunningPods("app=pf", 1, MINUTES);
    java.nio.file.Path out = java.nio.file.Files.createTempFile("port-forward", ".log");
    Process forward = c.kubectlBackground(out, "port-forward", "svc/pf", ":8000");
    try {
      java.util.regex.Pattern listening = java.util.regex.Pattern.compile("Forwarding from 127\\.0\\.0\\.1:(\\d+) -> 80");
      String[] port = new String[1];
      await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
        var m = listening.matcher(java.nio.file.Files.readString(out));
        assertThat(m.find()).as(java.nio.file.Files.readString(out)).isTrue();
        port[0] = m.group(1);
      });
      for (int i = 0; i < 3; i++) assertThat(Http.get("127.0.0.1", Integer.parseInt(port[0]), "/")).startsWith("\"I'm pf-");
    } finally {
      forward.destroy();
    }
    c.ok("delete", "deployment", "pf");
    c.ok("delete", "svc", "pf");
  }

  @Test
  void aHostPortAnswersOnItsNodesAddress() {
    c.kubectlWithInput("""
        apiVersion: v1
        kind: Pod
        metadata: {name: host-port}
        spec:
          nodeName: svc-node-m02
          containers: [{name: web, image: kiamol/ch02-whoami, ports: [{containerPort: 80, hostPort: 18080}]}]
        """, "apply", "-f", "-").outOrFail();
    c.awaitRunning("host-port");
    String address = nodeAddress("svc-node-m02");
    await().atMost(Duration.ofSeconds(30)).untilAsserted(() ->
        assertThat(Http.get(address, 18080, "/")).startsWith("\"I'm host-port "));
    c.ok("delete", "pod", "host-port", "--wait=false");
  }
}
