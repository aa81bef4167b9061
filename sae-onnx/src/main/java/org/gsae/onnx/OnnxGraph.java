package org.gsae.onnx;

import com.google.protobuf.ByteString;
import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.UnknownFieldSet;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.Set;
import org.gsae.core.error.Errors;
import org.gsae.core.error.GsaeException;

/**
 * Edits of an ONNX model's main graph, made on the serialized protobuf before ONNX Runtime
 * loads it: expose an inner tensor as the graph's only output (and drop every node it does not
 * need, so a harvest at layer 3 of 6 computes layers 0-3 only), or splice a new graph input in
 * place of an inner tensor (the rest of the network then reads the caller's tensor).
 *
 * <p>The model is read with protobuf-java's untyped {@link UnknownFieldSet} and the field numbers
 * of {@code onnx.proto} (ONNX IR version 3 and later; unchanged since), because the typed ONNX
 * classes on Maven Central need a newer protobuf-java than Spark puts on the classpath (see the
 * module's pom). Only the graph's node, input and output lists are rewritten; initializers,
 * opsets, metadata and every other field are copied unchanged.
 */
public final class OnnxGraph {
  // onnx.proto field numbers.
  private static final int MODEL_GRAPH = 7;
  private static final int GRAPH_NODE = 1;
  private static final int GRAPH_INITIALIZER = 5;
  private static final int GRAPH_INPUT = 11;
  private static final int GRAPH_OUTPUT = 12;
  private static final int GRAPH_VALUE_INFO = 13;
  private static final int NODE_INPUT = 1;
  private static final int NODE_OUTPUT = 2;
  private static final int NODE_NAME = 3;
  private static final int NODE_ATTRIBUTE = 5;
  private static final int ATTRIBUTE_GRAPH = 6;
  private static final int ATTRIBUTE_GRAPHS = 11;
  private static final int VALUE_INFO_NAME = 1;
  private static final int VALUE_INFO_TYPE = 2;
  private static final int TYPE_TENSOR = 1;
  private static final int TENSOR_ELEM_TYPE = 1;
  private static final int TENSOR_SHAPE = 2;
  private static final int SHAPE_DIM = 1;
  private static final int DIM_VALUE = 1;
  private static final int DIM_PARAM = 2;
  private static final int TENSOR_PROTO_NAME = 8;
  /** TensorProto.DataType.FLOAT. */
  private static final int FLOAT = 1;

  private final String label;
  private final UnknownFieldSet model;
  private final UnknownFieldSet graph;
  private final List<UnknownFieldSet> nodes;

  private OnnxGraph(String label, UnknownFieldSet model) throws InvalidProtocolBufferException {
    this.label = label;
    this.model = model;
    List<ByteString> graphs = model.getField(MODEL_GRAPH).getLengthDelimitedList();
    if (graphs.size() != 1) {
      throw new InvalidProtocolBufferException("it has " + graphs.size() + " graphs, expected one");
    }
    this.graph = UnknownFieldSet.parseFrom(graphs.get(0));
    this.nodes = new ArrayList<>();
    for (ByteString n : graph.getField(GRAPH_NODE).getLengthDelimitedList()) {
      nodes.add(UnknownFieldSet.parseFrom(n));
    }
    if (nodes.isEmpty()) {
      throw new InvalidProtocolBufferException("its graph has no nodes");
    }
  }

  /**
   * Parses a serialized ONNX model.
   *
   * @param label what the bytes are, for error messages (a path or built-in name)
   */
  public static OnnxGraph parse(byte[] modelBytes, String label) {
    try {
      return new OnnxGraph(label, UnknownFieldSet.parseFrom(modelBytes));
    } catch (InvalidProtocolBufferException e) {
      throw Errors.invalidInput("not a readable ONNX model (" + e.getMessage() + ")", label,
          "pass an .onnx file (a serialized ONNX ModelProto) exported with its graph", e);
    }
  }

