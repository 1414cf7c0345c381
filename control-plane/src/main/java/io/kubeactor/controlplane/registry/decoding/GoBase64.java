package io.kubeactor.controlplane.registry.decoding;

/**
 * Whether a string decodes as Go's base64.StdEncoding decodes a []byte field (padded standard
 * alphabet; carriage returns and newlines ignored), with its error and the offset it names.
 */
final class GoBase64 {
  private GoBase64() {}

  /** Null when {@code s} decodes, otherwise {@code illegal base64 data at input byte N}. */
  static String decodeError(String s) {
    int si = 0;
    int n = s.length();
    while (true) {
      // one quantum of four characters
      int j = 0;
      while (j < 4) {
        if (si == n) {
          if (j == 0) return null;
          return corrupt(si - j);
        }
        char c = s.charAt(si++);
        if (c == '\r' || c == '\n') continue;
        if (c == '=') {
          // padding: only as the third or fourth character, and then the input ends
          if (j < 2) return corrupt(si - 1);
          if (j == 2) {
            while (si < n && (s.charAt(si) == '\r' || s.charAt(si) == '\n')) si++;
            if (si == n) return corrupt(n);
            if (s.charAt(si) != '=') return corrupt(si - 1);
            si++;
          }
          while (si < n && (s.charAt(si) == '\r' || s.charAt(si) == '\n')) si++;
          return si < n ? corrupt(si) : null;
        }
        if (!isAlphabet(c)) return corrupt(si - 1);
        j++;
      }
    }
  }

  private static boolean isAlphabet(char c) {
    return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '+' || c == '/';
  }

  private static String corrupt(int offset) {
    return "illegal base64 data at input byte " + offset;
  }
}
