package io.kubeactor.common.metrics;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The samples of a Prometheus text exposition, read back: for whatever checks what a {@code /metrics}
 * endpoint serves (the tests, scripts) without depending on the label order or the number format.
 */
public final class PrometheusSamples {

  /** One sample: its series' name, labels, value and timestamp (0 when there is none). */
  public record Sample(String name, Map<String, String> labels, double value, long timestampMillis) {}

  private static final Pattern LINE = Pattern.compile("([a-zA-Z_:][a-zA-Z0-9_:]*)(?:\\{(.*)})?\\s+(\\S+)(?:\\s+(-?\\d+))?");
  private static final Pattern LABEL = Pattern.compile("([a-zA-Z_][a-zA-Z0-9_]*)=\"((?:[^\"\\\\]|\\\\.)*)\",?");

  private final List<Sample> samples;

  private PrometheusSamples(List<Sample> samples) {
    this.samples = samples;
  }

  public static PrometheusSamples parse(String text) {
    List<Sample> samples = new ArrayList<>();
    for (String line : text.split("\n")) {
      if (line.isBlank() || line.startsWith("#")) continue;
      Matcher m = LINE.matcher(line.strip());
      if (!m.matches()) throw new IllegalArgumentException("not a sample line: " + line);
      Map<String, String> labels = new LinkedHashMap<>();
      if (m.group(2) != null) {
        Matcher l = LABEL.matcher(m.group(2));
        while (l.find()) {
          labels.put(l.group(1), l.group(2).replace("\\\"", "\"").replace("\\n", "\n").replace("\\\\", "\\"));
        }
      }
      samples.add(new Sample(m.group(1), labels, parseValue(m.group(3)), m.group(4) == null ? 0 : Long.parseLong(m.group(4))));
    }
    return new PrometheusSamples(samples);
  }

  private static double parseValue(String v) {
    return switch (v) {
      case "+Inf" -> Double.POSITIVE_INFINITY;
      case "-Inf" -> Double.NEGATIVE_INFINITY;
      case "NaN" -> Double.NaN;
      default -> Double.parseDouble(v);
    };
  }

  public List<Sample> all() {
    return samples;
  }

  /** The samples of the series name whose labels include the given ones (name, value, name, value, ...). */
  public List<Sample> find(String name, String... labels) {
    List<Sample> found = new ArrayList<>();
    for (Sample s : samples) {
      if (s.name().equals(name) && hasLabels(s, labels)) found.add(s);
    }
    return found;
  }

  /** The value of the one sample of name with exactly these labels, if there is one. */
  public Optional<Double> value(String name, String... labels) {
    for (Sample s : samples) {
      if (s.name().equals(name) && s.labels().size() == labels.length / 2 && hasLabels(s, labels)) {
        return Optional.of(s.value());
      }
    }
    return Optional.empty();
  }

  /** The sum of the values of name's samples whose labels include the given ones (0 when there are none). */
  public double sum(String name, String... labels) {
    return find(name, labels).stream().mapToDouble(Sample::value).sum();
  }

  private static boolean hasLabels(Sample s, String[] labels) {
    for (int i = 0; i + 1 < labels.length; i += 2) {
      if (!labels[i + 1].equals(s.labels().get(labels[i]))) return false;
    }
    return true;
  }
}
