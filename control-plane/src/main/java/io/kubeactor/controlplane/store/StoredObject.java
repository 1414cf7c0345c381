package io.kubeactor.controlplane.store;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectReader;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.kubeactor.common.Json;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Base64;
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

  private final byte[] json;
  /** metadata.resourceVersion, read once when first asked for (UNREAD until then; volatile: readers on any thread). */
  private volatile long resourceVersion;

  private static final long UNREAD = Long.MIN_VALUE;

  private StoredObject(byte[] json, long resourceVersion) {
    this.json = json;
    this.resourceVersion = resourceVersion;
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
    if (value.isBinary()) return new StoredObject(value.binaryValue());
    if (value.isTextual()) return new StoredObject(Base64.getDecoder().decode(value.textValue()));
    if (value.isObject()) return of((ObjectNode) value);
    throw new IllegalArgumentException("a stored object is bytes or a JSON object, not " + value.getNodeType());
  }

  @JsonValue
  byte[] journalValue() {
    return json;
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

  /** The JSON bytes, shared and never copied: callers must not change them (Pekko's contract for unsafe arrays). */
  public ByteString bytes() {
    return ByteString.fromArrayUnsafe(json);
  }

  /** Its size in bytes. */
  public int size() {
    return json.length;
  }
}
