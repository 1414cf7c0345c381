package io.kubeactor.controlplane.e2e;

import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Runs scripts of a Kubernetes client in another language (the official Python and JavaScript
 * clients) against a test cluster: each script gets the kubeconfig's path as its first argument.
 */
public final class ScriptClient {

  public record Result(int exitCode, String out, String err) {
    public String outOrFail() {
      if (exitCode != 0) throw new AssertionError("the client's script failed (" + exitCode + "):\n" + err + out);
      return out;
    }
  }

  private final List<String> interpreter;
  private final String suffix;
  private final Path kubeconfig;
  private final Path dir;

  /**
   * @param interpreter the command that runs a script file given after it
   * @param suffix the script files' (".py", ".mjs")
   * @param dir where the scripts and their output go; HOME for them
   */
  public ScriptClient(List<String> interpreter, String suffix, Path kubeconfig, Path dir) {
    this.interpreter = List.copyOf(interpreter);
    this.suffix = suffix;
    this.kubeconfig = kubeconfig;
    this.dir = dir;
  }

  /** Runs a script with the kubeconfig's path as its first argument; at most two minutes. */
  public Result run(String script, String... args) {
    try {
      return start(script, args).finish();
    } catch (IOException e) {
      return new Result(127, "", "could not run " + interpreter + ": " + e.getMessage());
    }
  }

  /** A script left running, for a test that acts while it runs. */
  public Running start(String script, String... args) throws IOException {
    Path file = Files.createTempFile(dir, "script", suffix);
    Files.writeString(file, script);
    List<String> cmd = new ArrayList<>(interpreter);
    cmd.add(file.toString());
    cmd.add(kubeconfig.toString());
    cmd.addAll(List.of(args));
    Path out = Files.createTempFile(dir, "out", ".txt");
    Path err = Files.createTempFile(dir, "err", ".txt");
    ProcessBuilder pb = new ProcessBuilder(cmd).redirectOutput(out.toFile()).redirectError(err.toFile());
    pb.environment().put("HOME", dir.toString());
    Process p = pb.start();
    p.getOutputStream().close();
    return new Running(p, out, err);
  }

  /** A script's process, and the files its output goes to. */
  public record Running(Process process, Path out, Path err) {

    /** Waits (at most a minute) until the script has printed {@code text}; fails if it ends first. */
    public void awaitOutput(String text) {
      await().atMost(Duration.ofSeconds(60)).until(() -> {
        if (Files.readString(out).contains(text)) return true;
        if (!process.isAlive()) throw new AssertionError("the script ended before it printed " + text + ":\n" + output());
        return false;
      });
    }

    /** Waits (at most two minutes) for the script to end. */
    public Result finish() {
      try {
        if (!process.waitFor(120, TimeUnit.SECONDS)) {
          process.destroyForcibly();
          throw new AssertionError("the script did not finish in 120 s:\n" + output());
        }
        return new Result(process.exitValue(), Files.readString(out, StandardCharsets.UTF_8),
            Files.readString(err, StandardCharsets.UTF_8));
      } catch (IOException e) {
        throw new AssertionError("cannot read the script's output: " + e, e);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new AssertionError("interrupted", e);
      }
    }

    private String output() throws IOException {
      return Files.readString(out) + Files.readString(err);
    }
  }
}
