package io.kubeactor.controlplane.registry.admission;

import io.kubeactor.controlplane.api.ApiException;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.stream.Collectors;

/**
 * Collects field errors worded exactly as Kubernetes v1.32's field.Error.ErrorBody() words them
 * ("Required value", "Invalid value: \"x\": detail", "Unsupported value: ...: supported values:
 * ...").
 */
public final class FieldErrors {
  static final String REQUIRED = "FieldValueRequired";
  static final String INVALID = "FieldValueInvalid";
  static final String NOT_SUPPORTED = "FieldValueNotSupported";
  static final String FORBIDDEN = "FieldValueForbidden";
  static final String DUPLICATE = "FieldValueDuplicate";
  static final String TOO_LONG = "FieldValueTooLong";
  static final String NOT_FOUND = "FieldValueNotFound";
  static final String TOO_MANY = "FieldValueTooMany";
  static final String TYPE_INVALID = "FieldValueTypeInvalid";

  private final List<ApiException.Cause> causes = new ArrayList<>();

  public void required(FieldPath field, String detail) {
    add(REQUIRED, withDetail("Required value", detail), field);
  }

  public void invalid(FieldPath field, Object value, String detail) {
    add(INVALID, withDetail("Invalid value: " + GoValue.render(value), detail), field);
  }

  public void notSupported(FieldPath field, Object value, List<String> supported) {
    String detail = supported.isEmpty() ? ""
        : "supported values: " + supported.stream().map(GoValue::quote).collect(Collectors.joining(", "));
    add(NOT_SUPPORTED, withDetail("Unsupported value: " + GoValue.render(value), detail), field);
  }

  public void forbidden(FieldPath field, String detail) {
    add(FORBIDDEN, withDetail("Forbidden", detail), field);
  }

  /** field.TypeInvalid: worded as Invalid, with a reason of its own. */
  public void typeInvalid(FieldPath field, Object value, String detail) {
    add(TYPE_INVALID, withDetail("Invalid value: " + GoValue.render(value), detail), field);
  }

  public void duplicate(FieldPath field, Object value) {
    duplicate(field, value, "");
  }

  public void duplicate(FieldPath field, Object value, String detail) {
    add(DUPLICATE, withDetail("Duplicate value: " + GoValue.render(value), detail), field);
  }

  void notFound(FieldPath field, Object value) {
    add(NOT_FOUND, "Not found: " + GoValue.render(value), field);
  }

  public void tooLong(FieldPath field, int maxBytes) {
    add(TOO_LONG, "Too long: may not be more than " + maxBytes + (maxBytes == 1 ? " byte" : " bytes"), field);
  }

  public void tooMany(FieldPath field, int actual, int max) {
    add(TOO_MANY, "Too many: " + actual + ": must have at most " + max + (max == 1 ? " item" : " items"), field);
  }

  /** One Invalid error per message of a syntax check, as Kubernetes reports them. */
  void invalidEach(FieldPath field, Object value, List<String> messages) {
    messages.forEach(m -> invalid(field, value, m));
  }

  /** One error as another collection has it. */
  public void add(ApiException.Cause cause) {
    causes.add(cause);
  }

  void addAll(FieldErrors other) {
    causes.addAll(other.causes);
  }

  public int size() {
    return causes.size();
  }

  /** The errors in order, without repeats (Kubernetes de-duplicates its aggregate message too). */
  public List<ApiException.Cause> causes() {
    return List.copyOf(new LinkedHashSet<>(causes));
  }

  private void add(String reason, String message, FieldPath field) {
    causes.add(new ApiException.Cause(reason, message, field.text()));
  }

  private static String withDetail(String body, String detail) {
    return detail == null || detail.isEmpty() ? body : body + ": " + detail;
  }
}
