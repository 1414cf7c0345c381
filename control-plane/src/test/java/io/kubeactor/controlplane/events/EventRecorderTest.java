package io.kubeactor.controlplane.events;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.fabric8.kubernetes.api.model.Event;
import io.kubeactor.controlplane.controller.ControllerFixture;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class EventRecorderTest {

  private final ControllerFixture fixture = new ControllerFixture();

  @AfterEach
  void stop() {
    fixture.close();
  }

  @Test
  void eventsOnOneObjectInTheSameClockTickAreAllStored() {
    var web = fixture.apply("{apiVersion: v1, kind: ConfigMap, metadata: {name: web, namespace: default}}");
    EventRecorder recorder = fixture.eventRecorder(Clock.fixed(Instant.parse("2026-12-07T10:00:00Z"), ZoneOffset.UTC));

    for (int i = 0; i < 3; i++) recorder.record(web, "Normal", "Evicted", "pod web-" + i + " evicted", "test", null);

    await().untilAsserted(() -> assertThat(fixture.list(Event.class, "default")).extracting(Event::getMessage)
        .containsExactlyInAnyOrder("pod web-0 evicted", "pod web-1 evicted", "pod web-2 evicted"));
  }
}
