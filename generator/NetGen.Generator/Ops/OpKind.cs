using System.Collections.Generic;
using NetGen.Generator.Emission;
using NetGen.Generator.Model;
using NetGen.Generator.Planning;

namespace NetGen.Generator.Ops;

/// <summary>
/// Everything the generator knows about one kind of operation, in one class: its shape rule, its parameter blocks,
/// its FLOPs, how it reads in the summary and the architecture string, and its code in each form (straight-line
/// scalars, per-sample spans, whole batch). The drivers (straight-line, layered, batch) walk the operations and call
/// these; adding a kind is a spec record, a subclass here and one line in <see cref="OpKinds"/>.
/// </summary>
internal abstract class OpKind
{
    /// <summary>The output shape for <paramref name="input"/>, or the reason the operation cannot take it. By default the
    /// output has the input's shape (element-wise operations).</summary>
    public virtual bool TryInferShape(OpSpec spec, Shape input, out Shape output, out string problem)
    {
        output = input;
        problem = "";
        return true;
    }

    /// <summary>The letter the output value is named with (z, y, a, d …), given the operation after it in its layer.</summary>
    public abstract string OutputRole(OpSpec spec, OpSpec? nextInLayer);

    /// <summary>The operation's parameter blocks, laid out from <paramref name="offset"/>.</summary>
    public virtual IEnumerable<BlockPlan> Blocks(OpSpec spec, Shape input, Shape output, long offset, LayerFacts layer) => NoBlocks;

    /// <summary>
    /// Floats of per-sample cache the operation's forward pass fills for its backward pass beyond its output (a recurrent
    /// layer's states and gates, and its step temporaries); 0 for most kinds. It lives with the values in the forward scratch.
    /// </summary>
    public virtual int CacheLength(OpSpec spec, Shape input, Shape output) => 0;

    /// <summary>What the cache holds, in words, for the layout's comment.</summary>
    public virtual string CacheContents => "";

    /// <summary>True when ∂L/∂input can be computed in place of ∂L/∂output (element-wise operations).</summary>
    public virtual bool GradientInPlace => true;

    /// <summary>True for operations that act in training mode only (dropout): in inference their output is their input.</summary>
    public virtual bool TrainingOnly => false;

    /// <summary>The units an operation that needs the whole batch keeps statistics of (batch normalization: values, or an image's channels).</summary>
    public virtual int StatisticsUnits(Shape output) => (int)output.Size;

    /// <summary>True when training needs the whole mini-batch at once (batch statistics).</summary>
    public virtual bool NeedsWholeBatch => false;

    /// <summary>False when the operation has no straight-line form (the network then takes the layered shape).</summary>
    public virtual bool HasScalarForm => true;

    /// <summary>Why an operation without a straight-line form makes the network layered, for the generated header.</summary>
    public virtual string NoScalarFormReason => "";

    /// <summary>The layer as the header's one-line chain names it (<c>Conv2D(16, 5×5, relu)</c>), for kinds other than dense and recurrent.</summary>
    public virtual string HeaderLabel(NetworkPlan plan, OpPlan op) => Title(op);

    /// <summary>How the operation's code runs, for the summary's Code column: "unrolled", "SIMD loops", or "" (not said).</summary>
    public virtual string CodeLabel(NetworkPlan plan, OpPlan op) =>
        BatchWide && System.Linq.Enumerable.Any(op.Blocks, b => b.IsMatrix) ? (op.Unrolled ? "unrolled" : "SIMD loops") : "";

    /// <summary>True when the batch kernel runs the operation over the whole batch at once (else sample by sample).</summary>
    public virtual bool BatchWide => false;

    /// <summary>Forward and backward FLOPs per sample (a multiply-add counts 2; element-wise work is not counted).</summary>
    public virtual long ForwardFlops(OpPlan op) => 0;

    public virtual long BackwardFlops(OpPlan op) => 0;

    /// <summary>The multiply-adds the operation adds to an unrolled Backward (forward + backward), for the JIT budget.</summary>
    public virtual long UnrolledMultiplyAdds(OpPlan op) => 0;

    /// <summary>The locals the operation adds to a straight-line Backward: its output and the output's gradient (and a dropout mask).</summary>
    public virtual long StraightLineLocals(OpPlan op) => (2L + (TrainingOnly ? 1 : 0)) * op.Output.Size;

