package io.kubeactor.controlplane.security;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Base64;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TokensTest {

  @TempDir Path dataDir;

  @Test
  void createsTheAdminTokenOnFirstStartAndLoadsItAfterwards() throws Exception {
    String token = Tokens.loadOrCreate(dataDir).adminToken();

    assertThat(token).matches("[A-Za-z0-9_-]{43}");
    assertThat(Base64.getUrlDecoder().decode(token)).hasSize(32);
    assertThat(Files.readString(dataDir.resolve("pki/admin.token")).strip()).isEqualTo(token);
    assertThat(Tokens.loadOrCreate(dataDir).adminToken()).isEqualTo(token);
  }

  @Test
  void everyClusterGetsItsOwnToken(@TempDir Path otherDataDir) {
    assertThat(Tokens.loadOrCreate(dataDir).adminToken())
        .isNotEqualTo(Tokens.loadOrCreate(otherDataDir).adminToken());
  }

  @Test
  void theTokenFileIsReadableByItsOwnerOnly() throws Exception {
    assumeTrue(dataDir.getFileSystem().supportedFileAttributeViews().contains("posix"));
    Tokens.loadOrCreate(dataDir);

    assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(dataDir.resolve("pki/admin.token"))))
        .isEqualTo("rw-------");
  }

  @Test
  void authenticatesTheAdminTokenAfterARestart() {
    String token = Tokens.loadOrCreate(dataDir).adminToken();
    Tokens restarted = Tokens.loadOrCreate(dataDir);

    assertThat(restarted.authenticate("Bearer " + token)).contains(Tokens.ADMIN);
    assertThat(restarted.authenticate("bearer " + token)).contains(Tokens.ADMIN);
    assertThat(restarted.authenticate("  BEARER " + token + "  ")).contains(Tokens.ADMIN);
  }

  @Test
  void authenticatesNoOneElse() {
    Tokens tokens = Tokens.loadOrCreate(dataDir);
    String token = tokens.adminToken();

    assertThat(tokens.authenticate("Bearer x")).isEmpty();
    assertThat(tokens.authenticate("Bearer " + token.substring(1))).isEmpty();
    assertThat(tokens.authenticate("Bearer " + token + "x")).isEmpty();
    assertThat(tokens.authenticate(token)).as("no scheme").isEmpty();
    assertThat(tokens.authenticate("Basic " + token)).isEmpty();
    assertThat(tokens.authenticate("Bearer  " + token)).as("two spaces, as Kubernetes reads it").isEmpty();
    assertThat(tokens.authenticate("Bearer")).isEmpty();
    assertThat(tokens.authenticate("")).isEmpty();
    assertThat(tokens.authenticate(null)).isEmpty();
  }
}
