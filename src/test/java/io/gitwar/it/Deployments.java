package io.gitwar.it;

import io.gitwar.storage.DataDirectory;
import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.jboss.shrinkwrap.api.ShrinkWrap;
import org.jboss.shrinkwrap.api.spec.WebArchive;

/** The deployment under test: the WAR the build produced, exactly as users deploy it. */
public final class Deployments {

    private Deployments() {
    }

    /** Distinguishes this test run's repositories from those earlier runs left in the data directory. */
    private static final String RUN = Long.toString(System.currentTimeMillis(), 36);

    /** A repository name unique to this test run, e.g. {@code it/mirror-lx3k9a}. */
    public static String repo(String name) {
        return "it/" + name + "-" + RUN;
    }

    public static WebArchive gitwar() {
        return ShrinkWrap.createFromZipFile(WebArchive.class, new File("target/git.war"));
    }

    /** Where a server whose data directory is {@code dataDir} keeps the repository {@code name}. */
    public static Path repositoryFile(Path dataDir, String name) {
        return new DataDirectory(dataDir).fileOf(name);
    }

    /**
     * What a server whose data directory is {@code dataDir} holds of the repository {@code name}:
     * its file and SQLite's files beside it, and anything in the staging directory where new
     * repositories are written until their first commit. Empty when nothing was created for it (its
     * directories are shared with the names beside it, and made only when a first push commits).
     */
    public static List<Path> leftovers(Path dataDir, String name) throws IOException {
        Path file = repositoryFile(dataDir, name);
        List<Path> found = new ArrayList<>();
        for (String suffix : new String[] {"", "-wal", "-shm", "-journal"}) {
            Path p = file.resolveSibling(file.getFileName() + suffix);
            if (Files.exists(p)) {
                found.add(p);
            }
        }
        Path staging = dataDir.resolve(".staging");
        if (Files.isDirectory(staging)) {
            try (Stream<Path> staged = Files.list(staging)) {
                staged.forEach(found::add);
            }
        }
        return found;
    }

    /** Where the test server keeps the repository {@code name}. */
    public static Path repositoryFile(String name) {
        return repositoryFile(dataDir(), name);
    }

    /** The data directory the test server was started with (see arquillian.xml and the pom). */
    public static Path dataDir() {
        return Path.of(System.getProperty("gitwar.it.data-dir", "target/it-data")).toAbsolutePath();
    }
}
