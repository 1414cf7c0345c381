package io.kubeactor.controlplane.e2e;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The official Kubernetes Python client (Debian's python3-kubernetes) for scripts against a test
 * cluster. A missing client fails the test: `./kubeactor test` installs it
 * (scripts/ensure-python-client.sh) and names the interpreter in KUBEACTOR_TEST_PYTHON.
 */
public final class PythonClient {
  private PythonClient() {}

  /** The client for a cluster's kubeconfig; fails when no python3 with the kubernetes package is found. */
  public static ScriptClient forCluster(TestCluster cluster) throws IOException {
    return forKubeconfig(cluster.kubeconfig());
  }

  public static ScriptClient forKubeconfig(Path kubeconfig) throws IOException {
    List<String> candidates = new ArrayList<>();
    String configured = System.getenv("KUBEACTOR_TEST_PYTHON");
    if (configured != null && !configured.isBlank()) candidates.add(configured);
    // Debian's package is installed for Debian's interpreter, which a python3 earlier on PATH (pyenv, a venv) may hide
    candidates.addAll(List.of("python3", "/usr/bin/python3"));
    Path dir = Files.createTempDirectory("kubeactor-python");
    for (String python : candidates) {
      ScriptClient client = new ScriptClient(List.of(python), ".py", kubeconfig, dir);
      ScriptClient.Result probe = client.run("import kubernetes; print(kubernetes.__version__)");
      if (probe.exitCode() == 0) return client;
    }
    throw new AssertionError("no python3 with the kubernetes client (tried " + candidates
        + "): install Debian's python3-kubernetes (scripts/ensure-python-client.sh does) or set KUBEACTOR_TEST_PYTHON");
  }
}
