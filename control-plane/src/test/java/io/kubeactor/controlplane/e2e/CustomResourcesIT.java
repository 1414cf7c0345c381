package io.kubeactor.controlplane.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.Watcher;
import io.fabric8.kubernetes.client.WatcherException;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * CustomResourceDefinitions as a user meets them with the real kubectl (and fabric8 and the Python
 * client as second and third clients): the definition is established, its kind served with its
 * printer columns, short name and subresources, its objects pruned, defaulted and validated as
 * kube-apiserver does it, and deleting the definition deletes its objects. The CronTab is
 * Kubernetes' own example (the CRD walkthrough in its documentation).
 */
class CustomResourcesIT {

  static final String CRONTAB_CRD = """
      apiVersion: apiextensions.k8s.io/v1
      kind: CustomResourceDefinition
      metadata:
        name: crontabs.stable.example.com
      spec:
        group: stable.example.com
        versions:
        - name: v1
          served: true
          storage: true
          schema:
            openAPIV3Schema:
              type: object
              properties:
                spec:
                  type: object
                  properties:
                    cronSpec:
                      type: string
                      pattern: '^(\\d+|\\*)(/\\d+)?(\\s+(\\d+|\\*)(/\\d+)?){4}$'
                    image:
                      type: string
                    replicas:
                      type: integer
                      minimum: 1
                      maximum: 10
                      default: 1
                  required: ["cronSpec"]
                status:
                  type: object
                  properties:
                    replicas:
                      type: integer
                    labelSelector:
                      type: string
          subresources:
            status: {}
            scale:
              specReplicasPath: .spec.replicas
              statusReplicasPath: .status.replicas
              labelSelectorPath: .status.labelSelector
          additionalPrinterColumns:
          - name: Spec
            type: string
            jsonPath: .spec.cronSpec
          - name: Replicas
            type: integer
            jsonPath: .spec.replicas
          - name: Age
            type: date
            jsonPath: .metadata.creationTimestamp
        scope: Namespaced
        names:
          plural: crontabs
          singular: crontab
          kind: CronTab
          shortNames:
          - ct
      """;

  static TestCluster cluster;

  @BeforeAll
  static void start() throws Exception {
    cluster = TestCluster.start();
    cluster.kubectlWithInput(CRONTAB_CRD, "apply", "-f", "-").outOrFail();
    cluster.kubectl("wait", "--for=condition=Established", "crd/crontabs.stable.example.com", "--timeout=30s").outOrFail();
  }

  @AfterAll
  static void stop() throws Exception {
    if (cluster != null) cluster.close();
  }

  static String crontab(String namespace, String name, String spec) {
    return "apiVersion: stable.example.com/v1\nkind: CronTab\nmetadata:\n  name: " + name + "\n  namespace: " + namespace
        + "\nspec:\n" + spec.indent(2);
  }

  @Test
  void anEstablishedDefinitionServesItsKindWithItsNamesAndPrinterColumns() {
    String conditions = cluster.kubectl("get", "crd", "crontabs.stable.example.com", "-o",
        "jsonpath={range .status.conditions[*]}{.type}={.status}/{.reason} {end}").outOrFail();
    assertThat(conditions).contains("NamesAccepted=True/NoConflicts", "Established=True/InitialNamesAccepted");
    assertThat(cluster.kubectl("api-resources", "--api-group=stable.example.com", "--no-headers").outOrFail())
        .matches("(?s)crontabs\\s+ct\\s+stable.example.com/v1\\s+true\\s+CronTab\\s*");

    cluster.kubectl("create", "namespace", "printed").outOrFail();
    cluster.kubectlWithInput(crontab("printed", "every-five", "cronSpec: '* * * * */5'\nimage: my-awesome-cron-image"),
        "apply", "-f", "-").outOrFail();
    String table = cluster.kubectl("get", "ct", "-n", "printed").outOrFail();
    assertThat(table.lines().toList().get(0)).matches("NAME\\s+SPEC\\s+REPLICAS\\s+AGE");
    // replicas comes from the schema's default
    assertThat(table.lines().toList().get(1)).matches("every-five\\s+\\* \\* \\* \\* \\*/5\\s+1\\s+\\d+s");
    assertThat(cluster.kubectl("get", "crontab", "every-five", "-n", "printed", "-o", "jsonpath={.spec.replicas} {.metadata.generation}")
        .outOrFail()).isEqualTo("1 1");
  }

