package io.kubeactor.controlplane.apiserver;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.kubeactor.common.Json;
import io.kubeactor.common.cluster.AgentEndpoint;
import io.kubeactor.controlplane.api.ApiException;
import io.kubeactor.controlplane.apiserver.PodStreamLocations.Location;
import io.kubeactor.controlplane.apiserver.PodStreamLocations.LogOptions;
import io.kubeactor.controlplane.apiserver.PodStreamLocations.StreamOptions;
import io.kubeactor.controlplane.node.AgentDirectory;
import java.util.Optional;
import org.apache.pekko.http.javadsl.model.Query;
import org.junit.jupiter.api.Test;

/** The checks before a pod's log, exec or attach reaches its node, worded as kube-apiserver words them. */
class PodStreamLocationsTest {

  static final AgentEndpoint AGENT = new AgentEndpoint("10.0.0.7", 41234);
  static final AgentDirectory NODE_1 = n -> n.equals("node-1") ? Optional.of(AGENT) : Optional.empty();

  static ObjectNode pod(String name, String node, String... containers) {
    return (ObjectNode) Json.parse(("{\"metadata\":{\"name\":\"" + name + "\",\"namespace\":\"demo\"},"
        + "\"spec\":{\"nodeName\":\"" + node + "\",\"containers\":[" + String.join(",",
            java.util.Arrays.stream(containers).map(c -> "{\"name\":\"" + c + "\"}").toList()) + "]}}")
        .getBytes());
  }

  static LogOptions logOptions(String query) {
    return LogOptions.parse(Query.create(query));
  }

  static StreamOptions streamOptions(String query) {
    return StreamOptions.parse(Query.create(query));
  }

  static ApiException failure(Runnable r) {
    try {
      r.run();
    } catch (ApiException e) {
      return e;
    }
    throw new AssertionError("no ApiException");
  }

  @Test
  void theOnlyContainerIsTheDefault() {
    Location at = PodStreamLocations.log(pod("web", "node-1", "main"), logOptions(""), NODE_1).orElseThrow();
    assertThat(at.agent()).isEqualTo(AGENT);
    assertThat(at.node()).isEqualTo("node-1");
    assertThat(at.uri().toString()).isEqualTo("https://10.0.0.7:41234/containerLogs/demo/web/main");
  }

  @Test
  void severalContainersNeedANameAndInitContainersAreChoices() {
    ObjectNode pod = pod("multi", "node-1", "main", "sidecar");
    pod.withObjectProperty("spec").putArray("initContainers").addObject().put("name", "setup");
    ApiException e = failure(() -> PodStreamLocations.log(pod, logOptions(""), NODE_1));
    assertThat(e.code).isEqualTo(400);
    assertThat(e.reason).isEqualTo("BadRequest");
    assertThat(e.getMessage()).isEqualTo("a container name must be specified for pod multi, choose one of: [setup main sidecar]");
    assertThat(failure(() -> PodStreamLocations.exec(pod, streamOptions("command=ls"), NODE_1)).getMessage())
        .isEqualTo("a container name must be specified for pod multi, choose one of: [setup main sidecar]");
    assertThat(PodStreamLocations.log(pod, logOptions("container=setup"), NODE_1).orElseThrow().uri().path())
        .isEqualTo("/containerLogs/demo/multi/setup");
  }

  @Test
  void aPodWithoutContainersNeedsAName() {
    assertThat(failure(() -> PodStreamLocations.log(pod("empty", "node-1"), logOptions(""), NODE_1)).getMessage())
        .isEqualTo("a container name must be specified for pod empty");
  }

  @Test
  void anUnknownContainerIsNotValid() {
    ApiException e = failure(() -> PodStreamLocations.exec(pod("web", "node-1", "main"), streamOptions("container=x&command=ls"), NODE_1));
    assertThat(e.code).isEqualTo(400);
    assertThat(e.getMessage()).isEqualTo("container x is not valid for pod web");
    assertThat(failure(() -> PodStreamLocations.log(pod("web", "node-1", "main"), logOptions("container=x"), NODE_1)).getMessage())
        .isEqualTo("container x is not valid for pod web");
  }

  @Test
  void execNeedsAHostButALogOfAnUnscheduledPodIsEmpty() {
    ObjectNode pending = pod("pending", "", "main");
    ApiException e = failure(() -> PodStreamLocations.exec(pending, streamOptions("command=ls"), NODE_1));
    assertThat(e.code).isEqualTo(400);
    assertThat(e.getMessage()).isEqualTo("pod pending does not have a host assigned");
    assertThat(failure(() -> PodStreamLocations.attach(pending, streamOptions("stdout=true"), NODE_1)).getMessage())
        .isEqualTo("pod pending does not have a host assigned");
    assertThat(PodStreamLocations.log(pending, logOptions(""), NODE_1)).isEmpty();
  }

  @Test
  void aNodeWithoutAnAgentIsUnavailable() {
    ApiException e = failure(() -> PodStreamLocations.exec(pod("web", "node-2", "main"), streamOptions("command=ls"), NODE_1));
    assertThat(e.code).isEqualTo(503);
    assertThat(e.reason).isEqualTo("ServiceUnavailable");
    assertThat(e.getMessage()).isEqualTo("no node agent is connected for node \"node-2\"");
  }

