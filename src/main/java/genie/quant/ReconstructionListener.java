package genie.quant;

/** Receives reconstruction progress (console bar, live notebook charts, tests). */
public interface ReconstructionListener {
    /** After each optimisation step of a unit. */
    default void onIteration(Unit unit, int iteration, int total, float recLoss, float roundLoss) {}

    /** After a unit is finished (hard rounding set). */
    default void onUnitDone(UnitReport report) {}
}
