package io.kubeactor.controlplane.scheduler.framework.plugins;

import io.kubeactor.controlplane.scheduler.framework.Plugin;

/** Score normalisations shared by plugins (plugins/helper.DefaultNormalizeScore). */
public final class ScoreNormalizer {
  private ScoreNormalizer() {}

  /**
   * Scales scores so the highest becomes {@link Plugin.Score#MAX_NODE_SCORE}; reversed, the highest
   * becomes 0 and, when all are 0, all become the maximum. Integer arithmetic, as upstream.
   */
  static void byMaximum(long[] scores, boolean reverse) {
    long max = 0;
    for (long score : scores) max = Math.max(max, score);
    if (max == 0) {
      if (reverse) java.util.Arrays.fill(scores, Plugin.Score.MAX_NODE_SCORE);
      return;
    }
    for (int i = 0; i < scores.length; i++) {
      long scaled = Plugin.Score.MAX_NODE_SCORE * scores[i] / max;
      scores[i] = reverse ? Plugin.Score.MAX_NODE_SCORE - scaled : scaled;
    }
  }
}
