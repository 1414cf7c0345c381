package io.kubeactor.controlplane.apiserver;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class HtmlLinksTest {

  static String rewrite(String html) {
    return HtmlLinks.rewrite(html, url -> url.startsWith("/") ? "/proxy" + url : url);
  }

  @Test
  void urlAttributesOfKnownTagsAreRewrittenAndNothingElse() {
    assertThat(rewrite("<a href=\"/docs\" title=\"/not-a-url\">docs</a>"))
        .isEqualTo("<a href=\"/proxy/docs\" title=\"/not-a-url\">docs</a>");
    assertThat(rewrite("<IMG SRC='/i.png' alt=x><form action=/submit method=post>"))
        .isEqualTo("<IMG SRC='/proxy/i.png' alt=x><form action=/proxy/submit method=post>");
    assertThat(rewrite("<link rel=stylesheet href = \"/s.css\"/><div data=\"/x\"></div>"))
        .isEqualTo("<link rel=stylesheet href = \"/proxy/s.css\"/><div data=\"/x\"></div>");
    assertThat(rewrite("<video poster=\"/p.jpg\" src=\"/v.mp4\" controls>"))
        .isEqualTo("<video poster=\"/proxy/p.jpg\" src=\"/proxy/v.mp4\" controls>");
  }

  @Test
  void commentsScriptsAndTextAreLeftAlone() {
    String page = "<!doctype html><!-- <a href=\"/c\"> --><script>var s = '<a href=\"/s\">';</script>"
        + "<p>1 < 2 and <a href=\"/yes\">a</a></p><style>a[href=\"/st\"]{}</style>";
    assertThat(rewrite(page)).isEqualTo("<!doctype html><!-- <a href=\"/c\"> --><script>var s = '<a href=\"/s\">';</script>"
        + "<p>1 < 2 and <a href=\"/proxy/yes\">a</a></p><style>a[href=\"/st\"]{}</style>");
  }

  @Test
  void valuesAreUnescapedForTheRewriteAndEscapedAfter() {
    assertThat(rewrite("<a href=\"/q?a=1&amp;b=2\">")).isEqualTo("<a href=\"/proxy/q?a=1&amp;b=2\">");
    // a value left as it was keeps its own spelling
    assertThat(rewrite("<a href=\"http://x/?a=1&amp;b=2\">")).isEqualTo("<a href=\"http://x/?a=1&amp;b=2\">");
  }

  @Test
  void pagesInAContentCodingComeBackInIt() {
    byte[] page = "<a href=\"/x\">é</a>".getBytes(StandardCharsets.UTF_8);
    for (String coding : new String[] {"", "gzip", "deflate"}) {
      byte[] sent = ResourceProxy.Pages.encode(page, coding);
      assertThat(ResourceProxy.Pages.decode(sent, coding)).isEqualTo(page);
    }
  }
}
