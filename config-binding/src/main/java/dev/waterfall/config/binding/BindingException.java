package dev.waterfall.config.binding;

import dev.waterfall.config.WaterfallException;

import java.util.List;

/**
 * The configuration under a prefix cannot be bound to the type asked for. It lists <em>every</em>
 * problem, not the first: one line each, naming the key, what was expected, the value (redacted
 * when it is a secret) and where it came from, so that a user fixes a file in one go rather than
 * one start-up at a time.
 */
public final class BindingException extends WaterfallException {
    private static final long serialVersionUID = 1L;

    private final transient List<BindingProblem> problems;

    BindingException(String prefix, String type, List<BindingProblem> problems) {
        super(message(prefix, type, problems));
        this.problems = List.copyOf(problems);
    }

    private static String message(String prefix, String type, List<BindingProblem> problems) {
        StringBuilder text = new StringBuilder("cannot bind ")
                .append(prefix.isEmpty() ? "the configuration" : prefix)
                .append(" to ").append(type).append(": ")
                .append(problems.size()).append(problems.size() == 1 ? " problem" : " problems");
        for (BindingProblem problem : problems) {
            text.append(System.lineSeparator()).append("  ").append(problem);
        }
        return text.toString();
    }

    /** The problems, in the order of the type's components. */
    public List<BindingProblem> problems() {
        return problems;
    }
}
