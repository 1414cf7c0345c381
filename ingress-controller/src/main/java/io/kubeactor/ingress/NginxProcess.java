package io.kubeactor.ingress;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * The nginx beside the controller, as ingress-nginx's controller runs it: the master process in the
 * foreground as this process's child (its logs are the container's), each new configuration checked
 * with {@code nginx -t} before nginx is told to reload it. A reload is nginx's own graceful one: new
 * workers take new connections while the old ones finish the requests they have.
 */
final class NginxProcess {

  /** nginx refused a configuration ({@code nginx -t}) or a command; the message is nginx's. */
  static final class NginxException extends Exception {
    NginxException(String message) {
      super(message);
    }
  }

  private final String binary;
  private final Path configuration;
  private Process master;

  NginxProcess(String binary, Path configuration) {
    this.binary = binary;
    this.configuration = configuration;
  }

  /** Checks a configuration without touching the running nginx. */
  void test(Path candidate) throws NginxException, IOException, InterruptedException {
    run(List.of("-t", "-q", "-c", candidate.toString()), Duration.ofSeconds(30));
  }

  /** Starts nginx on the configuration in place; its output goes to this process's. */
  void start() throws IOException {
    List<String> command = new ArrayList<>(List.of(binary, "-c", configuration.toString(), "-g", "daemon off;"));
    master = new ProcessBuilder(command).inheritIO().start();
  }

  boolean running() {
    return master != null && master.isAlive();
  }

  /**
   * Reloads the configuration in place: SIGHUP to the master, which is what {@code nginx -s reload}
   * sends, without that command's own reading of the whole configuration (to find the pid file:
   * about a second with 1,000 Ingresses).
   */
  void reload() throws NginxException, IOException, InterruptedException {
    if (!running()) throw new NginxException("nginx is not running");
    // the shell's kill: the image has no kill program, and Java signals only TERM and KILL
    Process p = new ProcessBuilder("sh", "-c", "kill -HUP " + master.pid()).redirectErrorStream(true).start();
    boolean exited = p.waitFor(10, TimeUnit.SECONDS);
    if (!exited) p.destroyForcibly();
    if (!exited || p.exitValue() != 0) {
      throw new NginxException("could not signal nginx (pid " + master.pid() + ") to reload: "
          + new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim());
    }
  }

  /** Graceful shutdown: workers finish their requests (SIGQUIT), then the master exits; at most {@code wait}. */
  void quit(Duration wait) throws InterruptedException {
    if (master == null || !master.isAlive()) return;
    try {
      run(List.of("-s", "quit", "-c", configuration.toString()), Duration.ofSeconds(10));
    } catch (NginxException | IOException e) {
      master.destroy();
    }
    if (!master.waitFor(wait.toMillis(), TimeUnit.MILLISECONDS)) master.destroyForcibly();
  }

  private void run(List<String> args, Duration timeout) throws NginxException, IOException, InterruptedException {
    List<String> command = new ArrayList<>();
    command.add(binary);
    command.addAll(args);
    Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
    if (!p.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
      p.destroyForcibly();
      throw new NginxException(String.join(" ", command) + " did not finish within " + timeout.toSeconds() + "s");
    }
    String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
    if (p.exitValue() != 0) throw new NginxException(output.isEmpty() ? "nginx exited with " + p.exitValue() : output);
  }
}
