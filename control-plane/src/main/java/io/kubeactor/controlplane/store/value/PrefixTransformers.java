package io.kubeactor.controlplane.store.value;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * A list of transformers told apart by the prefix of what they stored, as upstream's
 * NewPrefixTransformers (staging/src/k8s.io/apiserver/pkg/storage/value/transformer.go): the first
 * writes; a value is read by the first whose prefix it has and that can read it (an error with one
 * is not final: two providers may share a prefix with different keys); a value read by any but the
 * first is stale.
 */
public final class PrefixTransformers implements ValueTransformer {

  /** One transformer and the prefix its values have, relative to the enclosing list's. */
  public record Entry(byte[] prefix, ValueTransformer transformer) {
    public Entry(String prefix, ValueTransformer transformer) {
      this(prefix.getBytes(StandardCharsets.UTF_8), transformer);
    }
  }

  private final Entry[] entries;
  private final String noMatch;

  /** {@code noMatch}: the error when no prefix matches (upstream: "no matching prefix found"). */
  public PrefixTransformers(List<Entry> entries, String noMatch) {
    if (entries.isEmpty()) throw new IllegalArgumentException("at least one transformer is required");
    this.entries = entries.toArray(Entry[]::new);
    this.noMatch = noMatch;
  }

  @Override
  public byte[] toStorage(byte[] data, byte[] authenticatedData) {
    return entries[0].transformer().toStorage(data, authenticatedData);
  }

  @Override
  public Read fromStorage(byte[] data, int offset, byte[] authenticatedData) {
    List<ValueTransformException> errors = null;
    for (int i = 0; i < entries.length; i++) {
      Entry e = entries[i];
      if (!startsWith(data, offset, e.prefix())) continue;
      try {
        Read read = e.transformer().fromStorage(data, offset + e.prefix().length, authenticatedData);
        return i != 0 && !read.stale() ? new Read(read.data(), true) : read;
      } catch (ValueTransformException failed) {
        // identity refusing encrypted data leaves the value to the providers after it
        if (e.prefix().length == 0) continue;
        if (errors == null) errors = new ArrayList<>();
        errors.add(failed);
      }
    }
    if (errors == null) throw new ValueTransformException(noMatch);
    if (errors.size() == 1) throw errors.get(0);
    // as upstream's errors.NewAggregate: "[first, second]"
    List<String> messages = errors.stream().map(Throwable::getMessage).toList();
    throw new ValueTransformException("[" + String.join(", ", messages) + "]",
        errors.stream().anyMatch(ValueTransformException::authenticationFailed));
  }

  static boolean startsWith(byte[] data, int offset, byte[] prefix) {
    if (data.length - offset < prefix.length) return false;
    return java.util.Arrays.equals(data, offset, offset + prefix.length, prefix, 0, prefix.length);
  }
}
