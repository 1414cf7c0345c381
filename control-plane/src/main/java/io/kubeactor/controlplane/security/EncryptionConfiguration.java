package io.kubeactor.controlplane.security;

import io.kubeactor.common.pki.PkiFiles;
import com.fasterxml.jackson.core.JacksonException;
import com.fasterxml.jackson.databind.JsonNode;
import io.kubeactor.common.Json;
import io.kubeactor.controlplane.store.AtRest;
import io.kubeactor.controlplane.store.value.AesGcmTransformer;
import io.kubeactor.controlplane.store.value.IdentityTransformer;
import io.kubeactor.controlplane.store.value.PrefixTransformers;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Comparator;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Secrets at rest: {@code <dataDir>/pki/encryption-config.yaml}, kube-apiserver's
 * {@code --encryption-provider-config} (an {@code apiserver.config.k8s.io/v1} EncryptionConfiguration).
 * Written on first start (owner-only) with one new aesgcm key for secrets and identity after it, so
 * that a store written before encryption existed still reads; read and validated on every start.
 * A file that is not valid is refused with one line naming what to fix, worded as upstream's
 * validation (staging/src/k8s.io/apiserver/pkg/apis/apiserver/validation/validation_encryption.go).
 *
 * <p>Providers: {@code aesgcm} and {@code identity}. The others (aescbc, secretbox, kms) are refused
 * by name: upstream does not recommend aescbc, and secretbox and kms need what this build lacks.
 */
public final class EncryptionConfiguration {

  public static final String FILE_NAME = "encryption-config.yaml";
  static final String API_VERSION = "apiserver.config.k8s.io/v1";
  static final String KIND = "EncryptionConfiguration";

  private static final List<Integer> AES_KEY_SIZES = List.of(16, 24, 32);
  private static final String KEY_HINT = "a key is 16, 24 or 32 random bytes in base64, e.g. `head -c 32 /dev/urandom | base64`";

  private final Path file;
  private final AtRest atRest;

  private EncryptionConfiguration(Path file, AtRest atRest) {
    this.file = file;
    this.atRest = atRest;
  }

  /** The configuration in the data directory, written with a new key on first start. */
  public static EncryptionConfiguration loadOrCreate(Path dataDir) {
    Path file = dataDir.resolve("pki").resolve(FILE_NAME);
    try {
      if (!Files.exists(file)) {
        Files.createDirectories(file.getParent());
        PkiFiles.writePrivate(file, initialConfiguration(newKey()));
      }
      return parse(Files.readString(file, StandardCharsets.UTF_8), file);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read " + file, e);
    }
  }

  /**
   * The configuration in {@code text}, as read from {@code file} (named in errors).
   *
   * @throws IllegalArgumentException naming the fix, when it is not a valid configuration
   */
  public static EncryptionConfiguration parse(String text, Path file) {
    return new EncryptionConfiguration(file, new Parser(file).parse(text));
  }

  /** How the store keeps the configured resources: the store's side of this configuration. */
  public AtRest atRest() {
    return atRest;
  }

  public Path file() {
    return file;
  }

  /** The file first start writes: one aesgcm key for secrets, identity after it (reads what was stored before). */
  static String initialConfiguration(String base64Key) {
    return """
        # Secrets at rest (kube-apiserver's --encryption-provider-config). The first provider's first key
        # encrypts the Secrets the store writes; every key listed here reads them. To rotate: add a new key
        # first in the keys, restart (every Secret is sealed with it as the store starts), then remove the
        # old key and restart again. Without the key that sealed them, stored Secrets cannot be read:
        # keep a copy of this file where you keep the data directory's backups.
        apiVersion: %s
        kind: %s
        resources:
          - resources:
              - secrets
            providers:
              - aesgcm:
                  keys:
                    - name: key1
                      secret: %s
              - identity: {}
        """.formatted(API_VERSION, KIND, base64Key);
  }

  /** A new random aesgcm key, base64, as first start writes one. */
  public static String newKey() {
    byte[] key = new byte[32];
    new SecureRandom().nextBytes(key);
    return Base64.getEncoder().encodeToString(key);
  }

  /** One reading of a file: the field errors found, upstream's format ("path: Invalid value: ...: detail"). */
  private static final class Parser {
    private final Path file;
    private final List<String> errors = new ArrayList<>();

