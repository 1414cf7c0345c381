package io.kubeactor.controlplane.apiserver.table;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Duration;
import java.time.Instant;
import java.util.List;

/** Jobs: NAME STATUS COMPLETIONS DURATION AGE | CONTAINERS IMAGES SELECTOR (printJob). */
final class JobPrinter implements TablePrinter {

  /** The Job spec's selector; a CronJob's table shows its Job template's. */
  static final Column SELECTOR = Column.string("Selector", "A label query over pods that should match the pod count."
      + " Normally, the system sets this field for you. More info:"
      + " https://kubernetes.io/docs/concepts/overview/working-with-objects/labels/#label-selectors").wide();

  private static final List<Column> COLUMNS = List.of(
      Column.NAME,
      Column.string("Status", "Status of the job."),
      Column.string("Completions", "The number of pods which reached phase Succeeded. The value increases monotonically"
          + " for a given spec. However, it may decrease in reaction to scale down of elastic indexed jobs."),
      Column.string("Duration", "Time required to complete the job."),
      Column.AGE,
      Column.CONTAINERS,
      Column.IMAGES,
      SELECTOR);

  @Override
  public List<Column> columns() {
    return COLUMNS;
  }

  @Override
  public List<Object> cells(JsonNode job) {
    JsonNode spec = job.path("spec");
    JsonNode status = job.path("status");
    JsonNode podSpec = spec.path("template").path("spec");
    return List.of(Cells.name(job), status(job), completions(spec, status), duration(status), Cells.age(job),
        Cells.containerNames(podSpec), Cells.containerImages(podSpec), Cells.formatSelector(spec.path("selector")));
  }

  private static String status(JsonNode job) {
    JsonNode status = job.path("status");
    if (hasCondition(status, "Complete")) return "Complete";
    if (hasCondition(status, "Failed")) return "Failed";
    if (Cells.isDeleting(job)) return "Terminating";
    if (hasCondition(status, "Suspended")) return "Suspended";
    if (hasCondition(status, "FailureTarget")) return "FailureTarget";
    if (hasCondition(status, "SuccessCriteriaMet")) return "SuccessCriteriaMet";
    return "Running";
  }

  /** "1/3"; a Job without completions finishes with its first success: "0/1", or "0/1 of 4" when parallel. */
  private static String completions(JsonNode spec, JsonNode status) {
    long succeeded = Cells.number(status, "succeeded");
    if (spec.hasNonNull("completions")) return succeeded + "/" + spec.get("completions").asLong();
    long parallelism = Cells.number(spec, "parallelism");
    return parallelism > 1 ? succeeded + "/1 of " + parallelism : succeeded + "/1";
  }

  /** From the start to the completion, or to now while it runs; "" before it starts. */
  private static Object duration(JsonNode status) {
    Instant start = Cells.instant(status.path("startTime"));
    if (start == null) return "";
    Instant completion = Cells.instant(status.path("completionTime"));
    if (completion == null) return TimedCell.since(start);
    return HumanDuration.format(Duration.between(start, completion));
  }

  private static boolean hasCondition(JsonNode status, String type) {
    for (JsonNode c : Cells.list(status, "conditions")) {
      if (type.equals(Cells.text(c, "type")) && "True".equals(Cells.text(c, "status"))) return true;
    }
    return false;
  }
}
