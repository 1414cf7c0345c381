package io.kubeactor.controlplane.apiserver.options;

import io.kubeactor.controlplane.api.ApiException;
import io.kubeactor.controlplane.registry.WriteOptions;
import io.kubeactor.controlplane.registry.admission.FieldErrors;
import io.kubeactor.controlplane.registry.admission.FieldPath;
import io.kubeactor.controlplane.registry.admission.GoValue;
import io.kubeactor.controlplane.registry.decoding.GoStrings;
import java.nio.charset.StandardCharsets;
import io.kubeactor.controlplane.security.authentication.UserInfo;
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

  /** @param userAgent names the field manager when the query does not ("" when there is none) */
  public static WriteOptions create(QueryParameters q, UserInfo user, String userAgent) {
    return decode(q, "CreateOptions", null, user, userAgent);
  }

  public static WriteOptions update(QueryParameters q, UserInfo user, String userAgent) {
    return decode(q, "UpdateOptions", null, user, userAgent);
  }

  /** @param patchType the request's patch media type (apply patches need a fieldManager, others may not force) */
  public static WriteOptions patch(QueryParameters q, String patchType, UserInfo user, String userAgent) {
    return decode(q, "PatchOptions", patchType, user, userAgent);
  }

  private static WriteOptions decode(QueryParameters q, String kind, String patchType, UserInfo user, String userAgent) {
    List<String> dryRun = q.all("dryRun");
    String fieldManager = q.string("fieldManager").orElse("");
    String fieldValidation = q.string("fieldValidation").orElse("");
    FieldErrors errors = new FieldErrors();
    if (patchType != null) {
      if (patchType.equals(APPLY_PATCH)) {
        if (fieldManager.isEmpty()) errors.required(FieldPath.root("fieldManager"), "is required for apply patch");
      } else if (q.has("force")) {
        errors.forbidden(FieldPath.root("force"), "may not be specified for non-apply patch");
      }
    }
    validateFieldManager(fieldManager, errors);
    validateDryRun(dryRun, errors);
    if (!FIELD_VALIDATION_VALUES.contains(fieldValidation)) {
      errors.notSupported(FieldPath.root("fieldValidation"), fieldValidation, FIELD_VALIDATION_VALUES);
    }
    if (errors.size() > 0) throw ApiException.invalid(MediaTypes.META_GROUP, kind, "", errors.causes());
    boolean force = patchType != null && patchType.equals(APPLY_PATCH) && q.string("force").orElse("").equals("true");
    return new WriteOptions(!dryRun.isEmpty(), WriteOptions.mode(fieldValidation), new ArrayList<>(), user,
        fieldManager.isEmpty() ? managerFromUserAgent(userAgent) : fieldManager, force, null);
  }

  /**
   * The field manager of a write that names none: the User-Agent up to its first "/", without
   * unprintable characters, at most 128 bytes, or "unknown" (apiserver's prefixFromUserAgent).
   */
  static String managerFromUserAgent(String userAgent) {
    String prefix = userAgent == null ? "" : userAgent.split("/", 2)[0];
    StringBuilder manager = new StringBuilder();
    int bytes = 0;
    for (int i = 0; i < prefix.length(); ) {
      int c = prefix.codePointAt(i);
      i += Character.charCount(c);
      if (!GoStrings.isPrint(c)) continue;
      String ch = new String(Character.toChars(c));
      bytes += ch.getBytes(StandardCharsets.UTF_8).length;
      if (bytes > FIELD_MANAGER_MAX_LENGTH) break;
      manager.append(ch);
    }
    return manager.isEmpty() ? "unknown" : manager.toString();
  }

  /** ValidateFieldManager: at most 128 bytes, every character printable. */
  static void validateFieldManager(String fieldManager, FieldErrors errors) {
    if (fieldManager.getBytes(StandardCharsets.UTF_8).length > FIELD_MANAGER_MAX_LENGTH) {
      errors.tooLong(FieldPath.root("fieldManager"), FIELD_MANAGER_MAX_LENGTH);
    }
    for (int i = 0; i < fieldManager.length(); ) {
      int c = fieldManager.codePointAt(i);
      if (!GoStrings.isPrint(c)) {
        errors.invalid(FieldPath.root("fieldManager"), fieldManager,
            "invalid character " + String.format("U+%04X", c) + " (at position " + GoStrings.byteOffset(fieldManager, i) + ")");
      }
      i += Character.charCount(c);
    }
  }

  /** ValidateDryRun: the only value there is, is "All". */
  static void validateDryRun(List<String> dryRun, FieldErrors errors) {
    if (!dryRun.stream().allMatch("All"::equals)) errors.notSupported(FieldPath.root("dryRun"), GoValue.stringSlice(dryRun), List.of("All"));
  }
}
