package genie.nn;

import ai.djl.Device;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import genie.data.FashionMnist;
import genie.data.ImageSet;
import genie.eval.Accuracy;
import genie.eval.Evaluator;
import genie.testing.Teacher;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** Each PyTorch-trained teacher must score in Java exactly what it scored in PyTorch, on every split it recorded. */
class TeacherAccuracyTest {
    @ParameterizedTest
    @ValueSource(strings = {"fmnist_resnet20", "fmnist_mobilenetv2"})
    void bundledTeacherReproducesPyTorchAccuracy(String name) throws Exception {
        Path specFile = Teacher.spec(name);
        ModelSpec spec = ModelSpec.read(specFile);
        JsonObject sidecar = JsonParser.parseString(Files.readString(specFile)).getAsJsonObject();
        try (Model model = Model.load(spec, null, Device.cpu(), java.util.List.of(), true)) {
            FashionMnist fm = new FashionMnist();
            Accuracy test = new Evaluator(500, System.out).evaluate(model, fm.load("test", model.normalization()));
            System.out.println(name + " test: " + test + " (PyTorch: " + spec.testTop1() + ")");
            assertEquals(10000, test.images());
            assertEquals(spec.testTop1(), test.top1(), 0.0005);
            if (sidecar.has("validation_top1")) {
                ImageSet val = fm.load("validation", model.normalization());
                Accuracy v = new Evaluator(500, System.out).evaluate(model, val);
                assertEquals(FashionMnist.VALIDATION, v.images());
                assertEquals(sidecar.get("validation_top1").getAsDouble(), v.top1(), 0.0005);
            }
        }
    }
}
