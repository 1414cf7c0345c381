package io.kubeactor.agent.stream;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.kubeactor.common.Json;
import java.util.List;
import java.util.Optional;
import org.apache.pekko.util.ByteString;

/**
 * Kubernetes' WebSocket channel protocols for exec and attach: every binary message starts with its
 * channel's byte. v4 added the error channel's metav1.Status; v5 the close signal (255, channel) by
 * which a client half-closes its stdin.
 */
public final class ChannelProtocol {
  private ChannelProtocol() {}

  public static final String V5 = "v5.channel.k8s.io";
  public static final String V4 = "v4.channel.k8s.io";
  /** The protocols spoken, most preferred first. */
  public static final List<String> SUPPORTED = List.of(V5, V4);

  public static final byte STDIN = 0;
  public static final byte STDOUT = 1;
  public static final byte STDERR = 2;
  public static final byte ERROR = 3;
  public static final byte RESIZE = 4;
  public static final byte CLOSE = (byte) 255;

  /** The first protocol the client asked for that is spoken here. */
  public static Optional<String> choose(Iterable<String> requested) {
    for (String p : requested) {
      if (SUPPORTED.contains(p.trim())) return Optional.of(p.trim());
    }
    return Optional.empty();
  }

  public static ByteString frame(byte channel, byte[] data) {
    return ByteString.fromArray(new byte[] {channel}).concat(ByteString.fromArray(data));
  }

  /** The error channel's message when the command ended well. */
  public static byte[] success() {
    ObjectNode s = Json.object();
    s.putObject("metadata");
    s.put("status", "Success");
    return Json.bytes(s);
  }

  /** The error channel's message for a non-zero exit code: kubectl exits with that code. */
  public static byte[] nonZeroExit(List<String> command, long exitCode) {
    ObjectNode s = Json.object();
    s.putObject("metadata");
    s.put("status", "Failure");
    s.put("message", "command terminated with non-zero exit code: error executing command " + command
        + ", exit code " + exitCode);
    s.put("reason", "NonZeroExitCode");
    s.putObject("details").putArray("causes").addObject().put("reason", "ExitCode").put("message", Long.toString(exitCode));
    return Json.bytes(s);
  }

  /** The error channel's message when the command could not run. */
  public static byte[] internalError(String message) {
    ObjectNode s = Json.object();
    s.putObject("metadata");
    s.put("status", "Failure");
    s.put("message", "Internal error occurred: " + message);
    s.put("reason", "InternalError");
    s.putObject("details").putArray("causes").addObject().put("message", message);
    s.put("code", 500);
    return Json.bytes(s);
  }

  /** A resize message's terminal size: {"Width":80,"Height":24}. */
  public record TerminalSize(int width, int height) {
    static Optional<TerminalSize> parse(byte[] json) {
      try {
        JsonNode n = Json.parse(json);
        int w = n.path("Width").asInt(0);
        int h = n.path("Height").asInt(0);
        return w > 0 && h > 0 ? Optional.of(new TerminalSize(w, h)) : Optional.empty();
      } catch (RuntimeException malformed) {
        return Optional.empty();
      }
    }
  }
}
