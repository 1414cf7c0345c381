package io.kubeactor.controlplane.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.node.ObjectNode;
import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import io.kubeactor.common.Json;
import io.kubeactor.controlplane.security.EncryptionConfiguration;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.sql.DriverManager;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.apache.pekko.actor.testkit.typed.javadsl.ActorTestKit;
import org.apache.pekko.actor.testkit.typed.javadsl.TestProbe;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.persistence.jdbc.testkit.javadsl.SchemaUtils;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Secrets at rest, asserted on the rows the store really writes: the store runs on the JDBC journal
 * and snapshot store over an H2 file, as the control plane's, and the tests read that file's
 * event_journal and snapshot tables.
 */
class SecretsAtRestTest {

  static final String KEY1 = Base64.getEncoder().encodeToString(bytes(32, 1));
  static final String KEY2 = Base64.getEncoder().encodeToString(bytes(32, 2));
  static final String PASSWORD = "s3cr3t-Passw0rd";
  /** How the password appears in a Secret's JSON (its data is base64). */
  static final String PASSWORD_IN_JSON = Base64.getEncoder().encodeToString(PASSWORD.getBytes(StandardCharsets.UTF_8));
  static final String VISIBLE = "a-config-value-anyone-may-read";

  @TempDir
  Path dir;
  String url;
  ActorTestKit testKit;
  WatchCache cache;
  ActorRef<ObjectStore.Command> store;
  ActorRef<Checkpointer.Command> checkpointer;

  @BeforeEach
  void startSystem() throws Exception {
    url = "jdbc:h2:file:" + dir.resolve("store") + ";WRITE_DELAY=0";
    Config config = ConfigFactory.parseString("""
        pekko-persistence-jdbc.shared-databases.slick {
          profile = "slick.jdbc.H2Profile$"
          db { url = "%s", driver = "org.h2.Driver", user = "sa", password = "",
               numThreads = 2, maxConnections = 2, minConnections = 1 }
        }
        """.formatted(url)).withFallback(ConfigFactory.load());
    testKit = ActorTestKit.create(config);
    SchemaUtils.createIfNotExists(testKit.system()).toCompletableFuture().get(30, TimeUnit.SECONDS);
  }

  @AfterEach
  void stopSystem() {
    testKit.shutdownTestKit();
  }

  @Test
  void secretsAreSealedInTheJournalAndTheSnapshotAndReadBackAfterARestart() throws Exception {
    start(keys(List.of("key1", KEY1)), 2);
    write(new Mutation.Create("core/secrets/default/db", secret("db")),
        new Mutation.Create("core/configmaps/default/settings", configMap("settings")));
    awaitSnapshot();
    write(new Mutation.Create("core/secrets/default/after-snapshot", secret("after-snapshot")));
    // what readers get is the plain object, as before
    assertThat(cache.state().get("core/secrets/default/db").at("/data/password").asText()).isEqualTo(PASSWORD_IN_JSON);

    List<String> journal = rows("SELECT \"event_payload\" FROM \"event_journal\"");
    List<String> snapshots = rows("SELECT \"snapshot_payload\" FROM \"snapshot\"");
    assertThat(journal).hasSize(3);
    assertThat(snapshots).hasSize(1);
    for (List<String> rows : List.of(journal, snapshots)) {
      assertThat(rows).noneMatch(r -> r.contains(PASSWORD_IN_JSON) || r.contains(PASSWORD));
      assertThat(rows).anyMatch(r -> r.contains("k8s:enc:aesgcm:v1:key1:"));
      // the rows are readable bytes (not compressed): other kinds are in them as they are
      assertThat(rows).anyMatch(r -> r.contains(VISIBLE));
    }

    restart(keys(List.of("key1", KEY1)), 2);
    assertThat(cache.state().get("core/secrets/default/db")).isEqualTo(plain(secret("db"), 1));
    assertThat(cache.state().get("core/secrets/default/after-snapshot").at("/data/password").asText()).isEqualTo(PASSWORD_IN_JSON);
    assertThat(cache.state().get("core/configmaps/default/settings").at("/data/value").asText()).isEqualTo(VISIBLE);
  }

