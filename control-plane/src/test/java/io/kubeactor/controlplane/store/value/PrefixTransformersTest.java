package io.kubeactor.controlplane.store.value;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The aesgcm provider's keys and identity in one list, as an EncryptionConfiguration's providers make them. */
class PrefixTransformersTest {

  static final byte[] KEY_A = key(1);
  static final byte[] KEY_B = key(2);
  static final byte[] JSON = "{\"kind\":\"Secret\",\"data\":{\"password\":\"c2VjcmV0\"}}".getBytes(StandardCharsets.UTF_8);
  static final byte[] AAD = "core/secrets/default/db".getBytes(StandardCharsets.UTF_8);

  static byte[] key(int seed) {
    byte[] k = new byte[32];
    Arrays.fill(k, (byte) seed);
    return k;
  }

  /** aesgcm with these (name, key) pairs, then identity, as upstream builds a resource's providers. */
  static PrefixTransformers providers(Object... namesAndKeys) {
    List<PrefixTransformers.Entry> keys = new java.util.ArrayList<>();
    for (int i = 0; i < namesAndKeys.length; i += 2) {
      String name = (String) namesAndKeys[i];
      keys.add(new PrefixTransformers.Entry(name + ":", new AesGcmTransformer(name, (byte[]) namesAndKeys[i + 1])));
    }
    return new PrefixTransformers(List.of(
        new PrefixTransformers.Entry(AesGcmTransformer.PREFIX,
            new PrefixTransformers(keys, "no matching key was found for the provided AES transformer")),
        new PrefixTransformers.Entry("", IdentityTransformer.INSTANCE)), "no matching prefix found");
  }

  static String text(byte[] b) {
    return new String(b, StandardCharsets.ISO_8859_1);
  }

  @Test
  void theFirstKeySealsAValueThatReadsBackAndHidesTheData() {
    byte[] stored = providers("a", KEY_A, "b", KEY_B).toStorage(JSON, AAD);

    assertThat(text(stored)).startsWith("k8s:enc:aesgcm:v1:a:").doesNotContain("c2VjcmV0").doesNotContain("Secret");
    // prefix, 12-byte nonce, the data's length, 16-byte tag
    assertThat(stored).hasSize("k8s:enc:aesgcm:v1:a:".length() + 12 + JSON.length + 16);
    ValueTransformer.Read read = providers("a", KEY_A, "b", KEY_B).fromStorage(stored, 0, AAD);
    assertThat(read.data()).isEqualTo(JSON);
    assertThat(read.stale()).isFalse();
    // a fresh nonce each time: the same data never seals to the same bytes
    assertThat(providers("a", KEY_A).toStorage(JSON, AAD)).isNotEqualTo(providers("a", KEY_A).toStorage(JSON, AAD));
  }

  @Test
  void aValueSealedWithALaterKeyOrStoredPlainReadsAndIsStale() {
    byte[] sealedWithB = providers("b", KEY_B).toStorage(JSON, AAD);
    ValueTransformer.Read read = providers("a", KEY_A, "b", KEY_B).fromStorage(sealedWithB, 0, AAD);
    assertThat(read.data()).isEqualTo(JSON);
    assertThat(read.stale()).isTrue();

    ValueTransformer.Read plain = providers("a", KEY_A).fromStorage(JSON, 0, AAD);
    assertThat(plain.data()).isEqualTo(JSON);
    assertThat(plain.stale()).isTrue();
  }

  @Test
  void aValueDoesNotReadUnderAnotherStoreKey() {
    byte[] stored = providers("a", KEY_A).toStorage(JSON, AAD);
    byte[] otherKey = "core/secrets/default/other".getBytes(StandardCharsets.UTF_8);
    assertThatThrownBy(() -> providers("a", KEY_A).fromStorage(stored, 0, otherKey))
        .isInstanceOf(ValueTransformException.class).hasMessage("cipher: message authentication failed")
        .matches(e -> ((ValueTransformException) e).authenticationFailed());
  }

  @Test
  void unreadableValuesFailWithUpstreamsWords() {
    byte[] stored = providers("a", KEY_A).toStorage(JSON, AAD);
    // the key's name is there, its secret is another
    assertThatThrownBy(() -> providers("a", KEY_B).fromStorage(stored, 0, AAD))
        .hasMessage("cipher: message authentication failed");
    // the key is gone
    assertThatThrownBy(() -> providers("b", KEY_B).fromStorage(stored, 0, AAD))
        .hasMessage("no matching key was found for the provided AES transformer");
    // a changed byte
    byte[] tampered = stored.clone();
    tampered[tampered.length - 1] ^= 1;
    assertThatThrownBy(() -> providers("a", KEY_A).fromStorage(tampered, 0, AAD))
        .hasMessage("cipher: message authentication failed");
    // cut short
    byte[] cut = Arrays.copyOf(stored, "k8s:enc:aesgcm:v1:a:".length() + 20);
    assertThatThrownBy(() -> providers("a", KEY_A).fromStorage(cut, 0, AAD))
        .hasMessage("the stored data was shorter than the required size");
    // encrypted, and no provider of its kind: identity does not hand it out as plain data
    byte[] secretbox = "k8s:enc:secretbox:v1:k:xxxxxxxx".getBytes(StandardCharsets.US_ASCII);
    assertThatThrownBy(() -> providers("a", KEY_A).fromStorage(secretbox, 0, AAD)).hasMessage("no matching prefix found");
    assertThatThrownBy(() -> IdentityTransformer.INSTANCE.fromStorage(stored, 0, AAD))
        .hasMessage("identity transformer tried to read encrypted data");
  }

  @Test
  void twoProvidersWithTheSamePrefixAreBothTried() {
    // aesgcm listed twice (a key being rotated to, one rotated away from): a failure in the first is not final
    PrefixTransformers twoAesGcm = new PrefixTransformers(List.of(
        new PrefixTransformers.Entry(AesGcmTransformer.PREFIX, new PrefixTransformers(
            List.of(new PrefixTransformers.Entry("a:", new AesGcmTransformer("a", KEY_B))), "no matching key")),
        new PrefixTransformers.Entry(AesGcmTransformer.PREFIX, new PrefixTransformers(
            List.of(new PrefixTransformers.Entry("a:", new AesGcmTransformer("a", KEY_A))), "no matching key"))),
        "no matching prefix found");
    ValueTransformer.Read read = twoAesGcm.fromStorage(providers("a", KEY_A).toStorage(JSON, AAD), 0, AAD);
    assertThat(read.data()).isEqualTo(JSON);
    assertThat(read.stale()).isTrue();
  }
}
