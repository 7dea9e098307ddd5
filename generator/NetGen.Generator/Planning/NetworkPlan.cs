using System.Collections.Generic;
using System.Linq;
using NetGen.Generator.Catalog;
using NetGen.Generator.Model;
using NetGen.Generator.Ops;

namespace NetGen.Generator.Planning;

/// <summary>
/// One value flowing between operations, for one sample: the input x, or an operation's output (z¹, y¹, g¹, a¹, d²).
/// Its buffers come from the planner's one allocator: where it lives in the scratch and batch blocks, and which
/// gradient slot holds ∂L/∂value.
/// </summary>
internal sealed class ValuePlan
{
    public ValuePlan(string role, int layer, Shape shape)
    {
        Role = role;
        Layer = layer;
        Shape = shape;
    }

    /// <summary>The letter of the math: x (the input), z, y, g, a, d.</summary>
    public string Role { get; }

    /// <summary>The layer the value belongs to (0 for the input).</summary>
    public int Layer { get; }

    public Shape Shape { get; }

    public int Size => (int)Shape.Size;

    public bool IsInput => Layer == 0;

    /// <summary>The span's name in a kernel: <c>input</c>, <c>z1</c>, <c>a2</c>.</summary>
    public string Name => IsInput ? "input" : Role + Layer;

    /// <summary>The name in comments: x, z¹, a².</summary>
    public string Math => IsInput ? "x" : Role + Literals.Superscript(Layer);

    /// <summary>Element <paramref name="i"/> as a straight-line local: x0, z1_3.</summary>
    public string Local(int i) => IsInput ? "x" + i : $"{Role}{Layer}_{i}";

    /// <summary>Offset in the per-sample scratch (and in each sample's block of the batch buffer); −1 for the input, which is the caller's.</summary>
    public int Offset { get; set; } = -1;

    /// <summary>The gradient slot ∂L/∂value lives in (an offset in the scratch), or −1 when no gradient is needed (the input).</summary>
    public int GradientOffset { get; set; } = -1;

    public bool HasGradient => GradientOffset >= 0;

    /// <summary>The layer whose dense output opened the gradient slot (the slot is named after it: δ¹ lives in Delta1).</summary>
    public int GradientLayer { get; set; }
}

/// <summary>
/// One operation lowered: its kind's handler, shapes, values, parameter blocks, FLOPs and code shape. The planner fills
/// the settable members as its allocator and layout reach them; after planning nothing changes them.
/// </summary>
internal sealed class OpPlan
{
    public OpPlan(OpSpec spec, OpKind kind, ValuePlan input, ValuePlan output, IReadOnlyList<BlockPlan> blocks)
    {
        Spec = spec;
        Kind = kind;
        Input = input;
        Output = output;
        Blocks = blocks;
    }

    public OpSpec Spec { get; }
    public OpKind Kind { get; }

    public int Layer => Spec.Layer;
    public ValuePlan Input { get; }
    public ValuePlan Output { get; }

    /// <summary>The parameter blocks this operation owns, in buffer order.</summary>
    public IReadOnlyList<BlockPlan> Blocks { get; set; }

    /// <summary>For a residual add, the value added back (the layer's input).</summary>
    public ValuePlan? SkipSource { get; init; }

    /// <summary>For dropout: where its mask lives in the training scratch (and in each sample's batch block).</summary>
    public int MaskOffset { get; set; } = -1;

    /// <summary>Where the operation's cache (see <see cref="OpKind.CacheLength"/>) lives in the forward scratch, or −1 for none.</summary>
    public int CacheOffset { get; set; } = -1;

    /// <summary>Floats of the operation's cache (0 for none).</summary>
    public int CacheLength { get; set; }

    /// <summary>For batch normalization: where the batch's μ and 1/√(σ² + ε) live after the samples' blocks in TrainingBatch.</summary>
    public int StatisticsOffset { get; set; } = -1;

    /// <summary>True: unrolled, one statement per output; false: fixed-trip-count SIMD loops.</summary>
    public bool Unrolled { get; init; }

