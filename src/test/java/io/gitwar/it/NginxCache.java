package io.gitwar.it;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Debian's nginx as a {@code proxy_cache} reverse proxy on 127.0.0.1 in front of the test server, as
 * an enterprise proxy or a CDN would sit: it caches what gitwar says it may, and logs every request
 * with its cache status ({@code HIT}, {@code MISS}, ... or {@code -} when it did not cache at all).
 * The build installs nginx (.ci/ensure-apt-packages).
 */
final class NginxCache implements AutoCloseable {

    private final Path dir;
    private final int port;
    private final Process process;

    private NginxCache(Path dir, int port, Process process) {
        this.dir = dir;
        this.port = port;
        this.process = process;
    }

    /** Starts nginx on {@code port}, proxying to {@code upstreamPort}, and waits until it listens. */
    static NginxCache start(Path dir, int port, int upstreamPort) throws Exception {
        Files.createDirectories(dir.resolve("tmp"));
        boolean root = "root".equals(System.getProperty("user.name"));
        String conf = """
                %s
                daemon off;
                master_process off;
                pid %s/nginx.pid;
                events { worker_connections 256; }
                http {
                  log_format cache '$request_method $request_uri $status $upstream_cache_status';
                  access_log %s/access.log cache;
                  client_body_temp_path %s/tmp/body;
                  proxy_temp_path %s/tmp/proxy;
                  fastcgi_temp_path %s/tmp/fastcgi;
                  uwsgi_temp_path %s/tmp/uwsgi;
                  scgi_temp_path %s/tmp/scgi;
                  proxy_cache_path %s/cache levels=1:2 keys_zone=git:10m max_size=1g inactive=1h use_temp_path=off;
                  server {
                    listen 127.0.0.1:%d;
                    location / {
                      proxy_pass http://127.0.0.1:%d;
                      proxy_http_version 1.1;
                      proxy_set_header Connection "";
                      proxy_cache git;
                      proxy_cache_revalidate on;
                      add_header X-Cache-Status $upstream_cache_status always;
                    }
                  }
                }
                """.formatted(root ? "user root;" : "", dir, dir, dir, dir, dir, dir, dir, dir, port, upstreamPort);
        Files.writeString(dir.resolve("nginx.conf"), conf);
        String nginx = Files.isExecutable(Path.of("/usr/sbin/nginx")) ? "/usr/sbin/nginx" : "nginx";
        Process p = new ProcessBuilder(nginx, "-p", dir.toString(), "-c", dir.resolve("nginx.conf").toString(),
                "-e", dir.resolve("error.log").toString())
                .redirectErrorStream(true).redirectOutput(dir.resolve("stdout.log").toFile()).start();
        NginxCache cache = new NginxCache(dir, port, p);
        try {
            Await.until(Duration.ofSeconds(30), "nginx listening on " + port, () -> {
                if (!p.isAlive()) {
                    throw new AssertionError("nginx exited " + p.exitValue() + ": "
                            + Files.readString(dir.resolve("stdout.log")) + read(dir.resolve("error.log")));
                }
                try (Socket s = new Socket()) {
                    s.connect(new InetSocketAddress("127.0.0.1", port), 200);
                    return true;
                } catch (IOException e) {
                    return false;
                }
            });
        } catch (Exception | AssertionError e) {
            cache.close();
            throw e;
        }
        return cache;
    }

    String base() {
        return "http://127.0.0.1:" + port;
    }

    /** The access log: {@code METHOD URI STATUS CACHE-STATUS} per line. */
    List<String> accessLog() throws IOException {
        Path log = dir.resolve("access.log");
        return Files.exists(log) ? Files.readAllLines(log) : List.of();
    }

    private static String read(Path p) throws IOException {
        return Files.exists(p) ? Files.readString(p) : "";
    }

    @Override
    public void close() throws InterruptedException {
        process.destroy(); // SIGTERM: nginx's fast shutdown
        if (!process.waitFor(20, TimeUnit.SECONDS)) {
            process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
        }
    }
}
