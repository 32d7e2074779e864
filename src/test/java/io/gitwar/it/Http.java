package io.gitwar.it;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;

/** Plain HTTP requests against the server under test. */
public final class Http {

    private static final HttpClient CLIENT = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();

    private Http() {
    }

    public static HttpResponse<byte[]> get(String url, String... headers) throws IOException, InterruptedException {
        return send(HttpRequest.newBuilder(URI.create(url)).GET(), headers);
    }

    public static HttpResponse<byte[]> head(String url, String... headers) throws IOException, InterruptedException {
        return send(HttpRequest.newBuilder(URI.create(url)).method("HEAD", HttpRequest.BodyPublishers.noBody()), headers);
    }

    public static HttpResponse<byte[]> post(String url, String contentType, byte[] body, String... headers)
            throws IOException, InterruptedException {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(url)).POST(HttpRequest.BodyPublishers.ofByteArray(body));
        if (contentType != null) {
            b.header("Content-Type", contentType);
        }
        return send(b, headers);
    }

    public static HttpResponse<byte[]> method(String method, String url, String... headers)
            throws IOException, InterruptedException {
        return send(HttpRequest.newBuilder(URI.create(url)).method(method, HttpRequest.BodyPublishers.noBody()), headers);
    }

    private static HttpResponse<byte[]> send(HttpRequest.Builder b, String... headers) throws IOException, InterruptedException {
        for (int i = 0; i + 1 < headers.length; i += 2) {
            b.header(headers[i], headers[i + 1]);
        }
        return CLIENT.send(b.timeout(Duration.ofMinutes(5)).build(), HttpResponse.BodyHandlers.ofByteArray());
    }

    public static String text(HttpResponse<byte[]> r) {
        return new String(r.body(), java.nio.charset.StandardCharsets.UTF_8);
    }
}
