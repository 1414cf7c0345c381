package io.kubeactor.controlplane.apiserver;

import static org.assertj.core.api.Assertions.assertThat;

import io.kubeactor.controlplane.api.ApiException;
import org.junit.jupiter.api.Test;

/** A bug met while serving a request answers a generic 500: nothing of the exception reaches the client. */
class InternalErrorTest {

  @Test
  void theClientSeesNoExceptionText() {
    ApiException e = ApiServer.internalError(new IllegalStateException("secret detail at com.example.Internal"));
    assertThat(e.code).isEqualTo(500);
    assertThat(e.reason).isEqualTo("InternalError");
    assertThat(e.getMessage()).startsWith("Internal error occurred: unexpected server error (logged as ")
        .doesNotContain("secret").doesNotContain("IllegalStateException");
    assertThat(Responses.status(e).toString()).doesNotContain("secret").doesNotContain("Exception");
  }
}
