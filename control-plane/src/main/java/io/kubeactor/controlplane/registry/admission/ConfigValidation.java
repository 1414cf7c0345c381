package io.kubeactor.controlplane.registry.admission;

import static io.kubeactor.controlplane.registry.admission.Nodes.text;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.kubeactor.controlplane.api.Syntax;
import java.util.Base64;
import java.util.Collections;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** ConfigMaps and Secrets: their keys, total size, type-specific keys and immutability. */
public final class ConfigValidation {
  private ConfigValidation() {}

  /** core.MaxSecretSize, the limit of both kinds. */
  private static final int MAX_SIZE = 1024 * 1024;
  private static final FieldPath DATA = FieldPath.root("data");
  private static final String IMMUTABLE = "field is immutable when `immutable` is set";
  private static final ObjectMapper JSON = new ObjectMapper();

  public static void configMap(JsonNode configMap, FieldErrors errors) {
    long total = 0;
    JsonNode binary = configMap.get("binaryData");
    for (var it = fields(configMap.get("data")); it.hasNext(); ) {
      var e = it.next();
      errors.invalidEach(DATA.key(e.getKey()), e.getKey(), Syntax.configMapKey(e.getKey()));
      if (Nodes.has(binary, e.getKey())) errors.invalid(DATA.key(e.getKey()), e.getKey(), "duplicate of key present in binaryData");
      total += Syntax.length(e.getValue().asText());
    }
    for (var it = fields(binary); it.hasNext(); ) {
      var e = it.next();
      errors.invalidEach(FieldPath.root("binaryData").key(e.getKey()), e.getKey(), Syntax.configMapKey(e.getKey()));
      total += decodedLength(e.getValue().asText());
    }
    if (total > MAX_SIZE) errors.tooLong(FieldPath.root(""), MAX_SIZE);
  }

  public static void configMapUpdate(JsonNode configMap, JsonNode old, FieldErrors errors) {
    if (old.path("immutable").asBoolean(false)) {
      if (!configMap.path("immutable").asBoolean(false)) errors.forbidden(FieldPath.root("immutable"), IMMUTABLE);
      for (String field : List.of("data", "binaryData")) {
        if (!JsonDiff.same(emptyAsAbsent(configMap.get(field)), emptyAsAbsent(old.get(field)))) {
          errors.forbidden(FieldPath.root(field), IMMUTABLE);
        }
      }
    }
  }

  public static void secret(JsonNode secret, FieldErrors errors) {
    // stringData is merged into data when decoded; its keys are checked as data keys.
    Map<String, Long> data = secretData(secret);
    long total = 0;
    for (var e : data.entrySet()) {
      errors.invalidEach(DATA.key(e.getKey()), e.getKey(), Syntax.configMapKey(e.getKey()));
      total += e.getValue();
    }
    if (total > MAX_SIZE) errors.tooLong(DATA, MAX_SIZE);
    switch (text(secret, "type")) {
      case "kubernetes.io/service-account-token" -> {
        if (text(secret.path("metadata").path("annotations"), "kubernetes.io/service-account.name").isEmpty()) {
          errors.required(FieldPath.root("metadata").child("annotations").key("kubernetes.io/service-account.name"), "");
        }
      }
      case "kubernetes.io/dockercfg" -> jsonKey(secret, ".dockercfg", errors);
      case "kubernetes.io/dockerconfigjson" -> jsonKey(secret, ".dockerconfigjson", errors);
      case "kubernetes.io/basic-auth" -> {
        if (!data.containsKey("username") && !data.containsKey("password")) {
          errors.required(DATA.key("username"), "");
          errors.required(DATA.key("password"), "");
        }
      }
      case "kubernetes.io/ssh-auth" -> {
        if (data.getOrDefault("ssh-privatekey", 0L) == 0) errors.required(DATA.key("ssh-privatekey"), "");
      }
      case "kubernetes.io/tls" -> {
        if (!data.containsKey("tls.crt")) errors.required(DATA.key("tls.crt"), "");
        if (!data.containsKey("tls.key")) errors.required(DATA.key("tls.key"), "");
      }
      default -> { }
    }
  }

  public static void secretUpdate(JsonNode secret, JsonNode old, FieldErrors errors) {
    if (!text(secret, "type").equals(text(old, "type"))) {
      errors.invalid(FieldPath.root("type"), text(secret, "type"), Syntax.FIELD_IMMUTABLE);
    }
    if (old.path("immutable").asBoolean(false)) {
      if (!secret.path("immutable").asBoolean(false)) errors.forbidden(FieldPath.root("immutable"), IMMUTABLE);
      if (!secretData(secret).equals(secretData(old)) || Nodes.size(secret, "stringData") > 0) {
        errors.forbidden(DATA, IMMUTABLE);
      }
    }
  }

  private static void jsonKey(JsonNode secret, String key, FieldErrors errors) {
    String value = stringOrDecoded(secret, key);
    if (value == null) {
      errors.required(DATA.key(key), "");
      return;
    }
    try {
      if (!JSON.readTree(value).isObject()) throw new IllegalArgumentException("json: cannot unmarshal into a map");
    } catch (Exception e) {
      errors.invalid(DATA.key(key), "<secret contents redacted>", "invalid character in JSON data");
    }
  }

  /** The secret's keys with their decoded sizes, stringData overriding data as the v1 conversion does. */
  private static Map<String, Long> secretData(JsonNode secret) {
    Map<String, Long> out = new LinkedHashMap<>();
    fields(secret.get("data")).forEachRemaining(e -> out.put(e.getKey(), decodedLength(e.getValue().asText())));
    fields(secret.get("stringData")).forEachRemaining(e -> out.put(e.getKey(), (long) Syntax.length(e.getValue().asText())));
    return out;
  }

  private static String stringOrDecoded(JsonNode secret, String key) {
    if (Nodes.has(secret.get("stringData"), key)) return secret.get("stringData").get(key).asText();
    if (!Nodes.has(secret.get("data"), key)) return null;
    try {
      return new String(Base64.getDecoder().decode(secret.get("data").get(key).asText()));
    } catch (IllegalArgumentException e) {
      return "";
    }
  }

  private static long decodedLength(String base64) {
    try {
      return Base64.getDecoder().decode(base64).length;
    } catch (IllegalArgumentException e) {
      return base64.length();
    }
  }

  private static Iterator<Map.Entry<String, JsonNode>> fields(JsonNode node) {
    return Nodes.absent(node) ? Collections.emptyIterator() : node.fields();
  }

  private static JsonNode emptyAsAbsent(JsonNode node) {
    return Nodes.absent(node) || node.isEmpty() ? null : node;
  }
}
