package io.kubeactor.controlplane.e2e.fuzz;

import io.kubeactor.controlplane.e2e.fuzz.SchemaFields.Shape;
import java.math.BigInteger;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

/**
 * The values the fuzz test puts into a field, and whether Kubernetes' Go decoding accepts each for
 * the field's shape. A value it does not accept (a wrong JSON type, an integer out of its Go type's
 * range or not an integer, bytes that are not base64, a quantity, int-or-string or time that does
 * not parse) must be refused; the others may be accepted or refused by validation.
 *
 * <p>Values are raw JSON text, so that literals a JSON tree cannot hold (1e400, lone surrogate
 * escapes) reach the server as a careless client would write them.
 */
public final class Mutations {
  private Mutations() {}

  /** A value to put into a field, by name ("wrong type: string"), and its class for the report. */
  public record Mutation(String kind, String name, String json) {}

  static final int HUGE_LENGTH = 300 * 1024;

  private static final List<Mutation> WRONG_TYPES = List.of(
      new Mutation("wrong type", "string", "\"fuzz\""),
      new Mutation("wrong type", "integer", "7"),
      new Mutation("wrong type", "number", "2.5"),
      new Mutation("wrong type", "boolean", "true"),
      new Mutation("wrong type", "object", "{\"a\":\"b\"}"),
      new Mutation("wrong type", "array", "[\"a\",\"b\"]"),
      new Mutation("wrong type", "numeric string", "\"3\""));

  private static final List<Mutation> RANGES = List.of(
      new Mutation("out of range", "2147483648", "2147483648"),
      new Mutation("out of range", "-2147483649", "-2147483649"),
      new Mutation("out of range", "9223372036854775808", "9223372036854775808"),
      new Mutation("out of range", "25 digits", "1234567890123456789012345"),
      new Mutation("out of range", "1e400", "1e400"),
      new Mutation("out of range", "-1", "-1"),
      new Mutation("non-integer", "1.5", "1.5"),
      new Mutation("non-integer", "1e2", "1e2"));

  private static final List<Mutation> EMPTY = List.of(
      new Mutation("empty", "\"\"", "\"\""),
      new Mutation("empty", "{}", "{}"),
      new Mutation("empty", "[]", "[]"),
      new Mutation("empty", "null", "null"));

  private static final List<Mutation> UNICODE = List.of(
      new Mutation("unicode", "emoji", "\"\uD83D\uDE00\u2603\""),
      new Mutation("unicode", "NUL", "\"a\\u0000b\""),
      new Mutation("unicode", "lone high surrogate", "\"a\\ud800b\""),
      new Mutation("unicode", "reversed surrogate pair", "\"\\udc00\\ud800\""),
      new Mutation("unicode", "right-to-left override", "\"\\u202eabc\""));

  static final Mutation HUGE = new Mutation("huge", "300 KB string", "\"" + "a".repeat(HUGE_LENGTH) + "\"");

  private static final List<Mutation> INVALID_QUANTITY = List.of(
      new Mutation("invalid quantity", "abc", "\"abc\""),
      new Mutation("invalid quantity", "1Gi!", "\"1Gi!\""),
      new Mutation("invalid quantity", "1.5.5", "\"1.5.5\""));

  private static final List<Mutation> INVALID_BYTES = List.of(
      new Mutation("invalid base64", "not base64", "\"not base64!\""),
      new Mutation("invalid base64", "unpadded", "\"YQ\""));

  private static final List<Mutation> INVALID_TIME = List.of(
      new Mutation("invalid time", "yesterday", "\"yesterday\""),
      new Mutation("invalid time", "month 13", "\"2024-13-45T00:00:00Z\""),
      new Mutation("invalid time", "no zone", "\"2024-01-01T00:00:00\""));

  private static final List<Mutation> INVALID_INT_OR_STRING = List.of(
      new Mutation("invalid int-or-string", "boolean", "false"),
      new Mutation("invalid int-or-string", "1.5", "1.5"));

