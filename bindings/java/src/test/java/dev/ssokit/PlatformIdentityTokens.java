package dev.ssokit;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.Signature;
import java.security.spec.ECGenParameterSpec;
import java.time.Instant;
import java.util.Base64;

/**
 * A platform identity issuer for the tests, as a TV platform's account service is one: an
 * ES256 key whose public half the server trusts ({@code --platform-issuer NAME=PEM}), and the
 * signed connect tokens it hands its devices.
 */
final class PlatformIdentityTokens {
  private final String issuer;
  private final KeyPair key;

  PlatformIdentityTokens(String issuer) throws GeneralSecurityException {
    this.issuer = issuer;
    KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
    generator.initialize(new ECGenParameterSpec("secp256r1"));
    this.key = generator.generateKeyPair();
  }

  /** The server flag that trusts this issuer, with its public key written under {@code folder}. */
  String[] serverFlags(Path folder) throws IOException {
    Path pem = folder.resolve(issuer + ".pem");
    String base64 = Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII))
        .encodeToString(key.getPublic().getEncoded());
    Files.writeString(pem, "-----BEGIN PUBLIC KEY-----\n" + base64 + "\n-----END PUBLIC KEY-----\n");
    return new String[] {"--platform-issuer", issuer + "=" + pem};
  }

  /** A compact JWS naming the platform account {@code subject}, valid for ten minutes. */
  String tokenFor(String subject) throws GeneralSecurityException {
    long now = Instant.now().getEpochSecond();
    String header = base64Url("{\"alg\":\"ES256\",\"typ\":\"JWT\"}");
    String claims = base64Url("{\"iss\":\"" + issuer + "\",\"sub\":\"" + subject + "\",\"iat\":" + now
        + ",\"exp\":" + (now + 600) + "}");
    Signature signer = Signature.getInstance("SHA256withECDSAinP1363Format");  // JWS wants r || s
    signer.initSign(key.getPrivate());
    signer.update((header + "." + claims).getBytes(StandardCharsets.US_ASCII));
    return header + "." + claims + "." + Base64.getUrlEncoder().withoutPadding().encodeToString(signer.sign());
  }

  private static String base64Url(String json) {
    return Base64.getUrlEncoder().withoutPadding().encodeToString(json.getBytes(StandardCharsets.UTF_8));
  }
}
