package io.kubeactor.controlplane.apiserver.openapi;

import java.util.stream.StreamSupport;
import org.apache.pekko.http.javadsl.coding.Coder;
import org.apache.pekko.http.javadsl.model.HttpEntity;
import org.apache.pekko.http.javadsl.model.HttpRequest;
import org.apache.pekko.http.javadsl.model.HttpResponse;
import org.apache.pekko.http.javadsl.model.headers.AcceptEncoding;
import org.apache.pekko.http.javadsl.model.headers.RawHeader;
import org.apache.pekko.http.scaladsl.model.headers.HttpEncodingRange;
import org.apache.pekko.http.scaladsl.model.headers.HttpEncodings;

/**
 * gzip for the OpenAPI responses, as kube-apiserver wraps its /openapi/v2 handler in NYTimes'
 * gziphandler: every response varies by Accept-Encoding, and one whose body is at least 1400 bytes
 * is compressed when the request names gzip with a q-value above 0 (a wildcard does not count). Only
 * the body changes: an ETag stays that of the uncompressed document, and a 304 has no body to compress.
 */
public final class GzipResponses {
  private GzipResponses() {}

  /** gziphandler's DefaultMinSize: smaller bodies gain less than compressing them costs. */
  static final int MIN_SIZE = 1400;

  public static HttpResponse encodeIfAccepted(HttpRequest request, HttpResponse response) {
    HttpResponse varied = response.addHeader(RawHeader.create("Vary", "Accept-Encoding"));
    boolean large = response.entity() instanceof HttpEntity.Strict strict && strict.getData().size() >= MIN_SIZE;
    return large && acceptsGzip(request) ? Coder.Gzip.encodeMessage(varied) : varied;
  }

  private static boolean acceptsGzip(HttpRequest request) {
    return request.getHeader(AcceptEncoding.class)
        .map(header -> StreamSupport.stream(header.getEncodings().spliterator(), false).anyMatch(range ->
            range instanceof HttpEncodingRange.One one && one.encoding().equals(HttpEncodings.gzip()) && one.qValue() > 0))
        .orElse(false);
  }
}
