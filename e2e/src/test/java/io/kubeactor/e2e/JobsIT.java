package io.kubeactor.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * batch/v1 Jobs on a real cluster with the real kubectl: a Job's pod runs to completion on the
 * node, the Job is Complete with kubectl's columns and its logs; and kubectl apply --prune, whose
 * default allowlist names Jobs, CronJobs and ReplicationControllers, prunes what left the directory.
 */
class JobsIT {
  static final Duration TWO_MINUTES = Duration.ofSeconds(120);
  static ClusterWithNodes c;

  @BeforeAll
  static void start() throws Exception {
    c = ClusterWithNodes.start("jobs", Map.of(), List.of("job-node"));
  }

  @AfterAll
  static void stop() throws Exception {
    if (c != null) c.close();
  }

  @Test
  void aJobRunsItsPodToCompletion() {
    c.ok("create", "job", "pi", "--image=busybox", "--", "sh", "-c", "echo done");
    c.ok("wait", "--for=condition=complete", "job/pi", "--timeout=120s");
    assertThat(c.ok("logs", "job/pi")).isEqualTo("done\n");
    List<String> table = c.ok("get", "jobs").lines().toList();
    assertThat(table.get(0)).matches("NAME\\s+STATUS\\s+COMPLETIONS\\s+DURATION\\s+AGE");
    assertThat(table.get(1)).matches("pi\\s+Complete\\s+1/1\\s+\\d+s\\s+\\d+s");
    assertThat(c.jsonpath("job/pi", "{.status.succeeded} {.status.conditions[?(@.type==\"Complete\")].status}"))
        .isEqualTo("1 True");
    assertThat(c.ok("get", "pods", "-l", "job-name=pi", "-o", "jsonpath={.items[0].status.phase}")).isEqualTo("Succeeded");
    assertThat(c.ok("get", "events", "--field-selector", "involvedObject.name=pi", "-o", "custom-columns=R:.reason,M:.message",
        "--no-headers")).contains("Completed", "Job completed");
    // a Job's pods go with it
    c.ok("delete", "job", "pi", "--wait=true");
    c.awaitNoPods("job-name=pi", TWO_MINUTES);
  }

  @Test
  void applyPruneWithTheDefaultAllowlistPrunesWhatLeftTheDirectory() throws Exception {
    Path dir = Files.createTempDirectory("prune");
    for (String name : List.of("kept", "gone")) {
      Files.writeString(dir.resolve(name + ".yaml"), """
          apiVersion: v1
          kind: ConfigMap
          metadata: {name: %s, namespace: default, labels: {app: pruned}}
          data: {k: v}
          """.formatted(name));
    }
    c.ok("apply", "-f", dir.toString(), "-l", "app=pruned", "--prune");
    Files.delete(dir.resolve("gone.yaml"));
    String out = c.ok("apply", "-f", dir.toString(), "-l", "app=pruned", "--prune");
    assertThat(out).contains("configmap/kept unchanged", "configmap/gone pruned");
    assertThat(c.ok("get", "configmaps", "-l", "app=pruned", "-o", "name")).isEqualTo("configmap/kept\n");
  }
}
