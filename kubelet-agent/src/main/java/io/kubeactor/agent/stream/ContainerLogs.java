package io.kubeactor.agent.stream;

import com.github.dockerjava.api.DockerClient;
import com.github.dockerjava.api.command.LogContainerCmd;
import com.github.dockerjava.api.model.StreamType;
import java.time.Clock;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.List;
import java.util.Optional;
import org.apache.pekko.NotUsed;
import org.apache.pekko.http.javadsl.model.Query;
import org.apache.pekko.stream.javadsl.Source;
import org.apache.pekko.util.ByteString;

/** A container's log from Docker, stdout and stderr interleaved as written, with kubelet's options. */
final class ContainerLogs {
  private ContainerLogs() {}

  /** The query of GET /containerLogs/...: kubelet's (and PodLogOptions') names. */
  record Options(boolean follow, boolean previous, boolean timestamps, Long tailLines, Instant since, Long limitBytes) {

    static Options parse(Query q, Clock clock) {
      Long sinceSeconds = number(q, "sinceSeconds");
      Optional<String> sinceTime = q.get("sinceTime").filter(s -> !s.isEmpty());
      Long tailLines = number(q, "tailLines");
      Long limitBytes = number(q, "limitBytes");
      // PodLogOptions' validation, in case a caller other than the API server asks
      if (tailLines != null && tailLines < 0) throw StreamException.badRequest("tailLines: must be greater than or equal to 0");
      if (limitBytes != null && limitBytes < 1) throw StreamException.badRequest("limitBytes: must be greater than 0");
      if (sinceSeconds != null && sinceTime.isPresent()) {
        throw StreamException.badRequest("at most one of `sinceTime` or `sinceSeconds` may be specified");
      }
      if (sinceSeconds != null && sinceSeconds < 1) throw StreamException.badRequest("sinceSeconds: must be greater than 0");
      Instant since = null;
      if (sinceSeconds != null) since = clock.instant().minusSeconds(sinceSeconds);
      if (sinceTime.isPresent()) {
        try {
          since = OffsetDateTime.parse(sinceTime.get()).toInstant();
        } catch (DateTimeParseException e) {
          throw StreamException.badRequest("sinceTime: invalid RFC 3339 time: " + sinceTime.get());
        }
      }
      return new Options(flag(q, "follow"), flag(q, "previous"), flag(q, "timestamps"), tailLines, since, limitBytes);
    }
  }

  static Source<ByteString, NotUsed> stream(DockerClient docker, String containerId, Options o) {
    LogContainerCmd cmd = docker.logContainerCmd(containerId).withStdOut(true).withStdErr(true)
        .withFollowStream(o.follow()).withTimestamps(o.timestamps());
    if (o.tailLines() != null) cmd.withTail((int) Math.min(o.tailLines(), Integer.MAX_VALUE));
    if (o.since() != null) cmd.withSince((int) Math.max(0, o.since().getEpochSecond()));
    Source<ByteString, NotUsed> log = DockerFrames.source(cmd::exec,
        frame -> frame.getStreamType() == StreamType.STDIN ? null : ByteString.fromArray(frame.getPayload()),
        failure -> List.of());
    return o.limitBytes() == null ? log : limited(log, o.limitBytes());
  }

  private record Chunk(ByteString bytes, boolean last) {}

  /** The first limit bytes, then the end (of a followed log too). */
  private static Source<ByteString, NotUsed> limited(Source<ByteString, NotUsed> log, long limit) {
    return log.statefulMapConcat(() -> {
      long[] left = {limit};
      return bytes -> {
        ByteString taken = bytes.take((int) Math.min(left[0], bytes.size()));
        left[0] -= taken.size();
        return List.of(new Chunk(taken, left[0] == 0));
      };
    }).takeWhile(c -> !c.last(), true).map(Chunk::bytes);
  }

  static boolean flag(Query q, String name) {
    String v = q.get(name).orElse("false");
    return switch (v) {
      case "true", "1", "True", "TRUE", "t", "T" -> true;
      case "false", "0", "False", "FALSE", "f", "F", "" -> false;
      default -> throw StreamException.badRequest(name + ": invalid boolean value: " + v);
    };
  }

  private static Long number(Query q, String name) {
    Optional<String> v = q.get(name).filter(s -> !s.isEmpty());
    if (v.isEmpty()) return null;
    try {
      return Long.parseLong(v.get());
    } catch (NumberFormatException e) {
      throw StreamException.badRequest(name + ": invalid integer value: " + v.get());
    }
  }
}
