package io.gitwar.it;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Random;

/**
 * Builds a local repository worth pushing: several branches, annotated and lightweight tags, a
 * binary blob and well over 1 MiB of data (so git sends the push chunked, after a probe).
 */
public final class SampleRepository {

    private SampleRepository() {
    }

    public static Path create(GitCli git, Path dir) throws IOException, InterruptedException {
        Files.createDirectories(dir);
        git.ok(dir, "init", "-q", "-b", "main");
        Random random = new Random(42);
        byte[] binary = new byte[1_500_000]; // incompressible: the pack is surely over 1 MiB
        random.nextBytes(binary);
        Files.write(dir.resolve("data.bin"), binary);
        StringBuilder text = new StringBuilder();
        for (int i = 0; i < 2000; i++) {
            text.append("line ").append(i).append(" of a text file that changes a little per commit\n");
        }
        Files.writeString(dir.resolve("README.md"), "# sample\n");
        Files.writeString(dir.resolve("src.txt"), text);
        git.ok(dir, "add", ".");
        commit(git, dir, "initial", 1);
        git.ok(dir, "tag", "-a", "v1.0", "-m", "release 1.0");
        for (int i = 2; i <= 6; i++) {
            Files.writeString(dir.resolve("src.txt"), text.append("more ").append(i).append('\n'));
            Files.createDirectories(dir.resolve("dir" + i));
            Files.writeString(dir.resolve("dir" + i).resolve("f.txt"), "file " + i + "\n");
            git.ok(dir, "add", ".");
            commit(git, dir, "change " + i, i);
        }
        git.ok(dir, "tag", "light");
        git.ok(dir, "branch", "feature", "HEAD~2");
        git.ok(dir, "checkout", "-q", "-b", "topic/nested", "HEAD~3");
        Files.writeString(dir.resolve("topic.txt"), "topic work\n");
        git.ok(dir, "add", ".");
        commit(git, dir, "topic", 10);
        git.ok(dir, "tag", "-a", "v0.9-topic", "-m", "tag on a side branch");
        git.ok(dir, "checkout", "-q", "main");
        return dir;
    }

    private static void commit(GitCli git, Path dir, String message, int n) throws IOException, InterruptedException {
        String date = (1_700_000_000L + n * 3600L) + " +0000";
        git.with("GIT_AUTHOR_DATE", date).with("GIT_COMMITTER_DATE", date).ok(dir, "commit", "-q", "-m", message);
    }
}
