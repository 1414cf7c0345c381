package io.kubeactor.controlplane.controller;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/**
 * The hashes controllers name things by: FNV-1a 32-bit, written as Kubernetes' SafeEncodeString
 * renders it (a decimal number spelt in an alphabet without vowels or look-alike characters, so
 * no word or ambiguous name can appear in an object name).
 */
public final class Hashes {
  private Hashes() {}

  private static final String ALPHABET = "bcdfghjklmnpqrstvwxz2456789";

  /**
   * FNV-1a over the bytes, then the collision count when there is one, as controller.ComputeHash
   * writes it: a little-endian uint32 in an 8-byte buffer.
   */
  public static int fnv32a(byte[] data, Integer collisionCount) {
    int h = 0x811c9dc5;
    for (byte b : data) {
      h ^= b & 0xff;
      h *= 0x01000193;
    }
    if (collisionCount != null) {
      byte[] c = ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN).putInt(collisionCount).array();
      for (byte b : c) {
        h ^= b & 0xff;
        h *= 0x01000193;
      }
    }
    return h;
  }

  /** rand.SafeEncodeString of the hash's unsigned decimal form. */
  public static String safeEncode(int hash) {
    return safeEncode(Integer.toUnsignedString(hash));
  }

  /** rand.SafeEncodeString: each character mapped into the alphabet by its code. */
  public static String safeEncode(String s) {
    StringBuilder sb = new StringBuilder(s.length());
    for (char c : s.toCharArray()) sb.append(ALPHABET.charAt(c % ALPHABET.length()));
    return sb.toString();
  }
}