  private static UnknownFieldSet parse(ByteString bytes, String what) {
    try {
      return UnknownFieldSet.parseFrom(bytes);
    } catch (InvalidProtocolBufferException e) {
      throw new IllegalStateException("a malformed ONNX " + what + " in a model read before", e);
    }
  }

  /** Names of the graph's inputs that are not initializers (what a caller must feed), in order. */
  public List<String> inputNames() {
    Set<String> init = new HashSet<>();
    for (ByteString t : graph.getField(GRAPH_INITIALIZER).getLengthDelimitedList()) {
      init.addAll(strings(parse(t, "initializer"), TENSOR_PROTO_NAME));
    }
    List<String> out = new ArrayList<>();
    for (ByteString v : graph.getField(GRAPH_INPUT).getLengthDelimitedList()) {
      String name = strings(parse(v, "input"), VALUE_INFO_NAME).get(0);
      if (!init.contains(name)) {
        out.add(name);
      }
    }
    return out;
  }

  /** Names of the graph's outputs, in order. */
  public List<String> outputNames() {
    List<String> out = new ArrayList<>();
    for (ByteString v : graph.getField(GRAPH_OUTPUT).getLengthDelimitedList()) {
      out.add(strings(parse(v, "output"), VALUE_INFO_NAME).get(0));
    }
    return out;
  }

  /** Every tensor some node produces, in node order. */
  public List<String> nodeOutputs() {
    List<String> out = new ArrayList<>();
    for (UnknownFieldSet n : nodes) {
      out.addAll(strings(n, NODE_OUTPUT));
    }
    return out;
  }

  /** What the model is (a path or built-in name), for messages. */
  public String label() {
    return label;
  }

  /** The first output of the node named {@code node}, if the graph has that node. */
  public Optional<String> firstOutputOf(String node) {
    return nodes.stream().filter(n -> strings(n, NODE_NAME).contains(node))
        .map(n -> strings(n, NODE_OUTPUT)).filter(o -> !o.isEmpty()).map(o -> o.get(0)).findFirst();
  }

  /** The encoder layers named in node names, as {@code "layers 0..5"} (or "no /encoder/layer.N/ nodes"). */
  public String layers() {
    Pattern p = Pattern.compile("^/encoder/layer\\.(\\d+)/");
    TreeSet<Integer> found = new TreeSet<>();
    for (UnknownFieldSet n : nodes) {
      for (String name : strings(n, NODE_NAME)) {
        Matcher m = p.matcher(name);
        if (m.find()) {
          found.add(Integer.parseInt(m.group(1)));
        }
      }
    }
    return found.isEmpty() ? "no /encoder/layer.N/ nodes"
        : "layers " + found.first() + ".." + found.last();
  }

  /** Whether a node of the graph produces {@code tensor}. */
  public boolean produces(String tensor) {
    return nodes.stream().anyMatch(n -> strings(n, NODE_OUTPUT).contains(tensor));
  }

  /**
   * A model whose only output is the float tensor {@code tensor} (shape left to ONNX Runtime),
   * without the nodes that output does not need.
   *
   * @throws GsaeException when no node produces {@code tensor}
   */
  public byte[] exposing(String tensor) {
    requireProduced(tensor);
    return rebuild(nodes, List.of(floatValueInfo(tensor, -1)), null);
  }

