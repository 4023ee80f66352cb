#!/usr/bin/python3
"""Writes the malformed tl.ir.v1 corpus and EXPECTED.tsv (file -> text the UserError must contain).

Each case is a small edit of one valid graph, so each file breaks exactly one rule. Run from this
folder: /usr/bin/python3 make_corpus.py. The outputs are committed; edit this script, not them.
"""
import copy, json

def node(i, op, shape, parents=(), dtype="float32", **attrs):
    n = {"id": i, "op": op, "parents": list(parents), "dtype": dtype, "shape": shape}
    if attrs:
        n["attrs"] = attrs
    return n

BASE = {
    "format": "tl.ir.v1",
    "name": "base",
    "nodes": [
        node(0, "input", [4, 2], name="x", role="data"),
        node(1, "input", [3, 2], name="w", role="param"),
        node(2, "input", [3], name="b", role="param"),
        node(3, "linear", [4, 3], [0, 1, 2]),
        node(4, "relu", [4, 3], [3]),
        node(5, "sum", [], [4]),
    ],
    "outputs": [{"name": "loss", "node": 5}],
}

cases = {}   # file name -> (text, expected substring)

def edit(name, expected, fn):
    g = copy.deepcopy(BASE)
    fn(g)
    cases[name] = (json.dumps(g, indent=1), expected)

def raw(name, expected, text):
    cases[name] = (text, expected)

