package io.gitwar.it;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Path;
import org.jboss.arquillian.container.test.api.ContainerController;
import org.jboss.arquillian.container.test.api.Deployer;
import org.jboss.arquillian.container.test.api.Deployment;
import org.jboss.arquillian.container.test.api.RunAsClient;
import org.jboss.arquillian.container.test.api.TargetsContainer;
import org.jboss.arquillian.junit5.ArquillianExtension;
import org.jboss.arquillian.test.api.ArquillianResource;
import org.jboss.shrinkwrap.api.spec.WebArchive;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/** What was pushed is still there after the server JVM stopped and started again. */
@ExtendWith(ArquillianExtension.class)
@RunAsClient
class RestartIT {

    private static final String CONTAINER = "restartable";
    private static final String DEPLOYMENT = "gitwar-restartable";
    /** The manual container has its own port (arquillian.xml, pom: it.restart.port-offset, it.payara.restart-port). */
    private static final String BASE = "http://127.0.0.1:" + (TestedServer.isPayara()
            ? Integer.getInteger("it.payara.restart-port", 8681)
            : 8080 + Integer.getInteger("it.restart.port-offset", 200)) + "/git/";

    @ArquillianResource
    ContainerController controller;

    @ArquillianResource
    Deployer deployer;

    @TempDir
    Path tmp;

    @Deployment(name = DEPLOYMENT, managed = false, testable = false)
    @TargetsContainer(CONTAINER)
    static WebArchive deployment() {
        return Deployments.gitwar();
    }

    @Test
    void everythingPushedSurvivesARestart() throws Exception {
        GitCli git = new GitCli(tmp.resolve("home"));
        Path src = SampleRepository.create(git, tmp.resolve("src"));
        String url = BASE + Deployments.repo("restart") + ".git";
        try {
            start();
            git.ok(src, "push", "--mirror", url);
            stop();
            start();
            Path clone = tmp.resolve("clone");
            git.with("GIT_SMART_HTTP", "0").ok(tmp, "clone", "--mirror", url, clone.toString());
            assertEquals(git.ok(src, "for-each-ref", "--format=%(objectname) %(refname)"),
                    git.ok(clone, "for-each-ref", "--format=%(objectname) %(refname)"));
            git.run(clone, "fsck", "--full").ok();
        } finally {
            stop();
        }
    }

    private boolean deployed;

    private void start() {
        controller.start(CONTAINER);
        deployer.deploy(DEPLOYMENT); // every start runs from a fresh configuration: deploy again
        deployed = true;
    }

    private void stop() {
        if (TestedServer.isPayara() && deployed) {
            // Payara Micro's adapter runs the server from deploy to undeploy (its container stop does
            // nothing): the undeploy is what stops the JVM, in order (SIGTERM)
            deployer.undeploy(DEPLOYMENT);
        }
        deployed = false;
        controller.stop(CONTAINER);
    }
}
