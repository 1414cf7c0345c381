package io.kubeactor.agent.stream;

import com.github.dockerjava.api.DockerClient;
import com.github.dockerjava.api.async.ResultCallback;
import com.github.dockerjava.api.command.InspectExecResponse;
import com.github.dockerjava.api.model.Frame;
import io.kubeactor.agent.stream.ChannelProtocol.TerminalSize;
import java.io.InputStream;
import java.net.URI;
import java.util.List;
import java.util.concurrent.locks.LockSupport;

/** A command run in a running container: a Docker exec instance, its exit code reported at the end. */
final class ExecTarget implements RemoteCommandTarget {

  /** How long Docker may take to record the exit code once the output ended. */
  private static final long EXIT_CODE_WAIT_NANOS = 5_000_000_000L;

  private final DockerClient docker;
  private final URI dockerHost;
  private final String execId;
  private final RemoteCommandOptions options;

  private ExecTarget(DockerClient docker, URI dockerHost, String execId, RemoteCommandOptions options) {
    this.docker = docker;
    this.dockerHost = dockerHost;
    this.execId = execId;
    this.options = options;
  }

  /** Creates the exec instance (blocking), so that a failure still answers the HTTP request. */
  static ExecTarget create(DockerClient docker, URI dockerHost, String containerId, RemoteCommandOptions options) {
    String id = docker.execCreateCmd(containerId)
        .withCmd(options.command().toArray(String[]::new))
        .withAttachStdin(options.stdin())
        .withAttachStdout(options.stdout())
        .withAttachStderr(options.stderr())
        .withTty(options.tty())
        .exec().getId();
    return new ExecTarget(docker, dockerHost, id, options);
  }

  @Override
  public void start(InputStream stdin, ResultCallback<Frame> frames) {
    if (stdin == null) {
      docker.execStartCmd(execId).withDetach(false).withTty(options.tty()).exec(frames);
    } else {
      HijackedStream.start(dockerHost, "/exec/" + execId + "/start", "{\"Detach\":false,\"Tty\":" + options.tty() + "}",
          options.tty(), stdin, frames);
    }
  }

  @Override
  public void resize(TerminalSize size) {
    docker.resizeExecCmd(execId).withSize(size.height(), size.width()).exec();
  }

  @Override
  public byte[] status() {
    long deadline = System.nanoTime() + EXIT_CODE_WAIT_NANOS;
    InspectExecResponse exec = docker.inspectExecCmd(execId).exec();
    while (Boolean.TRUE.equals(exec.isRunning()) && System.nanoTime() < deadline) {
      LockSupport.parkNanos(20_000_000L);
      exec = docker.inspectExecCmd(execId).exec();
    }
    Long code = exec.getExitCodeLong();
    if (code == null || Boolean.TRUE.equals(exec.isRunning())) {
      return ChannelProtocol.internalError("the command's exit code is unknown: its output ended but it still runs");
    }
    return code == 0 ? ChannelProtocol.success() : ChannelProtocol.nonZeroExit(List.copyOf(options.command()), code);
  }
}
