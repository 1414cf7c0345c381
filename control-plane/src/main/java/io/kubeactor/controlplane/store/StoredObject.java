package io.kubeactor.controlplane.store;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectReader;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.kubeactor.common.Json;
import io.kubeactor.controlplane.store.value.IdentityTransformer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Base64;
import java.util.function.Function;
import org.apache.pekko.util.ByteString;

/**
 * One stored object as its JSON bytes: the one immutable copy the store's state, its journal and
 * snapshots, the watch cache's window and every reader share, as etcd keeps bytes. A JSON tree is
 * several times the size of its text, so trees and typed objects are made from these bytes when
 * someone needs one ({@link #tree()}, {@link #decode}) and the bytes go to clients as they are.
 */
public final class StoredObject {

  /** Floats keep their exact text, as the tree the registry stored had them. */
  private static final ObjectReader READER = Json.MAPPER.reader().with(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS);

  /** The object's JSON; null only in a sealed object just read from the journal, until {@link AtRest#open} opens it. */
  private final byte[] json;
  /**
   * What the journal and snapshots hold when that is not the JSON (an encrypted resource's sealed
   * value, made once when written or read), else null. With compressed references it takes the
   * object's padding: no object grows.
   */
  private final byte[] atRest;
  /** metadata.resourceVersion, read once when first asked for (UNREAD until then; volatile: readers on any thread). */
  private volatile long resourceVersion;

  static final long UNREAD = Long.MIN_VALUE;

  /** One value made from these bytes and kept with them (see {@link #derived}); null until asked for. */
  private volatile Derived derived;

  private record Derived(Object key, Object value) {}

  StoredObject(byte[] json, long resourceVersion, byte[] atRest) {
    this.json = json;
    this.atRest = atRest;
    this.resourceVersion = resourceVersion;
  }

  StoredObject(byte[] json, long resourceVersion) {
    this(json, resourceVersion, null);
  }

  private StoredObject(byte[] json) {
    this(json, UNREAD);
  }

  /** The object's bytes as it is now; later changes to the tree do not reach them. */
  public static StoredObject of(ObjectNode object) {
    return new StoredObject(Json.bytes(object), ObjectStore.resourceVersionOf(object));
  }

  /**
   * As the journal and snapshots hold it: bytes (a CBOR byte string, or base64 in JSON), or a whole
   * JSON tree as journals written before objects were kept as bytes have it.
   */
  @JsonCreator(mode = JsonCreator.Mode.DELEGATING)
  static StoredObject fromJournal(JsonNode value) throws IOException {
    if (value.isBinary()) return fromJournal(value.binaryValue());
    if (value.isTextual()) return fromJournal(Base64.getDecoder().decode(value.textValue()));
    if (value.isObject()) return of((ObjectNode) value);
    throw new IllegalArgumentException("a stored object is bytes or a JSON object, not " + value.getNodeType());
  }

  /** A sealed value stays sealed here: the store opens it with its keys as it recovers ({@link AtRest#open}). */
  private static StoredObject fromJournal(byte[] bytes) {
    return IdentityTransformer.isEncrypted(bytes, 0) ? new StoredObject(null, UNREAD, bytes) : new StoredObject(bytes);
  }

  /** The bytes the journal and snapshots hold: the sealed value of an encrypted resource, else the JSON. */
  @JsonValue
  byte[] journalValue() {
    return atRest != null ? atRest : json;
  }

  /** True for a sealed value read from the journal and not opened yet. */
  boolean isSealed() {
    return json == null;
  }

  /** Its metadata.resourceVersion as a number (0 if absent, -1 if not a number), as the store's preconditions compare it. */
  public long resourceVersion() {
    long rv = resourceVersion;
    if (rv == UNREAD) resourceVersion = rv = ObjectStore.resourceVersionOf(tree());
    return rv;
  }

  /** A fresh tree of the object: the caller's own, to read or change. */
  public ObjectNode tree() {
    try {
      return (ObjectNode) READER.readTree(json);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** The object as a typed model (e.g. a fabric8 Pod), read straight from its bytes. */
  public <T> T decode(Class<T> model) {
    try {
      return Json.MAPPER.readValue(json, model);
    } catch (IOException e) {
      throw new IllegalArgumentException(e.getMessage(), e);
    }
  }

  /** The object as the typed model {@code reader} reads, straight from its bytes. */
  public <T> T decode(ObjectReader reader) {
    try {
      return reader.readValue(json);
    } catch (IOException e) {
      throw new IllegalArgumentException(e.getMessage(), e);
    }
  }

  /**
   * A value made from this object once and kept with it while it is current, e.g. the Table row the
   * API server printed for the version a client reads: later readers of the same key reuse it. One
   * value at a time; another key replaces it. {@code make} must be a pure function of the object,
   * as two threads may both make it.
   */
  @SuppressWarnings("unchecked")
  public <V> V derived(Object key, Function<StoredObject, V> make) {
    Derived d = derived;
    if (d != null && d.key().equals(key)) return (V) d.value();
    V value = make.apply(this);
    derived = new Derived(key, value);
    return value;
  }

  /** The JSON bytes, shared and never copied: callers must not change them (Pekko's contract for unsafe arrays). */
  public ByteString bytes() {
    return ByteString.fromArrayUnsafe(json);
  }

  /**
   * The JSON text of one top-level field's value (e.g. "metadata") as a slice of the stored bytes,
   * found by a streaming scan that stops at it; null when the object has no such field.
   */
  public ByteString field(String name) {
    try (JsonParser parser = Json.MAPPER.getFactory().createParser(json)) {
      if (parser.nextToken() != JsonToken.START_OBJECT) return null;
      while (parser.nextToken() == JsonToken.FIELD_NAME) {
        boolean wanted = parser.currentName().equals(name);
        parser.nextToken();
        long start = parser.currentTokenLocation().getByteOffset();
        parser.skipChildren();
        if (wanted) {
          long end = parser.currentLocation().getByteOffset();
          return ByteString.fromArrayUnsafe(json, (int) start, (int) (end - start));
        }
      }
      return null;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Its size in bytes. */
  public int size() {
    return json.length;
  }
}
