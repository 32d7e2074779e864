package io.gitwar.it;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Random;

/** A local working repository for pushes of a chosen size: many files, random bytes, one-file commits. */
final class WorkRepository {

    final GitCli git;
    final Path dir;
    private int commits;

    private WorkRepository(GitCli git, Path dir) {
        this.git = git;
        this.dir = dir;
    }

    static WorkRepository init(GitCli git, Path dir) throws IOException, InterruptedException {
        Files.createDirectories(dir);
        git.ok(dir, "init", "-q", "-b", "main");
        return new WorkRepository(git, dir);
    }

    /**
     * Commits {@code files} new text files and {@code randomBytes} of incompressible data: over
     * {@code gitwar.receive.unpack-limit} (100) objects makes a pack that is listed.
     */
    String commitMany(int files, int randomBytes, long seed) throws IOException, InterruptedException {
        Path sub = Files.createDirectories(dir.resolve("batch-" + seed));
        for (int i = 0; i < files; i++) {
            Files.writeString(sub.resolve("f" + i + ".txt"), "file " + i + " of batch " + seed + "\n");
        }
        if (randomBytes > 0) {
            byte[] data = new byte[randomBytes];
            new Random(seed).nextBytes(data);
            Files.write(sub.resolve("data.bin"), data);
        }
        return commitAll("batch " + seed);
    }

    /** One small commit: one changed file (a commit, a tree, a blob). */
    String commitSmall() throws IOException, InterruptedException {
        Files.writeString(dir.resolve("small.txt"), "small change " + commits + "\n");
        return commitAll("small " + commits);
    }

    private String commitAll(String message) throws IOException, InterruptedException {
        commits++;
        git.ok(dir, "add", "-A");
        git.ok(dir, "commit", "-q", "-m", message);
        return git.ok(dir, "rev-parse", "HEAD");
    }

    void push(String url) throws IOException, InterruptedException {
        git.ok(dir, "push", "-q", url, "main");
    }

    /** The bytes git wrote for a loose object of this repository. */
    byte[] looseFile(String id) throws IOException {
        return Files.readAllBytes(dir.resolve(".git/objects").resolve(id.substring(0, 2)).resolve(id.substring(2)));
    }
}
