package io.kubeactor.agent.stream;

import com.github.dockerjava.api.DockerClient;
import com.github.dockerjava.api.async.ResultCallback;
import com.github.dockerjava.api.model.Frame;
import io.kubeactor.agent.stream.ChannelProtocol.TerminalSize;
import java.io.InputStream;
import java.net.URI;

/** The main process of a running container, attached to (kubectl attach, kubectl run -it). */
final class AttachTarget implements RemoteCommandTarget {
  private final DockerClient docker;
  private final URI dockerHost;
  private final String containerId;
  private final boolean tty;
  private final RemoteCommandOptions options;

  /** tty: whether the container has a terminal (its output is then one raw stream). */
  AttachTarget(DockerClient docker, URI dockerHost, String containerId, boolean tty, RemoteCommandOptions options) {
    this.docker = docker;
    this.dockerHost = dockerHost;
    this.containerId = containerId;
    this.tty = tty;
    this.options = options;
  }

  @Override
  public void start(InputStream stdin, ResultCallback<Frame> frames) {
    if (stdin == null) {
      docker.attachContainerCmd(containerId).withStdOut(options.stdout()).withStdErr(options.stderr())
          .withFollowStream(true).withLogs(false).exec(frames);
    } else {
      HijackedStream.start(dockerHost, "/containers/" + containerId + "/attach?stream=1&stdin=1&stdout="
          + (options.stdout() ? 1 : 0) + "&stderr=" + (options.stderr() ? 1 : 0), "", tty, stdin, frames);
    }
  }

  @Override
  public void resize(TerminalSize size) {
    docker.resizeContainerCmd(containerId).withSize(size.height(), size.width()).exec();
  }

  /** As kubelet: an attach that ended (the process exited or closed its output) ended well. */
  @Override
  public byte[] status() {
    return ChannelProtocol.success();
  }
}
