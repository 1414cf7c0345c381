package io.kubeactor.controlplane.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.kubeactor.common.Json;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import java.util.zip.GZIPInputStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The real kubectl against a running control plane, with the notes' manifests from k8s-demo/: what
 * a user types and what kubectl prints, compared with what Kubernetes prints.
 */
class KubectlIT {

  static TestCluster cluster;
  static final Path DEMO = Path.of("..", "k8s-demo").toAbsolutePath().normalize();

  @BeforeAll
  static void start() throws Exception {
    cluster = TestCluster.start();
  }

  @AfterAll
  static void stop() throws Exception {
    if (cluster != null) cluster.close();
  }

  static TestCluster.Result kubectl(String... args) {
    return cluster.kubectl(args);
  }

  static String ns(String name) {
    kubectl("create", "namespace", name).outOrFail();
    return name;
  }

  @Test
  void versionAndApiResourcesLookLikeKubernetes() {
    assertThat(kubectl("version").outOrFail()).contains("Server Version: v1.32");
    String resources = kubectl("api-resources").outOrFail();
    assertThat(resources).containsPattern("pods\\s+po\\s+v1\\s+true\\s+Pod");
    assertThat(resources).containsPattern("deployments\\s+deploy\\s+apps/v1\\s+true\\s+Deployment");
    assertThat(resources).containsPattern("horizontalpodautoscalers\\s+hpa\\s+autoscaling/v2\\s+true\\s+HorizontalPodAutoscaler");
    assertThat(resources).containsPattern("nodes\\s+no\\s+v1\\s+false\\s+Node");
    assertThat(kubectl("get", "namespaces").outOrFail())
        .containsPattern("NAME\\s+STATUS\\s+AGE")
        .containsPattern("default\\s+Active")
        .containsPattern("kube-system\\s+Active")
        .contains("kube-node-lease", "kube-public");
  }

  @Test
  void everyManifestOfTheNotesApplies() throws IOException {
    List<Path> manifests;
    try (Stream<Path> files = Files.walk(DEMO)) {
      // note 004's HPA as written is refused, as by Kubernetes (HorizontalPodAutoscalerKubectlIT)
      manifests = files.filter(p -> p.toString().endsWith(".yaml"))
          .filter(p -> !p.endsWith(Path.of("004-pods-replicasets", "budy-hpa.yaml"))).sorted().toList();
    }
    assertThat(manifests).hasSizeGreaterThan(10);
    int i = 0;
    for (Path m : manifests) {
      // each manifest in a namespace of its own: several notes reuse names, and a ReplicaSet of one
      // note would adopt (and scale away) the matching pods of another
      String ns = ns("notes-" + i++);
      String out = kubectl("apply", "-n", ns, "-f", m.toString()).outOrFail();
      assertThat(out).as(m.toString()).contains("created");
      String again = kubectl("apply", "-n", ns, "-f", m.toString()).outOrFail();
      assertThat(again).as(m.toString()).contains("unchanged");
    }
  }