  @Test
  void logOptionsAreValidatedAsPodLogOptions() {
    ObjectNode pod = pod("web", "node-1", "main");
    ApiException tail = failure(() -> PodStreamLocations.log(pod, logOptions("tailLines=-1"), NODE_1));
    assertThat(tail.code).isEqualTo(422);
    assertThat(tail.getMessage()).isEqualTo("PodLogOptions \"web\" is invalid: tailLines: Invalid value: -1: must be greater than or equal to 0");
    assertThat(failure(() -> PodStreamLocations.log(pod, logOptions("limitBytes=0"), NODE_1)).getMessage())
        .isEqualTo("PodLogOptions \"web\" is invalid: limitBytes: Invalid value: 0: must be greater than 0");
    assertThat(failure(() -> PodStreamLocations.log(pod, logOptions("sinceSeconds=0"), NODE_1)).getMessage())
        .isEqualTo("PodLogOptions \"web\" is invalid: sinceSeconds: Invalid value: 0: must be greater than 0");
    assertThat(failure(() -> PodStreamLocations.log(pod, logOptions("sinceSeconds=5&sinceTime=2026-01-01T00:00:00Z"), NODE_1))
        .getMessage()).contains("at most one of `sinceTime` or `sinceSeconds` may be specified");
    assertThat(failure(() -> PodStreamLocations.log(pod, logOptions("tailLines=many"), NODE_1)).code).isEqualTo(400);
  }

  @Test
  void logOptionsTravelInKubeletsForm() {
    Location at = PodStreamLocations.log(pod("web", "node-1", "main"),
        logOptions("container=main&follow=true&previous=true&timestamps=true&tailLines=10&limitBytes=500"
            + "&sinceTime=2026-03-01T10:00:00%2B02:00&insecureSkipTLSVerifyBackend=true"), NODE_1).orElseThrow();
    assertThat(at.uri().query().toList()).extracting(p -> p.first() + "=" + p.second()).containsExactly(
        "follow=true", "previous=true", "timestamps=true", "sinceTime=2026-03-01T08:00:00Z", "tailLines=10", "limitBytes=500");
    assertThat(PodStreamLocations.log(pod("web", "node-1", "main"), logOptions("follow=false&sinceSeconds=30"), NODE_1)
        .orElseThrow().uri().rawQueryString().orElse("")).isEqualTo("sinceSeconds=30");
  }

  @Test
  void execOptionsTravelInKubeletsFormWithTheCommandInOrder() {
    Location at = PodStreamLocations.exec(pod("web", "node-1", "main"),
        streamOptions("command=sh&command=-c&command=echo+a+%26+b&container=main&stdin=true&stdout=true&tty=true"), NODE_1);
    assertThat(at.uri().path()).isEqualTo("/exec/demo/web/main");
    assertThat(at.uri().query().toList()).extracting(p -> p.first() + "=" + p.second())
        .containsExactly("stdin=1", "stdout=1", "tty=1", "command=sh", "command=-c", "command=echo a & b");
    Location attach = PodStreamLocations.attach(pod("web", "node-1", "main"), streamOptions("stdin=true&stdout=true&stderr=true&command=x"), NODE_1);
    assertThat(attach.uri().toString()).isEqualTo("https://10.0.0.7:41234/attach/demo/web/main?stdin=1&stdout=1&stderr=1");
  }

  @Test
  void aContainerWaitingToStartHasNoLogYet() {
    ObjectNode pod = pod("starting", "node-1", "main");
    ObjectNode status = pod.putObject("status");
    ObjectNode main = status.putArray("containerStatuses").addObject().put("name", "main");
    main.putObject("state").putObject("waiting").put("reason", "ContainerCreating");
    assertThat(failure(() -> PodStreamLocations.log(pod, logOptions(""), NODE_1)).getMessage())
        .isEqualTo("container \"main\" in pod \"starting\" is waiting to start: ContainerCreating");
    main.putObject("state").putObject("waiting").put("reason", "ImagePullBackOff");
    assertThat(failure(() -> PodStreamLocations.log(pod, logOptions(""), NODE_1)).getMessage())
        .isEqualTo("container \"main\" in pod \"starting\" is waiting to start: trying and failing to pull image");
    main.putObject("state").putObject("waiting").put("reason", "ErrImagePull");
    assertThat(failure(() -> PodStreamLocations.log(pod, logOptions(""), NODE_1)).getMessage())
        .isEqualTo("container \"main\" in pod \"starting\" is waiting to start: image can't be pulled");
    // in CrashLoopBackOff the last run's log is shown
    main.putObject("state").putObject("waiting").put("reason", "CrashLoopBackOff");
    main.putObject("lastState").putObject("terminated").put("exitCode", 1);
    assertThat(PodStreamLocations.log(pod, logOptions(""), NODE_1)).isPresent();
  }

  @Test
  void validationComesBeforeTheNode() {
    assertThatThrownBy(() -> PodStreamLocations.log(pod("web", "", "main"), logOptions("container=nope"), NODE_1))
        .hasMessage("container nope is not valid for pod web");
  }
}
