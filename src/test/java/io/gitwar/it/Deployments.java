package io.gitwar.it;

import io.gitwar.storage.DataDirectory;
import java.io.File;
import java.nio.file.Path;
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

    /** Where the test server keeps the repository {@code name}. */
    public static Path repositoryFile(String name) {
        return repositoryFile(dataDir(), name);
    }

    /** The data directory the test server was started with (see arquillian.xml and the pom). */
    public static Path dataDir() {
        return Path.of(System.getProperty("gitwar.it.data-dir", "target/it-data")).toAbsolutePath();
    }
}
