package io.kubeactor.controlplane.apiserver.options;

import io.kubeactor.controlplane.api.ApiException;
import io.kubeactor.controlplane.registry.decoding.GoStrings;
import java.math.BigInteger;
import java.util.List;
import java.util.Optional;
import org.apache.pekko.http.javadsl.model.Query;

/**
 * A request's query parameters read as kube-apiserver converts url.Values into its options structs
 * (apimachinery's runtime/conversion.go): the first value of a parameter counts; integers go
 * through strconv.ParseInt and a malformed one refuses the request with strconv's error as a 400.
 */
public final class QueryParameters {

  private final Query query;

  public QueryParameters(Query query) {
    this.query = query;
  }

  public boolean has(String name) {
    return query.get(name).isPresent();
  }

  /** The first value, as Convert_Slice_string_To_string. */
  public Optional<String> string(String name) {
    return query.get(name);
  }

  /** Every value (dryRun is a list). Empty when the parameter is absent. */
  public List<String> all(String name) {
    return query.getAll(name);
  }

  /**
   * A boolean as Convert_Slice_string_To_bool reads it: absent is false; "0" and "false" in any
   * case are false; any other value, the empty one included, is true. (Not strconv.ParseBool:
   * upstream never refuses a boolean parameter, so {@code watch=True} and {@code watch=yes} are
   * both watches.)
   */
  public Optional<Boolean> bool(String name) {
    return query.get(name).map(QueryParameters::goBool);
  }

  public boolean flag(String name) {
    return bool(name).orElse(false);
  }

  static boolean goBool(String v) {
    return !(v.equals("0") || v.equalsIgnoreCase("false"));
  }

  /** An int64 parameter; a value strconv.ParseInt refuses is a 400 with its message. */
  public Optional<Long> int64(String name) {
    return query.get(name).map(QueryParameters::parseInt64);
  }

  /**
   * strconv.ParseInt(s, 10, 64): an optional sign and decimal digits only, within int64. Errors
   * read {@code strconv.ParseInt: parsing "abc": invalid syntax} or {@code ...: value out of range}.
   */
  public static long parseInt64(String s) {
    String digits = s.startsWith("+") || s.startsWith("-") ? s.substring(1) : s;
    if (digits.isEmpty() || !digits.chars().allMatch(c -> c >= '0' && c <= '9')) {
      throw ApiException.badRequest("strconv.ParseInt: parsing " + GoStrings.quote(s) + ": invalid syntax");
    }
    BigInteger v = new BigInteger(s.startsWith("+") ? digits : s);
    if (v.bitLength() > 63) {
      throw ApiException.badRequest("strconv.ParseInt: parsing " + GoStrings.quote(s) + ": value out of range");
    }
    return v.longValue();
  }

  /**
   * strconv.ParseUint(s, 10, 64)'s verdict on a value: null when it parses, otherwise the error
   * text ({@code strconv.ParseUint: parsing "-1": invalid syntax}).
   */
  public static String uintError(String s) {
    if (s.isEmpty() || !s.chars().allMatch(c -> c >= '0' && c <= '9')) {
      return "strconv.ParseUint: parsing " + GoStrings.quote(s) + ": invalid syntax";
    }
    if (new BigInteger(s).bitLength() > 64) return "strconv.ParseUint: parsing " + GoStrings.quote(s) + ": value out of range";
    return null;
  }
}
