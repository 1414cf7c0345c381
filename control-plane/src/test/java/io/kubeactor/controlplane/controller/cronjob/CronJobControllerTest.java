package io.kubeactor.controlplane.controller.cronjob;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.fabric8.kubernetes.api.model.Event;
import io.fabric8.kubernetes.api.model.batch.v1.CronJob;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.kubeactor.controlplane.controller.Controller;
import io.kubeactor.controlplane.controller.ControllerFixture;
import io.kubeactor.controlplane.controller.ControllerSettings;
import io.kubeactor.controlplane.controller.nodelifecycle.MutableClock;
import io.kubeactor.controlplane.controller.OwnerReferences;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.apache.pekko.actor.typed.ActorRef;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The cronjob controller over a real store, its time moved by the test: Jobs at their scheduled minutes. */
class CronJobControllerTest {

  static final MutableClock clock = new MutableClock(Instant.now());
  static final ControllerFixture fixture = new ControllerFixture(ControllerSettings.defaults(), clock);
  static ActorRef<Controller.Command> controller;

  @BeforeAll
  static void startController() {
    controller = fixture.start(new CronJobController(fixture.context));
  }

  @AfterAll
  static void shutdown() {
    fixture.close();
  }

  static void cronJob(String ns, String name, String policy) {
    fixture.apply("{apiVersion: v1, kind: Namespace, metadata: {name: " + ns + "}}");
    fixture.apply("""
        apiVersion: batch/v1
        kind: CronJob
        metadata: {name: %s, namespace: %s}
        spec:
          schedule: "*/1 * * * *"
          concurrencyPolicy: %s
          jobTemplate:
            metadata: {labels: {app: %s}}
            spec:
              template:
                spec:
                  restartPolicy: OnFailure
                  containers: [{name: c, image: busybox}]
        """.formatted(name, ns, policy, name));
  }

  static List<Job> jobsOf(String ns, String name) {
    String uid = fixture.get(CronJob.class, ns, name).getMetadata().getUid();
    return fixture.list(Job.class, ns).stream().filter(j -> OwnerReferences.isControlledBy(j, uid)).toList();
  }

  /** Moves the clock past the next whole minute and lets the controller see the time. */
  static Instant nextMinute(String key) {
    Instant now = clock.instant();
    Instant minute = now.plus(Duration.ofMinutes(1)).truncatedTo(java.time.temporal.ChronoUnit.MINUTES);
    clock.advance(Duration.between(now, minute).plusSeconds(1));
    fixture.awaitReconciled(controller, key);
    return minute;
  }

  @Test
  void createsTheJobOfEachScheduledMinute() {
    cronJob("cj-schedule", "tick", "Allow");
    fixture.awaitReconciled(controller, "cj-schedule/tick");
    assertThat(jobsOf("cj-schedule", "tick")).isEmpty();

    Instant minute = nextMinute("cj-schedule/tick");
    String name = "tick-" + minute.getEpochSecond() / 60;
    await().until(() -> jobsOf("cj-schedule", "tick").size() == 1);
    Job job = jobsOf("cj-schedule", "tick").get(0);
    assertThat(job.getMetadata().getName()).isEqualTo(name);
    assertThat(job.getMetadata().getLabels()).containsEntry("app", "tick");
    assertThat(job.getMetadata().getAnnotations())
        .containsEntry("batch.kubernetes.io/cronjob-scheduled-timestamp", minute.toString());
    CronJob cronJob = fixture.get(CronJob.class, "cj-schedule", "tick");
    assertThat(cronJob.getStatus().getLastScheduleTime()).isEqualTo(minute.toString());
    assertThat(cronJob.getStatus().getActive()).singleElement().satisfies(r -> assertThat(r.getName()).isEqualTo(name));
    assertThat(fixture.list(Event.class, "cj-schedule")).filteredOn(e -> "SuccessfulCreate".equals(e.getReason()))
        .extracting(Event::getMessage).containsExactly("Created job " + name);

    // the Job completes: it leaves the active list
    fixture.changeStatus("batch/v1", "Job", "cj-schedule", name, o -> {
      var status = o.with("status");
      status.put("startTime", minute.toString()).put("completionTime", minute.plusSeconds(5).toString()).put("succeeded", 1);
      status.putArray("conditions").addObject().put("type", "Complete").put("status", "True");
      return o;
    });
    await().until(() -> fixture.get(CronJob.class, "cj-schedule", "tick").getStatus().getActive().isEmpty());
    assertThat(fixture.get(CronJob.class, "cj-schedule", "tick").getStatus().getLastSuccessfulTime())
        .isEqualTo(minute.plusSeconds(5).toString());
    await().until(() -> fixture.list(Event.class, "cj-schedule").stream().anyMatch(e -> "SawCompletedJob".equals(e.getReason())
        && ("Saw completed job: " + name + ", condition: Complete").equals(e.getMessage())));

    nextMinute("cj-schedule/tick");
    await().until(() -> jobsOf("cj-schedule", "tick").size() == 2);
  }

  @Test
  void forbidStartsNoJobWhileTheLastRuns() {
    cronJob("cj-forbid", "once", "Forbid");
    nextMinute("cj-forbid/once");
    await().until(() -> jobsOf("cj-forbid", "once").size() == 1);

    nextMinute("cj-forbid/once");
    assertThat(jobsOf("cj-forbid", "once")).hasSize(1);
    await().until(() -> fixture.list(Event.class, "cj-forbid").stream().anyMatch(e -> "JobAlreadyActive".equals(e.getReason())));
  }
}
