package io.kubeactor.controlplane.controller.job;

import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.fabric8.kubernetes.api.model.batch.v1.JobCondition;
import io.fabric8.kubernetes.api.model.batch.v1.JobStatus;
import io.kubeactor.common.Timestamps;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * What a Job's pods make of it (upstream's syncJob): whether it has failed (too many failures, or
 * past its deadline), whether it has succeeded, how many pods it wants active, and the status it
 * should show. Upstream's conditions in v1.32: a failing Job first gets FailureTarget, then Failed
 * once its pods are gone; a succeeding one SuccessCriteriaMet, then Complete.
 */
final class JobStatuses {
  private JobStatuses() {}

  /** Upstream's DefaultJobPodFailureBackOff and MaxJobPodFailureBackOff. */
  static final Duration BACKOFF = Duration.ofSeconds(10);
  static final Duration MAX_BACKOFF = Duration.ofMinutes(6);

  private static final String COMPLETIONS_REACHED = "CompletionsReached";
  private static final String COMPLETIONS_MESSAGE = "Reached expected number of succeeded pods";

  /** Why the Job fails. */
  record Failure(String reason, String message) {}

  /** Where the Job stands: failing (with why), succeeding, or neither. */
  record Outcome(Failure failure, boolean succeeded) {}

  static boolean finished(Job job) {
    return hasCondition(job, "Complete") || hasCondition(job, "Failed");
  }

  static boolean suspended(Job job) {
    return Boolean.TRUE.equals(job.getSpec().getSuspend());
  }

  static boolean hasCondition(Job job, String type) {
    return condition(job, type) != null;
  }

  private static JobCondition condition(Job job, String type) {
    if (job.getStatus() == null || job.getStatus().getConditions() == null) return null;
    return job.getStatus().getConditions().stream()
        .filter(c -> type.equals(c.getType()) && "True".equals(c.getStatus())).findFirst().orElse(null);
  }

  static int succeeded(Job job, JobPods pods) {
    return Math.max(count(job.getStatus() == null ? null : job.getStatus().getSucceeded()), pods.succeeded());
  }

  static int failed(Job job, JobPods pods) {
    return Math.max(count(job.getStatus() == null ? null : job.getStatus().getFailed()), pods.failed());
  }

  static Outcome outcome(Job job, JobPods pods, Instant now) {
    JobCondition target = condition(job, "FailureTarget");
    if (target != null) return new Outcome(new Failure(target.getReason(), target.getMessage()), false);
    int backoffLimit = count(job.getSpec().getBackoffLimit());
    boolean onFailure = "OnFailure".equals(job.getSpec().getTemplate().getSpec().getRestartPolicy());
    boolean restartsExceeded = onFailure && pods.restarts() > 0 && pods.restarts() >= Math.max(backoffLimit, 1);
    if (failed(job, pods) > backoffLimit || restartsExceeded) {
      return new Outcome(new Failure("BackoffLimitExceeded", "Job has reached the specified backoff limit"), false);
    }
    Duration untilDeadline = untilDeadline(job, now);
    if (untilDeadline != null && (untilDeadline.isNegative() || untilDeadline.isZero())) {
      return new Outcome(new Failure("DeadlineExceeded", "Job was active longer than specified deadline"), false);
    }
    if (hasCondition(job, "SuccessCriteriaMet")) return new Outcome(null, true);
    int succeeded = succeeded(job, pods);
    Integer completions = job.getSpec().getCompletions();
    boolean done = completions != null ? succeeded >= completions : succeeded > 0 && pods.active().isEmpty();
    return new Outcome(null, done);
  }

  /** How many pods should be active: what is left of the completions, at most parallelism at once. */
  static int wantActive(Job job, JobPods pods) {
    int parallelism = count(job.getSpec().getParallelism());
    int succeeded = succeeded(job, pods);
    Integer completions = job.getSpec().getCompletions();
    if (completions == null) return succeeded > 0 ? 0 : parallelism;
    return Math.max(0, Math.min(parallelism, completions - succeeded));
  }

