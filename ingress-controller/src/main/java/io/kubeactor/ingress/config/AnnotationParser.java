package io.kubeactor.ingress.config;

import io.kubeactor.ingress.config.IngressAnnotations.Affinity;
import io.kubeactor.ingress.config.IngressAnnotations.BackendProtocol;
import io.kubeactor.ingress.config.IngressAnnotations.Canary;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.function.Predicate;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

/**
 * Parses the nginx.ingress.kubernetes.io annotations of an Ingress as ingress-nginx's parsers do
 * (internal/ingress/annotations/**, validators in annotations/parser/validators.go). A bad value is a
 * problem (a Warning event, worded as upstream's error) and that annotation keeps its default; the
 * rest of the Ingress is served.
 */
final class AnnotationParser {

  static final String PREFIX = "nginx.ingress.kubernetes.io/";

  // annotations/parser/validators.go
  private static final Pattern BASIC_CHARS = Pattern.compile("^[/\\-._~a-zA-Z0-9:]*$");
  private static final Pattern PATH_WITH_CAPTURE = Pattern.compile("^/?[\\-._~a-zA-Z0-9/:$]*$");
  private static final Pattern REGEX_CHARS = Pattern.compile("^[/\\-._~a-zA-Z0-9:^$\\[\\](){}*+?|&=\\\\]*$");
  private static final Pattern CAPTURE_OTHER_THAN_DIGIT = Pattern.compile("\\$(?![0-9])");
  private static final Pattern SIZE = Pattern.compile("^(?i)\\d+[bkmg]?$");
  private static final Pattern INT = Pattern.compile("^[+-]?\\d{1,9}$");
  private static final Pattern COOKIE_SECONDS = Pattern.compile("(^0|-?[1-9]\\d*$)");
  // a header nginx can read as $http_<name>
  private static final Pattern HEADER_NAME = Pattern.compile("^[A-Za-z0-9_-]+$");
  // Go's strconv.ParseBool
  private static final Set<String> TRUE = Set.of("1", "t", "T", "TRUE", "true", "True");
  private static final Set<String> FALSE = Set.of("0", "f", "F", "FALSE", "false", "False");

  private final Map<String, String> annotations;
  private final List<String> problems = new ArrayList<>();

  private AnnotationParser(Map<String, String> annotations) {
    this.annotations = annotations == null ? Map.of() : annotations;
  }

  /** The parsed annotations and the problems found (upstream's messages). */
  record Result(IngressAnnotations annotations, List<String> problems) {}

  static Result parse(Map<String, String> annotations) {
    AnnotationParser parser = new AnnotationParser(annotations);
    IngressAnnotations parsed = parser.parse();
    return new Result(parsed, List.copyOf(parser.problems));
  }

  private IngressAnnotations parse() {
    IngressAnnotations d = IngressAnnotations.DEFAULTS;
    // nginx expands every $name in the target: only the captures $1..$9 are allowed
    String rewriteTarget =
        string("rewrite-target", v -> PATH_WITH_CAPTURE.matcher(v).matches() && !CAPTURE_OTHER_THAN_DIGIT.matcher(v).find());
    boolean useRegex = bool("use-regex", d.useRegex());
    boolean sslRedirect = bool("ssl-redirect", d.sslRedirect());
    boolean forceSslRedirect = bool("force-ssl-redirect", d.forceSslRedirect());
    String protocol =
        string("backend-protocol", AnnotationParser::isProtocol);
    String bodySize = string("proxy-body-size", matches(SIZE));
    int connect = integer("proxy-connect-timeout", d.proxyConnectTimeout());
    int send = integer("proxy-send-timeout", d.proxySendTimeout());
    int read = integer("proxy-read-timeout", d.proxyReadTimeout());

    // allowlist-source-range, read from its old name whitelist-source-range only when absent
    // (ann/ipallowlist/main.go)
    String allowKey = value("allowlist-source-range") != null ? "allowlist-source-range" : "whitelist-source-range";
    String allow = value(allowKey);
    List<String> allowRange = null;
    boolean allowInvalid = false;
    if (allow != null) {
      allowRange = cidrs(allow);
      if (allowRange == null) {
        invalid(allowKey);
        allowInvalid = true;
      }
    }

    return new IngressAnnotations(
        rewriteTarget,
        useRegex,
        sslRedirect,
        forceSslRedirect,
        protocol == null ? d.backendProtocol() : BackendProtocol.valueOf(protocol.toUpperCase(Locale.ROOT)),
        bodySize == null ? d.proxyBodySize() : bodySize,
        connect,
        send,
        read,
        allowRange,
        allowInvalid,
        affinity(),
        canary());
  }

