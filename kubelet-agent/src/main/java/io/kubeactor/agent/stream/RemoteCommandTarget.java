package io.kubeactor.agent.stream;

import com.github.dockerjava.api.async.ResultCallback;
import com.github.dockerjava.api.model.Frame;
import io.kubeactor.agent.stream.ChannelProtocol.TerminalSize;
import java.io.InputStream;

/** What an exec or attach session drives in Docker. */
interface RemoteCommandTarget {

  /** Starts Docker's stream: stdin (null when not asked for) goes in, frames come out. */
  void start(InputStream stdin, ResultCallback<Frame> frames);

  /** The client's terminal changed size. */
  void resize(TerminalSize size);

  /** The error channel's metav1.Status once the output ended (blocking: called on docker-java's thread). */
  byte[] status();
}
