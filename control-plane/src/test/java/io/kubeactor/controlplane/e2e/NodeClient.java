package io.kubeactor.controlplane.e2e;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * The official Kubernetes JavaScript client (@kubernetes/client-node from npm, on Node.js) for
 * scripts against a test cluster: ES modules that import '@kubernetes/client-node'. A missing client
 * fails the test: `./kubeactor test` installs it (scripts/ensure-node-client.sh) and names its
 * directory in KUBEACTOR_TEST_NODE_CLIENT.
 */
public final class NodeClient {
  private NodeClient() {}

  /** The client for a kubeconfig; fails when the client is not installed or is not {@code version}. */
  public static ScriptClient forKubeconfig(Path kubeconfig, String version) throws IOException {
    String installed = System.getenv("KUBEACTOR_TEST_NODE_CLIENT");
    if (installed == null || installed.isBlank()) {
      throw new AssertionError("KUBEACTOR_TEST_NODE_CLIENT is not set: run the tests with ./kubeactor test, or export "
          + "what scripts/ensure-node-client.sh prints");
    }
    Path modules = Path.of(installed, "node_modules");
    if (!Files.isDirectory(modules.resolve("@kubernetes/client-node"))) {
      throw new AssertionError("no @kubernetes/client-node in " + modules + " (scripts/ensure-node-client.sh installs it)");
    }
    // Node.js resolves an ES module's imports from the node_modules beside the script or above it
    Path dir = Files.createTempDirectory("kubeactor-node");
    Files.createSymbolicLink(dir.resolve("node_modules"), modules);
    ScriptClient client = new ScriptClient(List.of("node"), ".mjs", kubeconfig, dir);
    String found = client.run("""
        import { readFileSync } from 'node:fs';
        import { createRequire } from 'node:module';
        const manifest = createRequire(import.meta.url).resolve('@kubernetes/client-node/package.json');
        console.log(JSON.parse(readFileSync(manifest, 'utf8')).version);
        """).outOrFail().strip();
    if (!found.equals(version)) {
      throw new AssertionError("@kubernetes/client-node " + found + " is installed in " + modules + ", the tests drive "
          + version + " (scripts/node-client pins it)");
    }
    return client;
  }
}
