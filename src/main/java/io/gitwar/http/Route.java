package io.gitwar.http;

import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * One row of the routing table: the methods it answers, the resource path under a repository (a
 * regular expression), the {@code ?service=} value it is for (null: any or none), and who answers
 * it. GET rows also answer HEAD.
 */
final class Route {

    final Set<String> methods;
    final String resource;
    final String service;
    final GitHandler handler;
    private final Pattern path;

    Route(Set<String> methods, String resource, String service, GitHandler handler) {
        this.methods = methods;
        this.resource = resource;
        this.service = service;
        this.handler = handler;
        // the repository is the shortest prefix after which the resource matches to the end
        this.path = Pattern.compile("/(?<repo>.+?)/(?<resource>" + resource + ")");
    }

    /** Splits a path into repository and resource if the resource is this route's; null otherwise. */
    Matcher match(String requestPath) {
        Matcher m = path.matcher(requestPath);
        return m.matches() ? m : null;
    }

    boolean answers(String method) {
        return methods.contains(method) || ("HEAD".equals(method) && methods.contains("GET"));
    }

    boolean servesService(String requested) {
        return service == null || service.equals(requested);
    }
}