    /// <summary>Whether the operation is unrolled under <paramref name="unrolling"/> (decided by the layer's weight operation).</summary>
    public virtual bool? Unroll(OpSpec spec, Shape input, Shape output, UnrollingKind unrolling) => null;

    /// <summary>The part of the layer's title this operation contributes: <c>Dense 2 → 4</c>, <c>tanh</c>.</summary>
    public abstract string Title(OpPlan op);

    /// <summary>The summary row's first column, or null when the operation is shown in its layer's row (activations).</summary>
    public abstract string? SummaryName(NetworkPlan plan, OpPlan op);

    /// <summary>
    /// This operation's term in the netgen-1 architecture string (the checkpoint compatibility key), placed at
    /// <see cref="ArchitectureOrder"/> within its layer's <c>dense(…)</c>; null when it does not change the parameters.
    /// </summary>
    public virtual string? ArchitectureTerm(OpSpec spec) => null;

    public virtual int ArchitectureOrder => 0;

    /// <summary>The runtime's <c>NetGen.OperationKind</c> member.</summary>
    public abstract string RuntimeKind { get; }

    /// <summary>The kind's settings as object-initializer assignments of <c>NetGen.OperationDescription</c>, or empty.</summary>
    public virtual string RuntimeSettings(OpSpec spec) => "";

    // ── Code ──

    /// <summary>Straight-line forward: define the output's locals.</summary>
    public abstract void ScalarForward(ScalarCode c, OpPlan op);

    /// <summary>Straight-line backward: from ∂L/∂output, add the parameters' gradients and define ∂L/∂input when wanted.</summary>
    public abstract void ScalarBackward(ScalarCode c, OpPlan op);

    /// <summary>One sample over spans, forward.</summary>
    public abstract void SpanForward(SpanCode c, OpPlan op);

    /// <summary>One sample over spans, backward: ∂L/∂output is in its slot; write ∂L/∂input into the input's slot.</summary>
    public abstract void SpanBackward(SpanCode c, OpPlan op);

    /// <summary>The whole batch at once, forward (only for <see cref="BatchWide"/> kinds).</summary>
    public virtual void BatchForward(BatchCode c, OpPlan op) { }

    /// <summary>The whole batch at once, backward (only for <see cref="BatchWide"/> kinds).</summary>
    public virtual void BatchBackward(BatchCode c, OpPlan op) { }

    protected static readonly BlockPlan[] NoBlocks = new BlockPlan[0];

    protected static string Sup(int layer) => Catalog.Literals.Superscript(layer);
}

/// <summary>Facts about an operation's layer that its blocks depend on: the activation its weights are initialised for.</summary>
internal sealed record LayerFacts(ActivationKind Activation, float NegativeSlope);

/// <summary>The handler of each operation kind.</summary>
internal static class OpKinds
{
    public static readonly DenseOp Dense = new();
    public static readonly ActivationOp Activation = new();
    public static readonly DropoutOp Dropout = new();
    public static readonly BatchNormOp BatchNorm = new();
    public static readonly ResidualOp Residual = new();
    public static readonly RecurrentOp Elman = new("Recurrent");
    public static readonly RecurrentOp Gru = new("Gru");
    public static readonly RecurrentOp Lstm = new("Lstm");
    public static readonly ConvolutionOp Conv2D = new("Convolution2D");
    public static readonly ConvolutionOp Conv1D = new("Convolution1D");
    public static readonly PoolOp MaxPool = new("MaxPool2D");
    public static readonly PoolOp AvgPool = new("AvgPool2D");
    public static readonly RbfOp Rbf = new();

    public static OpKind Of(OpSpec spec) => spec switch
    {
        DenseSpec => Dense,
        ActivationSpec => Activation,
        DropoutSpec => Dropout,
        BatchNormSpec => BatchNorm,
        ResidualSpec => Residual,
        RecurrentSpec { Cell: CellKind.Gru } => Gru,
        RecurrentSpec { Cell: CellKind.Lstm } => Lstm,
        RecurrentSpec => Elman,
        ConvolutionSpec { OneDimensional: true } => Conv1D,
        ConvolutionSpec => Conv2D,
        PoolSpec { Max: true } => MaxPool,
        PoolSpec => AvgPool,
        RbfSpec => Rbf,
        _ => throw new System.ArgumentException("No handler for operation " + spec.GetType().Name),
    };
}