  private Affinity affinity() {
    String type = value("affinity");
    if (type == null) {
      return null;
    }
    if (!type.equals("cookie")) {
      invalid("affinity");
      return null;
    }
    String name = string("session-cookie-name", matches(HEADER_NAME));
    String path = string("session-cookie-path", matches(BASIC_CHARS));
    String maxAge = string("session-cookie-max-age", matches(COOKIE_SECONDS));
    String expires = string("session-cookie-expires", matches(COOKIE_SECONDS));
    return new Affinity(
        name == null ? "INGRESSCOOKIE" : name,
        path,
        maxAge == null ? null : Long.parseLong(maxAge),
        expires == null ? null : Long.parseLong(expires));
  }

  /** ann/canary/main.go; null when the Ingress is not a canary. */
  private Canary canary() {
    boolean enabled = false;
    String canary = value("canary");
    if (canary != null) {
      if (TRUE.contains(canary)) {
        enabled = true;
      } else if (!FALSE.contains(canary)) {
        problems.add("canary is invalid, defaulting to 'false'");
      }
    }
    int weight = canaryInt("canary-weight", 0);
    int weightTotal = canaryInt("canary-weight-total", 100);
    String header = orEmpty(string("canary-by-header", matches(HEADER_NAME)));
    String headerValue = orEmpty(string("canary-by-header-value", matches(BASIC_CHARS)));
    String headerPattern = orEmpty(string("canary-by-header-pattern", AnnotationParser::isRegex));
    String cookie = orEmpty(string("canary-by-cookie", matches(HEADER_NAME)));
    boolean configured =
        weight > 0 || !header.isEmpty() || !headerValue.isEmpty() || !headerPattern.isEmpty() || !cookie.isEmpty();
    if (!enabled) {
      if (configured) {
        // upstream's Extract skips this error: the Ingress is then an ordinary one
        problems.add("the annotation canary does not contain a valid configuration: configured but not enabled");
      }
      return null;
    }
    return new Canary(header, headerValue, headerPattern, cookie, weight, weightTotal);
  }

  /** A canary integer: a bad one is upstream's warning and the default. */
  private int canaryInt(String name, int defaultValue) {
    String value = value(name);
    if (value == null) {
      return defaultValue;
    }
    if (!INT.matcher(value).matches()) {
      problems.add(name + " is invalid, defaulting to '" + defaultValue + "'");
      return defaultValue;
    }
    return Integer.parseInt(value);
  }

  /** IsValidRegex's characters, and a pattern that compiles (nginx would refuse the configuration). */
  static boolean isRegex(String value) {
    // \p{...} classes differ between Java and nginx's PCRE: nginx could refuse one Java takes
    if (!REGEX_CHARS.matcher(value).matches() || value.contains("\\p") || value.contains("\\P")) {
      return false;
    }
    try {
      Pattern.compile(value);
      return true;
    } catch (PatternSyntaxException e) {
      return false;
    }
  }

  private static Predicate<String> matches(Pattern pattern) {
    return value -> pattern.matcher(value).matches();
  }

  private static boolean isProtocol(String value) {
    try {
      BackendProtocol.valueOf(value.toUpperCase(Locale.ROOT));
      return true;
    } catch (IllegalArgumentException e) {
      return false;
    }
  }

  /** Comma-separated IPs and CIDRs, or null when one does not parse. */
  static List<String> cidrs(String value) {
    List<String> result = new ArrayList<>();
    for (String part : value.split(",")) {
      String cidr = part.trim();
      if (cidr.isEmpty()) {
        continue;
      }
      if (!Cidrs.isValid(cidr)) {
        return null;
      }
      result.add(cidr);
    }
    return List.copyOf(result);
  }

  private static String orEmpty(String value) {
    return value == null ? "" : value;
  }

  /** The trimmed value of an annotation, or null when absent or empty (upstream validates no empty value). */
  private String value(String name) {
    String value = annotations.get(PREFIX + name);
    if (value == null || value.trim().isEmpty()) {
      return null;
    }
    return value.trim();
  }

  private String string(String name, Predicate<String> validator) {
    String value = value(name);
    if (value == null) {
      return null;
    }
    if (value.contains("\n") || value.contains("\r") || !validator.test(value)) {
      invalid(name);
      return null;
    }
    return value;
  }

  private boolean bool(String name, boolean defaultValue) {
    String value = value(name);
    if (value == null) {
      return defaultValue;
    }
    if (TRUE.contains(value)) {
      return true;
    }
    if (FALSE.contains(value)) {
      return false;
    }
    invalid(name);
    return defaultValue;
  }

  private int integer(String name, int defaultValue) {
    String value = value(name);
    if (value == null) {
      return defaultValue;
    }
    if (!INT.matcher(value).matches() || Integer.parseInt(value) < 0) {
      invalid(name);
      return defaultValue;
    }
    return Integer.parseInt(value);
  }

  /** internal/ingress/errors/errors.go NewValidationError, with the value as upstream's log line has it. */
  private void invalid(String name) {
    problems.add("annotation " + PREFIX + name + " contains invalid value " + annotations.get(PREFIX + name).trim());
  }
}
