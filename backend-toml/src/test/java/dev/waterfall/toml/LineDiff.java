package dev.waterfall.toml;

import java.util.ArrayList;
import java.util.List;

/**
 * The lines one text lost and gained against another, by longest common subsequence: what
 * {@code diff} would show, for tests that say exactly which lines a write may change.
 *
 * @param removed lines of the old text that are not in the new, in order
 * @param added   lines of the new text that are not in the old, in order
 */
record LineDiff(List<String> removed, List<String> added) {

    /** The diff of two texts split at {@code \n} (a {@code \r} stays part of its line). */
    static LineDiff of(String before, String after) {
        String[] old = before.split("\n", -1);
        String[] now = after.split("\n", -1);
        int[][] common = new int[old.length + 1][now.length + 1];
        for (int i = old.length - 1; i >= 0; i--) {
            for (int j = now.length - 1; j >= 0; j--) {
                common[i][j] = old[i].equals(now[j]) ? common[i + 1][j + 1] + 1 : Math.max(common[i + 1][j], common[i][j + 1]);
            }
        }
        List<String> removed = new ArrayList<>();
        List<String> added = new ArrayList<>();
        int i = 0;
        int j = 0;
        while (i < old.length || j < now.length) {
            if (i < old.length && j < now.length && old[i].equals(now[j])) {
                i++;
                j++;
            } else if (j < now.length && (i == old.length || common[i][j + 1] >= common[i + 1][j])) {
                added.add(now[j++]);
            } else {
                removed.add(old[i++]);
            }
        }
        return new LineDiff(removed, added);
    }
}
