package io.kubeactor.controlplane.store.value;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import javax.crypto.AEADBadTagException;
import javax.crypto.Cipher;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;

/**
 * One key of the {@code aesgcm} provider, as upstream's GCM transformer
 * (staging/src/k8s.io/apiserver/pkg/storage/value/encrypt/aes/aes.go): AES-GCM with a random
 * 12-byte nonce per value and the object's store key as additional authenticated data. A value is
 * {@code k8s:enc:aesgcm:v1:<key name>:} + nonce + ciphertext + 16-byte tag.
 */
public final class AesGcmTransformer implements ValueTransformer {

  /** The provider's prefix; each key's values add "{@code <name>:}". */
  public static final String PREFIX = "k8s:enc:aesgcm:v1:";

  private static final int NONCE_SIZE = 12;
  private static final int TAG_BITS = 128;
  private static final int TAG_SIZE = TAG_BITS / 8;
  private static final SecureRandom RANDOM = new SecureRandom();

  private final byte[] storedPrefix;
  private final SecretKeySpec key;
  // a Cipher is not thread-safe and costly to look up: one per thread, initialised per value
  private final ThreadLocal<Cipher> ciphers = ThreadLocal.withInitial(AesGcmTransformer::newCipher);

  /** A key of 16, 24 or 32 bytes (AES-128, -192, -256); the caller validates the length. */
  public AesGcmTransformer(String keyName, byte[] key) {
    this.storedPrefix = (PREFIX + keyName + ":").getBytes(StandardCharsets.UTF_8);
    this.key = new SecretKeySpec(key, "AES");
  }

  @Override
  public byte[] toStorage(byte[] data, byte[] authenticatedData) {
    int p = storedPrefix.length;
    byte[] out = new byte[p + NONCE_SIZE + data.length + TAG_SIZE];
    System.arraycopy(storedPrefix, 0, out, 0, p);
    byte[] nonce = new byte[NONCE_SIZE];
    RANDOM.nextBytes(nonce);
    System.arraycopy(nonce, 0, out, p, NONCE_SIZE);
    try {
      Cipher cipher = ciphers.get();
      cipher.init(Cipher.ENCRYPT_MODE, key, new GCMParameterSpec(TAG_BITS, nonce));
      cipher.updateAAD(authenticatedData);
      cipher.doFinal(data, 0, data.length, out, p + NONCE_SIZE);
      return out;
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("AES-GCM encryption failed", e);
    }
  }

  @Override
  public Read fromStorage(byte[] data, int offset, byte[] authenticatedData) {
    int length = data.length - offset;
    if (length < NONCE_SIZE + TAG_SIZE) throw new ValueTransformException("the stored data was shorter than the required size");
    try {
      Cipher cipher = ciphers.get();
      cipher.init(Cipher.DECRYPT_MODE, key, new GCMParameterSpec(TAG_BITS, data, offset, NONCE_SIZE));
      cipher.updateAAD(authenticatedData);
      return new Read(cipher.doFinal(data, offset + NONCE_SIZE, length - NONCE_SIZE), false);
    } catch (AEADBadTagException e) {
      // Go's crypto/cipher wording, which kube-apiserver reports
      throw new ValueTransformException("cipher: message authentication failed", true);
    } catch (GeneralSecurityException e) {
      throw new ValueTransformException(e.getMessage());
    }
  }

  private static Cipher newCipher() {
    try {
      return Cipher.getInstance("AES/GCM/NoPadding");
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("every JDK has AES/GCM/NoPadding", e);
    }
  }
}
