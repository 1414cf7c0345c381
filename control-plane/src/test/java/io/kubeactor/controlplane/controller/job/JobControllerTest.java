package io.kubeactor.controlplane.controller.job;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.fabric8.kubernetes.api.model.Event;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.fabric8.kubernetes.api.model.batch.v1.JobCondition;
import io.kubeactor.common.Timestamps;
import io.kubeactor.controlplane.controller.Controller;
import io.kubeactor.controlplane.controller.ControllerFixture;
import io.kubeactor.controlplane.controller.OwnerReferences;
import io.kubeactor.controlplane.controller.Pods;
import java.time.Instant;
import java.util.List;
import org.apache.pekko.actor.typed.ActorRef;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The job controller over a real store: pods run to completions with parallelism; failures past backoffLimit. */
class JobControllerTest {

  static final ControllerFixture fixture = new ControllerFixture();
  static ActorRef<Controller.Command> controller;

  @BeforeAll
  static void startController() {
    controller = fixture.start(new JobController(fixture.context));
  }

  @AfterAll
  static void shutdown() {
    fixture.close();
  }

  static void job(String ns, String name, String spec) {
    fixture.apply("{apiVersion: v1, kind: Namespace, metadata: {name: " + ns + "}}");
    fixture.apply("""
        apiVersion: batch/v1
        kind: Job
        metadata: {name: %s, namespace: %s}
        spec:
          %s
          template:
            spec:
              restartPolicy: Never
              containers: [{name: c, image: busybox}]
        """.formatted(name, ns, spec));
  }

  static Job job(String ns, String name) {
    return fixture.get(Job.class, ns, name);
  }

  static List<Pod> podsOf(String ns, String name) {
    String uid = job(ns, name).getMetadata().getUid();
    return fixture.list(Pod.class, ns).stream().filter(p -> OwnerReferences.isControlledBy(p, uid)).toList();
  }

  static List<Pod> activePodsOf(String ns, String name) {
    return podsOf(ns, name).stream().filter(Pods::isActive).toList();
  }

  /** The pod's containers ended a minute ago in this phase, as the kubelet reports it. */
  static void finish(Pod pod, String phase) {
    String finishedAt = Timestamps.format(Instant.now().minusSeconds(60));
    fixture.changeStatus("v1", "Pod", pod.getMetadata().getNamespace(), pod.getMetadata().getName(), o -> {
      ObjectNode status = o.with("status");
      status.put("phase", phase);
      ObjectNode terminated = status.putArray("containerStatuses").addObject().put("name", "c").put("image", "busybox")
          .put("imageID", "").put("ready", false).put("restartCount", 0)
          .putObject("state").putObject("terminated");
      terminated.put("exitCode", phase.equals("Succeeded") ? 0 : 1).put("finishedAt", finishedAt);
      return o;
    });
  }

  static JobCondition condition(Job job, String type) {
    if (job.getStatus() == null || job.getStatus().getConditions() == null) return null;
    return job.getStatus().getConditions().stream().filter(c -> type.equals(c.getType())).findFirst().orElse(null);
  }

  static List<String> events(String ns, String reason) {
    return fixture.list(Event.class, ns).stream().filter(e -> reason.equals(e.getReason()))
        .map(Event::getMessage).toList();
  }