    Parser(Path file) {
      this.file = file;
    }

    AtRest parse(String text) {
      if (text.isBlank()) throw refused("it is empty");
      JsonNode root;
      try {
        root = Json.YAML.readTree(text);
      } catch (JacksonException e) {
        throw refused("it is not valid YAML" + yamlProblem(e.getOriginalMessage()));
      }
      if (root == null || !root.isObject()) throw refused("it is not a YAML mapping");
      if (!API_VERSION.equals(root.path("apiVersion").asText()) || !KIND.equals(root.path("kind").asText())) {
        throw refused("its apiVersion must be " + API_VERSION + " and its kind " + KIND);
      }
      JsonNode resources = root.path("resources");
      if (!resources.isArray() || resources.isEmpty()) {
        errors.add("resources: Required value: at least one resources is required");
        throw refused(null);
      }
      // each resource's providers, in the file's order (a resource in two entries has both lists, as upstream)
      Map<String, List<PrefixTransformers.Entry>> byKeyPrefix = new LinkedHashMap<>();
      for (int i = 0; i < resources.size(); i++) {
        String path = "resources[" + i + "]";
        JsonNode entry = resources.get(i);
        List<String> names = resourceNames(entry.path("resources"), path + ".resources");
        List<PrefixTransformers.Entry> providers = providers(entry.path("providers"), path + ".providers");
        for (String name : names) byKeyPrefix.computeIfAbsent(keyPrefix(name), k -> new ArrayList<>()).addAll(providers);
      }
      if (!errors.isEmpty()) throw refused(null);
      List<AtRest.Rule> rules = new ArrayList<>();
      byKeyPrefix.forEach((prefix, providers) ->
          rules.add(new AtRest.Rule(prefix, new PrefixTransformers(providers, "no matching prefix found"))));
      // a resource's own rule before its group's ("*.apps") before every group's ("*.*"), as upstream looks them up
      rules.sort(Comparator.comparingInt((AtRest.Rule r) -> r.keyPrefix().length()).reversed());
      return new AtRest(rules, file.toString());
    }

    /** SnakeYAML's message in one line: " at line 1, column 21 (while parsing ...: expected ...)". */
    private static String yamlProblem(String message) {
      List<String> what = new ArrayList<>();
      String where = "";
      for (String line : message.split("\n")) {
        java.util.regex.Matcher at = java.util.regex.Pattern.compile("^ in '[^']*', (line \\d+, column \\d+):").matcher(line);
        if (at.find()) where = " at " + at.group(1);
        else if (!line.isBlank() && !Character.isWhitespace(line.charAt(0))) what.add(line);
      }
      return where + " (" + String.join(": ", what) + ")";
    }

    private List<String> resourceNames(JsonNode list, String path) {
      List<String> names = new ArrayList<>();
      if (!list.isArray() || list.isEmpty()) {
        errors.add(path + ": Required value: at least one " + path + " is required");
        return names;
      }
      Set<String> seen = new HashSet<>();
      for (int j = 0; j < list.size(); j++) {
        String name = list.get(j).asText();
        String at = path + "[" + j + "]";
        String group = name.contains(".") ? name.substring(name.indexOf('.') + 1) : "";
        String resource = name.contains(".") ? name.substring(0, name.indexOf('.')) : name;
        if (!name.equals(name.toLowerCase(java.util.Locale.ROOT))) {
          invalid(at, name, "resource name should not contain capital letters");
        } else if (name.equals("*")) {
          invalid(at, name, "use '*.' to encrypt all the resources from core API group or *.* to encrypt all resources");
        } else if (group.equals("events.k8s.io")) {
          invalid(at, name, "'*.events.k8s.io' objects are stored using the 'events' API group in etcd. Use 'events' instead in the config file");
        } else if (group.equals("extensions")) {
          invalid(at, name, "'extensions' group has been removed and cannot be used for encryption");
        } else if (group.equals("*") && !resource.equals("*")) {
          invalid(at, name, "encrypting the same resource across groups is not supported");
        } else if (!seen.add(name)) {
          invalid(path, list.toString(), "the same resource cannot be specified multiple times");
        } else {
          names.add(name);
        }
      }
      return names;
    }

