package io.kubeactor.common;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Resource quantities (one implementation for the API server, scheduler and agents) ("500m", "1.5Gi", "2e3"): their value, and their canonical text as
 * resource.Quantity.String() prints it in error messages (apimachinery/pkg/api/resource).
 */
public final class Quantities {
  private Quantities() {}

  private enum Format { DECIMAL_SI, BINARY_SI, DECIMAL_EXPONENT }

  private record Parsed(BigDecimal value, Format format) {}

  private static final Pattern QUANTITY = Pattern.compile("([+-]?(?:[0-9]+\\.?[0-9]*|\\.[0-9]+))([a-zA-Z]*)([-+]?[0-9]*)");
  private static final Map<String, Integer> DECIMAL_SUFFIXES =
      Map.of("n", -9, "u", -6, "m", -3, "", 0, "k", 3, "M", 6, "G", 9, "T", 12, "P", 15, "E", 18);
  private static final Map<String, Integer> BINARY_SUFFIXES =
      Map.of("Ki", 1, "Mi", 2, "Gi", 3, "Ti", 4, "Pi", 5, "Ei", 6);
  private static final String[] BINARY_NAMES = {"", "Ki", "Mi", "Gi", "Ti", "Pi", "Ei"};
  private static final BigDecimal KI = BigDecimal.valueOf(1024);

  /** The numeric value, or empty when the text is not a quantity. */
  public static Optional<BigDecimal> value(String text) {
    return parse(text).map(Parsed::value);
  }

  /** The canonical text Kubernetes prints ("0.5" → "500m", "1.5Gi" → "1536Mi"); the input if unparsable. */
  public static String canonical(String text) {
    Optional<Parsed> parsed = parse(text);
    if (parsed.isEmpty()) return text;
    BigDecimal v = parsed.get().value();
    Format format = parsed.get().format();
    if (format == Format.BINARY_SI) {
      boolean integral = v.stripTrailingZeros().scale() <= 0;
      if (v.abs().compareTo(KI) < 0 || !integral) format = Format.DECIMAL_SI;
      else return base1024(v.toBigIntegerExact());
    }
    return base10(v, format);
  }

  /** Kubernetes keeps quantities to nano precision, rounding finer values away from zero (0.1n is 1n). */
  private static Optional<Parsed> parse(String text) {
    return parseExact(text).map(p -> p.value().scale() > 9
        ? new Parsed(p.value().setScale(9, java.math.RoundingMode.UP), p.format()) : p);
  }

  private static Optional<Parsed> parseExact(String text) {
    Matcher m = QUANTITY.matcher(text == null ? "" : text);
    if (!m.matches()) return Optional.empty();
    BigDecimal number = new BigDecimal(m.group(1).endsWith(".") ? m.group(1) + "0" : m.group(1));
    String suffix = m.group(2);
    String exponent = m.group(3);
    if (!exponent.isEmpty()) {
      if (!suffix.equals("e") && !suffix.equals("E")) return Optional.empty();
      return Optional.of(new Parsed(number.scaleByPowerOfTen(Integer.parseInt(exponent)), Format.DECIMAL_EXPONENT));
    }
    Integer power = DECIMAL_SUFFIXES.get(suffix);
    if (power != null) return Optional.of(new Parsed(number.scaleByPowerOfTen(power), Format.DECIMAL_SI));
    Integer binary = BINARY_SUFFIXES.get(suffix);
    if (binary != null) return Optional.of(new Parsed(number.multiply(KI.pow(binary)), Format.BINARY_SI));
    return Optional.empty();
  }

  private static String base1024(BigInteger v) {
    int exponent = 0;
    BigInteger k = BigInteger.valueOf(1024);
    while (exponent < 6 && v.signum() != 0 && v.mod(k).signum() == 0) {
      v = v.divide(k);
      exponent++;
    }
    return v + BINARY_NAMES[exponent];
  }

  // Mantissa with the exponent lowered to a multiple of three, as AsCanonicalBytes does.
  private static String base10(BigDecimal v, Format format) {
    if (v.signum() == 0) return "0";
    BigDecimal stripped = v.stripTrailingZeros();
    int exponent = -stripped.scale();
    BigInteger mantissa = stripped.unscaledValue();
    int shift = Math.floorMod(exponent, 3);
    mantissa = mantissa.multiply(BigInteger.TEN.pow(shift));
    exponent -= shift;
    if (format == Format.DECIMAL_EXPONENT) return mantissa + (exponent == 0 ? "" : "e" + exponent);
    int power = exponent;
    String suffix = DECIMAL_SUFFIXES.entrySet().stream()
        .filter(e -> e.getValue() == power).map(Map.Entry::getKey).findFirst().orElse(null);
    return suffix != null ? mantissa + suffix : mantissa + "e" + exponent;
  }
}
