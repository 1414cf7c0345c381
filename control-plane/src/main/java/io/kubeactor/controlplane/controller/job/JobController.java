package io.kubeactor.controlplane.controller.job;

import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.fabric8.kubernetes.api.model.batch.v1.JobStatus;
import io.kubeactor.common.Json;
import io.kubeactor.controlplane.api.ApiException;
import io.kubeactor.controlplane.api.selector.LabelSelector;
import io.kubeactor.controlplane.client.Informer;
import io.kubeactor.controlplane.controller.ControllerContext;
import io.kubeactor.controlplane.controller.ControllerRefManager;
import io.kubeactor.controlplane.controller.Expectations;
import io.kubeactor.controlplane.controller.OwnerReferences;
import io.kubeactor.controlplane.controller.PodControl;
import io.kubeactor.controlplane.controller.Reconciler;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.stream.Collectors;

/**
 * kube-controller-manager's job controller (pkg/controller/job): each Job runs pods from its
 * template until {@code completions} of them succeed, at most {@code parallelism} at once; failed
 * pods are replaced after a back-off until more than {@code backoffLimit} have failed; a Job active
 * longer than {@code activeDeadlineSeconds} fails; a suspended Job has no pods. The status counts
 * the pods ({@link JobStatuses}). Keys are "namespace/name".
 */
public final class JobController implements Reconciler {

  static final String KIND = "Job";
  /** Upstream's MaxUncountedPods is 500; as many pods as a ReplicaSet creates in one sync. */
  private static final int BURST = 500;

  private final ControllerContext context;
  private final Informer<Job> jobs;
  private final Informer<Pod> pods;
  private final Expectations expectations;
  private final PodControl podControl;
  private final ControllerRefManager refs;

  public JobController(ControllerContext context) {
    this.context = context;
    this.jobs = context.informers().of(Job.class);
    this.pods = context.informers().pods();
    this.expectations = new Expectations(context.clock());
    this.podControl = new PodControl(context, "job-controller");
    this.refs = context.refs();
  }

  @Override
  public String name() {
    return "job-controller";
  }

  @Override
  public void start(Queue queue) {
    queue.watch(jobs, e -> {
      String key = Informer.keyOf(e.object());
      if (e.type() == Informer.EventType.DELETED) expectations.forget(key);
      return List.of(key);
    });
    queue.watch(pods, e -> {
      Optional<String> key = OwnerReferences.controllerKey(e.object(), KIND);
      key.ifPresent(k -> {
        if (e.type() == Informer.EventType.ADDED) expectations.creationObserved(k);
        if (e.type() == Informer.EventType.DELETED || OwnerReferences.beingDeleted(e.object())) {
          expectations.deletionObserved(k, e.object().getMetadata().getUid());
        }
      });
      return key.map(List::of).orElse(List.of());
    });
  }

  @Override
  public Collection<String> keys() {
    return jobs.list().stream().map(Informer::keyOf).toList();
  }

  @Override
  public CompletionStage<Result> reconcile(String key) {
    Job job = jobs.get(key);
    if (job == null) {
      expectations.forget(key);
      return CompletableFuture.completedFuture(Result.done());
    }
    if (JobStatuses.finished(job)) return CompletableFuture.completedFuture(Result.done());
    boolean satisfied = expectations.satisfied(key);
    LabelSelector selector;
    try {
      selector = LabelSelector.fromJson(Json.toTree(job.getSpec().getSelector()));
    } catch (ApiException | IllegalArgumentException e) {
      return CompletableFuture.completedFuture(Result.done());
    }
    List<Pod> candidates = pods.list(job.getMetadata().getNamespace());
    return refs.claim(job, selector, candidates, () -> !OwnerReferences.beingDeleted(job)).thenCompose(owned -> {
      Instant now = context.clock().instant();
      JobPods counted = JobPods.of(owned, job);
      JobStatuses.Outcome outcome = JobStatuses.outcome(job, counted, now);
      CompletionStage<?> managed;
      Duration requeue = null;
      if (outcome.failure() != null || JobStatuses.suspended(job)) {
        managed = delete(key, job, counted.active());
      } else if (outcome.succeeded()) {
        managed = delete(key, job, counted.active());
      } else if (!satisfied || OwnerReferences.beingDeleted(job)) {
        managed = CompletableFuture.completedFuture(null);
      } else {
        int diff = JobStatuses.wantActive(job, counted) - counted.active().size();
        Duration backoff = JobStatuses.remainingBackoff(counted, now);
        if (diff > 0 && !backoff.isNegative() && !backoff.isZero()) {
          requeue = backoff;
          managed = CompletableFuture.completedFuture(null);
        } else if (diff > 0) {
          managed = create(key, job, Math.min(diff, BURST));
        } else if (diff < 0) {
          managed = delete(key, job, counted.active().subList(0, -diff));
        } else {
          managed = CompletableFuture.completedFuture(null);
        }
      }
      Duration untilDeadline = JobStatuses.untilDeadline(job, now);
      Result result = requeue == null ? Result.done() : Result.requeueAfter(requeue);
      if (untilDeadline != null) result = result.sooner(Result.requeueAfter(untilDeadline));
      Result done = result;
      return managed.thenCompose(x -> writeStatus(job, counted, outcome, now)).thenApply(x -> done);
    });
  }

  private CompletionStage<?> create(String key, Job job, int count) {
    expectations.expect(key, count, Set.of());
    String prefix = job.getMetadata().getName() + "-";
    return PodControl.slowStartBatch(count,
        i -> podControl.create(PodControl.fromTemplate(job.getSpec().getTemplate(), job, null, prefix), job)
            .whenComplete((p, e) -> {
              if (e != null) expectations.creationObserved(key);
            }),
        skipped -> {
          for (int i = 0; i < skipped; i++) expectations.creationObserved(key);
        });
  }

  private CompletionStage<?> delete(String key, Job job, List<Pod> doomed) {
    if (doomed.isEmpty()) return CompletableFuture.completedFuture(null);
    expectations.expect(key, 0, doomed.stream().map(p -> p.getMetadata().getUid()).collect(Collectors.toSet()));
    List<CompletableFuture<?>> deletions = new ArrayList<>();
    for (Pod p : doomed) {
      deletions.add(podControl.delete(p, job).handle((x, e) -> {
        if (e != null) expectations.deletionObserved(key, p.getMetadata().getUid());
        return null;
      }).toCompletableFuture());
    }
    return CompletableFuture.allOf(deletions.toArray(CompletableFuture[]::new));
  }

  private CompletionStage<?> writeStatus(Job job, JobPods counted, JobStatuses.Outcome outcome, Instant now) {
    JobStatus status = JobStatuses.next(job, counted, outcome, now);
    if (Json.toTree(status).equals(Json.toTree(job.getStatus() == null ? new JobStatus() : job.getStatus()))) {
      return CompletableFuture.completedFuture(null);
    }
    Job copy = ControllerRefManager.copy(job);
    copy.setStatus(status);
    return context.writer().updateStatus(copy).thenAccept(written -> {
      if (outcome.succeeded() && !JobStatuses.hasCondition(job, "Complete")
          && JobStatuses.hasCondition(written, "Complete")) {
        podControl.event(job, "Normal", "Completed", "Job completed");
      }
      if (outcome.failure() != null && !JobStatuses.hasCondition(job, "FailureTarget")) {
        podControl.event(job, "Warning", outcome.failure().reason(), outcome.failure().message());
      }
    });
  }
}