    private List<PrefixTransformers.Entry> providers(JsonNode list, String path) {
      List<PrefixTransformers.Entry> providers = new ArrayList<>();
      if (!list.isArray() || list.isEmpty()) {
        errors.add(path + ": Required value: at least one " + path + " is required");
        return providers;
      }
      for (int j = 0; j < list.size(); j++) {
        String at = path + "[" + j + "]";
        JsonNode provider = list.get(j);
        List<String> kinds = new ArrayList<>();
        provider.fieldNames().forEachRemaining(kinds::add);
        if (kinds.size() > 1) {
          invalid(at, provider.toString(), "more than one provider specified in a single element, should split into different list elements");
          continue;
        }
        String kind = kinds.isEmpty() ? "" : kinds.get(0);
        switch (kind) {
          case "aesgcm" -> providers.add(new PrefixTransformers.Entry(AesGcmTransformer.PREFIX,
              aesGcmKeys(provider.path("aesgcm").path("keys"), at + ".aesgcm.keys")));
          case "identity" -> providers.add(new PrefixTransformers.Entry("", IdentityTransformer.INSTANCE));
          case "aescbc", "secretbox", "kms" -> invalid(at, kind,
              "the " + kind + " provider is not supported here: use aesgcm (with identity last to read unencrypted data)");
          default -> invalid(at, provider.toString(),
              "provider does not contain any of the expected providers: KMS, AESGCM, AESCBC, Secretbox, Identity");
        }
      }
      return providers;
    }

    /** The provider's keys, each read by the values that name it; the first writes. */
    private PrefixTransformers aesGcmKeys(JsonNode keys, String path) {
      List<PrefixTransformers.Entry> entries = new ArrayList<>();
      if (!keys.isArray() || keys.isEmpty()) {
        errors.add(path + ": Required value: at least one keys is required");
        return null;
      }
      for (int k = 0; k < keys.size(); k++) {
        String at = path + "[" + k + "]";
        String name = keys.get(k).path("name").asText("");
        String secret = keys.get(k).path("secret").asText("");
        if (name.isEmpty()) errors.add(at + ".name: Required value: name is a mandatory field for a key");
        if (secret.isEmpty()) {
          errors.add(at + ".secret: Required value: secret is a mandatory field for a key");
          continue;
        }
        byte[] key;
        try {
          key = Base64.getDecoder().decode(secret);
        } catch (IllegalArgumentException e) {
          errors.add(at + ".secret: Invalid value: \"REDACTED\": secrets must be base64 encoded; " + KEY_HINT);
          continue;
        }
        if (!AES_KEY_SIZES.contains(key.length)) {
          errors.add(at + ".secret: Invalid value: \"REDACTED\": secret is not of the expected length, got " + key.length
              + ", expected one of [16 24 32]; " + KEY_HINT);
          continue;
        }
        if (!name.isEmpty()) entries.add(new PrefixTransformers.Entry(name + ":", new AesGcmTransformer(name, key)));
      }
      return entries.isEmpty() ? null
          : new PrefixTransformers(entries, "no matching key was found for the provided AES transformer");
    }

    private void invalid(String path, String value, String detail) {
      errors.add(path + ": Invalid value: \"" + value + "\": " + detail);
    }

    /** One line: the file, what is wrong, and that the fix is in the file (its format is upstream's, see the README). */
    private IllegalArgumentException refused(String why) {
      String what = why != null ? why : errors.size() == 1 ? errors.get(0) : "[" + String.join(", ", errors) + "]";
      return new IllegalArgumentException(file + " is not a valid " + KIND + ": " + what + "; correct the file "
          + "(the README's \"Secrets at rest\" shows its format)");
    }
  }

  /** Where a resource's objects are in the store: "secrets" → "core/secrets/", "*.apps" → "apps/", "*.*" → every key. */
  static String keyPrefix(String resource) {
    int dot = resource.indexOf('.');
    String name = dot < 0 ? resource : resource.substring(0, dot);
    String group = dot < 0 ? "" : resource.substring(dot + 1);
    if (group.equals("*")) return "";
    String stored = group.isEmpty() ? "core" : group;
    return name.equals("*") ? stored + "/" : stored + "/" + name + "/";
  }
}
