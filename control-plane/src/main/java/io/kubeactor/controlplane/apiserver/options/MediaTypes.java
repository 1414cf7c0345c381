package io.kubeactor.controlplane.apiserver.options;

import io.kubeactor.controlplane.api.ApiException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Predicate;

/**
 * Content negotiation as kube-apiserver does it (apiserver's handlers/negotiation and go-restful):
 * the media type of a request body, or 415 UnsupportedMediaType; the media type of the answer from
 * the Accept header, or 406 NotAcceptable.
 *
 * <p>Answers are JSON or YAML, objects or server-side Tables. Protobuf is read but not written:
 * an Accept clause that names only protobuf (or a PartialObjectMetadata conversion) is passed over
 * for the next one, so {@code application/vnd.kubernetes.protobuf, * / *} gets JSON, and a
 * client that accepts nothing else gets a 406.
 */
public final class MediaTypes {
  /** The group of the options kinds and Tables, as errors and Accept headers name it. */
  public static final String META_GROUP = "meta.k8s.io";

  private MediaTypes() {}

  public static final String JSON = "application/json";
  public static final String YAML = "application/yaml";
  public static final String PROTOBUF = "application/vnd.kubernetes.protobuf";

  /** What a body may be in (kube-apiserver 1.32's serializers, CBOR being off by default). */
  public static final List<String> BODY_TYPES = List.of(JSON, YAML, PROTOBUF);
  /** The four patch types of a built-in kind, in the order upstream lists them. */
  public static final List<String> PATCH_TYPES = List.of("application/json-patch+json", "application/merge-patch+json",
      "application/strategic-merge-patch+json", "application/apply-patch+yaml");
  /** What this server writes. */
  public static final List<String> ANSWER_TYPES = List.of(JSON, YAML);

  /** The negotiated answer: JSON or YAML, and whether as a meta.k8s.io Table. */
  public record Answer(String mediaType, boolean table) {
    public static final Answer DEFAULT = new Answer(JSON, false);

    public boolean yaml() {
      return mediaType.equals(YAML);
    }
  }

  /**
   * The body's media type for create, update and delete: what mime.ParseMediaType makes of the
   * Content-Type (lower-cased, parameters dropped), JSON when there is none; 415 when it does not
   * parse or is none of JSON, YAML and protobuf.
   */
  public static String bodyType(String contentType) {
    String type = contentType == null || contentType.isBlank() ? JSON : parseMediaType(contentType);
    if (type == null || !BODY_TYPES.contains(type)) throw unsupported(BODY_TYPES);
    return type;
  }

  /**
   * The patch type: go-restful first matches the route's types against the Content-Type with its
   * parameters and blanks removed (a miss: "415: Unsupported Media Type"), then the patch handler
   * compares what precedes the first ';' exactly.
   */
  public static String patchType(String contentType) {
    String raw = contentType == null ? "" : contentType;
    boolean routed = false;
    for (String part : (raw.isEmpty() ? "application/octet-stream" : raw).split(",")) {
      int semi = part.indexOf(';');
      String type = (semi >= 0 ? part.substring(0, semi) : part).strip();
      if (PATCH_TYPES.contains(type)) routed = true;
    }
    if (!routed) {
      return throwing(new ApiException(415, "UnsupportedMediaType", "415: Unsupported Media Type", null, null, null, null));
    }
    int semi = raw.indexOf(';');
    String type = semi > 0 ? raw.substring(0, semi) : raw;
    if (!PATCH_TYPES.contains(type)) throw unsupported(PATCH_TYPES);
    return type;
  }

  private static <T> T throwing(ApiException e) {
    throw e;
  }

  private static ApiException unsupported(List<String> accepted) {
    return new ApiException(415, "UnsupportedMediaType",
        "the body of the request was in an unknown format - accepted media types include: " + String.join(", ", accepted),
        null, null, null, null);
  }

  /**
   * The answer's media type from the Accept header for a resource, where a Table is the one
   * conversion served; 406 when no clause can be answered. No header: JSON.
   *
   * @param watch a watch stream, which is written in JSON only (YAML has no stream form upstream)
   */
  public static Answer negotiate(String accept, boolean watch) {
    if (accept == null || accept.isEmpty()) return Answer.DEFAULT;
    return negotiate(accept, watch, MediaTypes::table)
        .map(accepted -> new Answer(accepted.mediaType(), accepted.conversion() != null))
        .orElseThrow(() -> notAcceptable(watch));
  }

  /** The kind an Accept clause asks the answer to be converted to by its g, v and as parameters. */
  public record Conversion(String group, String version, String kind) {}

  /** The media type to answer in, and the conversion asked for (null for none). */
  public record Accepted(String mediaType, Conversion conversion) {}

  /**
   * NegotiateMediaTypeOptions with an endpoint's restrictions: clauses by quality, then specificity,
   * each tried against JSON, YAML and protobuf in that order; the first that this server can write
   * and whose conversion (null for none) {@code converts} admits wins (upstream's
   * AllowsMediaTypeTransform). No header: JSON without conversion, if admitted.
   */
  public static Optional<Accepted> negotiate(String accept, boolean watch, Predicate<Conversion> converts) {
    if (accept == null || accept.isEmpty()) {
      return converts.test(null) ? Optional.of(new Accepted(JSON, null)) : Optional.empty();
    }
    for (Clause clause : parseAccept(accept)) {
      for (String candidate : List.of(JSON, YAML, PROTOBUF)) {
        String type = candidate.substring(0, candidate.indexOf('/'));
        String subtype = candidate.substring(candidate.indexOf('/') + 1);
        boolean matches = (clause.type.equals(type) && (clause.subtype.equals(subtype) || clause.subtype.equals("*")))
            || (clause.type.equals("*") && clause.subtype.equals("*"));
        if (!matches) continue;
        Accepted accepted = servable(candidate, clause.params, watch, converts);
        if (accepted != null) return Optional.of(accepted);
      }
    }
    return Optional.empty();
  }

