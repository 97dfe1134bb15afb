package io.splicelab.gateway.exports;

import com.fasterxml.jackson.databind.JsonNode;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.RecordComponent;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * A list of view records (the items of a JSON list endpoint) as a tidy table: one row per item, one column per
 * field, in the record's order, named as in the JSON, so the CSV of an endpoint keeps step with its JSON as the views
 * change. A JSON object field (a run's {@code config}) becomes one column per key, {@code config.<key>}, after the
 * other columns (keys in the order first met; a nested object or an array stays compact JSON in its field). Leading
 * columns (the run id of per-run lists) can be given.
 */
public final class RecordTable {
    private RecordTable() {
    }

    /**
     * @param type the view record; its components are the columns, even when there are no items
     * @param leading columns before the record's, with one value each for every row (e.g. {@code runId})
     */
    public static <R extends Record> TidyCsv.Table of(Class<R> type, List<? extends R> items,
            Map<String, Object> leading) {
        RecordComponent[] components = type.getRecordComponents();
        List<RecordComponent> plain = new ArrayList<>();
        List<RecordComponent> objects = new ArrayList<>();
        for (RecordComponent c : components) {
            if (leading.containsKey(c.getName())) {
                continue; // already a leading column
            }
            (JsonNode.class.isAssignableFrom(c.getType()) && isObjectColumn(c, items) ? objects : plain).add(c);
        }
        List<Set<String>> keys = new ArrayList<>();
        for (RecordComponent c : objects) {
            Set<String> k = new LinkedHashSet<>();
            for (R item : items) {
                JsonNode node = (JsonNode) value(c, item);
                if (node != null && node.isObject()) {
                    node.fieldNames().forEachRemaining(k::add);
                }
            }
            keys.add(k);
        }
        List<String> columns = new ArrayList<>(leading.keySet());
        plain.forEach(c -> columns.add(c.getName()));
        for (int i = 0; i < objects.size(); i++) {
            String prefix = objects.get(i).getName() + ".";
            keys.get(i).forEach(k -> columns.add(prefix + k));
        }
        List<List<Object>> rows = new ArrayList<>(items.size());
        for (R item : items) {
            List<Object> row = new ArrayList<>(leading.values());
            plain.forEach(c -> row.add(value(c, item)));
            for (int i = 0; i < objects.size(); i++) {
                JsonNode node = (JsonNode) value(objects.get(i), item);
                for (Iterator<String> k = keys.get(i).iterator(); k.hasNext();) {
                    row.add(node == null ? null : node.get(k.next()));
                }
            }
            rows.add(row);
        }
        return new TidyCsv.Table(columns, rows);
    }

    /** A JSON field is spread into columns when every item has an object (or nothing) there. */
    private static boolean isObjectColumn(RecordComponent c, List<? extends Record> items) {
        return items.stream().map(i -> (JsonNode) value(c, i))
                .allMatch(n -> n == null || n.isNull() || n.isObject());
    }

    private static Object value(RecordComponent c, Record item) {
        try {
            return c.getAccessor().invoke(item);
        } catch (IllegalAccessException | InvocationTargetException e) {
            throw new IllegalStateException("cannot read " + c.getName() + " of " + item.getClass().getSimpleName(), e);
        }
    }
}
