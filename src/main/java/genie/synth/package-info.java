/**
 * Genie-D: calibration data synthesized from a teacher's BatchNorm statistics (GENIE.md section 1).
 *
 * <ul>
 *   <li>{@link genie.synth.SynthConfig}: settings with the reference defaults and a builder;</li>
 *   <li>{@link genie.synth.Generator}: the small generator, scaled to the teacher's input;</li>
 *   <li>{@link genie.synth.SwingConv2d}: random one-pixel reflect shift before strided convolutions;</li>
 *   <li>{@link genie.synth.BnStatisticsLoss}: BN-statistics and input-statistics matching from forward hooks;</li>
 *   <li>{@link genie.synth.Synthesizer}: the per-batch loop, returning a {@link genie.synth.SynthResult} (an
 *       {@link genie.data.ImageSet}, unlabeled unless {@code labelCe} is on, plus a {@link genie.synth.SynthReport});</li>
 *   <li>beyond Genie, each off by default: {@code LowPass} (SynQ), {@code SynthAugment} and
 *       {@code PooledBnStatistics} (DGH), {@code LabelTargets} (label cross-entropy);</li>
 *   <li>{@link genie.synth.SynthListener}: progress events ({@link genie.synth.ConsoleSynthListener} draws a bar).</li>
 * </ul>
 *
 * <pre>{@code
 * try (Model teacher = Model.load(spec, weights, Device.cpu(), List.of(), true)) {
 *     SynthResult r = new Synthesizer(SynthConfig.builder().samples(512).iterations(500).build())
 *             .addListener(new ConsoleSynthListener(System.err, cfg, false))
 *             .run(teacher);
 *     ImageSetFile.save(Path.of("synth.safetensors"), r.images(), null);
 * }
 * }</pre>
 */
package genie.synth;
