package io.kubeactor.controlplane.controller.cronjob;

import com.cronutils.model.time.ExecutionTime;
import io.fabric8.kubernetes.api.model.ObjectMeta;
import io.fabric8.kubernetes.api.model.ObjectReference;
import io.fabric8.kubernetes.api.model.batch.v1.CronJob;
import io.fabric8.kubernetes.api.model.batch.v1.CronJobStatus;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.kubeactor.common.Json;
import io.kubeactor.common.Timestamps;
import io.kubeactor.controlplane.api.ApiException;
import io.kubeactor.controlplane.client.Informer;
import io.kubeactor.controlplane.controller.ControllerContext;
import io.kubeactor.controlplane.controller.ControllerRefManager;
import io.kubeactor.controlplane.controller.OwnerReferences;
import io.kubeactor.controlplane.controller.Reconciler;
import io.kubeactor.controlplane.registry.admission.BatchValidation;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/**
 * kube-controller-manager's cronjob controller (pkg/controller/cronjob/cronjob_controllerv2.go):
 * at each time its schedule names, a CronJob creates a Job from its template, named
 * {@code <cronjob>-<minutes since the epoch of the scheduled time>}, unless it is suspended, the
 * time is past startingDeadlineSeconds, or (Forbid) an earlier Job still runs; Replace deletes the
 * running Jobs first. Its status lists the active Jobs, the last schedule and the last success;
 * finished Jobs beyond the history limits are deleted. Keys are "namespace/name".
 */
public final class CronJobController implements Reconciler {

  static final String SCHEDULED_TIMESTAMP = "batch.kubernetes.io/cronjob-scheduled-timestamp";
  /** Upstream requeues a little after the next schedule time, so the time has surely come. */
  private static final Duration NEXT_SCHEDULE_DELTA = Duration.ofMillis(100);
  /** Go's time.RFC3339, in the schedule's zone ("Z" for UTC). */
  private static final java.time.format.DateTimeFormatter RFC3339 =
      java.time.format.DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ssXXX");

  private final ControllerContext context;
  private final Informer<CronJob> cronJobs;
  private final Informer<Job> jobs;

  public CronJobController(ControllerContext context) {
    this.context = context;
    this.cronJobs = context.informers().of(CronJob.class);
    this.jobs = context.informers().of(Job.class);
  }

  @Override
  public String name() {
    return "cronjob-controller";
  }

  @Override
  public void start(Queue queue) {
    queue.watch(cronJobs, e -> List.of(Informer.keyOf(e.object())));
    queue.watch(jobs, e -> OwnerReferences.controllerKey(e.object(), "CronJob").map(List::of).orElse(List.of()));
  }

  @Override
  public Collection<String> keys() {
    return cronJobs.list().stream().map(Informer::keyOf).toList();
  }

  @Override
  public CompletionStage<Result> reconcile(String key) {
    CronJob cronJob = cronJobs.get(key);
    if (cronJob == null || OwnerReferences.beingDeleted(cronJob)) return CompletableFuture.completedFuture(Result.done());
    String uid = cronJob.getMetadata().getUid();
    List<Job> owned = jobs.list(cronJob.getMetadata().getNamespace()).stream()
        .filter(j -> OwnerReferences.isControlledBy(j, uid)).toList();
    CronJobStatus status = cronJob.getStatus() == null ? new CronJobStatus()
        : Json.fromTree(Json.toTree(cronJob.getStatus()), CronJobStatus.class);
    List<ObjectReference> active = new ArrayList<>(status.getActive() == null ? List.of() : status.getActive());
    List<CompletionStage<?>> writes = new ArrayList<>();
    trackActive(cronJob, owned, active, status);
    writes.addAll(cleanUpHistory(cronJob, owned));

    Instant now = context.clock().instant();
    Result result = Result.done();
    if (!Boolean.TRUE.equals(cronJob.getSpec().getSuspend())) {
      Optional<ExecutionTime> schedule = schedule(cronJob);
      if (schedule.isPresent()) {
        ZonedDateTime zonedNow = now.atZone(zone(cronJob));
        result = schedule.get().nextExecution(zonedNow)
            .map(next -> Result.requeueAfter(Duration.between(now, next.toInstant()).plus(NEXT_SCHEDULE_DELTA)))
            .orElse(Result.done());
        Optional<ZonedDateTime> due = mostRecentUnmet(cronJob, schedule.get(), zonedNow);
        if (due.isPresent()) writes.add(run(cronJob, due.get(), active, status));
      }
    }
    Result done = result;
    return CompletableFuture.allOf(writes.stream().map(CompletionStage::toCompletableFuture).toArray(CompletableFuture[]::new))
        .thenCompose(x -> writeStatus(cronJob, active, status)).thenApply(x -> done);
  }

