package io.kubeactor.agent.network;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * The kernel's networking tools from Debian's packages (nft, iptables, ip, conntrack), run as
 * processes: they are the supported interfaces to the kernel's tables, and what an administrator
 * uses to look at what the agent did. Blocking: called off the actor threads.
 */
public final class Commands {
  private Commands() {}

  /** A tool ended with an error; the message is its own. */
  public static final class Failed extends Exception {
    public Failed(String message) {
      super(message);
    }
  }

  /** Runs the command with {@code input} on its standard input; its output, or Failed with its error. */
  public static String run(List<String> command, String input) throws Failed {
    ProcessBuilder pb = new ProcessBuilder(command).redirectErrorStream(true);
    try {
      Process p = pb.start();
      try (var in = p.getOutputStream()) {
        if (input != null) in.write(input.getBytes(StandardCharsets.UTF_8));
      }
      String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      if (!p.waitFor(60, TimeUnit.SECONDS)) {
        p.destroyForcibly();
        throw new Failed(String.join(" ", command) + " did not finish within 60 s");
      }
      if (p.exitValue() != 0) throw new Failed(String.join(" ", command) + ": " + output.strip());
      return output;
    } catch (IOException e) {
      throw new Failed("cannot run " + command.get(0) + " (" + e.getMessage() + "); install it (Debian: "
          + packageOf(command.get(0)) + ")");
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new Failed(String.join(" ", command) + " was interrupted");
    }
  }

  /** Runs the command; true when it exits 0 (a check such as iptables -C). */
  public static boolean succeeds(List<String> command) {
    try {
      run(command, null);
      return true;
    } catch (Failed e) {
      return false;
    }
  }

  private static String packageOf(String tool) {
    return switch (tool) {
      case "nft" -> "apt-get install nftables";
      case "iptables" -> "apt-get install iptables";
      case "conntrack" -> "apt-get install conntrack";
      default -> "apt-get install iproute2";
    };
  }
}
