package io.kubeactor.controlplane.apiserver.decoding;

import com.fasterxml.jackson.core.JsonToken;

/** How Go writes strings, numbers and JSON value kinds in the errors clients read. */
public final class GoStrings {
  private GoStrings() {}

  /** Go's strconv.Quote. */
  public static String quote(String s) {
    StringBuilder out = new StringBuilder(s.length() + 2).append('"');
    s.codePoints().forEach(c -> {
      switch (c) {
        case '"' -> out.append("\\\"");
        case '\\' -> out.append("\\\\");
        case 0x07 -> out.append("\\a");
        case '\b' -> out.append("\\b");
        case '\f' -> out.append("\\f");
        case '\n' -> out.append("\\n");
        case '\r' -> out.append("\\r");
        case '\t' -> out.append("\\t");
        case 0x0b -> out.append("\\v");
        default -> {
          if (c < 0x20 || c == 0x7f) out.append(String.format("\\x%02x", c));
          else if (!isPrintable(c)) out.append(c < 0x10000 ? String.format("\\u%04x", c) : String.format("\\U%08x", c));
          else out.appendCodePoint(c);
        }
      }
    });
    return out.append('"').toString();
  }

  private static boolean isPrintable(int c) {
    int type = Character.getType(c);
    return type != Character.CONTROL && type != Character.FORMAT && type != Character.UNASSIGNED
        && type != Character.SURROGATE && type != Character.PRIVATE_USE
        && type != Character.LINE_SEPARATOR && type != Character.PARAGRAPH_SEPARATOR
        && (type != Character.SPACE_SEPARATOR || c == ' ');
  }

  /** The JSON kind Go's decoder names in an UnmarshalTypeError: "string", "number", "bool", "array", "object". */
  static String jsonKind(JsonToken token) {
    return switch (token) {
      case VALUE_STRING -> "string";
      case VALUE_NUMBER_INT, VALUE_NUMBER_FLOAT -> "number";
      case VALUE_TRUE, VALUE_FALSE -> "bool";
      case START_ARRAY -> "array";
      case START_OBJECT -> "object";
      default -> "null";
    };
  }

  /** A number as a client would have written it: Jackson's "1E+400" is Go's literal "1e400". */
  static String number(String text) {
    return text.replace("E+", "e").replace('E', 'e');
  }
}