  /** The 406 of an Accept header with no clause this server can answer. */
  public static ApiException notAcceptable(boolean watch) {
    List<String> types = watch ? List.of(JSON + ";stream=watch") : ANSWER_TYPES;
    return new ApiException(406, "NotAcceptable", "only the following media types are accepted: " + String.join(", ", types),
        null, null, null, null);
  }

  /** The answer for one candidate type with a clause's parameters, or null if it is not one this server writes. */
  private static Accepted servable(String candidate, Map<String, String> params, boolean watch,
      Predicate<Conversion> converts) {
    if (candidate.equals(PROTOBUF)) return null;
    if (watch && candidate.equals(YAML)) return null;
    String stream = params.getOrDefault("stream", "");
    if (!stream.isEmpty() && (!stream.equals("watch") || candidate.equals(YAML))) return null;
    String sv = params.getOrDefault("sv", "");
    if (!sv.isEmpty() && !sv.equals("v1")) return null;
    boolean convert = params.containsKey("as") || params.containsKey("g") || params.containsKey("v");
    Conversion conversion = convert
        ? new Conversion(params.getOrDefault("g", ""), params.getOrDefault("v", ""), params.getOrDefault("as", ""))
        : null;
    return converts.test(conversion) ? new Accepted(candidate, conversion) : null;
  }

  /**
   * A resource's conversions: none, or to a meta.k8s.io Table (PartialObjectMetadata and the rest
   * are not written here).
   */
  private static boolean table(Conversion c) {
    return c == null || (c.group().equals(META_GROUP) && (c.version().equals("v1") || c.version().equals("v1beta1"))
        && c.kind().equals("Table"));
  }

  private record Clause(String type, String subtype, double q, Map<String, String> params) {}

  /** goautoneg.ParseAccept: comma-separated ranges, their parameters, sorted by q then specificity. */
  private static List<Clause> parseAccept(String header) {
    List<Clause> clauses = new ArrayList<>();
    for (String part : header.split(",", -1)) {
      String[] mrp = part.split(";", -1);
      String range = mrp[0].strip();
      String[] sp = range.split("/", -1);
      String type;
      String subtype;
      if (sp.length == 1 && sp[0].equals("*")) {
        type = "*";
        subtype = "*";
      } else if (sp.length == 2) {
        type = sp[0];
        subtype = sp[1];
      } else {
        continue;
      }
      double q = 1.0;
      Map<String, String> params = new HashMap<>();
      for (int i = 1; i < mrp.length; i++) {
        String[] kv = mrp[i].split("=", 2);
        if (kv.length != 2) continue;
        String key = kv[0].strip();
        if (key.equals("q")) {
          try {
            q = Double.parseDouble(kv[1]);
          } catch (NumberFormatException e) {
            q = 0;
          }
        } else {
          params.put(key, kv[1].strip());
        }
      }
      clauses.add(new Clause(type, subtype, q, params));
    }
    // List.sort is stable, as Go's insertion sort is for the handful of clauses clients send
    clauses.sort(Comparator.comparingDouble((Clause c) -> -c.q)
        .thenComparing(c -> c.type.equals("*") ? 1 : 0)
        .thenComparing(c -> c.subtype.equals("*") ? 1 : 0));
    return clauses;
  }

  /**
   * mime.ParseMediaType's verdict: the lower-cased type/subtype, or null when the value does not
   * parse (no type, a bad token, a parameter without a value, a duplicate parameter).
   */
  static String parseMediaType(String value) {
    int semi = value.indexOf(';');
    String base = (semi < 0 ? value : value.substring(0, semi)).strip().toLowerCase(Locale.ROOT);
    int slash = base.indexOf('/');
    String type = slash < 0 ? base : base.substring(0, slash);
    if (type.isEmpty() || !isToken(type)) return null;
    if (slash >= 0 && !isToken(base.substring(slash + 1))) return null;
    if (semi < 0) return base;
    Set<String> seen = new HashSet<>();
    String rest = value.substring(semi);
    while (!rest.isBlank()) {
      rest = rest.stripLeading();
      if (!rest.startsWith(";")) return null;
      rest = rest.substring(1).stripLeading();
      if (rest.isEmpty()) break; // a trailing ';' is allowed
      int eq = rest.indexOf('=');
      if (eq <= 0) return null;
      String key = rest.substring(0, eq).strip().toLowerCase(Locale.ROOT);
      if (!isToken(key) || !seen.add(key)) return null;
      rest = rest.substring(eq + 1).stripLeading();
      int end;
      if (rest.startsWith("\"")) {
        end = 1;
        while (end < rest.length() && rest.charAt(end) != '"') end += rest.charAt(end) == '\\' ? 2 : 1;
        if (end >= rest.length()) return null;
        end++;
      } else {
        end = 0;
        while (end < rest.length() && isTokenChar(rest.charAt(end))) end++;
        if (end == 0) return null;
      }
      rest = rest.substring(end);
    }
    return base;
  }

  private static boolean isToken(String s) {
    return !s.isEmpty() && s.chars().allMatch(c -> isTokenChar((char) c));
  }

  private static boolean isTokenChar(char c) {
    return c > 0x20 && c < 0x7f && "()<>@,;:\\\"/[]?=".indexOf(c) < 0;
  }
}