    public long ForwardFlops { get; set; }
    public long BackwardFlops { get; set; }

    /// <summary>The block with role <paramref name="role"/>.</summary>
    public BlockPlan Block(string role) => Blocks.First(b => b.Role == role);

    public T As<T>() where T : OpSpec => (T)Spec;
}

/// <summary>A network lowered for emission.</summary>
internal sealed class NetworkPlan
{
    public NetworkPlan(NetworkSpec spec, ValuePlan input, IReadOnlyList<OpPlan> ops, IReadOnlyList<BlockPlan> blocks, long parameterCount)
    {
        Spec = spec;
        Input = input;
        Ops = ops;
        Blocks = blocks;
        ParameterCount = parameterCount;
    }

    public NetworkSpec Spec { get; }
    public ValuePlan Input { get; }
    public IReadOnlyList<OpPlan> Ops { get; }

    /// <summary>Every parameter block of every operation, in buffer order: contiguous from 0 to <see cref="ParameterCount"/>.</summary>
    public IReadOnlyList<BlockPlan> Blocks { get; }

    public long ParameterCount { get; }

    /// <summary>The trainable parameters: the buffer's prefix [0, this); the state (running statistics) follows them.</summary>
    public long TrainableParameterCount { get; init; }

    /// <summary>The network's output value (the last operation's).</summary>
    public ValuePlan Output => Ops[Ops.Count - 1].Output;

    public int InputSize => Input.Size;
    public int OutputSize => Output.Size;

    /// <summary>The numbers of the layers, in order.</summary>
    public IEnumerable<int> LayerNumbers => Ops.Select(o => o.Layer).Distinct();

    /// <summary>The operations of layer <paramref name="layer"/>, in order.</summary>
    public IEnumerable<OpPlan> OpsOf(int layer) => Ops.Where(o => o.Layer == layer);

    /// <summary>The last operation: the output activation, which a fused loss differentiates itself.</summary>
    public OpPlan OutputOp => Ops[Ops.Count - 1];

    /// <summary>True when the loss is fused with the output activation and yields δ = ∂L/∂z directly.</summary>
    public bool LossGivesDelta => Spec.Loss is LossKind.CrossEntropy or LossKind.BinaryCrossEntropy;

    /// <summary>The values the loss reads: the output activation's input (the logits) and the output.</summary>
    public ValuePlan Logits => OutputOp.Spec is ActivationSpec ? OutputOp.Input : Output; // a recurrent output layer has no separate logits

    /// <summary>
    /// True: each public method is one straight-line body with every value in a local. False ("layered"): each layer
    /// has its own forward and backward methods working on scratch spans.
    /// </summary>
    public bool StraightLine { get; init; }

    /// <summary>Why this shape was chosen, in words, for the generated file's header.</summary>
    public string ShapeReason { get; init; } = "";

    /// <summary>Floats of scratch a forward pass needs in the layered shape: every value.</summary>
    public int ForwardScratchLength { get; init; }

    /// <summary>Floats of scratch Backward needs in the layered shape: every value, then every gradient slot.</summary>
    public int ScratchLength { get; init; }

    /// <summary>Floats of scratch training mode needs: <see cref="ScratchLength"/> plus each dropout's output and mask.</summary>
    public int TrainingScratchLength { get; init; }

    public bool ScratchOnStack => TrainingScratchLength <= CodeShape.StackScratchMaxFloats;

    /// <summary>Floats of batch statistics TrainingBatch keeps after the samples' blocks (2 per normalized unit).</summary>
    public int BatchStatisticsLength { get; init; }

    /// <summary>True when some operation needs the whole mini-batch in training mode (batch normalization).</summary>
    public bool NeedsWholeBatch => Ops.Any(o => o.Kind.NeedsWholeBatch);

    /// <summary>True when training mode differs from inference mode (dropout).</summary>
    public bool HasTrainingOnlyOps => Ops.Any(o => o.Kind.TrainingOnly);
}
