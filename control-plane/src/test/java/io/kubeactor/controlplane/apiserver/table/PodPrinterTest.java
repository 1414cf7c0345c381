package io.kubeactor.controlplane.apiserver.table;

import static io.kubeactor.controlplane.apiserver.table.Fixtures.NOW;
import static io.kubeactor.controlplane.apiserver.table.Fixtures.yaml;
import static org.assertj.core.api.Assertions.assertThat;

import io.kubeactor.controlplane.apiserver.table.TablePrinter.RowCondition;
import java.util.List;
import org.junit.jupiter.api.Test;

class PodPrinterTest {

  private final PodPrinter printer = new PodPrinter();

  /** NAME READY STATUS RESTARTS AGE of a pod. */
  private List<Object> narrow(String podYaml) {
    return printer.cells(yaml(podYaml), NOW).subList(0, 5);
  }

  @Test
  void pendingPodWithoutStatuses() {
    assertThat(narrow("""
        metadata: {name: web, creationTimestamp: "2025-01-01T11:59:30Z"}
        spec:
          containers: [{name: a, image: nginx}, {name: b, image: redis}]
        status: {phase: Pending}
        """)).containsExactly("web", "0/2", "Pending", "0", "30s");
  }

  @Test
  void runningWithOneOfTwoContainersReady() {
    assertThat(narrow("""
        metadata: {name: web, creationTimestamp: "2025-01-01T09:00:00Z"}
        spec:
          containers: [{name: a, image: nginx}, {name: b, image: redis}]
        status:
          phase: Running
          containerStatuses:
          - {name: a, ready: true, restartCount: 0, state: {running: {startedAt: "2025-01-01T09:00:05Z"}}}
          - {name: b, ready: false, restartCount: 0, state: {running: {startedAt: "2025-01-01T09:00:05Z"}}}
        """)).containsExactly("web", "1/2", "Running", "0", "3h");
  }

  @Test
  void crashLoopShowsRestartsAndWhenTheLastOneWas() {
    assertThat(narrow("""
        metadata: {name: crash, creationTimestamp: "2025-01-01T11:00:00Z"}
        spec:
          containers: [{name: app, image: busybox}]
        status:
          phase: Running
          containerStatuses:
          - name: app
            ready: false
            restartCount: 3
            state: {waiting: {reason: CrashLoopBackOff, message: back-off 40s restarting failed container}}
            lastState: {terminated: {exitCode: 1, reason: Error, finishedAt: "2025-01-01T11:55:00Z"}}
        """)).containsExactly("crash", "0/1", "CrashLoopBackOff", "3 (5m ago)", "60m");
  }

  @Test
  void deletionTimestampMeansTerminating() {
    assertThat(narrow("""
        metadata: {name: web, creationTimestamp: "2025-01-01T11:00:00Z", deletionTimestamp: "2025-01-01T12:00:30Z"}
        spec:
          containers: [{name: a, image: nginx}]
        status:
          phase: Running
          containerStatuses:
          - {name: a, ready: true, restartCount: 0, state: {running: {startedAt: "2025-01-01T11:00:05Z"}}}
        """)).containsExactly("web", "1/1", "Terminating", "0", "60m");
  }

  @Test
  void deletedPodOfALostNodeIsUnknown() {
    assertThat(narrow("""
        metadata: {name: web, deletionTimestamp: "2025-01-01T12:00:30Z"}
        spec:
          containers: [{name: a, image: nginx}]
        status: {phase: Running, reason: NodeLost}
        """)).containsExactly("web", "0/1", "Unknown", "0", "<unknown>");
  }

  @Test
  void succeededPodIsCompletedAndItsRowMarkedCompleted() {
    String pod = """
        metadata: {name: job-x, creationTimestamp: "2024-12-30T12:00:00Z", deletionTimestamp: "2025-01-01T12:00:30Z"}
        spec:
          containers: [{name: main, image: busybox}]
        status:
          phase: Succeeded
          containerStatuses:
          - {name: main, ready: false, restartCount: 0, state: {terminated: {exitCode: 0, reason: Completed}}}
        """;
    assertThat(narrow(pod)).containsExactly("job-x", "0/1", "Completed", "0", "2d");
    assertThat(printer.conditions(yaml(pod)))
        .containsExactly(new RowCondition("Completed", "True", "Succeeded", "The pod has completed successfully."));
  }

  @Test
  void oomKilledContainer() {
    String pod = """
        metadata: {name: hog}
        spec:
          containers: [{name: main, image: stress}]
        status:
          phase: Failed
          containerStatuses:
          - {name: main, ready: false, restartCount: 0, state: {terminated: {exitCode: 137, reason: OOMKilled}}}
        """;
    assertThat(narrow(pod)).containsExactly("hog", "0/1", "OOMKilled", "0", "<unknown>");
    assertThat(printer.conditions(yaml(pod)))
        .containsExactly(new RowCondition("Completed", "True", "Failed", "The pod failed."));
  }

  @Test
  void terminatedWithoutReasonShowsSignalOrExitCode() {
    assertThat(narrow("""
        metadata: {name: p}
        spec: {containers: [{name: a}, {name: b}]}
        status:
          phase: Running
          containerStatuses:
          - {name: a, restartCount: 0, state: {terminated: {exitCode: 2}}}
          - {name: b, restartCount: 0, state: {terminated: {exitCode: 143, signal: 15}}}
        """).get(2)).isEqualTo("ExitCode:2");
  }

