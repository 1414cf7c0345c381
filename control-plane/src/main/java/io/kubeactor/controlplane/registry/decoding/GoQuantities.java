package io.kubeactor.controlplane.registry.decoding;

import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Whether a text parses as a resource.Quantity, with ParseQuantity's errors. */
public final class GoQuantities {
  private GoQuantities() {}

  private static final String SPLIT = "^([+-]?[0-9.]+)([eEinumkKMGTP]*[-+]?[0-9]*)$";
  private static final Pattern FORMAT = Pattern.compile(SPLIT);
  private static final Pattern EXPONENT = Pattern.compile("[eE][-+]?[0-9]+");
  private static final Set<String> SUFFIXES =
      Set.of("", "Ki", "Mi", "Gi", "Ti", "Pi", "Ei", "n", "u", "m", "k", "M", "G", "T", "P", "E");

  public static final String FORMAT_WRONG = "quantities must match the regular expression '" + SPLIT + "'";
  public static final String NUMERIC = "unable to parse numeric part of quantity";
  public static final String SUFFIX = "unable to parse quantity's suffix";

  /** Null when {@code text} is a quantity, otherwise the error kube-apiserver gives. */
  public static String parseError(String text) {
    Matcher m = FORMAT.matcher(text);
    if (!m.matches()) return FORMAT_WRONG;
    String number = m.group(1);
    String digits = number.replaceFirst("^[+-]", "");
    if (digits.chars().filter(c -> c == '.').count() > 1 || digits.replace(".", "").isEmpty()) return NUMERIC;
    String suffix = m.group(2);
    if (!SUFFIXES.contains(suffix) && !EXPONENT.matcher(suffix).matches()) return SUFFIX;
    return null;
  }
}
