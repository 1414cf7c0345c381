package io.kubeactor.controlplane.api.selector;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.MissingNode;
import io.kubeactor.common.Json;
import io.kubeactor.controlplane.api.ApiException;
import io.kubeactor.controlplane.api.selector.LabelSelector.Operator;
import io.kubeactor.controlplane.api.selector.LabelSelector.Requirement;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class LabelSelectorTest {

  private static JsonNode yaml(String text) {
    try {
      return Json.YAML.readTree(text);
    } catch (Exception e) {
      throw new IllegalArgumentException(e);
    }
  }

  private static final JsonNode WEB_POD = yaml("""
      apiVersion: v1
      kind: Pod
      metadata:
        name: web-7d4b9c-x2x9z
        namespace: default
        labels:
          app: web
          tier: frontend
          env: prod
          replicas: "3"
      spec:
        containers:
        - name: nginx
          image: nginx:1.27
      """);

  private static JsonNode labels(JsonNode object) {
    return object.path("metadata").path("labels");
  }

  private static void assertBadRequest(String selector, String message) {
    assertThatThrownBy(() -> LabelSelector.parse(selector))
        .isInstanceOfSatisfying(ApiException.class, e -> {
          assertThat(e.code).isEqualTo(400);
          assertThat(e.reason).isEqualTo("BadRequest");
        })
        .hasMessage(message);
  }

  @Test
  void parsesEveryOperator() {
    LabelSelector selector = LabelSelector.parse(
        "app=web,tier!=db,env in (b,a),x notin (c),has,!gone,old==yes,n>3,m<5");

    assertThat(selector.requirements()).containsExactly(
        new Requirement("app", Operator.EQUALS, List.of("web")),
        new Requirement("env", Operator.IN, List.of("a", "b")),
        new Requirement("gone", Operator.DOES_NOT_EXIST, List.of()),
        new Requirement("has", Operator.EXISTS, List.of()),
        new Requirement("m", Operator.LESS_THAN, List.of("5")),
        new Requirement("n", Operator.GREATER_THAN, List.of("3")),
        new Requirement("old", Operator.DOUBLE_EQUALS, List.of("yes")),
        new Requirement("tier", Operator.NOT_EQUALS, List.of("db")),
        new Requirement("x", Operator.NOT_IN, List.of("c")));
    assertThat(selector).hasToString("app=web,env in (a,b),!gone,has,m<5,n>3,old==yes,tier!=db,x notin (c)");
  }

  @Test
  void toStringIsCanonicalAndParsesBackToTheSameSelector() {
    String text = "  zone notin (west ,east) , app = web,!legacy,track";
    LabelSelector selector = LabelSelector.parse(text);

    assertThat(selector).hasToString("app=web,!legacy,track,zone notin (east,west)");
    assertThat(LabelSelector.parse(selector.toString())).isEqualTo(selector);
  }

  @Test
  void acceptsWhatKubernetesAccepts() {
    // Empty slots are the empty value; "in" and "notin" are plain words where values go.
    assertThat(LabelSelector.parse("x in (a,,b)").requirements().get(0).values()).containsExactly("", "a", "b");
    assertThat(LabelSelector.parse("x in ()").requirements().get(0).values()).containsExactly("");
    assertThat(LabelSelector.parse("x=").requirements().get(0).values()).containsExactly("");
    assertThat(LabelSelector.parse("in in (in,notin)"))
        .hasToString("in in (in,notin)")
        .satisfies(s -> assertThat(s.matches(Map.of("in", "notin"))).isTrue());
    assertThat(LabelSelector.parse("app.kubernetes.io/name=web").matches(Map.of("app.kubernetes.io/name", "web"))).isTrue();
  }

  @Test
  void emptySelectsEverything() {
    assertThat(LabelSelector.parse("").isEverything()).isTrue();
    assertThat(LabelSelector.parse(" \t").isEverything()).isTrue();
    assertThat(LabelSelector.parse("").matches(labels(WEB_POD))).isTrue();
    assertThat(LabelSelector.parse("").matches(MissingNode.getInstance())).isTrue();
    assertThat(LabelSelector.parse("")).hasToString("");
  }

  @ParameterizedTest
  @CsvSource(delimiter = '|', textBlock = """
      app=web                     | true
      app==web                    | true
      app=api                     | false
      app!=api                    | true
      app!=web                    | false
      missing!=x                  | true
      env in (prod,staging)       | true
      env in (dev)                | false
      missing in (a)              | false
      env notin (dev)             | true
      env notin (prod)            | false
      missing notin (a)           | true
      tier                        | true
      missing                     | false
      !missing                    | true
      !tier                       | false
      replicas>2                  | true
      replicas<2                  | false
      app>2                       | false
      missing<9                   | false
      app=web,tier=frontend       | true
      app=web,tier=backend        | false
      """)
  void matchesLabelsOfAnObject(String selector, boolean matches) {
    assertThat(LabelSelector.parse(selector).matches(labels(WEB_POD))).isEqualTo(matches);
  }

  @Test
  void anObjectWithoutLabelsHasNone() {
    JsonNode unlabelled = yaml("""
        apiVersion: v1
        kind: ConfigMap
        metadata:
          name: settings
        """);

    assertThat(LabelSelector.parse("!app").matches(labels(unlabelled))).isTrue();
    assertThat(LabelSelector.parse("app").matches(labels(unlabelled))).isFalse();
    assertThat(LabelSelector.parse("app notin (web)").matches((JsonNode) null)).isTrue();
  }

  @Test
  void syntaxErrorsCarryKubernetesMessages() {
    assertBadRequest("x in (a", "unable to parse requirement: found '', expected: ',' or ')'");
    assertBadRequest("x in a", "unable to parse requirement: found 'a' expected: '('");
    assertBadRequest("x in (=)", "unable to parse requirement: found '=', expected: ',', ')' or identifier");
    assertBadRequest("x in (a=)", "unable to parse requirement: found '=', expected: ',' or ')'");
    assertBadRequest("a b", "unable to parse requirement: found 'b', expected: in, notin, =, ==, !=, gt, lt");
    assertBadRequest("a=(", "unable to parse requirement: found '(', expected: identifier");
    assertBadRequest("!,a", "unable to parse requirement: found ',', expected: identifier");
    assertBadRequest("!=a", "found '!=', expected: !, identifier, or 'end of string'");
    assertBadRequest("a=b c", "found 'c', expected: ',' or 'end of string'");
    assertBadRequest("a=b,,c", "found ',', expected: identifier after ','");
    assertBadRequest("a=b,", "found '', expected: identifier after ','");
    assertBadRequest("=a", "found '=', expected: !, identifier, or 'end of string'");
  }

  @Test
  void invalidKeysAndValuesCarryKubernetesMessages() {
    assertBadRequest("app:monolith", "unable to parse requirement: <nil>: Invalid value: \"app:monolith\": name part must"
        + " consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric"
        + " character (e.g. 'MyName',  or 'my.name',  or '123-abc', regex used for validation is"
        + " '([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]')");
    assertBadRequest("app.kubernetes_io/name=vault", "unable to parse requirement: <nil>: Invalid value:"
        + " \"app.kubernetes_io/name\": prefix part a lowercase RFC 1123 subdomain must consist of lower case"
        + " alphanumeric characters, '-' or '.', and must start and end with an alphanumeric character (e.g."
        + " 'example.com', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*')");
    assertBadRequest("app=-web", "unable to parse requirement: values[0][app]: Invalid value: \"-web\": a valid label"
        + " must be an empty string or consist of alphanumeric characters, '-', '_' or '.', and must start and end"
        + " with an alphanumeric character (e.g. 'MyValue',  or 'my_value',  or '12345', regex used for validation"
        + " is '(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?')");
    assertBadRequest("replicas>many",
        "unable to parse requirement: values[0]: Invalid value: \"many\": for 'Gt', 'Lt' operators, the value must be an integer");
    assertBadRequest("a" .repeat(64), "unable to parse requirement: <nil>: Invalid value: \"" + "a".repeat(64)
        + "\": name part must be no more than 63 characters");
  }

  @Test
  void fromJsonReadsADeploymentSelector() {
    JsonNode deployment = yaml("""
        apiVersion: apps/v1
        kind: Deployment
        metadata:
          name: web
        spec:
          selector:
            matchLabels:
              app: web
            matchExpressions:
            - key: env
              operator: In
              values: [staging, prod]
            - key: legacy
              operator: DoesNotExist
            - key: tier
              operator: Exists
            - key: track
              operator: NotIn
              values: [canary]
        """);

    LabelSelector selector = LabelSelector.fromJson(deployment.path("spec").path("selector"));

    assertThat(selector).hasToString("app=web,env in (prod,staging),!legacy,tier,track notin (canary)");
    assertThat(selector.matches(labels(WEB_POD))).isTrue();
    assertThat(selector.matches(Map.of("app", "web", "env", "prod", "tier", "a", "track", "canary"))).isFalse();
    assertThat(selector.matches(Map.of("app", "web", "env", "prod", "tier", "a", "legacy", "y"))).isFalse();
    assertThat(selector.matches(Map.of("app", "web", "env", "prod"))).isFalse();
    assertThat(LabelSelector.parse(selector.toString())).hasToString(selector.toString());
  }

  @Test
  void aNilSelectorSelectsNothingAndAnEmptyOneEverything() {
    JsonNode spec = yaml("""
        replicas: 1
        selector: null
        """);

    for (JsonNode nil : new JsonNode[] {null, spec.path("selector"), spec.path("absent")}) {
      LabelSelector selector = LabelSelector.fromJson(nil);
      assertThat(selector.isNothing()).isTrue();
      assertThat(selector.isEverything()).isFalse();
      assertThat(selector.matches(labels(WEB_POD))).isFalse();
      assertThat(selector.matches(Map.of())).isFalse();
      assertThat(selector).hasToString("");
    }
    assertThat(LabelSelector.fromJson(yaml("{}")).isEverything()).isTrue();
    assertThat(LabelSelector.fromJson(yaml("{matchLabels: {}, matchExpressions: []}")).matches(Map.of())).isTrue();
  }

  @Test
  void fromJsonRejectsWhatKubernetesRejects() {
    assertThatThrownBy(() -> LabelSelector.fromJson(yaml("""
        matchExpressions:
        - {key: size, operator: Gt, values: ["3"]}
        """))).isInstanceOf(ApiException.class).hasMessage("\"Gt\" is not a valid pod selector operator");
    assertThatThrownBy(() -> LabelSelector.fromJson(yaml("""
        matchExpressions:
        - {key: env, operator: In}
        """))).hasMessage("values: Invalid value: []string(nil): for 'in', 'notin' operators, values set can't be empty");
    assertThatThrownBy(() -> LabelSelector.fromJson(yaml("""
        matchExpressions:
        - {key: env, operator: Exists, values: [a, b]}
        """))).hasMessage("values: Invalid value: []string{\"a\", \"b\"}: values set must be empty for exists and does not exist");
    assertThatThrownBy(() -> LabelSelector.fromJson(yaml("""
        matchLabels: {"a/b/c": x}
        """))).hasMessageStartingWith("key: Invalid value: \"a/b/c\": a qualified name must consist of");
  }

  @Test
  void fromMapIsAnEqualityPerLabel() {
    LabelSelector selector = LabelSelector.fromMap(Map.of("tier", "frontend", "app", "web"));

    assertThat(selector).hasToString("app=web,tier=frontend");
    assertThat(selector.matches(labels(WEB_POD))).isTrue();
    assertThat(selector.matches(Map.of("app", "web"))).isFalse();
    assertThat(LabelSelector.fromMap(Map.of()).isEverything()).isTrue();
  }
}
