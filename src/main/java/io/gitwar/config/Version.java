package io.gitwar.config;

import java.io.IOException;
import java.io.InputStream;
import java.util.Properties;

/** gitwar's version, as the build wrote it; clients see it in {@code agent=gitwar/<version>}. */
public final class Version {

    public static final String VALUE = load();

    private Version() {
    }

    private static String load() {
        try (InputStream in = Version.class.getResourceAsStream("/io/gitwar/version.properties")) {
            Properties p = new Properties();
            if (in != null) {
                p.load(in);
            }
            return p.getProperty("version", "dev");
        } catch (IOException e) {
            return "dev";
        }
    }
}
