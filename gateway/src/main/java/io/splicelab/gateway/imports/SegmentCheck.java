package io.splicelab.gateway.imports;

import io.splicelab.model.imports.ImportManifest;
import io.splicelab.model.imports.InvalidManifestException;
import io.splicelab.model.imports.Shapes;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * Checks an import's segment files against what its manifest says of them, before anything is stored, so a file
 * the splicer could not run, or not the file the exporter meant, is a 400 at the gateway instead of a dead letter
 * later: each file is the one its declared {@code sha256} names; it is an ONNX model whose graph has one input
 * (initializers aside) and one output, takes a dynamic batch (the splicer evaluates images in batches), and
 * declares shapes that fit the manifest ({@link ImportManifest#checkGraph}). Every problem names the manifest's
 * field and the file.
 */
final class SegmentCheck {
    private SegmentCheck() {
    }

    /**
     * @param files the import's files by file name, one for every segment
     * @throws InvalidManifestException at the first segment that does not fit
     */
    static void verify(ImportManifest manifest, Map<String, Path> files) {
        for (int i = 0; i < manifest.segments().size(); i++) {
            ImportManifest.Segment s = manifest.segments().get(i);
            try {
                verify(manifest, i, s, files.get(s.file()));
            } catch (OnnxSignature.NotOnnxException e) {
                throw new InvalidManifestException("segments[" + i + "].file: " + s.file()
                        + " is not an ONNX model: " + e.getMessage());
            } catch (IOException e) {
                throw new UncheckedIOException("cannot read " + s.file() + " of the import", e);
            }
        }
    }

    private static void verify(ImportManifest manifest, int i, ImportManifest.Segment s, Path file)
            throws IOException {
        String at = "segments[" + i + "]";
        if (s.sha256() != null) {
            String actual = ArtifactFiles.sha256(file);
            if (!actual.equalsIgnoreCase(s.sha256())) {
                throw new InvalidManifestException(at + ".sha256: declared " + s.sha256() + " but " + s.file()
                        + " has SHA-256 " + actual);
            }
        }
        OnnxSignature graph = OnnxSignature.read(file);
        if (graph.inputs().size() != 1 || graph.outputs().size() != 1) {
            throw new InvalidManifestException(at + ".file: " + s.file() + " must have one input (initializers "
                    + "aside) and one output, has inputs " + names(graph.inputs()) + " and outputs "
                    + names(graph.outputs()));
        }
        OnnxSignature.Tensor input = graph.inputs().get(0);
        List<Object> takes = input.shape();
        if (takes != null && !takes.isEmpty() && !Shapes.dynamic(takes.get(0))) {
            throw new InvalidManifestException(at + ".file: " + s.file() + " takes a fixed batch of " + takes.get(0)
                    + " " + takes + "; the splicer feeds batches of images: export it with a dynamic batch "
                    + "dimension (torch.onnx.export(..., dynamic_axes={\"" + input.name() + "\": {0: \"N\"}}))");
        }
        manifest.checkGraph(i, takes, graph.outputs().get(0).shape());
    }

    private static List<String> names(List<OnnxSignature.Tensor> tensors) {
        return tensors.stream().map(OnnxSignature.Tensor::name).toList();
    }
}
