package io.kubeactor.controlplane.registry.decoding;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.charset.StandardCharsets;

/** How Go writes strings, numbers and JSON value kinds in the errors clients read. */
public final class GoStrings {
  private GoStrings() {}

  /** strconv.Quote: a double-quoted Go string literal, with non-printable runes escaped. */
  public static String quote(String s) {
    StringBuilder b = new StringBuilder(s.length() + 2).append('"');
    s.codePoints().forEach(c -> {
      switch (c) {
        case '"' -> b.append("\\\"");
        case '\\' -> b.append("\\\\");
        case 0x07 -> b.append("\\a");
        case '\b' -> b.append("\\b");
        case '\f' -> b.append("\\f");
        case '\n' -> b.append("\\n");
        case '\r' -> b.append("\\r");
        case '\t' -> b.append("\\t");
        case 0x0b -> b.append("\\v");
        default -> {
          if (isPrint(c)) b.appendCodePoint(c);
          else if (c < 0x20 || c == 0x7f) b.append(String.format("\\x%02x", c));
          else if (c >= 0xd800 && c <= 0xdfff) b.append("\\ufffd"); // a lone surrogate: not valid UTF-8
          else if (c < 0x10000) b.append(String.format("\\u%04x", c));
          else b.append(String.format("\\U%08x", c));
        }
      }
    });
    return b.append('"').toString();
  }

  /** unicode.IsPrint: letters, marks, numbers, punctuation, symbols and the ASCII space. */
  public static boolean isPrint(int c) {
    if (c == ' ') return true;
    return switch (Character.getType(c)) {
      case Character.UPPERCASE_LETTER, Character.LOWERCASE_LETTER, Character.TITLECASE_LETTER,
          Character.MODIFIER_LETTER, Character.OTHER_LETTER,
          Character.NON_SPACING_MARK, Character.ENCLOSING_MARK, Character.COMBINING_SPACING_MARK,
          Character.DECIMAL_DIGIT_NUMBER, Character.LETTER_NUMBER, Character.OTHER_NUMBER,
          Character.CONNECTOR_PUNCTUATION, Character.DASH_PUNCTUATION, Character.START_PUNCTUATION,
          Character.END_PUNCTUATION, Character.INITIAL_QUOTE_PUNCTUATION, Character.FINAL_QUOTE_PUNCTUATION,
          Character.OTHER_PUNCTUATION,
          Character.MATH_SYMBOL, Character.CURRENCY_SYMBOL, Character.MODIFIER_SYMBOL, Character.OTHER_SYMBOL -> true;
      default -> false;
    };
  }

  /** The byte offset of the rune at char index {@code i} in the UTF-8 encoding (Go's range index). */
  public static int byteOffset(String s, int charIndex) {
    return s.substring(0, charIndex).getBytes(StandardCharsets.UTF_8).length;
  }

  /** The JSON kind Go's decoder names in an UnmarshalTypeError: "string", "number", "bool", "array", "object". */
  public static String jsonKind(JsonNode node) {
    return switch (node.getNodeType()) {
      case ARRAY -> "array";
      case OBJECT, POJO -> "object";
      case STRING, BINARY -> "string";
      case NUMBER -> "number";
      case BOOLEAN -> "bool";
      default -> "null";
    };
  }

  /** A number as a client would have written it: Jackson's "1E+400" is Go's literal "1e400". */
  static String number(String text) {
    return text.replace("E+", "e").replace('E', 'e');
  }
}
