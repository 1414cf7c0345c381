package io.kubeactor.controlplane.store.value;

/**
 * How a stored value is kept at rest, as kube-apiserver's value.Transformer
 * (staging/src/k8s.io/apiserver/pkg/storage/value/transformer.go): what the journal and snapshots
 * hold for an object, and the object read back from that.
 *
 * <p>Every transformer writes its whole stored prefix itself ({@code k8s:enc:aesgcm:v1:key1:}), so a
 * value is made in one allocation; when reading, {@link PrefixTransformers} match the prefixes and
 * hand on the offset where the rest begins, so nothing is copied before it is decrypted.
 */
public interface ValueTransformer {

  /**
   * The bytes to store for {@code data}. {@code authenticatedData} (the object's store key) is bound
   * to the result: the value does not read back under another key.
   */
  byte[] toStorage(byte[] data, byte[] authenticatedData);

  /**
   * The value stored in {@code data} from {@code offset} on (the prefixes before it already matched).
   *
   * @throws ValueTransformException when it cannot be read (wrong or missing key, tampered bytes)
   */
  Read fromStorage(byte[] data, int offset, byte[] authenticatedData);

  /**
   * A value read back. {@code stale}: it was not written by the transformer that writes now (an older
   * key, or unencrypted), so it is to be written again, as upstream's TransformFromStorage says.
   */
  record Read(byte[] data, boolean stale) {}
}
