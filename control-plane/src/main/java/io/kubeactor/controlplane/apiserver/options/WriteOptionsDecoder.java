package io.kubeactor.controlplane.apiserver.options;

import io.kubeactor.controlplane.apiserver.decoding.GoStrings;
import io.kubeactor.controlplane.registry.WriteOptions;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * CreateOptions, UpdateOptions and PatchOptions from the query (dryRun, fieldManager,
 * fieldValidation, and force for patches), validated as apimachinery's ValidateCreateOptions,
 * ValidateUpdateOptions and ValidatePatchOptions: a bad value is a 422 naming the options kind, and
 * the write does not happen.
 */
public final class WriteOptionsDecoder {
  private WriteOptionsDecoder() {}

  public static final int FIELD_MANAGER_MAX_LENGTH = 128;
  public static final List<String> FIELD_VALIDATION_VALUES = List.of("", "Ignore", "Strict", "Warn");
  public static final String APPLY_PATCH = "application/apply-patch+yaml";

  public static WriteOptions create(QueryParameters q) {
    return decode(q, "CreateOptions", null);
  }

  public static WriteOptions update(QueryParameters q) {
    return decode(q, "UpdateOptions", null);
  }

  /** @param patchType the request's patch media type (apply patches need a fieldManager, others may not force) */
  public static WriteOptions patch(QueryParameters q, String patchType) {
    return decode(q, "PatchOptions", patchType);
  }

  private static WriteOptions decode(QueryParameters q, String kind, String patchType) {
    List<String> dryRun = q.all("dryRun");
    String fieldManager = q.string("fieldManager").orElse("");
    String fieldValidation = q.string("fieldValidation").orElse("");
    List<FieldError> errors = new ArrayList<>();
    if (patchType != null) {
      if (patchType.equals(APPLY_PATCH)) {
        if (fieldManager.isEmpty()) errors.add(FieldError.required("fieldManager", "is required for apply patch"));
      } else if (q.has("force")) {
        errors.add(FieldError.forbidden("force", "may not be specified for non-apply patch"));
      }
    }
    errors.addAll(validateFieldManager(fieldManager));
    errors.addAll(validateDryRun(dryRun));
    if (!FIELD_VALIDATION_VALUES.contains(fieldValidation)) {
      errors.add(FieldError.notSupported("fieldValidation", GoStrings.quote(fieldValidation), FIELD_VALIDATION_VALUES));
    }
    if (!errors.isEmpty()) throw FieldError.invalidOptions(kind, errors);
    return new WriteOptions(!dryRun.isEmpty(), WriteOptions.mode(fieldValidation), new ArrayList<>());
  }

  /** ValidateFieldManager: at most 128 bytes, every character printable. */
  static List<FieldError> validateFieldManager(String fieldManager) {
    List<FieldError> errors = new ArrayList<>();
    if (fieldManager.getBytes(StandardCharsets.UTF_8).length > FIELD_MANAGER_MAX_LENGTH) {
      errors.add(FieldError.tooLong("fieldManager", FIELD_MANAGER_MAX_LENGTH));
    }
    for (int i = 0; i < fieldManager.length(); ) {
      int c = fieldManager.codePointAt(i);
      if (!GoStrings.isPrint(c)) {
        errors.add(FieldError.invalid("fieldManager", GoStrings.quote(fieldManager),
            "invalid character " + String.format("U+%04X", c) + " (at position " + GoStrings.byteOffset(fieldManager, i) + ")"));
      }
      i += Character.charCount(c);
    }
    return errors;
  }

  /** ValidateDryRun: the only value there is, is "All". */
  static List<FieldError> validateDryRun(List<String> dryRun) {
    if (dryRun.stream().allMatch("All"::equals)) return List.of();
    return List.of(FieldError.notSupported("dryRun", FieldError.goStringSlice(dryRun), List.of("All")));
  }
}
