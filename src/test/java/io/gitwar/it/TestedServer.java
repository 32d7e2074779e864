package io.gitwar.it;

/**
 * The application server the integration tests run on, chosen per failsafe execution (pom:
 * {@code it.server}): the Arquillian container and the servers tests start themselves
 * ({@link BootableServer}, the scripts in bench/) are both of this kind. Tests that expect
 * something different of one server say why where they ask.
 */
public enum TestedServer {
    /** WildFly 39: Arquillian's server from target/server, tests' own from target/gitwar-bootable.jar. */
    WILDFLY,
    /** Payara Micro 6 with target/git.war, for both. */
    PAYARA;

    public static TestedServer current() {
        return "payara".equals(System.getProperty("it.server")) ? PAYARA : WILDFLY;
    }

    public static boolean isPayara() {
        return current() == PAYARA;
    }
}
