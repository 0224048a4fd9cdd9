package io.fleetcpu.system;

import java.io.UncheckedIOException;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Agents registering hosts as fast as they can, from several threads, until {@link #stop()} or until the service
 * stops answering. Every registration is a new host with a real CPU from the fixtures; what the service answered is
 * kept for checking afterwards.
 */
final class RegistrationStorm {

    static final JsonMapper JSON = JsonMapper.builder().build();

    private static final List<String> CPUS = List.of(
            "libvirt-9.9.0/x86_64-cpuid-Core-i5-4670T-host.xml",
            "libvirt-9.9.0/x86_64-cpuid-Core-i5-6600-host.xml",
            "libvirt-9.9.0/x86_64-cpuid-EPYC-7502-32-Core-host.xml",
            "libvirt-9.9.0/x86_64-cpuid-Xeon-E5-2650-v3-host.xml");

    /** A registration sent, with the service's answer. */
    record Registration(String id, String hostname, List<String> aggregates, int status, JsonNode answer) {}

    private final ServiceProcess service;
    private final String name;
    private final AtomicBoolean stopped = new AtomicBoolean();
    private final AtomicInteger sent = new AtomicInteger();
    private final AtomicInteger unanswered = new AtomicInteger();
    private final AtomicInteger answerCount = new AtomicInteger();
    private final ConcurrentLinkedQueue<Registration> answered = new ConcurrentLinkedQueue<>();
    private final List<Thread> agents = new ArrayList<>();
    private volatile int killAt = Integer.MAX_VALUE;
    private volatile Runnable kill;

    private RegistrationStorm(ServiceProcess service, String name) {
        this.service = service;
        this.name = name;
    }

    /** Starts {@code agents} threads registering hosts named {@code name-N}. */
    static RegistrationStorm start(ServiceProcess service, String name, int agents) {
        RegistrationStorm storm = new RegistrationStorm(service, name);
        for (int i = 0; i < agents; i++) {
            Thread agent = new Thread(storm::registerUntilStopped, name + "-agent-" + i);
            storm.agents.add(agent);
            agent.start();
        }
        return storm;
    }

    private void registerUntilStopped() {
        while (!stopped.get()) {
            int n = sent.incrementAndGet();
            String id = UUID.randomUUID().toString();
            String hostname = name + "-" + n;
            List<String> aggregates = List.of(name + "-rack-" + (n % 3));
            Map<String, Object> body = new LinkedHashMap<>();
            body.put("hostname", hostname);
            body.put("aggregates", aggregates);
            body.put("capabilitiesXml", RunningService.capabilities(id, CPUS.get(n % CPUS.size())));
            try {
                HttpResponse<String> response = service.post("/hosts", JSON.writeValueAsString(body));
                JsonNode answer = response.body().startsWith("{") ? JSON.readTree(response.body()) : null;
                answered.add(new Registration(id, hostname, aggregates, response.statusCode(), answer));
                if (answerCount.incrementAndGet() == killAt) {
                    kill.run();
                }
            } catch (UncheckedIOException e) {
                // connection refused or cut: no answer; a service that is gone stays gone
                unanswered.incrementAndGet();
                if (!service.jvm().isAlive()) {
                    return;
                }
                try {
                    Thread.sleep(10);
                } catch (InterruptedException interrupted) {
                    return;
                }
            }
        }
    }

    /** Waits until {@code count} registrations got an answer (or the limit passes). */
    void awaitAnswers(int count, long limitSeconds) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(limitSeconds);
        while (answered.size() < count && System.nanoTime() < deadline) {
            Thread.sleep(5);
        }
    }

    /**
     * Runs {@code kill} in the agent that gets the {@code count}th answer, the moment it gets it: a commit just
     * answered is the one most likely not on disk yet when commits are not flushed before the answer.
     */
    void killAfterAnswers(int count, Runnable kill) {
        this.kill = kill;
        this.killAt = count;
    }

    /** Stops sending and waits for the requests under way. */
    void stop() throws InterruptedException {
        stopped.set(true);
        for (Thread agent : agents) {
            agent.join(TimeUnit.SECONDS.toMillis(60));
        }
    }

    List<Registration> answered() {
        return List.copyOf(answered);
    }

    int unanswered() {
        return unanswered.get();
    }
}