  @Test
  void deploymentWalkthrough() {
    String ns = ns("walkthrough");
    Path manifest = DEMO.resolve("001-controllers/nginx-deployment.yaml");
    assertThat(kubectl("apply", "-n", ns, "-f", manifest.toString()).outOrFail())
        .isEqualTo("deployment.apps/nginx-deployment created\n");

    assertThat(kubectl("get", "deployments", "-n", ns).outOrFail())
        .containsPattern("NAME\\s+READY\\s+UP-TO-DATE\\s+AVAILABLE\\s+AGE")
        // no node runs its pods here: none is ready, however many the ReplicaSet has created yet
        .containsPattern("nginx-deployment\\s+0/2\\s+[0-2]\\s+0\\s+\\d+s");
    assertThat(kubectl("get", "deployment", "nginx-deployment", "-n", ns, "-o", "wide").outOrFail())
        .containsPattern("CONTAINERS\\s+IMAGES\\s+SELECTOR")
        .containsPattern("nginx\\s+nginx:1.14.2\\s+app=nginx");
    assertThat(kubectl("get", "all", "-n", ns).outOrFail()).contains("deployment.apps/nginx-deployment");

    String describe = kubectl("describe", "deployment", "nginx-deployment", "-n", ns).outOrFail();
    assertThat(describe)
        .containsPattern("Name:\\s+nginx-deployment")
        .containsPattern("Namespace:\\s+" + ns)
        .containsPattern("Selector:\\s+app=nginx")
        .containsPattern("Replicas:\\s+2 desired")
        .containsPattern("StrategyType:\\s+RollingUpdate")
        .containsPattern("RollingUpdateStrategy:\\s+25% max unavailable, 25% max surge")
        .containsPattern("Image:\\s+nginx:1.14.2");

    assertThat(kubectl("scale", "deployment", "nginx-deployment", "--replicas=4", "-n", ns).outOrFail())
        .isEqualTo("deployment.apps/nginx-deployment scaled\n");
    assertThat(kubectl("get", "deploy", "nginx-deployment", "-n", ns, "-o", "jsonpath={.spec.replicas} {.metadata.generation}").outOrFail())
        .isEqualTo("4 2");

    assertThat(kubectl("label", "deployment", "nginx-deployment", "tier=web", "-n", ns).outOrFail())
        .isEqualTo("deployment.apps/nginx-deployment labeled\n");
    TestCluster.Result clash = kubectl("label", "deployment", "nginx-deployment", "tier=db", "-n", ns);
    assertThat(clash.exitCode()).isNotZero();
    assertThat(clash.err()).contains("'tier' already has a value (web), and --overwrite is false");
    kubectl("label", "deployment", "nginx-deployment", "tier=db", "--overwrite", "-n", ns).outOrFail();
    assertThat(kubectl("get", "deploy", "-n", ns, "--show-labels").outOrFail()).contains("tier=db");
    assertThat(kubectl("get", "deploy", "-n", ns, "-l", "tier=db", "-o", "name").outOrFail())
        .isEqualTo("deployment.apps/nginx-deployment\n");
    assertThat(kubectl("get", "deploy", "-n", ns, "-l", "tier!=db", "-o", "name").outOrFail()).isEmpty();

    kubectl("patch", "deployment", "nginx-deployment", "-n", ns, "-p",
        "{\"spec\":{\"template\":{\"spec\":{\"containers\":[{\"name\":\"nginx\",\"image\":\"nginx:1.16.1\"}]}}}}").outOrFail();
    kubectl("patch", "deployment", "nginx-deployment", "-n", ns, "--type=merge", "-p", "{\"spec\":{\"minReadySeconds\":5}}").outOrFail();
    kubectl("patch", "deployment", "nginx-deployment", "-n", ns, "--type=json",
        "-p", "[{\"op\":\"replace\",\"path\":\"/spec/revisionHistoryLimit\",\"value\":3}]").outOrFail();
    assertThat(kubectl("get", "deploy", "nginx-deployment", "-n", ns, "-o", "go-template",
        "--template={{(index .spec.template.spec.containers 0).image}} {{.spec.minReadySeconds}} {{.spec.revisionHistoryLimit}}").outOrFail())
        .isEqualTo("nginx:1.16.1 5 3");
    assertThat(kubectl("set", "image", "deployment/nginx-deployment", "nginx=nginx:1.17-alpine", "-n", ns).outOrFail())
        .contains("image updated");

    String yaml = kubectl("get", "deploy", "nginx-deployment", "-n", ns, "-o", "yaml").outOrFail();
    assertThat(yaml).contains("kind: Deployment", "uid:", "creationTimestamp:", "resourceVersion:",
        "progressDeadlineSeconds: 600", "maxSurge: 25%", "restartPolicy: Always", "terminationGracePeriodSeconds: 30",
        "imagePullPolicy: IfNotPresent", "kubectl.kubernetes.io/last-applied-configuration");

    assertThat(kubectl("delete", "deployment", "nginx-deployment", "-n", ns).outOrFail())
        .isEqualTo("deployment.apps \"nginx-deployment\" deleted\n");
    TestCluster.Result gone = kubectl("get", "deployment", "nginx-deployment", "-n", ns);
    assertThat(gone.exitCode()).isNotZero();
    assertThat(gone.err()).contains("Error from server (NotFound): deployments.apps \"nginx-deployment\" not found");
  }

  @Test
  void podsStayPendingAndPrintAsKubernetesPrintsThem() {
    String ns = ns("pods");
    kubectl("apply", "-n", ns, "-f", DEMO.resolve("004-pods-replicasets/requests-pod.yaml").toString()).outOrFail();
    String pods = kubectl("get", "pods", "-n", ns, "-o", "wide").outOrFail();
    assertThat(pods.lines().findFirst().orElse(""))
        .matches("NAME\\s+READY\\s+STATUS\\s+RESTARTS\\s+AGE\\s+IP\\s+NODE\\s+NOMINATED NODE\\s+READINESS GATES");
    assertThat(pods).containsPattern("\\s0/1\\s+Pending\\s+0\\s+\\d+s\\s+<none>\\s+<none>\\s+<none>\\s+<none>");
    assertThat(kubectl("get", "pods", "-n", ns, "-o", "jsonpath={.items[0].status.phase}").outOrFail()).isEqualTo("Pending");
    String describe = kubectl("describe", "pod", "-n", ns).outOrFail();
    assertThat(describe).containsPattern("Status:\\s+Pending").contains("Requests:");
    // as upstream: a pod on no node has no log yet, and kubectl prints nothing
    assertThat(kubectl("logs", "-n", ns, "requests-pod").outOrFail()).isEmpty();
    assertThat(kubectl("delete", "pods", "--all", "-n", ns).outOrFail()).contains("deleted");
    assertThat(kubectl("get", "pods", "-n", ns).err()).contains("No resources found in " + ns + " namespace.");
  }