full = json.dumps(BASE, indent=1)
raw("truncated_half.json", "malformed JSON", full[: len(full) // 2])
raw("truncated_in_string.json", "malformed JSON", full[: full.index('"linear"') + 4])
raw("empty_file.json", "malformed JSON", "")
raw("not_json.json", "malformed JSON", "format: tl.ir.v1\nnodes: []\n")
raw("trailing_garbage.json", "malformed JSON", full + "\n}}")
raw("deeply_nested.json", "nesting deeper than 32", "[" * 100000 + "]" * 100000)
raw("deeply_nested_attrs.json", "nesting deeper than 32",
    full.replace('"name": "x"', '"name": ' + "{\"a\":" * 40 + "1" + "}" * 40))
raw("top_level_array.json", "top level must be a JSON object", "[1, 2, 3]")
edit("wrong_format.json", "field 'format'", lambda g: g.update(format="tl.ir.v0"))
edit("missing_nodes.json", "missing field 'nodes'", lambda g: g.pop("nodes"))
edit("nodes_not_array.json", "field 'nodes' must be an array", lambda g: g.update(nodes={"0": 1}))
edit("unknown_top_field.json", "unknown field 'nodez'", lambda g: g.update(nodez=[]))
edit("unknown_op.json", "unknown op 'relu6'", lambda g: g["nodes"][4].update(op="relu6"))
edit("op_not_string.json", "field 'op' must be a string", lambda g: g["nodes"][4].update(op=7))
edit("wrong_arity_unary.json", "node 4 (relu): takes 1 inputs but has 2",
     lambda g: g["nodes"][4].update(parents=[3, 3]))
edit("wrong_arity_linear.json", "node 3 (linear): takes 2 to 3 inputs but has 1",
     lambda g: g["nodes"][3].update(parents=[0]))
edit("cycle_self.json", "parent 0 is node 4, which is not an earlier node",
     lambda g: g["nodes"][4].update(parents=[4]))
edit("cycle_forward.json", "parent 0 is node 5, which is not an earlier node",
     lambda g: g["nodes"][4].update(parents=[5]))
edit("parent_out_of_range.json", "parent 0 is node 99", lambda g: g["nodes"][4].update(parents=[99]))
edit("parent_negative.json", "parent 0 is node -1", lambda g: g["nodes"][4].update(parents=[-1]))
edit("parent_huge.json", "parent 4294967296 is out of range",
     lambda g: g["nodes"][4].update(parents=[4294967296]))
edit("bad_dtype.json", "unknown dtype 'float16'", lambda g: g["nodes"][0].update(dtype="float16"))
edit("mixed_dtype.json", "is float64 but the node is float32",
     lambda g: [g["nodes"][i].update(dtype="float64") for i in (0, 1, 2)])
edit("negative_dim.json", "dimension 1 is -2", lambda g: g["nodes"][0].update(shape=[4, -2]))
edit("overflowing_dims.json", "overflows int64",
     lambda g: g["nodes"][0].update(shape=[4294967296, 4294967296, 4294967296]))
edit("dims_over_limit.json", "above the limit",
     lambda g: g["nodes"][0].update(shape=[65536, 65536]))
edit("dim_not_integer.json", "expected an integer, got 2.5",
     lambda g: g["nodes"][0].update(shape=[4, 2.5]))
edit("shape_mismatch.json", "declared shape [4,4] but the op produces [4,3]",
     lambda g: g["nodes"][4].update(shape=[4, 4]))
edit("linear_inner_mismatch.json", "dim 1 of x [4,2] (2) != dim 1 of W [3,5] (5)",
     lambda g: [g["nodes"][1].update(shape=[3, 5])])
edit("attr_not_numeric.json", "attribute 'axis'", lambda g: g["nodes"].insert(5, node(
    5, "reduce_sum", [4], [4], axis="one")) or g["nodes"][6].update(id=6, parents=[5]) or
     g["outputs"][0].update(node=6))
edit("attr_axis_out_of_range.json", "axis = 7 is out of range", lambda g: g["nodes"].insert(5, node(
    5, "reduce_sum", [4], [4], axis=7)) or g["nodes"][6].update(id=6, parents=[5]) or
     g["outputs"][0].update(node=6))
edit("unknown_attr.json", "unknown attribute 'alpha' for op relu",
     lambda g: g["nodes"][4].update(attrs={"alpha": 0.1}))
edit("attr_not_representable.json", "not exactly representable in float32",
     lambda g: g["nodes"][4].update(op="scale", attrs={"c": 0.1}))
edit("attr_bad_enum.json", "expected data or param", lambda g: g["nodes"][1]["attrs"].update(role="weight"))
edit("duplicate_input_names.json", "name 'x' is used by an earlier node",
     lambda g: g["nodes"][1]["attrs"].update(name="x"))
edit("empty_input_name.json", "name is empty", lambda g: g["nodes"][2]["attrs"].update(name=""))
edit("id_mismatch.json", "field 'id' must equal the node's position 2",
     lambda g: g["nodes"][2].update(id=7))
edit("missing_shape.json", "missing field 'shape'", lambda g: g["nodes"][3].pop("shape"))
edit("output_out_of_range.json", "node 12 does not exist", lambda g: g["outputs"][0].update(node=12))
edit("no_outputs.json", "has no outputs", lambda g: g.update(outputs=[]))
edit("duplicate_output_names.json", "name is used twice",
     lambda g: g["outputs"].append({"name": "loss", "node": 4}))
const = node(3, "const", [2], name="c")
edit("const_without_value.json", "const node has no value",
     lambda g: g["nodes"].append(dict(const, id=6)))
edit("payload_wrong_length.json", "payload has 3 values but shape [2] needs 2",
     lambda g: g["nodes"].append(dict(const, id=6, value={"encoding": "hex",
                                                          "data": ["0x1p+0", "0x1p+1", "0x1p+2"]})))
edit("payload_base64_wrong_length.json", "payload has 6 bytes but shape [2] of float32 needs 8",
     lambda g: g["nodes"].append(dict(const, id=6, value={"encoding": "base64", "data": "AAAAAAAA"})))
edit("payload_bad_base64.json", "invalid base64 character",
     lambda g: g["nodes"].append(dict(const, id=6, value={"encoding": "base64", "data": "AA*AAAAAAAA="})))
edit("payload_not_a_number.json", "'banana' is not a number",
     lambda g: g["nodes"].append(dict(const, id=6, value={"encoding": "hex", "data": ["banana", "0x1p+0"]})))
edit("payload_not_representable.json", "not exactly representable in float32",
     lambda g: g["nodes"].append(dict(const, id=6, value={"encoding": "hex", "data": ["0x1.0000000001p+0", "0x1p+0"]})))
edit("payload_bad_encoding.json", "encoding must be \"hex\" or \"base64\"",
     lambda g: g["nodes"].append(dict(const, id=6, value={"encoding": "zip", "data": ""})))
raw("duplicate_key.json", "the key \"format\" appears twice",
    full.replace('"format": "tl.ir.v1"', '"format": "tl.ir.v2", "format": "tl.ir.v1"'))
raw("nul_then_garbage.json", "a NUL byte at offset", full + "\0garbage{{{")
edit("payload_far_short_of_shape.json", "payload has 1 values but shape [2147483647] needs 2147483647",
     lambda g: g["nodes"].append(dict(const, id=6, shape=[2147483647], value={"encoding": "hex", "data": ["0x1p+0"]})))
edit("value_on_non_const.json", "only const nodes may have a 'value'",
     lambda g: g["nodes"][4].update(value={"encoding": "hex", "data": []}))

with open("EXPECTED.tsv", "w") as f:
    f.write("# file<TAB>text that the UserError must contain (written by make_corpus.py)\n")
    for name in sorted(cases):
        text, expected = cases[name]
        with open(name, "w") as g:
            g.write(text)
        f.write(f"{name}\t{expected}\n")
print(len(cases), "files")