  @Test
  void firstContainerDecidesTheStatus() {
    assertThat(narrow("""
        metadata: {name: p}
        spec: {containers: [{name: a}, {name: b}]}
        status:
          phase: Pending
          containerStatuses:
          - {name: a, restartCount: 0, state: {waiting: {reason: ErrImagePull}}}
          - {name: b, restartCount: 0, state: {waiting: {reason: ContainerCreating}}}
        """).get(2)).isEqualTo("ErrImagePull");
  }

  @Test
  void runningInitContainerIsInitCounter() {
    assertThat(narrow("""
        metadata: {name: init, creationTimestamp: "2025-01-01T11:59:50Z"}
        spec:
          initContainers: [{name: setup, image: busybox}]
          containers: [{name: app, image: nginx}]
        status:
          phase: Pending
          conditions: [{type: Initialized, status: "False"}]
          initContainerStatuses:
          - {name: setup, ready: false, restartCount: 0, state: {running: {startedAt: "2025-01-01T11:59:55Z"}}}
          containerStatuses:
          - {name: app, ready: false, restartCount: 0, state: {waiting: {reason: PodInitializing}}}
        """)).containsExactly("init", "0/1", "Init:0/1", "0", "10s");
  }

  @Test
  void failingInitContainerShowsItsReason() {
    String pod = """
        metadata: {name: init}
        spec:
          initContainers: [{name: one}, {name: two}]
          containers: [{name: app}]
        status:
          phase: Pending
          initContainerStatuses:
          - {name: one, restartCount: 0, state: {terminated: {exitCode: 0, reason: Completed}}}
          - name: two
            restartCount: 4
            state: {waiting: {reason: CrashLoopBackOff}}
            lastState: {terminated: {exitCode: 1, reason: Error, finishedAt: "2025-01-01T11:59:00Z"}}
        """;
    assertThat(narrow(pod)).containsExactly("init", "0/1", "Init:CrashLoopBackOff", "4 (60s ago)", "<unknown>");
  }

  @Test
  void initContainerTerminatedWithoutReason() {
    assertThat(narrow("""
        metadata: {name: init}
        spec:
          initContainers: [{name: one}]
          containers: [{name: app}]
        status:
          phase: Pending
          initContainerStatuses:
          - {name: one, restartCount: 0, state: {terminated: {exitCode: 3}}}
        """).get(2)).isEqualTo("Init:ExitCode:3");
  }

  @Test
  void startedSidecarCountsAsAReadyContainer() {
    assertThat(narrow("""
        metadata: {name: mesh}
        spec:
          initContainers: [{name: proxy, restartPolicy: Always}]
          containers: [{name: app}]
        status:
          phase: Running
          conditions: [{type: Initialized, status: "True"}, {type: Ready, status: "True"}]
          initContainerStatuses:
          - name: proxy
            ready: true
            started: true
            restartCount: 1
            state: {running: {startedAt: "2025-01-01T11:00:00Z"}}
            lastState: {terminated: {exitCode: 1, finishedAt: "2025-01-01T10:00:00Z"}}
          containerStatuses:
          - {name: app, ready: true, restartCount: 0, state: {running: {startedAt: "2025-01-01T11:00:00Z"}}}
        """)).containsExactly("mesh", "2/2", "Running", "1 (120m ago)", "<unknown>");
  }

  @Test
  void completedContainerBesideARunningOneIsRunningOrNotReady() {
    String template = """
        metadata: {name: p}
        spec: {containers: [{name: a}, {name: b}]}
        status:
          phase: Running
          conditions: [{type: Ready, status: "%s"}]
          containerStatuses:
          - {name: a, restartCount: 0, state: {terminated: {exitCode: 0, reason: Completed}}}
          - {name: b, ready: true, restartCount: 0, state: {running: {}}}
        """;
    assertThat(narrow(template.formatted("True")).subList(1, 3)).containsExactly("1/2", "Running");
    assertThat(narrow(template.formatted("False")).subList(1, 3)).containsExactly("1/2", "NotReady");
  }

  @Test
  void schedulingGatedPod() {
    assertThat(narrow("""
        metadata: {name: gated}
        spec: {containers: [{name: a}], schedulingGates: [{name: example.com/gate}]}
        status:
          phase: Pending
          conditions: [{type: PodScheduled, status: "False", reason: SchedulingGated}]
        """).get(2)).isEqualTo("SchedulingGated");
  }

  @Test
  void evictedPodShowsStatusReason() {
    assertThat(narrow("""
        metadata: {name: evicted}
        spec: {containers: [{name: a}]}
        status: {phase: Failed, reason: Evicted, message: The node was low on resource memory.}
        """).get(2)).isEqualTo("Evicted");
  }

  @Test
  void wideCellsShowIpNodeNominatedNodeAndReadinessGates() {
    assertThat(printer.cells(yaml("""
        metadata: {name: web}
        spec:
          nodeName: node-1
          containers: [{name: a}]
          readinessGates: [{conditionType: example.com/lb}, {conditionType: example.com/dns}]
        status:
          phase: Running
          podIP: 10.244.1.7
          podIPs: [{ip: 10.244.1.7}]
          conditions: [{type: example.com/lb, status: "True"}, {type: example.com/dns, status: "False"}]
        """), NOW).subList(5, 9)).containsExactly("10.244.1.7", "node-1", "<none>", "1/2");

    assertThat(printer.cells(yaml("""
        metadata: {name: web}
        spec: {containers: [{name: a}]}
        status: {phase: Pending, nominatedNodeName: node-2}
        """), NOW).subList(5, 9)).containsExactly("<none>", "<none>", "node-2", "<none>");
  }
}
