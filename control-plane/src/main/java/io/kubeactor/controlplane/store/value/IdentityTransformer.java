package io.kubeactor.controlplane.store.value;

import java.nio.charset.StandardCharsets;

/**
 * The {@code identity} provider: values stored as they are. As upstream's
 * (staging/src/k8s.io/apiserver/pkg/storage/value/encrypt/identity/identity.go) it refuses to read
 * an encrypted value as plain data: the prefix {@code k8s:enc:} is reserved for those, and a JSON
 * object starts with '{'.
 */
public enum IdentityTransformer implements ValueTransformer {
  INSTANCE;

  /** What every encrypted value starts with. */
  public static final byte[] ENCRYPTED_PREFIX = "k8s:enc:".getBytes(StandardCharsets.US_ASCII);

  @Override
  public byte[] toStorage(byte[] data, byte[] authenticatedData) {
    return data;
  }

  @Override
  public Read fromStorage(byte[] data, int offset, byte[] authenticatedData) {
    if (isEncrypted(data, offset)) throw new ValueTransformException("identity transformer tried to read encrypted data");
    return new Read(offset == 0 ? data : java.util.Arrays.copyOfRange(data, offset, data.length), false);
  }

  /** True when the value from offset on is an encrypted one. */
  public static boolean isEncrypted(byte[] data, int offset) {
    return PrefixTransformers.startsWith(data, offset, ENCRYPTED_PREFIX);
  }
}
