package io.kubeactor.controlplane.apiserver.options;

import io.kubeactor.controlplane.apiserver.ApiException;
import io.kubeactor.controlplane.apiserver.decoding.GoStrings;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * One error of a request option, as apimachinery's field.Error: a cause type, the field, and the
 * body ("Unsupported value: ..."). {@link #invalid} turns a list into the 422 that kube-apiserver
 * answers for invalid options: {@code DeleteOptions.meta.k8s.io "" is invalid: ...}.
 */
public record FieldError(String type, String field, String body) {

  public static final String META_GROUP = "meta.k8s.io";

  /** field.NotSupported for a string value: {@code Unsupported value: "x": supported values: "a", "b"}. */
  public static FieldError notSupported(String field, String shownValue, List<String> supported) {
    StringBuilder b = new StringBuilder("Unsupported value: ").append(shownValue);
    if (!supported.isEmpty()) {
      b.append(": supported values: ");
      for (int i = 0; i < supported.size(); i++) {
        if (i > 0) b.append(", ");
        b.append(GoStrings.quote(supported.get(i)));
      }
    }
    return new FieldError("FieldValueNotSupported", field, b.toString());
  }

  public static FieldError invalid(String field, String shownValue, String detail) {
    return new FieldError("FieldValueInvalid", field, "Invalid value: " + shownValue + (detail.isEmpty() ? "" : ": " + detail));
  }

  public static FieldError forbidden(String field, String detail) {
    return new FieldError("FieldValueForbidden", field, "Forbidden" + (detail.isEmpty() ? "" : ": " + detail));
  }

  public static FieldError required(String field, String detail) {
    return new FieldError("FieldValueRequired", field, "Required value" + (detail.isEmpty() ? "" : ": " + detail));
  }

  public static FieldError tooLong(String field, int max) {
    return new FieldError("FieldValueTooLong", field, "Too long: may not be more than " + max + " bytes");
  }

  /** Go's %#v of a []string: {@code []string{"a", "b"}}. */
  public static String goStringSlice(List<String> values) {
    StringBuilder b = new StringBuilder("[]string{");
    for (int i = 0; i < values.size(); i++) {
      if (i > 0) b.append(", ");
      b.append(GoStrings.quote(values.get(i)));
    }
    return b.append('}').toString();
  }

  public String message() {
    return field + ": " + body;
  }

  /**
   * errors.NewInvalid for an options kind of meta.k8s.io with an empty name: 422 Invalid, the
   * errors aggregated as utilerrors does (one alone, several in brackets, duplicates once).
   */
  public static ApiException invalidOptions(String kind, List<FieldError> errors) {
    Set<String> messages = new LinkedHashSet<>();
    List<ApiException.Cause> causes = new ArrayList<>();
    for (FieldError e : errors) {
      messages.add(e.message());
      causes.add(new ApiException.Cause(e.type(), e.body(), e.field()));
    }
    String aggregate = messages.size() == 1 ? messages.iterator().next() : "[" + String.join(", ", messages) + "]";
    return new ApiException(422, "Invalid", kind + "." + META_GROUP + " \"\" is invalid: " + aggregate,
        META_GROUP, kind, null, causes);
  }
}