  /** Every mutation worth trying on a field of this shape. */
  public static List<Mutation> forShape(Shape shape) {
    List<Mutation> all = new ArrayList<>(WRONG_TYPES);
    all.addAll(EMPTY);
    switch (shape) {
      case INT32, INT64, NUMBER -> all.addAll(RANGES);
      case STRING -> {
        all.addAll(UNICODE);
        all.add(HUGE);
      }
      case QUANTITY -> all.addAll(INVALID_QUANTITY);
      case BYTES -> all.addAll(INVALID_BYTES);
      case TIME, MICRO_TIME -> all.addAll(INVALID_TIME);
      case INT_OR_STRING -> {
        all.addAll(INVALID_INT_OR_STRING);
        all.addAll(RANGES);
      }
      default -> {}
    }
    return all;
  }

  private static final BigInteger INT32_MIN = BigInteger.valueOf(Integer.MIN_VALUE);
  private static final BigInteger INT32_MAX = BigInteger.valueOf(Integer.MAX_VALUE);
  private static final BigInteger INT64_MIN = BigInteger.valueOf(Long.MIN_VALUE);
  private static final BigInteger INT64_MAX = BigInteger.valueOf(Long.MAX_VALUE);
  private static final Pattern INTEGER = Pattern.compile("-?(0|[1-9][0-9]*)");
  private static final Pattern NUMBER = Pattern.compile("-?(0|[1-9][0-9]*)(\\.[0-9]+)?([eE][+-]?[0-9]+)?");
  /** resource.Quantity's syntax: a signed decimal with an optional binary, decimal or exponent suffix. */
  private static final Pattern QUANTITY = Pattern.compile(
      "[+-]?([0-9]+(\\.[0-9]*)?|\\.[0-9]+)(Ki|Mi|Gi|Ti|Pi|Ei|n|u|m|k|M|G|T|P|E|[eE][+-]?[0-9]+)?");
  private static final Pattern BASE64 = Pattern.compile("([A-Za-z0-9+/]{4})*([A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?");

  /**
   * Whether Kubernetes' Go decoding (encoding/json into the kind's Go types) accepts this raw JSON
   * value for a field of this shape. {@code null} decodes into every field as its zero value.
   */
  public static boolean decodes(Shape shape, String json) {
    if (json.equals("null") || shape == Shape.ANY) return true;
    char first = json.charAt(0);
    boolean string = first == '"';
    boolean number = first == '-' || Character.isDigit(first);
    boolean bool = json.equals("true") || json.equals("false");
    boolean object = first == '{';
    boolean array = first == '[';
    return switch (shape) {
      case INT32 -> number && integerIn(json, INT32_MIN, INT32_MAX);
      case INT64 -> number && integerIn(json, INT64_MIN, INT64_MAX);
      case NUMBER -> number && Double.isFinite(Double.parseDouble(json));
      case STRING -> string;
      case BOOLEAN -> bool;
      case OBJECT, MAP -> object;
      case ARRAY -> array;
      case QUANTITY -> (string && QUANTITY.matcher(unquote(json)).matches()) || (number && QUANTITY.matcher(json).matches());
      case INT_OR_STRING -> string || (number && integerIn(json, INT32_MIN, INT32_MAX));
      case TIME -> string && isTime(unquote(json), false);
      case MICRO_TIME -> string && isTime(unquote(json), true);
      case BYTES -> string && BASE64.matcher(unquote(json)).matches();
      case ANY -> true;
    };
  }

  private static boolean integerIn(String json, BigInteger min, BigInteger max) {
    if (!INTEGER.matcher(json).matches()) return false;
    BigInteger v = new BigInteger(json);
    return v.compareTo(min) >= 0 && v.compareTo(max) <= 0;
  }

  static boolean isNumber(String json) {
    return NUMBER.matcher(json).matches();
  }

  /** The strings this class writes have no escapes but \\u ones, which make none of these formats valid. */
  private static String unquote(String json) {
    return json.substring(1, json.length() - 1);
  }

  /** Go's time.Parse with RFC 3339 (Time) or RFC 3339 with exactly six fractional digits (MicroTime). */
  private static boolean isTime(String s, boolean micro) {
    if (micro && !s.matches(".*T\\d\\d:\\d\\d:\\d\\d\\.\\d{6}(Z|[+-]\\d\\d:\\d\\d)")) return false;
    try {
      OffsetDateTime.parse(s);
      return true;
    } catch (DateTimeParseException e) {
      return false;
    }
  }
}
