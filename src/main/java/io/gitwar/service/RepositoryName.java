package io.gitwar.service;

import io.gitwar.failure.InvalidRepositoryName;
import java.util.regex.Pattern;

/**
 * A validated repository name such as {@code team/app}: one or more segments of
 * {@code [A-Za-z0-9._-]} separated by {@code /}, no empty segment, no segment starting with a dot
 * (which rules out {@code .} and {@code ..}), at most {@value #MAX_LENGTH} characters, and a first
 * segment other than {@value #RESERVED} (gitwar's own URLs live under {@code /-/}). A trailing
 * {@code .git} is not part of the name, so {@code app.git} and {@code app} are one repository.
 */
public record RepositoryName(String value) {

    /** Long enough for deep team/project paths, short enough for any file system's path limits. */
    public static final int MAX_LENGTH = 200;

    private static final Pattern SEGMENT = Pattern.compile("[A-Za-z0-9_-][A-Za-z0-9._-]*");
    private static final String GIT_SUFFIX = ".git";

    /** The first segment of gitwar's own URLs (API, health, metrics): never a repository's. */
    public static final String RESERVED = "-";

    public RepositoryName {
        if (!isValid(value)) {
            throw new InvalidRepositoryName("invalid repository name");
        }
    }

    /**
     * Parses a name as it appears in a URL, with or without {@code .git}.
     *
     * @throws InvalidRepositoryName when it breaks a rule above
     */
    public static RepositoryName parse(String raw) {
        // the limit is on the name: a name of MAX_LENGTH is also reachable with its .git suffix
        if (raw == null || raw.isEmpty() || raw.length() > MAX_LENGTH + GIT_SUFFIX.length()) {
            throw new InvalidRepositoryName(raw == null || raw.isEmpty() ? "empty repository name"
                    : "repository name longer than " + MAX_LENGTH + " characters");
        }
        String name = raw.endsWith(GIT_SUFFIX) ? raw.substring(0, raw.length() - GIT_SUFFIX.length()) : raw;
        if (name.length() > MAX_LENGTH) {
            throw new InvalidRepositoryName("repository name longer than " + MAX_LENGTH + " characters");
        }
        if (isReserved(name)) {
            throw new InvalidRepositoryName("invalid repository name: '" + RESERVED + "' is reserved for gitwar's own URLs");
        }
        if (!isValid(name)) {
            throw new InvalidRepositoryName("invalid repository name: segments of [A-Za-z0-9._-] separated by '/',"
                    + " none empty or starting with '.'");
        }
        return new RepositoryName(name);
    }

    private static boolean isReserved(String name) {
        return name.equals(RESERVED) || name.startsWith(RESERVED + "/");
    }

    private static boolean isValid(String name) {
        if (name == null || name.isEmpty() || name.length() > MAX_LENGTH || isReserved(name)) {
            return false;
        }
        for (String segment : name.split("/", -1)) {
            if (!SEGMENT.matcher(segment).matches()) {
                return false;
            }
        }
        return true;
    }

    /*
     * equals and hashCode written out, not generated: a record's generated ones are bootstrapped by
     * java.lang.runtime.ObjectMethods, whose shared method handles keep the last record class they
     * were adapted to (JDK 17's MethodHandle.asTypeCache). This map key's class was that last one,
     * and kept an undeployed gitwar's class loader (measured on WildFly).
     */
    @Override
    public boolean equals(Object other) {
        return other instanceof RepositoryName name && value.equals(name.value);
    }

    @Override
    public int hashCode() {
        return value.hashCode();
    }

    @Override
    public String toString() {
        return value;
    }
}
