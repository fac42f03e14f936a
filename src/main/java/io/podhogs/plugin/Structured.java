package io.podhogs.plugin;

import java.util.TreeMap;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.util.DefaultIndenter;
import com.fasterxml.jackson.core.util.DefaultPrettyPrinter;
import com.fasterxml.jackson.core.util.Separators;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.fasterxml.jackson.dataformat.yaml.YAMLGenerator;

/**
 * -o json and -o yaml: the rows as the agents sent them (plus "node", or "nodes" for rows summed
 * across nodes), the totals, and which nodes answered and which did not (and why), so that a script
 * needs neither stderr nor the exit code to know the answer is partial.
 */
final class Structured {
    private Structured() {
    }

    /** The agent's field names (snake_case), for its {@link io.podhogs.export.api.Usage}. */
    static ObjectMapper mapper() {
        return new ObjectMapper().setPropertyNamingStrategy(PropertyNamingStrategies.SNAKE_CASE)
                .configure(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES, false);
    }

    static ObjectNode document(Query q, ClusterAnswer answer, ObjectMapper json) {
        ObjectNode doc = json.createObjectNode();
        doc.put("view", q.view().list());
        doc.put("window", q.window());
        ArrayNode items = doc.putArray("items");
        answer.rows().forEach(r -> items.add(r.json()));
        doc.set("totals", json.valueToTree(answer.totals()));
        ArrayNode answered = doc.putArray("answered");
        answer.answered().forEach(answered::add);
        ArrayNode unanswered = doc.putArray("unanswered");
        for (NodeAnswer a : answer.unanswered()) {
            ObjectNode n = unanswered.addObject();
            n.put("node", a.agent().node());
            n.put("agent", a.agent().name());
            n.put("reason", a.failure());
        }
        if (!answer.omitted().isEmpty()) {
            // Only when an agent left rows out: its list is then the busiest connections, not all.
            ObjectNode omitted = doc.putObject("omitted");
            new TreeMap<>(answer.omitted()).forEach(omitted::put);
        }
        return doc;
    }

    static String render(Query q, ClusterAnswer answer, ObjectMapper json) {
        return write(document(q, answer, json), q.output(), json);
    }

    /** A document as -o json (kubectl's layout) or -o yaml writes it. */
    static String write(ObjectNode doc, Query.Output output, ObjectMapper json) {
        try {
            if (output == Query.Output.YAML) {
                ObjectMapper yaml = new ObjectMapper(YAMLFactory.builder()
                        .disable(YAMLGenerator.Feature.WRITE_DOC_START_MARKER)
                        .enable(YAMLGenerator.Feature.MINIMIZE_QUOTES)
                        .disable(YAMLGenerator.Feature.SPLIT_LINES) // a reason stays one line, as it is on stderr
                        .enable(YAMLGenerator.Feature.INDENT_ARRAYS_WITH_INDICATOR).build());
                return yaml.writeValueAsString(doc);
            }
            // kubectl's JSON: four spaces, "key": value, one array element a line (Jackson's default
            // printer writes "key" : value and [ {).
            DefaultIndenter indenter = new DefaultIndenter("    ", "\n");
            DefaultPrettyPrinter printer = new DefaultPrettyPrinter().withSeparators(Separators.createDefaultInstance()
                    .withObjectFieldValueSpacing(Separators.Spacing.AFTER).withObjectEmptySeparator("")
                    .withArrayEmptySeparator(""));
            printer.indentObjectsWith(indenter);
            printer.indentArraysWith(indenter);
            return json.writer(printer).writeValueAsString(doc) + "\n";
        } catch (JsonProcessingException e) {
            throw PluginException.error("cannot write the answer: " + e.getOriginalMessage());
        }
    }
}
