package io.migrationgate.localcluster;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

/**
 * The process kubelet's self-signed serving certificate (IP SAN 127.0.0.1), made with the JDK's
 * keytool. The API server trusts exactly this certificate ({@code --kubelet-certificate-authority})
 * when it proxies {@code kubectl logs}.
 */
public record KubeletTls(Path keyStore, char[] password, Path certificatePem) {

  static KubeletTls generate(Path dir) {
    Path keyStore = dir.resolve("kubelet.p12");
    Path pem = dir.resolve("kubelet.crt");
    String password = Processes.randomToken();
    String keytool = Path.of(System.getProperty("java.home"), "bin", "keytool").toString();
    Processes.run(List.of(keytool, "-genkeypair", "-alias", "kubelet", "-keyalg", "EC", "-groupname", "secp256r1",
        "-sigalg", "SHA256withECDSA", "-dname", "CN=process-kubelet", "-validity", "7",
        "-ext", "SAN=ip:127.0.0.1,dns:localhost", "-ext", "BC:c=ca:true",
        "-keystore", keyStore.toString(), "-storetype", "PKCS12", "-storepass", password), Duration.ofSeconds(60));
    Processes.run(List.of(keytool, "-exportcert", "-rfc", "-alias", "kubelet", "-keystore", keyStore.toString(),
        "-storetype", "PKCS12", "-storepass", password, "-file", pem.toString()), Duration.ofSeconds(60));
    return new KubeletTls(keyStore, password.toCharArray(), pem);
  }
}
