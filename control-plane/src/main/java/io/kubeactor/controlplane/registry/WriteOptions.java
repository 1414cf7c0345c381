package io.kubeactor.controlplane.registry;

import java.util.ArrayList;
import java.util.List;

/**
 * Per-request options of a write: dry run, how unknown fields are treated (fieldValidation), and
 * where warnings for the client go (the API server sends them as Warning headers).
 */
public record WriteOptions(boolean dryRun, FieldValidationMode fieldValidation, List<String> warnings) {

  public enum FieldValidationMode { STRICT, WARN, IGNORE }

  /** What controllers and internal writers use: no dry run, unknown fields dropped silently. */
  public static WriteOptions internal() {
    return new WriteOptions(false, FieldValidationMode.IGNORE, new ArrayList<>());
  }

  public static FieldValidationMode mode(String queryValue) {
    if (queryValue == null || queryValue.isEmpty()) return FieldValidationMode.WARN;
    return switch (queryValue) {
      case "Strict" -> FieldValidationMode.STRICT;
      case "Ignore" -> FieldValidationMode.IGNORE;
      default -> FieldValidationMode.WARN;
    };
  }
}
