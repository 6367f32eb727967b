package genie.nn;

import ai.djl.Device;
import genie.data.FashionMnist;
import genie.data.ImageSet;
import genie.eval.Accuracy;
import genie.eval.Evaluator;
import genie.testing.Teacher;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** The PyTorch-trained teacher must score in Java exactly what it scored in PyTorch. */
class TeacherAccuracyTest {
    @Test
    void bundledTeacherReproducesPyTorchAccuracy() throws Exception {
        ModelSpec spec = ModelSpec.read(Teacher.spec());
        try (Model model = Model.load(spec, null, Device.cpu(), java.util.List.of(), true)) {
            ImageSet test = new FashionMnist().load("test", model.normalization());
            Accuracy acc = new Evaluator(500, System.out).evaluate(model, test);
            System.out.println("fmnist_resnet20: " + acc + " (PyTorch: " + spec.testTop1() + ")");
            assertEquals(10000, acc.images());
            assertEquals(spec.testTop1(), acc.top1(), 0.0005);
        }
    }
}
