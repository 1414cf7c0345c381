package io.kubeactor.controlplane.apiserver.table;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.math.RoundingMode;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The canonical text of a {@code resource.Quantity}, as Kubernetes' Quantity.String() prints it:
 * "1000m" is "1", "0.5" is "500m", "1.5Gi" is "1536Mi". Printers show quantities this way.
 */
public final class Quantities {
  private Quantities() {}

  private enum Format { BINARY_SI, DECIMAL_SI, DECIMAL_EXPONENT }

  private record Parsed(BigDecimal value, Format format) {}

  private static final Pattern SHAPE = Pattern.compile("([+-]?)(\\d*)(?:\\.(\\d*))?(.*)");
  private static final BigInteger KIBI = BigInteger.valueOf(1024);

  private static final Map<String, Integer> DECIMAL_EXPONENTS = Map.of(
      "n", -9, "u", -6, "m", -3, "", 0, "k", 3, "M", 6, "G", 9, "T", 12, "P", 15, "E", 18);
  private static final Map<String, Integer> BINARY_POWERS = Map.of(
      "Ki", 1, "Mi", 2, "Gi", 3, "Ti", 4, "Pi", 5, "Ei", 6);
  private static final String[] DECIMAL_SUFFIXES = {"n", "u", "m", "", "k", "M", "G", "T", "P", "E"};
  private static final String[] BINARY_SUFFIXES = {"", "Ki", "Mi", "Gi", "Ti", "Pi", "Ei"};

  /** The canonical form of a quantity; text that is no quantity comes back unchanged. */
  public static String canonical(String quantity) {
    Parsed q = parse(quantity);
    if (q == null) return quantity;
    if (q.value.signum() == 0) return "0";
    Format format = q.format;
    if (format == Format.BINARY_SI
        && (q.value.abs().compareTo(BigDecimal.valueOf(1024)) < 0 || !isInteger(q.value))) {
      format = Format.DECIMAL_SI; // a binary suffix would round or look odd below 1Ki
    }
    if (format == Format.BINARY_SI) {
      BigInteger amount = q.value.toBigIntegerExact();
      int power = 0;
      while (amount.mod(KIBI).signum() == 0) {
        amount = amount.divide(KIBI);
        power++;
      }
      return amount + (power < BINARY_SUFFIXES.length ? BINARY_SUFFIXES[power] : "");
    }
    // an integer mantissa and a power of ten that is a multiple of three
    BigDecimal stripped = q.value.stripTrailingZeros();
    BigInteger mantissa = stripped.unscaledValue();
    int exponent = -stripped.scale();
    while (exponent % 3 != 0) {
      mantissa = mantissa.multiply(BigInteger.TEN);
      exponent--;
    }
    if (format == Format.DECIMAL_EXPONENT) return exponent == 0 ? mantissa.toString() : mantissa + "e" + exponent;
    int index = exponent / 3 + 3;
    return mantissa + (index >= 0 && index < DECIMAL_SUFFIXES.length ? DECIMAL_SUFFIXES[index] : "");
  }

  private static Parsed parse(String text) {
    if (text == null || text.isEmpty()) return null;
    Matcher m = SHAPE.matcher(text);
    if (!m.matches()) return null;
    String whole = m.group(2);
    String fraction = m.group(3) == null ? "" : m.group(3);
    if (whole.isEmpty() && fraction.isEmpty()) return null;
    BigDecimal number = new BigDecimal((whole.isEmpty() ? "0" : whole) + (fraction.isEmpty() ? "" : "." + fraction));
    if (m.group(1).equals("-")) number = number.negate();
    String suffix = m.group(4);
    BigDecimal value;
    Format format;
    if (DECIMAL_EXPONENTS.containsKey(suffix)) {
      value = number.scaleByPowerOfTen(DECIMAL_EXPONENTS.get(suffix));
      format = Format.DECIMAL_SI;
    } else if (BINARY_POWERS.containsKey(suffix)) {
      value = number.multiply(new BigDecimal(KIBI.pow(BINARY_POWERS.get(suffix))));
      format = Format.BINARY_SI;
    } else if (suffix.length() > 1 && (suffix.charAt(0) == 'e' || suffix.charAt(0) == 'E')) {
      try {
        value = number.scaleByPowerOfTen(Integer.parseInt(suffix.substring(1)));
      } catch (NumberFormatException e) {
        return null;
      }
      format = Format.DECIMAL_EXPONENT;
    } else {
      return null;
    }
    // Kubernetes keeps nano precision and rounds anything finer away from zero
    if (value.scale() > 9) value = value.setScale(9, RoundingMode.UP);
    return new Parsed(value, format);
  }

  private static boolean isInteger(BigDecimal v) {
    return v.stripTrailingZeros().scale() <= 0;
  }
}
