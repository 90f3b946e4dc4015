package tv.latent.backend.gradio;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;

class DiffsTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    private static JsonNode json(String text) throws Exception {
        return JSON.readTree(text.replace('\'', '"'));
    }

    private static JsonNode apply(String target, String edits) throws Exception {
        return Diffs.apply(json(target), json(edits));
    }

    @Test
    void replacesTheWholeValueOnAnEmptyPath() throws Exception {
        assertThat(apply("'old'", "[['replace', [], {'a': 1}]]")).isEqualTo(json("{'a': 1}"));
    }

    @Test
    void appendsTextAndExtendsLists() throws Exception {
        assertThat(apply("'Hel'", "[['append', [], 'lo']]")).isEqualTo(json("'Hello'"));
        assertThat(apply("[1, 2]", "[['append', [], [3, 4]]]")).isEqualTo(json("[1, 2, 3, 4]"));
        assertThat(apply("[['hi', 'Hel']]", "[['append', [0, 1], 'lo']]")).isEqualTo(json("[['hi', 'Hello']]"));
    }

    @Test
    void addsIntoListsAndObjects() throws Exception {
        assertThat(apply("[1, 3]", "[['add', [1], 2]]")).isEqualTo(json("[1, 2, 3]"));
        assertThat(apply("[1]", "[['add', [1], 2]]")).isEqualTo(json("[1, 2]"));
        assertThat(apply("{'a': 1}", "[['add', ['b'], 2]]")).isEqualTo(json("{'a': 1, 'b': 2}"));
    }

    @Test
    void deletesFromListsAndObjects() throws Exception {
        assertThat(apply("[1, 2, 3]", "[['delete', [1], null]]")).isEqualTo(json("[1, 3]"));
        assertThat(apply("{'a': 1, 'b': 2}", "[['delete', ['a']]]")).isEqualTo(json("{'b': 2}"));
    }

    @Test
    void appliesSeveralEditsInOrderAlongNestedPaths() throws Exception {
        JsonNode result = apply(
                "{'chat': [['q', 'a']], 'n': 1}",
                "[['replace', ['n'], 2], ['append', ['chat'], [['q2', '']]], ['append', ['chat', 1, 1], 'ans']]");
        assertThat(result).isEqualTo(json("{'chat': [['q', 'a'], ['q2', 'ans']], 'n': 2}"));
    }

    @Test
    void rejectsEditsItCannotApply() {
        assertThatThrownBy(() -> apply("[1]", "[['delete', [5]]]")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> apply("1", "[['append', [], 2]]")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> apply("[1]", "[['explode', [0], 2]]")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> apply("[1]", "{'not': 'a list'}")).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void undoesWhatTheFakeServerDiffs() throws Exception {
        JsonNode before = json("[{'a': 'x', 'list': [1], 'gone': true}, 'te']");
        JsonNode after = json("[{'a': 'xyz', 'list': [1, 2], 'new': {'k': null}}, 'text']");
        JsonNode edits = FakeGradioServer.diffAll(
                (com.fasterxml.jackson.databind.node.ArrayNode) before,
                (com.fasterxml.jackson.databind.node.ArrayNode) after);
        for (int i = 0; i < after.size(); i++) {
            assertThat(Diffs.apply(before.get(i).deepCopy(), edits.get(i))).isEqualTo(after.get(i));
        }
    }
}
