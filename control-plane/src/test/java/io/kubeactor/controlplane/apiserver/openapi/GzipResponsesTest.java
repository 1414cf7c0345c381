package io.kubeactor.controlplane.apiserver.openapi;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.zip.GZIPInputStream;
import org.apache.pekko.actor.testkit.typed.javadsl.ActorTestKit;
import org.apache.pekko.http.javadsl.model.ContentTypes;
import org.apache.pekko.http.javadsl.model.HttpHeader;
import org.apache.pekko.http.javadsl.model.HttpRequest;
import org.apache.pekko.http.javadsl.model.HttpResponse;
import org.apache.pekko.http.javadsl.model.StatusCodes;
import org.apache.pekko.http.javadsl.model.headers.RawHeader;
import org.apache.pekko.stream.Materializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

/** gziphandler's rules, which kube-apiserver's /openapi/v2 follows. */
class GzipResponsesTest {

  static final ActorTestKit testKit = ActorTestKit.create();

  @AfterAll
  static void shutdown() {
    testKit.shutdownTestKit();
  }

  private static final byte[] LARGE = body(GzipResponses.MIN_SIZE);
  private static final byte[] SMALL = body(GzipResponses.MIN_SIZE - 1);

  @Test
  void aLargeBodyIsGzippedForARequestThatAcceptsGzip() throws Exception {
    HttpResponse response = GzipResponses.encodeIfAccepted(accepting("gzip"), ok(LARGE));

    assertThat(response.getHeader("Content-Encoding").map(HttpHeader::value)).hasValue("gzip");
    assertThat(response.getHeader("ETag").map(HttpHeader::value)).hasValue("\"ABC\"");
    assertThat(varies(response)).contains("Accept", "Accept-Encoding");
    assertThat(gunzip(bytes(response))).isEqualTo(LARGE);
  }

  @Test
  void gzipIsOneOfSeveralEncodingsAccepted() throws Exception {
    HttpResponse response = GzipResponses.encodeIfAccepted(accepting("deflate, gzip;q=0.5"), ok(LARGE));
    assertThat(response.getHeader("Content-Encoding").map(HttpHeader::value)).hasValue("gzip");
    assertThat(gunzip(bytes(response))).isEqualTo(LARGE);
  }

  @Test
  void anythingElseIsLeftAsItIsButStillVariesByAcceptEncoding() throws Exception {
    assertUnencoded(GzipResponses.encodeIfAccepted(accepting("gzip"), ok(SMALL)), SMALL);
    assertUnencoded(GzipResponses.encodeIfAccepted(HttpRequest.GET("/openapi/v2"), ok(LARGE)), LARGE);
    assertUnencoded(GzipResponses.encodeIfAccepted(accepting("gzip;q=0"), ok(LARGE)), LARGE);
    assertUnencoded(GzipResponses.encodeIfAccepted(accepting("deflate"), ok(LARGE)), LARGE);
    // gziphandler reads only a named gzip
    assertUnencoded(GzipResponses.encodeIfAccepted(accepting("*"), ok(LARGE)), LARGE);
  }

  private static void assertUnencoded(HttpResponse response, byte[] body) throws Exception {
    assertThat(response.getHeader("Content-Encoding")).isEmpty();
    assertThat(varies(response)).contains("Accept-Encoding");
    assertThat(bytes(response)).isEqualTo(body);
  }

  @Test
  void aNotModifiedAnswerKeepsItsETagAndHasNoEncoding() throws Exception {
    HttpResponse notModified = HttpResponse.create().withStatus(StatusCodes.NOT_MODIFIED)
        .addHeader(RawHeader.create("ETag", "\"ABC\""));
    HttpResponse response = GzipResponses.encodeIfAccepted(accepting("gzip"), notModified);

    assertThat(response.status()).isEqualTo(StatusCodes.NOT_MODIFIED);
    assertThat(response.getHeader("Content-Encoding")).isEmpty();
    assertThat(response.getHeader("ETag").map(HttpHeader::value)).hasValue("\"ABC\"");
    assertThat(bytes(response)).isEmpty();
  }

  private static HttpRequest accepting(String encodings) {
    // parsed into Pekko's model header, as the server parses a request's
    return HttpRequest.GET("/openapi/v2").addHeader(HttpHeader.parse("Accept-Encoding", encodings));
  }

  private static HttpResponse ok(byte[] body) {
    return HttpResponse.create().withEntity(ContentTypes.APPLICATION_JSON, body)
        .addHeader(RawHeader.create("ETag", "\"ABC\"")).addHeader(RawHeader.create("Vary", "Accept"));
  }

  private static byte[] body(int size) {
    byte[] body = new byte[size];
    Arrays.fill(body, (byte) 'a');
    return body;
  }

  private static List<String> varies(HttpResponse response) {
    List<String> values = new ArrayList<>();
    response.getHeaders().forEach(h -> {
      if (h.is("vary")) values.add(h.value());
    });
    return values;
  }

  private static byte[] bytes(HttpResponse response) throws Exception {
    return response.entity().toStrict(10_000, Materializer.matFromSystem(testKit.system()))
        .toCompletableFuture().get(10, TimeUnit.SECONDS).getData().toArray();
  }

  private static byte[] gunzip(byte[] gzipped) throws IOException {
    try (GZIPInputStream in = new GZIPInputStream(new ByteArrayInputStream(gzipped))) {
      return in.readAllBytes();
    }
  }
}
