package io.kubeactor.ingress;

import io.fabric8.kubernetes.api.model.Event;
import io.fabric8.kubernetes.api.model.EventBuilder;
import io.fabric8.kubernetes.api.model.networking.v1.Ingress;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;
import io.kubeactor.ingress.config.IngressEvent;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Events on Ingresses, from the component ingress-nginx's recorder names ({@code nginx-ingress-controller}):
 * "Sync" as an Ingress is taken in, and what a rendering found wrong with one (a missing Service, a bad
 * annotation). A problem is reported when it first appears, not again at every sync while it lasts;
 * one that goes and comes back is reported again, counted up on the event already recorded.
 */
final class IngressEvents {

  static final String COMPONENT = "nginx-ingress-controller";

  private static final Logger log = LoggerFactory.getLogger(IngressEvents.class);

  private final KubernetesClient client;
  private final String instance;
  private final AtomicLong sequence = new AtomicLong(System.nanoTime());
  /** The events recorded, by Ingress, type, reason and message: the most recent 4,096, as client-go's correlator keeps. */
  private final Map<String, Recorded> recorded = new java.util.LinkedHashMap<>(256, 0.75f, true) {
    @Override
    protected boolean removeEldestEntry(Map.Entry<String, Recorded> eldest) {
      return size() > 4096;
    }
  };
  /** The problems reported at the last sync, as "namespace/name|type|reason|message". */
  private Set<String> reported = Set.of();

  /** Where events are written, one at a time and in order: the informers' and the sync's threads never wait on the API. */
  private final java.util.concurrent.ExecutorService writer = java.util.concurrent.Executors.newSingleThreadExecutor(r -> {
    Thread t = new Thread(r, "ingress-events");
    t.setDaemon(true);
    return t;
  });

  IngressEvents(KubernetesClient client, String instance) {
    this.client = client;
    this.instance = instance;
  }

  /** The rendering's problems: those new since the last sync are recorded on their Ingress. */
  void problems(List<IngressEvent> problems, List<Ingress> ingresses) {
    Map<String, Ingress> byKey = ingresses.stream()
        .collect(Collectors.toMap(i -> i.getMetadata().getNamespace() + "/" + i.getMetadata().getName(), Function.identity(),
            (a, b) -> a));
    Set<String> now = new HashSet<>();
    for (IngressEvent p : problems) {
      String key = p.namespace() + "/" + p.name() + "|" + p.type() + "|" + p.reason() + "|" + p.message();
      now.add(key);
      if (reported.contains(key)) continue;
      Ingress ingress = byKey.get(p.namespace() + "/" + p.name());
      if (ingress != null) record(ingress, p.type(), p.reason(), p.message());
    }
    reported = now;
  }

  /**
   * One event on the Ingress; the same event again (same Ingress, type, reason and message) counts
   * up the one already recorded, as client-go's event correlator does. A failure to record it is
   * logged, never thrown (events are best effort, as client-go's).
   */
  void record(Ingress ingress, String type, String reason, String message) {
    writer.execute(() -> write(ingress, type, reason, message));
  }

  /** On the writer's thread only: the correlator's map is its own. */
  private void write(Ingress ingress, String type, String reason, String message) {
    String now = Instant.now().truncatedTo(ChronoUnit.SECONDS).toString();
    String ns = ingress.getMetadata().getNamespace();
    String key = ns + "/" + ingress.getMetadata().getUid() + "|" + type + "|" + reason + "|" + message;
    Recorded seen = recorded.get(key);
    try {
      if (seen != null) {
        int count = seen.count() + 1;
        client.v1().events().inNamespace(ns).withName(seen.name())
            .patch(PatchContext.of(PatchType.JSON_MERGE), "{\"count\":" + count + ",\"lastTimestamp\":\"" + now + "\"}");
        recorded.put(key, new Recorded(seen.name(), count));
        return;
      }
      Event event = new EventBuilder()
          .withNewMetadata()
            .withName(ingress.getMetadata().getName() + "." + Long.toHexString(sequence.incrementAndGet()))
            .withNamespace(ns)
          .endMetadata()
          .withNewInvolvedObject()
            .withApiVersion("networking.k8s.io/v1").withKind("Ingress").withNamespace(ns)
            .withName(ingress.getMetadata().getName()).withUid(ingress.getMetadata().getUid())
            .withResourceVersion(ingress.getMetadata().getResourceVersion())
          .endInvolvedObject()
          .withType(type).withReason(reason).withMessage(message)
          .withNewSource().withComponent(COMPONENT).endSource()
          .withReportingComponent(COMPONENT).withReportingInstance(instance)
          .withFirstTimestamp(now).withLastTimestamp(now).withCount(1)
          .build();
      client.v1().events().inNamespace(ns).resource(event).create();
      recorded.put(key, new Recorded(event.getMetadata().getName(), 1));
    } catch (KubernetesClientException e) {
      // an event counted up that is gone (expired, deleted) is recorded anew next time
      recorded.remove(key);
      log.warn("could not record event {} on Ingress {}/{}: {}", reason, ns, ingress.getMetadata().getName(), e.getMessage());
    }
  }

  private record Recorded(String name, int count) {}

  /** Events already handed over are written (at most a few seconds), then the writer stops. */
  void close() {
    writer.shutdown();
    try {
      writer.awaitTermination(5, java.util.concurrent.TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
