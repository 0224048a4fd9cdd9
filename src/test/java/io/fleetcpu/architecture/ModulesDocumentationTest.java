package io.fleetcpu.architecture;

import static org.assertj.core.api.Assertions.fail;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.springframework.modulith.docs.Documenter;
import org.springframework.modulith.docs.Documenter.CanvasOptions;
import org.springframework.modulith.docs.Documenter.DiagramOptions;

/**
 * {@code docs/modules/} is written by Spring Modulith's {@link Documenter} from the code's modules (ModulesTest): a
 * PlantUML component diagram of all modules ({@code components.puml}), one per module with the modules it uses
 * ({@code module-NAME.puml}), each module's canvas ({@code module-NAME.adoc}: its Spring components, the beans it
 * uses from other modules, its entities, the events it listens to) and {@code all-docs.adoc}, which includes them
 * all. This test writes them again to {@code target/modules-docs} and fails when they differ from the committed
 * files. If the change to the modules is meant, regenerate them and review the diff:
 *
 * <pre>
 * ./mvnw -q -o test -Dtest=ModulesDocumentationTest -Dfleetcpu.modules.write=true
 * </pre>
 */
class ModulesDocumentationTest {

    private static final Path COMMITTED = Path.of("docs", "modules");
    private static final Path WRITTEN = Path.of("target", "modules-docs");
    private static final String REGENERATE =
            "./mvnw -q -o test -Dtest=ModulesDocumentationTest " + "-Dfleetcpu.modules.write=true";

    @Test
    void docsModulesIsWhatTheDocumenterWrites() throws IOException {
        DiagramOptions diagrams = DiagramOptions.defaults();
        CanvasOptions canvases = CanvasOptions.defaults();
        // Not writeDocumentation(): it would also write the modules' metadata into target/classes, for Modulith's
        // runtime, which the service does not use
        new Documenter(ModulesTest.MODULES, Documenter.Options.defaults().withOutputFolder(WRITTEN.toString()))
                .writeModulesAsPlantUml(diagrams)
                .writeIndividualModulesAsPlantUml(diagrams)
                .writeModuleCanvases(canvases)
                .writeAggregatingDocument(diagrams, canvases);
        Map<String, String> written = new TreeMap<>();
        files(WRITTEN).forEach((name, text) -> written.put(name, normalized(text)));
        if (Boolean.getBoolean("fleetcpu.modules.write")) {
            Files.createDirectories(COMMITTED);
            for (String stale : files(COMMITTED).keySet()) {
                Files.delete(COMMITTED.resolve(stale));
            }
            for (Map.Entry<String, String> file : written.entrySet()) {
                Files.writeString(COMMITTED.resolve(file.getKey()), file.getValue(), StandardCharsets.UTF_8);
            }
        }
        List<String> differences = differences(files(COMMITTED), written);
        if (!differences.isEmpty()) {
            fail(String.format(
                    "docs/modules/ is not what Spring Modulith's Documenter writes from the code now "
                            + "(%s):%n  %s%nIf the change to the modules is meant, regenerate docs/modules/ and review "
                            + "its diff:%n  %s",
                    WRITTEN, String.join(System.lineSeparator() + "  ", differences), REGENERATE));
        }
    }

    /**
     * The text as the repository keeps it: each run of PlantUML relationship lines ({@code Rel(...)}) sorted, since
     * the Documenter writes them in the order ArchUnit hands out dependencies, which changes from one run to the next
     * (their order means nothing to the diagram); no trailing spaces and a final newline, as .editorconfig asks.
     */
    static String normalized(String text) {
        List<String> lines =
                new ArrayList<>(text.lines().map(String::stripTrailing).toList());
        int start = 0;
        while (start < lines.size()) {
            int end = start;
            while (end < lines.size() && lines.get(end).startsWith("Rel(")) {
                end++;
            }
            Collections.sort(lines.subList(start, end));
            start = end + 1;
        }
        return String.join("\n", lines) + "\n";
    }

    /** The files of a folder by name (the Documenter writes no subfolders), or none when it does not exist. */
    private static Map<String, String> files(Path folder) throws IOException {
        Map<String, String> files = new TreeMap<>();
        if (!Files.isDirectory(folder)) {
            return files;
        }
        try (Stream<Path> listed = Files.list(folder)) {
            for (Path file : listed.filter(Files::isRegularFile).toList()) {
                files.put(file.getFileName().toString(), Files.readString(file, StandardCharsets.UTF_8));
            }
        }
        return files;
    }

    /** Per file: only committed, only written, or the first line where the two differ. */
    private static List<String> differences(Map<String, String> committed, Map<String, String> written) {
        List<String> differences = new ArrayList<>();
        Set<String> names = new TreeSet<>(committed.keySet());
        names.addAll(written.keySet());
        for (String name : names) {
            String expected = committed.get(name);
            String actual = written.get(name);
            if (actual == null) {
                differences.add(name + ": in docs/modules/ but no longer written");
            } else if (expected == null) {
                differences.add(name + ": written but not in docs/modules/");
            } else if (!expected.equals(actual)) {
                List<String> e = expected.lines().toList();
                List<String> a = actual.lines().toList();
                int line = 0;
                while (line < e.size() && line < a.size() && e.get(line).equals(a.get(line))) {
                    line++;
                }
                differences.add(
                        e.equals(a)
                                ? name + ": line endings or the final newline differ"
                                : String.format(
                                        "%s, line %d: docs/modules/ has \"%s\", the Documenter writes \"%s\"",
                                        name,
                                        line + 1,
                                        line < e.size() ? e.get(line) : "<end of file>",
                                        line < a.size() ? a.get(line) : "<end of file>"));
            }
        }
        return differences;
    }
}
