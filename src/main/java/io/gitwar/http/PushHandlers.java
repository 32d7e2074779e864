package io.gitwar.http;

import io.gitwar.service.GitwarConfig;
import io.gitwar.service.PushService;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.servlet.http.HttpServletResponse;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.InterruptedIOException;

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
        pushes.requirePushesEnabled(); // before reading a body that would be refused anyway
        try (SpooledBody body = spool(x)) {
            HttpServletResponse r = x.response;
            r.setContentType("application/x-git-receive-pack-result");
            HttpCaching.noCache(r);
            pushes.receive(x.actor(), body.open(), body.overflowed() ? -1 : body.length(), r.getOutputStream());
        }
    }

    /** Reads the whole body first (within the push limits and the read timeout). */
    private SpooledBody spool(GitExchange x) throws IOException {
        try (ReadTimeout timeout = new ReadTimeout(config.limits().requestReadTimeout())) {
            InputStream in = RequestBodies.open(x.request, "application/x-git-receive-pack-request", timeout::guard);
            return SpooledBody.read(in, config.spoolDir(), pushes.maxBodyBytes());
        } catch (InterruptedIOException e) {
            throw new RequestTimeout("no data from the client for " + config.limits().requestReadTimeout().toSeconds()
                    + " s: request abandoned");
        }
    }
}
