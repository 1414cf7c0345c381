package io.kubeactor.controlplane.registry.decoding;

import java.time.YearMonth;

/**
 * Whether a string parses as Go's time.Parse(time.RFC3339, s) parses a metav1.Time (MicroTime
 * the same, with its six fractional digits optional as Go accepts them), with Go's errors:
 * {@code parsing time "abc" as "2006-01-02T15:04:05Z07:00": cannot parse "abc" as "2006"}.
 */
final class GoTimes {
  private GoTimes() {}

  private static final String RFC3339 = "2006-01-02T15:04:05Z07:00";
  private static final String RFC3339_MICRO = "2006-01-02T15:04:05.000000Z07:00";

  /** The layout's elements in order: a number of so many digits, or literal text. */
  private static final String[] ELEMENTS = {"2006", "-", "01", "-", "02", "T", "15", ":", "04", ":", "05"};

  /** Null when {@code s} is an RFC 3339 time, otherwise Go's error. */
  static String parseError(String s, boolean micro) {
    String layout = micro ? RFC3339_MICRO : RFC3339;
    int[] values = new int[ELEMENTS.length];
    int pos = 0;
    for (int e = 0; e < ELEMENTS.length; e++) {
      String element = ELEMENTS[e];
      boolean number = Character.isDigit(element.charAt(0));
      int end = pos + element.length();
      boolean ok = end <= s.length()
          && (number ? s.substring(pos, end).chars().allMatch(Character::isDigit) : s.startsWith(element, pos));
      if (!ok) return cannotParse(s, layout, s.substring(pos), element);
      if (number) values[e] = Integer.parseInt(s.substring(pos, end));
      pos = end;
    }
    // fractional seconds, which Go accepts after the seconds whatever the layout says
    if (pos < s.length() && (s.charAt(pos) == '.' || s.charAt(pos) == ',')
        && pos + 1 < s.length() && Character.isDigit(s.charAt(pos + 1))) {
      pos++;
      while (pos < s.length() && Character.isDigit(s.charAt(pos))) pos++;
    }
    int zoneEnd = zoneEnd(s, pos);
    if (zoneEnd < 0) return cannotParse(s, layout, s.substring(pos), "Z07:00");
    if (zoneEnd < s.length()) return "parsing time " + GoStrings.quote(s) + ": extra text: " + GoStrings.quote(s.substring(zoneEnd));
    String range = outOfRange(values);
    return range == null ? null : "parsing time " + GoStrings.quote(s) + ": " + range;
  }

  private static int zoneEnd(String s, int pos) {
    if (s.startsWith("Z", pos)) return pos + 1;
    if (pos + 6 > s.length()) return -1;
    char sign = s.charAt(pos);
    boolean ok = (sign == '+' || sign == '-') && Character.isDigit(s.charAt(pos + 1)) && Character.isDigit(s.charAt(pos + 2))
        && s.charAt(pos + 3) == ':' && Character.isDigit(s.charAt(pos + 4)) && Character.isDigit(s.charAt(pos + 5));
    return ok ? pos + 6 : -1;
  }

  private static String outOfRange(int[] v) {
    int year = v[0];
    int month = v[2];
    int day = v[4];
    if (month < 1 || month > 12) return "month out of range";
    if (day < 1 || day > YearMonth.of(year, month).lengthOfMonth()) return "day out of range";
    if (v[6] > 23) return "hour out of range";
    if (v[8] > 59) return "minute out of range";
    if (v[10] > 59) return "second out of range";
    return null;
  }

  private static String cannotParse(String value, String layout, String rest, String element) {
    return "parsing time " + GoStrings.quote(value) + " as " + GoStrings.quote(layout) + ": cannot parse "
        + GoStrings.quote(rest) + " as " + GoStrings.quote(element);
  }
}
