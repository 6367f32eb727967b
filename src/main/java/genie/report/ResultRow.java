package genie.report;

/**
 * One experiment result: a method at some bit widths on some calibration data, scored on labeled images.
 *
 * @param method    rtn, adaround, brecq, qdrop, genie (or fp32)
 * @param wbits     weight bits (32 for FP32)
 * @param abits     activation bits (32 for FP32)
 * @param data      calibration data spec or description
 * @param samples   calibration images
 * @param iters     reconstruction iterations per unit
 * @param top1      top-1 accuracy in percent
 * @param images    images scored
 * @param seconds   wall time of the quantization (0 for FP32)
 */
public record ResultRow(String method, int wbits, int abits, String data, int samples, int iters, double top1,
        int images, double seconds) {}
