package io.kubeactor.controlplane.security;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import io.kubeactor.controlplane.security.authentication.Authentication;
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

    assertThat(restarted.authenticate(token).user()).contains(Tokens.ADMIN);
  }

  @Test
  void hasNoOpinionOnAnyOtherToken() {
    Tokens tokens = Tokens.loadOrCreate(dataDir);
    String token = tokens.adminToken();

    for (String other : new String[] {"x", token.substring(1), token + "x", ""}) {
      Authentication a = tokens.authenticate(other);
      assertThat(a.user()).as(other).isEmpty();
      assertThat(a.failed()).as("another authenticator may know " + other).isFalse();
    }
  }
}