  @Test
  void aKeyAddedFirstSealsWhatIsWrittenAndStillReadsWhatTheOldKeySealed() throws Exception {
    start(keys(List.of("key1", KEY1)), 1000);
    write(new Mutation.Create("core/secrets/default/old", secret("old")));

    restart(keys(List.of("key2", KEY2, "key1", KEY1)), 1000);
    assertThat(cache.state().get("core/secrets/default/old").at("/data/password").asText()).isEqualTo(PASSWORD_IN_JSON);
    write(new Mutation.Create("core/secrets/default/new", secret("new")));
    assertThat(rows("SELECT \"event_payload\" FROM \"event_journal\" ORDER BY \"sequence_number\" DESC LIMIT 1"))
        .singleElement().asString().contains("k8s:enc:aesgcm:v1:key2:");
    // the store sealed the old secret with key2 as it started, and wrote a snapshot of it at once:
    // recovery starts from that snapshot, so key1 is no longer needed
    awaitSnapshot();
    assertThat(rows("SELECT \"snapshot_payload\" FROM \"snapshot\""))
        .allMatch(r -> r.contains("k8s:enc:aesgcm:v1:key2:") && !r.contains("key1:"));

    restart(keys(List.of("key2", KEY2)), 1000);
    assertThat(cache.state().get("core/secrets/default/old").at("/data/password").asText()).isEqualTo(PASSWORD_IN_JSON);
    assertThat(cache.state().get("core/secrets/default/new").at("/data/password").asText()).isEqualTo(PASSWORD_IN_JSON);
  }

  @Test
  void secretsStoredBeforeEncryptionStillReadAndAreSealedAsTheStoreStarts() throws Exception {
    start(AtRest.PLAIN, 1);
    write(new Mutation.Create("core/secrets/default/db", secret("db")));
    awaitSnapshot();
    write(new Mutation.Create("core/secrets/default/db2", secret("db2")));
    await().until(() -> rows("SELECT \"snapshot_payload\" FROM \"snapshot\" WHERE \"sequence_number\" = 2").size() == 1);
    assertThat(rows("SELECT \"event_payload\" FROM \"event_journal\"")).anyMatch(r -> r.contains(PASSWORD_IN_JSON));
    assertThat(rows("SELECT \"snapshot_payload\" FROM \"snapshot\"")).allMatch(r -> r.contains(PASSWORD_IN_JSON));

    // the configuration first start writes: aesgcm, then identity for what was stored unencrypted
    restart(EncryptionConfiguration.loadOrCreate(dir.resolve("data")).atRest(), 1000);
    assertThat(cache.state().get("core/secrets/default/db")).isEqualTo(plain(secret("db"), 1));
    assertThat(cache.state().get("core/secrets/default/db2")).isEqualTo(plain(secret("db2"), 2));
    // sealed as the store started: the snapshot is written again sealed, and the earlier one is gone
    await().atMost(Duration.ofSeconds(10)).untilAsserted(() ->
        assertThat(rows("SELECT \"snapshot_payload\" FROM \"snapshot\"")).singleElement().asString()
            .contains("k8s:enc:aesgcm:v1:key1:").doesNotContain(PASSWORD_IN_JSON));
  }

  @Test
  void identityFirstTurnsEncryptionOffAndStillReadsWhatWasSealed() throws Exception {
    start(keys(List.of("key1", KEY1)), 1000);
    write(new Mutation.Create("core/secrets/default/db", secret("db")));

    restart(EncryptionConfiguration.parse("""
        apiVersion: apiserver.config.k8s.io/v1
        kind: EncryptionConfiguration
        resources:
          - resources: [secrets]
            providers:
              - identity: {}
              - aesgcm: {keys: [{name: key1, secret: "%s"}]}
        """.formatted(KEY1), configFile()).atRest(), 1000);
    assertThat(cache.state().get("core/secrets/default/db")).isEqualTo(plain(secret("db"), 1));
    write(new Mutation.Create("core/secrets/default/new", secret("new")));
    assertThat(rows("SELECT \"event_payload\" FROM \"event_journal\" ORDER BY \"sequence_number\" DESC LIMIT 1"))
        .singleElement().asString().contains(PASSWORD_IN_JSON).doesNotContain("k8s:enc:");
    // the secret sealed before is written plain in the snapshot the store wrote as it started
    await().atMost(Duration.ofSeconds(10)).untilAsserted(() ->
        assertThat(rows("SELECT \"snapshot_payload\" FROM \"snapshot\"")).singleElement().asString()
            .contains(PASSWORD_IN_JSON).doesNotContain("k8s:enc:"));
  }

  @Test
  void aWrongKeyStopsRecoveryWithAnErrorNamingTheFixNotGarbage() throws Exception {
    start(keys(List.of("key1", KEY1)), 1000);
    write(new Mutation.Create("core/secrets/default/db", secret("db")));
    stop();

    // another secret under the same name: the events cannot be opened
    cache = new WatchCache(100);
    spawn(keys(List.of("key1", KEY2)), 1000);
    assertThatThrownBy(() -> cache.whenReady().toCompletableFuture().get(10, TimeUnit.SECONDS))
        .isInstanceOf(ExecutionException.class)
        .cause().isInstanceOf(UnreadableAtRestException.class)
        .hasMessage("unable to transform key \"core/secrets/default/db\": cipher: message authentication failed "
            + "(the aesgcm key \"key1\" in " + configFile() + " is not the key it was encrypted with: restore that key's secret)");
    assertThat(cache.ready()).isFalse();
  }

