package io.kubeactor.agent.stream;

import java.util.List;
import org.apache.pekko.http.javadsl.model.Query;

/** The streams asked for by an exec or attach (kubelet's query: stdin=1&stdout=1&tty=1&command=...). */
record RemoteCommandOptions(boolean stdin, boolean stdout, boolean stderr, boolean tty, List<String> command) {

  static RemoteCommandOptions parse(Query q, boolean exec) {
    boolean tty = ContainerLogs.flag(q, "tty");
    boolean stdin = ContainerLogs.flag(q, "stdin");
    boolean stdout = ContainerLogs.flag(q, "stdout");
    // a terminal has one output: kubelet drops stderr when a TTY is asked for
    boolean stderr = ContainerLogs.flag(q, "stderr") && !tty;
    if (!stdin && !stdout && !stderr) {
      throw StreamException.badRequest("you must specify at least 1 of stdin, stdout, stderr");
    }
    // in the order given (Query.getAll answers them reversed)
    List<String> command = q.toList().stream().filter(p -> p.first().equals("command")).map(p -> p.second()).toList();
    if (exec && command.isEmpty()) {
      throw StreamException.badRequest("you must specify at least one command for the container");
    }
    return new RemoteCommandOptions(stdin, stdout, stderr, tty, List.copyOf(command));
  }
}
