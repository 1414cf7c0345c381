package io.kubeactor.controlplane.security.authentication;

import java.security.GeneralSecurityException;
import java.security.cert.CertPathValidator;
import java.security.cert.CertificateFactory;
import java.security.cert.PKIXParameters;
import java.security.cert.TrustAnchor;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Date;
import java.util.List;
import java.util.Map;
import java.util.Set;
import javax.naming.InvalidNameException;
import javax.naming.ldap.LdapName;
import javax.naming.ldap.Rdn;

/**
 * kube-apiserver's x509 authenticator (k8s.io/apiserver/pkg/authentication/request/x509): a client
 * certificate that chains to the cluster CA, is valid now and allows client authentication
 * authenticates its subject's CommonName as the user and its Organizations as the groups.
 */
public final class X509Authenticator {

  private static final String CLIENT_AUTH = "1.3.6.1.5.5.7.3.2";
  private static final String ANY_EXTENDED_KEY_USAGE = "2.5.29.37.0";

  private final TrustAnchor anchor;
  private final Clock clock;

  public X509Authenticator(X509Certificate ca, Clock clock) {
    this.anchor = new TrustAnchor(ca, null);
    this.clock = clock;
  }

  /** The verdict on the certificates a client presented (none: no opinion). */
  public Authentication authenticate(X509Certificate[] chain) {
    if (chain == null || chain.length == 0) return Authentication.none();
    X509Certificate leaf = chain[0];
    try {
      CertificateFactory factory = CertificateFactory.getInstance("X.509");
      PKIXParameters params = new PKIXParameters(Set.of(anchor));
      params.setRevocationEnabled(false);
      params.setDate(Date.from(clock.instant()));
      CertPathValidator.getInstance("PKIX").validate(factory.generateCertPath(Arrays.asList(chain)), params);
      List<String> usages = leaf.getExtendedKeyUsage();
      if (usages != null && !usages.contains(CLIENT_AUTH) && !usages.contains(ANY_EXTENDED_KEY_USAGE)) {
        return Authentication.failed("x509: certificate specifies an incompatible key usage");
      }
    } catch (GeneralSecurityException e) {
      return Authentication.failed("verifying certificate " + leaf.getSubjectX500Principal() + " failed: "
          + e.getMessage());
    }
    String user = "";
    List<String> groups = new ArrayList<>();
    try {
      for (Rdn rdn : new LdapName(leaf.getSubjectX500Principal().getName()).getRdns()) {
        if (rdn.getType().equalsIgnoreCase("CN")) user = rdn.getValue().toString();
        if (rdn.getType().equalsIgnoreCase("O")) groups.add(0, rdn.getValue().toString());
      }
    } catch (InvalidNameException e) {
      return Authentication.failed("the certificate's subject cannot be read");
    }
    if (user.isEmpty()) return Authentication.failed("x509: certificate has no CommonName");
    return Authentication.of(new UserInfo(user, "", groups, Map.of()));
  }
}
