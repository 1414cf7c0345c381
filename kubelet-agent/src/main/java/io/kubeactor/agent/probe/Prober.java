package io.kubeactor.agent.probe;

import io.kubeactor.common.InsecureTls;
import com.github.dockerjava.api.async.ResultCallback;
import com.github.dockerjava.api.model.Frame;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.ContainerPort;
import io.fabric8.kubernetes.api.model.IntOrString;
import io.fabric8.kubernetes.api.model.Probe;
import io.kubeactor.agent.runtime.DockerRuntime;
import java.io.IOException;
import java.net.ConnectException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.TrustManager;

/**
 * Runs one probe against a running container, as kubelet's prober does: httpGet (2xx and 3xx
 * succeed; the certificate is not verified, as upstream), tcpSocket (a connection opens) or exec
 * (the command exits 0). Failure messages are kubelet's, for the Unhealthy events.
 */
public final class Prober {

  public record Result(boolean success, String message) {}

  private static final String USER_AGENT = "kube-probe/1.32";
  private final DockerRuntime docker;
  private final HttpClient http;

  public Prober(DockerRuntime docker) {
    this.docker = docker;
    this.http = HttpClient.newBuilder().followRedirects(HttpClient.Redirect.NEVER)
        .connectTimeout(Duration.ofSeconds(10)).sslContext(InsecureTls.context()).build();
  }

  public Result probe(Probe p, Container c, String podIp, String containerId) {
    Duration timeout = Duration.ofSeconds(p.getTimeoutSeconds() == null ? 1 : Math.max(1, p.getTimeoutSeconds()));
    if (p.getHttpGet() != null) {
      var g = p.getHttpGet();
      String scheme = g.getScheme() == null ? "http" : g.getScheme().toLowerCase(java.util.Locale.ROOT);
      String host = g.getHost() == null || g.getHost().isEmpty() ? podIp : g.getHost();
      int port = port(g.getPort(), c);
      String path = g.getPath() == null || g.getPath().isEmpty() ? "/" : g.getPath();
      if (!path.startsWith("/")) path = "/" + path;
      String url = scheme + "://" + hostPort(host, port) + path;
      return httpGet(url, g.getHttpHeaders(), timeout);
    }
    if (p.getTcpSocket() != null) {
      String host = p.getTcpSocket().getHost() == null || p.getTcpSocket().getHost().isEmpty() ? podIp : p.getTcpSocket().getHost();
      int port = port(p.getTcpSocket().getPort(), c);
      try (Socket s = new Socket()) {
        s.connect(new InetSocketAddress(host, port), (int) timeout.toMillis());
        return new Result(true, null);
      } catch (SocketTimeoutException e) {
        return new Result(false, "dial tcp " + hostPort(host, port) + ": i/o timeout");
      } catch (IOException e) {
        return new Result(false, "dial tcp " + hostPort(host, port) + ": connect: connection refused");
      }
    }
    if (p.getExec() != null) {
      return exec(containerId, p.getExec().getCommand(), timeout);
    }
    if (p.getGrpc() != null) {
      return new Result(false, "gRPC probes are not supported on this node");
    }
    return new Result(true, null);
  }

  private Result httpGet(String url, java.util.List<io.fabric8.kubernetes.api.model.HTTPHeader> headers, Duration timeout) {
    HttpRequest.Builder req = HttpRequest.newBuilder(URI.create(url)).timeout(timeout).GET()
        .header("User-Agent", USER_AGENT).header("Accept", "*/*");
    if (headers != null) {
      for (var h : headers) {
        if (h.getName().equalsIgnoreCase("host")) continue; // the JDK client sets Host itself
        req.setHeader(h.getName(), h.getValue());
      }
    }
    try {
      HttpResponse<Void> r = http.send(req.build(), HttpResponse.BodyHandlers.discarding());
      if (r.statusCode() >= 200 && r.statusCode() < 400) return new Result(true, null);
      return new Result(false, "HTTP probe failed with statuscode: " + r.statusCode());
    } catch (HttpTimeoutException e) {
      return new Result(false, "Get \"" + url + "\": context deadline exceeded (Client.Timeout exceeded while awaiting headers)");
    } catch (ConnectException e) {
      String hostPort = URI.create(url).getHost() + ":" + URI.create(url).getPort();
      return new Result(false, "Get \"" + url + "\": dial tcp " + hostPort + ": connect: connection refused");
    } catch (IOException e) {
      return new Result(false, "Get \"" + url + "\": " + e.getMessage());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return new Result(false, "probe interrupted");
    }
  }

  private Result exec(String containerId, java.util.List<String> command, Duration timeout) {
    if (containerId == null) return new Result(false, "container is not running");
    String id = containerId.replaceFirst("^docker://", "");
    var client = docker.client();
    try {
      String execId = client.execCreateCmd(id).withCmd(command.toArray(String[]::new))
          .withAttachStdout(true).withAttachStderr(true).exec().getId();
      StringBuilder output = new StringBuilder();
      var callback = client.execStartCmd(execId).exec(new ResultCallback.Adapter<Frame>() {
        @Override
        public void onNext(Frame frame) {
          synchronized (output) {
            output.append(new String(frame.getPayload(), StandardCharsets.UTF_8));
          }
        }
      });
      if (!callback.awaitCompletion(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
        callback.close();
        return new Result(false, "command timed out: \"" + String.join(" ", command) + "\" timed out after " + timeout.toSeconds() + "s");
      }
      Long code = client.inspectExecCmd(execId).exec().getExitCodeLong();
      if (code != null && code == 0) return new Result(true, null);
      String out;
      synchronized (output) {
        out = output.toString().strip();
      }
      return new Result(false, out);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return new Result(false, "probe interrupted");
    } catch (RuntimeException | IOException e) {
      return new Result(false, DockerRuntime.rootMessage(e));
    }
  }

  /** A port given by number or by the name of one of the container's ports. */
  static int port(IntOrString port, Container c) {
    if (port == null) return 80;
    if (port.getIntVal() != null) return port.getIntVal();
    String name = port.getStrVal();
    if (c.getPorts() != null) {
      for (ContainerPort p : c.getPorts()) {
        if (name.equals(p.getName())) return p.getContainerPort();
      }
    }
    try {
      return Integer.parseInt(name);
    } catch (NumberFormatException e) {
      return -1;
    }
  }

  private static String hostPort(String host, int port) {
    return (host.contains(":") ? "[" + host + "]" : host) + ":" + port;
  }
}
