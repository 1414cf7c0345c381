package io.kubeactor.common.pki;

import java.io.IOException;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.cert.Certificate;
import java.security.cert.X509Certificate;
import javax.net.ssl.KeyManager;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.TrustManager;
import javax.net.ssl.TrustManagerFactory;

/** Key and trust managers over keys and certificates held in memory (the JDK wants a key store for them). */
public final class KeyMaterial {

  // the store never leaves memory; the JDK just insists its key entries have a password
  private static final char[] IN_MEMORY_PASSWORD = "in-memory".toCharArray();

  private KeyMaterial() {}

  /**
   * Managers that show {@code key} with its certificate chain. SunX509 picks the one key there is
   * without judging its extended key usage (a node's client certificate serves the cluster's TLS too).
   */
  public static KeyManager[] keyManagers(PrivateKey key, Certificate... chain) {
    try {
      KeyStore store = KeyStore.getInstance("PKCS12");
      store.load(null, null);
      store.setKeyEntry("key", key, IN_MEMORY_PASSWORD, chain);
      KeyManagerFactory factory = KeyManagerFactory.getInstance("SunX509");
      factory.init(store, IN_MEMORY_PASSWORD);
      return factory.getKeyManagers();
    } catch (GeneralSecurityException | IOException e) {
      throw new IllegalStateException("cannot hold a " + key.getAlgorithm() + " key in memory: " + e.getMessage(), e);
    }
  }

  /** The JDK's trust managers (PKIX, with host name checks where the caller asks) trusting {@code ca} alone. */
  public static TrustManager[] trustOnly(X509Certificate ca) {
    try {
      KeyStore store = KeyStore.getInstance("PKCS12");
      store.load(null, null);
      store.setCertificateEntry("ca", ca);
      TrustManagerFactory factory = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
      factory.init(store);
      return factory.getTrustManagers();
    } catch (GeneralSecurityException | IOException e) {
      throw new IllegalStateException("cannot trust the cluster CA: " + e.getMessage(), e);
    }
  }
}
