package io.kubeactor.controlplane.registry.admission;

import java.security.SecureRandom;

/** Random name suffixes as apiserver/pkg/storage/names SimpleNameGenerator makes them for generateName. */
public final class GeneratedNames {
  private GeneratedNames() {}

  // Kubernetes' generateName alphabet: no vowels, no confusable characters
  private static final String ALPHABET = "bcdfghjklmnpqrstvwxz2456789";
  public static final int SUFFIX_LENGTH = 5;
  private static final SecureRandom RANDOM = new SecureRandom();

  /** Five random characters to append to a generateName prefix. */
  public static String suffix() {
    StringBuilder sb = new StringBuilder(SUFFIX_LENGTH);
    for (int i = 0; i < SUFFIX_LENGTH; i++) sb.append(ALPHABET.charAt(RANDOM.nextInt(ALPHABET.length())));
    return sb.toString();
  }
}
