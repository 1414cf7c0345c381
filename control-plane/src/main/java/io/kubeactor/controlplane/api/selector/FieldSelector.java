package io.kubeactor.controlplane.api.selector;

import com.fasterxml.jackson.databind.JsonNode;
import io.kubeactor.controlplane.api.ApiException;
import io.kubeactor.controlplane.api.ResourceType;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * A parsed field selector ({@code ?fieldSelector=}): "metadata.name=x,status.phase!=Failed", with the
 * operators =, == and !=, checked against the fields the resource supports. Syntax and messages
 * follow apimachinery's pkg/fields/selector.go: terms are split on unescaped commas and sorted, and a
 * value may escape '\', ',' and '=' with a backslash.
 */
public final class FieldSelector {

  /** "field=value" ({@code equal}) or "field!=value". */
  public record Term(String field, boolean equal, String value) {

    /** Kubernetes' form, with the value escaped again. */
    @Override
    public String toString() {
      return field + (equal ? "=" : "!=") + escape(value);
    }
  }

  private static final FieldSelector EVERYTHING = new FieldSelector(List.of(), null);

  private final List<Term> terms;
  private final SelectableFields fields;

  private FieldSelector(List<Term> terms, SelectableFields fields) {
    this.terms = List.copyOf(terms);
    this.fields = fields;
  }

  public static FieldSelector everything() {
    return EVERYTHING;
  }

  /**
   * Parses a field selector for one resource type; an empty string selects everything.
   *
   * @throws ApiException BadRequest for bad syntax ("invalid selector: ...") or a field the resource
   *     does not support (for pods "field label not supported: spec.foo")
   */
  public static FieldSelector parse(String text, ResourceType type) {
    if (text == null || text.isEmpty()) return EVERYTHING;
    List<String> parts = splitTerms(text);
    Collections.sort(parts);
    List<Term> parsed = new ArrayList<>();
    for (String part : parts) {
      if (!part.isEmpty()) parsed.add(parseTerm(text, part));
    }
    // Kubernetes checks the field names only once the whole text has parsed.
    SelectableFields fields = SelectableFields.of(type);
    List<Term> terms = parsed.stream()
        .map(t -> new Term(fields.canonical(t.field()), t.equal(), t.value()))
        .toList();
    return terms.isEmpty() ? EVERYTHING : new FieldSelector(terms, fields);
  }

  public boolean matches(JsonNode object) {
    for (Term term : terms) {
      boolean same = fields.valueOf(object, term.field()).equals(term.value());
      if (same != term.equal()) return false;
    }
    return true;
  }

  /** The value an "=" term requires of this field, if any: lets the server narrow a lookup. */
  public Optional<String> exactValue(String field) {
    return terms.stream().filter(t -> t.equal() && t.field().equals(field)).map(Term::value).findFirst();
  }

  public boolean isEverything() {
    return terms.isEmpty();
  }

  public List<Term> terms() {
    return terms;
  }

  /** Kubernetes' string form: the terms, sorted, "==" written as "=". */
  @Override
  public String toString() {
    return terms.stream().map(Term::toString).collect(Collectors.joining(","));
  }

  // ---- syntax

  /** Splits on commas, except escaped ones; the backslashes stay for unescaping later. */
  private static List<String> splitTerms(String text) {
    List<String> terms = new ArrayList<>();
    int start = 0;
    boolean escaped = false;
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      if (escaped) {
        escaped = false;
      } else if (c == '\\') {
        escaped = true;
      } else if (c == ',') {
        terms.add(text.substring(start, i));
        start = i + 1;
      }
    }
    terms.add(text.substring(start));
    return terms;
  }

  /** Splits at the first operator: the field cannot escape anything, so "a=b=c" is a bad value. */
  private static Term parseTerm(String text, String part) {
    for (int i = 0; i < part.length(); i++) {
      for (String op : List.of("!=", "==", "=")) {
        if (part.startsWith(op, i)) {
          String value = unescape(part.substring(i + op.length()));
          return new Term(part.substring(0, i), !op.equals("!="), value);
        }
      }
    }
    throw ApiException.badRequest("invalid selector: '" + text + "'; can't understand '" + part + "'");
  }

  private static String unescape(String s) {
    StringBuilder out = new StringBuilder(s.length());
    boolean escaped = false;
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      if (escaped) {
        if (c != '\\' && c != ',' && c != '=') {
          throw ApiException.badRequest("invalid field selector: invalid escape sequence: \\" + c);
        }
        out.append(c);
        escaped = false;
      } else if (c == '\\') {
        escaped = true;
      } else if (c == ',' || c == '=') {
        // Go prints the rune as its number.
        throw ApiException.badRequest("invalid field selector: unescaped character in value: " + (int) c);
      } else {
        out.append(c);
      }
    }
    if (escaped) throw ApiException.badRequest("invalid field selector: invalid escape sequence: \\");
    return out.toString();
  }

  private static String escape(String value) {
    return value.replace("\\", "\\\\").replace(",", "\\,").replace("=", "\\=");
  }
}