  /**
   * A model whose nodes read a new float input {@code input} [batch, sequence, width] wherever
   * they read {@code tensor}, keeping the original outputs; nodes that only fed {@code tensor}
   * are dropped. Feeding the spliced input the tensor the original graph computed gives the
   * original outputs.
   */
  public byte[] splicing(String tensor, String input, int width) {
    requireProduced(tensor);
    if (nodes.stream().anyMatch(n -> strings(n, NODE_INPUT).contains(input)
        || strings(n, NODE_OUTPUT).contains(input))) {
      throw Errors.invalidInput("the graph already has a tensor named " + input, label,
          "rename that tensor in the model");
    }
    List<UnknownFieldSet> rewired = new ArrayList<>();
    for (UnknownFieldSet n : nodes) {
      List<String> in = strings(n, NODE_INPUT);
      if (in.contains(tensor)) {
        UnknownFieldSet.Field.Builder f = UnknownFieldSet.Field.newBuilder();
        for (String s : in) {
          f.addLengthDelimited(ByteString.copyFromUtf8(s.equals(tensor) ? input : s));
        }
        n = UnknownFieldSet.newBuilder(n).clearField(NODE_INPUT)
            .addField(NODE_INPUT, f.build()).build();
      }
      rewired.add(n);
    }
    List<ByteString> outputs = graph.getField(GRAPH_OUTPUT).getLengthDelimitedList();
    return rebuild(rewired, outputs, floatValueInfo(input, width));
  }

  private void requireProduced(String tensor) {
    if (!produces(tensor)) {
      List<String> all = nodeOutputs();
      String near = all.stream().filter(s -> s.contains("layer")).limit(8).toList().toString();
      throw Errors.invalidInput("the graph has no tensor named " + tensor + " (" + all.size()
          + " node outputs, for example " + near + ")", label,
          "pass the name of a node's output (--tensor), or a --layer the model has");
    }
  }

  /** Keeps the nodes the outputs need (in their original, topological, order). */
  private byte[] rebuild(List<UnknownFieldSet> all, List<ByteString> outputs, ByteString newInput) {
    Map<String, Integer> producer = new HashMap<>();
    for (int i = 0; i < all.size(); i++) {
      for (String o : strings(all.get(i), NODE_OUTPUT)) {
        producer.put(o, i);
      }
    }
    boolean[] keep = new boolean[all.size()];
    Deque<String> wanted = new ArrayDeque<>();
    for (ByteString o : outputs) {
      wanted.add(strings(parse(o, "output"), VALUE_INFO_NAME).get(0));
    }
    Set<String> seen = new HashSet<>();
    while (!wanted.isEmpty()) {
      Integer i = producer.get(wanted.pop());
      if (i != null && !keep[i]) {
        keep[i] = true;
        for (String s : reads(all.get(i))) {
          if (seen.add(s)) {
            wanted.add(s);
          }
        }
      }
    }
    UnknownFieldSet.Field.Builder nodeField = UnknownFieldSet.Field.newBuilder();
    for (int i = 0; i < all.size(); i++) {
      if (keep[i]) {
        nodeField.addLengthDelimited(all.get(i).toByteString());
      }
    }
    UnknownFieldSet.Field.Builder outField = UnknownFieldSet.Field.newBuilder();
    outputs.forEach(outField::addLengthDelimited);
    // Initializers and inputs no kept node reads go too (ONNX Runtime warns about each).
    UnknownFieldSet.Field.Builder initField = UnknownFieldSet.Field.newBuilder();
    for (ByteString t : graph.getField(GRAPH_INITIALIZER).getLengthDelimitedList()) {
      if (seen.contains(strings(parse(t, "initializer"), TENSOR_PROTO_NAME).get(0))) {
        initField.addLengthDelimited(t);
      }
    }
    UnknownFieldSet.Field.Builder inField = UnknownFieldSet.Field.newBuilder();
    List<ByteString> inputs = new ArrayList<>(graph.getField(GRAPH_INPUT).getLengthDelimitedList());
    if (newInput != null) {
      inputs.add(newInput);
    }
    for (ByteString v : inputs) {
      if (seen.contains(strings(parse(v, "input"), VALUE_INFO_NAME).get(0))) {
        inField.addLengthDelimited(v);
      }
    }
    UnknownFieldSet.Builder g = UnknownFieldSet.newBuilder(graph)
        .clearField(GRAPH_NODE).addField(GRAPH_NODE, nodeField.build())
        .clearField(GRAPH_OUTPUT).addField(GRAPH_OUTPUT, outField.build())
        .clearField(GRAPH_INITIALIZER).addField(GRAPH_INITIALIZER, initField.build())
        .clearField(GRAPH_INPUT).addField(GRAPH_INPUT, inField.build())
        .clearField(GRAPH_VALUE_INFO);
    return UnknownFieldSet.newBuilder(model).clearField(MODEL_GRAPH)
        .addField(MODEL_GRAPH, UnknownFieldSet.Field.newBuilder()
            .addLengthDelimited(g.build().toByteString()).build())
        .build().toByteArray();
  }

