package io.kubeactor.controlplane.apiserver;

import static org.assertj.core.api.Assertions.assertThat;

import io.kubeactor.controlplane.controller.ControllerFixture;
import io.kubeactor.controlplane.e2e.TestAgentTls;
import io.kubeactor.controlplane.node.AgentDirectory;
import io.kubeactor.controlplane.security.AccessControl;
import io.kubeactor.controlplane.security.ClusterCertificates;
import io.kubeactor.controlplane.security.Tokens;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.zip.GZIPInputStream;
import org.apache.pekko.http.javadsl.model.HttpHeader;
import org.apache.pekko.http.javadsl.model.HttpRequest;
import org.apache.pekko.http.javadsl.model.HttpResponse;
import org.apache.pekko.http.javadsl.model.headers.RawHeader;
import org.apache.pekko.stream.Materializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

/**
 * /openapi/v2 and /openapi/v3 through the API server's own route, in process: gzip when asked for
 * (Go's HTTP client, and so kubectl, always asks), with the ETag of the uncompressed document.
 */
class ApiServerOpenApiTest {

  static final ControllerFixture fixture = new ControllerFixture();
  static final Tokens tokens;
  static final ApiServer api;

  static {
    try {
      Path dir = Files.createTempDirectory("apiserver-openapi");
      tokens = Tokens.loadOrCreate(dir);
      ClusterCertificates certificates = ClusterCertificates.loadOrCreate(dir, List.of(), List.of());
      api = new ApiServer(fixture.registry, AccessControl.adminOnly(certificates, tokens, Clock.systemUTC()),
          fixture.testKit.system(), "127.0.0.1:6443", Duration.ofSeconds(10), Duration.ofMinutes(1), AgentDirectory.NONE,
          TestAgentTls.apiServer(certificates), Clock.systemUTC(), fixture.metrics);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  @AfterAll
  static void shutdown() {
    fixture.close();
  }

  private static final String PROTOBUF = "application/com.github.proto-openapi.spec.v2@v1.0+protobuf";

  @Test
  void theV2DocumentIsGzippedInBothFormsWithTheUncompressedDocumentsETag() throws Exception {
    for (String accept : List.of("application/json", PROTOBUF)) {
      HttpResponse plain = get("/openapi/v2", accept, null, null);
      HttpResponse gzipped = get("/openapi/v2", accept, "gzip", null);

      assertThat(plain.getHeader("Content-Encoding")).as(accept).isEmpty();
      assertThat(gzipped.getHeader("Content-Encoding").map(HttpHeader::value)).as(accept).hasValue("gzip");
      assertThat(gzipped.entity().getContentType()).isEqualTo(plain.entity().getContentType());
      assertThat(gunzip(bytes(gzipped))).as(accept).isEqualTo(bytes(plain));
      assertThat(etag(gzipped)).isEqualTo(etag(plain)).isNotEmpty();
      assertThat(varies(gzipped)).contains("Accept", "Accept-Encoding");
      assertThat(varies(plain)).contains("Accept", "Accept-Encoding");
    }
  }

  @Test
  void aMatchingETagStillAnswers304WhenGzipIsAccepted() throws Exception {
    String etag = etag(get("/openapi/v2", PROTOBUF, "gzip", null));
    HttpResponse notModified = get("/openapi/v2", PROTOBUF, "gzip", etag);

    assertThat(notModified.status().intValue()).isEqualTo(304);
    assertThat(notModified.getHeader("Content-Encoding")).isEmpty();
    assertThat(etag(notModified)).isEqualTo(etag);
    assertThat(bytes(notModified)).isEmpty();
  }

  @Test
  void theV3IndexAndDocumentsAreGzippedToo() throws Exception {
    for (String path : List.of("/openapi/v3", "/openapi/v3/api/v1", "/openapi/v3/apis/apps/v1")) {
      HttpResponse plain = get(path, "application/json", null, null);
      HttpResponse gzipped = get(path, "application/json", "gzip", null);
      assertThat(plain.status().intValue()).as(path).isEqualTo(200);
      assertThat(gzipped.getHeader("Content-Encoding").map(HttpHeader::value)).as(path).hasValue("gzip");
      assertThat(gunzip(bytes(gzipped))).as(path).isEqualTo(bytes(plain));
    }
  }

  private static HttpResponse get(String path, String accept, String acceptEncoding, String ifNoneMatch) throws Exception {
    HttpRequest request = HttpRequest.GET(path)
        .addHeader(RawHeader.create("Authorization", "Bearer " + tokens.adminToken()))
        .addHeader(RawHeader.create("Accept", accept));
    // parsed into Pekko's model headers, as the server parses a request's
    if (acceptEncoding != null) request = request.addHeader(HttpHeader.parse("Accept-Encoding", acceptEncoding));
    if (ifNoneMatch != null) request = request.addHeader(HttpHeader.parse("If-None-Match", ifNoneMatch));
    return api.handle(request).toCompletableFuture().get(30, TimeUnit.SECONDS);
  }

  private static String etag(HttpResponse response) {
    return response.getHeader("ETag").map(HttpHeader::value).orElse("");
  }

  private static List<String> varies(HttpResponse response) {
    return java.util.stream.StreamSupport.stream(response.getHeaders().spliterator(), false)
        .filter(h -> h.is("vary")).map(HttpHeader::value).toList();
  }

  private static byte[] bytes(HttpResponse response) throws Exception {
    return response.entity().toStrict(30_000, Materializer.matFromSystem(fixture.testKit.system()))
        .toCompletableFuture().get(30, TimeUnit.SECONDS).getData().toArray();
  }

  private static byte[] gunzip(byte[] gzipped) throws IOException {
    try (GZIPInputStream in = new GZIPInputStream(new ByteArrayInputStream(gzipped))) {
      return in.readAllBytes();
    }
  }
}
