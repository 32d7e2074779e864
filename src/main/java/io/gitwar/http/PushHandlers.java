package io.gitwar.http;

import io.gitwar.service.GitwarConfig;
import io.gitwar.service.PushService;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.servlet.http.HttpServletResponse;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;

/** Smart receive-pack over HTTP: the ref advertisement and the push itself. */
@ApplicationScoped
class PushHandlers {

    @Inject
    PushService pushes;

    @Inject
    GitwarConfig config;

    void advertise(GitExchange x) throws IOException {
        // Buffered for its ETag: it lists the refs, which JGit holds in memory anyway.
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        pushes.advertise(x.view(), body);
        HttpCaching.sendMutable(x.request, x.response, "application/x-git-receive-pack-advertisement",
                body.toByteArray());
    }

    void receive(GitExchange x) throws IOException {
        InputStream raw = RequestBodies.open(x.request, "application/x-git-receive-pack-request");
        try (SpooledBody body = SpooledBody.read(raw, config.spoolDir())) {
            HttpServletResponse r = x.response;
            r.setContentType("application/x-git-receive-pack-result");
            HttpCaching.noCache(r);
            pushes.receive(x.actor(), body.open(), r.getOutputStream());
        }
    }
}
