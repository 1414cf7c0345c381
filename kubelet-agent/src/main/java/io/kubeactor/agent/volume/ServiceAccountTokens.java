package io.kubeactor.agent.volume;

import com.fasterxml.jackson.databind.node.ObjectNode;

/** Asks the control plane for a ServiceAccount token: a TokenRequest in, the TokenRequest with its status out. */
@FunctionalInterface
public interface ServiceAccountTokens {

  ObjectNode request(String namespace, String serviceAccount, ObjectNode tokenRequest) throws Exception;
}
