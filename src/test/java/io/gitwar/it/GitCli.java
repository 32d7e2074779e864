package io.gitwar.it;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * Runs the real {@code git} CLI in an isolated environment: its own HOME and no system config, so
 * nothing on the machine changes what git does. Every run is bounded in time.
 */
public final class GitCli {

    /** What a git run printed and returned. */
    public record Result(int exitCode, String stdout, String stderr) {
        public Result ok() {
            if (exitCode != 0) {
                throw new AssertionError("git exited " + exitCode + "\nstdout: " + stdout + "\nstderr: " + stderr);
            }
            return this;
        }
    }

    private static final long TIMEOUT_SECONDS = 600;

    private final Path home;
    private final Map<String, String> env = new HashMap<>();

    public GitCli(Path home) throws IOException, InterruptedException {
        this.home = Files.createDirectories(home);
        env.put("HOME", home.toString());
        env.put("XDG_CONFIG_HOME", home.resolve(".config").toString());
        env.put("GIT_CONFIG_NOSYSTEM", "1");
        env.put("GIT_TERMINAL_PROMPT", "0");
        env.put("GIT_AUTHOR_NAME", "Test Author");
        env.put("GIT_AUTHOR_EMAIL", "author@example.invalid");
        env.put("GIT_COMMITTER_NAME", "Test Committer");
        env.put("GIT_COMMITTER_EMAIL", "committer@example.invalid");
        env.put("LC_ALL", "C");
        run(home, "config", "--global", "init.defaultBranch", "main").ok();
        run(home, "config", "--global", "protocol.version", "2").ok();
    }

    /** A copy whose runs also get {@code extra} environment variables. */
    public GitCli with(String name, String value) {
        GitCli copy = new GitCli(home, env);
        copy.env.put(name, value);
        return copy;
    }

    private GitCli(Path home, Map<String, String> env) {
        this.home = home;
        this.env.putAll(env);
    }

    public Result run(Path dir, String... args) throws IOException, InterruptedException {
        List<String> cmd = new ArrayList<>();
        cmd.add("git");
        cmd.addAll(List.of(args));
        ProcessBuilder pb = new ProcessBuilder(cmd).directory(dir.toFile());
        pb.environment().putAll(env);
        Path out = Files.createTempFile(home, "out", ".txt");
        Path err = Files.createTempFile(home, "err", ".txt");
        pb.redirectOutput(out.toFile()).redirectError(err.toFile());
        Process p = pb.start();
        if (!p.waitFor(TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new AssertionError("git " + String.join(" ", args) + " timed out");
        }
        try {
            return new Result(p.exitValue(), Files.readString(out, StandardCharsets.UTF_8),
                    Files.readString(err, StandardCharsets.UTF_8));
        } finally {
            Files.deleteIfExists(out);
            Files.deleteIfExists(err);
        }
    }

    /** Runs git and fails the test unless it succeeds; returns trimmed stdout. */
    public String ok(Path dir, String... args) throws IOException, InterruptedException {
        return run(dir, args).ok().stdout().trim();
    }
}
