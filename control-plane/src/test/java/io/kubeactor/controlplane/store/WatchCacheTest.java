package io.kubeactor.controlplane.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.kubeactor.common.Json;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** How the cache hands changes to watchers with bounded buffers: never waiting, never losing one. */
class WatchCacheTest {

  /** A sink with room for a few changes; the test takes them as a slow client would. */
  static final class Bounded implements WatchCache.Sink {
    final int room;
    final List<WatchCache.Change> held = new ArrayList<>();
    final List<Long> received = new ArrayList<>();
    int refusals;

    Bounded(int room) {
      this.room = room;
    }

    @Override
    public boolean offer(WatchCache.Change change) {
      if (held.size() >= room) {
        refusals++;
        return false;
      }
      held.add(change);
      return true;
    }

    void takeAll() {
      held.forEach(c -> received.add(c.resourceVersion()));
      held.clear();
    }
  }

  WatchCache cache = new WatchCache(10);
  long rv;

  WatchCacheTest() {
    cache.reset(StoreState.EMPTY);
  }

  void create(String name) {
    StoreState before = cache.state();
    StoreEvent e = new StoreEvent.ObjectAdded("core/configmaps/default/" + name, ++rv, StoredObject.of(configMap(name)));
    cache.publish(before.apply(e), List.of(e));
  }

  static ObjectNode configMap(String name) {
    ObjectNode o = Json.object().put("apiVersion", "v1").put("kind", "ConfigMap");
    o.putObject("metadata").put("name", name).put("namespace", "default");
    return o;
  }

  static List<Long> range(long from, long to) {
    List<Long> l = new ArrayList<>();
    for (long i = from; i <= to; i++) l.add(i);
    return l;
  }

  @Test
  void aFullSinkIsOfferedNothingMoreUntilItResumesThenGetsWhatItMissedInOrder() {
    Bounded slow = new Bounded(3);
    Bounded fast = new Bounded(100);
    WatchCache.Subscription s = cache.subscribeFromNow("core/configmaps/", slow).subscription();
    cache.subscribeFromNow("core/configmaps/", fast);

    for (int i = 0; i < 7; i++) create("c" + i);

    assertThat(slow.held).extracting(WatchCache.Change::resourceVersion).containsExactly(1L, 2L, 3L);
    assertThat(slow.refusals).as("one refusal, then the cache waits for it to resume").isEqualTo(1);
    assertThat(fast.held).hasSize(7);

    slow.takeAll();
    assertThat(s.resume()).isTrue();
    assertThat(slow.held).extracting(WatchCache.Change::resourceVersion).containsExactly(4L, 5L, 6L);
    slow.takeAll();
    assertThat(s.resume()).isTrue();
    create("c7");
    slow.takeAll();

    assertThat(slow.received).isEqualTo(range(1, 8));
  }

  @Test
  void aSinkWhoseMissedChangesLeftTheWindowCannotResume() {
    Bounded slow = new Bounded(2);
    WatchCache.Subscription s = cache.subscribeFromNow("core/configmaps/", slow).subscription();

    for (int i = 0; i < 15; i++) create("c" + i); // the window holds the last 10: rv 6 to 15

    slow.takeAll();
    assertThat(s.resume()).isFalse();
  }

  @Test
  void aWatchFromAResourceVersionTakesTheWindowAsFarAsItHasRoomAndTheRestOnResume() throws Exception {
    for (int i = 0; i < 12; i++) create("c" + i); // the window holds rv 3 to 12
    Bounded watcher = new Bounded(3);

    WatchCache.Subscription s = cache.subscribe(4, "core/configmaps/", watcher);
    create("c12");
    for (int i = 0; i < 5 && !watcher.held.isEmpty(); i++) {
      watcher.takeAll();
      assertThat(s.resume()).isTrue();
    }
    watcher.takeAll();

    assertThat(watcher.received).isEqualTo(range(5, 13));
    assertThatThrownBy(() -> cache.subscribe(2, "core/configmaps/", new Bounded(1)))
        .isInstanceOf(WatchCache.Expired.class);
  }

  @Test
  void theSinksAreTheLiveWatchers() {
    Bounded a = new Bounded(1);
    WatchCache.Subscription s = cache.subscribeFromNow("core/", a).subscription();
    assertThat(cache.sinks()).containsExactly(a);
    s.close();
    assertThat(cache.sinks()).isEmpty();
  }
}
