package io.kubeactor.controlplane.store;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.kubeactor.common.Json;
import io.kubeactor.controlplane.store.value.IdentityTransformer;
import io.kubeactor.controlplane.store.value.ValueTransformException;
import io.kubeactor.controlplane.store.value.ValueTransformer;
import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * How objects are kept in the journal and snapshots: those of the resources an
 * EncryptionConfiguration names are sealed when the store writes them and opened when it recovers
 * them; every other object is stored as its JSON, with no work beyond one key-prefix check.
 *
 * <p>The whole object is sealed, as kube-apiserver does: its store key (namespace and name) stays
 * readable, as etcd's keys do, and is bound to the sealed value as authenticated data. Lists and
 * watches are served from the recovered state in memory, so nothing needs the stored form readable.
 */
public final class AtRest {

  /** Nothing encrypted: every object stored as its JSON (a store without an EncryptionConfiguration). */
  public static final AtRest PLAIN = new AtRest(List.of(), "the encryption configuration");

  /** Objects whose store key starts with {@code keyPrefix} ("core/secrets/") go through {@code transformer}. */
  public record Rule(String keyPrefix, ValueTransformer transformer) {}

  /** An object recovered, and whether its stored form was stale (an older key, or unencrypted) and is now sealed anew. */
  record Opened(StoredObject object, boolean resealed) {}

  private final Rule[] rules;
  private final String keysLocation;

  /**
   * Rules in the order they are tried (the more specific first); {@code keysLocation} names where the
   * keys live (the configuration file), for the errors that tell the user what to fix.
   */
  public AtRest(List<Rule> rules, String keysLocation) {
    this.rules = rules.toArray(Rule[]::new);
    this.keysLocation = keysLocation;
  }

  /** The transformer for the object at this key, or null when it is stored as it is. */
  ValueTransformer transformerFor(String key) {
    for (Rule r : rules) {
      if (key.startsWith(r.keyPrefix())) return r.transformer();
    }
    return null;
  }

  /** The object as the store keeps it: its JSON, and its sealed form when its resource is encrypted. */
  StoredObject store(String key, ObjectNode object) {
    byte[] json = Json.bytes(object);
    long rv = ObjectStore.resourceVersionOf(object);
    ValueTransformer t = transformerFor(key);
    return t == null ? new StoredObject(json, rv) : new StoredObject(json, rv, t.toStorage(json, authenticatedData(key)));
  }

  /**
   * An object as recovery read it, opened: its JSON, and its sealed form kept to be written again
   * as it is. A value sealed with another key than the one that writes now, or stored unencrypted,
   * is sealed again with that one ({@link Opened#resealed}), as upstream rewrites stale values.
   *
   * @throws UnreadableAtRestException when the configured keys cannot read it
   */
  Opened open(String key, StoredObject read) {
    ValueTransformer t = transformerFor(key);
    if (t == null) {
      if (read.isSealed()) throw unreadable(key, read, new ValueTransformException("identity transformer tried to read encrypted data"));
      return new Opened(read, false);
    }
    byte[] stored = read.journalValue();
    byte[] aad = authenticatedData(key);
    ValueTransformer.Read value;
    try {
      value = t.fromStorage(stored, 0, aad);
    } catch (ValueTransformException e) {
      throw unreadable(key, read, e);
    }
    if (!value.stale()) {
      // plain and read by identity written first: nothing sealed; else the sealed bytes are kept as read
      return new Opened(value.data() == stored ? read : new StoredObject(value.data(), StoredObject.UNREAD, stored), false);
    }
    byte[] resealed = t.toStorage(value.data(), aad);
    return new Opened(new StoredObject(value.data(), StoredObject.UNREAD, resealed == value.data() ? null : resealed), true);
  }

  private static byte[] authenticatedData(String key) {
    return key.getBytes(StandardCharsets.UTF_8);
  }

  /** Upstream's error ('unable to transform key "..."'), and the fix. */
  private UnreadableAtRestException unreadable(String key, StoredObject read, ValueTransformException e) {
    String fix;
    byte[] stored = read.journalValue();
    if (!IdentityTransformer.isEncrypted(stored, 0)) {
      fix = "it was stored unencrypted: keep \"- identity: {}\" as the last provider in " + keysLocation;
    } else {
      // k8s:enc:<provider>:v1:<key name>:...
      String[] parts = new String(stored, 0, Math.min(stored.length, 300), StandardCharsets.ISO_8859_1).split(":", 6);
      String provider = parts.length > 2 ? parts[2] : "?";
      String name = parts.length > 5 ? parts[4] : "?";
      if (transformerFor(key) == null) {
        fix = "it is encrypted, but " + keysLocation + " does not list its resource any more: list it again with its "
            + provider + " key \"" + name + "\"";
      } else if (e.authenticationFailed()) {
        fix = "the " + provider + " key \"" + name + "\" in " + keysLocation
            + " is not the key it was encrypted with: restore that key's secret";
      } else {
        fix = "it was encrypted with the " + provider + " key \"" + name + "\", which " + keysLocation
            + " does not hold: put that key back after the one that encrypts";
      }
    }
    return new UnreadableAtRestException("unable to transform key \"" + key + "\": " + e.getMessage() + " (" + fix + ")", e);
  }
}
