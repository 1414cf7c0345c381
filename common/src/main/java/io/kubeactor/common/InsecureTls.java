package io.kubeactor.common;

import java.security.SecureRandom;
import java.security.cert.X509Certificate;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManager;
import javax.net.ssl.X509TrustManager;

/**
 * TLS that verifies no certificate: what upstream uses where it talks HTTPS to a pod (kubelet's
 * httpGet probes, kube-apiserver's proxy to pods and services), since a pod's certificate is its
 * own business and names no address the cluster knows.
 */
public final class InsecureTls {
  private InsecureTls() {}

  public static SSLContext context() {
    try {
      SSLContext ctx = SSLContext.getInstance("TLS");
      ctx.init(null, trustManagers(), new SecureRandom());
      return ctx;
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }

  /** A trust manager that accepts every certificate. */
  public static TrustManager[] trustManagers() {
    return new TrustManager[] {new X509TrustManager() {
      @Override
      public void checkClientTrusted(X509Certificate[] chain, String authType) {}

      @Override
      public void checkServerTrusted(X509Certificate[] chain, String authType) {}

      @Override
      public X509Certificate[] getAcceptedIssuers() {
        return new X509Certificate[0];
      }
    }};
  }
}
