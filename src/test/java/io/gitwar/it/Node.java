package io.gitwar.it;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * Runs a test script of src/test/js with the system {@code node} (modules from the project's
 * node_modules, installed by the build's {@code npm ci}). Scripts print one fact per line,
 * {@code key value}, and {@code error <code> <message>} when they fail.
 */
public final class Node {

    /** What a script printed: every value of every key, in order. */
    public record Result(int exitCode, Map<String, List<String>> facts, String stdout, String stderr) {

        /** The one value of {@code key}; fails the test if there is none. */
        public String get(String key) {
            List<String> values = facts.get(key);
            if (values == null || values.isEmpty()) {
                throw new AssertionError("no '" + key + "' in the output of node:\n" + stdout + stderr);
            }
            return values.get(0);
        }

        public List<String> all(String key) {
            return facts.getOrDefault(key, List.of());
        }

        public Result ok() {
            if (exitCode != 0) {
                throw new AssertionError("node exited " + exitCode + "\n" + stdout + stderr);
            }
            return this;
        }
    }

    private static final long TIMEOUT_SECONDS = 300;

    private Node() {
    }

    /** Runs {@code src/test/js/<script>} with {@code args}, in the project directory. */
    public static Result run(Path tmp, String script, String... args) throws IOException, InterruptedException {
        List<String> cmd = new ArrayList<>();
        cmd.add("node");
        cmd.add(Path.of("src/test/js", script).toAbsolutePath().toString());
        cmd.addAll(List.of(args));
        Files.createDirectories(tmp);
        Path out = Files.createTempFile(tmp, "node-out", ".txt");
        Path err = Files.createTempFile(tmp, "node-err", ".txt");
        Process p = new ProcessBuilder(cmd).redirectOutput(out.toFile()).redirectError(err.toFile()).start();
        if (!p.waitFor(TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new AssertionError("node " + String.join(" ", args) + " timed out; output:\n" + Files.readString(out));
        }
        String stdout = Files.readString(out, StandardCharsets.UTF_8);
        Map<String, List<String>> facts = new LinkedHashMap<>();
        for (String line : stdout.split("\n")) {
            int space = line.indexOf(' ');
            if (space > 0) {
                facts.computeIfAbsent(line.substring(0, space), k -> new ArrayList<>()).add(line.substring(space + 1));
            }
        }
        return new Result(p.exitValue(), facts, stdout, Files.readString(err, StandardCharsets.UTF_8));
    }

    /** A JSON object of string, number and boolean values (keys and values alternate). */
    public static String json(Object... keysAndValues) {
        StringBuilder b = new StringBuilder("{");
        for (int i = 0; i + 1 < keysAndValues.length; i += 2) {
            if (i > 0) {
                b.append(',');
            }
            b.append(quote(keysAndValues[i].toString())).append(':');
            Object v = keysAndValues[i + 1];
            b.append(v instanceof Number || v instanceof Boolean ? v.toString() : quote(v.toString()));
        }
        return b.append('}').toString();
    }

    private static String quote(String s) {
        return '"' + s.replace("\\", "\\\\").replace("\"", "\\\"").replace("\n", "\\n") + '"';
    }
}