  @Test
  void runsThreeCompletionsTwoAtATimeAndCompletes() {
    job("job-complete", "pi", "completions: 3\n  parallelism: 2");
    Job created = job("job-complete", "pi");
    String uid = created.getMetadata().getUid();
    assertThat(created.getSpec().getSelector().getMatchLabels()).containsExactlyEntriesOf(
        java.util.Map.of("batch.kubernetes.io/controller-uid", uid));
    assertThat(created.getSpec().getTemplate().getMetadata().getLabels()).containsEntry("controller-uid", uid)
        .containsEntry("batch.kubernetes.io/controller-uid", uid).containsEntry("job-name", "pi")
        .containsEntry("batch.kubernetes.io/job-name", "pi");
    assertThat(created.getSpec().getBackoffLimit()).isEqualTo(6);
    assertThat(created.getSpec().getCompletionMode()).isEqualTo("NonIndexed");

    await().until(() -> activePodsOf("job-complete", "pi").size() == 2);
    fixture.awaitReconciled(controller, "job-complete/pi");
    assertThat(podsOf("job-complete", "pi")).hasSize(2).allSatisfy(p -> {
      assertThat(p.getMetadata().getName()).startsWith("pi-");
      assertThat(p.getMetadata().getLabels()).containsEntry("job-name", "pi");
    });
    await().until(() -> job("job-complete", "pi").getStatus() != null
        && Integer.valueOf(2).equals(job("job-complete", "pi").getStatus().getActive()));
    assertThat(job("job-complete", "pi").getStatus().getStartTime()).isNotNull();

    finish(activePodsOf("job-complete", "pi").get(0), "Succeeded");
    // one succeeded, two to go: a third pod starts beside the one still running
    await().until(() -> activePodsOf("job-complete", "pi").size() == 2 && podsOf("job-complete", "pi").size() == 3);
    await().until(() -> Integer.valueOf(1).equals(job("job-complete", "pi").getStatus().getSucceeded()));
    assertThat(condition(job("job-complete", "pi"), "Complete")).isNull();

    for (Pod p : activePodsOf("job-complete", "pi")) finish(p, "Succeeded");
    await().until(() -> condition(job("job-complete", "pi"), "Complete") != null);
    Job done = job("job-complete", "pi");
    assertThat(done.getStatus().getSucceeded()).isEqualTo(3);
    assertThat(done.getStatus().getActive()).isNull();
    assertThat(done.getStatus().getCompletionTime()).isNotNull();
    assertThat(condition(done, "Complete").getStatus()).isEqualTo("True");
    assertThat(condition(done, "Complete").getReason()).isEqualTo("CompletionsReached");
    assertThat(condition(done, "SuccessCriteriaMet").getStatus()).isEqualTo("True");
    assertThat(podsOf("job-complete", "pi")).hasSize(3);
    await().until(() -> events("job-complete", "Completed").equals(List.of("Job completed")));
    assertThat(events("job-complete", "SuccessfulCreate")).hasSize(3).allMatch(m -> m.startsWith("Created pod: pi-"));
  }

  @Test
  void failsWithBackoffLimitExceededOnceMoreThanBackoffLimitPodsFailed() {
    job("job-backoff", "flaky", "backoffLimit: 1");
    await().until(() -> activePodsOf("job-backoff", "flaky").size() == 1);
    finish(activePodsOf("job-backoff", "flaky").get(0), "Failed");
    // one failure is within the limit: the pod is replaced (its back-off ran out a minute ago)
    await().until(() -> activePodsOf("job-backoff", "flaky").size() == 1 && podsOf("job-backoff", "flaky").size() == 2);
    assertThat(condition(job("job-backoff", "flaky"), "Failed")).isNull();

    finish(activePodsOf("job-backoff", "flaky").get(0), "Failed");
    await().until(() -> condition(job("job-backoff", "flaky"), "Failed") != null);
    Job failed = job("job-backoff", "flaky");
    assertThat(failed.getStatus().getFailed()).isEqualTo(2);
    assertThat(condition(failed, "Failed").getReason()).isEqualTo("BackoffLimitExceeded");
    assertThat(condition(failed, "Failed").getMessage()).isEqualTo("Job has reached the specified backoff limit");
    assertThat(condition(failed, "FailureTarget").getReason()).isEqualTo("BackoffLimitExceeded");
    assertThat(failed.getStatus().getCompletionTime()).isNull();
    await().until(() -> events("job-backoff", "BackoffLimitExceeded").equals(
        List.of("Job has reached the specified backoff limit")));
    fixture.awaitReconciled(controller, "job-backoff/flaky");
    assertThat(podsOf("job-backoff", "flaky")).hasSize(2).noneMatch(Pods::isActive);
  }
}