  /** A node's inputs, plus every name read inside its subgraph attributes (If, Loop, Scan). */
  private static Set<String> reads(UnknownFieldSet node) {
    Set<String> out = new LinkedHashSet<>(strings(node, NODE_INPUT));
    for (ByteString a : node.getField(NODE_ATTRIBUTE).getLengthDelimitedList()) {
      UnknownFieldSet attr = parse(a, "attribute");
      List<ByteString> subgraphs = new ArrayList<>(attr.getField(ATTRIBUTE_GRAPH).getLengthDelimitedList());
      subgraphs.addAll(attr.getField(ATTRIBUTE_GRAPHS).getLengthDelimitedList());
      for (ByteString sg : subgraphs) {
        for (ByteString n : parse(sg, "subgraph").getField(GRAPH_NODE).getLengthDelimitedList()) {
          out.addAll(reads(parse(n, "node")));
        }
      }
    }
    return out;
  }

  /** ValueInfoProto of a float tensor [batch, sequence, width] (width < 0: no shape). */
  private static ByteString floatValueInfo(String name, int width) {
    UnknownFieldSet.Builder tensor = UnknownFieldSet.newBuilder()
        .addField(TENSOR_ELEM_TYPE, UnknownFieldSet.Field.newBuilder().addVarint(FLOAT).build());
    if (width >= 0) {
      UnknownFieldSet.Field.Builder dims = UnknownFieldSet.Field.newBuilder()
          .addLengthDelimited(dim(DIM_PARAM, "batch", 0))
          .addLengthDelimited(dim(DIM_PARAM, "sequence", 0))
          .addLengthDelimited(dim(DIM_VALUE, null, width));
      tensor.addField(TENSOR_SHAPE, UnknownFieldSet.Field.newBuilder().addLengthDelimited(
          UnknownFieldSet.newBuilder().addField(SHAPE_DIM, dims.build()).build().toByteString())
          .build());
    }
    UnknownFieldSet type = UnknownFieldSet.newBuilder().addField(TYPE_TENSOR,
        UnknownFieldSet.Field.newBuilder().addLengthDelimited(tensor.build().toByteString()).build())
        .build();
    return UnknownFieldSet.newBuilder()
        .addField(VALUE_INFO_NAME, UnknownFieldSet.Field.newBuilder()
            .addLengthDelimited(ByteString.copyFromUtf8(name)).build())
        .addField(VALUE_INFO_TYPE, UnknownFieldSet.Field.newBuilder()
            .addLengthDelimited(type.toByteString()).build())
        .build().toByteString();
  }

  private static ByteString dim(int field, String param, long value) {
    UnknownFieldSet.Field f = field == DIM_PARAM
        ? UnknownFieldSet.Field.newBuilder().addLengthDelimited(ByteString.copyFromUtf8(param)).build()
        : UnknownFieldSet.Field.newBuilder().addVarint(value).build();
    return UnknownFieldSet.newBuilder().addField(field, f).build().toByteString();
  }

  private static List<String> strings(UnknownFieldSet m, int field) {
    List<String> out = new ArrayList<>();
    for (ByteString b : m.getField(field).getLengthDelimitedList()) {
      out.add(b.toStringUtf8());
    }
    return out;
  }
}
