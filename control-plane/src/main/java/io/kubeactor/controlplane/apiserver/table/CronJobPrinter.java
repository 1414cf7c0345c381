package io.kubeactor.controlplane.apiserver.table;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;

/** CronJobs: NAME SCHEDULE TIMEZONE SUSPEND ACTIVE LAST SCHEDULE AGE | CONTAINERS IMAGES SELECTOR (printCronJob). */
final class CronJobPrinter implements TablePrinter {

  private static final List<Column> COLUMNS = List.of(
      Column.NAME,
      Column.string("Schedule", "The schedule in Cron format, see https://en.wikipedia.org/wiki/Cron."),
      Column.string("Timezone", "The time zone name for the given schedule, see"
          + " https://en.wikipedia.org/wiki/List_of_tz_database_time_zones. If not specified, this will default to the"
          + " time zone of the kube-controller-manager process. The set of valid time zone names and the time zone"
          + " offset is loaded from the system-wide time zone database by the API server during CronJob validation and"
          + " the controller manager during execution. If no system-wide time zone database can be found a bundled"
          + " version of the database is used instead. If the time zone name becomes invalid during the lifetime of a"
          + " CronJob or due to a change in host configuration, the controller will stop creating new new Jobs and will"
          + " create a system event with the reason UnknownTimeZone. More information can be found in"
          + " https://kubernetes.io/docs/concepts/workloads/controllers/cron-jobs/#time-zones"),
      Column.bool("Suspend", "This flag tells the controller to suspend subsequent executions, it does not apply to"
          + " already started executions.  Defaults to false."),
      Column.integer("Active", "A list of pointers to currently running jobs."),
      Column.string("Last Schedule", "Information when was the last time the job was successfully scheduled."),
      Column.AGE,
      Column.CONTAINERS,
      Column.IMAGES,
      JobPrinter.SELECTOR);

  @Override
  public List<Column> columns() {
    return COLUMNS;
  }

  @Override
  public List<Object> cells(JsonNode cronJob) {
    JsonNode spec = cronJob.path("spec");
    JsonNode status = cronJob.path("status");
    JsonNode jobSpec = spec.path("jobTemplate").path("spec");
    JsonNode podSpec = jobSpec.path("template").path("spec");
    JsonNode suspend = spec.path("suspend");
    Object lastSchedule = status.hasNonNull("lastScheduleTime") ? Cells.since(status.get("lastScheduleTime")) : "<none>";
    return List.of(Cells.name(cronJob), Cells.text(spec, "schedule"), Cells.text(spec, "timeZone", "<none>"),
        suspend.isBoolean() ? (suspend.booleanValue() ? "True" : "False") : "<unset>",
        (long) Cells.list(status, "active").size(), lastSchedule, Cells.age(cronJob),
        Cells.containerNames(podSpec), Cells.containerImages(podSpec), Cells.formatSelector(jobSpec.path("selector")));
  }
}