  @Test
  void invalidObjectsAreRefusedWithKubernetesMessages() {
    String ns = ns("invalid");
    String badSelector = """
        apiVersion: apps/v1
        kind: Deployment
        metadata:
          name: web
        spec:
          selector:
            matchLabels:
              app: web
          template:
            metadata:
              labels:
                app: other
            spec:
              containers:
              - name: web
                image: nginx
        """;
    TestCluster.Result r = cluster.kubectlWithInput(badSelector, "apply", "-n", ns, "-f", "-");
    assertThat(r.exitCode()).isNotZero();
    assertThat(r.err()).contains("The Deployment \"web\" is invalid")
        .contains("spec.template.metadata.labels: Invalid value: map[string]string{\"app\":\"other\"}: `selector` does not match template `labels`");

    String unknownField = badSelector.replace("app: other", "app: web").replace("image: nginx", "image: nginx\n        imagePullPolcy: Always");
    TestCluster.Result strict = cluster.kubectlWithInput(unknownField, "apply", "-n", ns, "-f", "-");
    assertThat(strict.exitCode()).isNotZero();
    assertThat(strict.err()).contains("unknown field \"spec.template.spec.containers[0].imagePullPolcy\"");
    assertThat(kubectl("get", "deployments", "-n", ns, "-o", "name").outOrFail()).isEmpty();
  }

  @Test
  void watchPrintsChangesAsTheyHappen() throws Exception {
    String ns = ns("watching");
    Path out = Files.createTempFile("watch", ".txt");
    Process watch = cluster.kubectlBackground(out, "get", "configmaps", "-n", ns, "-w");
    // kubectl lists, then watches from the list's resourceVersion: the new object shows either way
    kubectl("create", "configmap", "watched", "-n", ns, "--from-literal=a=b").outOrFail();
    try {
      await().atMost(Duration.ofSeconds(30)).untilAsserted(() ->
          assertThat(Files.readString(out)).containsPattern("watched\\s+1\\s+\\d+s"));
    } finally {
      watch.destroy();
    }
  }

  @Test
  void explainReadsTheServersSchemas() {
    String explain = kubectl("explain", "deployment.spec.strategy").outOrFail();
    assertThat(explain).contains("GROUP:      apps").contains("KIND:       Deployment")
        .contains("rollingUpdate").contains("type");
    assertThat(kubectl("explain", "pods").outOrFail()).contains("KIND:       Pod").contains("spec");
  }

  // kubectl explain prints Kubernetes' own documentation of kinds and fields, the text of its
  // published OpenAPI spec (release-1.32), wrapped and indented by kubectl: compared word for word

  static final String POD = "Pod is a collection of containers that can run on a host. This resource is created by "
      + "clients and scheduled onto hosts.";
  static final String API_VERSION = "APIVersion defines the versioned schema of this representation of an object. "
      + "Servers should convert recognized schemas to the latest internal value, and may reject unrecognized values. "
      + "More info: https://git.k8s.io/community/contributors/devel/sig-architecture/api-conventions.md#resources";
  static final String RESOURCES = "Compute Resources required by this container. Cannot be updated. More info: "
      + "https://kubernetes.io/docs/concepts/configuration/manage-resources-containers/";
  static final String RESOURCE_REQUIREMENTS = "ResourceRequirements describes the compute resource requirements.";
  static final String LIMITS = "Limits describes the maximum amount of compute resources allowed. More info: "
      + "https://kubernetes.io/docs/concepts/configuration/manage-resources-containers/";
  static final String DEPLOYMENT_SPEC = "Specification of the desired behavior of the Deployment. "
      + "DeploymentSpec is the specification of the desired behavior of the Deployment.";

  /** kubectl's output with its wrapping and indentation folded into single spaces. */
  static String words(String text) {
    return text.replaceAll("\\s+", " ").trim();
  }

