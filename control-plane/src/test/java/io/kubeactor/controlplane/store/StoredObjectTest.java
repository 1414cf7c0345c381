package io.kubeactor.controlplane.store;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.cbor.CBORFactory;
import io.kubeactor.common.Json;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Objects kept as bytes: what the journal holds now, and what journals written before still hold. */
class StoredObjectTest {

  static final ObjectMapper CBOR = new ObjectMapper(new CBORFactory());

  static ObjectNode pod() {
    ObjectNode o = Json.object().put("apiVersion", "v1").put("kind", "Pod");
    o.putObject("metadata").put("name", "a").put("namespace", "default").put("resourceVersion", "7");
    o.putObject("spec").put("priority", 0).put("ratio", new java.math.BigDecimal("0.10"));
    return o;
  }

  @Test
  void anEventRoundTripsAsBytesAndReadsBackTheSameObject() throws Exception {
    StoreEvent written = new StoreEvent.ObjectAdded("core/pods/default/a", 7, StoredObject.of(pod()));
    byte[] journal = CBOR.writeValueAsBytes(written);
    StoreEvent read = CBOR.readValue(journal, StoreEvent.class);
    assertThat(read).isInstanceOf(StoreEvent.ObjectAdded.class);
    assertThat(read.object().tree()).isEqualTo(pod());
    assertThat(read.object().resourceVersion()).isEqualTo(7);
    // the journal holds the object's bytes as they are (a CBOR byte string), not a tree
    assertThat(CBOR.readTree(journal).get("object").isBinary()).isTrue();
  }

  @Test
  void anEventOfAnOlderJournalHoldingATreeStillReads() throws Exception {
    byte[] old = CBOR.writeValueAsBytes(Map.of("@type", "modified", "key", "core/pods/default/a", "resourceVersion", 7,
        "object", pod()));
    StoreEvent read = CBOR.readValue(old, StoreEvent.class);
    assertThat(read).isInstanceOf(StoreEvent.ObjectModified.class);
    assertThat(read.object().tree()).isEqualTo(pod());
  }

  @Test
  void aSnapshotOfAnOlderJournalHoldingTreesStillReads() throws Exception {
    byte[] old = CBOR.writeValueAsBytes(Map.of("resourceVersion", 9, "objects", Map.of("core/pods/default/a", pod())));
    StoreState state = CBOR.readValue(old, StoreState.class);
    assertThat(state.resourceVersion()).isEqualTo(9);
    assertThat(state.get("core/pods/default/a")).isEqualTo(pod());
    StoreState again = CBOR.readValue(CBOR.writeValueAsBytes(state), StoreState.class);
    assertThat(again.get("core/pods/default/a")).isEqualTo(pod());
  }

  @Test
  void everyTreeIsTheCallersOwn() {
    StoredObject stored = StoredObject.of(pod());
    stored.tree().put("kind", "Changed");
    assertThat(stored.tree().path("kind").asText()).isEqualTo("Pod");
  }
}
