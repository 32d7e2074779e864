package io.gitwar.it;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * gitwar deployed, redeployed and undeployed on a running server as an administrator does it
 * (bench/redeploy.sh): on WildFly the provisioned server (target/server) with its CLI; on Payara,
 * Payara Server (the full distribution, unpacked to target/payara6) in a new domain set up as the
 * README says, with asadmin: Payara Micro only deploys at its start. After every deployment a push
 * and a smart and a dumb clone, fsck'd. The script fails if a git step fails, a pushed commit is
 * missing, or undeployed gitwars' class loaders pile up beyond what the server itself keeps.
 */
class RedeployIT {

    /**
     * Enough for a leak of one class loader per redeploy to exceed what the server itself keeps
     * (bench/redeploy.sh, KEPT: 3 on WildFly, 5 on Payara) within the run.
     */
    private static final int REDEPLOYS = TestedServer.isPayara() ? 7 : 5;

    @TempDir
    Path tmp;

    @Test
    void redeploysServeEveryPushAndKeepNoClassLoaderPerRedeploy() throws Exception {
        ProcessBuilder pb = new ProcessBuilder("bash", Path.of("bench", "redeploy.sh").toAbsolutePath().toString(),
                TestedServer.isPayara() ? "payara" : "wildfly", Integer.toString(REDEPLOYS))
                .redirectErrorStream(true).redirectOutput(tmp.resolve("out.txt").toFile());
        pb.environment().put("WORK", tmp.resolve("work").toString());
        pb.environment().put("PORT", Integer.toString(BootableServer.HTTP_PORT));
        pb.environment().put("MGMT", Integer.toString(BootableServer.MANAGEMENT_PORT));
        pb.environment().put("PORTBASE", System.getProperty("it.payara-server.portbase", "17700"));
        Process p = pb.start();
        boolean done = p.waitFor(20, TimeUnit.MINUTES);
        if (!done) {
            p.descendants().forEach(ProcessHandle::destroy); // the script's trap stops the server
            p.destroy();
            p.waitFor(2, TimeUnit.MINUTES);
        }
        String out = Files.readString(tmp.resolve("out.txt"));
        System.out.println(out);
        assertEquals(true, done, "redeploy.sh did not finish in 20 minutes:\n" + out);
        assertEquals(0, p.exitValue(), "redeploy.sh failed:\n" + out);
    }
}
