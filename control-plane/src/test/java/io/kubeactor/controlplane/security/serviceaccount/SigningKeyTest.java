package io.kubeactor.controlplane.security.serviceaccount;

import io.kubeactor.common.pki.PkiFiles;
import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.nimbusds.jose.JWSAlgorithm;
import java.io.StringReader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.KeyPairGenerator;
import java.security.MessageDigest;
import java.security.interfaces.RSAPublicKey;
import java.security.spec.ECGenParameterSpec;
import java.util.Base64;
import org.bouncycastle.asn1.x509.SubjectPublicKeyInfo;
import org.bouncycastle.openssl.PEMParser;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SigningKeyTest {

  @TempDir Path dataDir;

  @Test
  void anRsaKeyIsCreatedOnFirstStartAndLoadedAfterwards() {
    SigningKey created = SigningKey.loadOrCreate(dataDir);

    assertThat(created.algorithm()).isEqualTo(JWSAlgorithm.RS256);
    assertThat(((RSAPublicKey) created.publicKey()).getModulus().bitLength()).isEqualTo(2048);
    assertThat(dataDir.resolve("pki/sa.key")).content().startsWith("-----BEGIN PRIVATE KEY-----");
    SigningKey loaded = SigningKey.loadOrCreate(dataDir);
    assertThat(loaded.publicKey()).isEqualTo(created.publicKey());
    assertThat(loaded.keyId()).isEqualTo(created.keyId());
  }

  @Test
  void theKeyIdIsTheUnpaddedBase64UrlSha256OfSaPubsDer() throws Exception {
    SigningKey key = SigningKey.loadOrCreate(dataDir);

    byte[] der;
    try (var pem = new PEMParser(new StringReader(Files.readString(dataDir.resolve("pki/sa.pub"))))) {
      der = ((SubjectPublicKeyInfo) pem.readObject()).getEncoded();
    }
    String expected = Base64.getUrlEncoder().withoutPadding()
        .encodeToString(MessageDigest.getInstance("SHA-256").digest(der));
    assertThat(key.keyId()).isEqualTo(expected).hasSize(43);
  }

  @Test
  void onlyItsOwnerMayReadTheKey() throws Exception {
    assumeTrue(dataDir.getFileSystem().supportedFileAttributeViews().contains("posix"));
    SigningKey.loadOrCreate(dataDir);

    assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(dataDir.resolve("pki/sa.key"))))
        .isEqualTo("rw-------");
    assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(dataDir.resolve("pki/sa.pub"))))
        .isEqualTo("rw-r--r--");
  }

  @Test
  void anEcP256KeyPutThereByHandSignsEs256() throws Exception {
    var generator = KeyPairGenerator.getInstance("EC");
    generator.initialize(new ECGenParameterSpec("secp256r1"));
    var pair = generator.generateKeyPair();
    Files.createDirectories(dataDir.resolve("pki"));
    PkiFiles.writePrivate(dataDir.resolve("pki/sa.key"), PkiFiles.toPem(pair.getPrivate()));

    SigningKey key = SigningKey.loadOrCreate(dataDir);

    assertThat(key.algorithm()).isEqualTo(JWSAlgorithm.ES256);
    assertThat(key.publicKey().getEncoded()).isEqualTo(pair.getPublic().getEncoded());
    assertThat(dataDir.resolve("pki/sa.pub")).exists();
  }
}
