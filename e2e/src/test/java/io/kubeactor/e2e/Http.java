package io.kubeactor.e2e;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;

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

}