  @Test
  void explainPrintsKubernetesDescriptionsFromTheV3Document() {
    assertThat(words(kubectl("explain", "pod").outOrFail()))
        .contains("KIND: Pod VERSION: v1 DESCRIPTION: " + POD + " FIELDS: apiVersion <string> " + API_VERSION);
    assertThat(words(kubectl("explain", "pods.spec.containers.resources").outOrFail()))
        .contains("FIELD: resources <ResourceRequirements> DESCRIPTION: " + RESOURCES + " " + RESOURCE_REQUIREMENTS + " FIELDS:")
        .contains("limits <map[string]Quantity> " + LIMITS);
    assertThat(words(kubectl("explain", "deployment.spec", "--recursive").outOrFail()))
        .contains("FIELD: spec <DeploymentSpec> DESCRIPTION: " + DEPLOYMENT_SPEC + " FIELDS:")
        .contains("minReadySeconds <integer>", "template <PodTemplateSpec> -required-", "containers <[]Container> -required-");
  }

  /** kubectl 1.27 explains from the v3 document as well, unless told to read the v2 one. */
  @Test
  void kubectl127ExplainsWithTheSameDescriptionsFromTheV2Document() {
    assertThat(words(explainV2("pod")))
        .contains("KIND: Pod VERSION: v1 DESCRIPTION: " + POD + " FIELDS: apiVersion <string> " + API_VERSION);
    assertThat(words(explainV2("pods.spec.containers.resources")))
        .contains("RESOURCE: resources <Object> DESCRIPTION: " + RESOURCES + " " + RESOURCE_REQUIREMENTS + " FIELDS:")
        .contains("limits <map[string]string> " + LIMITS);
    assertThat(words(explainV2("deployment.spec", "--recursive")))
        .contains("RESOURCE: spec <Object> DESCRIPTION: " + DEPLOYMENT_SPEC + " FIELDS:")
        .contains("minReadySeconds <integer>", "template <Object>", "containers <[]Object>");
    assertThat(words(cluster.kubectlVersion("1.27", "explain", "pod").outOrFail()))
        .contains("KIND: Pod VERSION: v1 DESCRIPTION: " + POD + " FIELDS: apiVersion <string> " + API_VERSION);
  }

  static String explainV2(String... args) {
    List<String> command = new ArrayList<>(List.of("explain", "--output", "plaintext-openapiv2"));
    command.addAll(List.of(args));
    return cluster.kubectlVersion("1.27", command.toArray(String[]::new)).outOrFail();
  }

  @Test
  void errorsAreKubernetesStatuses() {
    TestCluster.Result missing = kubectl("get", "pod", "nope");
    assertThat(missing.err()).contains("Error from server (NotFound): pods \"nope\" not found");
    TestCluster.Result noNs = kubectl("get", "pods", "-n", "does-not-exist");
    assertThat(noNs.err()).contains("No resources found in does-not-exist namespace.");
    TestCluster.Result createInMissing = kubectl("create", "configmap", "x", "-n", "does-not-exist");
    // kubectl create wraps the server's NotFound in its own words
    assertThat(createInMissing.err()).contains("failed to create configmap: namespaces \"does-not-exist\" not found");
  }

  // /openapi/v2, which kubectl 1.27 and 1.28 fetch as gnostic protobuf before every apply, create,
  // diff and explain, and which every kubectl reads for explain --output plaintext-openapiv2

  static final String DEPLOYMENT = """
      apiVersion: apps/v1
      kind: Deployment
      metadata: {name: web, namespace: v2}
      spec:
        replicas: %d
        selector: {matchLabels: {app: web}}
        template:
          metadata: {labels: {app: web}}
          spec: {containers: [{name: web, image: nginx:1.14.2}]}
      """;

