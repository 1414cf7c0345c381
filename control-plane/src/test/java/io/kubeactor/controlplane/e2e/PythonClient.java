package io.kubeactor.controlplane.e2e;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Runs Python scripts with the official Kubernetes client (Debian's python3-kubernetes) against a
 * test cluster. A missing client fails the test: `./kubeactor test` installs it
 * (scripts/ensure-python-client.sh) and names the interpreter in KUBEACTOR_TEST_PYTHON.
 */
public final class PythonClient {

  public record Result(int exitCode, String out, String err) {
    public String outOrFail() {
      if (exitCode != 0) throw new AssertionError("the Python client failed (" + exitCode + "):\n" + err + out);
      return out;
    }
  }

  private final String python;
  private final Path kubeconfig;
  private final Path dir;

  private PythonClient(String python, Path kubeconfig, Path dir) {
    this.python = python;
    this.kubeconfig = kubeconfig;
    this.dir = dir;
  }

  /** The client for a cluster's kubeconfig; fails when no python3 with the kubernetes package is found. */
  public static PythonClient forCluster(TestCluster cluster) throws IOException {
    List<String> candidates = new ArrayList<>();
    String configured = System.getenv("KUBEACTOR_TEST_PYTHON");
    if (configured != null && !configured.isBlank()) candidates.add(configured);
    // Debian's package is installed for Debian's interpreter, which a python3 earlier on PATH (pyenv, a venv) may hide
    candidates.addAll(List.of("python3", "/usr/bin/python3"));
    Path dir = Files.createTempDirectory("kubeactor-python");
    for (String python : candidates) {
      PythonClient client = new PythonClient(python, cluster.kubeconfig(), dir);
      Result probe = client.run("import kubernetes; print(kubernetes.__version__)");
      if (probe.exitCode() == 0) return client;
    }
    throw new AssertionError("no python3 with the kubernetes client (tried " + candidates
        + "): install Debian's python3-kubernetes (scripts/ensure-python-client.sh does) or set KUBEACTOR_TEST_PYTHON");
  }

  /** Runs a script with the kubeconfig's path as its first argument; at most two minutes. */
  public Result run(String script, String... args) {
    try {
      Path file = Files.createTempFile(dir, "script", ".py");
      Files.writeString(file, script);
      List<String> cmd = new ArrayList<>(List.of(python, file.toString(), kubeconfig.toString()));
      cmd.addAll(List.of(args));
      Path out = Files.createTempFile(dir, "out", ".txt");
      Path err = Files.createTempFile(dir, "err", ".txt");
      ProcessBuilder pb = new ProcessBuilder(cmd).redirectOutput(out.toFile()).redirectError(err.toFile());
      pb.environment().put("HOME", dir.toString());
      Process p = pb.start();
      p.getOutputStream().close();
      if (!p.waitFor(120, TimeUnit.SECONDS)) {
        p.destroyForcibly();
        throw new AssertionError("the Python script did not finish in 120 s: " + Files.readString(out) + Files.readString(err));
      }
      return new Result(p.exitValue(), Files.readString(out, StandardCharsets.UTF_8), Files.readString(err, StandardCharsets.UTF_8));
    } catch (IOException e) {
      return new Result(127, "", "could not run " + python + ": " + e.getMessage());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError("interrupted", e);
    }
  }
}
