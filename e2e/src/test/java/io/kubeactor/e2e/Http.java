package io.kubeactor.e2e;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.Map;

/** Plain HTTP from the host to pods and Services, one new connection a request, so that each is balanced anew. */
public final class Http {
  private Http() {}

  /** One HTTP/1.0 GET on a new connection: the body, or the failure as text starting with "error:". */
  public static String get(String host, int port, String path) {
    try (Socket s = new Socket()) {
      s.connect(new InetSocketAddress(host, port), 2000);
      s.setSoTimeout(3000);
      OutputStream out = s.getOutputStream();
      out.write(("GET " + path + " HTTP/1.0\r\nHost: " + host + "\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
      out.flush();
      InputStream in = s.getInputStream();
      String response = new String(in.readAllBytes(), StandardCharsets.UTF_8);
      int body = response.indexOf("\r\n\r\n");
      if (!response.startsWith("HTTP/1.") || body < 0) return "error: " + response;
      if (!response.startsWith("HTTP/1.1 200") && !response.startsWith("HTTP/1.0 200")) return "error: " + response.lines().findFirst().orElse("");
      return response.substring(body + 4);
    } catch (IOException e) {
      return "error: " + e;
    }
  }

  /** A response: its status code (0 when there was none), its header lines and its body; or the failure in {@code error}. */
  public record Response(int status, String head, String body, String error) {
    public boolean failed() {
      return error != null;
    }

    /** The first value of the header (case-insensitive name), or null. */
    public String header(String name) {
      for (String line : head.split("\r\n")) {
        int colon = line.indexOf(':');
        if (colon > 0 && line.substring(0, colon).trim().equalsIgnoreCase(name)) return line.substring(colon + 1).trim();
      }
      return null;
    }
  }

  /** One HTTP/1.1 GET with {@code Connection: close} on a new connection to the address, for the virtual host, with more headers. */
  public static Response get(String address, int port, String host, String path, Map<String, String> headers) {
    try (Socket s = new Socket()) {
      s.connect(new InetSocketAddress(address, port), 2000);
      s.setSoTimeout(5000);
      StringBuilder request = new StringBuilder("GET " + path + " HTTP/1.1\r\nHost: " + host + "\r\nConnection: close\r\n");
      headers.forEach((k, v) -> request.append(k).append(": ").append(v).append("\r\n"));
      OutputStream out = s.getOutputStream();
      out.write(request.append("\r\n").toString().getBytes(StandardCharsets.US_ASCII));
      out.flush();
      String response = new String(s.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      int end = response.indexOf("\r\n\r\n");
      if (!response.startsWith("HTTP/1.") || end < 0) return new Response(0, "", "", "no HTTP response: " + response);
      String head = response.substring(0, end);
      int status = Integer.parseInt(head.substring(9, 12));
      String body = response.substring(end + 4);
      if ("chunked".equalsIgnoreCase(new Response(status, head, "", null).header("Transfer-Encoding"))) body = unchunk(body);
      return new Response(status, head, body, null);
    } catch (IOException | RuntimeException e) {
      return new Response(0, "", "", e.toString());
    }
  }

  private static String unchunk(String chunked) {
    StringBuilder out = new StringBuilder();
    int i = 0;
    while (i < chunked.length()) {
      int eol = chunked.indexOf("\r\n", i);
      if (eol < 0) break;
      int size = Integer.parseInt(chunked.substring(i, eol).split(";")[0].trim(), 16);
      if (size == 0) break;
      out.append(chunked, eol + 2, eol + 2 + size);
      i = eol + 2 + size + 2;
    }
    return out.toString();
  }
}
