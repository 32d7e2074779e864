package io.gitwar.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A cluster of gitwar nodes and HAProxy on loopback for an IT, run by bench/cluster.sh from
 * target/gitwar-cluster.jar: the nodes' base URLs and PIDs, HAProxy's URL, and the script's other
 * commands. Ports: it.cluster.http-base, it.cluster.jgroups-base, it.cluster.front-port, plus
 * {@code shift} (so that two ITs' clusters never meet).
 */
final class ClusterNodes {

    private static final Pattern LINE = Pattern.compile("(node \\d+|front) (\\d+) (http://\\S+)");

    final Path dir;
    final List<String> urls = new ArrayList<>();
    final List<Long> pids = new ArrayList<>();
    final String front;
    private final Map<String, String> env;

    private ClusterNodes(Path dir, Map<String, String> env, String started) {
        this.dir = dir;
        this.env = env;
        this.front = read(started);
    }

    /** Reads the nodes' pids and URLs from what cluster.sh start printed; returns the front's URL. */
    private String read(String started) {
        urls.clear();
        pids.clear();
        String frontUrl = null;
        Matcher m = LINE.matcher(started);
        while (m.find()) {
            if (m.group(1).equals("front")) {
                frontUrl = m.group(3);
            } else {
                urls.add(m.group(3));
                pids.add(Long.parseLong(m.group(2)));
            }
        }
        assertTrue(frontUrl != null, started);
        return frontUrl;
    }

    /** Starts {@code nodes} nodes with {@code settings} (GITWAR_* variables) in a new directory. */
    static ClusterNodes start(String prefix, int nodes, int shift, Map<String, String> settings) throws Exception {
        Path dir = Files.createTempDirectory(Path.of(System.getProperty("java.io.tmpdir")), prefix);
        Map<String, String> env = new java.util.HashMap<>(settings);
        env.put("CLUSTER_HTTP_BASE", port("it.cluster.http-base", 21000, shift));
        env.put("CLUSTER_JGROUPS_BASE", port("it.cluster.jgroups-base", 27000, shift));
        env.put("CLUSTER_FRONT_PORT", port("it.cluster.front-port", 21900, shift));
        ClusterNodes cluster = new ClusterNodes(dir, env, script(dir, env, "start", Integer.toString(nodes), dir.toString()));
        assertEquals(nodes, cluster.urls.size());
        return cluster;
    }

    void stop() throws Exception {
        script(dir, env, "stop", dir.toString());
    }

    /** Stops every node (as an operator would) and starts them all again on their data, at once. */
    void restartAll() throws Exception {
        int nodes = urls.size();
        stop();
        assertEquals(front, read(script(dir, env, "start", Integer.toString(nodes), dir.toString())));
        assertEquals(nodes, urls.size());
    }

    /** kill -9 of node {@code index + 1}, returning once it is gone. */
    void kill(int index) throws Exception {
        ProcessHandle node = ProcessHandle.of(pids.get(index)).orElseThrow();
        node.destroyForcibly();
        node.onExit().get(30, TimeUnit.SECONDS);
    }

    /** Starts node {@code index + 1} again on its data, returning once it answers ready. */
    void restart(int index) throws Exception {
        String restarted = script(dir, env, "restart", dir.toString(), Integer.toString(index + 1));
        Matcher m = LINE.matcher(restarted);
        assertTrue(m.find(), restarted);
        pids.set(index, Long.parseLong(m.group(2)));
    }

    private static String script(Path dir, Map<String, String> env, String... args) throws Exception {
        List<String> cmd = new ArrayList<>(List.of("bash", Path.of("bench", "cluster.sh").toAbsolutePath().toString()));
        cmd.addAll(List.of(args));
        Path out = Files.createTempFile(dir, "cluster", ".txt");
        ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(out.toFile());
        pb.environment().putAll(env);
        Process p = pb.start();
        if (!p.waitFor(400, TimeUnit.SECONDS)) {
            p.descendants().forEach(ProcessHandle::destroyForcibly);
            p.destroyForcibly().waitFor();
        }
        String text = Files.readString(out);
        System.out.println(text);
        assertEquals(0, p.exitValue(), "cluster.sh " + String.join(" ", args) + ":\n" + text);
        return text;
    }

    private static String port(String property, int fallback, int shift) {
        return Integer.toString(Integer.getInteger(property, fallback) + shift);
    }
}
