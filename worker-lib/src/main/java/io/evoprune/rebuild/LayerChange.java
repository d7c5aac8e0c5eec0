package io.evoprune.rebuild;

/**
 * One layer of a rebuild, before and after: its output units (features or channels) and its parameters.
 *
 * @param inputsBefore input units (features or channels) the layer read before; -1 for layers without inputs of their own
 */
public record LayerChange(String name, String type, long inputsBefore, long inputsAfter, long unitsBefore,
                          long unitsAfter, long parametersBefore, long parametersAfter) {

    public boolean changed() {
        return inputsBefore != inputsAfter || unitsBefore != unitsAfter;
    }
}