  /** kubectl explain reads a custom kind from the OpenAPI documents, v3 (1.32) and v2 (1.27), and 1.27 applies it. */
  @Test
  void explainAndOlderKubectlsReadTheKindsSchema() {
    String v3 = cluster.kubectl("explain", "crontab.spec").outOrFail();
    assertThat(v3).contains("GROUP:      stable.example.com", "KIND:       CronTab", "FIELD: spec <Object>")
        .containsPattern("cronSpec\\s+<string> -required-").containsPattern("replicas\\s+<integer>");
    String v2 = cluster.kubectlVersion("1.27", "explain", "crontab.spec", "--output", "plaintext-openapiv2").outOrFail();
    assertThat(v2).contains("KIND:     CronTab", "VERSION:  stable.example.com/v1", "RESOURCE: spec <Object>")
        .containsPattern("cronSpec\\s+<string> -required-");
    cluster.kubectl("create", "namespace", "old-kubectl").outOrFail();
    cluster.kubectlVersion("1.27", "apply", "-f", writeTemp(crontab("old-kubectl", "applied", "cronSpec: '* * * * *'")))
        .outOrFail();
    assertThat(cluster.kubectl("get", "ct", "applied", "-n", "old-kubectl", "-o", "name").outOrFail().strip())
        .isEqualTo("crontab.stable.example.com/applied");
  }

