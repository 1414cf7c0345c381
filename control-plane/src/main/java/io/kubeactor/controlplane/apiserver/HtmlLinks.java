package io.kubeactor.controlplane.apiserver;

import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.function.UnaryOperator;

/**
 * The URLs in an HTML page's tags, rewritten so that a page read through pods/proxy or services/proxy
 * links back through the proxy: kube-apiserver's proxy transport does this (apimachinery
 * util/proxy/transport.go, with the same tags and attributes). Only those attribute values change;
 * every other byte of the page stays as it was. Pages are read byte for byte (ISO-8859-1), so any
 * encoding of the text passes through.
 */
final class HtmlLinks {
  private HtmlLinks() {}

  /** Which attributes of which tags hold URLs (upstream's atomsToAttrs). */
  static final Map<String, Set<String>> URL_ATTRIBUTES = Map.ofEntries(
      Map.entry("a", Set.of("href")), Map.entry("applet", Set.of("codebase")), Map.entry("area", Set.of("href")),
      Map.entry("audio", Set.of("src")), Map.entry("base", Set.of("href")), Map.entry("blockquote", Set.of("cite")),
      Map.entry("body", Set.of("background")), Map.entry("button", Set.of("formaction")),
      Map.entry("command", Set.of("icon")), Map.entry("del", Set.of("cite")), Map.entry("embed", Set.of("src")),
      Map.entry("form", Set.of("action")), Map.entry("frame", Set.of("longdesc", "src")),
      Map.entry("head", Set.of("profile")), Map.entry("html", Set.of("manifest")),
      Map.entry("iframe", Set.of("longdesc", "src")), Map.entry("img", Set.of("longdesc", "src", "usemap")),
      Map.entry("input", Set.of("src", "usemap", "formaction")), Map.entry("ins", Set.of("cite")),
      Map.entry("link", Set.of("href")), Map.entry("object", Set.of("classid", "codebase", "data", "usemap")),
      Map.entry("q", Set.of("cite")), Map.entry("script", Set.of("src")), Map.entry("source", Set.of("src")),
      Map.entry("video", Set.of("poster", "src")));

  /** Elements whose content is text to the end tag, never tags. */
  private static final Set<String> RAW_TEXT = Set.of("script", "style", "textarea", "title", "xmp", "iframe",
      "noembed", "noframes", "plaintext");

  /** The page with each URL attribute value replaced by what {@code rewrite} makes of it (unescaped, then escaped again). */
  static String rewrite(String html, UnaryOperator<String> rewrite) {
    StringBuilder out = new StringBuilder(html.length() + 256);
    int i = 0;
    int n = html.length();
    while (i < n) {
      int lt = html.indexOf('<', i);
      if (lt < 0) {
        out.append(html, i, n);
        break;
      }
      out.append(html, i, lt);
      if (html.startsWith("<!--", lt)) {
        int end = html.indexOf("-->", lt + 4);
        int stop = end < 0 ? n : end + 3;
        out.append(html, lt, stop);
        i = stop;
        continue;
      }
      if (lt + 1 < n && (html.charAt(lt + 1) == '!' || html.charAt(lt + 1) == '?' || html.charAt(lt + 1) == '/')) {
        int end = html.indexOf('>', lt + 1);
        int stop = end < 0 ? n : end + 1;
        out.append(html, lt, stop);
        i = stop;
        continue;
      }
      if (lt + 1 >= n || !Character.isLetter(html.charAt(lt + 1))) {
        out.append('<');
        i = lt + 1;
        continue;
      }
      i = startTag(html, lt, out, rewrite);
      String name = tagName(html, lt);
      if (RAW_TEXT.contains(name)) {
        // its text runs to its end tag
        int end = html.toLowerCase(Locale.ROOT).indexOf("</" + name, i);
        int stop = end < 0 ? n : end;
        out.append(html, i, stop);
        i = stop;
      }
    }
    return out.toString();
  }

  private static String tagName(String html, int lt) {
    int j = lt + 1;
    while (j < html.length() && !Character.isWhitespace(html.charAt(j)) && html.charAt(j) != '>' && html.charAt(j) != '/') j++;
    return html.substring(lt + 1, j).toLowerCase(Locale.ROOT);
  }

  /** Copies one start tag to {@code out}, URL values rewritten; answers where the tag ends. */
  private static int startTag(String html, int lt, StringBuilder out, UnaryOperator<String> rewrite) {
    String name = tagName(html, lt);
    Set<String> urlAttributes = URL_ATTRIBUTES.getOrDefault(name, Set.of());
    int n = html.length();
    int j = lt + 1 + name.length();
    out.append(html, lt, j);
    while (j < n) {
      char c = html.charAt(j);
      if (c == '>') {
        out.append(c);
        return j + 1;
      }
      if (Character.isWhitespace(c) || c == '/') {
        out.append(c);
        j++;
        continue;
      }
      // an attribute: its name, then maybe = and a value
      int nameStart = j;
      while (j < n && !Character.isWhitespace(html.charAt(j)) && "=>/".indexOf(html.charAt(j)) < 0) j++;
      String attribute = html.substring(nameStart, j).toLowerCase(Locale.ROOT);
      out.append(html, nameStart, j);
      int k = j;
      while (k < n && Character.isWhitespace(html.charAt(k))) k++;
      if (k >= n || html.charAt(k) != '=') continue;
      k++;
      while (k < n && Character.isWhitespace(html.charAt(k))) k++;
      out.append(html, j, k);
      if (k >= n) return n;
      char quote = html.charAt(k);
      int valueStart;
      int valueEnd;
      if (quote == '"' || quote == '\'') {
        valueStart = k + 1;
        valueEnd = html.indexOf(quote, valueStart);
        if (valueEnd < 0) valueEnd = n;
      } else {
        quote = 0;
        valueStart = k;
        valueEnd = k;
        while (valueEnd < n && !Character.isWhitespace(html.charAt(valueEnd)) && html.charAt(valueEnd) != '>') valueEnd++;
      }
      String value = html.substring(valueStart, valueEnd);
      if (urlAttributes.contains(attribute)) {
        String rewritten = rewrite.apply(unescape(value));
        if (!rewritten.equals(unescape(value))) value = escape(rewritten);
      }
      if (quote != 0) out.append(quote);
      out.append(value);
      j = valueEnd;
      if (quote != 0 && j < n) {
        out.append(quote);
        j++;
      }
    }
    return n;
  }

  private static String unescape(String v) {
    return v.replace("&quot;", "\"").replace("&#34;", "\"").replace("&#39;", "'").replace("&lt;", "<")
        .replace("&gt;", ">").replace("&amp;", "&");
  }

  /** Go's html.EscapeString, as token.String() escapes a value. */
  private static String escape(String v) {
    return v.replace("&", "&amp;").replace("'", "&#39;").replace("<", "&lt;").replace(">", "&gt;")
        .replace("\"", "&#34;");
  }
}
