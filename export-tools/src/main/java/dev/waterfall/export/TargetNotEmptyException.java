package dev.waterfall.export;

import dev.waterfall.config.WaterfallException;

/**
 * An import or migration into a store that already holds other entries, without
 * {@link CopyMode#MERGE} or {@link CopyMode#REPLACE}. Nothing was written.
 */
public class TargetNotEmptyException extends WaterfallException {
    private static final long serialVersionUID = 1L;

    /** @param message names the target store and the choices, merge or replace */
    public TargetNotEmptyException(String message) {
        super(message);
    }
}
