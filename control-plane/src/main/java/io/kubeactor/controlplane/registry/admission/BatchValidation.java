package io.kubeactor.controlplane.registry.admission;

import static io.kubeactor.controlplane.registry.admission.Nodes.text;

import com.cronutils.model.definition.CronDefinitionBuilder;
import com.cronutils.parser.CronParser;
import com.fasterxml.jackson.databind.JsonNode;
import io.kubeactor.controlplane.api.Syntax;
import java.time.DateTimeException;
import java.time.ZoneId;
import java.util.List;
import java.util.Optional;

/**
 * Jobs and CronJobs (pkg/apis/batch/validation/validation.go): the rules of the spec, the
 * selector a Job generates for itself (pkg/registry/batch/job/strategy.go), and what an update
 * may change.
 */
public final class BatchValidation {
  private BatchValidation() {}

  /** The labels a Job's generated selector and pod template carry (batch/v1 types.go). */
  public static final String CONTROLLER_UID = "batch.kubernetes.io/controller-uid";
  public static final String LEGACY_CONTROLLER_UID = "controller-uid";
  public static final String JOB_NAME = "batch.kubernetes.io/job-name";
  public static final String LEGACY_JOB_NAME = "job-name";

  /**
   * The cron syntax robfig/cron's ParseStandard accepts: five fields, or a macro such as @hourly
   * (cron-utils' UNIX definition with its nicknames, which that definition leaves out). "@every"
   * intervals are not accepted.
   */
  public static final CronParser CRON = new CronParser(CronDefinitionBuilder.defineCron()
      .withMinutes().withValidRange(0, 59).withStrictRange().and()
      .withHours().withValidRange(0, 23).withStrictRange().and()
      .withDayOfMonth().withValidRange(1, 31).withStrictRange().and()
      .withMonth().withValidRange(1, 12).withStrictRange().and()
      .withDayOfWeek().withValidRange(0, 7).withMondayDoWValue(1).withIntMapping(7, 0).withStrictRange().and()
      .withSupportedNicknameYearly().withSupportedNicknameAnnually().withSupportedNicknameMonthly()
      .withSupportedNicknameWeekly().withSupportedNicknameDaily().withSupportedNicknameMidnight()
      .withSupportedNicknameHourly()
      .instance());

  private static final FieldPath SPEC = FieldPath.root("spec");
  private static final String SELECTOR_MISMATCH = "`selector` does not match template `labels`";
  /** A CronJob's name leaves 11 characters of a DNS label for the Jobs' "-<minutes>" suffix. */
  private static final int CRON_JOB_NAME_MAX = 52;

  public static void job(JsonNode job, FieldErrors errors) {
    JsonNode spec = job.path("spec");
    if (!spec.path("manualSelector").asBoolean(false)) generatedSelector(job, errors);
    jobSpec(spec, SPEC, true, errors);
  }

  /** ValidateJobUpdate: the spec's rules, and the fields fixed once the Job is created. */
  public static void jobUpdate(JsonNode job, JsonNode old, FieldErrors errors) {
    jobSpec(job.path("spec"), SPEC, true, errors);
    JsonNode spec = job.path("spec");
    JsonNode oldSpec = old.path("spec");
    immutable(spec, oldSpec, "selector", SPEC, errors);
    immutable(spec, oldSpec, "completionMode", SPEC, errors);
    immutable(spec, oldSpec, "podFailurePolicy", SPEC, errors);
    immutable(spec, oldSpec, "backoffLimitPerIndex", SPEC, errors);
    // completions may change only with parallelism, for Indexed Jobs (elastic Indexed Jobs)
    boolean elastic = "Indexed".equals(text(spec, "completionMode"))
        && Nodes.number(spec, "completions") == Nodes.number(spec, "parallelism");
    if (!elastic) immutable(spec, oldSpec, "completions", SPEC, errors);
    // the template may change only while the Job is suspended and has never started
    boolean neverStarted = old.path("status").path("startTime").isMissingNode() || old.path("status").path("startTime").isNull();
    if (!(spec.path("suspend").asBoolean(false) && neverStarted)) immutable(spec, oldSpec, "template", SPEC, errors);
  }

  public static void cronJob(JsonNode cronJob, FieldErrors errors) {
    String name = text(cronJob.path("metadata"), "name");
    if (name.length() > CRON_JOB_NAME_MAX) {
      errors.invalid(FieldPath.root("metadata").child("name"), name, "must be no more than 52 characters");
    }
    JsonNode spec = cronJob.path("spec");
    String schedule = text(spec, "schedule");
    if (schedule.isEmpty()) errors.required(SPEC.child("schedule"), "");
    else schedule(schedule, SPEC.child("schedule"), errors);
    nonNegative(spec, "startingDeadlineSeconds", SPEC, errors);
    String policy = text(spec, "concurrencyPolicy");
    switch (policy) {
      case "Allow", "Forbid", "Replace" -> { }
      case "" -> errors.required(SPEC.child("concurrencyPolicy"), "");
      default -> errors.notSupported(SPEC.child("concurrencyPolicy"), policy, List.of("Allow", "Forbid", "Replace"));
    }
    nonNegative(spec, "successfulJobsHistoryLimit", SPEC, errors);
    nonNegative(spec, "failedJobsHistoryLimit", SPEC, errors);
    if (spec.hasNonNull("timeZone")) timeZone(spec.get("timeZone").asText(), SPEC.child("timeZone"), errors);
    FieldPath template = SPEC.child("jobTemplate").child("spec");
    JsonNode jobSpec = spec.path("jobTemplate").path("spec");
    if (jobSpec.path("manualSelector").asBoolean(false)) {
      errors.notSupported(template.child("manualSelector"), new GoValue.Literal("true"), List.of("nil", "false"));
    }
    jobSpec(jobSpec, template, false, errors);
  }

