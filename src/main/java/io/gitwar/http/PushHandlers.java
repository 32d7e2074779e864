package io.gitwar.http;

import io.gitwar.config.GitwarConfig;
import io.gitwar.service.push.PushClient;
import io.gitwar.service.push.PushService;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;

/** Smart receive-pack over HTTP: the ref advertisement and the push itself. */
@ApplicationScoped
class PushHandlers {

    @Inject
    ClusterForwarding forwarding;

    @Inject
    PushService pushes;

    @Inject
    GitwarConfig config;

    void advertise(GitRequest x) throws IOException {
        // Buffered for its ETag: it lists the refs, which JGit holds in memory anyway.
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        pushes.advertise(x.lease(), body);
        HttpCaching.sendMutable(x.request(), x.response(), "application/x-git-receive-pack-advertisement",
                body.toByteArray());
    }

    void receive(GitRequest x) throws IOException {
        pushes.requirePushesEnabled(); // before reading a body that would be refused anyway
        try (SpooledBody body = spool(x); InputStream in = body.open()) {
            HttpServletResponse r = x.response();
            r.setContentType("application/x-git-receive-pack-result");
            HttpCaching.noCache(r);
            pushes.receive(x.lease(), client(x.request()), in, body.overflowed() ? -1 : body.length(),
                    r.getOutputStream());
        }
    }

    /**
     * The pushing client's address (the one its quota counts: in a cluster, as the node that forwarded
     * the push saw it) and the URL of gitwar's root as the request reached this node.
     */
    private PushClient client(HttpServletRequest request) {
        String scheme = request.getScheme();
        int port = request.getServerPort();
        boolean defaultPort = port <= 0 || (scheme.equals("http") && port == 80) || (scheme.equals("https") && port == 443);
        String host = request.getServerName();
        if (host.indexOf(':') >= 0) {
            host = "[" + host + "]"; // an IPv6 literal
        }
        return new PushClient(forwarding.client(request),
                scheme + "://" + host + (defaultPort ? "" : ":" + port) + request.getContextPath() + "/");
    }

    /** Reads the whole body first (within the push limits; the request's guard bounds how long). */
    private SpooledBody spool(GitRequest x) throws IOException {
        String type = "application/x-git-receive-pack-request";
        return SpooledBody.read(RequestBodies.openPush(x.request(), type), config.spoolDir(), pushes.maxBodyBytes(),
                pushes::requireRoomFor);
    }
}
