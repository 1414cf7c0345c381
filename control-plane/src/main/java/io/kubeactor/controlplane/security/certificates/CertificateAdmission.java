package io.kubeactor.controlplane.security.certificates;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.kubeactor.controlplane.api.ApiException;
import io.kubeactor.controlplane.api.ResourceType;
import io.kubeactor.controlplane.registry.WriteGuard;
import io.kubeactor.controlplane.registry.admission.CertificateValidation;
import io.kubeactor.controlplane.security.authentication.UserInfo;
import io.kubeactor.controlplane.security.authorization.Attributes;
import io.kubeactor.controlplane.security.authorization.Authorizer;
import java.util.Objects;

/**
 * kube-apiserver's three admission plugins for CertificateSigningRequests
 * (plugin/pkg/admission/certificates/{approval,signing,subjectrestriction}):
 * <ul>
 *   <li>CertificateApproval: an update through {@code approval} needs the {@code approve} verb on
 *       the {@code signers} resource named by the request's signerName (or {@code domain/*});
 *   <li>CertificateSigning: a {@code status} update that changes status.certificate needs the
 *       {@code sign} verb on it;
 *   <li>CertificateSubjectRestriction: no request to the kube-apiserver-client signer may ask for
 *       the system:masters group.
 * </ul>
 */
public final class CertificateAdmission implements WriteGuard {

  static final String GROUP = "certificates.k8s.io";
  static final String KIND = "CertificateSigningRequest";

  private final Authorizer authorizer;

  /** @param authorizer the API server's authorizer chain, asked as a SubjectAccessReview would be */
  public CertificateAdmission(Authorizer authorizer) {
    this.authorizer = authorizer;
  }

  @Override
  public void check(ResourceType type, ObjectNode csr, ObjectNode old, UserInfo user) {
    if (old != null || !isCsr(type)) return;
    String signerName = csr.path("spec").path("signerName").asText("");
    if (!Signers.KUBE_APISERVER_CLIENT.equals(signerName)) return;
    CertificateRequests.Parsed request;
    try {
      request = CertificateRequests.parse(CertificateValidation.requestBytes(csr.path("spec")));
    } catch (CertificateRequests.InvalidRequest e) {
      return; // validation answers with its 422, as it runs first upstream
    }
    if (request.organizations().contains(UserInfo.SYSTEM_MASTERS)) {
      throw forbidden(type, csr, "use of " + Signers.KUBE_APISERVER_CLIENT + " signer with " + UserInfo.SYSTEM_MASTERS
          + " group is not allowed");
    }
  }

  @Override
  public void checkSubresource(ResourceType type, String subresource, String namespace, String name, ObjectNode csr,
      ObjectNode old, UserInfo user) {
    if (!isCsr(type) || user == null) return;
    String signerName = csr.path("spec").path("signerName").asText("");
    if (subresource.equals("approval")) {
      if (!authorizedForSigner(user, "approve", signerName)) {
        throw forbidden(type, csr, "user not permitted to approve requests with signerName \"" + signerName + "\"");
      }
    } else if (subresource.equals("status")) {
      String before = old.path("status").path("certificate").asText("");
      String now = csr.path("status").path("certificate").asText("");
      if (!Objects.equals(before, now) && !authorizedForSigner(user, "sign", signerName)) {
        throw forbidden(type, csr, "user not permitted to sign requests with signerName \"" + signerName + "\"");
      }
    }
  }

  /** IsAuthorizedForSignerName: the verb on signers/NAME, or on signers/DOMAIN/*. */
  public boolean authorizedForSigner(UserInfo user, String verb, String signerName) {
    if (authorizer.authorize(signerAttributes(user, verb, signerName)).allowed()) return true;
    int slash = signerName.indexOf('/');
    String wildcard = (slash < 0 ? signerName : signerName.substring(0, slash)) + "/*";
    return authorizer.authorize(signerAttributes(user, verb, wildcard)).allowed();
  }

  private static Attributes signerAttributes(UserInfo user, String verb, String name) {
    return new Attributes(user, verb, true, GROUP, "*", "signers", "", "", name, "");
  }

  private static boolean isCsr(ResourceType type) {
    return type.group().equals(GROUP) && type.kind().equals(KIND);
  }

  private static ApiException forbidden(ResourceType type, ObjectNode csr, String why) {
    return ApiException.forbidden(GROUP, type.plural(), csr.path("metadata").path("name").asText(""), why);
  }
}