  /** When a schedule is invalid, why (robfig/cron refuses it); empty when it parses. */
  public static Optional<String> scheduleError(String schedule) {
    if (schedule.contains("TZ")) return Optional.of("cannot use TZ or CRON_TZ in schedule, use timeZone field instead");
    try {
      CRON.parse(schedule).validate();
      return Optional.empty();
    } catch (IllegalArgumentException e) {
      return Optional.of(e.getMessage());
    }
  }

  private static void schedule(String schedule, FieldPath path, FieldErrors errors) {
    scheduleError(schedule).ifPresent(why -> errors.invalid(path, schedule, why));
  }

  private static void timeZone(String zone, FieldPath path, FieldErrors errors) {
    if (zone.equalsIgnoreCase("Local")) {
      errors.invalid(path, zone, "timeZone must be an explicit time zone as defined in https://www.iana.org/time-zones");
      return;
    }
    try {
      ZoneId.of(zone);
    } catch (DateTimeException e) {
      errors.invalid(path, zone, "unknown time zone " + zone);
    }
  }

  /** ValidateJobSpec; {@code selectorRequired} false for a CronJob's template, whose Jobs generate theirs. */
  private static void jobSpec(JsonNode spec, FieldPath path, boolean selectorRequired, FieldErrors errors) {
    for (String field : List.of("parallelism", "completions", "activeDeadlineSeconds", "backoffLimit", "ttlSecondsAfterFinished")) {
      nonNegative(spec, field, path, errors);
    }
    String mode = text(spec, "completionMode");
    if (!mode.isEmpty() && !mode.equals("NonIndexed") && !mode.equals("Indexed")) {
      errors.notSupported(path.child("completionMode"), mode, List.of("NonIndexed", "Indexed"));
    }
    if (mode.equals("Indexed") && !Nodes.has(spec, "completions")) {
      errors.required(path.child("completions"), "when completion mode is Indexed");
    }
    JsonNode selectorNode = spec.get("selector");
    if (Nodes.absent(selectorNode)) {
      if (selectorRequired) errors.required(path.child("selector"), "");
    } else {
      LabelSelectors.validate(selectorNode, path.child("selector"), errors);
    }
    JsonNode template = spec.path("template");
    Optional<LabelSelectors.Selector> selector = LabelSelectors.convert(selectorNode);
    JsonNode labels = template.path("metadata").get("labels");
    if (!Nodes.absent(selectorNode) && selector.isPresent() && !selector.get().matches(labels)) {
      errors.invalid(path.child("template").child("metadata").child("labels"), GoValue.stringMap(labels), SELECTOR_MISMATCH);
    }
    PodSpecValidation.podTemplate(template, path.child("template"), errors);
    String restartPolicy = text(template.path("spec"), "restartPolicy");
    if (!restartPolicy.equals("OnFailure") && !restartPolicy.equals("Never")) {
      errors.notSupported(path.child("template").child("spec").child("restartPolicy"), restartPolicy, List.of("OnFailure", "Never"));
    }
  }

  /** validateGeneratedSelector: the labels the Job's generated selector selects are on its template. */
  private static void generatedSelector(JsonNode job, FieldErrors errors) {
    JsonNode meta = job.path("metadata");
    String uid = text(meta, "uid");
    String name = text(meta, "name");
    FieldPath labels = SPEC.child("template").child("metadata").child("labels");
    JsonNode templateLabels = job.path("spec").path("template").path("metadata").path("labels");
    hasLabel(templateLabels, LEGACY_CONTROLLER_UID, uid, labels, errors);
    hasLabel(templateLabels, LEGACY_JOB_NAME, name, labels, errors);
    hasLabel(templateLabels, CONTROLLER_UID, uid, labels, errors);
    hasLabel(templateLabels, JOB_NAME, name, labels, errors);
    JsonNode selector = job.path("spec").path("selector");
    boolean generated = Nodes.size(selector, "matchExpressions") == 0 && Nodes.size(selector, "matchLabels") == 1
        && uid.equals(selector.path("matchLabels").path(CONTROLLER_UID).asText(null));
    if (!generated && !Nodes.absent(job.path("spec").get("selector"))) {
      errors.invalid(SPEC.child("selector"), GoValue.labelSelector(selector), "`selector` not auto-generated");
    }
  }

  private static void hasLabel(JsonNode labels, String key, String value, FieldPath path, FieldErrors errors) {
    JsonNode actual = labels.get(key);
    if (Nodes.absent(actual)) errors.required(path.key(key), "");
    else if (!actual.asText().equals(value)) errors.invalid(path.key(key), actual.asText(), "must be '" + value + "'");
  }

  private static void immutable(JsonNode spec, JsonNode oldSpec, String field, FieldPath path, FieldErrors errors) {
    if (!JsonDiff.same(spec.get(field), oldSpec.get(field))) {
      JsonNode now = spec.get(field);
      errors.invalid(path.child(field), Nodes.absent(now) ? null : GoValue.ofJson(now), Syntax.FIELD_IMMUTABLE);
    }
  }

  private static void nonNegative(JsonNode spec, String field, FieldPath path, FieldErrors errors) {
    long value = Nodes.number(spec, field);
    if (value < 0) errors.invalid(path.child(field), value, Syntax.IS_NEGATIVE);
  }
}