  /** How long until a failed pod may be replaced: 10s, doubled per failure, at most 6 minutes, from the last failure. */
  static Duration remainingBackoff(JobPods pods, Instant now) {
    if (pods.failed() == 0 || pods.lastFailure() == null) return Duration.ZERO;
    Duration delay = BACKOFF.multipliedBy(1L << Math.min(pods.failed() - 1, 10));
    if (delay.compareTo(MAX_BACKOFF) > 0) delay = MAX_BACKOFF;
    return Duration.between(now, pods.lastFailure().plus(delay));
  }

  /** Until activeDeadlineSeconds runs out (negative once it has), or null when the Job has none or has not started. */
  static Duration untilDeadline(Job job, Instant now) {
    Long deadline = job.getSpec().getActiveDeadlineSeconds();
    String start = job.getStatus() == null ? null : job.getStatus().getStartTime();
    if (deadline == null || start == null || suspended(job)) return null;
    return Duration.between(now, Instant.parse(start).plusSeconds(deadline));
  }

  /** The status after this sync: counts, start and completion times, conditions. */
  static JobStatus next(Job job, JobPods pods, Outcome outcome, Instant now) {
    JobStatus current = job.getStatus() == null ? new JobStatus() : job.getStatus();
    JobStatus status = new JobStatus();
    List<JobCondition> conditions = new ArrayList<>(current.getConditions() == null ? List.of() : current.getConditions());
    String startTime = current.getStartTime();
    boolean suspended = suspended(job);
    // once its failure or success is decided, the pods it deletes are not active any more
    boolean settling = outcome.failure() != null || outcome.succeeded() || suspended;
    int active = settling ? 0 : pods.active().size();
    int terminating = pods.terminating() + (settling ? pods.active().size() : 0);
    if (suspended) {
      set(conditions, "Suspended", "True", "JobSuspended", "Job suspended", now);
    } else if (set(conditions, "Suspended", "False", "JobResumed", "Job resumed", now) || startTime == null) {
      // a resumed Job's deadline counts from its resumption
      startTime = Timestamps.format(now);
    }
    if (outcome.failure() != null) {
      Failure f = outcome.failure();
      set(conditions, "FailureTarget", "True", f.reason(), f.message(), now);
      if (terminating == 0) set(conditions, "Failed", "True", f.reason(), f.message(), now);
    } else if (outcome.succeeded()) {
      set(conditions, "SuccessCriteriaMet", "True", COMPLETIONS_REACHED, COMPLETIONS_MESSAGE, now);
      if (terminating == 0 && set(conditions, "Complete", "True", COMPLETIONS_REACHED, COMPLETIONS_MESSAGE, now)) {
        status.setCompletionTime(Timestamps.format(now));
      }
    }
    if (status.getCompletionTime() == null) status.setCompletionTime(current.getCompletionTime());
    status.setStartTime(startTime);
    status.setActive(omitZero(active));
    status.setSucceeded(omitZero(succeeded(job, pods)));
    status.setFailed(omitZero(failed(job, pods)));
    status.setReady(settling ? 0 : pods.ready());
    status.setTerminating(terminating);
    status.setConditions(conditions.isEmpty() ? null : conditions);
    return status;
  }

  /**
   * Sets the condition of the type to the status, with the reason and message, timed now if it
   * changes; a Suspended False is only written over a Suspended True. True when it changed.
   */
  private static boolean set(List<JobCondition> conditions, String type, String status, String reason, String message,
      Instant now) {
    JobCondition existing = conditions.stream().filter(c -> type.equals(c.getType())).findFirst().orElse(null);
    if (existing == null && "False".equals(status)) return false;
    if (existing != null && status.equals(existing.getStatus())) return false;
    JobCondition c = new JobCondition();
    c.setType(type);
    c.setStatus(status);
    c.setReason(reason);
    c.setMessage(message);
    c.setLastProbeTime(Timestamps.format(now));
    c.setLastTransitionTime(Timestamps.format(now));
    if (existing != null) conditions.set(conditions.indexOf(existing), c);
    else conditions.add(c);
    return true;
  }

  private static Integer omitZero(int n) {
    return n == 0 ? null : n;
  }

  private static int count(Integer n) {
    return n == null ? 0 : n;
  }
}