  /** Finished Jobs leave the active list (SawCompletedJob), running ones join it, vanished ones leave it (MissingJob). */
  private void trackActive(CronJob cronJob, List<Job> owned, List<ObjectReference> active, CronJobStatus status) {
    Map<String, Job> byUid = new HashMap<>();
    for (Job job : owned) {
      byUid.put(job.getMetadata().getUid(), job);
      boolean listed = active.stream().anyMatch(r -> job.getMetadata().getUid().equals(r.getUid()));
      Optional<String> finished = finishedCondition(job);
      if (finished.isPresent()) {
        if (listed) {
          active.removeIf(r -> job.getMetadata().getUid().equals(r.getUid()));
          event(cronJob, "Normal", "SawCompletedJob",
              "Saw completed job: " + job.getMetadata().getName() + ", condition: " + finished.get());
        }
        String completion = job.getStatus().getCompletionTime();
        if ("Complete".equals(finished.get()) && completion != null && (status.getLastSuccessfulTime() == null
            || Instant.parse(completion).isAfter(Instant.parse(status.getLastSuccessfulTime())))) {
          status.setLastSuccessfulTime(completion);
        }
      } else if (!listed) {
        active.add(reference(job));
      }
    }
    active.removeIf(r -> {
      if (byUid.containsKey(r.getUid())) return false;
      event(cronJob, "Normal", "MissingJob", "Active job went missing: " + r.getName());
      return true;
    });
  }

  /** The oldest finished Jobs beyond successfulJobsHistoryLimit and failedJobsHistoryLimit, deleted. */
  private List<CompletionStage<?>> cleanUpHistory(CronJob cronJob, List<Job> owned) {
    List<CompletionStage<?>> deletions = new ArrayList<>();
    for (String type : List.of("Complete", "Failed")) {
      Integer limit = type.equals("Complete") ? cronJob.getSpec().getSuccessfulJobsHistoryLimit()
          : cronJob.getSpec().getFailedJobsHistoryLimit();
      if (limit == null) continue;
      List<Job> finished = owned.stream().filter(j -> finishedCondition(j).filter(type::equals).isPresent())
          .sorted(Comparator.comparing(CronJobController::startedAt)).toList();
      for (Job job : finished.subList(0, Math.max(0, finished.size() - limit))) {
        deletions.add(deleteJob(cronJob, job));
      }
    }
    return deletions;
  }

  /** Starts the Job of the scheduled time, as the concurrency policy allows. */
  private CompletionStage<?> run(CronJob cronJob, ZonedDateTime scheduled, List<ObjectReference> active, CronJobStatus status) {
    String policy = cronJob.getSpec().getConcurrencyPolicy();
    if ("Forbid".equals(policy) && !active.isEmpty()) {
      event(cronJob, "Normal", "JobAlreadyActive", "Not starting job because prior execution is running and concurrency policy is Forbid");
      return CompletableFuture.completedFuture(null);
    }
    List<CompletableFuture<?>> replaced = new ArrayList<>();
    if ("Replace".equals(policy)) {
      for (ObjectReference ref : List.copyOf(active)) {
        Job job = jobs.get(ref.getNamespace(), ref.getName());
        if (job != null) replaced.add(deleteJob(cronJob, job).toCompletableFuture());
        active.remove(ref);
      }
    }
    Job job = jobFor(cronJob, scheduled);
    return CompletableFuture.allOf(replaced.toArray(CompletableFuture[]::new))
        .thenCompose(x -> context.writer().create(job))
        .handle((created, e) -> {
          if (e != null && !ApiException.hasCode(e, 409)) {
            event(cronJob, "Warning", "FailedCreate", "Error creating job: " + ApiException.unwrap(e).getMessage());
            return null;
          }
          Job made = e == null ? created : jobs.get(job.getMetadata().getNamespace(), job.getMetadata().getName());
          if (e == null) event(cronJob, "Normal", "SuccessfulCreate", "Created job " + made.getMetadata().getName());
          if (made != null && active.stream().noneMatch(r -> made.getMetadata().getUid().equals(r.getUid()))) {
            active.add(reference(made));
          }
          status.setLastScheduleTime(Timestamps.format(scheduled.toInstant()));
          return null;
        });
  }

