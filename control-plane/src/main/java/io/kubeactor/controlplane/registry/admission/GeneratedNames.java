package io.kubeactor.controlplane.registry.admission;

import java.util.concurrent.ThreadLocalRandom;

/**
 * Random name suffixes as apiserver/pkg/storage/names SimpleNameGenerator makes them for
 * generateName (with a fast, not a cryptographic, random source, as upstream's math/rand).
 */
public final class GeneratedNames {
  private GeneratedNames() {}

  // Kubernetes' generateName alphabet: no vowels, no confusable characters
  private static final String ALPHABET = "bcdfghjklmnpqrstvwxz2456789";
  public static final int SUFFIX_LENGTH = 5;

  /** Five random characters to append to a generateName prefix. */
  public static String suffix() {
    StringBuilder sb = new StringBuilder(SUFFIX_LENGTH);
    for (int i = 0; i < SUFFIX_LENGTH; i++) sb.append(ALPHABET.charAt(ThreadLocalRandom.current().nextInt(ALPHABET.length())));
    return sb.toString();
  }
}
