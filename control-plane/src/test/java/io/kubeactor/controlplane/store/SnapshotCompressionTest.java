package io.kubeactor.controlplane.store;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.cbor.CBORFactory;
import org.apache.pekko.actor.testkit.typed.javadsl.ActorTestKit;
import org.apache.pekko.actor.typed.javadsl.Adapter;
import org.apache.pekko.serialization.Serialization;
import org.apache.pekko.serialization.SerializationExtension;
import org.apache.pekko.serialization.Serializers;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

/** Snapshots go to the journal's database compressed, and those written uncompressed before still read. */
class SnapshotCompressionTest {

  static final ActorTestKit testKit = ActorTestKit.create();
  static final Serialization serialization = SerializationExtension.get(Adapter.toClassic(testKit.system()));

  @AfterAll
  static void shutdown() {
    testKit.shutdownTestKit();
  }

  /** A state of many pods, as a snapshot of a real cluster holds (well past the compression threshold). */
  static StoreState manyPods(int count) {
    StoreState state = StoreState.EMPTY;
    for (int i = 1; i <= count; i++) {
      ObjectNode pod = StoredObjectTest.pod();
      ((ObjectNode) pod.get("metadata")).put("name", "pod-" + i).put("resourceVersion", Integer.toString(i));
      pod.with("spec").putArray("containers").addObject().put("name", "web").put("image", "nginx:1.14.2");
      state = state.apply(new StoreEvent.ObjectAdded("core/pods/default/pod-" + i, i, StoredObject.of(pod)));
    }
    return state;
  }

  @Test
  void aLargeSnapshotIsCompressedAndReadsBackTheSameState() throws Exception {
    StoreState state = manyPods(5_000);
    byte[] raw = new ObjectMapper(new CBORFactory()).writeValueAsBytes(state);

    byte[] snapshot = serialization.serialize(state).get();
    assertThat(snapshot.length).isLessThan(raw.length / 3);

    StoreState read = (StoreState) serialization.deserialize(snapshot, serialization.findSerializerFor(state).identifier(),
        Serializers.manifestFor(serialization.findSerializerFor(state), state)).get();
    assertThat(read.resourceVersion()).isEqualTo(state.resourceVersion());
    assertThat(read.get("core/pods/default/pod-4321")).isEqualTo(state.get("core/pods/default/pod-4321"));
    assertThat(read.withPrefix("core/pods/")).hasSize(5_000);
  }

  @Test
  void aSnapshotWrittenUncompressedStillReads() throws Exception {
    StoreState state = manyPods(2_000);
    // as a build before compression wrote it: the plain CBOR of the state
    byte[] uncompressed = new ObjectMapper(new CBORFactory()).writeValueAsBytes(state);
    var serializer = serialization.findSerializerFor(state);
    StoreState read = (StoreState) serialization.deserialize(uncompressed, serializer.identifier(),
        Serializers.manifestFor(serializer, state)).get();
    assertThat(read.withPrefix("core/pods/")).hasSize(2_000);
    assertThat(read.get("core/pods/default/pod-7")).isEqualTo(state.get("core/pods/default/pod-7"));
  }
}