  /** getJobFromTemplate2: the template's labels, annotations and spec, owned by the CronJob. */
  static Job jobFor(CronJob cronJob, ZonedDateTime scheduled) {
    Job job = new Job();
    job.setApiVersion("batch/v1");
    job.setKind("Job");
    ObjectMeta meta = new ObjectMeta();
    meta.setName(cronJob.getMetadata().getName() + "-" + scheduled.toEpochSecond() / 60);
    meta.setNamespace(cronJob.getMetadata().getNamespace());
    ObjectMeta template = cronJob.getSpec().getJobTemplate().getMetadata();
    if (template != null && template.getLabels() != null) meta.setLabels(new HashMap<>(template.getLabels()));
    Map<String, String> annotations = new HashMap<>();
    if (template != null && template.getAnnotations() != null) annotations.putAll(template.getAnnotations());
    annotations.put(SCHEDULED_TIMESTAMP, RFC3339.format(scheduled));
    meta.setAnnotations(annotations);
    meta.setOwnerReferences(List.of(OwnerReferences.controllerRef(cronJob)));
    job.setMetadata(meta);
    job.setSpec(Json.fromTree(Json.toTree(cronJob.getSpec().getJobTemplate().getSpec()),
        io.fabric8.kubernetes.api.model.batch.v1.JobSpec.class));
    return job;
  }

  /**
   * The latest scheduled time not yet run: after the last schedule (or the creation) and not after
   * now, nor earlier than startingDeadlineSeconds ago.
   */
  static Optional<ZonedDateTime> mostRecentUnmet(CronJob cronJob, ExecutionTime schedule, ZonedDateTime now) {
    String last = cronJob.getStatus() == null ? null : cronJob.getStatus().getLastScheduleTime();
    Instant earliest = Instant.parse(last != null ? last : cronJob.getMetadata().getCreationTimestamp());
    Long deadline = cronJob.getSpec().getStartingDeadlineSeconds();
    if (deadline != null) {
      Instant byDeadline = now.toInstant().minusSeconds(deadline);
      if (byDeadline.isAfter(earliest)) earliest = byDeadline;
    }
    Instant from = earliest;
    return schedule.lastExecution(now.plusNanos(1)).filter(t -> t.toInstant().isAfter(from));
  }

  private Optional<ExecutionTime> schedule(CronJob cronJob) {
    String schedule = cronJob.getSpec().getSchedule();
    if (BatchValidation.scheduleError(schedule).isPresent()) {
      event(cronJob, "Warning", "UnparseableSchedule", "unparseable schedule: \"" + schedule + "\" : "
          + BatchValidation.scheduleError(schedule).get());
      return Optional.empty();
    }
    return Optional.of(ExecutionTime.forCron(BatchValidation.CRON.parse(schedule)));
  }

  /** The CronJob's time zone, else the controller manager's (its clock's). */
  private ZoneId zone(CronJob cronJob) {
    String zone = cronJob.getSpec().getTimeZone();
    return zone == null ? context.clock().getZone() : ZoneId.of(zone);
  }

  private CompletionStage<?> deleteJob(CronJob cronJob, Job job) {
    return context.writer().delete(job, "Background").handle((x, e) -> {
      if (e == null) event(cronJob, "Normal", "SuccessfulDelete", "Deleted job " + job.getMetadata().getName());
      else if (!ApiException.hasCode(e, 404)) {
        event(cronJob, "Warning", "FailedDelete", "Deleted job: " + ApiException.unwrap(e).getMessage());
      }
      return null;
    });
  }

  private CompletionStage<?> writeStatus(CronJob cronJob, List<ObjectReference> active, CronJobStatus status) {
    status.setActive(active.isEmpty() ? null : active);
    CronJobStatus current = cronJob.getStatus() == null ? new CronJobStatus() : cronJob.getStatus();
    if (Json.toTree(status).equals(Json.toTree(current))) return CompletableFuture.completedFuture(null);
    CronJob copy = ControllerRefManager.copy(cronJob);
    copy.setStatus(status);
    return context.writer().updateStatus(copy);
  }

  private static Optional<String> finishedCondition(Job job) {
    if (job.getStatus() == null || job.getStatus().getConditions() == null) return Optional.empty();
    return job.getStatus().getConditions().stream()
        .filter(c -> ("Complete".equals(c.getType()) || "Failed".equals(c.getType())) && "True".equals(c.getStatus()))
        .map(c -> c.getType()).findFirst();
  }

  private static Instant startedAt(Job job) {
    String start = job.getStatus() == null ? null : job.getStatus().getStartTime();
    return Instant.parse(start != null ? start : job.getMetadata().getCreationTimestamp());
  }

  private static ObjectReference reference(Job job) {
    ObjectReference ref = new ObjectReference();
    ref.setApiVersion("batch/v1");
    ref.setKind("Job");
    ref.setName(job.getMetadata().getName());
    ref.setNamespace(job.getMetadata().getNamespace());
    ref.setUid(job.getMetadata().getUid());
    ref.setResourceVersion(job.getMetadata().getResourceVersion());
    return ref;
  }

  private void event(CronJob cronJob, String type, String reason, String message) {
    context.events().record(Json.toTree(cronJob), type, reason, message, name(), null);
  }
}
