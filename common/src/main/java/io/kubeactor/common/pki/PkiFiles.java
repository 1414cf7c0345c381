package io.kubeactor.common.pki;

import java.io.IOException;
import java.io.StringReader;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.cert.CertificateException;
import java.security.cert.X509Certificate;
import org.bouncycastle.asn1.pkcs.PrivateKeyInfo;
import org.bouncycastle.cert.X509CertificateHolder;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.openssl.PEMKeyPair;
import org.bouncycastle.openssl.PEMParser;
import org.bouncycastle.openssl.jcajce.JcaPEMKeyConverter;
import org.bouncycastle.openssl.jcajce.JcaPEMWriter;
import org.bouncycastle.openssl.jcajce.JcaPKCS8Generator;
import org.bouncycastle.util.io.pem.PemGenerationException;

/** PEM reading and writing of the files under {@code <dataDir>/pki}, each written atomically. */
public final class PkiFiles {

  private PkiFiles() {}

  public static String toPem(X509Certificate certificate) {
    return pem(certificate);
  }

  /**
   * PKCS#8 ("PRIVATE KEY"): the traditional "EC PRIVATE KEY" form that JcaPEMWriter picks by
   * default would lose the curve of a JDK-generated EC key, which the JDK keeps in PKCS#8 only.
   */
  public static String toPem(PrivateKey key) {
    try {
      return pem(new JcaPKCS8Generator(key, null));
    } catch (PemGenerationException e) {
      throw new IllegalStateException("cannot encode a " + key.getAlgorithm() + " key", e);
    }
  }

  /** PKCS#10 ("CERTIFICATE REQUEST"), as a CertificateSigningRequest's spec.request holds it. */
  public static String toPem(org.bouncycastle.pkcs.PKCS10CertificationRequest request) {
    return pem(request);
  }

  /** PKIX ("PUBLIC KEY"), as {@code openssl pkey -pubout} and kubeadm's sa.pub. */
  public static String toPem(PublicKey key) {
    return pem(key);
  }

  public static X509Certificate readCertificate(Path file) {
    if (parse(file) instanceof X509CertificateHolder holder) {
      try {
        return new JcaX509CertificateConverter().getCertificate(holder);
      } catch (CertificateException e) {
        throw new IllegalStateException(file + " holds an unreadable certificate", e);
      }
    }
    throw new IllegalStateException(file + " holds no PEM certificate");
  }

  /** Reads both the OpenSSL traditional ("EC/RSA PRIVATE KEY") and the PKCS#8 ("PRIVATE KEY") forms. */
  public static PrivateKey readPrivateKey(Path file) {
    Object parsed = parse(file);
    PrivateKeyInfo info;
    if (parsed instanceof PEMKeyPair pair) {
      info = pair.getPrivateKeyInfo();
    } else if (parsed instanceof PrivateKeyInfo plain) {
      info = plain;
    } else {
      throw new IllegalStateException(file + " holds no unencrypted PEM private key");
    }
    try {
      return new JcaPEMKeyConverter().getPrivateKey(info);
    } catch (IOException e) {
      throw new IllegalStateException(file + " holds an unreadable private key", e);
    }
  }

  public static void writePublic(Path file, String content) {
    write(file, content, false);
  }

  /** Written readable by its owner only (0600) from the moment it exists, where the file system has POSIX permissions. */
  public static void writePrivate(Path file, String content) {
    write(file, content, true);
  }

  private static String pem(Object object) {
    var text = new StringWriter();
    try (var pem = new JcaPEMWriter(text)) {
      pem.writeObject(object);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return text.toString();
  }

  private static Object parse(Path file) {
    try (var pem = new PEMParser(new StringReader(Files.readString(file, StandardCharsets.US_ASCII)))) {
      return pem.readObject();
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read " + file, e);
    }
  }

  // Written to a temporary file and moved into place, so a crash never leaves half a key behind.
  private static void write(Path file, String content, boolean ownerOnly) {
    Path dir = file.toAbsolutePath().getParent();
    try {
      Path temp = ownerOnly && isPosix(dir)
          ? Files.createTempFile(dir, file.getFileName() + ".", ".tmp",
              PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")))
          : Files.createTempFile(dir, file.getFileName() + ".", ".tmp");
      try {
        Files.writeString(temp, content, StandardCharsets.US_ASCII);
        if (!ownerOnly && isPosix(dir)) {
          Files.setPosixFilePermissions(temp, PosixFilePermissions.fromString("rw-r--r--"));
        }
        Files.move(temp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
      } finally {
        Files.deleteIfExists(temp);
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write " + file, e);
    }
  }

  private static boolean isPosix(Path dir) {
    return dir.getFileSystem().supportedFileAttributeViews().contains("posix");
  }
}
