package io.fleetcpu.system;

import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandleProxies;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;

/**
 * SIGTERM is how the service is meant to end (systemd, {@code docker stop}, {@code kill}, and Maven's
 * {@code spring-boot:run} when it is interrupted): it stops as on any exit (the web server finishes its requests, then
 * the database stops) and then exits with status 0, not the JVM's 143, which systemd and Maven report as a failure.
 */
public final class StopSignal {

    private StopSignal() {}

    /**
     * Called once, before the application starts. The handler is {@code sun.misc.Signal}'s (module jdk.unsupported,
     * the JDK's kept API for signals), reached by name: javac warns at every build about a direct use, and the
     * in-process compiler Maven runs has no switch for that warning.
     */
    public static void exitCleanlyOnSigterm() {
        try {
            Class<?> signal = Class.forName("sun.misc.Signal");
            Class<?> handlerType = Class.forName("sun.misc.SignalHandler");
            MethodHandle exit = MethodHandles.lookup()
                    .findStatic(StopSignal.class, "exitZero", MethodType.methodType(void.class, Object.class));
            Object handler = MethodHandleProxies.asInterfaceInstance(handlerType, exit);
            signal.getMethod("handle", signal, handlerType)
                    .invoke(null, signal.getConstructor(String.class).newInstance("TERM"), handler);
        } catch (ReflectiveOperationException | IllegalArgumentException e) {
            // No such API, or the JVM keeps SIGTERM to itself (-Xrs): its own handling stays, exit status 143.
        }
    }

    private static void exitZero(Object signal) {
        System.exit(0);
    }
}