  @Test
  void kubectl127AppliesDiffsCreatesAndExplains() throws Exception {
    cluster.kubectl("create", "namespace", "v2").outOrFail();
    Path manifest = Files.createTempFile("deployment", ".yaml");
    Files.writeString(manifest, DEPLOYMENT.formatted(1));
    assertThat(cluster.kubectlVersion("1.27", "apply", "-f", manifest.toString()).outOrFail())
        .contains("deployment.apps/web created");

    // client-side apply's patch and diff read the document too
    Files.writeString(manifest, DEPLOYMENT.formatted(2));
    assertThat(cluster.kubectlVersion("1.27", "diff", "-f", manifest.toString()).out()).contains("+  replicas: 2");
    assertThat(cluster.kubectlVersion("1.27", "apply", "-f", manifest.toString()).outOrFail())
        .contains("deployment.apps/web configured");
    assertThat(cluster.kubectl("get", "deployment", "web", "-n", "v2", "-o", "jsonpath={.spec.replicas}").outOrFail())
        .isEqualTo("2");
    assertThat(cluster.kubectlVersion("1.27", "apply", "--server-side", "--force-conflicts", "-f", manifest.toString())
        .outOrFail()).contains("deployment.apps/web serverside-applied");

    assertThat(cluster.kubectlVersion("1.27", "explain", "deployment.spec.replicas").outOrFail())
        .contains("KIND:       Deployment").contains("FIELD: replicas <integer>");
    // an unknown field is still the server's to refuse (fieldValidation=Strict), with upstream's message
    Path configMap = Files.createTempFile("configmap", ".yaml");
    Files.writeString(configMap, "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: cm, namespace: v2}\nbogus: field\n");
    TestCluster.Result bogus = cluster.kubectlVersion("1.27", "create", "-f", configMap.toString());
    assertThat(bogus.exitCode()).isNotZero();
    assertThat(bogus.err()).contains("strict decoding error: unknown field \"bogus\"");
  }

  @Test
  void everyKubectlExplainsFromTheV2Document() {
    for (String version : new String[] {"1.27", "1.30", "1.33"}) {
      assertThat(cluster.kubectlVersion(version, "explain", "pods.spec.containers", "--output", "plaintext-openapiv2")
          .outOrFail()).as("kubectl " + version).contains("KIND:     Pod").contains("RESOURCE: containers <[]Object>");
    }
  }

  @Test
  void jsonOrProtobufByAcceptWithAnETagAnd406ForAnythingElse() throws Exception {
    HttpClient http = HttpClient.newBuilder().sslContext(cluster.controlPlane().certificates().clientContext()).build();
    String token = cluster.controlPlane().tokens().adminToken();
    URI uri = URI.create(cluster.server() + "/openapi/v2");
    HttpResponse<byte[]> json = http.send(HttpRequest.newBuilder(uri).header("Authorization", "Bearer " + token).build(),
        HttpResponse.BodyHandlers.ofByteArray());
    assertThat(json.statusCode()).isEqualTo(200);
    assertThat(json.headers().firstValue("Content-Type")).contains("application/json");
    assertThat(Json.parse(json.body()).path("swagger").asText()).isEqualTo("2.0");
    String etag = json.headers().firstValue("ETag").orElseThrow();
    assertThat(etag).matches("\"[0-9A-F]{128}\"");
    // as kube-apiserver's: the handler's Vary line and gziphandler's
    assertThat(json.headers().allValues("Vary")).containsExactlyInAnyOrder("Accept", "Accept-Encoding");
    assertThat(json.headers().firstValue("Content-Encoding")).isEmpty();

    HttpResponse<byte[]> gzipped = http.send(HttpRequest.newBuilder(uri).header("Authorization", "Bearer " + token)
        .header("Accept-Encoding", "gzip").build(), HttpResponse.BodyHandlers.ofByteArray());
    assertThat(gzipped.headers().firstValue("Content-Encoding")).contains("gzip");
    assertThat(gzipped.headers().firstValue("ETag")).contains(etag);
    try (GZIPInputStream in = new GZIPInputStream(new ByteArrayInputStream(gzipped.body()))) {
      assertThat(in.readAllBytes()).isEqualTo(json.body());
    }

    HttpResponse<byte[]> protobuf = http.send(HttpRequest.newBuilder(uri).header("Authorization", "Bearer " + token)
        .header("Accept", "application/com.github.proto-openapi.spec.v2@v1.0+protobuf").build(), HttpResponse.BodyHandlers.ofByteArray());
    assertThat(protobuf.statusCode()).isEqualTo(200);
    assertThat(protobuf.headers().firstValue("Content-Type"))
        .contains("application/com.github.proto-openapi.spec.v2.v1.0+protobuf");
    assertThat(protobuf.headers().firstValue("ETag")).contains(etag);

    HttpResponse<byte[]> unchanged = http.send(HttpRequest.newBuilder(uri).header("Authorization", "Bearer " + token)
        .header("If-None-Match", etag).build(), HttpResponse.BodyHandlers.ofByteArray());
    assertThat(unchanged.statusCode()).isEqualTo(304);
    assertThat(unchanged.body()).isEmpty();

    HttpResponse<byte[]> html = http.send(HttpRequest.newBuilder(uri).header("Authorization", "Bearer " + token)
        .header("Accept", "text/html").build(), HttpResponse.BodyHandlers.ofByteArray());
    assertThat(html.statusCode()).isEqualTo(406);
  }
}
