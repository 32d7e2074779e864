package io.gitwar.it.sample;

import jakarta.inject.Inject;
import jakarta.servlet.annotation.WebServlet;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;

/** Test-only: what {@link SampleObserver} saw, one line per event, at {@code /git/-/test/events}. */
@WebServlet("/-/test/events")
public class ObservedEventsServlet extends HttpServlet {

    private static final long serialVersionUID = 1L;

    @Inject
    SampleObserver observer;

    @Override
    protected void doGet(HttpServletRequest request, HttpServletResponse response) throws IOException {
        response.setContentType("text/plain;charset=utf-8");
        response.getWriter().write(String.join("\n", observer.seen()));
    }
}
