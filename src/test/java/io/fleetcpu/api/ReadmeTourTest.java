package io.fleetcpu.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import io.fleetcpu.agent.libvirt.LibvirtConnection;
import io.fleetcpu.agent.libvirt.LibvirtException;
import io.fleetcpu.testing.ApiTest;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * README.md's "A tour with curl" is {@code docs/tour.sh}: the script runs against a service started here and every
 * answer must be as it expects; and README must show the script's commands, in the script's order, so that the two
 * cannot drift apart again.
 */
class ReadmeTourTest extends ApiTest {

    private static final Path SCRIPT = Path.of("docs/tour.sh");
    private static final Path README = Path.of("README.md");
    private static final String TOUR_HEADING = "## A tour with curl";
    private static final String SCRIPT_TOUR_MARKER = "# ==== README.md's tour from here";
    private static final String LIBVIRT_URI = System.getProperty("fleetcpu.libvirt.qemu.uri", "qemu:///system");

    @TempDir
    Path dir;

    @Test
    void theTourRunsAgainstTheService() throws IOException, InterruptedException {
        Path token = Files.writeString(dir.resolve("api-token"), TOKEN + "\n");
        ProcessBuilder bash = new ProcessBuilder("bash", SCRIPT.toString(), uri("").toString(), token.toString())
                .redirectErrorStream(true);
        Map<String, String> env = bash.environment();
        env.keySet().removeIf(name -> name.startsWith("FLEETCPU_") || name.startsWith("TOUR_"));
        // No jar before 'package': the agent runs from the tests' classpath, as 'java -jar fleetcpu.jar agent' would.
        env.put(
                "FLEETCPU_TOUR_AGENT",
                Path.of(System.getProperty("java.home"), "bin", "java")
                        + " io.fleetcpu.FleetcpuApplication agent --deadline 60s");
        env.put("CLASSPATH", System.getProperty("surefire.test.class.path", System.getProperty("java.class.path")));
        env.put("FLEETCPU_LIBVIRT_URI", LIBVIRT_URI);
        env.put("TOUR_BODY_CHARS", "300");

        Process tour = bash.start();
        tour.getOutputStream().close();
        String output = new String(tour.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(tour.waitFor(10, TimeUnit.MINUTES)).as("the tour finished").isTrue();
        System.out.println(output);

        assertThat(tour.exitValue())
                .as("exit code of docs/tour.sh; its output:%n%s", output)
                .isZero();
        assertThat(output).contains("tour: all ").contains(" steps answered as expected");
        if (libvirtdAnswers()) {
            // Where a libvirtd answers, the agent step must really run: a skip would hide a broken agent command.
            assertThat(output).as("the agent registered this machine").contains("registered: HTTP 201 (new host)");
        } else {
            assertThat(output).contains("(skipped: no libvirtd answers");
        }
    }

    @Test
    void readmeShowsTheScriptsCommandsInItsOrder() throws IOException {
        List<String> readme = commands(readmeTour());
        List<String> script = commands(scriptTour());

        assertThat(readme).as("commands of README's tour").hasSizeGreaterThan(40);
        for (int i = 0; i < Math.max(readme.size(), script.size()); i++) {
            String shown = i < readme.size() ? readme.get(i) : "(nothing more)";
            String run = i < script.size() ? script.get(i) : "(nothing more)";
            if (!run.contains(shown)) {
                fail(
                        "command %d of README's tour is not the script's command %d:%n  README:       %s%n"
                                + "  docs/tour.sh: %s",
                        i + 1, i + 1, shown, run);
            }
        }
        assertThat(readme).hasSameSizeAs(script);
    }

    @Test
    void commandsAreReadAsTheShellReadsThem() {
        List<String> lines = List.of(
                "FLEETCPU=http://localhost:8080",
                "curl -s \"$FLEETCPU/a\"   # a comment",
                "step 200 \"title\" \\",
                "  curl -s -X PUT \"$FLEETCPU/b\" \\",
                "  -d '{",
                "  \"x\": 1  # not a comment",
                "}'",
                "ETAG=$(curl -s -D - \"$FLEETCPU/c\" | awk '{ print $2 }')",
                "curl -s -X POST \"$FLEETCPU/d\" -d @- <<EOF",
                "{\"y\":  2}",
                "EOF",
                "java -jar target/fleetcpu.jar agent --server \"$FLEETCPU\" --aggregate lab");
        assertThat(commands(lines))
                .containsExactly(
                        "curl -s \"$FLEETCPU/a\"",
                        "curl -s -X PUT \"$FLEETCPU/b\" -d '{ \"x\": 1 # not a comment }'",
                        "ETAG=$(curl -s -D - \"$FLEETCPU/c\" | awk '{ print $2 }')",
                        "curl -s -X POST \"$FLEETCPU/d\" -d @- <<EOF {\"y\": 2} EOF",
                        "$AGENT --server \"$FLEETCPU\" --aggregate lab");
    }

    /** The shell lines of README's tour: its {@code sh} blocks, from its heading to the next section. */
    private static List<String> readmeTour() throws IOException {
        List<String> lines = Files.readAllLines(README);
        int start = lines.indexOf(TOUR_HEADING);
        assertThat(start).as("README has the section '%s'", TOUR_HEADING).isNotNegative();
        List<String> shell = new ArrayList<>();
        boolean inShell = false;
        for (String line : lines.subList(start + 1, lines.size())) {
            if (!inShell && line.startsWith("## ")) {
                break;
            }
            if (line.startsWith("```")) {
                inShell = !inShell && line.strip().equals("```sh");
                continue;
            }
            if (inShell) {
                shell.add(line);
            }
        }
        return shell;
    }

    /** The lines of the script after its marker. */
    private static List<String> scriptTour() throws IOException {
        List<String> lines = Files.readAllLines(SCRIPT);
        int start = -1;
        for (int i = 0; i < lines.size() && start < 0; i++) {
            if (lines.get(i).startsWith(SCRIPT_TOUR_MARKER)) {
                start = i;
            }
        }
        assertThat(start)
                .as("docs/tour.sh has the line '%s'", SCRIPT_TOUR_MARKER)
                .isNotNegative();
        return lines.subList(start + 1, lines.size());
    }

    /**
     * Every curl command (and the agent's command line) in these shell lines, whole: continued lines joined,
     * quoted text spanning lines and here-documents included, comments dropped, blanks collapsed. The agent started
     * as README writes it ({@code java -jar target/fleetcpu.jar agent}) is the script's {@code $AGENT}.
     */
    static List<String> commands(List<String> lines) {
        List<String> commands = new ArrayList<>();
        for (int i = 0; i < lines.size(); i++) {
            String line = withoutComment(lines.get(i))
                    .strip()
                    .replace("java -jar target/fleetcpu.jar agent --server", "$AGENT --server");
            boolean command = line.startsWith("curl ")
                    || line.contains("$(curl ")
                    || line.contains("$AGENT --server \"$FLEETCPU\"");
            if (!command) {
                continue;
            }
            StringBuilder text = new StringBuilder(line);
            while ((endsContinued(text) || quotesOpen(text)) && i + 1 < lines.size()) {
                if (endsContinued(text)) {
                    text.setLength(text.length() - 1);
                }
                text.append(' ').append(quotesOpen(text) ? lines.get(++i) : withoutComment(lines.get(++i)));
            }
            if (text.toString().strip().endsWith("<<EOF")) {
                while (i + 1 < lines.size()) {
                    String body = lines.get(++i);
                    text.append(' ').append(body);
                    if (body.strip().equals("EOF")) {
                        break;
                    }
                }
            }
            commands.add(text.toString().strip().replaceAll("\\s+", " "));
        }
        return commands;
    }

    private static boolean endsContinued(CharSequence text) {
        return text.length() > 0 && text.charAt(text.length() - 1) == '\\';
    }

    /** A single-quoted string is still open at the end of the text. */
    private static boolean quotesOpen(CharSequence text) {
        boolean single = false;
        boolean dbl = false;
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c == '\'' && !dbl) {
                single = !single;
            } else if (c == '"' && !single && (i == 0 || text.charAt(i - 1) != '\\')) {
                dbl = !dbl;
            }
        }
        return single;
    }

    /** The line without a shell comment: a '#' outside quotes, at the start or after a blank. */
    private static String withoutComment(String line) {
        boolean single = false;
        boolean dbl = false;
        for (int i = 0; i < line.length(); i++) {
            char c = line.charAt(i);
            if (c == '\'' && !dbl) {
                single = !single;
            } else if (c == '"' && !single && (i == 0 || line.charAt(i - 1) != '\\')) {
                dbl = !dbl;
            } else if (c == '#' && !single && !dbl && (i == 0 || Character.isWhitespace(line.charAt(i - 1)))) {
                return line.substring(0, i).stripTrailing();
            }
        }
        return line.stripTrailing();
    }

    private static boolean libvirtdAnswers() {
        try (LibvirtConnection probe = LibvirtConnection.open(LIBVIRT_URI)) {
            return true;
        } catch (LibvirtException | LinkageError e) {
            return false;
        }
    }
}
