// A minimal Java JSSE server for the probe's tests: listens on 127.0.0.1 (port 0: any), prints "PORT n",
// and completes (or fails) one handshake per connection, then closes.
// Usage: java JsseServer.java KEYSTORE.p12 PASSWORD [PROTOCOLS comma-separated] [SUITES comma-separated]
import java.io.FileInputStream;
import java.net.InetAddress;
import java.net.Socket;
import java.security.KeyStore;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLServerSocket;
import javax.net.ssl.SSLSocket;

public class JsseServer {
  public static void main(String[] args) throws Exception {
    KeyStore ks = KeyStore.getInstance("PKCS12");
    try (FileInputStream in = new FileInputStream(args[0])) {
      ks.load(in, args[1].toCharArray());
    }
    KeyManagerFactory kmf = KeyManagerFactory.getInstance("SunX509");
    kmf.init(ks, args[1].toCharArray());
    SSLContext ctx = SSLContext.getInstance("TLS");
    ctx.init(kmf.getKeyManagers(), null, null);
    SSLServerSocket server = (SSLServerSocket) ctx.getServerSocketFactory().createServerSocket(0, 64, InetAddress.getByName("127.0.0.1"));
    if (args.length > 2 && !args[2].isEmpty()) server.setEnabledProtocols(args[2].split(","));
    if (args.length > 3 && !args[3].isEmpty()) server.setEnabledCipherSuites(args[3].split(","));
    System.out.println("PORT " + server.getLocalPort());
    System.out.flush();
    for (;;) {
      Socket s = server.accept();
      new Thread(() -> {
        try (SSLSocket t = (SSLSocket) s) {
          t.setSoTimeout(10000);
          t.startHandshake();
        } catch (Exception e) {
          // a refused or abandoned handshake is what the probe does all day
        }
      }).start();
    }
  }
}