  @Test
  void aMissingKeyStopsRecoveryFromASnapshotWithAnErrorNamingTheKey() throws Exception {
    start(keys(List.of("key1", KEY1)), 1);
    write(new Mutation.Create("core/secrets/default/db", secret("db")));
    awaitSnapshot();
    stop();

    cache = new WatchCache(100);
    spawn(keys(List.of("key2", KEY2)), 1);
    assertThatThrownBy(() -> cache.whenReady().toCompletableFuture().get(10, TimeUnit.SECONDS))
        .cause().isInstanceOf(UnreadableAtRestException.class)
        .hasMessage("unable to transform key \"core/secrets/default/db\": no matching key was found for the provided AES "
            + "transformer (it was encrypted with the aesgcm key \"key1\", which " + configFile()
            + " does not hold: put that key back after the one that encrypts)");
  }

  // --- the store, its rows, its objects

  private void start(AtRest atRest, int snapshotEvery) throws Exception {
    cache = new WatchCache(100);
    spawn(atRest, snapshotEvery);
    cache.whenReady().toCompletableFuture().get(10, TimeUnit.SECONDS);
  }

  private void spawn(AtRest atRest, int snapshotEvery) {
    checkpointer = testKit.spawn(Checkpointer.create(ObjectStore.PERSISTENCE_ID.id()));
    store = testKit.spawn(ObjectStore.create(cache, checkpointer, snapshotEvery, atRest));
  }

  private void stop() {
    testKit.stop(store);
    testKit.stop(checkpointer);
  }

  private void restart(AtRest atRest, int snapshotEvery) throws Exception {
    stop();
    start(atRest, snapshotEvery);
  }

  private void write(Mutation... mutations) {
    TestProbe<ObjectStore.BatchApplied> reply = testKit.createTestProbe();
    store.tell(new ObjectStore.ApplyBatch(List.of(mutations), reply.getRef()));
    assertThat(reply.receiveMessage(Duration.ofSeconds(10)).results()).allMatch(r -> r instanceof WriteResult.Written);
  }

  private void awaitSnapshot() {
    await().atMost(Duration.ofSeconds(10)).until(() -> !rows("SELECT \"snapshot_payload\" FROM \"snapshot\"").isEmpty());
  }

  /** Each row's bytes as text (ISO-8859-1: one char per byte, so any byte sequence can be searched). */
  private List<String> rows(String sql) throws Exception {
    List<String> rows = new ArrayList<>();
    try (var c = DriverManager.getConnection(url, "sa", ""); var st = c.createStatement(); var rs = st.executeQuery(sql)) {
      while (rs.next()) rows.add(new String(rs.getBytes(1), StandardCharsets.ISO_8859_1));
    }
    return rows;
  }

  private Path configFile() {
    return dir.resolve(EncryptionConfiguration.FILE_NAME);
  }

  /** The store's side of a configuration whose secrets have these aesgcm keys (name, secret, ...), identity last. */
  private AtRest keys(List<String> namesAndSecrets) {
    StringBuilder keys = new StringBuilder();
    for (int i = 0; i < namesAndSecrets.size(); i += 2) {
      keys.append("            - {name: ").append(namesAndSecrets.get(i)).append(", secret: \"")
          .append(namesAndSecrets.get(i + 1)).append("\"}\n");
    }
    String yaml = """
        apiVersion: apiserver.config.k8s.io/v1
        kind: EncryptionConfiguration
        resources:
          - resources: [secrets]
            providers:
              - aesgcm:
                  keys:
        %s      - identity: {}
        """.formatted(keys);
    return EncryptionConfiguration.parse(yaml, configFile()).atRest();
  }

  static ObjectNode secret(String name) {
    ObjectNode o = Json.object().put("apiVersion", "v1").put("kind", "Secret").put("type", "Opaque");
    o.putObject("metadata").put("name", name).put("namespace", "default").put("uid", "uid-" + name);
    o.putObject("data").put("password", PASSWORD_IN_JSON);
    return o;
  }

  static ObjectNode configMap(String name) {
    ObjectNode o = Json.object().put("apiVersion", "v1").put("kind", "ConfigMap");
    o.putObject("metadata").put("name", name).put("namespace", "default").put("uid", "uid-" + name);
    o.putObject("data").put("value", VISIBLE);
    return o;
  }

  /** The object as the store returns it: with the resourceVersion it stamped. */
  static ObjectNode plain(ObjectNode object, long resourceVersion) {
    ObjectNode copy = object.deepCopy();
    copy.withObjectProperty("metadata").put("resourceVersion", Long.toString(resourceVersion));
    return copy;
  }

  static byte[] bytes(int length, int seed) {
    byte[] b = new byte[length];
    for (int i = 0; i < length; i++) b[i] = (byte) (seed * 31 + i);
    return b;
  }
}