  static String writeTemp(String manifest) {
    try {
      java.nio.file.Path file = java.nio.file.Files.createTempFile("crontab", ".yaml");
      java.nio.file.Files.writeString(file, manifest);
      file.toFile().deleteOnExit();
      return file.toString();
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }

  @Test
  void objectsAreValidatedAgainstTheSchemaAsKubeApiserverWordsIt() {
    cluster.kubectl("create", "namespace", "validated").outOrFail();
    TestCluster.Result invalid = cluster.kubectlWithInput(crontab("validated", "bad", "cronSpec: xyz\nreplicas: 15"),
        "create", "-f", "-");
    assertThat(invalid.exitCode()).isNotZero();
    assertThat(invalid.err()).contains("The CronTab \"bad\" is invalid: ",
        "spec.cronSpec: Invalid value: \"xyz\": spec.cronSpec in body should match '^(\\d+|\\*)(/\\d+)?(\\s+(\\d+|\\*)(/\\d+)?){4}$'",
        "spec.replicas: Invalid value: 15: spec.replicas in body should be less than or equal to 10");
    TestCluster.Result wrongType = cluster.kubectlWithInput(crontab("validated", "bad", "cronSpec: '* * * * *'\nreplicas: three"),
        "create", "-f", "-");
    assertThat(wrongType.err()).contains(
        "The CronTab \"bad\" is invalid: spec.replicas: Invalid value: \"string\": spec.replicas in body must be of type integer: \"string\"");
    TestCluster.Result missing = cluster.kubectlWithInput(crontab("validated", "bad", "image: x"), "create", "-f", "-");
    assertThat(missing.err()).contains("The CronTab \"bad\" is invalid: spec.cronSpec: Required value");

    // an unknown field: refused under kubectl's strict field validation, pruned otherwise
    String unknown = crontab("validated", "pruned", "cronSpec: '* * * * *'\nfoo: bar");
    TestCluster.Result strict = cluster.kubectlWithInput(unknown, "create", "-f", "-");
    assertThat(strict.err()).contains("Error from server (BadRequest): error when creating \"STDIN\": CronTab in version \"v1\""
        + " cannot be handled as a CronTab: strict decoding error: unknown field \"spec.foo\"");
    cluster.kubectlWithInput(unknown, "create", "--validate=false", "-f", "-").outOrFail();
    assertThat(cluster.kubectl("get", "ct", "pruned", "-n", "validated", "-o", "jsonpath={.spec}").outOrFail())
        .isEqualTo("{\"cronSpec\":\"* * * * *\",\"replicas\":1}");
    assertThat(cluster.kubectl("get", "ct", "-n", "validated", "-o", "name").outOrFail().strip())
        .isEqualTo("crontab.stable.example.com/pruned");

    TestCluster.Result strategic = cluster.kubectl("patch", "ct", "pruned", "-n", "validated", "--type=strategic",
        "-p", "{\"spec\":{\"image\":\"x\"}}");
    assertThat(strategic.err()).contains("the body of the request was in an unknown format - accepted media types include:"
        + " application/json-patch+json, application/merge-patch+json, application/apply-patch+yaml");
  }

  @Test
  void scaleAndStatusAreSubresources() {
    cluster.kubectl("create", "namespace", "scaled").outOrFail();
    cluster.kubectlWithInput(crontab("scaled", "job", "cronSpec: '* * * * *'"), "apply", "-f", "-").outOrFail();
    cluster.kubectl("scale", "ct", "job", "-n", "scaled", "--replicas=3").outOrFail();
    assertThat(cluster.kubectl("get", "ct", "job", "-n", "scaled", "-o", "jsonpath={.spec.replicas} {.metadata.generation}")
        .outOrFail()).isEqualTo("3 2");

    // status only through /status; a write of the object keeps it
    cluster.kubectl("patch", "ct", "job", "-n", "scaled", "--subresource=status", "--type=merge",
        "-p", "{\"status\":{\"replicas\":3,\"labelSelector\":\"app=job\"}}").outOrFail();
    cluster.kubectl("patch", "ct", "job", "-n", "scaled", "--type=merge", "-p", "{\"status\":{\"replicas\":9}}").outOrFail();
    assertThat(cluster.kubectl("get", "ct", "job", "-n", "scaled", "--subresource=scale", "-o",
        "jsonpath={.spec.replicas} {.status.replicas} {.status.selector}").outOrFail()).isEqualTo("3 3 app=job");
    assertThat(cluster.kubectl("get", "ct", "job", "-n", "scaled", "-o", "jsonpath={.metadata.generation}").outOrFail())
        .isEqualTo("2");

    TestCluster.Result tooMany = cluster.kubectl("scale", "ct", "job", "-n", "scaled", "--replicas=11");
    assertThat(tooMany.err()).contains("spec.replicas: Invalid value: 11: spec.replicas in body should be less than or equal to 10");
  }

  @Test
  void otherClientsListAndWatchCustomResources() throws Exception {
    cluster.kubectl("create", "namespace", "watched").outOrFail();
    List<String> events = new CopyOnWriteArrayList<>();
    try (KubernetesClient client = cluster.fabric8();
        var watch = client.genericKubernetesResources("stable.example.com/v1", "CronTab").inNamespace("watched")
            .watch(new Watcher<GenericKubernetesResource>() {
              @Override
              public void eventReceived(Action action, GenericKubernetesResource resource) {
                events.add(action + " " + resource.getMetadata().getName());
              }

              @Override
              public void onClose(WatcherException cause) {}
            })) {
      cluster.kubectlWithInput(crontab("watched", "seen", "cronSpec: '* * * * *'"), "apply", "-f", "-").outOrFail();
      cluster.kubectl("delete", "ct", "seen", "-n", "watched").outOrFail();
      await().atMost(Duration.ofSeconds(20)).until(() -> events.contains("DELETED seen"));
      assertThat(events).containsSubsequence("ADDED seen", "DELETED seen");
    }
    cluster.kubectlWithInput(crontab("watched", "listed", "cronSpec: '*/2 * * * *'"), "apply", "-f", "-").outOrFail();
    ScriptClient.Result python = PythonClient.forCluster(cluster).run("""
        import sys
        from kubernetes import client, config
        config.load_kube_config(config_file=sys.argv[1])
        items = client.CustomObjectsApi().list_namespaced_custom_object("stable.example.com", "v1", "watched", "crontabs")["items"]
        print([(i["metadata"]["name"], i["spec"]["cronSpec"], i["spec"]["replicas"]) for i in items])
        """);
    assertThat(python.out()).as(python.err()).contains("[('listed', '*/2 * * * *', 1)]");
  }

  /** Validation rules in CEL refuse what they fail, in upstream's words; a rule that does not compile refuses the CRD. */
  @Test
  void validationRulesInCelAreEnforced() {
    String crd = """
        apiVersion: apiextensions.k8s.io/v1
        kind: CustomResourceDefinition
        metadata: {name: ranges.example.org}
        spec:
          group: example.org
          scope: Namespaced
          names: {plural: ranges, kind: Range}
          versions:
          - name: v1
            served: true
            storage: true
            schema:
              openAPIV3Schema:
                type: object
                properties:
                  spec:
                    type: object
                    x-kubernetes-validations:
                    - {rule: "self.min <= self.max", message: "min must not be above max"}
                    properties:
                      min: {type: integer}
                      max: {type: integer}
                      owner: {type: string, x-kubernetes-validations: [{rule: "self == oldSelf", message: "owner is immutable"}]}
        """;
    TestCluster.Result broken = cluster.kubectlWithInput(crd.replace("self.min <= self.max", "self.min <="), "apply", "-f", "-");
    assertThat(broken.err()).contains("spec.versions[0].schema.openAPIV3Schema.properties[spec].x-kubernetes-validations[0].rule:"
        + " Invalid value: \"self.min <=\": compilation failed: ERROR: <input>:1:");
    cluster.kubectlWithInput(crd, "apply", "-f", "-").outOrFail();
    cluster.kubectl("wait", "--for=condition=Established", "crd/ranges.example.org", "--timeout=30s").outOrFail();
    cluster.kubectl("create", "namespace", "ranges").outOrFail();
    String range = "apiVersion: example.org/v1\nkind: Range\nmetadata: {name: r, namespace: ranges}\nspec: {min: %d, max: %d, owner: %s}\n";
    TestCluster.Result inverted = cluster.kubectlWithInput(range.formatted(5, 1, "a"), "create", "-f", "-");
    assertThat(inverted.err()).contains("The Range \"r\" is invalid: spec: Invalid value: \"object\": min must not be above max");
    cluster.kubectlWithInput(range.formatted(1, 5, "a"), "create", "-f", "-").outOrFail();
    TestCluster.Result changed = cluster.kubectlWithInput(range.formatted(1, 5, "b"), "apply", "-f", "-");
    assertThat(changed.err()).contains("spec.owner: Invalid value: \"string\": owner is immutable");
  }

  /** The garbage collector follows ownerReferences to and from custom resources as between any kinds. */
  @Test
  void ownerReferencesToAndFromCustomResourcesAreCollected() {
    cluster.kubectl("create", "namespace", "owned").outOrFail();
    cluster.kubectlWithInput(crontab("owned", "owner", "cronSpec: '* * * * *'"), "apply", "-f", "-").outOrFail();
    String ownerUid = cluster.kubectl("get", "ct", "owner", "-n", "owned", "-o", "jsonpath={.metadata.uid}").outOrFail();
    cluster.kubectlWithInput("""
        apiVersion: v1
        kind: ConfigMap
        metadata:
          name: owned-by-crontab
          namespace: owned
          ownerReferences: [{apiVersion: stable.example.com/v1, kind: CronTab, name: owner, uid: %s}]
        """.formatted(ownerUid), "apply", "-f", "-").outOrFail();
    cluster.kubectl("create", "configmap", "parent", "-n", "owned").outOrFail();
    String parentUid = cluster.kubectl("get", "cm", "parent", "-n", "owned", "-o", "jsonpath={.metadata.uid}").outOrFail();
    cluster.kubectlWithInput(crontab("owned", "child", "cronSpec: '* * * * *'").replace("  namespace: owned\n",
        "  namespace: owned\n  ownerReferences: [{apiVersion: v1, kind: ConfigMap, name: parent, uid: " + parentUid + "}]\n"),
        "apply", "-f", "-").outOrFail();

    cluster.kubectl("delete", "ct", "owner", "-n", "owned").outOrFail();
    cluster.kubectl("delete", "cm", "parent", "-n", "owned").outOrFail();
    await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
      assertThat(cluster.kubectl("get", "cm", "owned-by-crontab", "-n", "owned").err()).contains("NotFound");
      assertThat(cluster.kubectl("get", "ct", "child", "-n", "owned").err()).contains("NotFound");
    });
  }

  @Test
  void deletingTheDefinitionDeletesItsObjectsFirst() {
    String crd = CRONTAB_CRD.replace("crontabs.stable.example.com", "widgets.example.com")
        .replace("group: stable.example.com", "group: example.com").replace("plural: crontabs", "plural: widgets")
        .replace("singular: crontab", "singular: widget").replace("kind: CronTab", "kind: Widget")
        .replace("- ct", "- wd");
    cluster.kubectlWithInput(crd, "apply", "-f", "-").outOrFail();
    cluster.kubectl("wait", "--for=condition=Established", "crd/widgets.example.com", "--timeout=30s").outOrFail();
    cluster.kubectl("create", "namespace", "widgets").outOrFail();
    String widget = "apiVersion: example.com/v1\nkind: Widget\nmetadata:\n  name: held\n  namespace: widgets\n"
        + "  finalizers: [example.com/hold]\nspec:\n  cronSpec: '* * * * *'\n";
    cluster.kubectlWithInput(widget, "apply", "-f", "-").outOrFail();

    cluster.kubectl("delete", "crd", "widgets.example.com", "--wait=false").outOrFail();
    // the widget's own finalizer holds it, and it holds the definition: Terminating, still served
    await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> assertThat(cluster.kubectl("get", "crd", "widgets.example.com",
        "-o", "jsonpath={range .status.conditions[?(@.type==\"Terminating\")]}{.status}/{.reason}{end}").outOrFail())
        .isEqualTo("True/InstanceDeletionInProgress"));
    assertThat(cluster.kubectl("get", "wd", "held", "-n", "widgets", "-o", "jsonpath={.metadata.deletionTimestamp}").outOrFail())
        .isNotEmpty();
    TestCluster.Result created = cluster.kubectlWithInput(widget.replace("held", "late"), "create", "-f", "-");
    assertThat(created.err()).contains("create not allowed while custom resource definition is terminating");

    cluster.kubectl("patch", "wd", "held", "-n", "widgets", "--type=merge", "-p", "{\"metadata\":{\"finalizers\":null}}")
        .outOrFail();
    await().atMost(Duration.ofSeconds(20)).untilAsserted(() ->
        assertThat(cluster.kubectl("get", "crd", "widgets.example.com").err()).contains("NotFound"));
    assertThat(cluster.kubectl("get", "--raw", "/apis/example.com/v1/namespaces/widgets/widgets").err()).contains("NotFound");
  }
}
