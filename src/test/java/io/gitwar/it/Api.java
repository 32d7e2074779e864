package io.gitwar.it;

import jakarta.json.Json;
import jakarta.json.JsonObject;
import jakarta.json.JsonReader;
import java.io.IOException;
import java.io.StringReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;

/** gitwar's repository API ({@code /git/-/api/v1/}) as a test calls it: JSON in, status and JSON out. */
public final class Api {

    // HTTP/1.1 as curl and git speak it: with Java's default (an h2c upgrade), Payara's Grizzly closes
    // the connection when gitwar answers a PUT before reading its body (a 409), and the client sees EOF
    private static final HttpClient CLIENT = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(10)).build();

    private final String root;
    private final String token;

    /**
     * @param gitRoot the server's {@code .../git/}
     * @param token the bearer token sent, null for none
     */
    public Api(String gitRoot, String token) {
        this.root = gitRoot + "-/api/v1/";
        this.token = token;
    }

    /** The same server with another token (null: none). */
    public Api withToken(String other) {
        return new Api(root.substring(0, root.length() - "-/api/v1/".length()), other);
    }

    /** A status and a body, read as JSON when it is JSON. */
    public record Reply(int status, String body, HttpResponse<?> response) {
        public JsonObject json() {
            try (JsonReader r = Json.createReader(new StringReader(body))) {
                return r.readObject();
            }
        }

        @Override
        public String toString() {
            return status + " " + body;
        }
    }

    public Reply get(String path) throws IOException, InterruptedException {
        return send(request(path).GET());
    }

    public Reply delete(String path) throws IOException, InterruptedException {
        return send(request(path).DELETE());
    }

    public Reply post(String path, String json) throws IOException, InterruptedException {
        return send(request(path).header("Content-Type", "application/json")
                .POST(json == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(json)));
    }

    public Reply patch(String path, String json) throws IOException, InterruptedException {
        return send(request(path).header("Content-Type", "application/json")
                .method("PATCH", HttpRequest.BodyPublishers.ofString(json)));
    }

    /** Streams {@code file} as a backup to restore. */
    public Reply putFile(String path, Path file) throws IOException, InterruptedException {
        return send(request(path).header("Content-Type", "application/vnd.sqlite3")
                .PUT(HttpRequest.BodyPublishers.ofFile(file)));
    }

    /** Downloads {@code path} into {@code file}; the reply's body is empty. */
    public HttpResponse<Path> download(String path, Path file) throws IOException, InterruptedException {
        return CLIENT.send(request(path).GET().build(), HttpResponse.BodyHandlers.ofFile(file));
    }

    private HttpRequest.Builder request(String path) {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(root + path)).timeout(Duration.ofMinutes(5));
        if (token != null) {
            b.header("Authorization", "Bearer " + token);
        }
        return b;
    }

    private static Reply send(HttpRequest.Builder b) throws IOException, InterruptedException {
        HttpResponse<byte[]> r = CLIENT.send(b.build(), HttpResponse.BodyHandlers.ofByteArray());
        return new Reply(r.statusCode(), new String(r.body(), StandardCharsets.UTF_8), r);
    }
}
