package org.gsae.onnx;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import org.apache.hadoop.conf.Configuration;
import org.gsae.core.error.ErrorCode;
import org.gsae.core.error.GsaeException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A user's model directory: one .onnx file and its tokenizer.json, on any Hadoop path. */
class ModelFilesTest {
  @TempDir
  Path dir;

  @Test
  void aDirectoryWithTheBuiltInFilesIsTheBuiltInModel() throws Exception {
    ModelFiles builtIn = Models.files("minilm-l6");
    Path m = Files.createDirectories(dir.resolve("mine"));
    Files.write(m.resolve("model_quantized.onnx"), builtIn.onnx());
    Files.write(m.resolve("tokenizer.json"), builtIn.tokenizer());
    Files.writeString(m.resolve("README.md"), "other files are ignored");
    ModelFiles mine = ModelFiles.resolve(m.toUri().toString(), new Configuration());
    assertArrayEquals(builtIn.onnx(), mine.onnx());
    assertArrayEquals(builtIn.tokenizer(), mine.tokenizer());
    try (OnnxActivationModel a = OnnxActivationModel.open(mine, Site.of(1, "resid"), 1);
         OnnxActivationModel b = OnnxActivationModel.open(builtIn, Site.of(1, "resid"), 1)) {
      assertArrayEquals(b.activations(java.util.List.of("Same model.")).get(0).values(),
          a.activations(java.util.List.of("Same model.")).get(0).values(), 0f);
    }
  }

  @Test
  void anIncompleteDirectoryOrAnUnknownNameIsAClearError() throws Exception {
    Path m = Files.createDirectories(dir.resolve("half"));
    Files.write(m.resolve("a.onnx"), new byte[] {1});
    GsaeException e = assertThrows(GsaeException.class,
        () -> ModelFiles.resolve(m.toString(), new Configuration()));
    assertEquals(ErrorCode.INVALID_INPUT, e.code());
    assertTrue(e.getMessage().contains("holds 1 .onnx files and no tokenizer.json"), e.getMessage());
    Files.write(m.resolve("b.onnx"), new byte[] {1});
    Files.writeString(m.resolve("tokenizer.json"), "{}");
    assertTrue(assertThrows(GsaeException.class, () -> ModelFiles.resolve(m.toString(),
        new Configuration())).getMessage().contains("holds 2 .onnx files"));
    GsaeException unknown = assertThrows(GsaeException.class,
        () -> ModelFiles.resolve("minilm-l12", new Configuration()));
    assertTrue(unknown.getMessage().contains("no model directory or built-in model named minilm-l12")
        && unknown.getMessage().contains("minilm-l6-fp32"), unknown.getMessage());
  }
}
